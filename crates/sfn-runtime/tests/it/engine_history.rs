//! `previousEventId` under Parallel: each event follows the last event of its own
//! branch, even when a sibling branch recorded events in between.

use std::time::Duration;

use serde_json::json;
use sfn_runtime::local::{EventType, ExecutionStatus, History, StartExecution, TaskRequest};

use crate::support::{engine, find, history, run, until};

const SLOW: &str = "arn:aws:lambda:us-east-1:123456789012:function:slow";

/// Branch `Slow` calls `resource`; branch `Quick` runs three Pass states while it waits.
fn two_branches(resource: &str) -> String {
    format!(
        r#"{{"StartAt": "Both", "States": {{"Both": {{"Type": "Parallel", "End": true, "Branches": [
            {{"StartAt": "Slow", "States": {{"Slow": {{"Type": "Task", "Resource": "{resource}", "End": true}}}}}},
            {{"StartAt": "Q1", "States": {{
                "Q1": {{"Type": "Pass", "Next": "Q2"}},
                "Q2": {{"Type": "Pass", "Next": "Q3"}},
                "Q3": {{"Type": "Pass", "End": true}}}}}}]}}}}}}"#
    )
}

/// The id of the first event of type `ty`.
fn id_of(history: &History, ty: EventType) -> u64 {
    find(history, ty).id
}

/// The last event of the branch `Quick`.
fn quick_last(history: &History) -> u64 {
    history
        .events()
        .iter()
        .filter(|e| e.event_type == EventType::PassStateExited)
        .map(|e| e.id)
        .max()
        .unwrap_or(0)
}

#[tokio::test]
async fn a_task_answered_while_a_sibling_branch_moves_on_follows_its_own_events() {
    let engine = engine();
    engine.register_handler(SLOW, |req: TaskRequest| async move {
        tokio::time::sleep(Duration::from_millis(30)).await;
        Ok(req.input)
    });
    let done = run(&engine, "interleaved", &two_branches(SLOW), json!({"x": 1})).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    let h = history(&engine, &done.execution_arn);
    let started = id_of(&h, EventType::LambdaFunctionStarted);
    let succeeded = find(&h, EventType::LambdaFunctionSucceeded);
    // The sibling recorded its events while the call was out.
    assert!(quick_last(&h) > started && quick_last(&h) < succeeded.id);
    assert_eq!(succeeded.previous_event_id, started);
    assert_eq!(
        find(&h, EventType::TaskStateExited).previous_event_id,
        succeeded.id
    );
}

#[tokio::test]
async fn an_activity_taken_while_a_sibling_branch_moves_on_follows_its_own_events() {
    let engine = engine();
    let activity = engine.create_activity("slow").unwrap();
    let arn = engine
        .create_state_machine_json("interleaved", &two_branches(&activity))
        .unwrap();
    let run = engine
        .start_execution(&arn, StartExecution::new(json!({"x": 1})))
        .await
        .unwrap();
    // Let the quick branch finish before a worker takes the task.
    until(|| quick_last(&run.history()) > 0).await;
    let task = engine
        .get_activity_task(&activity, Duration::from_secs(5))
        .await
        .unwrap()
        .unwrap();
    engine
        .send_task_success(&task.task_token, json!("ok"))
        .unwrap();
    let done = run.wait().await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    let h = run.history();
    let scheduled = id_of(&h, EventType::ActivityScheduled);
    let started = find(&h, EventType::ActivityStarted);
    assert!(quick_last(&h) > scheduled && quick_last(&h) < started.id);
    assert_eq!(started.previous_event_id, scheduled);
    assert_eq!(
        find(&h, EventType::ActivitySucceeded).previous_event_id,
        started.id
    );
}

#[tokio::test]
async fn a_callback_task_submitted_while_a_sibling_branch_moves_on_follows_its_own_events() {
    const CALLBACK: &str = "arn:aws:states:::sqs:sendMessage.waitForTaskToken";
    let engine = engine();
    let answerer = engine.clone();
    engine.register_handler(CALLBACK, move |req: TaskRequest| {
        let engine = answerer.clone();
        async move {
            tokio::time::sleep(Duration::from_millis(30)).await;
            let token = req.task_token.clone().unwrap_or_default();
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(30)).await;
                let _ = engine.send_task_success(&token, json!("answered"));
            });
            Ok(json!({"MessageId": "m"}))
        }
    });
    let done = run(
        &engine,
        "interleaved",
        &two_branches(CALLBACK),
        json!({"x": 1}),
    )
    .await;
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    let h = history(&engine, &done.execution_arn);
    let started = id_of(&h, EventType::TaskStarted);
    let submitted = find(&h, EventType::TaskSubmitted);
    assert!(quick_last(&h) > started && quick_last(&h) < submitted.id);
    assert_eq!(submitted.previous_event_id, started);
    assert_eq!(
        find(&h, EventType::TaskSucceeded).previous_event_id,
        submitted.id
    );
}

