//! Machines written with `state_machine!` and activities written with `#[activity]` run
//! on the embedded engine: the placeholder resources resolve to the engine's activities,
//! and `serve_activity` answers their tasks in-process.

use std::time::Duration;

use sfn_runtime::local::{EventType, ExecutionStatus, StartExecution};
use sfn_runtime::prelude::*;

use crate::support::{engine, find, types};

#[derive(Debug, Deserialize, JsonSchema)]
struct Numbers {
    a: i64,
    b: i64,
}

/// Adds two numbers.
#[activity(name = "add", heartbeat = 20)]
async fn add(input: Numbers, ctx: &TaskContext) -> Result<i64, TaskError> {
    ctx.heartbeat()
        .await
        .map_err(|e| TaskError::new("HeartbeatFailed", e.to_string()))?;
    Ok(input.a + input.b)
}

state_machine! {
    /// Adds two numbers and reports the sign.
    pub TestAdding {
        start_at: Add,
        states: {
            Add: Task(add) { result_path: "$.sum", next: Sign },
            Sign: Choice {
                rules: [ { variable: "$.sum", numeric_greater_than: 0, next: Positive } ],
                default: Negative,
            },
            Positive: Succeed,
            Negative: Fail { error: "Negative", cause: "the sum is below zero" },
        }
    }
}

/// Beats a few times, then answers; a heartbeat the engine refuses fails the task.
#[activity(name = "slow", heartbeat = 20)]
async fn slow(input: Value, ctx: &TaskContext) -> Result<Value, TaskError> {
    for _ in 0..6 {
        tokio::task::yield_now().await;
        ctx.heartbeat()
            .await
            .map_err(|e| TaskError::new("HeartbeatFailed", e.to_string()))?;
    }
    Ok(json!({"input": input, "execution": ctx.execution().state_name.clone()}))
}

/// Never answers and never beats.
#[activity(name = "silent", heartbeat = 5)]
async fn silent(_input: Value, _ctx: &TaskContext) -> Result<Value, TaskError> {
    std::future::pending::<()>().await;
    Ok(Value::Null)
}

state_machine! {
    /// Calls the slow activity, then the silent one, catching its heartbeat timeout.
    pub Beats {
        start_at: Slow,
        states: {
            Slow: Task(slow) { next: Silent },
            Silent: Task(silent) {
                catch: [ { error_equals: ["States.HeartbeatTimeout"], result_path: "$.timeout", next: Done } ],
                end: true,
            },
            Done: Succeed,
        }
    }
}

#[tokio::test]
async fn a_state_machine_macro_machine_runs_with_its_activity_served_in_process() {
    let engine = engine();
    let arn = engine.create_state_machine_for::<TestAdding>().unwrap();
    assert!(arn.ends_with(":stateMachine:TestAdding"), "{arn}");
    // Idempotent, and the activity it calls exists.
    assert_eq!(
        engine.create_state_machine_for::<TestAdding>().unwrap(),
        arn
    );
    let activity = "arn:aws:states:us-east-1:123456789012:activity:add";
    assert_eq!(engine.list_activities(), [activity]);
    assert_eq!(engine.serve_activity(&add).unwrap(), activity);

    for (input, status, sum) in [
        (json!({"a": 3, "b": 42}), ExecutionStatus::Succeeded, 45),
        (json!({"a": 3, "b": -42}), ExecutionStatus::Failed, -39),
    ] {
        let run = engine
            .start_execution(&arn, StartExecution::new(input.clone()))
            .await
            .unwrap();
        let done = run.wait().await.unwrap();
        assert_eq!(done.status, status, "{done:?}");
        let history = run.history();
        let scheduled = find(&history, EventType::ActivityScheduled).to_json();
        assert_eq!(
            scheduled["activityScheduledEventDetails"]["resource"],
            activity
        );
        assert_eq!(
            scheduled["activityScheduledEventDetails"]["heartbeatInSeconds"],
            20
        );
        let succeeded = find(&history, EventType::ActivitySucceeded).to_json();
        assert_eq!(
            succeeded["activitySucceededEventDetails"]["output"],
            sum.to_string()
        );
        if status == ExecutionStatus::Succeeded {
            let mut out = input;
            out["sum"] = json!(sum);
            assert_eq!(done.output, Some(out));
        } else {
            assert_eq!(done.error.as_deref(), Some("Negative"));
        }
    }
}

#[tokio::test]
async fn a_served_activity_heartbeats_to_the_engine_and_times_out_without_them() {
    let engine = engine();
    let arn = engine.create_state_machine_for::<Beats>().unwrap();
    let mut activities = engine.list_activities();
    activities.sort();
    assert_eq!(
        activities,
        [
            "arn:aws:states:us-east-1:123456789012:activity:silent",
            "arn:aws:states:us-east-1:123456789012:activity:slow"
        ]
    );
    engine.serve_activity(&slow).unwrap();
    engine.serve_activity(&silent).unwrap();
    // `slow` beats to the engine; `silent` never does, and its 5 s pass on the virtual
    // clock.
    let run = engine
        .start_execution(&arn, StartExecution::new(json!({"n": 1})))
        .await
        .unwrap();
    let done = tokio::time::timeout(Duration::from_secs(10), run.wait())
        .await
        .map_err(|_| run.history())
        .unwrap()
        .unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    let out = done.output.unwrap();
    assert_eq!(out["input"], json!({"n": 1}));
    assert_eq!(out["execution"], "Slow");
    assert_eq!(out["timeout"]["Error"], "States.HeartbeatTimeout");
    let types = types(&run.history());
    assert!(types.contains(&"ActivityTimedOut"), "{types:?}");
}
