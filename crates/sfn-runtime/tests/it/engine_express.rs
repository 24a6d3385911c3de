//! Express machines on the engine: created with their type and its restrictions, run
//! synchronously (StartSyncExecution) with AWS's billing, stopped at five minutes, and not
//! kept for DescribeExecution or ListExecutions.

use serde_json::json;
use sfn_runtime::{
    core::model::ExecutionType,
    local::{Error, ExecutionFilter, ExecutionStatus, LocalEngine, StartExecution, SyncExecution},
};

use crate::support::engine;

/// Creates the Express machine `name` from `def` and runs it synchronously on `{}`.
async fn sync_run(engine: &LocalEngine, name: &str, def: &str) -> SyncExecution {
    let arn = engine
        .create_state_machine_json_of_type(name, def, ExecutionType::Express)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    engine
        .start_sync_execution(&arn, StartExecution::new(json!({})))
        .await
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

const HELLO: &str = r#"{"StartAt": "Hi", "States": {"Hi": {"Type": "Pass", "Parameters": {"hello.$": "$.who"}, "End": true}}}"#;

#[tokio::test]
async fn a_sync_run_succeeds_with_its_output_and_billing() {
    let engine = engine();
    let arn = engine
        .create_state_machine_json_of_type("hello", HELLO, ExecutionType::Express)
        .unwrap();
    assert_eq!(
        engine.state_machine_type(&arn).unwrap(),
        ExecutionType::Express
    );
    let done = engine
        .start_sync_execution(
            &arn,
            StartExecution::new(json!({"who": "world"})).name("one"),
        )
        .await
        .unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    assert_eq!(done.output, Some(json!({"hello": "world"})));
    assert_eq!(done.name, "one");
    assert_eq!(done.state_machine_arn, arn);
    assert!(
        done.execution_arn
            .starts_with("arn:aws:states:us-east-1:123456789012:express:hello:one:"),
        "{}",
        done.execution_arn
    );
    // No time passed: 100 ms billed, at 64 MB.
    assert_eq!(done.billing_details.billed_duration_in_milliseconds, 100);
    assert_eq!(done.billing_details.billed_memory_used_in_mb, 64);

    // The same name again: Express names may repeat.
    let again = engine
        .start_sync_execution(
            &arn,
            StartExecution::new(json!({"who": "again"})).name("one"),
        )
        .await
        .unwrap();
    assert_ne!(again.execution_arn, done.execution_arn);

    // Not kept.
    let described = engine.describe_execution(&done.execution_arn);
    assert!(
        matches!(described, Err(Error::InvalidArn { .. })),
        "{described:?}"
    );
    assert!(matches!(
        engine.get_execution_history(&done.execution_arn),
        Err(Error::InvalidArn { .. })
    ));
    let listed = engine.list_executions_matching(&ExecutionFilter::new().machine(arn.clone()));
    assert!(
        matches!(listed, Err(Error::StateMachineTypeNotSupported { .. })),
        "{listed:?}"
    );
    assert!(engine.list_executions(None).is_empty());
}

#[tokio::test]
async fn a_sync_run_reports_failure_and_bills_whole_steps() {
    let engine = engine();
    let def = r#"{"StartAt": "Nap", "States": {
        "Nap": {"Type": "Wait", "Seconds": 2, "Next": "No"},
        "No": {"Type": "Fail", "Error": "Nope", "Cause": "it fails"}}}"#;
    let done = sync_run(&engine, "fails", def).await;
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some("Nope"));
    assert_eq!(done.cause.as_deref(), Some("it fails"));
    assert_eq!(done.output, None);
    assert_eq!(
        done.stop_date - done.start_date,
        chrono::Duration::seconds(2)
    );
    assert_eq!(done.billing_details.billed_duration_in_milliseconds, 2_000);
}

