use sfn_runtime::prelude::*;

// AWS runs Lambda's optimized integration as request-response or `.waitForTaskToken`,
// never as a job, so `.sync` is refused as AWS refuses it.
state_machine! {
    pub M {
        start_at: A,
        states: {
            A: Task(lambda::invoke.sync) { timeout_seconds: 5, next: B },
            B: Task(dynamodb::query) { timeout_seconds: 5, next: C },
            C: Task("arn:aws:states:::aws-sdk:s3:listBuckets.sync") { timeout_seconds: 5, end: true },
        }
    }
}

fn main() {}
