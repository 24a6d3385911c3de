//! Time, injectable: the engine never reads the system clock or sleeps except through a
//! [`Clock`].

use std::{
    future::Future,
    pin::Pin,
    sync::atomic::{AtomicI64, Ordering},
    time::Duration,
};

use chrono::{DateTime, Utc};

/// A boxed future, as [`Clock::sleep`] returns.
pub type Sleep<'a> = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

/// Where the engine gets the time from and how it waits.
pub trait Clock: Send + Sync + 'static {
    /// The current time.
    fn now(&self) -> DateTime<Utc>;

    /// Waits for `duration`.
    fn sleep(&self, duration: Duration) -> Sleep<'_>;

    /// Whether time only moves when the engine moves it: Waits and retry intervals then
    /// take no real time, and the interpreter does them without suspending.
    fn is_virtual(&self) -> bool {
        false
    }

    /// Moves a virtual clock forward. Real clocks ignore it.
    fn advance(&self, duration: Duration) {
        let _ = duration;
    }
}

/// The real clock: the system time, and tokio's timers.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn sleep(&self, duration: Duration) -> Sleep<'_> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// A clock that starts at a fixed time and moves only when something waits on it.
///
/// A Wait or a retry interval advances it at once; a sleep (a task's timeout, say)
/// first lets other work run for a few scheduler turns, so that a response that is
/// already available wins over the timeout, then advances the clock and completes.
/// Runs are deterministic and take no real time.
#[derive(Debug)]
pub struct VirtualClock {
    now_micros: AtomicI64,
}

impl VirtualClock {
    /// The scheduler turns a sleep yields before it completes.
    const YIELDS: usize = 32;

    /// A clock reading `start`.
    pub fn new(start: DateTime<Utc>) -> Self {
        VirtualClock {
            now_micros: AtomicI64::new(start.timestamp_micros()),
        }
    }
}

impl Default for VirtualClock {
    /// A clock reading 2024-01-01T00:00:00Z.
    fn default() -> Self {
        VirtualClock {
            now_micros: AtomicI64::new(1_704_067_200_000_000),
        }
    }
}

impl Clock for VirtualClock {
    fn now(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_micros(self.now_micros.load(Ordering::Relaxed)).unwrap_or_default()
    }

    fn sleep(&self, duration: Duration) -> Sleep<'_> {
        Box::pin(async move {
            for _ in 0..Self::YIELDS {
                tokio::task::yield_now().await;
            }
            self.advance(duration);
        })
    }

    fn is_virtual(&self) -> bool {
        true
    }

    fn advance(&self, duration: Duration) {
        let micros = i64::try_from(duration.as_micros()).unwrap_or(i64::MAX);
        let _ = self
            .now_micros
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |t| {
                Some(t.saturating_add(micros))
            });
    }
}
