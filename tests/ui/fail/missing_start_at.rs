use sfn_runtime::prelude::*;

state_machine! {
    pub M {
        states: { A: Succeed }
    }
}

fn main() {}
