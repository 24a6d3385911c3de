use sfn_runtime::prelude::*;

state_machine! {
    pub M {
        "start_at": A,
        states: {
            A: Succeed,
        }
    }
}

fn main() {}
