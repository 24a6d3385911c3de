//! Execution history as the client reads it: AWS's events, with their details kept as
//! AWS writes them, so that every event type AWS has (and any it adds) is read.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

/// One event of an execution's history.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct HistoryEvent {
    /// Its id, from 1.
    pub id: i64,
    /// The id of the event before it in the same thread of the execution (0: none).
    pub previous_event_id: i64,
    /// When it happened.
    pub timestamp: DateTime<Utc>,
    /// Its type, as AWS names it (`TaskStateEntered`); any name, also one this client
    /// does not know.
    pub event_type: String,
    /// Its details: the members of the event's `…EventDetails` object as AWS writes them
    /// (`name`, `input`, `output`, `error`, `cause`, `resource`, …); empty when it has
    /// none.
    pub details: Map<String, Value>,
}

impl HistoryEvent {
    /// An event.
    pub fn new(
        id: i64,
        previous_event_id: i64,
        timestamp: DateTime<Utc>,
        event_type: impl Into<String>,
        details: Map<String, Value>,
    ) -> Self {
        HistoryEvent {
            id,
            previous_event_id,
            timestamp,
            event_type: event_type.into(),
            details,
        }
    }

    /// A text member of the details.
    pub fn detail(&self, member: &str) -> Option<&str> {
        self.details.get(member).and_then(Value::as_str)
    }

    /// The state's name, for a state's event (`…StateEntered`, `…StateExited`, Map
    /// iterations).
    pub fn name(&self) -> Option<&str> {
        self.detail("name")
    }

    /// The error, for a failure.
    pub fn error(&self) -> Option<&str> {
        self.detail("error")
    }

    /// The cause, for a failure.
    pub fn cause(&self) -> Option<&str> {
        self.detail("cause")
    }

    /// The input, as JSON text.
    pub fn input(&self) -> Option<&str> {
        self.detail("input")
    }

    /// The output, as JSON text.
    pub fn output(&self) -> Option<&str> {
        self.detail("output")
    }

    /// The resource a task called (an activity's ARN for activity events).
    pub fn resource(&self) -> Option<&str> {
        self.detail("resource")
    }

    /// Whether the event ends the execution.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self.event_type.as_str(),
            "ExecutionSucceeded" | "ExecutionFailed" | "ExecutionAborted" | "ExecutionTimedOut"
        )
    }
}

/// The events of an execution's history, oldest first.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct History {
    /// The events.
    pub events: Vec<HistoryEvent>,
}

impl History {
    /// A history of `events`.
    pub fn new(events: Vec<HistoryEvent>) -> Self {
        History { events }
    }

    /// The number of events.
    pub fn len(&self) -> usize {
        self.events.len()
    }

    /// Whether there are no events.
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }
}
