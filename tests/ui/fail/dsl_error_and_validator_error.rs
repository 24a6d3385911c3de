use sfn_runtime::prelude::*;

// A DSL error and a validator error, independent of each other: both are reported in
// one build.
state_machine! {
    pub First {
        start_at: A,
        states: {
            A: Pass { reslt_path: "$.x", next: B },
            B: Pass { next: Missing },
            Done: Succeed,
        }
    }
}

// A state the DSL cannot lower is left out of the JSON: the transition to it, and the
// states only it leads to, are not reported again; a transition elsewhere to a state
// that does not exist is.
state_machine! {
    pub Second {
        start_at: A,
        states: {
            A: Task("arn:aws:lambda:us-east-1:123456789012:function:f") {
                catch: [ { error_equals: ["States.ALL"], next: Missing } ],
                next: B,
            },
            B: Pass { next: C },
            C: Pas { next: D },
            D: Pass { next: Done },
            Done: Succeed,
        }
    }
}

// Likewise in a branch: a branch left with no state is not reported, nor its `StartAt`;
// the other branch's mistake is.
state_machine! {
    pub Third {
        start_at: P,
        states: {
            P: Parallel {
                branches: [
                    { start_at: X, states: { X: Wiat { seconds: 1, end: true } } },
                    { start_at: Y, states: { Y: Pass { next: Nowhere }, Z: Succeed } },
                ],
                next: Done,
            },
            Done: Succeed,
        }
    }
}

fn main() {}
