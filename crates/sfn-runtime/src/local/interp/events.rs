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

    /// Records an event that the thread's next event does not follow: as AWS records
    /// `MapStateSucceeded`, whose `MapStateExited` follows the event before it, and
    /// `MapIterationFailed`, whose successor follows the iteration's last state event.
    pub(crate) fn record_aside(
        &self,
        frame: &mut Frame,
        ty: EventType,
        details: EventDetails,
    ) -> Result<u64, Failure> {
        let before = frame.last;
        let id = self.record(frame, ty, details);
        frame.last = before;
        id
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

/// The history events that open and close a state of one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StateEvents {
    /// `…StateEntered`.
    pub(crate) entered: EventType,
    /// `…StateExited`; a Fail state has none.
    pub(crate) exited: Option<EventType>,
    /// The event that closes the state when a stop catches it in flight. A Wait has
    /// none: AWS closes it with `ExecutionAborted` alone
    /// (`TestSnfApi_test_stop_execution`).
    pub(crate) aborted: Option<EventType>,
}

impl StateEvents {
    /// The events of `state`'s kind; `None` for a kind the engine does not run.
    pub(crate) fn of(state: &State) -> Option<StateEvents> {
        use EventType::*;
        let (entered, exited, aborted) = match state {
            State::Pass(_) => (PassStateEntered, Some(PassStateExited), None),
            State::Task(_) => (
                TaskStateEntered,
                Some(TaskStateExited),
                Some(TaskStateAborted),
            ),
            State::Choice(_) => (ChoiceStateEntered, Some(ChoiceStateExited), None),
            State::Wait(_) => (WaitStateEntered, Some(WaitStateExited), None),
            State::Succeed(_) => (SucceedStateEntered, Some(SucceedStateExited), None),
            State::Fail(_) => (FailStateEntered, None, None),
            State::Parallel(_) => (
                ParallelStateEntered,
                Some(ParallelStateExited),
                Some(ParallelStateAborted),
            ),
            State::Map(_) => (MapStateEntered, Some(MapStateExited), Some(MapStateAborted)),
            _ => return None,
        };
        Some(StateEvents {
            entered,
            exited,
            aborted,
        })
    }
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
