use sfn_runtime::prelude::*;

state_machine! {
    pub M {
        start_at: Start,
        states: {
            Start: Pass { nxt: Work },
            Work: Pass { next: Done },
            Done: Succeed,
        }
    }
}

fn main() {}
