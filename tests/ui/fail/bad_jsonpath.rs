use sfn_runtime::prelude::*;

state_machine! {
    pub M {
        start_at: A,
        states: {
            A: Pass { result_path: "$.items[*]", end: true },
        }
    }
}

fn main() {}
