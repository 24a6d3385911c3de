//! The loops: one supervisor per worker; per activity, its ARN found, then one slot per
//! unit of concurrency, each polling only while it is free and running what it gets.
//!
//! A `GetActivityTask` in flight is never dropped on AWS: the service may hand that poll
//! a task, which would then be lost until it timed out. A stop therefore starts no new
//! polls and awaits the ones out (the AWS back end's client gives the call an attempt
//! timeout above the service's 60 s hold, so a dead connection cannot hold a stop
//! forever). On the embedded engine, where a task leaves its queue only in the poll's
//! last, synchronous step, a poll is dropped at once.

use std::sync::Arc;

use tokio_util::task::TaskTracker;

use super::{
    shared::{Served, Shared},
    stats::bump,
    task,
};
use crate::client::{ActivityTask, BackendKind, Error};

/// Runs the worker until it is stopped and every poll and task is done.
pub(super) async fn supervise(shared: Arc<Shared>, served: Vec<Arc<Served>>) {
    // The handle learns of the end even if this task panics.
    let _finished = shared.shutdown.finished.clone().drop_guard();
    let tracker = TaskTracker::new();
    for s in served {
        tracker.spawn(serve_activity(shared.clone(), s, tracker.clone()));
    }
    tracker.close();
    shared.shutdown.stop.cancelled().await;
    let grace = shared.shutdown.grace();
    tracing::info!(
        worker = %shared.worker_name,
        grace_ms = grace.as_millis() as u64,
        running = shared.counters.running.load(std::sync::atomic::Ordering::Relaxed),
        "stopping: no new polls; waiting for the polls out and the tasks held"
    );
    tokio::select! {
        _ = tracker.wait() => {}
        _ = tokio::time::sleep(grace) => {}
        _ = shared.shutdown.abort.cancelled() => {}
    }
    if !tracker.is_empty() {
        tracing::warn!(
            "grace over: the tasks still held are answered {}",
            super::shutdown::SHUTTING_DOWN
        );
        shared.shutdown.abort.cancel();
        tracker.wait().await;
    }
    tracing::info!(worker = %shared.worker_name, "stopped");
}

/// Finds the activity's ARN, then runs its slots.
async fn serve_activity(shared: Arc<Shared>, served: Arc<Served>, tracker: TaskTracker) {
    let Some(arn) = resolve(&shared, &served).await else {
        return;
    };
    tracing::info!(
        activity = %served.full_name,
        arn = %arn,
        concurrency = served.concurrency,
        worker = %shared.worker_name,
        "polling"
    );
    let arn: Arc<str> = Arc::from(arn);
    for _ in 0..served.concurrency {
        tracker.spawn(slot(shared.clone(), served.clone(), arn.clone()));
    }
}

/// The activity's ARN: created if missing (`CreateActivity` is idempotent), or looked up
/// by name when the worker may not create it; tried again with backoff until it is found
/// or the worker stops (`None` then).
async fn resolve(shared: &Shared, served: &Served) -> Option<String> {
    let name = &served.full_name;
    if name.starts_with("arn:") {
        return Some(name.clone());
    }
    let backend = shared.sfn.backend();
    let mut attempt: u32 = 0;
    loop {
        if shared.shutdown.stop.is_cancelled() {
            return None;
        }
        let e = match backend.create_activity(name, &[]).await {
            Ok(arn) => return Some(arn),
            Err(e) if e.is_retryable() => e,
            Err(created) => match shared.sfn.activity_arn(name).await {
                Ok(arn) => return Some(arn),
                Err(found) => {
                    tracing::warn!(activity = %name, create = %created, lookup = %found, "cannot find the activity");
                    found
                }
            },
        };
        let delay = if e.is_retryable() {
            shared.poll_backoff.delay(attempt)
        } else {
            shared.poll_backoff.cap()
        };
        attempt = attempt.saturating_add(1);
        bump(&shared.counters.retries);
        shared.shutdown.sleep(delay).await;
    }
}

/// One unit of concurrency: polls while free, runs what it gets, until the worker stops.
async fn slot(shared: Arc<Shared>, served: Arc<Served>, arn: Arc<str>) {
    let mut attempt: u32 = 0;
    while !shared.shutdown.stop.is_cancelled() {
        match poll(&shared, &arn).await {
            Ok(Some(t)) => {
                attempt = 0;
                task::run(&shared, &served, t).await;
            }
            Ok(None) => attempt = 0,
            Err(e) => {
                bump(&shared.counters.poll_errors);
                let delay = if e.is_retryable() {
                    bump(&shared.counters.retries);
                    let d = shared.poll_backoff.delay(attempt);
                    tracing::debug!(activity = %served.full_name, error = %e, attempt, delay_ms = d.as_millis() as u64, "poll failed, retrying");
                    attempt = attempt.saturating_add(1);
                    d
                } else {
                    tracing::warn!(activity = %served.full_name, error = %e, "poll refused; trying again later");
                    shared.poll_backoff.cap()
                };
                shared.shutdown.sleep(delay).await;
            }
        }
    }
}

/// One `GetActivityTask`: awaited to its end, except on the embedded engine.
async fn poll(shared: &Shared, arn: &str) -> Result<Option<ActivityTask>, Error> {
    let backend = shared.sfn.backend();
    let call = backend.get_activity_task(arn, Some(&shared.worker_name));
    let r = if backend.kind() == BackendKind::Local {
        tokio::select! {
            biased;
            r = call => r,
            _ = shared.shutdown.stop.cancelled() => Ok(None),
        }
    } else {
        call.await
    };
    if r.is_ok() {
        bump(&shared.counters.polls);
    }
    r
}
