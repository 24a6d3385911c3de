use sfn_runtime::prelude::*;

state_machine! {
    pub M {
        start_at: A,
        states: {
            A: Pass { query_language: JSONata, output: "{% $states.input. %}", end: true },
        }
    }
}

fn main() {}
