use sfn_runtime::prelude::*;

state_machine! {
    pub M {
        start_at: A,
        states: {
            A: Parallel {
                branches: [ { start_at: B, states: { B: Succeed } } ],
                next: B,
            },
            B: Succeed,
        }
    }
}

fn main() {}
