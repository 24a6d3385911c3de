use sfn_runtime::prelude::*;

state_machine! {
    pub M {
        start_at: A,
        states: {
            A: Choice { rules: [], default: B },
            B: Succeed,
        }
    }
}

fn main() {}
