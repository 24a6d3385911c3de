//! The smallest whole workflow: an `add` activity and a machine that calls it. The
//! `adding` program registers both, answers the activity with a worker, runs the machine
//! and tidies up; the `add_worker` program answers the activity on its own.

use serde::{Deserialize, Serialize};
use sfn_runtime::prelude::*;

/// The two numbers to add.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema)]
pub struct Numbers {
    /// The first.
    pub a: i64,
    /// The second.
    pub b: i64,
}

/// What the machine answers: the numbers and their sum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Added {
    /// The first number.
    pub a: i64,
    /// The second.
    pub b: i64,
    /// Their sum.
    pub added: i64,
}

/// Adds two numbers.
#[activity(name = "addActivity", heartbeat = 20, timeout = 60)]
pub async fn add(input: Numbers) -> Result<i64, TaskError> {
    input
        .a
        .checked_add(input.b)
        .ok_or_else(|| TaskError::new("Overflow", format!("{} + {} overflows", input.a, input.b)))
}

state_machine! {
    /// Adds two numbers with the `add` activity, keeping them beside the sum.
    pub Adding(Numbers) -> Added {
        start_at: Add,
        states: {
            Add: Task(add) { result_path: "$.added", end: true },
        }
    }
}
