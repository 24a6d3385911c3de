//! Defines activities and a state machine in Rust, and prints the machine's ASL.
//!
//! ```text
//! cargo run -p sfn-examples --bin print_asl
//! ```

use sfn_runtime::prelude::*;

#[derive(Debug, Deserialize, JsonSchema)]
// The examples crate reaches schemars through sfn-runtime; a crate that depends on
// schemars itself does not need this line.
#[schemars(crate = "sfn_runtime::schemars")]
struct Numbers {
    a: i64,
    b: i64,
}

/// Adds two numbers.
#[activity(name = "add", heartbeat = 20, timeout = 300)]
async fn add(input: Numbers, ctx: &TaskContext) -> Result<i64, TaskError> {
    if ctx.is_stopping() {
        return Err(TaskError::new("Stopped", "the worker is shutting down"));
    }
    Ok(input.a + input.b)
}

state_machine! {
    /// Adds two numbers and reports the sign.
    pub TestAdding {
        start_at: Add,
        states: {
            Add: Task(add) {
                result_path: "$.sum",
                retry: [ { error_equals: ["States.Timeout"], max_attempts: 2 } ],
                next: Sign,
            },
            Sign: Choice {
                rules: [ { variable: "$.sum", numeric_greater_than: 0, next: Positive } ],
                default: Negative,
            },
            Positive: Succeed,
            Negative: Fail { error: "Negative", cause: "the sum is below zero" },
        }
    }
}

fn main() {
    println!("{}", TestAdding::ASL);
    for activity in TestAdding::activities() {
        eprintln!(
            "activity {}: {}",
            activity.name(),
            activity.description().unwrap_or_default()
        );
    }
}
