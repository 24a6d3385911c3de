use sfn_runtime::prelude::*;

state_machine! {
    pub M {
        start_at: A,
        states: {
            A: Pass { next: Nowhere, result_path: "$.a[*]" },
            B: Wait { seconds: -1, end: true },
        }
    }
}

fn main() {}
