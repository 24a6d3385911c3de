//! Execution history as people read it and as AWS writes it.
//!
//! Text: for each event a header line, `TaskStateEntered [2] @ 2026-11-30 08:30:01.123 UTC`
//! (type, id, time), then indented lines with the details that matter for it: the state,
//! the resource and its type, the worker, the Map iteration or length, the Map Run, the
//! redrive count, timeouts and heartbeats, the error and the cause (always, in full, a
//! multi-line cause indented under its first line), the input and the output (compact
//! JSON, cut after [`PAYLOAD_CHARS`] characters with a marker saying how much was left
//! out). Every event type AWS has is known; a type this client does not know prints its
//! header and each detail as `member: value`. Nothing in an event makes the printing
//! fail.
//!
//! JSON: `{"events": [...]}` in the shape of AWS's `GetExecutionHistory` answer, each
//! event with `timestamp` (epoch seconds), `type`, `id`, `previousEventId` and its
//! details under the `…EventDetails` member AWS names after the event type.

use std::fmt::{self, Write as _};

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::{Error, History, HistoryEvent};

/// How many characters of an input, output or other JSON payload the text shows; the
/// rest is replaced by a marker such as `… (1,234 more characters)`.
pub(super) const PAYLOAD_CHARS: usize = 200;

/// The indentation of detail lines.
const INDENT: &str = "    ";

/// Every event type AWS has (`HistoryEventType`), each shown with the members of its
/// details as the [`MEMBERS`] table labels them.
const EVENT_TYPES: &[&str] = &[
    "ActivityFailed",
    "ActivityScheduleFailed",
    "ActivityScheduled",
    "ActivityStarted",
    "ActivitySucceeded",
    "ActivityTimedOut",
    "ChoiceStateEntered",
    "ChoiceStateExited",
    "EvaluationFailed",
    "ExecutionAborted",
    "ExecutionFailed",
    "ExecutionRedriven",
    "ExecutionStarted",
    "ExecutionSucceeded",
    "ExecutionTimedOut",
    "FailStateEntered",
    "LambdaFunctionFailed",
    "LambdaFunctionScheduleFailed",
    "LambdaFunctionScheduled",
    "LambdaFunctionStartFailed",
    "LambdaFunctionStarted",
    "LambdaFunctionSucceeded",
    "LambdaFunctionTimedOut",
    "MapIterationAborted",
    "MapIterationFailed",
    "MapIterationStarted",
    "MapIterationSucceeded",
    "MapRunAborted",
    "MapRunFailed",
    "MapRunRedriven",
    "MapRunStarted",
    "MapRunSucceeded",
    "MapStateAborted",
    "MapStateEntered",
    "MapStateExited",
    "MapStateFailed",
    "MapStateStarted",
    "MapStateSucceeded",
    "ParallelStateAborted",
    "ParallelStateEntered",
    "ParallelStateExited",
    "ParallelStateFailed",
    "ParallelStateStarted",
    "ParallelStateSucceeded",
    "PassStateEntered",
    "PassStateExited",
    "SucceedStateEntered",
    "SucceedStateExited",
    "TaskFailed",
    "TaskScheduled",
    "TaskStartFailed",
    "TaskStarted",
    "TaskStateAborted",
    "TaskStateEntered",
    "TaskStateExited",
    "TaskSubmitFailed",
    "TaskSubmitted",
    "TaskSucceeded",
    "TaskTimedOut",
    "WaitStateAborted",
    "WaitStateEntered",
    "WaitStateExited",
];

/// How a member's value is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Text (or any value) shown in full; a multi-line text indented under its first line.
    Text,
    /// JSON text: compact, cut after [`PAYLOAD_CHARS`]. The member `<name>Details`
    /// (`inputDetails`) tells whether the service truncated it.
    Payload,
    /// A number of seconds.
    Seconds,
    /// `taskCredentials`: the role.
    Credentials,
    /// Shown only when the payload it describes was truncated by the service.
    PayloadDetails,
}

