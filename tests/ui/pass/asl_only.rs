//! A crate that generates ASL with sfn-runtime's paths alone, no prelude: what a project
//! that depends on `sfn-runtime` with `default-features = false` writes.

use sfn_runtime::activity::{TaskContext, TaskError};
use sfn_runtime::definition::StateMachineDefinition;
use sfn_runtime::{activity, state_machine};

#[derive(Debug, sfn_runtime::TaskError)]
enum ShoutError {
    Empty,
}

impl std::fmt::Display for ShoutError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("nothing to shout")
    }
}

/// Shouts.
#[activity(timeout = 60)]
async fn shout(text: String, _ctx: TaskContext) -> Result<String, TaskError> {
    if text.is_empty() {
        return Err(ShoutError::Empty.into());
    }
    Ok(text.to_uppercase())
}

state_machine! {
    /// Shouts what it is given.
    Shouting(String) -> String {
        start_at: Shout,
        states: { Shout: Task(shout) { end: true } }
    }
}

fn main() {
    assert!(Shouting::ASL.contains("\"TimeoutSeconds\": 60"));
    assert!(Shouting::ASL.contains("\"Comment\": \"Shouts what it is given.\""));
    assert_eq!(Shouting::activities().len(), 1);
    let _: <Shouting as StateMachineDefinition>::Input = String::new();
}
