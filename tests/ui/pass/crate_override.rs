//! A crate that depends on sfn-core and sfn-macros only.

use sfn_core::activity::{TaskContext, TaskError};
use sfn_core::definition::StateMachineDefinition;
use sfn_macros::{activity, state_machine};

#[activity(crate = ::sfn_core, timeout = 60)]
async fn shout(text: String, _ctx: TaskContext) -> Result<String, TaskError> {
    Ok(text.to_uppercase())
}

state_machine! {
    #[sfn(crate = ::sfn_core)]
    Shouting(String) -> String {
        start_at: Shout,
        states: { Shout: Task(shout) { end: true } }
    }
}

fn main() {
    assert!(Shouting::ASL.contains("\"TimeoutSeconds\": 60"));
    assert_eq!(Shouting::activities().len(), 1);
    let _: <Shouting as StateMachineDefinition>::Input = String::new();
}
