use sfn_runtime::prelude::*;

state_machine! {
    pub M {
        start_at: A,
        states: {
            A: Wait { seconds: "10", end: true },
        }
    }
}

fn main() {}
