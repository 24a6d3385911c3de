use sfn_runtime::prelude::*;

state_machine! {
    pub M {
        start_at: IsBig,
        states: {
            IsBig: Choice { rules: [] },
            Big: Pass { next: Done },
            Done: Succeed,
        }
    }
}

fn main() {}
