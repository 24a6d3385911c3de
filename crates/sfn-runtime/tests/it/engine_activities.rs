//! Activities end to end on the embedded engine: queues, long polls, tokens, heartbeats,
//! timeouts and what the history records, driven by a virtual clock so that every
//! timeout is instant and deterministic.

use std::time::Duration;

use serde_json::json;
use sfn_runtime::local::{Clock, Error, EventType, ExecutionStatus, LocalEngine, StartExecution};

use crate::support::{engine, find, manual_engine, settle, types, until, virtual_engine};

/// Creates the machine `name` whose one state is a Task calling `activity`, with `extra`
/// fields.
fn activity_machine(engine: &LocalEngine, name: &str, activity: &str, extra: &str) -> String {
    let def = format!(
        r#"{{"StartAt": "Work", "States": {{"Work": {{"Type": "Task", "Resource": "{activity}"{extra}, "End": true}}}}}}"#
    );
    engine
        .create_state_machine_json(name, &def)
        .unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test]
async fn a_worker_takes_the_task_and_answers() {
    let engine = engine();
    let activity = engine.create_activity("add").unwrap();
    let machine = activity_machine(
        &engine,
        "adder",
        &activity,
        r#", "TimeoutSeconds": 60, "HeartbeatSeconds": 10"#,
    );
    let run = engine
        .start_execution(&machine, StartExecution::new(json!({"a": 1, "b": 2})))
        .await
        .unwrap();
    let task = engine
        .poll_activity_task(&activity, Some("worker-1"))
        .await
        .unwrap()
        .expect("a task");
    assert_eq!(task.input, json!({"a": 1, "b": 2}));
    engine.send_task_heartbeat(&task.task_token).unwrap();
    engine
        .send_task_success(&task.task_token, json!(3))
        .unwrap();
    let done = run.wait().await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    assert_eq!(done.output, Some(json!(3)));
    assert_eq!(
        types(&run.history()),
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "ActivityScheduled",
            "ActivityStarted",
            "ActivitySucceeded",
            "TaskStateExited",
            "ExecutionSucceeded"
        ]
    );
    // The details AWS records for activities.
    let scheduled = find(&run.history(), EventType::ActivityScheduled).to_json();
    let d = &scheduled["activityScheduledEventDetails"];
    assert_eq!(d["resource"], json!(activity));
    assert_eq!(d["input"], json!(r#"{"a":1,"b":2}"#));
    assert_eq!(d["timeoutInSeconds"], json!(60));
    assert_eq!(d["heartbeatInSeconds"], json!(10));
    let started = find(&run.history(), EventType::ActivityStarted).to_json();
    assert_eq!(
        started["activityStartedEventDetails"],
        json!({"workerName": "worker-1"})
    );
    let succeeded = find(&run.history(), EventType::ActivitySucceeded).to_json();
    assert_eq!(
        succeeded["activitySucceededEventDetails"],
        json!({"output": "3", "outputDetails": {"truncated": false}})
    );
    // The task is over: its token now gets TaskTimedOut, an unknown one InvalidToken.
    assert_eq!(
        engine.send_task_success(&task.task_token, json!(4)),
        Err(Error::TaskTimedOut)
    );
    assert_eq!(
        engine.send_task_heartbeat(&task.task_token),
        Err(Error::TaskTimedOut)
    );
    assert_eq!(
        engine.send_task_success("no-such-token", json!(1)),
        Err(Error::InvalidToken)
    );
}

#[tokio::test]
async fn no_worker_name_records_empty_details() {
    let engine = engine();
    let activity = engine.create_activity("anon").unwrap();
    let machine = activity_machine(&engine, "anon", &activity, "");
    let run = engine
        .start_execution(&machine, StartExecution::new(json!({})))
        .await
        .unwrap();
    let task = engine
        .poll_activity_task(&activity, None)
        .await
        .unwrap()
        .expect("a task");
    engine
        .send_task_success(&task.task_token, json!({}))
        .unwrap();
    run.wait().await.unwrap();
    let started = find(&run.history(), EventType::ActivityStarted).to_json();
    assert_eq!(started["activityStartedEventDetails"], json!({}));
}

#[tokio::test]
async fn a_poll_returns_nothing_after_the_poll_timeout() {
    // Automatic virtual clock: the 60 s poll ends at once when nothing comes.
    let (engine, clock) = virtual_engine();
    let activity = engine.create_activity("idle").unwrap();
    let before = clock.now();
    let polled = engine.poll_activity_task(&activity, None).await.unwrap();
    assert_eq!(polled, None);
    assert_eq!(clock.now() - before, chrono::Duration::seconds(60));

    // Manual clock: the poll is held until the test moves time past 60 s.
    let (engine, clock) = manual_engine();
    let activity = engine.create_activity("idle").unwrap();
    engine.set_activity_poll_timeout(Duration::from_secs(20));
    let poller = {
        let (engine, activity) = (engine.clone(), activity.clone());
        tokio::spawn(async move { engine.poll_activity_task(&activity, None).await })
    };
    until(|| clock.pending_sleeps() == 1).await;
    clock.advance(Duration::from_secs(19));
    settle().await;
    assert!(!poller.is_finished());
    clock.advance(Duration::from_secs(1));
    assert_eq!(poller.await.unwrap(), Ok(None));
}

#[tokio::test]
async fn a_held_poll_gets_a_task_that_comes_later() {
    let (engine, clock) = manual_engine();
    let activity = engine.create_activity("later").unwrap();
    let machine = activity_machine(&engine, "later", &activity, "");
    let poller = {
        let (engine, activity) = (engine.clone(), activity.clone());
        tokio::spawn(async move { engine.poll_activity_task(&activity, Some("w")).await })
    };
    until(|| clock.pending_sleeps() == 1).await;
    let run = engine
        .start_execution(&machine, StartExecution::new(json!({"n": 1})))
        .await
        .unwrap();
    let task = poller.await.unwrap().unwrap().expect("a task");
    assert_eq!(task.input, json!({"n": 1}));
    engine
        .send_task_failure(
            &task.task_token,
            Some("Boom".into()),
            Some("it broke".into()),
        )
        .unwrap();
    let done = run.wait().await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some("Boom"));
    assert_eq!(done.cause.as_deref(), Some("it broke"));
    let failed = find(&run.history(), EventType::ActivityFailed).to_json();
    assert_eq!(
        failed["activityFailedEventDetails"],
        json!({"error": "Boom", "cause": "it broke"})
    );
}

