//! RedriveExecution on the engine: a failed execution resumes at the state that failed,
//! keeps what succeeded (states, Parallel branches, Map iterations), continues its
//! history under the same ARN, and is refused when AWS refuses it.

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use serde_json::{Value, json};
use sfn_runtime::{
    activity::TaskFailure,
    local::{
        Clock, Error, EventDetails, EventType, ExecutionDescription, ExecutionFilter,
        ExecutionStatus, LocalEngine, RedriveFilter, RedriveStatus, StartExecution, TaskRequest,
    },
};

use crate::support::{history, map_machine, task_processor, types, virtual_engine};

const FLAKY: &str = "arn:aws:lambda:us-east-1:123456789012:function:flaky";
const STEADY: &str = "arn:aws:lambda:us-east-1:123456789012:function:steady";

/// Registers at `resource` a handler that fails its first `failures` calls with
/// `Flaky.Error` (for inputs with `"flaky": true`, or any input when `only_flagged` is
/// false), then answers `{"ok": INPUT}`; returns its call count.
fn flaky(
    engine: &LocalEngine,
    resource: &str,
    failures: usize,
    only_flagged: bool,
) -> Arc<AtomicUsize> {
    let calls = Arc::new(AtomicUsize::new(0));
    let failed = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    engine.register_handler(resource, move |req: TaskRequest| {
        counter.fetch_add(1, Ordering::SeqCst);
        let flagged = !only_flagged || req.input["flaky"] == json!(true);
        let fail = flagged && failed.fetch_add(1, Ordering::SeqCst) < failures;
        async move {
            if fail {
                Err(TaskFailure::new("Flaky.Error", "not this time"))
            } else {
                Ok(json!({"ok": req.input}))
            }
        }
    });
    calls
}

async fn start(engine: &LocalEngine, name: &str, def: &str, input: Value) -> ExecutionDescription {
    let arn = engine
        .create_state_machine_json(name, def)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let run = engine
        .start_execution(&arn, StartExecution::new(input).name("first"))
        .await
        .unwrap_or_else(|e| panic!("start: {e}"));
    run.wait().await.unwrap_or_else(|e| panic!("wait: {e}"))
}

/// Redrives the execution `arn` and waits for its end.
async fn redrive(engine: &LocalEngine, arn: &str) -> ExecutionDescription {
    let run = engine
        .redrive_execution(arn, None)
        .await
        .unwrap_or_else(|e| panic!("redrive {arn}: {e}"));
    run.wait().await.unwrap_or_else(|e| panic!("wait: {e}"))
}

/// Runs `def`, a Map over three items one at a time whose second fails once, and checks
/// that it failed with item 2 never started; redrives it and checks that only items 1 and
/// 2 ran again, the outputs in item order. Returns the redriven execution.
async fn map_redriven(
    engine: &LocalEngine,
    calls: &AtomicUsize,
    name: &str,
    def: &str,
    input: Value,
) -> ExecutionDescription {
    let failed = start(engine, name, def, input).await;
    assert_eq!(failed.status, ExecutionStatus::Failed, "{failed:?}");
    assert_eq!(calls.load(Ordering::SeqCst), 2, "item 2 never started");
    let done = redrive(engine, &failed.execution_arn).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    assert_eq!(
        done.output,
        Some(json!([
            {"ok": {"i": 0}},
            {"ok": {"i": 1, "flaky": true}},
            {"ok": {"i": 2}}
        ]))
    );
    assert_eq!(calls.load(Ordering::SeqCst), 4, "items 1 and 2 ran again");
    done
}

fn task_machine() -> String {
    format!(
        r#"{{"StartAt": "Prepare", "States": {{
            "Prepare": {{"Type": "Pass", "Result": 1, "ResultPath": "$.prepared", "Next": "Call"}},
            "Call": {{"Type": "Task", "Resource": "{FLAKY}", "Next": "Done"}},
            "Done": {{"Type": "Succeed"}}}}}}"#
    )
}

