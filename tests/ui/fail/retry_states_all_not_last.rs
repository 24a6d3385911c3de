use sfn_runtime::prelude::*;

state_machine! {
    pub M {
        start_at: A,
        states: {
            A: Task("arn:aws:states:::lambda:invoke") {
                retry: [ { error_equals: ["States.ALL"] }, { error_equals: ["Custom"] } ],
                catch: [ { error_equals: ["States.ALL"], next: B }, { error_equals: ["Custom"], next: B } ],
                end: true,
            },
            B: Succeed,
        }
    }
}

fn main() {}
