//! Executions on the embedded engine, through its API: starting (input and name rules,
//! idempotency), describing, stopping, listing, history, the history limit, machine
//! timeouts, the virtual clock, and handlers for `.sync` and `.waitForTaskToken`.

use std::time::Duration;

use serde_json::{Value, json};
use sfn_runtime::core::model::IntegrationPattern;
use sfn_runtime::local::{
    Clock, Error, EventType, ExecutionStatus, LocalEngine, MAX_HISTORY_EVENTS, StartExecution,
    StateMachineStatus, TaskRequest, UpdateStateMachine,
};

use crate::support::{chain, history, manual_engine, run, settle, types, until, virtual_engine};

const PASS: &str = r#"{"StartAt": "A", "States": {
    "A": {"Type": "Pass", "Next": "B"},
    "B": {"Type": "Pass", "Result": {"done": true}, "End": true}}}"#;

/// The recorded case `TestSnfApi_test_stop_execution` (WAIT_1_MIN): a Wait of 60 s
/// that AWS's test stops while it waits.
const WAIT_1_MIN: &str = r#"{"Comment": "WAIT_1_MIN", "StartAt": "State_1", "States": {
    "State_1": {"Type": "Wait", "Seconds": 60, "Next": "State_2"},
    "State_2": {"Type": "Pass", "Result": {"Arg1": "argument1"}, "End": true}}}"#;

