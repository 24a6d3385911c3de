//! History event recording: each event follows the last one its thread of the execution
//! recorded, and the event types of each state kind and task resource.

use chrono::{DateTime, Utc};
use sfn_core::model::{ResourceKind, State, TaskState};

use super::{Failure, Frame, Run};
use crate::local::{
    history::{EventDetails, EventType},
    lock,
};

impl Run {
    pub(crate) fn record(
        &self,
        frame: &mut Frame,
        ty: EventType,
        details: EventDetails,
    ) -> Result<u64, Failure> {
        self.record_at(frame, self.now(), ty, details)
    }

    /// Records an event; once the execution is stopped, nothing but abort events is
    /// recorded, and the thread unwinds with [`Failure::Aborted`].
    pub(crate) fn record_at(
        &self,
        frame: &mut Frame,
        now: DateTime<Utc>,
        ty: EventType,
        details: EventDetails,
    ) -> Result<u64, Failure> {
        if self.stopped.is_set() {
            return Err(Failure::Aborted);
        }
        let id = lock(&frame.history)
            .push(frame.last, now, ty, details)
            .map_err(|_| Failure::HistoryFull)?;
        frame.last = id;
        Ok(id)
    }

    /// Records the abort of something in flight (a state, an iteration, a Map Run) in a
    /// stopped execution.
    pub(crate) fn record_abort(&self, frame: &mut Frame, ty: EventType, details: EventDetails) {
        let now = self.now();
        if let Ok(id) = lock(&frame.history).push(frame.last, now, ty, details) {
            frame.last = id;
        }
    }
}

pub(super) fn entered_type(s: &State) -> EventType {
    match s {
        State::Pass(_) => EventType::PassStateEntered,
        State::Task(_) => EventType::TaskStateEntered,
        State::Choice(_) => EventType::ChoiceStateEntered,
        State::Wait(_) => EventType::WaitStateEntered,
        State::Succeed(_) => EventType::SucceedStateEntered,
        State::Fail(_) => EventType::FailStateEntered,
        State::Parallel(_) => EventType::ParallelStateEntered,
        State::Map(_) => EventType::MapStateEntered,
    }
}

/// The event that closes a state a stop caught in flight. A Wait has none: AWS closes it
/// with `ExecutionAborted` alone (`TestSnfApi_test_stop_execution`).
pub(super) fn aborted_type(s: &State) -> Option<EventType> {
    match s {
        State::Task(_) => Some(EventType::TaskStateAborted),
        State::Parallel(_) => Some(EventType::ParallelStateAborted),
        State::Map(_) => Some(EventType::MapStateAborted),
        _ => None,
    }
}

pub(super) fn exited_type(s: &State) -> Option<EventType> {
    Some(match s {
        State::Pass(_) => EventType::PassStateExited,
        State::Task(_) => EventType::TaskStateExited,
        State::Choice(_) => EventType::ChoiceStateExited,
        State::Wait(_) => EventType::WaitStateExited,
        State::Succeed(_) => EventType::SucceedStateExited,
        State::Fail(_) => return None,
        State::Parallel(_) => EventType::ParallelStateExited,
        State::Map(_) => EventType::MapStateExited,
    })
}

/// Scheduled, started, succeeded, failed, timed out: by resource kind.
pub(super) fn task_events(
    t: &TaskState,
) -> (EventType, EventType, EventType, EventType, EventType) {
    use EventType::*;
    match t.resource.kind() {
        ResourceKind::Activity { .. } => (
            ActivityScheduled,
            ActivityStarted,
            ActivitySucceeded,
            ActivityFailed,
            ActivityTimedOut,
        ),
        ResourceKind::LambdaFunction { .. } => (
            LambdaFunctionScheduled,
            LambdaFunctionStarted,
            LambdaFunctionSucceeded,
            LambdaFunctionFailed,
            LambdaFunctionTimedOut,
        ),
        _ => (
            TaskScheduled,
            TaskStarted,
            TaskSucceeded,
            TaskFailed,
            TaskTimedOut,
        ),
    }
}
