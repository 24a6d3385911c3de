use sfn_runtime::prelude::*;

state_machine! {
    pub M {
        start_at: Start,
        states: {
            Start: Pass { next: IsBgi },
            IsBig: Choice {
                rules: [ { variable: "$.n", numeric_greater_than: 100, next: Big } ],
                default: Small,
            },
            Big: Pass { next: Report },
            Small: Pass { next: Report },
            Report: Pass { next: Done },
            Done: Succeed,
        }
    }
}

fn main() {}