#[tokio::test]
async fn a_task_failure_resumes_at_the_failed_state_and_succeeds() {
    let (engine, _) = virtual_engine();
    let calls = flaky(&engine, FLAKY, 1, false);
    let failed = start(&engine, "flaky", &task_machine(), json!({"n": 1})).await;
    assert_eq!(failed.status, ExecutionStatus::Failed, "{failed:?}");
    assert_eq!(failed.error.as_deref(), Some("Flaky.Error"));
    assert_eq!(failed.redrive_status, RedriveStatus::Redrivable);
    assert_eq!(failed.redrive_count, 0);
    let events_before = history(&engine, &failed.execution_arn).len() as u64;

    let run = engine
        .redrive_execution(&failed.execution_arn, None)
        .await
        .unwrap();
    assert_eq!(run.arn(), failed.execution_arn);
    let done = run.wait().await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    assert_eq!(
        done.output,
        Some(json!({"ok": {"n": 1, "prepared": 1}})),
        "the Pass state's result is kept"
    );
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert_eq!(done.redrive_count, 1);
    assert!(done.redrive_date.is_some());
    assert_eq!(done.start_date, failed.start_date);
    assert_eq!(done.redrive_status, RedriveStatus::NotRedrivable);
    assert_eq!(
        done.redrive_status_reason.as_deref(),
        Some("Execution is SUCCEEDED and cannot be redriven")
    );

    // The history goes on: ids continue, the Pass state is not run again.
    let h = history(&engine, &done.execution_arn);
    let t = types(&h);
    assert_eq!(t.iter().filter(|t| **t == "PassStateEntered").count(), 1);
    assert_eq!(t.iter().filter(|t| **t == "TaskStateEntered").count(), 2);
    let redriven = h
        .events()
        .iter()
        .find(|e| e.event_type == EventType::ExecutionRedriven)
        .unwrap();
    assert_eq!(redriven.id, events_before + 1);
    assert_eq!(redriven.previous_event_id, events_before);
    assert!(matches!(
        redriven.details,
        EventDetails::ExecutionRedriven { redrive_count: 1 }
    ));
    assert_eq!(
        redriven.to_json()["executionRedrivenEventDetails"],
        json!({"redriveCount": 1})
    );
    let next = &h.events()[redriven.id as usize];
    assert_eq!(next.event_type, EventType::TaskStateEntered);
    assert_eq!(next.previous_event_id, redriven.id);
    assert_eq!(t.last(), Some(&"ExecutionSucceeded"));
    for (i, e) in h.events().iter().enumerate() {
        assert_eq!(e.id, i as u64 + 1);
    }

    // The redrive filter.
    let redriven = engine
        .list_executions_matching(&ExecutionFilter::new().redrive(RedriveFilter::Redriven))
        .unwrap();
    assert_eq!(redriven.len(), 1);
    let not = engine
        .list_executions_matching(&ExecutionFilter::new().redrive(RedriveFilter::NotRedriven))
        .unwrap();
    assert!(not.is_empty());
}

#[tokio::test]
async fn each_redrive_counts_and_appends_its_event() {
    let (engine, _) = virtual_engine();
    let calls = flaky(&engine, FLAKY, 2, false);
    let failed = start(&engine, "twice", &task_machine(), json!({})).await;
    let arn = failed.execution_arn;
    let again = engine.redrive_execution(&arn, None).await.unwrap();
    let second = again.wait().await.unwrap();
    assert_eq!(second.status, ExecutionStatus::Failed);
    assert_eq!(second.redrive_count, 1);
    assert_eq!(second.redrive_status, RedriveStatus::Redrivable);
    let done = redrive(&engine, &arn).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    assert_eq!(done.redrive_count, 2);
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    let counts: Vec<u32> = history(&engine, &arn)
        .events()
        .iter()
        .filter_map(|e| match e.details {
            EventDetails::ExecutionRedriven { redrive_count } => Some(redrive_count),
            _ => None,
        })
        .collect();
    assert_eq!(counts, [1, 2]);
    assert_eq!(engine.list_executions(None).len(), 1);
}

#[tokio::test]
async fn a_client_token_redrives_once() {
    let (engine, _) = virtual_engine();
    flaky(&engine, FLAKY, 1, false);
    let failed = start(&engine, "token", &task_machine(), json!({})).await;
    let arn = failed.execution_arn;
    let first = engine.redrive_execution(&arn, Some("t-1")).await.unwrap();
    let done = first.wait().await.unwrap();
    let same = engine.redrive_execution(&arn, Some("t-1")).await.unwrap();
    assert_eq!(same.describe().redrive_count, 1);
    assert_eq!(same.describe().redrive_date, done.redrive_date);
}