/// A task that fails without an error name: AWS leaves `error` out of every event that
/// reports the failure and out of the execution's description, rather than answering an
/// empty name.
#[tokio::test]
async fn a_failure_without_an_error_name_has_no_error_member() {
    let engine = engine();
    engine.register_handler(
        "arn:aws:states:::sqs:sendMessage",
        |_req: TaskRequest| async move {
            Err::<serde_json::Value, _>(sfn_runtime::activity::TaskFailure {
                error: String::new(),
                cause: None,
            })
        },
    );
    let task = r#"{"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": true}"#;
    let def = format!(
        r#"{{"StartAt": "Branches", "States": {{
            "Branches": {{"Type": "Parallel", "End": true, "Branches": [
                {{"StartAt": "Items", "States": {{"Items": {{"Type": "Map", "End": true,
                    "ItemProcessor": {{"StartAt": "Work", "States": {{"Work": {task}}}}}}}}}}}
            ]}}}}}}"#
    );
    let done = run(&engine, "nameless", &def, json!([1])).await;
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!((done.error.as_deref(), done.cause.as_deref()), (None, None));
    let h = history(&engine, &done.execution_arn);
    let failures: Vec<_> = h
        .to_json()
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["type"].as_str().is_some_and(|t| t.ends_with("Failed")))
        .cloned()
        .collect();
    let types: Vec<_> = failures.iter().map(|e| e["type"].clone()).collect();
    assert_eq!(
        types,
        [
            "TaskFailed",
            "MapIterationFailed",
            "MapStateFailed",
            "ParallelStateFailed",
            "ExecutionFailed"
        ]
    );
    for e in &failures {
        let details = e
            .as_object()
            .and_then(|m| m.iter().find(|(k, _)| k.ends_with("EventDetails")))
            .map(|(_, d)| d.clone());
        if let Some(d) = details {
            assert!(d.get("error").is_none(), "{e}");
        }
    }
}

#[tokio::test]
async fn a_failed_map_or_parallel_state_event_has_no_details() {
    // AWS records `MapStateFailed` and `ParallelStateFailed` without details; the error is
    // the execution's, or the catcher's.
    let def = r#"{"StartAt": "P", "States": {
        "P": {"Type": "Parallel", "Next": "M", "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": null, "Next": "M"}],
            "Branches": [{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E", "Cause": "c"}}}]},
        "M": {"Type": "Map", "ItemsPath": "$.items", "End": true,
            "ItemProcessor": {"StartAt": "G", "States": {"G": {"Type": "Fail", "Error": "E", "Cause": "c"}}}}}}"#;
    let engine = engine();
    let done = run(&engine, "m", def, json!({"items": [1]})).await;
    assert_eq!(done.status, ExecutionStatus::Failed);
    let h = history(&engine, &done.execution_arn);
    for ty in [EventType::ParallelStateFailed, EventType::MapStateFailed] {
        let event = find(&h, ty).to_json();
        let keys: Vec<&String> = event
            .as_object()
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        assert!(
            keys.iter().all(|k| !k.ends_with("EventDetails")),
            "{ty:?}: {event}"
        );
    }
}

#[tokio::test]
async fn a_retried_map_or_parallel_attempt_records_no_failed_event() {
    // As AWS records it: each attempt starts again (`MapStateStarted`), and only the
    // attempt no retrier takes closes with `MapStateFailed` (`ParallelStateFailed`).
    let retry = r#""Retry": [{"ErrorEquals": ["E"], "IntervalSeconds": 1, "MaxAttempts": 2}]"#;
    let fail = r#"{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E", "Cause": "c"}}}"#;
    for (def, started, failed) in [
        (
            format!(
                r#"{{"StartAt": "M", "States": {{"M": {{"Type": "Map", "ItemsPath": "$.items", "End": true, {retry}, "ItemProcessor": {fail}}}}}}}"#
            ),
            "MapStateStarted",
            "MapStateFailed",
        ),
        (
            format!(
                r#"{{"StartAt": "P", "States": {{"P": {{"Type": "Parallel", "End": true, {retry}, "Branches": [{fail}]}}}}}}"#
            ),
            "ParallelStateStarted",
            "ParallelStateFailed",
        ),
    ] {
        let engine = engine();
        let done = run(&engine, "m", &def, json!({"items": [1]})).await;
        assert_eq!(done.status, ExecutionStatus::Failed);
        let h = history(&engine, &done.execution_arn);
        let types = crate::support::types(&h);
        assert_eq!(
            types.iter().filter(|t| **t == started).count(),
            3,
            "{types:?}"
        );
        assert_eq!(
            types.iter().filter(|t| **t == failed).count(),
            1,
            "{types:?}"
        );
        assert_eq!(types[types.len() - 2], failed, "{types:?}");
    }
}