#[tokio::test]
async fn an_express_run_times_out_at_five_minutes() {
    let engine = engine();
    let def =
        r#"{"StartAt": "Nap", "States": {"Nap": {"Type": "Wait", "Seconds": 400, "End": true}}}"#;
    let done = sync_run(&engine, "slow", def).await;
    assert_eq!(done.status, ExecutionStatus::TimedOut);
    assert_eq!(done.error.as_deref(), Some("States.Timeout"));
    assert_eq!(
        done.stop_date - done.start_date,
        chrono::Duration::seconds(300)
    );
    assert_eq!(
        done.billing_details.billed_duration_in_milliseconds,
        300_000
    );

    // A machine's own shorter TimeoutSeconds holds.
    let def = r#"{"TimeoutSeconds": 10, "StartAt": "Nap", "States": {"Nap": {"Type": "Wait", "Seconds": 400, "End": true}}}"#;
    let done = sync_run(&engine, "slow10", def).await;
    assert_eq!(done.status, ExecutionStatus::TimedOut);
    assert_eq!(
        done.stop_date - done.start_date,
        chrono::Duration::seconds(10)
    );
}

#[tokio::test]
async fn express_restrictions_and_types_are_enforced() {
    let engine = engine();
    let standard = engine.create_state_machine_json("standard", HELLO).unwrap();
    let refused = engine
        .start_sync_execution(&standard, StartExecution::new(json!({})))
        .await;
    assert!(
        matches!(refused, Err(Error::StateMachineTypeNotSupported { .. })),
        "{refused:?}"
    );
    // The same name with the other type is another machine.
    let clash = engine.create_state_machine_json_of_type("standard", HELLO, ExecutionType::Express);
    assert!(
        matches!(clash, Err(Error::StateMachineAlreadyExists { .. })),
        "{clash:?}"
    );
    for resource in [
        "arn:aws:states:us-east-1:123456789012:activity:work",
        "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "arn:aws:states:::states:startExecution.sync",
    ] {
        let def = format!(
            r#"{{"StartAt": "T", "States": {{"T": {{"Type": "Task", "Resource": "{resource}", "TimeoutSeconds": 5, "End": true}}}}}}"#
        );
        let made =
            engine.create_state_machine_json_of_type("restricted", &def, ExecutionType::Express);
        assert!(
            matches!(made, Err(Error::InvalidDefinition { .. })),
            "{resource}: {made:?}"
        );
    }
    let missing = engine
        .start_sync_execution(
            "arn:aws:states:us-east-1:123456789012:stateMachine:none",
            StartExecution::new(json!({})),
        )
        .await;
    assert!(matches!(
        missing,
        Err(Error::StateMachineDoesNotExist { .. })
    ));
}

#[tokio::test]
async fn an_async_express_execution_runs_unlisted() {
    let engine = engine();
    let arn = engine
        .create_state_machine_json_of_type("async", HELLO, ExecutionType::Express)
        .unwrap();
    let run = engine
        .start_execution(&arn, StartExecution::new(json!({"who": "you"})))
        .await
        .unwrap();
    assert!(run.arn().contains(":express:async:"), "{}", run.arn());
    let done = run.wait().await.unwrap();
    assert_eq!(done.output, Some(json!({"hello": "you"})));
    assert!(matches!(
        engine.stop_execution(run.arn(), None, None),
        Err(Error::InvalidArn { .. })
    ));
    assert!(engine.list_executions(Some(&arn)).is_empty());
}

#[tokio::test]
async fn a_sync_run_has_no_redrive_count_in_its_context_object() {
    // AWS's `$$.Execution` of a StartSyncExecution run has no RedriveCount; an
    // asynchronous Express execution's has (TestExpressSync and TestExpressAsync's
    // test_query_runtime_memory).
    let def = r#"{"StartAt": "Q", "States": {"Q": {"Type": "Pass", "Parameters": {"execution.$": "$$.Execution"}, "End": true}}}"#;
    let engine = engine();
    let done = sync_run(&engine, "ctx", def).await;
    let output = done.output.unwrap_or_default();
    let mut keys: Vec<&String> = output["execution"]
        .as_object()
        .map(|o| o.keys().collect())
        .unwrap_or_default();
    keys.sort();
    assert_eq!(keys, ["Id", "Input", "Name", "RoleArn", "StartTime"]);

    let arn = engine
        .create_state_machine_json_of_type("ctx", def, ExecutionType::Express)
        .unwrap();
    let run = engine
        .start_execution(&arn, StartExecution::new(json!({})))
        .await
        .unwrap();
    let output = run.wait().await.unwrap().output.unwrap_or_default();
    assert_eq!(output["execution"]["RedriveCount"], json!(0));
}