#[tokio::test]
async fn redrive_is_refused_when_succeeded_running_or_too_old() {
    let (engine, clock) = virtual_engine();
    let ok = crate::support::run(
        &engine,
        "ok",
        r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}"#,
        json!({}),
    )
    .await;
    let refused = engine.redrive_execution(&ok.execution_arn, None).await;
    assert!(
        matches!(&refused, Err(Error::ExecutionNotRedrivable { reason, .. }) if reason == "Execution is SUCCEEDED and cannot be redriven"),
        "{refused:?}"
    );

    let activity = engine.create_activity("never").unwrap();
    let def = format!(
        r#"{{"StartAt": "T", "States": {{"T": {{"Type": "Task", "Resource": "{activity}", "End": true}}}}}}"#
    );
    let arn = engine.create_state_machine_json("waiting", &def).unwrap();
    let running = engine
        .start_execution(&arn, StartExecution::new(json!({})))
        .await
        .unwrap();
    let refused = engine.redrive_execution(running.arn(), None).await;
    assert!(
        matches!(&refused, Err(Error::ExecutionNotRedrivable { reason, .. }) if reason == "Execution is RUNNING and cannot be redriven"),
        "{refused:?}"
    );
    assert_eq!(
        running.describe().redrive_status,
        RedriveStatus::NotRedrivable
    );

    // Stopped: redrivable, and the redrive runs the task again.
    running.stop(None, None).unwrap();
    let aborted = running.wait().await.unwrap();
    assert_eq!(aborted.status, ExecutionStatus::Aborted);
    assert_eq!(aborted.redrive_status, RedriveStatus::Redrivable);

    flaky(&engine, FLAKY, 1, false);
    let failed = start(&engine, "old", &task_machine(), json!({})).await;
    clock.advance(Duration::from_secs(13 * 24 * 3600));
    assert_eq!(
        engine
            .describe_execution(&failed.execution_arn)
            .unwrap()
            .redrive_status,
        RedriveStatus::Redrivable
    );
    clock.advance(Duration::from_secs(24 * 3600));
    let d = engine.describe_execution(&failed.execution_arn).unwrap();
    assert_eq!(d.redrive_status, RedriveStatus::NotRedrivable);
    assert_eq!(
        d.redrive_status_reason.as_deref(),
        Some("Execution redrivable period exceeded")
    );
    let refused = engine.redrive_execution(&failed.execution_arn, None).await;
    assert!(
        matches!(refused, Err(Error::ExecutionNotRedrivable { .. })),
        "{refused:?}"
    );
    let missing = engine
        .redrive_execution("arn:aws:states:us-east-1:123456789012:execution:x:y", None)
        .await;
    assert!(matches!(missing, Err(Error::ExecutionDoesNotExist { .. })));
    let _ = clock.now();
}

#[tokio::test]
async fn a_stopped_execution_redrives_the_state_in_flight() {
    let (engine, _) = virtual_engine();
    let activity = engine.create_activity("slow").unwrap();
    let def = format!(
        r#"{{"StartAt": "First", "States": {{
            "First": {{"Type": "Pass", "Result": "kept", "ResultPath": "$.first", "Next": "T"}},
            "T": {{"Type": "Task", "Resource": "{activity}", "End": true}}}}}}"#
    );
    let arn = engine.create_state_machine_json("stopped", &def).unwrap();
    let run = engine
        .start_execution(&arn, StartExecution::new(json!({})))
        .await
        .unwrap();
    let task = engine
        .get_activity_task(&activity, Duration::from_secs(5))
        .await
        .unwrap();
    assert!(task.is_some());
    run.stop(Some("Stop".into()), None).unwrap();
    run.wait().await.unwrap();
    let again = engine.redrive_execution(run.arn(), None).await.unwrap();
    let task = engine
        .get_activity_task(&activity, Duration::from_secs(5))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(task.input, json!({"first": "kept"}));
    engine
        .send_task_success(&task.task_token, json!("done"))
        .unwrap();
    let done = again.wait().await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    assert_eq!(done.output, Some(json!("done")));
}

