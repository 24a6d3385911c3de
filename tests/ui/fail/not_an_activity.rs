use sfn_runtime::prelude::*;

fn charge(_: i64) -> i64 {
    0
}

struct Refund;

state_machine! {
    pub M {
        start_at: A,
        states: {
            A: Task(charge) { next: B },
            B: Task(Refund) { end: true },
        }
    }
}

fn main() {}
