use sfn_runtime::prelude::*;

state_machine! {
    pub M {
        start_at: A,
        states: {
            A: Task("arn:aws:states:::lambda:invoke") { timeout_seconds: 10, heartbeat_seconds: 10, end: true },
        }
    }
}

fn main() {}
