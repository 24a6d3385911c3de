//! Throughput of the embedded engine, in state transitions (states entered) per second.
//!
//! `cargo bench -p sfn-runtime --bench engine`; see `docs/benchmarks.md` for the figures
//! and how they were taken. Every machine is checked once before it is timed.

use std::{sync::Arc, time::Duration};

use criterion::{BatchSize, Criterion, Throughput};
use futures_util::future::join_all;
use sfn_runtime::local::{ExecutionStatus, LocalEngine, StartExecution, SystemClock};

mod common;
use common::{
    COUNTER, COUNTER_TRANSITIONS, JSONATA_COUNTER, JSONATA_MAP, MAP_DISTRIBUTED, MAP_INLINE,
    activity_machine, current_thread, engine_with, map_input, padded_map_input, pass_chain,
    run_once, run_status, transitions,
};

/// Short runs for a small shared machine: each bench takes a few seconds.
fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args()
}

/// Checks a machine once: it succeeds with `expected` states entered.
fn check(rt: &tokio::runtime::Runtime, definition: &str, input: serde_json::Value, expected: u64) {
    let (engine, arn) = engine_with("check", definition);
    let (status, cause, history) = rt.block_on(run_once(&engine, &arn, input));
    assert_eq!(status, ExecutionStatus::Succeeded, "{cause:?}");
    assert_eq!(transitions(&history), expected);
}

/// Bench 1: the counter loop, 10,003 transitions with history, on one core. A fresh engine per
/// run keeps finished executions from piling up in memory; its setup is not timed.
fn counter_loop(c: &mut Criterion) {
    let rt = current_thread();
    check(&rt, COUNTER, serde_json::json!({}), COUNTER_TRANSITIONS);
    let mut group = c.benchmark_group("counter_loop");
    group.throughput(Throughput::Elements(COUNTER_TRANSITIONS));
    group.bench_function("5000_steps_current_thread", |b| {
        b.iter_batched(
            || engine_with("counter", COUNTER),
            |(engine, arn)| {
                let done = rt.block_on(run_status(&engine, &arn, serde_json::json!({})));
                assert_eq!(done, ExecutionStatus::Succeeded);
                (engine, done)
            },
            BatchSize::PerIteration,
        );
    });
    group.finish();
}

/// Bench 2: a Map over 10,000 items with a Pass iterator. Inline, 10,000 iterations would need
/// 40,000 history events, over the 25,000 limit, so the 10,000-item Map is distributed
/// (one child history per item, as AWS does); the inline Map runs 5,000 items.
fn map(c: &mut Criterion) {
    let rt = current_thread();
    let mut group = c.benchmark_group("map");
    for (id, definition, items) in [
        ("distributed_10000_items", MAP_DISTRIBUTED, 10_000),
        ("inline_5000_items", MAP_INLINE, 5_000),
    ] {
        let input = map_input(items);
        // The Map state and one Pass per item.
        let expected = 1 + items as u64;
        if definition == MAP_INLINE {
            check(&rt, definition, input.clone(), expected);
        } else {
            // Children's histories are their own: the parent records the Map only.
            check(&rt, definition, input.clone(), 1);
        }
        group.throughput(Throughput::Elements(expected));
        group.bench_function(id, |b| {
            b.iter_batched(
                || (engine_with("map", definition), input.clone()),
                |((engine, arn), input)| {
                    let done = rt.block_on(run_status(&engine, &arn, input));
                    assert_eq!(done, ExecutionStatus::Succeeded);
                    (engine, done)
                },
                BatchSize::PerIteration,
            );
        });
    }
    group.finish();
}

/// Bench 5: JSONata states, where every expression sees `$states`: the counter loop
/// (10,003 transitions) and an inline Map over 1,000 items of a 200 kB input whose
/// `ItemSelector` reads `$states.context.Map.Item` (1,001 transitions).
fn jsonata(c: &mut Criterion) {
    const ITEMS: usize = 1_000;
    let rt = current_thread();
    let map_in = padded_map_input(ITEMS);
    check(
        &rt,
        JSONATA_COUNTER,
        serde_json::json!({}),
        COUNTER_TRANSITIONS,
    );
    check(&rt, JSONATA_MAP, map_in.clone(), 1 + ITEMS as u64);
    let mut group = c.benchmark_group("jsonata");
    for (id, definition, input, expected) in [
        (
            "counter_loop_5000_steps",
            JSONATA_COUNTER,
            serde_json::json!({}),
            COUNTER_TRANSITIONS,
        ),
        (
            "map_1000_items_200kb_input",
            JSONATA_MAP,
            map_in,
            1 + ITEMS as u64,
        ),
    ] {
        group.throughput(Throughput::Elements(expected));
        group.bench_function(id, |b| {
            b.iter_batched(
                || (engine_with("jsonata", definition), input.clone()),
                |((engine, arn), input)| {
                    let done = rt.block_on(run_status(&engine, &arn, input));
                    assert_eq!(done, ExecutionStatus::Succeeded);
                    (engine, done)
                },
                BatchSize::PerIteration,
            );
        });
    }
    group.finish();
}

