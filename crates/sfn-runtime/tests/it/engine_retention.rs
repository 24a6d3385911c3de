//! The engine's retention of finished executions (by count and by age, oldest first,
//! running ones never), and UpdateMapRun on a running distributed Map.

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use serde_json::json;
use sfn_runtime::local::{
    Clock, Error, ExecutionStatus, LocalEngine, MapRunUpdate, Retention, StartExecution,
    TaskRequest, VirtualClock,
};

use crate::support::{WORK, map_machine, task_processor, until};

const PASS: &str = r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}"#;

fn engine_keeping(n: usize, age: Duration) -> (LocalEngine, Arc<VirtualClock>) {
    let clock = Arc::new(VirtualClock::default());
    let engine = LocalEngine::builder()
        .clock(clock.clone())
        .retention(Retention::new(n, age))
        .build();
    (engine, clock)
}

async fn run_named(engine: &LocalEngine, machine: &str, name: &str) {
    let run = engine
        .start_execution(machine, StartExecution::new(json!({})).name(name))
        .await
        .unwrap_or_else(|e| panic!("start {name}: {e}"));
    run.wait()
        .await
        .unwrap_or_else(|e| panic!("wait {name}: {e}"));
}

fn names(engine: &LocalEngine) -> Vec<String> {
    engine
        .list_executions(None)
        .into_iter()
        .map(|d| d.name)
        .collect()
}

#[tokio::test]
async fn the_oldest_finished_executions_go_first_and_running_ones_stay() {
    let (engine, _) = engine_keeping(3, Duration::from_secs(3600));
    let activity = engine.create_activity("never").unwrap();
    let waiting = format!(
        r#"{{"StartAt": "T", "States": {{"T": {{"Type": "Task", "Resource": "{activity}", "End": true}}}}}}"#
    );
    let waiting = engine
        .create_state_machine_json("waiting", &waiting)
        .unwrap();
    engine
        .start_execution(&waiting, StartExecution::new(json!({})).name("running"))
        .await
        .unwrap();
    let pass = engine.create_state_machine_json("pass", PASS).unwrap();
    for i in 0..6 {
        run_named(&engine, &pass, &format!("run-{i}")).await;
    }
    engine.evict_finished();
    assert_eq!(names(&engine), ["running", "run-3", "run-4", "run-5"]);
    let gone =
        engine.describe_execution("arn:aws:states:us-east-1:123456789012:execution:pass:run-0");
    assert!(matches!(gone, Err(Error::ExecutionDoesNotExist { .. })));
}

#[tokio::test]
async fn finished_executions_older_than_the_age_go() {
    let (engine, clock) = engine_keeping(100, Duration::from_secs(3600));
    let pass = engine.create_state_machine_json("pass", PASS).unwrap();
    run_named(&engine, &pass, "old").await;
    clock.advance(Duration::from_secs(1800));
    run_named(&engine, &pass, "newer").await;
    clock.advance(Duration::from_secs(1800));
    assert_eq!(engine.evict_finished(), 1);
    assert_eq!(names(&engine), ["newer"]);
    clock.advance(Duration::from_secs(1800));
    // Starting an execution evicts too.
    run_named(&engine, &pass, "newest").await;
    assert_eq!(names(&engine), ["newest"]);
    let _ = clock.now();
}

#[tokio::test]
async fn update_map_run_changes_a_running_map_run() {
    let clock = Arc::new(VirtualClock::manual(chrono::Utc::now()));
    let engine = LocalEngine::with_clock(clock.clone());
    let in_flight = Arc::new(AtomicUsize::new(0));
    {
        let (clock, in_flight) = (clock.clone(), in_flight.clone());
        engine.register_handler(WORK, move |req: TaskRequest| {
            let (clock, in_flight) = (clock.clone(), in_flight.clone());
            async move {
                in_flight.fetch_add(1, Ordering::SeqCst);
                clock.sleep(Duration::from_secs(10)).await;
                in_flight.fetch_sub(1, Ordering::SeqCst);
                Ok(req.input)
            }
        });
    }
    let def = map_machine(
        "DISTRIBUTED",
        r#""MaxConcurrency": 1,"#,
        &task_processor(WORK),
    );
    let arn = engine.create_state_machine_json("updated", &def).unwrap();
    let run = engine
        .start_execution(&arn, StartExecution::new(json!({"items": [1, 2, 3, 4, 5]})))
        .await
        .unwrap();
    let parent = run.arn().to_owned();
    until(|| {
        engine.list_map_runs(&parent).is_ok_and(|r| r.len() == 1)
            && in_flight.load(Ordering::SeqCst) == 1
    })
    .await;
    let map_run = engine.list_map_runs(&parent).unwrap()[0]
        .map_run_arn
        .clone();
    engine
        .update_map_run(
            &map_run,
            MapRunUpdate::new()
                .max_concurrency(4)
                .tolerated_failure_count(2)
                .tolerated_failure_percentage(50.0),
        )
        .unwrap();
    let d = engine.describe_map_run(&map_run).unwrap();
    assert_eq!(d.max_concurrency, 4);
    assert_eq!(d.tolerated_failure_count, 2);
    assert_eq!(d.tolerated_failure_percentage, 50.0);
    // Three more children start at once: four run.
    until(|| in_flight.load(Ordering::SeqCst) == 4).await;
    let bad = engine.update_map_run(
        &map_run,
        MapRunUpdate::new().tolerated_failure_percentage(101.0),
    );
    assert!(matches!(bad, Err(Error::Validation { .. })), "{bad:?}");
    for _ in 0..2 {
        clock.advance(Duration::from_secs(10));
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let done = run.wait().await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    assert_eq!(done.output, Some(json!([1, 2, 3, 4, 5])));
    let late = engine.update_map_run(&map_run, MapRunUpdate::new().max_concurrency(1));
    assert!(matches!(late, Err(Error::Validation { .. })), "{late:?}");
    let missing = engine.update_map_run(
        "arn:aws:states:us-east-1:123456789012:mapRun:none/x:y",
        MapRunUpdate::new().max_concurrency(1),
    );
    assert!(matches!(missing, Err(Error::MapRunDoesNotExist { .. })));
}
