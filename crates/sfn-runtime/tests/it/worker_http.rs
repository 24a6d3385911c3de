//! Workers over HTTP against the local endpoint, through the AWS back end: faults
//! injected on polls and sends, held polls, shutdowns with polls out.

use std::{
    collections::BTreeMap,
    net::SocketAddr,
    sync::{Arc, atomic::Ordering},
    time::Duration,
};

use aws_sdk_sfn::config::retry::RetryConfig;
use serde_json::json;
use sfn_runtime::{
    client::{AwsBackend, Backend, Sfn},
    local::{EventType, ExecutionStatus, LocalEngine},
    server::{Faults, Server, ServerHandle},
    worker::{Backoff, Concurrency, SHUTTING_DOWN},
};

use super::worker::{
    Counting, Fault, add, count, machine, probe, spawn, start, stopped_execution_case, wait,
};

/// A server on a free loopback port with polls held `poll`, and faults.
async fn serve(poll: Duration, faults: &str) -> ServerHandle {
    let faults = if faults.is_empty() {
        Faults::default()
    } else {
        Faults::parse(faults).unwrap_or_else(|e| panic!("{e}"))
    };
    Server::builder()
        .engine(LocalEngine::new())
        .bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .activity_poll_timeout(poll)
        .faults(faults)
        .faults_seed(7)
        .build()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The AWS back end for `server`, with the SDK's own retries off so that every fault
/// reaches the worker.
fn aws_backend(server: &ServerHandle) -> Arc<dyn Backend> {
    let config = sfn_runtime::aws::local_config(server.endpoint_url())
        .retry_config(RetryConfig::disabled())
        .build();
    Arc::new(AwsBackend::new(aws_sdk_sfn::Client::from_conf(config)))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_tasks_through_faults_are_each_answered_exactly_once() {
    const TASKS: usize = 1000;
    // About 15% of polls and of sends fail or are throttled; 5% of every call is delayed.
    let server = serve(
        Duration::from_secs(1),
        "GetActivityTask:throttle=0.08,GetActivityTask:error=0.07,\
         SendTaskSuccess:error=0.08,SendTaskSuccess:throttle=0.07,\
         SendTaskHeartbeat:error=0.1,*:delay=0.05@20ms",
    )
    .await;
    let engine = server.engine().clone();
    let backend = Counting::new(aws_backend(&server), Fault::None);
    let sfn = Sfn::with_backend(backend.clone());
    let arn = engine
        .create_activity("add")
        .unwrap_or_else(|e| panic!("{e}"));
    let machine = machine(&engine, "adder", &arn, Some(10));
    let mut runs = Vec::with_capacity(TASKS);
    for i in 0..TASKS {
        runs.push((i, start(&engine, &machine, json!({"a": i, "b": 1})).await));
    }
    let started = std::time::Instant::now();
    let worker = spawn(
        sfn.worker()
            .activity_with(add, Concurrency(16))
            .poll_backoff(Backoff::new(
                Duration::from_millis(10),
                Duration::from_millis(500),
            ))
            .send_retries(
                Backoff::new(Duration::from_millis(10), Duration::from_millis(500)),
                Duration::from_secs(30),
            ),
    );
    for (i, run) in &runs {
        let done = wait(run).await;
        assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
        assert_eq!(done.output, Some(json!(i + 1)));
        assert_eq!(count(run, EventType::ActivityStarted), 1);
        assert_eq!(count(run, EventType::ActivitySucceeded), 1);
        assert_eq!(count(run, EventType::ActivityFailed), 0);
    }
    let elapsed = started.elapsed();
    let stats = worker.shutdown().await;
    let errors = backend.errors();
    let faults: usize = errors.values().sum();
    // Every token answered once: exactly as many answers accepted as tasks.
    assert_eq!(backend.ok("SendTaskSuccess"), TASKS, "{errors:?}");
    assert_eq!(backend.ok("SendTaskFailure"), 0);
    assert_eq!(
        (
            stats.polled,
            stats.succeeded,
            stats.failed,
            stats.timed_out,
            stats.undelivered
        ),
        (TASKS as u64, TASKS as u64, 0, 0, 0),
        "{stats:?}"
    );
    assert!(faults >= 100, "too few faults to mean anything: {errors:?}");
    assert_eq!(
        stats.retries,
        (stats.poll_errors + stats.send_errors),
        "{stats:?}"
    );
    println!(
        "{TASKS} tasks in {elapsed:?}: faults {faults} {errors:?}; retries {}; polls {}; lost 0, duplicated 0",
        stats.retries, stats.polls
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_poll_held_its_full_time_comes_back_empty_and_polling_goes_on() {
    let server = serve(Duration::from_millis(700), "").await;
    let engine = server.engine().clone();
    let sfn = Sfn::with_backend(aws_backend(&server));
    let arn = engine
        .create_activity("add")
        .unwrap_or_else(|e| panic!("{e}"));
    let machine = machine(&engine, "adder", &arn, None);
    let worker = spawn(sfn.worker().activity(add));
    for _ in 0..200 {
        if worker.stats().polls >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let stats = worker.stats();
    assert!(stats.polls >= 2 && stats.polled == 0, "{stats:?}");
    let done = wait(&start(&engine, &machine, json!({"a": 1, "b": 2})).await).await;
    assert_eq!(done.output, Some(json!(3)));
    let stats = worker.shutdown().await;
    assert_eq!(
        (stats.polled, stats.succeeded, stats.poll_errors),
        (1, 1, 0),
        "{stats:?}"
    );
}

/// The service holds a poll 60 s: the client the worker uses must not cut it (sfini's
/// 60 s read timeout did), and the worker polls again when it comes back empty. The
/// client is the one `Sfn::with_endpoint` makes, with its default timeouts (10 s an
/// attempt, 30 s a call, but for `GetActivityTask`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_poll_held_the_full_60_seconds_is_not_cut_by_the_client() {
    let server = serve(Duration::from_secs(60), "").await;
    let engine = server.engine().clone();
    let arn = engine
        .create_activity("add")
        .unwrap_or_else(|e| panic!("{e}"));
    let machine = machine(&engine, "adder", &arn, None);
    let sfn = Sfn::with_endpoint(server.endpoint_url());
    let worker = spawn(sfn.worker().activity(add));
    let started = std::time::Instant::now();
    // The first poll comes back empty after the hold.
    while worker.stats().polls < 1 {
        assert!(
            started.elapsed() < Duration::from_secs(75),
            "the held poll never came back: {:?}",
            worker.stats()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        started.elapsed() >= Duration::from_secs(59),
        "{:?}",
        started.elapsed()
    );
    let stats = worker.stats();
    assert_eq!((stats.polled, stats.poll_errors), (0, 0), "{stats:?}");
    // The next poll is out already: a task is taken at once.
    let done = wait(&start(&engine, &machine, json!({"a": 1, "b": 2})).await).await;
    assert_eq!(done.output, Some(json!(3)));
    assert!(started.elapsed() < Duration::from_secs(70));
    drop(worker);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shutdown_with_polls_out_and_tasks_running_leaves_no_token_unanswered() {
    let server = serve(Duration::from_secs(2), "").await;
    let engine = server.engine().clone();
    let sfn = Sfn::with_backend(aws_backend(&server));
    let (p, seen) = probe("sleepy", None);
    let arn = engine
        .create_activity("sleepy")
        .unwrap_or_else(|e| panic!("{e}"));
    let machine = machine(&engine, "sleepy", &arn, None);
    let worker = spawn(sfn.worker().activity_with(p, Concurrency(6)));
    let mut runs = Vec::new();
    for ms in [150, 150, 60_000, 60_000] {
        runs.push(start(&engine, &machine, json!({ "ms": ms })).await);
    }
    crate::support::until(|| seen.started.load(Ordering::SeqCst) == 4).await;
    // Two polls are out: the stop awaits them, and the tasks they bring run in the grace.
    tokio::time::sleep(Duration::from_millis(50)).await;
    worker.stop_with_grace(Duration::from_millis(800));
    assert!(!worker.is_finished());
    for _ in 0..2 {
        runs.push(start(&engine, &machine, json!({"ms": 100})).await);
    }
    let stats = tokio::time::timeout(Duration::from_secs(10), worker.wait())
        .await
        .unwrap_or_else(|_| panic!("the worker did not stop"));
    let mut ended = BTreeMap::<String, usize>::new();
    for run in &runs {
        let done = wait(run).await;
        let how = match done.status {
            ExecutionStatus::Succeeded => "succeeded".to_owned(),
            _ => done.error.unwrap_or_default(),
        };
        *ended.entry(how).or_default() += 1;
    }
    assert_eq!(
        ended,
        BTreeMap::from([("succeeded".to_owned(), 4), (SHUTTING_DOWN.to_owned(), 2)]),
        "{stats:?}"
    );
    assert_eq!(
        (stats.polled, stats.succeeded, stats.shut_down),
        (6, 4, 2),
        "{stats:?}"
    );
    // After the end, a task waits in its queue for the next worker: not taken, not lost.
    let later = start(&engine, &machine, json!({"ms": 1})).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(count(&later, EventType::ActivityStarted), 0);
    assert_eq!(seen.started.load(Ordering::SeqCst), 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_a_poll_brings_after_the_grace_is_given_back_at_once() {
    let server = serve(Duration::from_secs(2), "").await;
    let engine = server.engine().clone();
    let sfn = Sfn::with_backend(aws_backend(&server));
    let (p, seen) = probe("late", None);
    let arn = engine
        .create_activity("late")
        .unwrap_or_else(|e| panic!("{e}"));
    let machine = machine(&engine, "late", &arn, None);
    let worker = spawn(sfn.worker().activity(p));
    // Let the poll go out, then stop with no grace: the poll is still awaited.
    tokio::time::sleep(Duration::from_millis(200)).await;
    worker.stop_with_grace(Duration::ZERO);
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(!worker.is_finished());
    let run = start(&engine, &machine, json!({"ms": 1})).await;
    let done = wait(&run).await;
    assert_eq!(done.error.as_deref(), Some(SHUTTING_DOWN), "{done:?}");
    let stats = tokio::time::timeout(Duration::from_secs(5), worker.wait())
        .await
        .unwrap_or_else(|_| panic!("the worker did not stop"));
    assert_eq!((stats.polled, stats.shut_down), (1, 1), "{stats:?}");
    assert_eq!(seen.started.load(Ordering::SeqCst), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_execution_cancels_its_handler_over_http() {
    let server = serve(Duration::from_secs(2), "").await;
    let engine = server.engine().clone();
    stopped_execution_case(Sfn::with_backend(aws_backend(&server)), &engine).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_activity_is_created_and_served_over_http() {
    let server = serve(Duration::from_millis(500), "").await;
    let engine = server.engine().clone();
    let sfn = Sfn::with_endpoint(server.endpoint_url());
    let worker = spawn(sfn.worker().prefix("http-").activity(add));
    crate::support::until(|| !engine.list_activities().is_empty()).await;
    let arn = engine.list_activities().remove(0);
    assert!(arn.ends_with(":activity:http-add"), "{arn}");
    let machine = machine(&engine, "adder", &arn, None);
    let done = wait(&start(&engine, &machine, json!({"a": 20, "b": 22})).await).await;
    assert_eq!(done.output, Some(json!(42)));
    assert_eq!(worker.shutdown().await.succeeded, 1);
}
