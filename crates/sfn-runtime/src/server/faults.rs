//! Injected faults: a share of requests answered with an error, throttled, or delayed, for
//! testing clients and workers against a service that misbehaves as AWS sometimes does.

use std::{fmt, str::FromStr, sync::Mutex, time::Duration};

use crate::api::{ops, protocol::ApiError};

/// The longest delay a rule may add.
const MAX_DELAY: Duration = Duration::from_secs(300);

/// Which requests get a fault, and which: a list of rules, each
/// `OPERATION:KIND=SHARE[@DELAY]`, separated by commas.
///
/// - `OPERATION` is an operation of the Step Functions API (`GetActivityTask`,
///   `SendTaskSuccess`, …) or `*` for every operation.
/// - `KIND` is `error` (HTTP 500, `InternalFailure`), `throttle` (HTTP 400,
///   `ThrottlingException`, as AWS sends it) or `delay` (the request is served normally,
///   after `DELAY`).
/// - `SHARE` is the probability, from 0 to 1, that a request gets the fault.
/// - `DELAY`, for `delay` only: a number followed by `ms` or `s` (at most 300 s).
///
/// ```
/// use sfn_runtime::server::Faults;
///
/// let faults: Faults = "GetActivityTask:throttle=0.2,SendTaskSuccess:error=0.1,*:delay=0.1@300ms"
///     .parse()?;
/// assert_eq!(faults.len(), 3);
/// # Ok::<(), sfn_runtime::server::FaultsError>(())
/// ```
///
/// Every rule that names a request's operation (or `*`) is drawn on its own, in the order
/// written. The delays drawn add up and come first; then the first `error` or `throttle`
/// drawn answers the request, **before the operation runs**: a request answered with a
/// fault has no effect on the engine (no execution started, no task handed out, no
/// result recorded), so a client that retries it is safe.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Faults {
    rules: Vec<Rule>,
}

/// One rule: which operation (`None` for all), what, how often.
#[derive(Debug, Clone, PartialEq)]
struct Rule {
    operation: Option<String>,
    fault: Fault,
    share: f64,
}

/// What a rule does to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    Error,
    Throttle,
    Delay(Duration),
}

impl Faults {
    /// Reads a specification such as
    /// `GetActivityTask:throttle=0.2,SendTaskSuccess:error=0.1,*:delay=0.1@300ms`.
    ///
    /// # Errors
    ///
    /// A [`FaultsError`] that names the rule at fault and what it should look like.
    pub fn parse(spec: &str) -> Result<Self, FaultsError> {
        let rules = spec
            .split(',')
            .map(|rule| parse_rule(rule.trim()))
            .collect::<Result<_, _>>()?;
        Ok(Faults { rules })
    }

    /// How many rules there are.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// Whether there are no rules (no request gets a fault).
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
}

impl FromStr for Faults {
    type Err = FaultsError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Faults::parse(s)
    }
}

impl fmt::Display for Faults {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, rule) in self.rules.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            let operation = rule.operation.as_deref().unwrap_or("*");
            match rule.fault {
                Fault::Error => write!(f, "{operation}:error={}", rule.share)?,
                Fault::Throttle => write!(f, "{operation}:throttle={}", rule.share)?,
                Fault::Delay(d) => {
                    write!(f, "{operation}:delay={}@{}ms", rule.share, d.as_millis())?
                }
            }
        }
        Ok(())
    }
}

fn parse_rule(rule: &str) -> Result<Rule, FaultsError> {
    let syntax = || FaultsError::Syntax {
        rule: rule.to_owned(),
    };
    if rule.is_empty() {
        return Err(FaultsError::Empty);
    }
    let (operation, rest) = rule.split_once(':').ok_or_else(syntax)?;
    let (kind, value) = rest.split_once('=').ok_or_else(syntax)?;
    let (operation, kind, value) = (operation.trim(), kind.trim(), value.trim());
    let operation = match operation {
        "*" => None,
        op if ops::known(op).is_some() => Some(op.to_owned()),
        op => {
            return Err(FaultsError::UnknownOperation {
                rule: rule.to_owned(),
                operation: op.to_owned(),
            });
        }
    };
    let (share, delay) = match value.split_once('@') {
        Some((share, delay)) => (share.trim(), Some(delay.trim())),
        None => (value, None),
    };
    let share = match share.parse::<f64>() {
        Ok(s) if (0.0..=1.0).contains(&s) => s,
        _ => {
            return Err(FaultsError::Share {
                rule: rule.to_owned(),
                share: share.to_owned(),
            });
        }
    };
    let fault = match (kind, delay) {
        ("error", None) => Fault::Error,
        ("throttle", None) => Fault::Throttle,
        ("delay", Some(d)) => Fault::Delay(parse_delay(d).ok_or_else(|| FaultsError::Delay {
            rule: rule.to_owned(),
            delay: d.to_owned(),
        })?),
        ("delay", None) => {
            return Err(FaultsError::MissingDelay {
                rule: rule.to_owned(),
            });
        }
        ("error" | "throttle", Some(_)) => {
            return Err(FaultsError::UnexpectedDelay {
                rule: rule.to_owned(),
            });
        }
        (other, _) => {
            return Err(FaultsError::UnknownFault {
                rule: rule.to_owned(),
                fault: other.to_owned(),
            });
        }
    };
    Ok(Rule {
        operation,
        fault,
        share,
    })
}

