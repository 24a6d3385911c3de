use sfn_runtime::prelude::*;

state_machine! {
    pub M {
        start_at: A,
        states: {
            A: Wait { seconds: 5, timestamp: "2030-01-01T00:00:00Z", end: true },
        }
    }
}

fn main() {}