/// The members of AWS's `…EventDetails` shapes, in the order the text shows them, with
/// their labels. A member not listed (one AWS adds) is shown after them as
/// `member: value`.
const MEMBERS: &[(&str, &str, Kind)] = &[
    ("name", "state", Kind::Text),
    ("state", "state", Kind::Text),
    ("index", "iteration", Kind::Text),
    ("length", "iterations", Kind::Text),
    ("resourceType", "resource type", Kind::Text),
    ("resource", "resource", Kind::Text),
    ("region", "region", Kind::Text),
    ("workerName", "worker", Kind::Text),
    ("mapRunArn", "map run", Kind::Text),
    ("redriveCount", "redrive count", Kind::Text),
    ("roleArn", "role", Kind::Text),
    ("stateMachineVersionArn", "version", Kind::Text),
    ("stateMachineAliasArn", "alias", Kind::Text),
    ("taskCredentials", "credentials", Kind::Credentials),
    ("timeoutInSeconds", "timeout", Kind::Seconds),
    ("heartbeatInSeconds", "heartbeat", Kind::Seconds),
    ("location", "location", Kind::Text),
    ("error", "error", Kind::Text),
    ("cause", "cause", Kind::Text),
    ("input", "input", Kind::Payload),
    ("inputDetails", "", Kind::PayloadDetails),
    ("parameters", "parameters", Kind::Payload),
    ("output", "output", Kind::Payload),
    ("outputDetails", "", Kind::PayloadDetails),
    ("assignedVariables", "variables", Kind::Payload),
    ("assignedVariablesDetails", "", Kind::PayloadDetails),
];

/// How a member whose name the table does not hold is shown: JSON payloads by their
/// usual names cut, anything else in full.
fn kind_of(member: &str) -> Kind {
    MEMBERS
        .iter()
        .find(|(m, _, _)| *m == member)
        .map_or(Kind::Text, |(_, _, k)| *k)
}

impl HistoryEvent {
    /// Whether the event's type is one AWS has (`HistoryEventType`), which the text shows
    /// with labels; any other is shown generically.
    pub fn is_known_type(&self) -> bool {
        EVENT_TYPES.contains(&self.event_type.as_str())
    }

    /// The event as `GetExecutionHistory` writes it: `timestamp` (epoch seconds), `type`,
    /// `id`, `previousEventId`, and the details under the member named after the type
    /// (see [`HistoryEvent::details_member`]), left out when there are none.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("timestamp".into(), epoch_seconds(self.timestamp));
        m.insert("type".into(), Value::String(self.event_type.clone()));
        m.insert("id".into(), Value::from(self.id));
        m.insert(
            "previousEventId".into(),
            Value::from(self.previous_event_id),
        );
        if !self.details.is_empty() {
            m.insert(self.details_member(), Value::Object(self.details.clone()));
        }
        Value::Object(m)
    }

    /// The member of `GetExecutionHistory`'s event that holds the details, as AWS names
    /// it after the event type: `stateEnteredEventDetails` for every `…StateEntered`,
    /// `stateExitedEventDetails` for every `…StateExited`, `evaluationFailedEventDetails`
    /// for `EvaluationFailed`, `MapStateFailed` and `ParallelStateFailed`, and the type
    /// in lower camel case followed by `EventDetails` for any other
    /// (`ActivityScheduled` → `activityScheduledEventDetails`, `MapIterationStarted` →
    /// `mapIterationStartedEventDetails`).
    pub fn details_member(&self) -> String {
        let t = self.event_type.as_str();
        if t.ends_with("StateEntered") {
            return "stateEnteredEventDetails".into();
        }
        if t.ends_with("StateExited") {
            return "stateExitedEventDetails".into();
        }
        if matches!(
            t,
            "EvaluationFailed" | "MapStateFailed" | "ParallelStateFailed"
        ) {
            return "evaluationFailedEventDetails".into();
        }
        let mut chars = t.chars();
        let mut key: String = chars
            .next()
            .map(|c| c.to_ascii_lowercase())
            .into_iter()
            .chain(chars)
            .collect();
        key.push_str("EventDetails");
        key
    }

    /// The event as `GetExecutionHistory` writes it: the inverse of
    /// [`HistoryEvent::to_json`]. The timestamp may be epoch seconds or RFC 3339 text;
    /// the details are the one member whose name ends with `EventDetails`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] when `v` is not an object with a `type`.
    pub fn from_json(v: &Value) -> Result<Self, Error> {
        let m = v
            .as_object()
            .ok_or_else(|| Error::InvalidArgument(format!("not a history event: {v}")))?;
        let event_type = m.get("type").and_then(Value::as_str).ok_or_else(|| {
            Error::InvalidArgument(format!("a history event without a type: {v}"))
        })?;
        let details = m
            .iter()
            .find(|(k, _)| k.ends_with("EventDetails"))
            .and_then(|(_, d)| d.as_object().cloned())
            .unwrap_or_default();
        let timestamp = match m.get("timestamp") {
            Some(Value::Number(n)) => n
                .as_f64()
                .and_then(|s| DateTime::from_timestamp_millis((s * 1000.0).round() as i64)),
            Some(Value::String(s)) => DateTime::parse_from_rfc3339(s)
                .ok()
                .map(|t| t.with_timezone(&Utc)),
            _ => None,
        }
        .unwrap_or_default();
        Ok(HistoryEvent::new(
            m.get("id").and_then(Value::as_i64).unwrap_or(0),
            m.get("previousEventId")
                .and_then(Value::as_i64)
                .unwrap_or(0),
            timestamp,
            event_type,
            details,
        ))
    }
}