/// `300ms`, `1.5s`: a duration of at most [`MAX_DELAY`].
fn parse_delay(text: &str) -> Option<Duration> {
    let (number, scale) = if let Some(n) = text.strip_suffix("ms") {
        (n, 0.001)
    } else {
        (text.strip_suffix('s')?, 1.0)
    };
    let seconds = number.trim().parse::<f64>().ok()? * scale;
    if !seconds.is_finite() || seconds < 0.0 || seconds > MAX_DELAY.as_secs_f64() {
        return None;
    }
    Some(Duration::from_secs_f64(seconds))
}

/// Why a fault specification cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FaultsError {
    /// A rule is empty (two commas in a row, or nothing at all).
    #[error(
        "empty fault rule: expected OPERATION:KIND=SHARE[@DELAY], e.g. GetActivityTask:throttle=0.2"
    )]
    Empty,
    /// A rule is not `OPERATION:KIND=SHARE[@DELAY]`.
    #[error(
        "fault rule '{rule}': expected OPERATION:KIND=SHARE[@DELAY], e.g. GetActivityTask:throttle=0.2"
    )]
    Syntax {
        /// The rule.
        rule: String,
    },
    /// The operation is not one of the Step Functions API's.
    #[error(
        "fault rule '{rule}': unknown operation '{operation}' (expected an operation of the Step Functions API, such as GetActivityTask, or * for all)"
    )]
    UnknownOperation {
        /// The rule.
        rule: String,
        /// The operation named.
        operation: String,
    },
    /// The kind of fault is not `error`, `throttle` or `delay`.
    #[error(
        "fault rule '{rule}': unknown fault '{fault}' (expected one of: error, throttle, delay)"
    )]
    UnknownFault {
        /// The rule.
        rule: String,
        /// The fault named.
        fault: String,
    },
    /// The share is not a number from 0 to 1.
    #[error("fault rule '{rule}': the share '{share}' is not a number from 0 to 1")]
    Share {
        /// The rule.
        rule: String,
        /// The share written.
        share: String,
    },
    /// A `delay` rule without its duration.
    #[error("fault rule '{rule}': a delay needs its duration, e.g. *:delay=0.1@300ms")]
    MissingDelay {
        /// The rule.
        rule: String,
    },
    /// The duration is not a number followed by `ms` or `s`, or is above 300 s.
    #[error(
        "fault rule '{rule}': the delay '{delay}' is not a number followed by ms or s, of at most 300 s"
    )]
    Delay {
        /// The rule.
        rule: String,
        /// The duration written.
        delay: String,
    },
    /// An `error` or `throttle` rule with a duration.
    #[error("fault rule '{rule}': only a delay takes a duration (@…)")]
    UnexpectedDelay {
        /// The rule.
        rule: String,
    },
}

/// The faults of a server and the random numbers that pick the requests.
#[derive(Debug)]
pub(crate) struct Injector {
    faults: Faults,
    rng: Mutex<fastrand::Rng>,
}

/// What the faults do to one request.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Decision {
    /// How long to wait before answering.
    pub(crate) delay: Duration,
    /// The answer instead of the operation's, if any.
    pub(crate) answer: Option<ApiError>,
}

impl Injector {
    /// An injector drawing from `seed`, or from a random seed.
    pub(crate) fn new(faults: Faults, seed: Option<u64>) -> Self {
        let rng = seed.map_or_else(fastrand::Rng::new, fastrand::Rng::with_seed);
        Injector {
            faults,
            rng: Mutex::new(rng),
        }
    }