#[tokio::test]
async fn heartbeats_keep_a_task_alive() {
    let (engine, clock) = manual_engine();
    let activity = engine.create_activity("beat").unwrap();
    let machine = activity_machine(&engine, "beat", &activity, r#", "HeartbeatSeconds": 10"#);
    let run = engine
        .start_execution(&machine, StartExecution::new(json!({})))
        .await
        .unwrap();
    let task = engine
        .get_activity_task(&activity, Duration::from_secs(1))
        .await
        .unwrap()
        .expect("a task");
    for _ in 0..5 {
        settle().await;
        clock.advance(Duration::from_secs(8));
        engine.send_task_heartbeat(&task.task_token).unwrap();
    }
    engine
        .send_task_success(&task.task_token, json!("ok"))
        .unwrap();
    let done = run.wait().await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    assert_eq!(done.output, Some(json!("ok")));
}

#[tokio::test]
async fn a_missed_heartbeat_times_the_task_out() {
    let (engine, clock) = manual_engine();
    let activity = engine.create_activity("silent").unwrap();
    let machine = activity_machine(
        &engine,
        "silent",
        &activity,
        r#", "HeartbeatSeconds": 10, "TimeoutSeconds": 100"#,
    );
    let run = engine
        .start_execution(&machine, StartExecution::new(json!({})))
        .await
        .unwrap();
    let task = engine
        .get_activity_task(&activity, Duration::from_secs(1))
        .await
        .unwrap()
        .expect("a task");
    settle().await;
    clock.advance(Duration::from_secs(9));
    settle().await;
    assert_eq!(run.describe().status, ExecutionStatus::Running);
    clock.advance(Duration::from_secs(1));
    let done = run.wait().await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some("States.HeartbeatTimeout"));
    assert_eq!(
        types(&run.history()),
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "ActivityScheduled",
            "ActivityStarted",
            "ActivityTimedOut",
            "ExecutionFailed"
        ]
    );
    assert_eq!(
        engine.send_task_success(&task.task_token, json!(1)),
        Err(Error::TaskTimedOut)
    );
}

#[tokio::test]
async fn timeout_seconds_covers_waiting_for_a_worker() {
    let (engine, clock) = manual_engine();
    let activity = engine.create_activity("unpolled").unwrap();
    let machine = activity_machine(&engine, "unpolled", &activity, r#", "TimeoutSeconds": 5"#);
    let run = engine
        .start_execution(&machine, StartExecution::new(json!({})))
        .await
        .unwrap();
    until(|| clock.pending_sleeps() == 1).await;
    clock.advance(Duration::from_secs(5));
    let done = run.wait().await.unwrap();
    assert_eq!(done.error.as_deref(), Some("States.Timeout"));
    assert_eq!(
        types(&run.history()),
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "ActivityScheduled",
            "ActivityTimedOut",
            "ExecutionFailed"
        ]
    );
    // The timed-out task is not handed to a worker that comes later.
    let polled = engine
        .get_activity_task(&activity, Duration::ZERO)
        .await
        .unwrap();
    assert_eq!(polled, None);
}

