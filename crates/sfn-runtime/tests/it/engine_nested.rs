//! Nested executions: `states:startExecution` in its four patterns starts a real child
//! execution on the same engine. The shapes are checked against the AWS-recorded cases
//! (`TestCallback_test_start_execution_sync*`, `TestBaseScenarios_test_sfn_start_execution_sync_SFN_SYNC2*`,
//! `TestTaskServiceSfn_test_start_execution*`), run here without their mocks; the rest
//! follows AWS's documentation ("Start a new AWS Step Functions state machine from a
//! running execution", connect-stepfunctions.html).

use serde_json::{Value, json};
use sfn_runtime::local::{ExecutionStatus, LocalEngine, StartExecution, TaskRequest, VirtualClock};
use std::sync::Arc;

use crate::support::{cases, corpus, engine, run, settle, until};

const CHILD: &str = r#"{"StartAt": "Echo", "States": {"Echo": {"Type": "Pass",
    "Parameters": {"got.$": "$"}, "End": true}}}"#;

const FAILING_CHILD: &str = r#"{"StartAt": "No", "States": {"No": {"Type": "Fail",
    "Error": "Child.Broke", "Cause": "it broke"}}}"#;

fn parent(resource: &str) -> String {
    format!(
        r#"{{"StartAt": "Start", "States": {{"Start": {{"Type": "Task", "Resource": "{resource}",
        "Parameters": {{"StateMachineArn.$": "$.arn", "Input.$": "$.input", "Name.$": "$.name"}},
        "End": true}}}}}}"#
    )
}

/// The keys of a recorded case's expected output (or, with `cause`, of its cause's JSON).
fn recorded_keys(case: &str, cause: bool) -> Option<Vec<String>> {
    let dir = corpus()?;
    let (_, case) = cases(&dir.join("execution"))
        .into_iter()
        .find(|(n, _)| n == case)?;
    let v = if cause {
        serde_json::from_str(case["expected"]["cause"].as_str()?).ok()?
    } else {
        case["expected"]["output"].clone()
    };
    Some(v.as_object()?.keys().cloned().collect())
}

fn keys(v: &Value) -> Vec<String> {
    v.as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn request_response_answers_the_execution_arn_and_start_date() {
    let e = engine();
    let child = e.create_state_machine_json("child", CHILD).unwrap();
    let done = run(
        &e,
        "parent",
        &parent("arn:aws:states:::states:startExecution"),
        json!({"arn": child, "input": {"a": 1}, "name": "kid"}),
    )
    .await;
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    let out = done.output.unwrap();
    assert_eq!(keys(&out), ["ExecutionArn", "StartDate"]);
    assert!(out["StartDate"].is_i64(), "epoch milliseconds: {out}");
    let arn = out["ExecutionArn"].as_str().unwrap().to_owned();
    assert!(arn.ends_with(":execution:child:kid"), "{arn}");
    let kid = e.get_execution(&arn).unwrap().wait().await.unwrap();
    assert_eq!(kid.output, Some(json!({"got": {"a": 1}})));
}

#[tokio::test]
async fn sync_answers_describe_execution_with_json_text() {
    let e = engine();
    let child = e.create_state_machine_json("child", CHILD).unwrap();
    let done = run(
        &e,
        "parent",
        &parent("arn:aws:states:::states:startExecution.sync"),
        json!({"arn": child, "input": null, "name": "TestStartTarget"}),
    )
    .await;
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    let out = done.output.unwrap();
    // A null Input starts the child on `{}`.
    assert_eq!(out["Input"], json!("{}"));
    assert_eq!(out["Output"], json!(r#"{"got":{}}"#));
    assert_eq!(out["Status"], json!("SUCCEEDED"));
    assert_eq!(out["StateMachineArn"], json!(child));
    assert_eq!(out["InputDetails"], json!({"Included": true}));
    if let Some(recorded) = recorded_keys("TestCallback_test_start_execution_sync", false) {
        assert_eq!(keys(&out), recorded);
    }
}

#[tokio::test]
async fn sync2_answers_describe_execution_with_json() {
    let e = engine();
    let child = e.create_state_machine_json("child", CHILD).unwrap();
    let done = run(
        &e,
        "parent",
        &parent("arn:aws:states:::states:startExecution.sync:2"),
        json!({"arn": child, "input": {"Arg1": "argument1"}, "name": "TestStartTarget"}),
    )
    .await;
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    let out = done.output.unwrap();
    assert_eq!(out["Input"], json!({"Arg1": "argument1"}));
    assert_eq!(out["Output"], json!({"got": {"Arg1": "argument1"}}));
    assert_eq!(out["RedriveStatus"], json!("NOT_REDRIVABLE"));
    if let Some(recorded) = recorded_keys(
        "TestBaseScenarios_test_sfn_start_execution_sync_SFN_SYNC2_2c20b8",
        false,
    ) {
        assert_eq!(keys(&out), recorded);
    }
}

#[tokio::test]
async fn input_as_json_text_and_the_started_by_field_reach_the_child() {
    // AWS documents passing `AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID` from `$$.Execution.Id`
    // to link the child to its parent; the child sees it in its input.
    let e = engine();
    let child = e.create_state_machine_json("child", CHILD).unwrap();
    let def = r#"{"StartAt": "Start", "States": {"Start": {"Type": "Task",
        "Resource": "arn:aws:states:::states:startExecution.sync:2",
        "Parameters": {"StateMachineArn.$": "$.arn",
            "Input": {"x": 1, "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$": "$$.Execution.Id"}},
        "OutputPath": "$.Output", "End": true}}}"#;
    let arn = e.create_state_machine_json("parent", def).unwrap();
    let started = e
        .start_execution(&arn, StartExecution::new(json!({"arn": child})))
        .await
        .unwrap();
    let done = started.wait().await.unwrap();
    assert_eq!(
        done.output,
        Some(json!({"got": {"x": 1, "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID": started.arn()}}))
    );
    // JSON text as Input is the child's input, parsed.
    let def = parent("arn:aws:states:::states:startExecution.sync:2");
    let done = run(
        &e,
        "parent2",
        &def,
        json!({"arn": child, "input": "{\"t\": true}", "name": "n"}),
    )
    .await;
    assert_eq!(done.output.unwrap()["Input"], json!({"t": true}));
}

