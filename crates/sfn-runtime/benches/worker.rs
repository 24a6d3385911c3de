//! Activity round trips per second through the worker (`sfn_runtime::worker`): tasks
//! queued first (executions started, each waiting on its activity task), then a worker
//! spawned and timed until it has answered them all. On the embedded engine in-process,
//! and over HTTP against a local endpoint (`sfn_runtime::server::Server`) in the same
//! process, 16 tasks at once. Run by hand:
//!
//! ```sh
//! cargo bench -p sfn-runtime --features worker,server,aws --bench worker
//! ```
//!
//! Environment: `SFN_BENCH_TASKS` (tasks in-process, 100,000 by default; over HTTP a fifth
//! of it), `SFN_BENCH_CONCURRENCY` (16 by default).

use std::{
    net::SocketAddr,
    time::{Duration, Instant},
};

use serde_json::json;
use sfn_runtime::{
    client::Sfn,
    local::{EventType, Execution, ExecutionStatus, LocalEngine, StartExecution},
    prelude::*,
    server::Server,
    worker::Concurrency,
};

type Error = Box<dyn std::error::Error + Send + Sync>;

#[derive(Deserialize, JsonSchema)]
struct Numbers {
    a: i64,
    b: i64,
}

/// Adds two numbers.
#[activity(name = "add")]
async fn add(input: Numbers, _ctx: &TaskContext) -> Result<i64, TaskError> {
    Ok(input.a + input.b)
}

fn main() -> Result<(), Error> {
    // `cargo test --benches` runs bench targets without `--bench`: nothing to do then.
    if !std::env::args().any(|a| a == "--bench") {
        println!(
            "worker bench: run with `cargo bench -p sfn-runtime --features worker,server,aws --bench worker`"
        );
        return Ok(());
    }
    let tasks: usize = std::env::var("SFN_BENCH_TASKS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let concurrency: usize = std::env::var("SFN_BENCH_CONCURRENCY")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(16);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let engine = LocalEngine::new();
        let (rate, cpu) = round_trips(
            Sfn::with_engine(engine.clone()),
            &engine,
            tasks,
            concurrency,
        )
        .await?;
        println!(
            "worker, embedded engine: {tasks} activity round trips, {concurrency} at once: {rate:.0}/s; CPU {cpu:.1} µs a round trip"
        );

        let engine = LocalEngine::new();
        let server = Server::builder()
            .engine(engine.clone())
            .bind(SocketAddr::from(([127, 0, 0, 1], 0)))
            .activity_poll_timeout(Duration::from_secs(2))
            .build()
            .await?;
        let http_tasks = (tasks / 5).max(1);
        let (rate, cpu) = round_trips(
            Sfn::with_endpoint(server.endpoint_url()),
            &engine,
            http_tasks,
            concurrency,
        )
        .await?;
        println!(
            "worker, HTTP (local endpoint, aws-sdk-sfn): {http_tasks} activity round trips, {concurrency} at once: {rate:.0}/s; CPU {cpu:.1} µs a round trip (worker, client and server together)"
        );
        server.shutdown().await;
        Ok::<_, Error>(())
    })
}

/// This process's CPU time so far (user + system), from `/proc/self/stat` (100 ticks a
/// second, as on every Linux this runs on); zero elsewhere.
fn cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or(vec![], |(_, rest)| rest.split_whitespace().collect());
    let ticks: u64 = [11, 12]
        .iter()
        .filter_map(|i| fields.get(*i).and_then(|f| f.parse::<u64>().ok()))
        .sum();
    Duration::from_millis(ticks * 10)
}

/// Queues `tasks` tasks of `add` on `engine`, then times a worker of `sfn` answering
/// them all: round trips per second, and the process's CPU time per round trip in µs
/// (which a loaded machine does not inflate as it does the elapsed time).
async fn round_trips(
    sfn: Sfn,
    engine: &LocalEngine,
    tasks: usize,
    concurrency: usize,
) -> Result<(f64, f64), Error> {
    let activity = engine.create_activity("add")?;
    let definition = format!(
        r#"{{"StartAt": "A", "States": {{"A": {{"Type": "Task", "Resource": "{activity}", "End": true}}}}}}"#
    );
    let machine = engine.create_state_machine_json("adder", &definition)?;
    let mut runs: Vec<Execution> = Vec::with_capacity(tasks);
    for i in 0..tasks {
        let input = json!({"a": i, "b": 1});
        runs.push(
            engine
                .start_execution(&machine, StartExecution::new(input))
                .await?,
        );
    }
    // Every task queued before the clock starts.
    if let Some(last) = runs.last() {
        while !last
            .history()
            .events()
            .iter()
            .any(|e| e.event_type == EventType::ActivityScheduled)
        {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
    let started = Instant::now();
    let cpu_before = cpu();
    let worker = sfn
        .worker()
        .activity_with(add, Concurrency(concurrency))
        .spawn()?;
    while worker.stats().answered() < tasks as u64 {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let elapsed = started.elapsed();
    let cpu_used = cpu().saturating_sub(cpu_before);
    let stats = worker.shutdown().await;
    for run in &runs {
        let done = run.wait().await?;
        if done.status != ExecutionStatus::Succeeded {
            return Err(format!("{} ended {:?}", done.execution_arn, done.status).into());
        }
    }
    if stats.succeeded != tasks as u64 {
        return Err(format!("{stats:?}").into());
    }
    Ok((
        tasks as f64 / elapsed.as_secs_f64(),
        cpu_used.as_secs_f64() * 1e6 / tasks as f64,
    ))
}
