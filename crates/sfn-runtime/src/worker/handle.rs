//! [`WorkerHandle`]: a running worker's counters and its stop.

use std::{sync::Arc, time::Duration};

use super::{WorkerStats, shared::Shared};

/// A running worker ([`WorkerBuilder::spawn`](super::WorkerBuilder::spawn)).
///
/// Dropping the handle stops the worker as [`stop`](Self::stop) does, without waiting.
#[must_use = "dropping the handle stops the worker"]
pub struct WorkerHandle {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for WorkerHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkerHandle")
            .field("name", &self.shared.worker_name)
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

impl WorkerHandle {
    pub(super) fn new(shared: Arc<Shared>) -> Self {
        WorkerHandle { shared }
    }

    /// The worker's name, as polls report it.
    pub fn name(&self) -> &str {
        &self.shared.worker_name
    }

    /// The counters so far.
    pub fn stats(&self) -> WorkerStats {
        self.shared.counters.snapshot()
    }

    /// Asks the worker to stop, with the builder's grace, and returns at once: no new
    /// polls start; handlers see [`TaskContext::is_stopping`](crate::activity::TaskContext::is_stopping).
    pub fn stop(&self) {
        self.shared.shutdown.request(None);
    }

    /// Asks the worker to stop with the grace `grace`, and returns at once. A grace of
    /// zero, asked after a stop, ends that stop's grace at once.
    pub fn stop_with_grace(&self, grace: Duration) {
        self.shared.shutdown.request(Some(grace));
    }

    /// Whether a stop was asked.
    pub fn is_stopping(&self) -> bool {
        self.shared.shutdown.stop.is_cancelled()
    }

    /// Whether the worker has ended.
    pub fn is_finished(&self) -> bool {
        self.shared.shutdown.finished.is_cancelled()
    }

    /// Waits until the worker has ended (after a stop, asked here, by another clone of
    /// the stop, or by a signal) and returns its counters.
    pub async fn wait(&self) -> WorkerStats {
        self.shared.shutdown.finished.cancelled().await;
        self.stats()
    }

    /// Stops the worker with the builder's grace and waits for its end:
    ///
    /// 1. no new `GetActivityTask` starts; backoffs are cut short;
    /// 2. the polls out are awaited, never dropped (the service may hand them a task):
    ///    on AWS that can take up to the 60 s hold;
    /// 3. the tasks held, and the tasks those polls bring, run until the grace ends;
    /// 4. then every handler still running is dropped and its task answered with
    ///    `SendTaskFailure` error `Worker.ShuttingDown`, as is any task a poll brings
    ///    later. No task is left unanswered.
    ///
    /// Returns the counters at the end.
    pub async fn shutdown(&self) -> WorkerStats {
        self.stop();
        self.wait().await
    }

    /// As [`shutdown`](Self::shutdown), with the grace `grace`.
    pub async fn shutdown_with_grace(&self, grace: Duration) -> WorkerStats {
        self.stop_with_grace(grace);
        self.wait().await
    }
}

impl Drop for WorkerHandle {
    fn drop(&mut self) {
        self.shared.shutdown.request(None);
    }
}
