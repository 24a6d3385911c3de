use sfn_runtime::prelude::*;

state_machine! {
    pub M {
        start_at: A,
        states: {
            A: Pass { parameters: { "greeting.$": "States.Nope($.name)" }, end: true },
        }
    }
}

fn main() {}
