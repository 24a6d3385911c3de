use sfn_runtime::prelude::*;

state_machine! {
    pub M {
        start_at: A,
        states: {
            A: Task("arn:aws:states:::lambda:invoke") {
                retry: [ { error_equals: ["States.ALL", "Custom"] } ],
                end: true,
            },
        }
    }
}

fn main() {}