#[tokio::test]
async fn input_must_be_json_within_256_kib() {
    let (engine, _) = virtual_engine();
    let arn = engine.create_state_machine_json("pass", PASS).unwrap();
    let bad = engine
        .start_execution(&arn, StartExecution::from_json("{not json"))
        .await;
    assert!(
        matches!(bad, Err(Error::InvalidExecutionInput { .. })),
        "{bad:?}"
    );
    let big = format!("\"{}\"", "x".repeat(262_144));
    let bad = engine
        .start_execution(&arn, StartExecution::from_json(big))
        .await;
    assert!(matches!(bad, Err(Error::InvalidExecutionInput { .. })));
    let bad = engine
        .start_execution(&arn, StartExecution::new(json!("x".repeat(262_144))))
        .await;
    assert!(matches!(bad, Err(Error::InvalidExecutionInput { .. })));
    // Just within the limit: 262,144 bytes of JSON text.
    let edge = format!("\"{}\"", "x".repeat(262_142));
    let run = engine
        .start_execution(&arn, StartExecution::from_json(edge))
        .await
        .unwrap();
    assert_eq!(run.wait().await.unwrap().status, ExecutionStatus::Succeeded);
    let run = engine
        .start_execution(&arn, StartExecution::from_json(r#"{"a": [1, 2]}"#))
        .await
        .unwrap();
    assert_eq!(run.describe().input, json!({"a": [1, 2]}));
}

#[tokio::test]
async fn names_follow_aws_rules() {
    let (engine, _) = virtual_engine();
    let arn = engine.create_state_machine_json("pass", PASS).unwrap();
    for name in [
        "",
        "has space",
        "a*b",
        "a/b",
        "a{b",
        "tab\there",
        &"n".repeat(81),
    ] {
        let r = engine
            .start_execution(&arn, StartExecution::new(json!({})).name(name))
            .await;
        assert!(
            matches!(r, Err(Error::InvalidName { .. })),
            "{name:?}: {r:?}"
        );
    }
    let run = engine
        .start_execution(&arn, StartExecution::new(json!({})).name("n".repeat(80)))
        .await
        .unwrap();
    assert!(run.arn().ends_with(&format!(":pass:{}", "n".repeat(80))));
    assert!(matches!(
        engine.create_state_machine_json("bad name", PASS),
        Err(Error::InvalidName { .. })
    ));
    assert!(matches!(
        engine
            .start_execution(
                "arn:aws:states:us-east-1:123456789012:stateMachine:none",
                StartExecution::new(json!({}))
            )
            .await,
        Err(Error::StateMachineDoesNotExist { .. })
    ));
}

#[tokio::test]
async fn a_name_is_idempotent_only_while_running_with_the_same_input() {
    let (engine, _) = manual_engine();
    let arn = engine
        .create_state_machine_json("wait", WAIT_1_MIN)
        .unwrap();
    let first = engine
        .start_execution(&arn, StartExecution::new(json!({"k": 1})).name("once"))
        .await
        .unwrap();
    // Same name, same input, still running: the same execution.
    let again = engine
        .start_execution(&arn, StartExecution::new(json!({"k": 1})).name("once"))
        .await
        .unwrap();
    assert_eq!(again.arn(), first.arn());
    assert_eq!(engine.list_executions(Some(&arn)).len(), 1);
    // Another input: refused.
    let other = engine
        .start_execution(&arn, StartExecution::new(json!({"k": 2})).name("once"))
        .await;
    assert!(matches!(other, Err(Error::ExecutionAlreadyExists { .. })));
    // Once closed, even the same input is refused.
    first.stop(None, None).unwrap();
    first.wait().await.unwrap();
    let after = engine
        .start_execution(&arn, StartExecution::new(json!({"k": 1})).name("once"))
        .await;
    assert!(matches!(after, Err(Error::ExecutionAlreadyExists { .. })));
}

#[tokio::test]
async fn stop_during_a_wait_aborts() {
    // TestSnfApi_test_stop_execution, with the stop the corpus cannot express.
    let (engine, clock) = manual_engine();
    let arn = engine
        .create_state_machine_json("wait_1_min", WAIT_1_MIN)
        .unwrap();
    let run = engine
        .start_execution(&arn, StartExecution::new(json!({})))
        .await
        .unwrap();
    until(|| clock.pending_sleeps() == 1).await;
    assert_eq!(run.describe().status, ExecutionStatus::Running);
    let stopped_at = engine
        .stop_execution(run.arn(), Some("Halt".into()), Some("enough".into()))
        .unwrap();
    let done = run.wait().await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Aborted);
    assert_eq!(done.stop_date, Some(stopped_at));
    assert_eq!(done.error.as_deref(), Some("Halt"));
    assert_eq!(done.cause.as_deref(), Some("enough"));
    assert_eq!(done.output, None);
    let history = run.history();
    let types = types(&history);
    assert_eq!(
        types,
        ["ExecutionStarted", "WaitStateEntered", "ExecutionAborted"]
    );
    let aborted = history.events()[2].to_json();
    assert_eq!(
        aborted["executionAbortedEventDetails"],
        json!({"error": "Halt", "cause": "enough"})
    );
    // Time moving on changes nothing, and a second stop keeps the first one's date.
    clock.advance(Duration::from_secs(120));
    settle().await;
    assert_eq!(run.history().len(), 3);
    assert_eq!(engine.stop_execution(run.arn(), None, None), Ok(stopped_at));
}

#[tokio::test]
async fn stop_with_an_activity_task_outstanding() {
    let (engine, _) = virtual_engine();
    let activity = engine.create_activity("work").unwrap();
    let def = format!(
        r#"{{"StartAt": "A", "States": {{"A": {{"Type": "Task", "Resource": "{activity}", "End": true}}}}}}"#
    );
    let arn = engine.create_state_machine_json("act", &def).unwrap();
    let run = engine
        .start_execution(&arn, StartExecution::new(json!({"x": 1})))
        .await
        .unwrap();
    let task = engine
        .poll_activity_task(&activity, Some("w"))
        .await
        .unwrap()
        .expect("a task");
    until(|| run.history().len() == 4).await;
    run.stop(None, None).unwrap();
    let done = run.wait().await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Aborted);
    // As on AWS, the token of a stopped execution's task has timed out.
    until(|| engine.send_task_success(&task.task_token, json!(1)) == Err(Error::TaskTimedOut))
        .await;
    let last = run.history().events().last().map(|e| e.event_type);
    assert_eq!(last, Some(EventType::ExecutionAborted));
    // The Task in flight is aborted, then the execution; each event follows the last.
    assert_eq!(
        chain(&run.history()),
        [
            (1, 0, "ExecutionStarted"),
            (2, 0, "TaskStateEntered"),
            (3, 2, "ActivityScheduled"),
            (4, 3, "ActivityStarted"),
            (5, 4, "TaskStateAborted"),
            (6, 5, "ExecutionAborted"),
        ]
    );
}