    /// Draws the faults of one request to `operation`.
    pub(crate) fn decide(&self, operation: &str) -> Decision {
        let mut decision = Decision::default();
        let mut matching = self
            .faults
            .rules
            .iter()
            .filter(|r| r.operation.as_deref().is_none_or(|op| op == operation))
            .peekable();
        if matching.peek().is_none() {
            return decision;
        }
        let mut rng = match self.rng.lock() {
            Ok(rng) => rng,
            Err(poisoned) => poisoned.into_inner(),
        };
        for rule in matching {
            if rng.f64() >= rule.share {
                continue;
            }
            match rule.fault {
                Fault::Delay(d) => decision.delay = decision.delay.saturating_add(d),
                Fault::Error if decision.answer.is_none() => {
                    decision.answer = Some(ApiError::with_status(
                        "InternalFailure",
                        "The request processing has failed (a fault injected by the endpoint)"
                            .to_owned(),
                        500,
                    ));
                }
                Fault::Throttle if decision.answer.is_none() => {
                    decision.answer = Some(ApiError::new(
                        "ThrottlingException",
                        "Rate exceeded (a fault injected by the endpoint)",
                    ));
                }
                Fault::Error | Fault::Throttle => {}
            }
        }
        decision
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_specification_reads_into_rules() {
        let f = Faults::parse(
            "GetActivityTask:throttle=0.2, SendTaskSuccess:error=0.1,*:delay=0.1@300ms",
        )
        .expect("valid");
        assert_eq!(
            f.rules,
            vec![
                Rule {
                    operation: Some("GetActivityTask".into()),
                    fault: Fault::Throttle,
                    share: 0.2
                },
                Rule {
                    operation: Some("SendTaskSuccess".into()),
                    fault: Fault::Error,
                    share: 0.1
                },
                Rule {
                    operation: None,
                    fault: Fault::Delay(Duration::from_millis(300)),
                    share: 0.1
                },
            ]
        );
        assert_eq!(
            f.to_string(),
            "GetActivityTask:throttle=0.2,SendTaskSuccess:error=0.1,*:delay=0.1@300ms"
        );
        let f = Faults::parse("*:delay=1@1.5s").expect("valid");
        assert_eq!(f.rules[0].fault, Fault::Delay(Duration::from_millis(1500)));
    }

    #[test]
    fn bad_specifications_say_what_is_wrong() {
        type Check = fn(&FaultsError) -> bool;
        let cases: &[(&str, Check)] = &[
            ("", |e| matches!(e, FaultsError::Empty)),
            ("*:error=0.1,", |e| matches!(e, FaultsError::Empty)),
            ("GetActivityTask", |e| {
                matches!(e, FaultsError::Syntax { .. })
            }),
            ("GetActivityTask:throttle", |e| {
                matches!(e, FaultsError::Syntax { .. })
            }),
            (
                "GetTask:error=0.1",
                |e| matches!(e, FaultsError::UnknownOperation { operation, .. } if operation == "GetTask"),
            ),
            (
                "*:crash=0.1",
                |e| matches!(e, FaultsError::UnknownFault { fault, .. } if fault == "crash"),
            ),
            ("*:error=1.5", |e| matches!(e, FaultsError::Share { .. })),
            ("*:error=-0.1", |e| matches!(e, FaultsError::Share { .. })),
            ("*:error=NaN", |e| matches!(e, FaultsError::Share { .. })),
            ("*:error=half", |e| matches!(e, FaultsError::Share { .. })),
            ("*:delay=0.5", |e| {
                matches!(e, FaultsError::MissingDelay { .. })
            }),
            ("*:delay=0.5@300", |e| {
                matches!(e, FaultsError::Delay { .. })
            }),
            ("*:delay=0.5@10m", |e| {
                matches!(e, FaultsError::Delay { .. })
            }),
            ("*:delay=0.5@301s", |e| {
                matches!(e, FaultsError::Delay { .. })
            }),
            ("*:throttle=0.5@1s", |e| {
                matches!(e, FaultsError::UnexpectedDelay { .. })
            }),
        ];
        for (spec, expected) in cases {
            let e = Faults::parse(spec).expect_err(spec);
            assert!(expected(&e), "{spec}: {e:?}");
            assert!(!e.to_string().is_empty());
        }
        let e = Faults::parse("GetTask:error=0.1").expect_err("unknown");
        assert!(e.to_string().contains("'GetTask'"), "{e}");
    }

    #[test]
    fn decisions_follow_the_rules_and_the_seed() {
        let faults =
            Faults::parse("GetActivityTask:throttle=1,*:delay=1@5ms,SendTaskSuccess:error=1")
                .expect("valid");
        let injector = Injector::new(faults, Some(7));
        let d = injector.decide("GetActivityTask");
        assert_eq!(d.delay, Duration::from_millis(5));
        assert_eq!(
            d.answer.map(|e| (e.kind, e.status)),
            Some(("ThrottlingException", 400))
        );
        let d = injector.decide("SendTaskSuccess");
        assert_eq!(
            d.answer.map(|e| (e.kind, e.status)),
            Some(("InternalFailure", 500))
        );
        let d = injector.decide("ListActivities");
        assert_eq!((d.delay, d.answer), (Duration::from_millis(5), None));

        // A share is a probability, drawn the same way for the same seed.
        let draws = |seed| {
            let injector = Injector::new(Faults::parse("*:error=0.3").expect("valid"), Some(seed));
            (0..1000)
                .map(|_| injector.decide("StartExecution").answer.is_some())
                .collect::<Vec<_>>()
        };
        let first = draws(42);
        assert_eq!(first, draws(42));
        let hits = first.iter().filter(|h| **h).count();
        assert!((200..400).contains(&hits), "{hits}");
        let none = Injector::new(Faults::parse("*:error=0").expect("valid"), None);
        assert_eq!(none.decide("StartExecution"), Decision::default());
    }
}
