//! Heartbeats: how often, and the loop that sends them while a handler runs.

use std::time::Duration;

use super::control::WorkerControl;

/// How often a task of an activity without `HeartbeatSeconds` is beaten: not to keep it
/// alive, but to learn soon enough that its execution was stopped.
pub const UNBOUNDED_HEARTBEAT_INTERVAL: Duration = Duration::from_secs(60);

/// The shortest interval between automatic heartbeats.
const MIN_INTERVAL: Duration = Duration::from_millis(100);

/// How often to beat a task of an activity with `heartbeat_seconds`
/// ([`Activity::heartbeat_seconds`](crate::activity::Activity::heartbeat_seconds)): a
/// third of it, so that two heartbeats may be lost before the task times out (at least
/// 100 ms); [`UNBOUNDED_HEARTBEAT_INTERVAL`] for none (or zero).
///
/// ```
/// use std::time::Duration;
/// use sfn_runtime::worker::heartbeat_interval;
///
/// assert_eq!(heartbeat_interval(Some(30)), Duration::from_secs(10));
/// assert_eq!(heartbeat_interval(Some(1)), Duration::from_millis(333));
/// ```
pub fn heartbeat_interval(heartbeat_seconds: Option<u64>) -> Duration {
    match heartbeat_seconds {
        Some(s) if s > 0 => {
            let interval = Duration::from_millis(s.saturating_mul(1000) / 3);
            interval.max(MIN_INTERVAL)
        }
        _ => UNBOUNDED_HEARTBEAT_INTERVAL,
    }
}

/// Beats the task every `every` until it is over (a heartbeat answered that it is gone,
/// or a manual one did); returns then. A heartbeat that cannot be delivered is logged and
/// counted; the next one is tried on time.
pub(super) async fn beat(control: &WorkerControl, every: Duration) {
    let start = tokio::time::Instant::now() + every;
    let mut ticks = tokio::time::interval_at(start, every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            biased;
            _ = control.gone.cancelled() => return,
            _ = ticks.tick() => {}
        }
        // The outcome is counted, logged and, for a task gone, signalled by `send`.
        let _ = control.send_heartbeat().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_interval_is_a_third_of_the_heartbeat() {
        assert_eq!(heartbeat_interval(Some(3)), Duration::from_secs(1));
        assert_eq!(heartbeat_interval(Some(20)), Duration::from_millis(6666));
        assert_eq!(
            heartbeat_interval(Some(99_999)),
            Duration::from_secs(33_333)
        );
        assert_eq!(heartbeat_interval(None), UNBOUNDED_HEARTBEAT_INTERVAL);
        assert_eq!(heartbeat_interval(Some(0)), UNBOUNDED_HEARTBEAT_INTERVAL);
        // No overflow on absurd values.
        assert!(heartbeat_interval(Some(u64::MAX)) > Duration::from_secs(1 << 40));
    }
}