/// Polls `activity` until `n` tasks are taken and their `ActivityStarted` is recorded.
async fn take_tasks(engine: &LocalEngine, activity: &str, run_arn: &str, n: usize) {
    for _ in 0..n {
        let task = engine
            .poll_activity_task(activity, Some("w"))
            .await
            .unwrap_or_else(|e| panic!("poll: {e}"));
        assert!(task.is_some());
    }
    until(|| {
        engine.get_execution_history(run_arn).is_ok_and(|h| {
            h.events()
                .iter()
                .filter(|e| e.event_type == EventType::ActivityStarted)
                .count()
                == n
        })
    })
    .await;
}

#[tokio::test]
async fn stop_during_an_inline_map_aborts_each_iteration_then_the_map() {
    let (engine, _) = virtual_engine();
    let activity = engine.create_activity("each").unwrap();
    let def = format!(
        r#"{{"StartAt": "Each", "States": {{"Each": {{"Type": "Map", "ItemsPath": "$.items",
            "ItemProcessor": {{"StartAt": "Work", "States": {{"Work": {{"Type": "Task", "Resource": "{activity}", "End": true}}}}}},
            "End": true}}}}}}"#
    );
    let arn = engine.create_state_machine_json("inline", &def).unwrap();
    let run = engine
        .start_execution(&arn, StartExecution::new(json!({"items": [1, 2]})))
        .await
        .unwrap();
    take_tasks(&engine, &activity, run.arn(), 2).await;
    run.stop(None, None).unwrap();
    let done = run.wait().await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Aborted);
    let history = run.history();
    let events = history.events();
    let of = |ty: EventType| events.iter().filter(move |e| e.event_type == ty);
    assert_eq!(of(EventType::TaskStateAborted).count(), 2);
    assert_eq!(of(EventType::MapIterationAborted).count(), 2);
    // Each iteration's abort follows its Task's.
    for it in of(EventType::MapIterationAborted) {
        let before = &events[(it.previous_event_id - 1) as usize];
        assert_eq!(before.event_type, EventType::TaskStateAborted);
        assert_eq!(
            it.to_json()["mapIterationAbortedEventDetails"]["name"],
            "Each"
        );
    }
    let n = events.len();
    assert_eq!(events[n - 2].event_type, EventType::MapStateAborted);
    assert_eq!(events[n - 1].event_type, EventType::ExecutionAborted);
    assert_eq!(events[n - 1].previous_event_id, events[n - 2].id);
    assert!(of(EventType::MapIterationFailed).next().is_none());
}

#[tokio::test]
async fn stop_during_a_parallel_aborts_its_branches_then_the_parallel() {
    let (engine, clock) = manual_engine();
    let activity = engine.create_activity("branch").unwrap();
    let def = format!(
        r#"{{"StartAt": "Both", "States": {{"Both": {{"Type": "Parallel", "End": true, "Branches": [
            {{"StartAt": "Work", "States": {{"Work": {{"Type": "Task", "Resource": "{activity}", "End": true}}}}}},
            {{"StartAt": "Nap", "States": {{"Nap": {{"Type": "Wait", "Seconds": 60, "End": true}}}}}}]}}}}}}"#
    );
    let arn = engine.create_state_machine_json("both", &def).unwrap();
    let run = engine
        .start_execution(&arn, StartExecution::new(json!({})))
        .await
        .unwrap();
    take_tasks(&engine, &activity, run.arn(), 1).await;
    until(|| clock.pending_sleeps() == 1).await;
    run.stop(None, None).unwrap();
    let done = run.wait().await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Aborted);
    let history = run.history();
    let types = types(&history);
    let n = types.len();
    assert_eq!(
        types[n - 3..],
        [
            "TaskStateAborted",
            "ParallelStateAborted",
            "ExecutionAborted"
        ]
    );
    // As AWS records a stop during a Wait: no WaitStateAborted.
    assert!(!types.contains(&"WaitStateAborted"));
    let events = history.events();
    assert_eq!(events[n - 1].previous_event_id, events[n - 2].id);
    assert!(!types.contains(&"ParallelStateFailed"));
}

