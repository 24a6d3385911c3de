use sfn_runtime::prelude::*;

state_machine! {
    pub M {
        start_at: A,
        states: {
            A: Succeed,
            Orphan: Pass { end: true },
        }
    }
}

fn main() {}
