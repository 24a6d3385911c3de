//! Stopping a worker: no new polls, the polls out awaited, the tasks held finished within
//! a grace, then answered `Worker.ShuttingDown`; and the signals that start it.

use std::{
    sync::atomic::{AtomicU64, Ordering::Relaxed},
    time::Duration,
};

use tokio_util::sync::CancellationToken;

/// The error name of a task the worker gave back because it was stopping.
pub const SHUTTING_DOWN: &str = "Worker.ShuttingDown";

/// The default grace: how long the tasks held may run once a stop is asked.
pub const DEFAULT_GRACE: Duration = Duration::from_secs(10);

/// The two stages of a stop, as tokens every loop watches.
#[derive(Debug)]
pub(super) struct Shutdown {
    /// Cancelled when a stop is asked: no new polls, backoffs cut short, handlers told
    /// (`TaskContext::is_stopping`).
    pub(super) stop: CancellationToken,
    /// Cancelled when the grace is over: handlers still running are dropped and their
    /// tasks answered `Worker.ShuttingDown`, as is every task a poll still out brings.
    pub(super) abort: CancellationToken,
    /// Cancelled once the worker has ended: every poll returned, every task answered.
    pub(super) finished: CancellationToken,
    /// The grace of the first stop asked, in milliseconds.
    grace_ms: AtomicU64,
}

impl Shutdown {
    pub(super) fn new(grace: Duration) -> Self {
        Shutdown {
            stop: CancellationToken::new(),
            abort: CancellationToken::new(),
            finished: CancellationToken::new(),
            grace_ms: AtomicU64::new(millis(grace)),
        }
    }

    /// Asks for a stop with the grace `grace` (when none is given, the builder's). A
    /// later stop may shorten the grace of an earlier one; a grace of zero aborts at once.
    pub(super) fn request(&self, grace: Option<Duration>) {
        if let Some(grace) = grace {
            if self.stop.is_cancelled() {
                if grace.is_zero() {
                    self.abort.cancel();
                }
            } else {
                self.grace_ms.store(millis(grace), Relaxed);
            }
        }
        self.stop.cancel();
    }

    /// The grace of the stop asked.
    pub(super) fn grace(&self) -> Duration {
        Duration::from_millis(self.grace_ms.load(Relaxed))
    }

    /// Sleeps `d`, or less when a stop is asked; whether the sleep was cut short.
    pub(super) async fn sleep(&self, d: Duration) -> bool {
        tokio::select! {
            biased;
            _ = self.stop.cancelled() => true,
            _ = tokio::time::sleep(d) => false,
        }
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// Completes on Ctrl-C (SIGINT) or, on Unix, SIGTERM. When a signal handler cannot be
/// installed, the error is logged and the other signal still counts.
pub(super) async fn terminated() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_stop_cuts_a_sleep_short() {
        let s = Shutdown::new(DEFAULT_GRACE);
        let started = tokio::time::Instant::now();
        assert!(!s.sleep(Duration::from_secs(3)).await);
        assert_eq!(started.elapsed(), Duration::from_secs(3));
        s.request(None);
        assert!(s.sleep(Duration::from_secs(3600)).await);
        assert_eq!(started.elapsed(), Duration::from_secs(3));
    }

    #[test]
    fn the_first_grace_holds_and_a_zero_grace_aborts() {
        let s = Shutdown::new(DEFAULT_GRACE);
        s.request(Some(Duration::from_secs(2)));
        assert_eq!(s.grace(), Duration::from_secs(2));
        assert!(s.stop.is_cancelled() && !s.abort.is_cancelled());
        s.request(Some(Duration::from_secs(5)));
        assert_eq!(s.grace(), Duration::from_secs(2));
        s.request(Some(Duration::ZERO));
        assert!(s.abort.is_cancelled());
    }
}
