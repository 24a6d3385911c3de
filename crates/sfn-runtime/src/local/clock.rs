//! Time, injectable: the engine never reads the system clock or sleeps except through a
//! [`Clock`].

use std::{
    collections::BTreeSet,
    future::Future,
    pin::Pin,
    sync::{
        Mutex, MutexGuard, PoisonError,
        atomic::{AtomicI64, Ordering},
    },
    time::Duration,
};

use chrono::{DateTime, Utc};
use tokio::sync::Notify;

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

/// How a [`VirtualClock`] lets its sleeps end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// The earliest pending sleep ends once the scheduler has settled.
    Auto,
    /// Sleeps end only when [`Clock::advance`] moves time past them.
    Manual,
}

/// A clock that starts at a fixed time and moves only when something waits on it.
///
/// In automatic mode, Waits and retry intervals advance it at once. Sleeps (a task's `TimeoutSeconds` or
/// `HeartbeatSeconds`, a machine's `TimeoutSeconds`, an activity poll) are kept by
/// deadline and end in deadline order:
///
/// - [`VirtualClock::default`] and [`VirtualClock::new`] run *automatically*: the sleep
///   with the earliest deadline first lets other work run for a few scheduler turns (so
///   that an answer already on its way wins over a timeout), then moves the clock to its
///   deadline and ends. Runs are deterministic and take no real time, as long as what
///   answers tasks (mocks, handlers, workers in the same process) answers without
///   waiting on the outside world.
/// - [`VirtualClock::manual`] ends a sleep only when [`Clock::advance`] moves the time
///   past its deadline, and Waits and retry intervals are sleeps too: a test decides
///   exactly when a Wait ends or a heartbeat or a timeout is due.
#[derive(Debug)]
pub struct VirtualClock {
    now_micros: AtomicI64,
    mode: Mode,
    sleepers: Mutex<Sleepers>,
    changed: Notify,
}

#[derive(Debug, Default)]
struct Sleepers {
    /// Pending sleeps by (deadline in µs, sequence number).
    pending: BTreeSet<(i64, u64)>,
    next: u64,
}

/// 2024-01-01T00:00:00Z.
const DEFAULT_START_MICROS: i64 = 1_704_067_200_000_000;

impl VirtualClock {
    /// The scheduler turns a sleep yields, in automatic mode, before it ends.
    const YIELDS: usize = 32;

    fn with_mode(start_micros: i64, mode: Mode) -> Self {
        VirtualClock {
            now_micros: AtomicI64::new(start_micros),
            mode,
            sleepers: Mutex::default(),
            changed: Notify::new(),
        }
    }

    /// An automatic clock reading `start`.
    pub fn new(start: DateTime<Utc>) -> Self {
        VirtualClock::with_mode(start.timestamp_micros(), Mode::Auto)
    }

    /// A manual clock reading `start`: sleeps end only when [`Clock::advance`] passes
    /// their deadline.
    pub fn manual(start: DateTime<Utc>) -> Self {
        VirtualClock::with_mode(start.timestamp_micros(), Mode::Manual)
    }

    fn micros(&self) -> i64 {
        self.now_micros.load(Ordering::Acquire)
    }

    fn sleepers(&self) -> MutexGuard<'_, Sleepers> {
        self.sleepers.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The number of sleeps pending (for tests that wait until the engine is parked).
    pub fn pending_sleeps(&self) -> usize {
        self.sleepers().pending.len()
    }
}

impl Default for VirtualClock {
    /// An automatic clock reading 2024-01-01T00:00:00Z.
    fn default() -> Self {
        VirtualClock::with_mode(DEFAULT_START_MICROS, Mode::Auto)
    }
}

/// Removes a sleep from the pending set when it ends or is dropped.
struct Registration<'a> {
    clock: &'a VirtualClock,
    key: (i64, u64),
}

impl Drop for Registration<'_> {
    fn drop(&mut self) {
        let removed = self.clock.sleepers().pending.remove(&self.key);
        if removed {
            self.clock.changed.notify_waiters();
        }
    }
}

impl Clock for VirtualClock {
    fn now(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_micros(self.micros()).unwrap_or_default()
    }

    fn sleep(&self, duration: Duration) -> Sleep<'_> {
        Box::pin(async move {
            let micros = i64::try_from(duration.as_micros()).unwrap_or(i64::MAX);
            let deadline = self.micros().saturating_add(micros);
            let key = {
                let mut s = self.sleepers();
                let key = (deadline, s.next);
                s.next += 1;
                s.pending.insert(key);
                key
            };
            let _registration = Registration { clock: self, key };
            loop {
                let notified = self.changed.notified();
                tokio::pin!(notified);
                notified.as_mut().enable();
                if self.micros() >= deadline {
                    return;
                }
                if self.mode == Mode::Auto {
                    for _ in 0..Self::YIELDS {
                        tokio::task::yield_now().await;
                    }
                    if self.micros() >= deadline {
                        return;
                    }
                    let earliest = self.sleepers().pending.first() == Some(&key);
                    if earliest {
                        let _ = self.now_micros.fetch_update(
                            Ordering::AcqRel,
                            Ordering::Acquire,
                            |t| Some(t.max(deadline)),
                        );
                        self.changed.notify_waiters();
                        return;
                    }
                }
                notified.await;
            }
        })
    }

    fn is_virtual(&self) -> bool {
        // A manual clock moves only when its owner moves it: Waits suspend until then.
        self.mode == Mode::Auto
    }

    fn advance(&self, duration: Duration) {
        let micros = i64::try_from(duration.as_micros()).unwrap_or(i64::MAX);
        if micros == 0 {
            return;
        }
        let _ = self
            .now_micros
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| {
                Some(t.saturating_add(micros))
            });
        // Wake the sleeps whose deadline has passed (cheap when none are pending).
        let due = self
            .sleepers()
            .pending
            .first()
            .is_some_and(|(d, _)| *d <= self.micros());
        if due {
            self.changed.notify_waiters();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    #[tokio::test]
    async fn sleeps_end_in_deadline_order() {
        let clock = Arc::new(VirtualClock::default());
        let start = clock.now();
        let (a, b) = (clock.clone(), clock.clone());
        let long = tokio::spawn(async move {
            a.sleep(Duration::from_secs(10)).await;
            a.now()
        });
        let short = tokio::spawn(async move {
            b.sleep(Duration::from_secs(5)).await;
            b.now()
        });
        let (long, short) = (long.await, short.await);
        assert_eq!(short.ok(), Some(start + chrono::Duration::seconds(5)));
        assert_eq!(long.ok(), Some(start + chrono::Duration::seconds(10)));
    }

    #[tokio::test]
    async fn manual_sleeps_wait_for_advance() {
        let clock = Arc::new(VirtualClock::manual(Utc::now()));
        let c = clock.clone();
        let sleeper = tokio::spawn(async move { c.sleep(Duration::from_secs(3)).await });
        while clock.pending_sleeps() == 0 {
            tokio::task::yield_now().await;
        }
        clock.advance(Duration::from_secs(2));
        for _ in 0..100 {
            tokio::task::yield_now().await;
        }
        assert!(!sleeper.is_finished());
        clock.advance(Duration::from_secs(1));
        assert!(sleeper.await.is_ok());
        assert_eq!(clock.pending_sleeps(), 0);
    }
}
