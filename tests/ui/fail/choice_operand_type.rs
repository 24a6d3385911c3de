use sfn_runtime::prelude::*;

state_machine! {
    pub M {
        start_at: A,
        states: {
            A: Choice { rules: [ { variable: "$.n", numeric_equals: "seven", next: B } ] },
            B: Succeed,
        }
    }
}

fn main() {}
