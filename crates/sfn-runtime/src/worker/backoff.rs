//! Retry delays: exponential backoff with full jitter, capped.

use std::time::Duration;

/// Exponential backoff with full jitter: the `n`-th retry (from 0) waits a random time
/// between zero and `min(cap, base × 2ⁿ)`, as AWS's guidance on throttling advises, so
/// that many workers throttled at once do not come back at once.
///
/// ```
/// use std::time::Duration;
/// use sfn_runtime::worker::Backoff;
///
/// let b = Backoff::new(Duration::from_millis(50), Duration::from_secs(20));
/// assert_eq!(b.ceiling(0), Duration::from_millis(50));
/// assert_eq!(b.ceiling(3), Duration::from_millis(400));
/// assert_eq!(b.ceiling(40), Duration::from_secs(20));
/// assert_eq!(b.delay_at(3, 0.5), Duration::from_millis(200));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    base: Duration,
    cap: Duration,
}

impl Backoff {
    /// The polls' default: 50 ms, doubling, up to 20 s.
    pub const POLL: Backoff = Backoff::new(Duration::from_millis(50), Duration::from_secs(20));

    /// The sends' default (`SendTaskSuccess`, `SendTaskFailure`): 50 ms, doubling, up to
    /// 5 s.
    pub const SEND: Backoff = Backoff::new(Duration::from_millis(50), Duration::from_secs(5));

    /// A backoff from `base`, doubling each retry, never above `cap` (a cap below the
    /// base is raised to it).
    pub const fn new(base: Duration, cap: Duration) -> Self {
        let cap = if cap.as_nanos() < base.as_nanos() {
            base
        } else {
            cap
        };
        Backoff { base, cap }
    }

    /// The first retry's ceiling.
    pub fn base(&self) -> Duration {
        self.base
    }

    /// The longest any retry waits.
    pub fn cap(&self) -> Duration {
        self.cap
    }

    /// The ceiling of retry `attempt` (from 0): `min(cap, base × 2^attempt)`.
    pub fn ceiling(&self, attempt: u32) -> Duration {
        let factor = 1u32.checked_shl(attempt.min(31)).unwrap_or(u32::MAX);
        self.base.saturating_mul(factor).min(self.cap)
    }

    /// The delay of retry `attempt` for a draw `unit` in `[0, 1)`: `unit × ceiling`.
    /// Pure, for tests; [`delay`](Self::delay) draws `unit` at random.
    pub fn delay_at(&self, attempt: u32, unit: f64) -> Duration {
        let unit = if unit.is_finite() {
            unit.clamp(0.0, 1.0)
        } else {
            0.0
        };
        self.ceiling(attempt).mul_f64(unit)
    }

    /// The delay of retry `attempt`, drawn uniformly between zero and its ceiling.
    pub fn delay(&self, attempt: u32) -> Duration {
        self.delay_at(attempt, fastrand::f64())
    }
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff::POLL
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn the_ceiling_doubles_up_to_the_cap() {
        let b = Backoff::POLL;
        let ceilings: Vec<_> = (0..12).map(|n| b.ceiling(n)).collect();
        assert_eq!(ceilings[0], 50 * MS);
        for pair in ceilings.windows(2) {
            assert!(pair[1] == pair[0] * 2 || pair[1] == b.cap(), "{pair:?}");
        }
        assert_eq!(ceilings[9], Duration::from_secs(20));
        // No overflow however many retries.
        assert_eq!(b.ceiling(u32::MAX), Duration::from_secs(20));
        let huge = Backoff::new(Duration::from_secs(u64::MAX / 2), Duration::MAX);
        assert_eq!(huge.ceiling(64), Duration::MAX);
    }

    #[test]
    fn delays_stay_between_zero_and_the_ceiling() {
        let b = Backoff::SEND;
        for attempt in 0..20 {
            for _ in 0..100 {
                let d = b.delay(attempt);
                assert!(d <= b.ceiling(attempt), "{attempt}: {d:?}");
            }
            assert_eq!(b.delay_at(attempt, 0.0), Duration::ZERO);
            assert_eq!(b.delay_at(attempt, 1.0), b.ceiling(attempt));
            assert_eq!(b.delay_at(attempt, f64::NAN), Duration::ZERO);
            assert_eq!(b.delay_at(attempt, -3.0), Duration::ZERO);
        }
    }

    #[test]
    fn full_jitter_spreads_the_delays() {
        let b = Backoff::POLL;
        let draws: Vec<_> = (0..200).map(|_| b.delay(6)).collect();
        let low = draws.iter().filter(|d| **d < b.ceiling(6) / 2).count();
        // Half below the middle on average; far from all or none.
        assert!((40..160).contains(&low), "{low}");
    }

    #[test]
    fn a_cap_below_the_base_is_the_base() {
        let b = Backoff::new(Duration::from_secs(1), Duration::from_millis(10));
        assert_eq!(b.cap(), Duration::from_secs(1));
        assert_eq!(b.ceiling(5), Duration::from_secs(1));
    }
}