#[tokio::test]
async fn describe_list_and_filter_by_status() {
    let (engine, _) = manual_engine();
    let pass = engine.create_state_machine_json("pass", PASS).unwrap();
    let wait = engine
        .create_state_machine_json("wait", WAIT_1_MIN)
        .unwrap();
    let done = engine
        .start_execution(&pass, StartExecution::new(json!({"in": 1})).name("p1"))
        .await
        .unwrap();
    done.wait().await.unwrap();
    let running = engine
        .start_execution(&wait, StartExecution::new(json!({})).name("w1"))
        .await
        .unwrap();
    let d = engine.describe_execution(done.arn()).unwrap();
    assert_eq!(d.name, "p1");
    assert_eq!(d.state_machine_arn, pass);
    assert_eq!(d.status, ExecutionStatus::Succeeded);
    assert_eq!(d.input, json!({"in": 1}));
    assert_eq!(d.output, Some(json!({"done": true})));
    assert!(d.stop_date.is_some_and(|s| s >= d.start_date));
    assert_eq!(
        d.to_json(),
        json!({"status": "SUCCEEDED", "output": {"done": true}})
    );
    let all = engine.list_executions(None);
    assert_eq!(all.len(), 2);
    let names = |s| {
        engine
            .list_executions_with_status(None, Some(s))
            .into_iter()
            .map(|d| d.name)
            .collect::<Vec<_>>()
    };
    assert_eq!(names(ExecutionStatus::Succeeded), ["p1"]);
    assert_eq!(names(ExecutionStatus::Running), ["w1"]);
    assert!(names(ExecutionStatus::Failed).is_empty());
    assert_eq!(
        engine
            .list_executions_with_status(Some(&wait), Some(ExecutionStatus::Succeeded))
            .len(),
        0
    );
    running.stop(None, None).unwrap();
    running.wait().await.unwrap();
    assert_eq!(names(ExecutionStatus::Aborted), ["w1"]);
    assert!(matches!(
        engine.describe_execution("arn:aws:states:us-east-1:123456789012:execution:x:y"),
        Err(Error::ExecutionDoesNotExist { .. })
    ));
}

