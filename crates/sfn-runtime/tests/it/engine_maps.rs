//! Map concurrency and tolerance as AWS documents them: an inline Map runs at most 40
//! iterations at a time, a distributed Map without `MaxConcurrency` up to 10,000 child
//! executions, and a Map Run with both tolerance fields fails when either is exceeded.

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use serde_json::{Value, json};
use sfn_runtime::local::{
    Clock, ExecutionDescription, ExecutionStatus, LocalEngine, MapRunStatus, StartExecution,
    TaskRequest, VirtualClock,
};

const WORK: &str = "arn:aws:lambda:us-east-1:123456789012:function:work";

/// An engine on the virtual clock whose `WORK` handler takes 10 seconds and counts the
/// most calls in flight at once.
fn counting_engine() -> (LocalEngine, Arc<AtomicUsize>) {
    let clock = Arc::new(VirtualClock::default());
    let engine = LocalEngine::with_clock(clock.clone());
    let in_flight = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    {
        let most = most.clone();
        engine.register_handler(WORK, move |req: TaskRequest| {
            let (clock, in_flight, most) = (clock.clone(), in_flight.clone(), most.clone());
            async move {
                let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                clock.sleep(Duration::from_secs(10)).await;
                in_flight.fetch_sub(1, Ordering::SeqCst);
                Ok(req.input)
            }
        });
    }
    (engine, most)
}

fn map_machine(mode: &str, extra: &str, processor: &str) -> String {
    format!(
        r#"{{"StartAt": "Each", "States": {{"Each": {{"Type": "Map", "ItemsPath": "$.items", {extra}
            "ItemProcessor": {{"ProcessorConfig": {{"Mode": "{mode}", "ExecutionType": "STANDARD"}}, {processor}}},
            "End": true}}}}}}"#
    )
}

fn work_processor() -> String {
    format!(
        r#""StartAt": "Work", "States": {{"Work": {{"Type": "Task", "Resource": "{WORK}", "End": true}}}}"#
    )
}

async fn run(engine: &LocalEngine, def: &str, input: Value) -> ExecutionDescription {
    let arn = engine
        .create_state_machine_json("map", def)
        .unwrap_or_else(|e| panic!("{e}"));
    let run = engine
        .start_execution(&arn, StartExecution::new(input))
        .await
        .unwrap_or_else(|e| panic!("start: {e}"));
    run.wait().await.unwrap_or_else(|e| panic!("wait: {e}"))
}

fn items(n: usize) -> Value {
    json!({"items": (0..n).collect::<Vec<_>>()})
}

#[tokio::test]
async fn an_inline_map_runs_at_most_40_iterations_at_a_time() {
    for extra in [
        "",
        r#""MaxConcurrency": 100,"#,
        r#""MaxConcurrency": 1000,"#,
    ] {
        let (engine, most) = counting_engine();
        let def = map_machine("INLINE", extra, &work_processor());
        let done = run(&engine, &def, items(100)).await;
        assert_eq!(done.status, ExecutionStatus::Succeeded, "{extra}: {done:?}");
        assert_eq!(done.output, Some(json!((0..100).collect::<Vec<_>>())));
        assert_eq!(most.load(Ordering::SeqCst), 40, "{extra}");
    }
    // Below the cap, MaxConcurrency holds.
    let (engine, most) = counting_engine();
    let def = map_machine("INLINE", r#""MaxConcurrency": 7,"#, &work_processor());
    let done = run(&engine, &def, items(20)).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    assert_eq!(most.load(Ordering::SeqCst), 7);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_distributed_map_without_max_concurrency_runs_up_to_10000_children_at_once() {
    let (engine, most) = counting_engine();
    let def = map_machine("DISTRIBUTED", "", &work_processor());
    let done = run(&engine, &def, items(1_200)).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    assert_eq!(most.load(Ordering::SeqCst), 1_200);
    // All at once: one round of 10-second tasks.
    let took = done.stop_date.map(|s| s - done.start_date);
    assert_eq!(took, Some(chrono::Duration::seconds(10)));
}

/// Fails the items with `"fail": true`.
const FAIL_SOME: &str = r#""StartAt": "Check", "States": {
    "Check": {"Type": "Choice", "Choices": [{"Variable": "$.fail", "BooleanEquals": true, "Next": "Boom"}], "Default": "Ok"},
    "Boom": {"Type": "Fail", "Error": "Boom", "Cause": "this item fails"},
    "Ok": {"Type": "Pass", "End": true}}"#;

/// One failure in four items: 25 %.
fn one_in_four() -> Value {
    json!({"items": [{"fail": false}, {"fail": true}, {"fail": false}, {"fail": false}]})
}

#[tokio::test]
async fn with_both_tolerance_fields_exceeding_either_fails_the_map_run() {
    for (tolerance, fails) in [
        // The count is exceeded, the percentage is not.
        (
            r#""ToleratedFailureCount": 0, "ToleratedFailurePercentage": 50,"#,
            true,
        ),
        // The percentage is exceeded, the count is not.
        (
            r#""ToleratedFailureCount": 3, "ToleratedFailurePercentage": 10,"#,
            true,
        ),
        // Neither is exceeded.
        (
            r#""ToleratedFailureCount": 1, "ToleratedFailurePercentage": 25,"#,
            false,
        ),
    ] {
        let engine = LocalEngine::with_clock(Arc::new(VirtualClock::default()));
        let def = map_machine("DISTRIBUTED", tolerance, FAIL_SOME);
        let done = run(&engine, &def, one_in_four()).await;
        let runs = engine.list_map_runs(&done.execution_arn).unwrap();
        if fails {
            assert_eq!(done.status, ExecutionStatus::Failed, "{tolerance}");
            assert_eq!(
                done.error.as_deref(),
                Some("States.ExceedToleratedFailureThreshold"),
                "{tolerance}"
            );
            assert_eq!(runs[0].status, MapRunStatus::Failed, "{tolerance}");
        } else {
            assert_eq!(done.status, ExecutionStatus::Succeeded, "{tolerance}");
            assert_eq!(runs[0].status, MapRunStatus::Succeeded, "{tolerance}");
        }
    }
}