/// Epoch seconds with milliseconds, as AWS's JSON writes timestamps.
fn epoch_seconds(t: DateTime<Utc>) -> Value {
    let millis = t.timestamp_millis();
    if millis % 1000 == 0 {
        Value::from(millis / 1000)
    } else {
        serde_json::Number::from_f64(millis as f64 / 1000.0).map_or(Value::Null, Value::Number)
    }
}

impl fmt::Display for HistoryEvent {
    /// The header line and the detail lines, each ending with a newline.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_event(f, self, PAYLOAD_CHARS)
    }
}

impl fmt::Display for History {
    /// Every event, as [`HistoryEvent`]'s `Display` shows it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for e in &self.events {
            write_event(f, e, PAYLOAD_CHARS)?;
        }
        Ok(())
    }
}

impl History {
    /// The history as text: for each event a header line
    /// (`ExecutionStarted [1] @ 2026-11-30 08:30:01.123 UTC`) and indented lines with
    /// its details. Inputs and outputs are compact JSON cut after 200 characters, with
    /// the marker `… (N more characters)`; errors and causes are shown in full.
    pub fn display(&self) -> String {
        self.to_string()
    }

    /// The history as text, as [`History::display`] writes it, with inputs and outputs
    /// cut after `payload_chars` characters (`usize::MAX`: never).
    pub fn display_with(&self, payload_chars: usize) -> String {
        let mut out = String::new();
        for e in &self.events {
            // Writing to a String cannot fail.
            let _ = write_event(&mut out, e, payload_chars);
        }
        out
    }

    /// The history as `GetExecutionHistory` answers it: `{"events": [...]}`, each event
    /// as [`HistoryEvent::to_json`] writes it.
    pub fn to_json(&self) -> Value {
        let events = self.events.iter().map(HistoryEvent::to_json).collect();
        let mut m = Map::new();
        m.insert("events".into(), Value::Array(events));
        Value::Object(m)
    }

    /// A history read from `GetExecutionHistory`'s JSON: `{"events": [...]}`, or the
    /// array of events alone.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] when `v` is neither, or an event has no type.
    pub fn from_json(v: &Value) -> Result<Self, Error> {
        let events = match v {
            Value::Array(events) => events,
            Value::Object(m) => match m.get("events") {
                Some(Value::Array(events)) => events,
                _ => {
                    return Err(Error::InvalidArgument(
                        "not a history: no \"events\" array".into(),
                    ));
                }
            },
            _ => {
                return Err(Error::InvalidArgument(
                    "not a history: neither an object nor an array".into(),
                ));
            }
        };
        let events = events
            .iter()
            .map(HistoryEvent::from_json)
            .collect::<Result<_, _>>()?;
        Ok(History::new(events))
    }
}

/// Writes one event: its header line and its detail lines.
fn write_event(out: &mut impl fmt::Write, e: &HistoryEvent, payload_chars: usize) -> fmt::Result {
    writeln!(
        out,
        "{} [{}] @ {}",
        e.event_type,
        e.id,
        e.timestamp.format("%Y-%m-%d %H:%M:%S%.3f UTC")
    )?;
    if e.is_known_type() {
        for (member, label, kind) in MEMBERS {
            if let Some(v) = e.details.get(*member) {
                write_member(out, e, member, label, *kind, v, payload_chars)?;
            }
        }
        for (member, v) in &e.details {
            if !MEMBERS.iter().any(|(m, _, _)| m == member) {
                write_member(out, e, member, member, Kind::Text, v, payload_chars)?;
            }
        }
    } else {
        for (member, v) in &e.details {
            write_member(out, e, member, member, kind_of(member), v, payload_chars)?;
        }
    }
    Ok(())
}