#[tokio::test]
async fn history_has_aws_ids_and_details() {
    let (engine, _) = virtual_engine();
    let done = run(&engine, "pass", PASS, json!({"a": 1})).await;
    let history = history(&engine, &done.execution_arn);
    assert_eq!(
        chain(&history),
        [
            (1, 0, "ExecutionStarted"),
            (2, 0, "PassStateEntered"),
            (3, 2, "PassStateExited"),
            (4, 3, "PassStateEntered"),
            (5, 4, "PassStateExited"),
            (6, 5, "ExecutionSucceeded"),
        ]
    );
    let json = history.to_json();
    assert_eq!(
        json[0]["executionStartedEventDetails"]["input"],
        json!(r#"{"a":1}"#)
    );
    assert_eq!(
        json[3]["stateEnteredEventDetails"],
        json!({"name": "B", "input": r#"{"a":1}"#, "inputDetails": {"truncated": false}})
    );
    assert_eq!(
        json[5]["executionSucceededEventDetails"]["output"],
        json!(r#"{"done":true}"#)
    );
}

#[tokio::test]
async fn the_history_limit_fails_the_execution_at_event_25000() {
    let (engine, _) = virtual_engine();
    let def = r#"{"StartAt": "Loop", "States": {
        "Loop": {"Type": "Pass", "Next": "Check"},
        "Check": {"Type": "Choice", "Choices": [{"Variable": "$.stop", "IsPresent": true, "Next": "Done"}], "Default": "Loop"},
        "Done": {"Type": "Succeed"}}}"#;
    let done = run(&engine, "forever", def, json!({})).await;
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some("States.Runtime"));
    let history = history(&engine, &done.execution_arn);
    assert_eq!(history.len(), MAX_HISTORY_EVENTS);
    let last = &history.events()[MAX_HISTORY_EVENTS - 1];
    assert_eq!(last.id, 25_000);
    assert_eq!(last.event_type, EventType::ExecutionFailed);
}

#[tokio::test]
async fn an_execution_ending_at_event_25000_succeeds() {
    // ExecutionStarted + 12,499 Pass states (2 events each) + ExecutionSucceeded.
    let (engine, _) = virtual_engine();
    let def = r#"{"StartAt": "Init", "States": {
        "Init": {"Type": "Pass", "Result": {"n": 1}, "Next": "Check"},
        "Check": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThanEquals": 6249, "Next": "Done"}], "Default": "Inc"},
        "Inc": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, 1)"}, "Next": "Check"},
        "Done": {"Type": "Succeed"}}}"#;
    let done = run(&engine, "edge", def, json!({})).await;
    let history = history(&engine, &done.execution_arn);
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    assert_eq!(history.len(), MAX_HISTORY_EVENTS);
    assert_eq!(
        history.events().last().map(|e| e.event_type),
        Some(EventType::ExecutionSucceeded)
    );
}

#[tokio::test]
async fn machine_timeout_times_the_execution_out() {
    let (engine, clock) = virtual_engine();
    let def = r#"{"TimeoutSeconds": 5, "StartAt": "W", "States": {
        "W": {"Type": "Wait", "Seconds": 10, "End": true}}}"#;
    let start = clock.now();
    let done = run(&engine, "late", def, json!({})).await;
    assert_eq!(done.status, ExecutionStatus::TimedOut);
    assert_eq!(done.error.as_deref(), Some("States.Timeout"));
    assert_eq!(done.stop_date, Some(start + chrono::Duration::seconds(5)));
    assert_eq!(
        history(&engine, &done.execution_arn)
            .events()
            .last()
            .map(|e| e.event_type),
        Some(EventType::ExecutionTimedOut)
    );

    // A task nobody answers: the machine's timeout still ends it.
    let activity = engine.create_activity("nobody").unwrap();
    let def = format!(
        r#"{{"TimeoutSeconds": 30, "StartAt": "T", "States": {{"T": {{"Type": "Task", "Resource": "{activity}", "End": true}}}}}}"#
    );
    let done = run(&engine, "stuck", &def, json!({})).await;
    assert_eq!(done.status, ExecutionStatus::TimedOut);
    assert_eq!(
        done.stop_date.map(|s| s - done.start_date),
        Some(chrono::Duration::seconds(30))
    );
}

#[tokio::test]
async fn the_virtual_clock_makes_waits_instant_and_exact() {
    let (engine, clock) = virtual_engine();
    let def = r#"{"StartAt": "W1", "States": {
        "W1": {"Type": "Wait", "Seconds": 3600, "Next": "W2"},
        "W2": {"Type": "Wait", "Timestamp": "2030-01-01T00:00:00Z", "Next": "Now"},
        "Now": {"Type": "Pass", "Parameters": {"t.$": "$$.State.EnteredTime"}, "End": true}}}"#;
    let started = std::time::Instant::now();
    let done = run(&engine, "waits", def, json!({})).await;
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(done.output, Some(json!({"t": "2030-01-01T00:00:00.000Z"})));
    assert_eq!(clock.now().to_rfc3339(), "2030-01-01T00:00:00+00:00");
}