#[tokio::test]
async fn a_parallel_redrives_only_its_failed_branch() {
    let (engine, _) = virtual_engine();
    let steady = flaky(&engine, STEADY, 0, false);
    let flaky_calls = flaky(&engine, FLAKY, 1, false);
    let def = format!(
        r#"{{"StartAt": "Both", "States": {{"Both": {{"Type": "Parallel", "End": true, "Branches": [
            {{"StartAt": "A", "States": {{"A": {{"Type": "Task", "Resource": "{STEADY}", "End": true}}}}}},
            {{"StartAt": "B0", "States": {{
                "B0": {{"Type": "Pass", "Result": "b", "Next": "B"}},
                "B": {{"Type": "Task", "Resource": "{FLAKY}", "End": true}}}}}}
        ]}}}}}}"#
    );
    let failed = start(&engine, "parallel", &def, json!({})).await;
    assert_eq!(failed.status, ExecutionStatus::Failed, "{failed:?}");
    let done = redrive(&engine, &failed.execution_arn).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    assert_eq!(done.output, Some(json!([{"ok": {}}, {"ok": "b"}])));
    // The branch that succeeded did not run again; the failed one resumed at its Task.
    assert_eq!(steady.load(Ordering::SeqCst), 1);
    assert_eq!(flaky_calls.load(Ordering::SeqCst), 2);
    let t = types(&history(&engine, &done.execution_arn));
    assert_eq!(t.iter().filter(|t| **t == "PassStateEntered").count(), 1);
    assert_eq!(
        t.iter().filter(|t| **t == "ParallelStateEntered").count(),
        2
    );
}

#[tokio::test]
async fn an_inline_map_redrives_only_its_failed_iterations() {
    let (engine, _) = virtual_engine();
    let calls = flaky(&engine, FLAKY, 1, true);
    let def = format!(
        r#"{{"StartAt": "Each", "States": {{"Each": {{"Type": "Map", "MaxConcurrency": 1, "End": true,
            "ItemProcessor": {{"StartAt": "Work", "States": {{
                "Work": {{"Type": "Task", "Resource": "{FLAKY}", "End": true}}}}}}}}}}}}"#
    );
    let items = json!([{"i": 0}, {"i": 1, "flaky": true}, {"i": 2}]);
    map_redriven(&engine, &calls, "map", &def, items).await;
}

#[tokio::test]
async fn a_timed_out_execution_redrives_the_state_in_flight_with_its_timeout_anew() {
    let (engine, clock) = virtual_engine();
    let calls = Arc::new(AtomicUsize::new(0));
    {
        let (calls, clock) = (calls.clone(), clock.clone());
        engine.register_handler(FLAKY, move |req: TaskRequest| {
            let first = calls.fetch_add(1, Ordering::SeqCst) == 0;
            let clock = clock.clone();
            async move {
                if first {
                    clock.sleep(Duration::from_secs(60)).await;
                }
                Ok(json!({"ok": req.input}))
            }
        });
    }
    let def = format!(
        r#"{{"TimeoutSeconds": 5, "StartAt": "Wait", "States": {{
            "Wait": {{"Type": "Wait", "Seconds": 3, "Next": "Call"}},
            "Call": {{"Type": "Task", "Resource": "{FLAKY}", "End": true}}}}}}"#
    );
    let failed = start(&engine, "slow", &def, json!({})).await;
    assert_eq!(failed.status, ExecutionStatus::TimedOut, "{failed:?}");
    assert_eq!(failed.redrive_status, RedriveStatus::Redrivable);
    let done = redrive(&engine, &failed.execution_arn).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    assert_eq!(done.output, Some(json!({"ok": {}})));
    let t = types(&history(&engine, &done.execution_arn));
    assert_eq!(t.iter().filter(|t| **t == "WaitStateEntered").count(), 1);
}

#[tokio::test]
async fn a_distributed_map_reruns_only_the_items_that_did_not_succeed() {
    let (engine, _) = virtual_engine();
    let calls = flaky(&engine, FLAKY, 1, true);
    let def = map_machine(
        "DISTRIBUTED",
        r#""MaxConcurrency": 1,"#,
        &task_processor(FLAKY),
    );
    let items = json!({"items": [{"i": 0}, {"i": 1, "flaky": true}, {"i": 2}]});
    let done = map_redriven(&engine, &calls, "distributed", &def, items).await;
    let runs = engine.list_map_runs(&done.execution_arn).unwrap();
    assert_eq!(runs.len(), 2);
    let second = &runs[1];
    assert_eq!(second.item_counts.succeeded, 3);
    assert_eq!(second.item_counts.total, 3);
    assert_eq!(second.execution_counts.total, 2);
    let children = engine
        .list_map_run_executions(&runs[0].map_run_arn)
        .unwrap();
    let failed_child = children
        .iter()
        .find(|c| c.status == ExecutionStatus::Failed)
        .unwrap();
    assert_eq!(
        failed_child.redrive_status,
        RedriveStatus::RedrivableByMapRun
    );
    let refused = engine
        .redrive_execution(&failed_child.execution_arn, None)
        .await;
    assert!(
        matches!(refused, Err(Error::ExecutionNotRedrivable { .. })),
        "{refused:?}"
    );
}
