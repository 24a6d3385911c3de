//! Retry and catch: which policy applies to an error, and how long to wait.

use std::time::Duration;

use serde_json::{Map, Value};

use crate::model::{Catcher, ErrorName, JitterStrategy, Retrier};

/// The default `IntervalSeconds`.
pub const DEFAULT_INTERVAL_SECONDS: u64 = 1;
/// The default `MaxAttempts`.
pub const DEFAULT_MAX_ATTEMPTS: u64 = 3;
/// The default `BackoffRate`.
pub const DEFAULT_BACKOFF_RATE: f64 = 2.0;

/// Who raised an error. It decides whether `States.ALL` sees `States.DataLimitExceeded`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Origin {
    /// The state itself: evaluating its fields, or an input or output over the size
    /// limit. `States.ALL` matches neither `States.DataLimitExceeded` nor
    /// `States.Runtime`, which are terminal.
    #[default]
    State,
    /// The task's resource: its failure, or its result over the size limit. AWS lets
    /// `States.ALL` catch a `States.DataLimitExceeded` raised for a task's result (the
    /// recorded `catch_state_all_data_limit_exceeded_on_large_utf8_response`).
    Task,
}

fn matches(name: &ErrorName, raised: &str, origin: Origin) -> bool {
    name.matches(raised)
        || (origin == Origin::Task
            && name.is_all()
            && raised == crate::error::states::DATA_LIMIT_EXCEEDED)
}

/// The index of the first retrier whose `ErrorEquals` matches `error`.
///
/// Only the first matching retrier counts: when its attempts are used up, the error is
/// not retried, even if a later retrier also matches.
pub fn retrier_for(retriers: &[Retrier], error: &str) -> Option<usize> {
    retrier_for_origin(retriers, error, Origin::State)
}

/// As [`retrier_for`], for an error raised by `origin`.
pub fn retrier_for_origin(retriers: &[Retrier], error: &str, origin: Origin) -> Option<usize> {
    retriers
        .iter()
        .position(|r| r.error_equals.iter().any(|e| matches(e, error, origin)))
}

/// The first catcher whose `ErrorEquals` matches `error`.
pub fn catcher_for<'c>(catchers: &'c [Catcher], error: &str) -> Option<&'c Catcher> {
    catcher_for_origin(catchers, error, Origin::State)
}

/// As [`catcher_for`], for an error raised by `origin`.
pub fn catcher_for_origin<'c>(
    catchers: &'c [Catcher],
    error: &str,
    origin: Origin,
) -> Option<&'c Catcher> {
    catchers
        .iter()
        .find(|c| c.error_equals.iter().any(|e| matches(e, error, origin)))
}

/// How long to wait before the retry that follows `retries_done` earlier retries by the
/// same retrier; `None` when its `MaxAttempts` are used up.
///
/// The interval is `IntervalSeconds × BackoffRate^retries_done`, at most
/// `MaxDelaySeconds`; with `JitterStrategy: FULL` it is scaled by `jitter` (a number in
/// `[0, 1)` the caller draws).
pub fn retry_delay(retrier: &Retrier, retries_done: u64, jitter: f64) -> Option<Duration> {
    let max = retrier.max_attempts.unwrap_or(DEFAULT_MAX_ATTEMPTS);
    if retries_done >= max {
        return None;
    }
    let interval = retrier.interval_seconds.unwrap_or(DEFAULT_INTERVAL_SECONDS) as f64;
    let rate = retrier
        .backoff_rate
        .as_ref()
        .and_then(|n| n.as_f64())
        .unwrap_or(DEFAULT_BACKOFF_RATE);
    let exponent = i32::try_from(retries_done).unwrap_or(i32::MAX);
    let mut seconds = interval * rate.powi(exponent);
    if let Some(cap) = retrier.max_delay_seconds {
        seconds = seconds.min(cap as f64);
    }
    if retrier.jitter_strategy == Some(JitterStrategy::Full) {
        seconds *= jitter.clamp(0.0, 1.0);
    }
    // A year is far beyond any delay AWS allows; it keeps the conversion in range.
    let seconds = if seconds.is_finite() {
        seconds.clamp(0.0, 31_536_000.0)
    } else {
        31_536_000.0
    };
    Some(Duration::from_secs_f64(seconds))
}

