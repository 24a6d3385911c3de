//! What single states compute, where AWS documents it: a Pass state with both
//! `Parameters` and `Result`, JSONata `Fail` fields that are not strings, Waits on
//! timestamps that cannot be read, and JSONata's clock.

use std::sync::Arc;

use serde_json::{Value, json};
use sfn_runtime::local::{ExecutionDescription, ExecutionStatus, LocalEngine, VirtualClock};

fn engine() -> LocalEngine {
    LocalEngine::with_clock(Arc::new(VirtualClock::default()))
}

async fn run(engine: &LocalEngine, def: &str, input: Value) -> ExecutionDescription {
    let arn = engine
        .create_state_machine_json("m", def)
        .unwrap_or_else(|e| panic!("{e}"));
    let run = engine
        .start_execution(&arn, sfn_runtime::local::StartExecution::new(input))
        .await
        .unwrap_or_else(|e| panic!("start: {e}"));
    run.wait().await.unwrap_or_else(|e| panic!("wait: {e}"))
}

#[tokio::test]
async fn a_pass_state_with_parameters_and_result_outputs_the_result() {
    // Parameters is the input of the virtual task, Result its output.
    let def = r#"{"StartAt": "P", "States": {"P": {"Type": "Pass",
        "Parameters": {"from.$": "$.a"}, "Result": {"fixed": true}, "End": true}}}"#;
    let done = run(&engine(), def, json!({"a": 1})).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    assert_eq!(done.output, Some(json!({"fixed": true})));

    // With ResultPath, the result lands in the raw input.
    let def = r#"{"StartAt": "P", "States": {"P": {"Type": "Pass",
        "Parameters": {"from.$": "$.a"}, "Result": "r", "ResultPath": "$.out", "End": true}}}"#;
    let done = run(&engine(), def, json!({"a": 1})).await;
    assert_eq!(done.output, Some(json!({"a": 1, "out": "r"})));

    // Parameters alone is still the result.
    let def = r#"{"StartAt": "P", "States": {"P": {"Type": "Pass",
        "Parameters": {"from.$": "$.a"}, "End": true}}}"#;
    let done = run(&engine(), def, json!({"a": 1})).await;
    assert_eq!(done.output, Some(json!({"from": 1})));
}