#[tokio::test]
async fn a_failed_child_fails_the_task_with_its_error_and_cause() {
    let e = engine();
    let child = e.create_state_machine_json("child", FAILING_CHILD).unwrap();
    let done = run(
        &e,
        "parent",
        &parent("arn:aws:states:::states:startExecution.sync"),
        json!({"arn": child, "input": {"Payload": null}, "name": "TestStartTarget"}),
    )
    .await;
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some("States.TaskFailed"));
    let cause: Value = serde_json::from_str(done.cause.as_deref().unwrap()).unwrap();
    assert_eq!(cause["Error"], json!("Child.Broke"));
    assert_eq!(cause["Cause"], json!("it broke"));
    assert_eq!(cause["Status"], json!("FAILED"));
    assert_eq!(cause["Input"], json!(r#"{"Payload":null}"#));
    // The recording's child failed without a cause; ours has one, which AWS puts first.
    if let Some(recorded) = recorded_keys(
        "TestCallback_test_start_execution_sync_delegate_timeout",
        true,
    ) {
        let mut ours = keys(&cause);
        ours.retain(|k| k != "Cause");
        assert_eq!(ours, recorded);
    }

    // Catchable as any task failure.
    let def = r#"{"StartAt": "Start", "States": {"Start": {"Type": "Task",
        "Resource": "arn:aws:states:::states:startExecution.sync",
        "Parameters": {"StateMachineArn.$": "$.arn"},
        "Catch": [{"ErrorEquals": ["States.TaskFailed"], "Next": "Caught"}], "End": true},
        "Caught": {"Type": "Pass", "End": true}}}"#;
    let done = run(&e, "catching", def, json!({"arn": child})).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
}

#[tokio::test]
async fn a_machine_that_does_not_exist_is_the_sdk_exception() {
    // TestTaskServiceSfn_test_start_execution_no_such_arn records this error and cause.
    let e = engine();
    let missing = "arn:aws:states:us-east-1:123456789012:stateMachine:nope";
    let done = run(
        &e,
        "parent",
        &parent("arn:aws:states:::states:startExecution"),
        json!({"arn": missing, "input": null, "name": "TestStartTarget"}),
    )
    .await;
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(
        done.error.as_deref(),
        Some("StepFunctions.StateMachineDoesNotExistException")
    );
    let cause = done.cause.unwrap();
    assert!(
        cause.starts_with(&format!("State Machine Does Not Exist: '{missing}' (Service: AWSStepFunctions; Status Code: 400; Error Code: StateMachineDoesNotExist; Request ID: ")),
        "{cause}"
    );
    assert!(cause.ends_with("; Proxy: null)"), "{cause}");
}

#[tokio::test]
async fn wait_for_task_token_waits_for_the_childs_answer() {
    let e = engine();
    let child = e.create_state_machine_json("child", CHILD).unwrap();
    let def = r#"{"StartAt": "Start", "States": {"Start": {"Type": "Task",
        "Resource": "arn:aws:states:::states:startExecution.waitForTaskToken",
        "Parameters": {"StateMachineArn.$": "$.arn", "Input": {"token.$": "$$.Task.Token"}},
        "End": true}}}"#;
    let arn = e.create_state_machine_json("parent", def).unwrap();
    let started = e
        .start_execution(&arn, StartExecution::new(json!({"arn": child})))
        .await
        .unwrap();
    until(|| e.list_executions(Some(&child)).len() == 1).await;
    let kid = e.list_executions(Some(&child)).remove(0);
    let kid = e
        .get_execution(&kid.execution_arn)
        .unwrap()
        .wait()
        .await
        .unwrap();
    let token = kid.output.unwrap()["got"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    settle().await;
    assert_eq!(started.describe().status, ExecutionStatus::Running);
    e.send_task_success(&token, json!({"answered": true}))
        .unwrap();
    let done = started.wait().await.unwrap();
    assert_eq!(done.output, Some(json!({"answered": true})));
}