/// The error output a catcher passes on: `{"Error": …, "Cause": …}` (no `Cause` when
/// there is none). A `States.Timeout` without a cause has an empty one, as AWS's caught
/// task timeouts have it (`{"Error": "States.Timeout", "Cause": ""}`). A failure with no
/// error name (a task failed with neither error nor cause, the name then empty) gives
/// `{"Error": null, "Cause": null}`, as AWS does.
pub fn error_output(error: &str, cause: Option<&str>) -> Value {
    let mut m = Map::with_capacity(2);
    if error.is_empty() {
        m.insert("Error".to_owned(), Value::Null);
        m.insert(
            "Cause".to_owned(),
            cause.map_or(Value::Null, |c| Value::String(c.to_owned())),
        );
        return Value::Object(m);
    }
    m.insert("Error".to_owned(), Value::String(error.to_owned()));
    let cause = cause.or((error == crate::error::states::TIMEOUT).then_some(""));
    if let Some(c) = cause {
        m.insert("Cause".to_owned(), Value::String(c.to_owned()));
    }
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Number, json};

    fn retrier(errors: &[&str]) -> Retrier {
        Retrier {
            error_equals: errors.iter().map(|e| ErrorName::from(*e)).collect(),
            comment: None,
            interval_seconds: None,
            max_attempts: None,
            backoff_rate: None,
            max_delay_seconds: None,
            jitter_strategy: None,
        }
    }

    #[test]
    fn backoff() {
        let r = Retrier {
            interval_seconds: Some(2),
            backoff_rate: Number::from_f64(1.5),
            ..retrier(&["States.ALL"])
        };
        assert_eq!(retry_delay(&r, 0, 0.5), Some(Duration::from_secs(2)));
        assert_eq!(retry_delay(&r, 1, 0.5), Some(Duration::from_secs(3)));
        assert_eq!(retry_delay(&r, 2, 0.5), Some(Duration::from_secs_f64(4.5)));
        assert_eq!(retry_delay(&r, 3, 0.5), None);
    }

    #[test]
    fn cap_and_jitter() {
        let r = Retrier {
            interval_seconds: Some(10),
            max_attempts: Some(10),
            max_delay_seconds: Some(15),
            jitter_strategy: Some(JitterStrategy::Full),
            ..retrier(&["X"])
        };
        assert_eq!(retry_delay(&r, 5, 1.0), Some(Duration::from_secs(15)));
        assert_eq!(retry_delay(&r, 0, 0.5), Some(Duration::from_secs(5)));
        let never = Retrier {
            max_attempts: Some(0),
            ..retrier(&["X"])
        };
        assert_eq!(retry_delay(&never, 0, 0.0), None);
    }

    #[test]
    fn selection() {
        let rs = vec![retrier(&["A"]), retrier(&["States.ALL"])];
        assert_eq!(retrier_for(&rs, "A"), Some(0));
        assert_eq!(retrier_for(&rs, "B"), Some(1));
        assert_eq!(retrier_for(&rs, "States.Runtime"), None);
        assert_eq!(retrier_for(&rs, "States.DataLimitExceeded"), None);
        assert_eq!(
            retrier_for_origin(&rs, "States.DataLimitExceeded", Origin::Task),
            Some(1)
        );
        assert_eq!(
            retrier_for_origin(&rs, "States.Runtime", Origin::Task),
            None
        );
        assert_eq!(error_output("E", None), json!({"Error": "E"}));
        assert_eq!(
            error_output("States.Timeout", None),
            json!({"Error": "States.Timeout", "Cause": ""})
        );
        assert_eq!(
            error_output("", None),
            json!({"Error": null, "Cause": null})
        );
        assert_eq!(
            error_output("E", Some("c")),
            json!({"Error": "E", "Cause": "c"})
        );
    }
}