#[tokio::test]
async fn a_handler_answers_the_sync_pattern() {
    let (engine, _) = virtual_engine();
    engine.register_handler(
        "arn:aws:states:::states:startExecution",
        |req: TaskRequest| async move {
            assert_eq!(req.integration_pattern, IntegrationPattern::Sync);
            Ok(json!({"Status": "SUCCEEDED", "Output": req.input["Input"].to_string(), "Token": req.task_token}))
        },
    );
    let def = r#"{"StartAt": "Child", "States": {"Child": {"Type": "Task",
        "Resource": "arn:aws:states:::states:startExecution.sync",
        "Parameters": {"StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:child",
                       "Input": {"token.$": "$$.Task.Token"}},
        "End": true}}}"#;
    let done = run(&engine, "parent", def, json!({})).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    let out = done.output.unwrap_or_default();
    assert_eq!(out["Status"], json!("SUCCEEDED"));
    // `$$.Task.Token` is the task's token, also for `.sync`.
    let token = out["Token"].as_str().unwrap_or_default().to_owned();
    assert!(!token.is_empty());
    let inner: Value = serde_json::from_str(out["Output"].as_str().unwrap_or("null")).unwrap();
    assert_eq!(inner["token"], json!(token));
}

#[tokio::test]
async fn a_handler_hands_out_the_token_of_a_callback_task() {
    let (engine, clock) = manual_engine();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    engine.register_handler(
        "arn:aws:states:::sqs:sendMessage",
        move |req: TaskRequest| {
            let tx = tx.clone();
            async move {
                assert_eq!(
                    req.integration_pattern,
                    IntegrationPattern::WaitForTaskToken
                );
                let token = req.input["MessageBody"]["token"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned();
                let _ = tx.send(token);
                Ok(json!({"MessageId": "m-1"}))
            }
        },
    );
    let def = r#"{"StartAt": "Ask", "States": {"Ask": {"Type": "Task",
        "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "HeartbeatSeconds": 30,
        "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}},
        "End": true}}}"#;
    let arn = engine.create_state_machine_json("callback", def).unwrap();
    let run = engine
        .start_execution(&arn, StartExecution::new(json!({})))
        .await
        .unwrap();
    let token = rx.recv().await.unwrap_or_default();
    until(|| {
        run.history()
            .events()
            .iter()
            .any(|e| e.event_type == EventType::TaskSubmitted)
    })
    .await;
    clock.advance(Duration::from_secs(20));
    engine.send_task_heartbeat(&token).unwrap();
    engine
        .send_task_success(&token, json!({"answer": 42}))
        .unwrap();
    let done = run.wait().await.unwrap();
    assert_eq!(done.output, Some(json!({"answer": 42})));
    let types = types(&run.history());
    assert_eq!(
        types,
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskSubmitted",
            "TaskSucceeded",
            "TaskStateExited",
            "ExecutionSucceeded"
        ]
    );
}

#[tokio::test]
async fn a_task_result_over_256_kib_names_the_service_or_the_resource() {
    // AWS names a service integration by its service and a Lambda function by its ARN
    // (TestStatesErrors' data-limit cases record both).
    let big = "a".repeat(257 * 1024);
    let function = "arn:aws:lambda:us-east-1:123456789012:function:big";
    for (resource, result, who) in [
        (
            "arn:aws:states:::lambda:invoke",
            json!({"Payload": big, "StatusCode": 200}),
            "lambda",
        ),
        (function, json!(big), function),
    ] {
        let def = format!(
            r#"{{"StartAt": "T", "States": {{"T": {{"Type": "Task", "Resource": "{resource}",
                "Catch": [{{"ErrorEquals": ["States.ALL"], "Next": "C"}}], "End": true}},
                "C": {{"Type": "Pass", "End": true}}}}}}"#
        );
        let (engine, _) = virtual_engine();
        let arn = engine.create_state_machine_json("big", &def).unwrap();
        let mocks = sfn_runtime::local::Mocks::from_value(&json!({"T": {"0": {"Return": result}}}))
            .unwrap();
        let run = engine
            .start_execution(&arn, StartExecution::new(json!({})).mocks(mocks))
            .await
            .unwrap();
        let done = run.wait().await.unwrap();
        assert_eq!(
            done.output,
            Some(json!({
                "Error": "States.DataLimitExceeded",
                "Cause": format!("The state/task '{who}' returned a result with a size exceeding the maximum number of bytes service limit.")
            })),
            "{resource}"
        );
    }
}

