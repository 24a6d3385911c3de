use sfn_runtime::prelude::*;

state_machine! {
    pub M {
        start_at: A,
        states: {
            A: Pass { query_language: JSONata, result_path: "$.x", end: true },
        }
    }
}

fn main() {}
