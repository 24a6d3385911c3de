use sfn_runtime::prelude::*;

state_machine! {
    pub M {
        start_at: A,
        states: {
            A: Task(aws_sdk::s3) { end: true },
        }
    }
}

fn main() {}