#[tokio::test]
async fn timeout_seconds_covers_the_work() {
    let (engine, clock) = manual_engine();
    let activity = engine.create_activity("slow").unwrap();
    let def = format!(
        r#"{{"StartAt": "Work", "States": {{
            "Work": {{"Type": "Task", "Resource": "{activity}", "TimeoutSeconds": 30, "HeartbeatSeconds": 20,
                     "Catch": [{{"ErrorEquals": ["States.Timeout"], "Next": "TimedOut"}}], "End": true}},
            "TimedOut": {{"Type": "Pass", "End": true}}}}}}"#
    );
    let machine = engine.create_state_machine_json("slow2", &def).unwrap();
    let run = engine
        .start_execution(&machine, StartExecution::new(json!({})))
        .await
        .unwrap();
    let task = engine
        .get_activity_task(&activity, Duration::from_secs(1))
        .await
        .unwrap()
        .expect("a task");
    for _ in 0..3 {
        settle().await;
        clock.advance(Duration::from_secs(10));
        let _ = engine.send_task_heartbeat(&task.task_token);
    }
    let done = run.wait().await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    assert_eq!(
        done.output,
        Some(json!({"Error": "States.Timeout", "Cause": ""})),
        "the catcher gets the timeout, with AWS's empty cause"
    );
}

#[tokio::test]
async fn a_retry_gets_a_new_token() {
    let engine = engine();
    let activity = engine.create_activity("flaky").unwrap();
    let machine = activity_machine(
        &engine,
        "flaky",
        &activity,
        r#", "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 5}]"#,
    );
    let run = engine
        .start_execution(&machine, StartExecution::new(json!({})))
        .await
        .unwrap();
    let first = engine
        .poll_activity_task(&activity, None)
        .await
        .unwrap()
        .expect("a task");
    engine
        .send_task_failure(&first.task_token, Some("Flaky".into()), None)
        .unwrap();
    let second = engine
        .poll_activity_task(&activity, None)
        .await
        .unwrap()
        .expect("a retry");
    assert_ne!(first.task_token, second.task_token);
    assert_eq!(
        engine.send_task_success(&first.task_token, json!(1)),
        Err(Error::TaskTimedOut)
    );
    engine
        .send_task_success(&second.task_token, json!(2))
        .unwrap();
    assert_eq!(run.wait().await.unwrap().output, Some(json!(2)));
}

#[tokio::test]
async fn a_task_for_a_deleted_activity_fails_the_execution() {
    let engine = engine();
    let activity = engine.create_activity("gone").unwrap();
    let machine = activity_machine(&engine, "gone", &activity, "");
    engine.delete_activity(&activity).unwrap();
    let run = engine
        .start_execution(&machine, StartExecution::new(json!({})))
        .await
        .unwrap();
    let done = run.wait().await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some("States.Runtime"));
    assert_eq!(
        done.cause,
        Some(format!(
            "An error occurred while executing the state 'Work' (entered at the event id #2). The activity {activity} does not exist."
        ))
    );
    // As AWS records it: no ActivityScheduled.
    assert_eq!(
        types(&run.history()),
        ["ExecutionStarted", "TaskStateEntered", "ExecutionFailed"]
    );
    assert!(matches!(
        engine.poll_activity_task(&activity, None).await,
        Err(Error::ActivityDoesNotExist { .. })
    ));
    assert!(matches!(
        engine.delete_activity(&activity),
        Err(Error::ActivityDoesNotExist { .. })
    ));
}

#[tokio::test]
async fn activity_names_follow_aws_rules() {
    let engine = LocalEngine::new();
    assert!(matches!(
        engine.create_activity("has space"),
        Err(Error::InvalidName { .. })
    ));
    assert!(matches!(
        engine.create_activity(&"a".repeat(81)),
        Err(Error::InvalidName { .. })
    ));
    let arn = engine.create_activity(&"a".repeat(80)).unwrap();
    // Creating it again finds the same activity.
    assert_eq!(engine.create_activity(&"a".repeat(80)).unwrap(), arn);
    assert_eq!(engine.list_activities(), [arn]);
}

#[tokio::test]
async fn a_failure_with_neither_error_nor_cause_is_caught_as_nulls() {
    // AWS's catcher output when SendTaskFailure gives no error and no cause
    // (TestCallback's test_sqs_failure_in_wait_for_task_tok_no_error_field).
    let engine = engine();
    let activity = engine.create_activity("silent").unwrap();
    let def = format!(
        r#"{{"StartAt": "Work", "States": {{
            "Work": {{"Type": "Task", "Resource": "{activity}",
                     "Catch": [{{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Caught"}}],
                     "End": true}},
            "Caught": {{"Type": "Pass", "End": true}}}}}}"#
    );
    let machine = engine.create_state_machine_json("silent2", &def).unwrap();
    let run = engine
        .start_execution(&machine, StartExecution::new(json!({"n": 1})))
        .await
        .unwrap();
    let task = engine
        .poll_activity_task(&activity, None)
        .await
        .unwrap()
        .expect("a task");
    engine
        .send_task_failure(&task.task_token, None, None)
        .unwrap();
    let done = run.wait().await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    assert_eq!(
        done.output,
        Some(json!({"n": 1, "error": {"Error": null, "Cause": null}}))
    );
}