#[tokio::test]
async fn mocks_and_handlers_take_precedence() {
    let e = engine();
    let child = e.create_state_machine_json("child", CHILD).unwrap();
    e.register_handler(
        "arn:aws:states:::states:startExecution.sync",
        |_: TaskRequest| async { Ok(json!({"handled": true})) },
    );
    let done = run(
        &e,
        "parent",
        &parent("arn:aws:states:::states:startExecution.sync"),
        json!({"arn": child, "input": {}, "name": "n"}),
    )
    .await;
    assert_eq!(done.output, Some(json!({"handled": true})));
    assert!(e.list_executions(Some(&child)).is_empty());
}

#[tokio::test]
async fn stopping_the_parent_stops_a_sync_child() {
    let clock = Arc::new(VirtualClock::manual(chrono::Utc::now()));
    let e = LocalEngine::with_clock(clock);
    let slow =
        r#"{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": true}}}"#;
    let child = e.create_state_machine_json("slow", slow).unwrap();
    let arn = e
        .create_state_machine_json(
            "parent",
            &parent("arn:aws:states:::states:startExecution.sync"),
        )
        .unwrap();
    let started = e
        .start_execution(
            &arn,
            StartExecution::new(json!({"arn": child, "input": {}, "name": "kid"})),
        )
        .await
        .unwrap();
    until(|| e.list_executions(Some(&child)).len() == 1).await;
    started.stop(None, None).unwrap();
    let kid = e.list_executions(Some(&child)).remove(0).execution_arn;
    let kid = e.get_execution(&kid).unwrap().wait().await.unwrap();
    assert_eq!(kid.status, ExecutionStatus::Aborted);
}

#[tokio::test]
async fn jsonata_arguments_start_the_child() {
    let e = engine();
    let child = e.create_state_machine_json("child", CHILD).unwrap();
    let def = r#"{"QueryLanguage": "JSONata", "StartAt": "Start", "States": {"Start": {"Type": "Task",
        "Resource": "arn:aws:states:::states:startExecution.sync:2",
        "Arguments": {"StateMachineArn": "{% $states.input.arn %}", "Input": {"n": "{% 1 + 1 %}"}},
        "Output": "{% $states.result.Output %}", "End": true}}}"#;
    let done = run(&e, "parent", def, json!({"arn": child})).await;
    assert_eq!(done.output, Some(json!({"got": {"n": 2}})));
}

#[tokio::test]
async fn an_express_child_runs_to_its_end_under_sync() {
    let e = engine();
    let child = e
        .create_state_machine_json_of_type(
            "fast",
            CHILD,
            sfn_runtime::core::model::ExecutionType::Express,
        )
        .unwrap();
    let done = run(
        &e,
        "parent",
        &parent("arn:aws:states:::states:startExecution.sync:2"),
        json!({"arn": child, "input": {"k": 1}, "name": "n"}),
    )
    .await;
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    assert_eq!(done.output.unwrap()["Output"], json!({"got": {"k": 1}}));
}

#[tokio::test]
async fn the_sdk_integration_starts_the_child_too() {
    // TestTaskServiceAwsSdk_test_sfn_start_execution_implicit_json_serialisation: an
    // object Input reaches the child as that object.
    let e = engine();
    let child = e.create_state_machine_json("child", CHILD).unwrap();
    let done = run(
        &e,
        "parent",
        &parent("arn:aws:states:::aws-sdk:sfn:startExecution"),
        json!({"arn": child, "input": {"key": "value"}, "name": "kid"}),
    )
    .await;
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    let out = done.output.unwrap();
    assert_eq!(keys(&out), ["ExecutionArn", "StartDate"]);
    assert!(out["StartDate"].is_string(), "{out}");
    let kid = e
        .get_execution(out["ExecutionArn"].as_str().unwrap())
        .unwrap()
        .wait()
        .await
        .unwrap();
    assert_eq!(kid.output, Some(json!({"got": {"key": "value"}})));

    let missing = "arn:aws:states:us-east-1:123456789012:stateMachine:nope";
    let done = run(
        &e,
        "parent2",
        &parent("arn:aws:states:::aws-sdk:sfn:startExecution"),
        json!({"arn": missing, "input": {}, "name": "kid"}),
    )
    .await;
    assert_eq!(
        done.error.as_deref(),
        Some("Sfn.StateMachineDoesNotExistException")
    );
    let cause = done.cause.unwrap();
    assert!(
        cause.starts_with(&format!(
            "State Machine Does Not Exist: '{missing}' (Service: Sfn, Status Code: 400, Request ID: "
        )),
        "{cause}"
    );
}