/// Writes one detail line (more for a multi-line text).
fn write_member(
    out: &mut impl fmt::Write,
    e: &HistoryEvent,
    member: &str,
    label: &str,
    kind: Kind,
    v: &Value,
    payload_chars: usize,
) -> fmt::Result {
    match kind {
        Kind::PayloadDetails => Ok(()),
        Kind::Text => write_text(out, label, &plain(v)),
        Kind::Seconds => match v.as_u64() {
            Some(s) => writeln!(out, "{INDENT}{label}: {s}s"),
            None => write_text(out, label, &plain(v)),
        },
        Kind::Credentials => match v.get("roleArn").and_then(Value::as_str) {
            Some(role) => writeln!(out, "{INDENT}{label}: {role}"),
            None => write_text(out, label, &cut(&v.to_string(), payload_chars)),
        },
        Kind::Payload => {
            let text = match v {
                Value::String(s) => compact(s),
                other => other.to_string(),
            };
            let mut line = cut(&text, payload_chars);
            let truncated = e
                .details
                .get(&format!("{member}Details"))
                .and_then(|d| d.get("truncated"))
                .and_then(Value::as_bool)
                .unwrap_or(false);
            if truncated {
                line.push_str(" (truncated by the service)");
            }
            write_text(out, label, &line)
        }
    }
}

/// A value as text: a string as it is, anything else as compact JSON.
fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `label: text`, the lines after the first of a multi-line text indented under the
/// first.
fn write_text(out: &mut impl fmt::Write, label: &str, text: &str) -> fmt::Result {
    let mut lines = text.lines();
    let first = lines.next().unwrap_or("");
    writeln!(out, "{INDENT}{label}: {first}")?;
    let pad = " ".repeat(INDENT.len() + label.chars().count() + 2);
    for line in lines {
        let line = line.trim_end();
        if line.is_empty() {
            writeln!(out)?;
        } else {
            writeln!(out, "{pad}{line}")?;
        }
    }
    Ok(())
}

/// JSON text made compact; text that is not JSON as it is.
fn compact(text: &str) -> String {
    serde_json::from_str::<Value>(text).map_or_else(|_| text.to_owned(), |v| v.to_string())
}

/// `text` cut after `max` characters, with a marker telling how many were left out.
fn cut(text: &str, max: usize) -> String {
    let total = text.chars().count();
    if total <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max).collect();
    let _ = write!(out, "… ({} more characters)", thousands(total - max));
    out
}