#[tokio::test]
async fn task_events_name_a_service_integration_by_its_action() {
    // As AWS records them: `resource` is what follows the service in the ARN, the
    // pattern suffix included; a Lambda function called directly keeps its ARN.
    let def = r#"{"StartAt": "A", "States": {
        "A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"}, "Next": "B"},
        "B": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:getObject", "Parameters": {"Bucket": "b", "Key": "k"}, "Next": "C"},
        "C": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "End": true}}}"#;
    let engine = engine();
    let arn = engine.create_state_machine_json("m", def).unwrap();
    let mocks = sfn_runtime::local::Mocks::from_value(&json!({
        "A": {"0": {"Return": {"Payload": 1}}},
        "B": {"0": {"Return": {"Body": "x"}}},
        "C": {"0": {"Return": 2}}
    }))
    .unwrap();
    let run = engine
        .start_execution(&arn, StartExecution::new(json!({})).mocks(mocks))
        .await
        .unwrap();
    let done = run.wait().await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    let h = history(&engine, &done.execution_arn);
    let scheduled: Vec<(String, String)> = h
        .events()
        .iter()
        .filter(|e| {
            matches!(
                e.event_type,
                EventType::TaskScheduled | EventType::LambdaFunctionScheduled
            )
        })
        .map(|e| {
            let j = e.to_json();
            let d = j
                .as_object()
                .and_then(|m| m.iter().find(|(k, _)| k.ends_with("EventDetails")))
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            (
                d["resourceType"].as_str().unwrap_or("-").to_owned(),
                d["resource"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        scheduled,
        vec![
            ("lambda".to_owned(), "invoke".to_owned()),
            ("aws-sdk:s3".to_owned(), "getObject".to_owned()),
            (
                "-".to_owned(),
                "arn:aws:lambda:us-east-1:123456789012:function:f".to_owned()
            ),
        ]
    );
}

#[tokio::test]
async fn a_state_exit_shows_the_variables_it_assigned() {
    // As AWS records it: `assignedVariables` (each value as JSON text) on the exit event
    // of a state with `Assign`, none on the others.
    let def = r#"{"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Assign": {"n": 1, "s.$": "$.s"}, "Next": "B"},
        "B": {"Type": "Pass", "End": true}}}"#;
    let engine = engine();
    let done = run(&engine, "m", def, json!({"s": "x"})).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    let h = history(&engine, &done.execution_arn);
    let exits: Vec<serde_json::Value> = h
        .events()
        .iter()
        .filter(|e| e.event_type == EventType::PassStateExited)
        .map(|e| e.to_json()["stateExitedEventDetails"].clone())
        .collect();
    assert_eq!(
        exits[0]["assignedVariables"],
        json!({"n": "1", "s": "\"x\""})
    );
    assert_eq!(
        exits[0]["assignedVariablesDetails"],
        json!({"truncated": false})
    );
    assert!(exits[1].get("assignedVariables").is_none(), "{}", exits[1]);
}

#[tokio::test]
async fn a_map_state_closes_as_aws_chains_its_events() {
    // As AWS records it: `MapStateExited` follows the event before `MapStateSucceeded`,
    // and `MapStateFailed` the failed iteration's last state event, not its
    // `MapIterationFailed`.
    let ok = r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
        "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}}}"#;
    let engine = engine();
    let done = run(&engine, "ok", ok, json!([1])).await;
    let h = history(&engine, &done.execution_arn);
    let succeeded = find(&h, EventType::MapStateSucceeded);
    let exited = find(&h, EventType::MapStateExited);
    assert_eq!(exited.previous_event_id, succeeded.previous_event_id);

    let failing = r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
        "ItemProcessor": {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E"}}}}}}"#;
    let done = run(&engine, "failing", failing, json!([1])).await;
    let h = history(&engine, &done.execution_arn);
    let fail_entered = find(&h, EventType::FailStateEntered);
    let iteration_failed = find(&h, EventType::MapIterationFailed);
    let map_failed = find(&h, EventType::MapStateFailed);
    assert_eq!(iteration_failed.previous_event_id, fail_entered.id);
    assert_eq!(map_failed.previous_event_id, fail_entered.id);
}
