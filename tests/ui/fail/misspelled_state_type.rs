use sfn_runtime::prelude::*;

state_machine! {
    pub M {
        start_at: A,
        states: {
            A: Pas { end: true },
        }
    }
}

fn main() {}
