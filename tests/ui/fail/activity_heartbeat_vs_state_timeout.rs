use sfn_runtime::prelude::*;

#[activity(heartbeat = 60)]
fn charge(cents: u64) -> u64 {
    cents
}

state_machine! {
    pub M {
        start_at: A,
        states: {
            A: Task(charge) { timeout_seconds: 30, end: true },
        }
    }
}

fn main() {}
