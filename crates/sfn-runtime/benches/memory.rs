//! Memory the embedded engine holds per 1,000 history events.
//!
//! `cargo bench -p sfn-runtime --bench memory` runs the counter loop (about 20,000 events
//! an execution) and reads the process's resident memory (`VmRSS`, `VmHWM` in
//! `/proc/self/status`, Linux only) before and after: first the peak while one execution
//! runs, then what an engine keeps for many finished executions, whose histories it holds
//! until it is dropped. Prints one line per figure.

use std::time::Instant;

use serde_json::json;
use sfn_runtime::local::{ExecutionStatus, StartExecution};

mod common;
use common::{COUNTER, current_thread, engine_with, pass_chain, run_status};

/// Finished executions kept by one engine for the retained-memory figure.
const KEPT: usize = 20;

/// A field of `/proc/self/status` in KiB (`VmHWM`, `VmRSS`), when there is one.
fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        // `cargo test --benches` asks harness-less benches for their tests.
        return;
    }
    let rt = current_thread();
    // A warm-up on a small machine starts the runtime and the allocator.
    {
        let (engine, arn) = engine_with("warm", &pass_chain(10));
        let status = rt.block_on(run_status(&engine, &arn, json!({})));
        assert_eq!(status, ExecutionStatus::Succeeded);
    }
    let (Some(rss0), Some(hwm0)) = (status_kib("VmRSS"), status_kib("VmHWM")) else {
        println!("no /proc/self/status: memory not measured");
        return;
    };

    // Peak while one execution runs and its engine is alive.
    let (engine, arn) = engine_with("counter", COUNTER);
    let started = Instant::now();
    let run = rt
        .block_on(engine.start_execution(&arn, StartExecution::new(json!({}))))
        .unwrap_or_else(|e| panic!("start: {e}"));
    let done = rt
        .block_on(run.wait())
        .unwrap_or_else(|e| panic!("wait: {e}"));
    let elapsed = started.elapsed();
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{:?}", done.cause);
    let hwm1 = status_kib("VmHWM").unwrap_or(hwm0);
    let events = engine
        .get_execution_history(run.arn())
        .map_or(0, |h| h.len() as u64);
    drop((run, engine));
    let grew = hwm1.saturating_sub(hwm0.max(rss0));
    println!(
        "one execution: {events} events in {elapsed:?}; peak RSS grew {grew} KiB ({:.1} KiB per 1,000 events)",
        grew as f64 * 1000.0 / events as f64
    );

    // What an engine keeps: KEPT finished executions.
    let rss2 = status_kib("VmRSS").unwrap_or(rss0);
    let (engine, arn) = engine_with("counter", COUNTER);
    for _ in 0..KEPT {
        let status = rt.block_on(run_status(&engine, &arn, json!({})));
        assert_eq!(status, ExecutionStatus::Succeeded);
    }
    let rss3 = status_kib("VmRSS").unwrap_or(rss2);
    let hwm3 = status_kib("VmHWM").unwrap_or(hwm1);
    let kept_events = events * KEPT as u64;
    println!(
        "{KEPT} executions kept: {kept_events} events; RSS grew {} KiB ({:.1} KiB per 1,000 events); peak RSS {hwm3} KiB",
        rss3.saturating_sub(rss2),
        rss3.saturating_sub(rss2) as f64 * 1000.0 / kept_events as f64
    );
    drop(engine);
    let rss4 = status_kib("VmRSS").unwrap_or(rss3);
    println!("engine dropped: RSS {rss4} KiB (was {rss2} KiB before)");
}