/// `1234567` → `1,234,567`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::TimeZone;
    use serde_json::json;

    use super::*;
    use crate::local::{self, EventDetails, EventType};

    fn at(id: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 30, 8, 30, 1)
            .single()
            .unwrap_or_default()
            + chrono::Duration::milliseconds(123 + id)
    }

    fn event(id: i64, event_type: &str, details: Value) -> HistoryEvent {
        let details = match details {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        HistoryEvent::new(id, id - 1, at(id), event_type, details)
    }

    /// The engine's event of type `t` with typical details, as the client reads it.
    fn engine_event(id: u64, t: EventType) -> HistoryEvent {
        use EventType::*;
        let input = Arc::new(json!({"a": 1}));
        let task = |kind: &str| -> (Arc<str>, Arc<str>) {
            match kind {
                "activity" => (
                    "activity".into(),
                    "arn:aws:states:us-east-1:1:activity:add".into(),
                ),
                "lambda" => (
                    "lambda".into(),
                    "arn:aws:lambda:us-east-1:1:function:f".into(),
                ),
                _ => ("sqs".into(), "sendMessage".into()),
            }
        };
        let kind = match t {
            ActivityScheduled | ActivityStarted | ActivitySucceeded | ActivityFailed
            | ActivityTimedOut => "activity",
            LambdaFunctionScheduled
            | LambdaFunctionStarted
            | LambdaFunctionSucceeded
            | LambdaFunctionFailed
            | LambdaFunctionTimedOut => "lambda",
            _ => "sqs",
        };
        let (resource_type, resource) = task(kind);
        let failure = || EventDetails::Failure {
            error: Some("States.TaskFailed".into()),
            cause: Some("it broke".into()),
        };
        let details = match t {
            ExecutionStarted => EventDetails::ExecutionStarted {
                input: input.clone(),
                input_text: None,
                role_arn: "arn:aws:iam::1:role/r".into(),
                state_machine_version_arn: None,
                state_machine_alias_arn: None,
            },
            ExecutionSucceeded => EventDetails::ExecutionSucceeded {
                output: input.clone(),
            },
            ExecutionFailed | ExecutionAborted | ExecutionTimedOut | ParallelStateFailed
            | MapStateFailed | MapRunFailed => failure(),
            ExecutionRedriven => EventDetails::ExecutionRedriven { redrive_count: 2 },
            PassStateEntered | TaskStateEntered | ChoiceStateEntered | WaitStateEntered
            | SucceedStateEntered | FailStateEntered | ParallelStateEntered | MapStateEntered => {
                EventDetails::StateEntered {
                    name: "S".into(),
                    input: input.clone(),
                }
            }
            PassStateExited | TaskStateExited | ChoiceStateExited | WaitStateExited
            | SucceedStateExited | ParallelStateExited | MapStateExited => {
                EventDetails::StateExited {
                    name: "S".into(),
                    output: input.clone(),
                    assigned_variables: None,
                }
            }
            MapStateStarted => EventDetails::MapStateStarted { length: 3 },
            MapIterationStarted
            | MapIterationSucceeded
            | MapIterationFailed
            | MapIterationAborted => EventDetails::MapIteration {
                name: "S".into(),
                index: 1,
            },
            MapRunStarted => EventDetails::MapRunStarted {
                map_run_arn: "arn:aws:states:us-east-1:1:mapRun:m/S:x".into(),
            },
            TaskScheduled | ActivityScheduled | LambdaFunctionScheduled => {
                EventDetails::TaskScheduled {
                    resource_type,
                    resource,
                    region: "us-east-1".into(),
                    parameters: input.clone(),
                    timeout_seconds: Some(30),
                    heartbeat_seconds: Some(10),
                }
            }
            TaskStarted | LambdaFunctionStarted => EventDetails::TaskStarted {
                resource_type,
                resource,
            },
            ActivityStarted => EventDetails::ActivityStarted {
                worker_name: Some("w1".into()),
            },
            TaskSucceeded | TaskSubmitted | ActivitySucceeded | LambdaFunctionSucceeded => {
                EventDetails::TaskSucceeded {
                    resource_type,
                    resource,
                    output: input.clone(),
                }
            }
            TaskFailed
            | TaskTimedOut
            | ActivityFailed
            | ActivityTimedOut
            | LambdaFunctionFailed
            | LambdaFunctionTimedOut => EventDetails::TaskFailed {
                resource_type,
                resource,
                error: Some("States.Timeout".into()),
                cause: Some("too slow".into()),
            },
            _ => EventDetails::None,
        };
        let e = local::HistoryEvent {
            id,
            previous_event_id: id.saturating_sub(1),
            timestamp: at(0),
            event_type: t,
            details,
        };
        let mut v = e.to_json();
        v["timestamp"] = json!(1_796_027_401.123);
        HistoryEvent::from_json(&v).unwrap_or_else(|err| panic!("{t}: {err}"))
    }

    /// Every type the engine records, with the detail lines the text shows for it.
    #[test]
    fn every_engine_event_type_shows_what_matters() {
        use EventType::*;
        let all = [
            (
                ExecutionStarted,
                &["input: {\"a\":1}", "role: arn:aws:iam::1:role/r"][..],
            ),
            (ExecutionSucceeded, &["output: {\"a\":1}"]),
            (
                ExecutionFailed,
                &["error: States.TaskFailed", "cause: it broke"],
            ),
            (
                ExecutionAborted,
                &["error: States.TaskFailed", "cause: it broke"],
            ),
            (
                ExecutionTimedOut,
                &["error: States.TaskFailed", "cause: it broke"],
            ),
            (ExecutionRedriven, &["redrive count: 2"]),
            (PassStateEntered, &["state: S", "input: {\"a\":1}"]),
            (PassStateExited, &["state: S", "output: {\"a\":1}"]),
            (TaskStateEntered, &["state: S"]),
            (TaskStateExited, &["state: S"]),
            (ChoiceStateEntered, &["state: S"]),
            (ChoiceStateExited, &["state: S"]),
            (WaitStateEntered, &["state: S"]),
            (WaitStateExited, &["state: S"]),
            (SucceedStateEntered, &["state: S"]),
            (SucceedStateExited, &["state: S"]),
            (FailStateEntered, &["state: S"]),
            (ParallelStateEntered, &["state: S"]),
            (ParallelStateStarted, &[]),
            (ParallelStateSucceeded, &[]),
            (
                ParallelStateFailed,
                &["error: States.TaskFailed", "cause: it broke"],
            ),
            (ParallelStateExited, &["state: S"]),
            (MapStateEntered, &["state: S"]),
            (MapStateStarted, &["iterations: 3"]),
            (MapStateSucceeded, &[]),
            (
                MapStateFailed,
                &["error: States.TaskFailed", "cause: it broke"],
            ),
            (MapStateExited, &["state: S"]),
            (MapIterationStarted, &["state: S", "iteration: 1"]),
            (MapIterationSucceeded, &["state: S", "iteration: 1"]),
            (MapIterationFailed, &["state: S", "iteration: 1"]),
            (MapIterationAborted, &["state: S", "iteration: 1"]),
            (
                MapRunStarted,
                &["map run: arn:aws:states:us-east-1:1:mapRun:m/S:x"],
            ),
            (MapRunSucceeded, &[]),
            (
                MapRunFailed,
                &["error: States.TaskFailed", "cause: it broke"],
            ),
            (MapRunAborted, &[]),
            (TaskStateAborted, &[]),
            (WaitStateAborted, &[]),
            (MapStateAborted, &[]),
            (ParallelStateAborted, &[]),
            (
                TaskScheduled,
                &[
                    "resource type: sqs",
                    "resource: sendMessage",
                    "region: us-east-1",
                    "parameters: {\"a\":1}",
                    "timeout: 30s",
                    "heartbeat: 10s",
                ],
            ),
            (
                TaskStarted,
                &["resource type: sqs", "resource: sendMessage"],
            ),
            (
                TaskSubmitted,
                &["resource: sendMessage", "output: {\"a\":1}"],
            ),
            (
                TaskSucceeded,
                &["resource: sendMessage", "output: {\"a\":1}"],
            ),
            (
                TaskFailed,
                &[
                    "resource: sendMessage",
                    "error: States.Timeout",
                    "cause: too slow",
                ],
            ),
            (TaskTimedOut, &["error: States.Timeout", "cause: too slow"]),
            (
                ActivityScheduled,
                &[
                    "resource: arn:aws:states:us-east-1:1:activity:add",
                    "input: {\"a\":1}",
                    "timeout: 30s",
                    "heartbeat: 10s",
                ],
            ),
            (ActivityStarted, &["worker: w1"]),
            (ActivitySucceeded, &["output: {\"a\":1}"]),
            (
                ActivityFailed,
                &["error: States.Timeout", "cause: too slow"],
            ),
            (
                ActivityTimedOut,
                &["error: States.Timeout", "cause: too slow"],
            ),
            (
                LambdaFunctionScheduled,
                &[
                    "resource: arn:aws:lambda:us-east-1:1:function:f",
                    "timeout: 30s",
                ],
            ),
            (LambdaFunctionStarted, &[]),
            (LambdaFunctionSucceeded, &["output: {\"a\":1}"]),
            (
                LambdaFunctionFailed,
                &["error: States.Timeout", "cause: too slow"],
            ),
            (
                LambdaFunctionTimedOut,
                &["error: States.Timeout", "cause: too slow"],
            ),
        ];
        for (i, (t, lines)) in all.into_iter().enumerate() {
            let id = i as u64 + 1;
            let e = engine_event(id, t);
            assert!(e.is_known_type(), "{t}");
            let text = e.to_string();
            let header = format!("{t} [{id}] @ 2026-11-30 08:30:01.123 UTC\n");
            assert!(text.starts_with(&header), "{text}");
            for line in lines {
                assert!(
                    text.contains(&format!("\n    {line}\n")),
                    "{t}: no `{line}` in\n{text}"
                );
            }
            if lines.is_empty() {
                assert_eq!(text, header, "{t}");
            }
            assert!(!text.contains("Details"), "{t}: {text}");
        }
    }

    /// The JSON is the engine's own (`GetExecutionHistory`), member for member.
    #[test]
    fn json_is_get_execution_history_shape() {
        use EventType::*;
        for t in [
            ExecutionStarted,
            TaskStateEntered,
            MapStateExited,
            ActivityScheduled,
            ActivityStarted,
            TaskSubmitted,
            MapIterationStarted,
            MapIterationFailed,
            ParallelStateFailed,
            MapStateFailed,
            MapRunStarted,
            MapRunFailed,
            ExecutionRedriven,
            LambdaFunctionScheduled,
            LambdaFunctionStarted,
            ParallelStateStarted,
        ] {
            let e = engine_event(7, t);
            let v = e.to_json();
            let e2 = HistoryEvent::from_json(&v).unwrap_or_else(|err| panic!("{err}"));
            assert_eq!(e, e2, "{t}");
            assert_eq!(v["timestamp"], json!(1_796_027_401.123), "{t}");
            assert_eq!(
                (v["type"].as_str(), v["id"].as_i64()),
                (Some(t.as_str()), Some(7))
            );
            assert_eq!(v["previousEventId"], json!(6));
        }
        let member = |t| {
            engine_event(1, t)
                .to_json()
                .as_object()
                .and_then(|m| m.keys().find(|k| k.ends_with("EventDetails")).cloned())
        };
        assert_eq!(
            member(TaskStateEntered).as_deref(),
            Some("stateEnteredEventDetails")
        );
        assert_eq!(
            member(MapStateExited).as_deref(),
            Some("stateExitedEventDetails")
        );
        assert_eq!(
            member(ActivityScheduled).as_deref(),
            Some("activityScheduledEventDetails")
        );
        assert_eq!(
            member(MapIterationStarted).as_deref(),
            Some("mapIterationStartedEventDetails")
        );
        assert_eq!(
            member(ParallelStateFailed).as_deref(),
            Some("evaluationFailedEventDetails")
        );
        assert_eq!(
            member(MapStateFailed).as_deref(),
            Some("evaluationFailedEventDetails")
        );
        assert_eq!(
            member(MapRunStarted).as_deref(),
            Some("mapRunStartedEventDetails")
        );
        assert_eq!(
            member(ExecutionRedriven).as_deref(),
            Some("executionRedrivenEventDetails")
        );
        assert_eq!(member(LambdaFunctionStarted), None);
        assert_eq!(member(ParallelStateStarted), None);

        let history = History::new(vec![engine_event(1, ExecutionStarted)]);
        let v = history.to_json();
        assert_eq!(v["events"].as_array().map(Vec::len), Some(1));
        assert_eq!(History::from_json(&v).ok(), Some(history.clone()));
        assert_eq!(History::from_json(&v["events"]).ok(), Some(history));
        assert!(History::from_json(&json!({"nope": 1})).is_err());
        assert!(History::from_json(&json!([{"id": 1}])).is_err());
    }

    /// The event types AWS has that the engine does not record are known too, with
    /// their members labelled.
    #[test]
    fn aws_only_event_types() {
        let e = event(
            4,
            "EvaluationFailed",
            json!({"error": "States.QueryEvaluationError", "cause": "bad", "location": "Arguments", "state": "Pick"}),
        );
        assert!(e.is_known_type());
        assert_eq!(e.details_member(), "evaluationFailedEventDetails");
        assert_eq!(
            e.to_string(),
            "EvaluationFailed [4] @ 2026-11-30 08:30:01.127 UTC\n    state: Pick\n    location: Arguments\n    error: States.QueryEvaluationError\n    cause: bad\n"
        );
        let e = event(
            5,
            "MapRunRedriven",
            json!({"mapRunArn": "arn:aws:states:us-east-1:1:mapRun:m/M:x", "redriveCount": 1}),
        );
        assert_eq!(e.details_member(), "mapRunRedrivenEventDetails");
        let text = e.to_string();
        assert!(text.contains("    map run: arn:aws:states:us-east-1:1:mapRun:m/M:x\n"));
        assert!(text.contains("    redrive count: 1\n"));
        let e = event(
            6,
            "TaskSubmitFailed",
            json!({"resourceType": "sqs", "resource": "sendMessage", "error": "E", "cause": "C"}),
        );
        assert_eq!(e.details_member(), "taskSubmitFailedEventDetails");
        assert!(e.to_string().contains("    cause: C\n"));
        let e = event(
            7,
            "LambdaFunctionScheduled",
            json!({"resource": "f", "input": "{}", "taskCredentials": {"roleArn": "arn:aws:iam::1:role/x"}}),
        );
        assert!(
            e.to_string()
                .contains("    credentials: arn:aws:iam::1:role/x\n")
        );
        let e = event(
            8,
            "TaskStateExited",
            json!({"name": "T", "output": "{}", "outputDetails": {"truncated": true}, "assignedVariables": {"x": "1"}}),
        );
        let text = e.to_string();
        assert!(
            text.contains("    output: {} (truncated by the service)\n"),
            "{text}"
        );
        assert!(text.contains("    variables: {\"x\":\"1\"}\n"), "{text}");
    }

    #[test]
    fn a_multi_line_cause_is_shown_in_full_and_indented() {
        let cause = format!("Traceback:\n  line 1\n\n  line 2 {}", "x".repeat(500));
        let e = event(
            9,
            "ExecutionFailed",
            json!({"error": "States.TaskFailed", "cause": cause}),
        );
        let text = e.to_string();
        let expected = format!(
            "ExecutionFailed [9] @ 2026-11-30 08:30:01.132 UTC\n    error: States.TaskFailed\n    cause: Traceback:\n             line 1\n\n             line 2 {}\n",
            "x".repeat(500)
        );
        assert_eq!(text, expected);
    }

    #[test]
    fn an_unknown_type_is_shown_generically() {
        let e = event(
            3,
            "QuantumStateEntangled",
            json!({"qubits": 2, "partner": "arn:x", "cause": "two\nlines", "input": "{ \"a\" : 1 }"}),
        );
        assert!(!e.is_known_type());
        assert_eq!(
            e.to_string(),
            "QuantumStateEntangled [3] @ 2026-11-30 08:30:01.126 UTC\n    qubits: 2\n    partner: arn:x\n    cause: two\n           lines\n    input: {\"a\":1}\n"
        );
        assert_eq!(e.details_member(), "quantumStateEntangledEventDetails");
        // No details: the header alone.
        let e = event(4, "Mystery", json!({}));
        assert_eq!(e.to_string(), "Mystery [4] @ 2026-11-30 08:30:01.127 UTC\n");
        assert!(
            !e.to_json()
                .as_object()
                .is_some_and(|m| m.contains_key("mysteryEventDetails"))
        );
        // A member AWS adds to a known type is shown too.
        let e = event(
            5,
            "PassStateEntered",
            json!({"name": "P", "input": "1", "mood": "calm"}),
        );
        assert!(e.to_string().ends_with("    input: 1\n    mood: calm\n"));
    }

    #[test]
    fn long_payloads_are_cut_with_a_marker() {
        let long = json!({"items": vec!["abcdefghij"; 100]}).to_string();
        let total = long.chars().count();
        let e = event(2, "TaskStateEntered", json!({"name": "T", "input": long}));
        let text = e.to_string();
        let line = text
            .lines()
            .find(|l| l.starts_with("    input: "))
            .unwrap_or_default();
        let shown = line.trim_start_matches("    input: ");
        let marker = format!("… ({} more characters)", thousands(total - PAYLOAD_CHARS));
        assert!(shown.ends_with(&marker), "{shown}");
        assert_eq!(
            shown.chars().count(),
            PAYLOAD_CHARS + marker.chars().count()
        );
        let history = History::new(vec![e]);
        assert!(history.display_with(usize::MAX).contains(&long));
        assert_eq!(history.display(), text);
        // Pretty JSON is made compact before it is measured; a short one is not cut.
        let e = event(
            3,
            "TaskStateExited",
            json!({"name": "T", "output": "{\n  \"a\": [1, 2]\n}"}),
        );
        assert!(e.to_string().contains("    output: {\"a\":[1,2]}\n"));
        // Multi-byte characters are cut on a character boundary.
        assert_eq!(cut("ééé", 2), "éé… (1 more characters)");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(999), "999");
    }

    /// A Map run on the embedded engine, read through the client, shown as text.
    #[tokio::test]
    async fn a_map_run_history() {
        use crate::client::{GetHistory, Sfn};
        let sfn = Sfn::local();
        let Some(engine) = sfn.engine() else {
            panic!("a local client has an engine");
        };
        let definition = r#"{"StartAt": "Each", "States": {"Each": {"Type": "Map",
            "ItemProcessor": {"StartAt": "Double", "States": {
                "Double": {"Type": "Pass", "Parameters": {"v.$": "States.MathAdd($, $)"}, "End": true}}},
            "Next": "Check"},
            "Check": {"Type": "Fail", "Error": "Done", "Cause": "first line\nsecond line"}}}"#;
        let arn = engine
            .create_state_machine_json("doubles", definition)
            .unwrap_or_else(|e| panic!("{e}"));
        let run = engine
            .start_execution(&arn, local::StartExecution::new(json!([1, 2])))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let _ = run.wait().await;
        let page = sfn
            .backend()
            .get_execution_history(GetHistory::new(run.arn()))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let history = History::new(page.items);
        let text = history.display();
        let types: Vec<&str> = history
            .events
            .iter()
            .map(|e| e.event_type.as_str())
            .collect();
        assert_eq!(
            types,
            [
                "ExecutionStarted",
                "MapStateEntered",
                "MapStateStarted",
                "MapIterationStarted",
                "PassStateEntered",
                "PassStateExited",
                "MapIterationSucceeded",
                "MapIterationStarted",
                "PassStateEntered",
                "PassStateExited",
                "MapIterationSucceeded",
                "MapStateSucceeded",
                "MapStateExited",
                "FailStateEntered",
                "ExecutionFailed",
            ],
            "{text}"
        );
        for line in [
            "MapStateEntered [2] @ ",
            "    iterations: 2\n",
            "    state: Each\n    iteration: 1\n",
            "    output: {\"v\":4}\n",
            "    output: [{\"v\":2},{\"v\":4}]\n",
            "    error: Done\n    cause: first line\n           second line\n",
        ] {
            assert!(text.contains(line), "no {line:?} in\n{text}");
        }
        let v = history.to_json();
        assert_eq!(History::from_json(&v).ok(), Some(history));
    }
}
