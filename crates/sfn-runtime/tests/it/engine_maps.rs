//! Map concurrency and tolerance as AWS documents them: an inline Map runs at most 40
//! iterations at a time, a distributed Map without `MaxConcurrency` up to 10,000 child
//! executions, and a Map Run with both tolerance fields fails when either is exceeded.

use std::sync::atomic::Ordering;

use serde_json::{Value, json};
use sfn_runtime::local::{ExecutionStatus, MapRunStatus};

use crate::support::{
    FAIL_SOME, WORK, counting_engine, engine, map_machine, one_in_four, run, task_processor,
};

/// `n` items, the numbers from 0.
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
        let def = map_machine("INLINE", extra, &task_processor(WORK));
        let done = run(&engine, "map", &def, items(100)).await;
        assert_eq!(done.status, ExecutionStatus::Succeeded, "{extra}: {done:?}");
        assert_eq!(done.output, Some(json!((0..100).collect::<Vec<_>>())));
        assert_eq!(most.load(Ordering::SeqCst), 40, "{extra}");
    }
    // Below the cap, MaxConcurrency holds.
    let (engine, most) = counting_engine();
    let def = map_machine("INLINE", r#""MaxConcurrency": 7,"#, &task_processor(WORK));
    let done = run(&engine, "map", &def, items(20)).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    assert_eq!(most.load(Ordering::SeqCst), 7);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_distributed_map_without_max_concurrency_runs_up_to_10000_children_at_once() {
    let (engine, most) = counting_engine();
    let def = map_machine("DISTRIBUTED", "", &task_processor(WORK));
    let done = run(&engine, "map", &def, items(1_200)).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    assert_eq!(most.load(Ordering::SeqCst), 1_200);
    // All at once: one round of 10-second tasks.
    let took = done.stop_date.map(|s| s - done.start_date);
    assert_eq!(took, Some(chrono::Duration::seconds(10)));
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
        let engine = engine();
        let def = map_machine("DISTRIBUTED", tolerance, FAIL_SOME);
        let done = run(&engine, "map", &def, one_in_four()).await;
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
