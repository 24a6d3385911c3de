use sfn_runtime::prelude::*;

state_machine! {
    pub M {
        start_at: A,
        states: {
            A: Pass { nxt: B },
            B: Succeed,
        }
    }
}

fn main() {}