/// A machine deleted while an execution runs is `DELETING`, as on AWS: it cannot be
/// started, updated or created again; the execution fails at its next state transition;
/// and the machine goes when the execution has ended.
#[tokio::test]
async fn a_machine_deleted_while_it_runs_is_deleting_until_its_executions_end() {
    let (engine, clock) = manual_engine();
    let arn = engine
        .create_state_machine_json("wait_1_min", WAIT_1_MIN)
        .unwrap();
    let run = engine
        .start_execution(&arn, StartExecution::new(json!({})))
        .await
        .unwrap();
    until(|| clock.pending_sleeps() == 1).await;
    engine.delete_state_machine(&arn);
    let described = engine.describe_state_machine(&arn).unwrap();
    assert_eq!(described.status, StateMachineStatus::Deleting);
    assert_eq!(described.status.as_str(), "DELETING");
    let deleting = Err(Error::StateMachineDeleting { arn: arn.clone() });
    assert_eq!(
        engine
            .start_execution(&arn, StartExecution::new(json!({})))
            .await
            .map(|_| ()),
        deleting
    );
    assert_eq!(
        engine
            .create_state_machine_json("wait_1_min", WAIT_1_MIN)
            .map(drop),
        deleting
    );
    assert_eq!(
        engine
            .update_state_machine(&arn, UpdateStateMachine::new().definition(PASS))
            .map(drop),
        deleting
    );
    // The Wait ends; the next transition fails the execution.
    clock.advance(Duration::from_secs(60));
    let done = run.wait().await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some("States.Runtime"));
    assert_eq!(
        done.cause.as_deref(),
        Some("State machine wait_1_min has been deleted.")
    );
    assert_eq!(
        types(&run.history()),
        [
            "ExecutionStarted",
            "WaitStateEntered",
            "WaitStateExited",
            "ExecutionFailed"
        ]
    );
    until(|| engine.describe_state_machine(&arn).is_err()).await;
    assert_eq!(
        engine.describe_state_machine(&arn).map(drop),
        Err(Error::StateMachineDoesNotExist { arn: arn.clone() })
    );
    // The execution is still described, and the name free again.
    assert_eq!(
        engine.describe_execution(run.arn()).unwrap().status,
        ExecutionStatus::Failed
    );
    engine
        .create_state_machine_json("wait_1_min", PASS)
        .unwrap();
}

/// A machine whose execution is in its last state when it is deleted: the execution ends
/// as it would have (no transition is left), and the machine goes with it.
#[tokio::test]
async fn an_execution_in_its_last_state_ends_as_usual_when_its_machine_is_deleted() {
    let (engine, clock) = manual_engine();
    let def = r#"{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 5, "End": true}}}"#;
    let arn = engine.create_state_machine_json("last_wait", def).unwrap();
    let run = engine
        .start_execution(&arn, StartExecution::new(json!({"n": 1})))
        .await
        .unwrap();
    until(|| clock.pending_sleeps() == 1).await;
    engine.delete_state_machine(&arn);
    clock.advance(Duration::from_secs(5));
    let done = run.wait().await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    until(|| engine.describe_state_machine(&arn).is_err()).await;
    // Deleting a machine none of whose executions runs removes it at once.
    let idle = engine.create_state_machine_json("idle", PASS).unwrap();
    engine.delete_state_machine(&idle);
    assert!(engine.describe_state_machine(&idle).is_err());
}
