use sfn_runtime::prelude::*;

state_machine! {
    pub M {
        start_at: A,
        states: {
            A: Pass { next: B },
            B: Pass { next: A },
        }
    }
}

fn main() {}
