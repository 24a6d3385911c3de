//! The history events the overlay reads, in AWS's `GetExecutionHistory` shape.

use serde_json::{Map, Value};

/// Why a history could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HistoryError {
    /// The document is neither `{"events": [...]}`, `{"history": [...]}` nor an array of
    /// events.
    #[error("a history is {{\"events\": [...]}} or an array of events")]
    NotAHistory,
    /// An event is not an object with a `type`.
    #[error("event {index} of the history has no \"type\"")]
    NoType {
        /// The event's position in the array, from 0.
        index: usize,
    },
}

/// One event of an execution's history: what the overlay needs of it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HistoryEvent {
    /// Its id, from 1 (0 when the source gave none).
    pub id: i64,
    /// The id of the event before it in the same thread of the execution (0: none).
    pub previous_event_id: i64,
    /// Its type as AWS names it (`TaskStateEntered`, `MapIterationFailed`).
    pub event_type: String,
    /// The state's name: of a state's event, or the Map state's of a Map iteration.
    pub name: Option<String>,
    /// The iteration's index, for a Map iteration's event.
    pub index: Option<u64>,
    /// The number of iterations, for `MapStateStarted`.
    pub length: Option<u64>,
    /// The error, for a failure.
    pub error: Option<String>,
}

impl HistoryEvent {
    /// An event from its parts: `details` are the members of its `…EventDetails` object
    /// (as `sfn_runtime::client::HistoryEvent::details` holds them).
    pub fn new(
        id: i64,
        previous_event_id: i64,
        event_type: impl Into<String>,
        details: &Map<String, Value>,
    ) -> Self {
        let text = |k: &str| details.get(k).and_then(Value::as_str).map(str::to_owned);
        let number = |k: &str| details.get(k).and_then(Value::as_u64);
        HistoryEvent {
            id,
            previous_event_id,
            event_type: event_type.into(),
            name: text("name"),
            index: number("index"),
            length: number("length"),
            error: text("error"),
        }
    }

    /// An event as AWS writes it: `{"id", "previousEventId", "type", "…EventDetails"}`.
    pub fn from_value(value: &Value) -> Option<Self> {
        let m = value.as_object()?;
        let ty = m.get("type").and_then(Value::as_str)?;
        let empty = Map::new();
        let details = m
            .iter()
            .find(|(k, v)| k.ends_with("EventDetails") && v.is_object())
            .and_then(|(_, v)| v.as_object())
            .unwrap_or(&empty);
        let int = |k: &str| m.get(k).and_then(Value::as_i64).unwrap_or(0);
        Some(HistoryEvent::new(
            int("id"),
            int("previousEventId"),
            ty,
            details,
        ))
    }
}

/// The events of `GetExecutionHistory`'s output (`{"events": [...]}`), of a bare array of
/// events, or of `sfn run --history --output json`'s output (`{"history": [...]}`),
/// oldest first.
pub fn events_from_history(value: &Value) -> Result<Vec<HistoryEvent>, HistoryError> {
    let list = match value {
        Value::Array(a) => a,
        Value::Object(m) => match m.get("events").or_else(|| m.get("history")) {
            Some(Value::Array(a)) => a,
            _ => return Err(HistoryError::NotAHistory),
        },
        _ => return Err(HistoryError::NotAHistory),
    };
    list.iter()
        .enumerate()
        .map(|(index, v)| HistoryEvent::from_value(v).ok_or(HistoryError::NoType { index }))
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn reads_aws_shape() {
        let events = events_from_history(&json!({"events": [
            {"id": 1, "previousEventId": 0, "type": "ExecutionStarted",
             "executionStartedEventDetails": {"input": "{}"}},
            {"id": 2, "previousEventId": 1, "type": "MapIterationStarted",
             "mapIterationStartedEventDetails": {"name": "Each", "index": 3}},
            {"id": 3, "previousEventId": 2, "type": "TaskFailed",
             "taskFailedEventDetails": {"error": "Boom", "cause": "x"}},
        ]}));
        let events = events.unwrap_or_default();
        assert_eq!(events.len(), 3);
        assert_eq!(events[1].name.as_deref(), Some("Each"));
        assert_eq!(events[1].index, Some(3));
        assert_eq!(events[2].error.as_deref(), Some("Boom"));
        assert_eq!(events[2].previous_event_id, 2);
    }

    #[test]
    fn rejects_other_documents() {
        assert_eq!(
            events_from_history(&json!({"Events": []})),
            Err(HistoryError::NotAHistory)
        );
        assert_eq!(
            events_from_history(&json!([{"id": 1}])),
            Err(HistoryError::NoType { index: 0 })
        );
    }
}
