//! What a worker has done so far: counters a caller can read at any time.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

/// A snapshot of a worker's counters ([`WorkerHandle::stats`](super::WorkerHandle::stats)).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct WorkerStats {
    /// `GetActivityTask` calls answered (with a task or empty).
    pub polls: u64,
    /// Tasks received.
    pub polled: u64,
    /// Tasks answered with `SendTaskSuccess`.
    pub succeeded: u64,
    /// Tasks answered with `SendTaskFailure`: the handler's error, an output over the
    /// limit, an input that is not JSON (panics and shutdowns are counted apart).
    pub failed: u64,
    /// Tasks whose handler panicked, answered with the error `Worker.Panic`.
    pub panicked: u64,
    /// Tasks that were over before they were answered (`TaskTimedOut`,
    /// `TaskDoesNotExist` or `InvalidToken` on a heartbeat or a send): the handler was
    /// dropped, nothing was sent. Also counts an answer sent again after its reply was
    /// lost (a transport error) and then refused as over: most likely the first send
    /// was taken.
    pub timed_out: u64,
    /// Tasks answered with the error `Worker.ShuttingDown`: the grace ended before they
    /// did, or they arrived after it.
    pub shut_down: u64,
    /// Answers that could not be delivered: refused by the service for another reason,
    /// or still failing when the send deadline passed.
    pub undelivered: u64,
    /// Calls tried again after a retryable error (polls, sends).
    pub retries: u64,
    /// Polls that failed (retryable or not).
    pub poll_errors: u64,
    /// Sends that failed (each attempt).
    pub send_errors: u64,
    /// Heartbeats delivered.
    pub heartbeats: u64,
    /// Heartbeats that could not be delivered (the task may still be running).
    pub heartbeat_errors: u64,
    /// Tasks running now.
    pub running: u64,
}

impl WorkerStats {
    /// Tasks answered, one way or another: succeeded, failed, panicked or shut down.
    pub fn answered(&self) -> u64 {
        self.succeeded + self.failed + self.panicked + self.shut_down
    }
}

/// The live counters.
#[derive(Debug, Default)]
pub(super) struct Counters {
    pub(super) polls: AtomicU64,
    pub(super) polled: AtomicU64,
    pub(super) succeeded: AtomicU64,
    pub(super) failed: AtomicU64,
    pub(super) panicked: AtomicU64,
    pub(super) timed_out: AtomicU64,
    pub(super) shut_down: AtomicU64,
    pub(super) undelivered: AtomicU64,
    pub(super) retries: AtomicU64,
    pub(super) poll_errors: AtomicU64,
    pub(super) send_errors: AtomicU64,
    pub(super) heartbeats: AtomicU64,
    pub(super) heartbeat_errors: AtomicU64,
    pub(super) running: AtomicU64,
}

/// Adds one to a counter.
pub(super) fn bump(counter: &AtomicU64) {
    counter.fetch_add(1, Relaxed);
}

impl Counters {
    pub(super) fn snapshot(&self) -> WorkerStats {
        WorkerStats {
            polls: self.polls.load(Relaxed),
            polled: self.polled.load(Relaxed),
            succeeded: self.succeeded.load(Relaxed),
            failed: self.failed.load(Relaxed),
            panicked: self.panicked.load(Relaxed),
            timed_out: self.timed_out.load(Relaxed),
            shut_down: self.shut_down.load(Relaxed),
            undelivered: self.undelivered.load(Relaxed),
            retries: self.retries.load(Relaxed),
            poll_errors: self.poll_errors.load(Relaxed),
            send_errors: self.send_errors.load(Relaxed),
            heartbeats: self.heartbeats.load(Relaxed),
            heartbeat_errors: self.heartbeat_errors.load(Relaxed),
            running: self.running.load(Relaxed),
        }
    }
}

/// Counts a running task while it lives.
pub(super) struct Running<'a>(&'a AtomicU64);

impl<'a> Running<'a> {
    pub(super) fn start(counter: &'a AtomicU64) -> Self {
        bump(counter);
        Running(counter)
    }
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Relaxed);
    }
}
