use sfn_runtime::prelude::*;

state_machine! {
    pub M {
        start_at: A,
        states: {
            A: Pass { next: B, end: true },
            B: Succeed,
        }
    }
}

fn main() {}
