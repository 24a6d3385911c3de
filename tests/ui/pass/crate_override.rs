//! A crate that reaches sfn-runtime under another name, and the macros through sfn-macros
//! directly: `crate = …` tells the generated code where the API is.

extern crate sfn_runtime as sfn;

use sfn::activity::{TaskContext, TaskError};
use sfn::definition::StateMachineDefinition;
use sfn_macros::{activity, state_machine};

#[activity(crate = ::sfn, timeout = 60)]
async fn shout(text: String, _ctx: TaskContext) -> Result<String, TaskError> {
    Ok(text.to_uppercase())
}

state_machine! {
    #[sfn(crate = ::sfn)]
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
