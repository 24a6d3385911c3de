use sfn_runtime::prelude::*;

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Order {
    pub cents: u64,
}

/// Doubles an order.
#[activity(name = "double-order")]
pub fn double(order: Order) -> Order {
    Order { cents: order.cents * 2 }
}

#[activity]
fn noop(_: Value) {}

state_machine! {
    Doubling {
        start_at: Double,
        states: {
            Double: Task(double) { next: Twice },
            Twice: Task(double) { next: Nothing },
            Nothing: Task(noop) { end: true },
        }
    }
}

fn main() {
    assert_eq!(double(Order { cents: 2 }).cents, 4);
    noop(Value::Null);
    assert!(Doubling::ASL.contains("arn:aws:states:::activity:double-order"));
    assert_eq!(Doubling::activities().len(), 2);
}
