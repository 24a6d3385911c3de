use sfn_runtime::prelude::*;

state_machine! {
    pub M {
        start_at: A,
        states: {
            A: Sleep { seconds: 1, end: true },
        }
    }
}

fn main() {}
