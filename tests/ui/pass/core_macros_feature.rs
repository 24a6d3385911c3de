//! A crate that generates ASL with sfn-core alone, through its `macros` feature: no
//! runtime, no `crate = …` override.

use sfn_core::activity::{TaskContext, TaskError};
use sfn_core::definition::StateMachineDefinition;
use sfn_core::{activity, state_machine};

#[derive(Debug, sfn_core::TaskError)]
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