/// Runs one machine `runs` times without criterion, for an instruction count under
/// `valgrind --tool=callgrind`: `SFN_BENCH_FIXED=<name>[:runs]`, where `name` is
/// `counter`, `map_inline`, `jsonata_counter` or `jsonata_map`.
fn fixed_runs(spec: &str) {
    let (name, runs) = match spec.split_once(':') {
        Some((n, r)) => (n, r.parse().unwrap_or(1)),
        None => (spec, 1),
    };
    let (definition, input) = match name {
        "counter" => (COUNTER, serde_json::json!({})),
        "map_inline" => (MAP_INLINE, map_input(5_000)),
        "jsonata_counter" => (JSONATA_COUNTER, serde_json::json!({})),
        "jsonata_map" => (JSONATA_MAP, padded_map_input(1_000)),
        other => panic!("SFN_BENCH_FIXED: no machine '{other}'"),
    };
    let rt = current_thread();
    for _ in 0..runs {
        let (engine, arn) = engine_with("fixed", definition);
        let done = rt.block_on(run_status(&engine, &arn, input.clone()));
        assert_eq!(done, ExecutionStatus::Succeeded);
    }
}

/// Bench 3: 1,000 executions of 10 Pass states started at once, then awaited: 10,000
/// transitions per run; on one core, then on a two-worker runtime.
fn concurrent_executions(c: &mut Criterion) {
    const EXECUTIONS: usize = 1_000;
    let definition = pass_chain(10);
    let current = current_thread();
    check(&current, &definition, serde_json::json!({"x": 1}), 10);
    let multi = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("runtime: {e}"));
    let mut group = c.benchmark_group("concurrent_executions");
    group.throughput(Throughput::Elements(EXECUTIONS as u64 * 10));
    for (id, rt) in [
        ("1000x10_pass_current_thread", &current),
        ("1000x10_pass_2_workers", &multi),
    ] {
        group.bench_function(id, |b| {
            b.iter_batched(
                || engine_with("chain", &definition),
                |(engine, arn)| {
                    let done = rt.block_on(async {
                        let mut runs = Vec::with_capacity(EXECUTIONS);
                        for _ in 0..EXECUTIONS {
                            let start = StartExecution::new(serde_json::json!({"x": 1}));
                            runs.push(engine.start_execution(&arn, start).await);
                        }
                        join_all(runs.iter().map(|r| async {
                            let run = r.as_ref().unwrap_or_else(|e| panic!("start: {e}"));
                            run.wait().await.map(|d| d.status)
                        }))
                        .await
                    });
                    assert!(
                        done.iter()
                            .all(|s| matches!(s, Ok(ExecutionStatus::Succeeded)))
                    );
                    (engine, done)
                },
                BatchSize::PerIteration,
            );
        });
    }
    group.finish();
}

/// Bench 4: an activity round trip in process: the execution schedules the task, a worker loop
/// takes it (`get_activity_task`) and answers it (`send_task_success`), the execution
/// ends. One transition per round trip; one at a time, then 100 in flight.
fn activity(c: &mut Criterion) {
    const IN_FLIGHT: usize = 100;
    let rt = current_thread();
    let engine = LocalEngine::with_clock(Arc::new(SystemClock));
    let activity = engine
        .create_activity("work")
        .unwrap_or_else(|e| panic!("activity: {e}"));
    let arn = engine
        .create_state_machine_json("worked", &activity_machine(&activity))
        .unwrap_or_else(|e| panic!("machine: {e}"));
    let worker = {
        let engine = engine.clone();
        let activity = activity.clone();
        rt.spawn(async move {
            while let Ok(task) = engine
                .get_activity_task(&activity, Duration::from_secs(60))
                .await
            {
                if let Some(task) = task {
                    let _ = engine.send_task_success(&task.task_token, task.input);
                }
            }
        })
    };
    let run = |n: usize| {
        let engine = &engine;
        let arn = &arn;
        async move {
            let runs = join_all((0..n).map(|i| async move {
                let start = StartExecution::new(serde_json::json!({"i": i}));
                let run = engine
                    .start_execution(arn, start)
                    .await
                    .unwrap_or_else(|e| panic!("start: {e}"));
                run.wait()
                    .await
                    .unwrap_or_else(|e| panic!("wait: {e}"))
                    .status
            }))
            .await;
            assert!(runs.iter().all(|s| *s == ExecutionStatus::Succeeded));
        }
    };
    rt.block_on(run(1));
    let mut group = c.benchmark_group("activity");
    group.throughput(Throughput::Elements(1));
    group.bench_function("round_trip", |b| b.iter(|| rt.block_on(run(1))));
    group.throughput(Throughput::Elements(IN_FLIGHT as u64));
    group.bench_function("100_in_flight", |b| b.iter(|| rt.block_on(run(IN_FLIGHT))));
    group.finish();
    worker.abort();
}

fn main() {
    if let Ok(spec) = std::env::var("SFN_BENCH_FIXED") {
        fixed_runs(&spec);
        return;
    }
    let mut c = config();
    counter_loop(&mut c);
    map(&mut c);
    concurrent_executions(&mut c);
    activity(&mut c);
    jsonata(&mut c);
    c.final_summary();
}
