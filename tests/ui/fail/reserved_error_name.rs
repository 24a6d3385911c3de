use sfn_runtime::prelude::*;

state_machine! {
    pub M {
        start_at: A,
        states: {
            A: Task("arn:aws:states:::lambda:invoke") {
                catch: [ { error_equals: ["States.Oops"], next: B } ],
                end: true,
            },
            B: Succeed,
        }
    }
}

fn main() {}
