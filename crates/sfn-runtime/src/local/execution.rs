//! An execution: how to start one ([`StartExecution`]), the handle on a started one
//! ([`Execution`]), what `DescribeExecution` tells ([`ExecutionDescription`],
//! [`ExecutionStatus`]), and the record the engine keeps of it, closed once.

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};
use sfn_core::model::ExecutionType;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use super::{
    Error, EventDetails, EventType, History, LocalEngine, MAX_HISTORY_EVENTS, Mocks,
    engine::MachineEntry,
    express::time_limit,
    interp::{ContextIds, Failure, Frame, Run, StopFlag},
    lock,
    redrive::{Checkpoint, Launch, RedriveRecord, RedriveStatus, Slot},
};

pub use crate::client::ExecutionStatus;

/// What `DescribeExecution` tells about an execution.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ExecutionDescription {
    /// The execution's ARN.
    pub execution_arn: String,
    /// The machine's ARN.
    pub state_machine_arn: String,
    /// The execution's name.
    pub name: String,
    /// Its status.
    pub status: ExecutionStatus,
    /// When it started.
    pub start_date: DateTime<Utc>,
    /// When it ended.
    pub stop_date: Option<DateTime<Utc>>,
    /// Its input.
    pub input: Value,
    /// Its input as it was sent, when it was sent as JSON text
    /// ([`StartExecution::from_json`]): AWS keeps the text and gives it back as it came
    /// (none: the JSON of `input`).
    pub input_text: Option<String>,
    /// Its output, when it succeeded.
    pub output: Option<Value>,
    /// The error, when it failed, timed out or was stopped.
    pub error: Option<String>,
    /// The cause.
    pub cause: Option<String>,
    /// For a child execution of a distributed Map: the Map Run that started it.
    pub map_run_arn: Option<String>,
    /// How many times it was redriven.
    pub redrive_count: u32,
    /// When it was last redriven.
    pub redrive_date: Option<DateTime<Utc>>,
    /// Whether it can be redriven now.
    pub redrive_status: RedriveStatus,
    /// Why not, when it cannot.
    pub redrive_status_reason: Option<String>,
    /// The version the execution runs, when it was started through a version's or an
    /// alias's ARN.
    pub state_machine_version_arn: Option<String>,
    /// The alias the execution was started through.
    pub state_machine_alias_arn: Option<String>,
}

impl ExecutionDescription {
    /// `{"status": …, "output": …}` or `{"status": …, "error": …, "cause": …}`.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("status".into(), Value::String(self.status.as_str().into()));
        if let Some(o) = &self.output {
            m.insert("output".into(), o.clone());
        }
        if self.status != ExecutionStatus::Succeeded && self.status != ExecutionStatus::Running {
            m.insert(
                "error".into(),
                self.error.clone().map_or(Value::Null, Value::String),
            );
            m.insert(
                "cause".into(),
                self.cause.clone().map_or(Value::Null, Value::String),
            );
        }
        Value::Object(m)
    }
}

/// How to start an execution.
#[derive(Debug, Clone, Default)]
pub struct StartExecution {
    pub(super) input: Input,
    pub(super) name: Option<String>,
    pub(super) mocks: Option<Arc<Mocks>>,
    /// Started by `StartSyncExecution`: AWS's context object of such an execution has no
    /// `$$.Execution.RedriveCount`.
    pub(super) sync: bool,
}

#[derive(Debug, Clone)]
pub(super) enum Input {
    Value(Value),
    Text(String),
}

impl Default for Input {
    fn default() -> Self {
        Input::Value(Value::Object(Map::new()))
    }
}

impl StartExecution {
    /// An execution with this input and a generated name.
    pub fn new(input: Value) -> Self {
        StartExecution {
            input: Input::Value(input),
            name: None,
            mocks: None,
            sync: false,
        }
    }

    /// An execution whose input is JSON text, as the `StartExecution` API takes it. The
    /// text is checked when the execution starts: it must be JSON and at most 256 KiB
    /// ([`Error::InvalidExecutionInput`] otherwise). As on AWS, the text is kept as it
    /// was sent and given back so ([`ExecutionDescription::input_text`], the
    /// `ExecutionStarted` event); the states see its value.
    pub fn from_json(input: impl Into<String>) -> Self {
        StartExecution {
            input: Input::Text(input.into()),
            name: None,
            mocks: None,
            sync: false,
        }
    }

    /// Names the execution.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Answers Task states with these mocked responses, by state name.
    pub fn mocks(mut self, mocks: Mocks) -> Self {
        self.mocks = Some(Arc::new(mocks));
        self
    }
}

pub(super) struct ExecState {
    pub(super) status: ExecutionStatus,
    pub(super) stop_date: Option<DateTime<Utc>>,
    pub(super) output: Option<Arc<Value>>,
    pub(super) error: Option<String>,
    pub(super) cause: Option<String>,
    /// Whether the closing event is recorded. A stopped execution is `Aborted` at once;
    /// its closing event follows the abort events of what was in flight.
    pub(super) closed: bool,
}

pub(crate) struct ExecutionEntry {
    pub(super) arn: String,
    pub(super) name: String,
    pub(super) machine_arn: String,
    pub(super) map_run_arn: Option<Arc<str>>,
    pub(super) via: Via,
    /// The revision of its machine it started with ([`MachineEntry::revision`]): what
    /// `DescribeStateMachineForExecution` describes.
    pub(super) revision: u64,
    pub(super) input: Arc<Value>,
    /// The input as it was sent, when it was sent as text: what AWS gives back.
    pub(super) input_text: Option<Arc<str>>,
    pub(super) start: DateTime<Utc>,
    pub(super) history: Arc<Mutex<History>>,
    pub(super) state: Mutex<ExecState>,
    pub(super) cancel: CancellationToken,
    pub(super) stopped: Arc<StopFlag>,
    pub(super) done: watch::Sender<bool>,
    pub(super) redrive: Mutex<RedriveRecord>,
}

/// The event a stopped execution's `ExecutionAborted` follows: the abort of the state in
/// flight at the top level, if one was recorded; otherwise none (0), as AWS records a stop
/// during a Wait (`TestSnfApi_test_stop_execution`).
fn abort_previous(history: &History) -> u64 {
    match history.events().last() {
        Some(e)
            if matches!(
                e.event_type,
                EventType::TaskStateAborted
                    | EventType::WaitStateAborted
                    | EventType::MapStateAborted
                    | EventType::ParallelStateAborted
            ) =>
        {
            e.id
        }
        _ => 0,
    }
}

/// The version and alias an execution was started through: none when started through
/// the machine's own ARN.
#[derive(Debug, Clone, Default)]
pub(crate) struct Via {
    pub(crate) version_arn: Option<Arc<str>>,
    pub(crate) alias_arn: Option<Arc<str>>,
}

/// An execution about to start: what [`ExecutionEntry::new`] registers.
pub(crate) struct NewExecution {
    pub(crate) arn: String,
    pub(crate) name: String,
    pub(crate) machine_arn: String,
    /// For a child execution of a distributed Map: its Map Run.
    pub(crate) map_run_arn: Option<Arc<str>>,
    /// The version and alias it was started through.
    pub(crate) via: Via,
    /// The revision of its machine it starts with.
    pub(crate) revision: u64,
    pub(crate) input: Arc<Value>,
    /// The input as it was sent, when it was sent as text.
    pub(crate) input_text: Option<Arc<str>>,
    pub(crate) start: DateTime<Utc>,
    /// Cancelled when the execution ends or is stopped.
    pub(crate) cancel: CancellationToken,
    pub(crate) stopped: Arc<StopFlag>,
    /// The events its history makes room for at first.
    pub(crate) history_capacity: usize,
}

impl ExecutionEntry {
    pub(super) fn new(new: NewExecution) -> Self {
        let NewExecution {
            arn,
            name,
            machine_arn,
            map_run_arn,
            via,
            revision,
            input,
            input_text,
            start,
            cancel,
            stopped,
            history_capacity,
        } = new;
        let (done, _) = watch::channel(false);
        ExecutionEntry {
            arn,
            name,
            machine_arn,
            map_run_arn,
            via,
            revision,
            input,
            input_text,
            start,
            history: Arc::new(Mutex::new(History::with_capacity(history_capacity))),
            state: Mutex::new(ExecState {
                status: ExecutionStatus::Running,
                stop_date: None,
                output: None,
                error: None,
                cause: None,
                closed: false,
            }),
            cancel,
            stopped,
            done,
            redrive: Mutex::default(),
        }
    }

    /// Stops the execution: it is `Aborted` from now on, and what is in flight unwinds,
    /// recording its abort events, before the closing event. Returns the stop date (the
    /// first stop's, or the end's when it had already ended).
    pub(super) fn request_stop(
        &self,
        now: DateTime<Utc>,
        error: Option<String>,
        cause: Option<String>,
    ) -> DateTime<Utc> {
        {
            let mut s = lock(&self.state);
            if s.status != ExecutionStatus::Running {
                return s.stop_date.unwrap_or(now);
            }
            s.status = ExecutionStatus::Aborted;
            s.stop_date = Some(now);
            s.error = error;
            s.cause = cause;
        }
        self.stopped.set();
        self.cancel.cancel();
        now
    }

    /// The execution as `DescribeExecution` tells it at `now`.
    pub(super) fn describe(&self, now: DateTime<Utc>) -> ExecutionDescription {
        let (redrive_status, redrive_status_reason) = self.redrive_status(now);
        let (redrive_count, redrive_date) = {
            let r = lock(&self.redrive);
            (r.count, r.date)
        };
        let s = lock(&self.state);
        ExecutionDescription {
            execution_arn: self.arn.clone(),
            state_machine_arn: self.machine_arn.clone(),
            name: self.name.clone(),
            status: s.status,
            start_date: self.start,
            stop_date: s.stop_date,
            input: (*self.input).clone(),
            input_text: self.input_text.as_deref().map(str::to_owned),
            output: s.output.as_deref().cloned(),
            error: s.error.clone(),
            cause: s.cause.clone(),
            map_run_arn: self.map_run_arn.as_deref().map(str::to_owned),
            redrive_count,
            redrive_date,
            redrive_status,
            redrive_status_reason,
            state_machine_version_arn: self.via.version_arn.as_deref().map(str::to_owned),
            state_machine_alias_arn: self.via.alias_arn.as_deref().map(str::to_owned),
        }
    }

    /// Closes the execution, once: the first ending wins; a stopped execution closes with
    /// `ExecutionAborted` whatever its run ended with.
    pub(super) fn finish(
        &self,
        now: DateTime<Utc>,
        status: ExecutionStatus,
        output: Option<Arc<Value>>,
        error: Option<String>,
        cause: Option<String>,
    ) {
        {
            let mut s = lock(&self.state);
            if s.closed {
                return;
            }
            if s.status != ExecutionStatus::Running {
                // Stopped: the abort events of what was in flight are recorded.
                let mut h = lock(&self.history);
                let previous = abort_previous(&h);
                h.push_closing(
                    previous,
                    now,
                    EventType::ExecutionAborted,
                    EventDetails::Failure {
                        error: s.error.clone(),
                        cause: s.cause.clone(),
                    },
                );
                s.closed = true;
                drop(h);
                drop(s);
                self.stopped.set();
                self.cancel.cancel();
                self.done.send_replace(true);
                return;
            }
            let (ty, details) = match status {
                ExecutionStatus::Succeeded => (
                    EventType::ExecutionSucceeded,
                    EventDetails::ExecutionSucceeded {
                        output: output.clone().unwrap_or_else(|| Arc::new(Value::Null)),
                    },
                ),
                ExecutionStatus::Failed => (
                    EventType::ExecutionFailed,
                    EventDetails::Failure {
                        error: error.clone(),
                        cause: cause.clone(),
                    },
                ),
                ExecutionStatus::TimedOut => (
                    EventType::ExecutionTimedOut,
                    EventDetails::Failure {
                        error: error.clone(),
                        cause: cause.clone(),
                    },
                ),
                ExecutionStatus::Aborted
                | ExecutionStatus::Running
                | ExecutionStatus::PendingRedrive
                | ExecutionStatus::Unknown => (
                    EventType::ExecutionAborted,
                    EventDetails::Failure {
                        error: error.clone(),
                        cause: cause.clone(),
                    },
                ),
            };
            {
                let mut h = lock(&self.history);
                if ty == EventType::ExecutionAborted {
                    let previous = abort_previous(&h);
                    h.push_closing(previous, now, ty, details);
                } else {
                    h.push_final(now, ty, details);
                }
            }
            *s = ExecState {
                status,
                stop_date: Some(now),
                output,
                error,
                cause,
                closed: true,
            };
        }
        self.stopped.set();
        self.cancel.cancel();
        self.done.send_replace(true);
    }
}

/// A started execution.
#[derive(Clone)]
pub struct Execution {
    pub(super) engine: LocalEngine,
    pub(super) entry: Arc<ExecutionEntry>,
}

impl std::fmt::Debug for Execution {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Execution")
            .field("arn", &self.entry.arn)
            .finish_non_exhaustive()
    }
}

impl Execution {
    /// The execution's ARN.
    pub fn arn(&self) -> &str {
        &self.entry.arn
    }

    /// Waits for the execution to end.
    ///
    /// # Errors
    ///
    /// [`Error::EngineStopped`] if the runtime shut down first.
    pub async fn wait(&self) -> Result<ExecutionDescription, Error> {
        let mut rx = self.entry.done.subscribe();
        rx.wait_for(|done| *done)
            .await
            .map_err(|_| Error::EngineStopped)?;
        Ok(self.describe())
    }

    /// Waits until the history has more than `after` events, or the execution is not
    /// running.
    pub async fn changed_after(&self, after: u64) {
        let mut done = self.entry.done.subscribe();
        loop {
            let progress = lock(&self.entry.history).progress();
            let notified = progress.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            done.borrow_and_update();
            let last = lock(&self.entry.history).last_id();
            // The status alone: a description would copy the input and output each time.
            let status = lock(&self.entry.state).status;
            if last > after || status != ExecutionStatus::Running {
                return;
            }
            tokio::select! {
                _ = notified => {}
                changed = done.changed() => if changed.is_err() { return },
            }
        }
    }

    /// The execution as it is now.
    pub fn describe(&self) -> ExecutionDescription {
        self.entry.describe(self.engine.inner.clock.now())
    }

    /// The history so far.
    pub fn history(&self) -> History {
        lock(&self.entry.history).clone()
    }

    /// Stops the execution.
    ///
    /// # Errors
    ///
    /// As [`LocalEngine::stop_execution`].
    pub fn stop(
        &self,
        error: Option<String>,
        cause: Option<String>,
    ) -> Result<DateTime<Utc>, Error> {
        self.engine.stop_execution(&self.entry.arn, error, cause)
    }
}

impl LocalEngine {
    /// A new execution of `machine`, started through `via`, starting now, its
    /// `ExecutionStarted` recorded; its history makes room for `capacity` events. Its
    /// input is a value and, when it was sent as text, the text.
    pub(super) fn started(
        &self,
        arn: String,
        name: String,
        machine: &MachineEntry,
        via: Via,
        (input, input_text): (Arc<Value>, Option<Arc<str>>),
        capacity: usize,
    ) -> Arc<ExecutionEntry> {
        let now = self.inner.clock.now();
        let details = EventDetails::ExecutionStarted {
            input: input.clone(),
            input_text: input_text.clone(),
            role_arn: self.role_of(machine),
            state_machine_version_arn: via.version_arn.clone(),
            state_machine_alias_arn: via.alias_arn.clone(),
        };
        let entry = ExecutionEntry::new(NewExecution {
            arn,
            name,
            machine_arn: machine.arn.clone(),
            map_run_arn: None,
            via,
            revision: machine.revision,
            input,
            input_text,
            start: now,
            cancel: CancellationToken::new(),
            stopped: Arc::default(),
            history_capacity: capacity,
        });
        let _ = lock(&entry.history).push(0, now, EventType::ExecutionStarted, details);
        Arc::new(entry)
    }

    /// Runs an execution registered (or, Express, not) with its first event recorded:
    /// from its start, or, redriven, from `resume`.
    pub(super) fn launch(
        &self,
        entry: Arc<ExecutionEntry>,
        launch: Launch,
        resume: Option<Checkpoint>,
    ) -> Execution {
        let now = self.inner.clock.now();
        let machine = launch.machine.clone();
        let role_arn = self.role_of(&machine);
        let (redrive_count, redrive_date) = {
            let r = lock(&entry.redrive);
            (r.count, r.date)
        };
        let context_base = ContextIds {
            execution_arn: &entry.arn,
            execution_name: &entry.name,
            role_arn: &role_arn,
            start: entry.start,
            machine_arn: &machine.arn,
            machine_name: &machine.name,
            redrive_count: (!launch.sync).then(|| u64::from(redrive_count)),
            redrive_time: redrive_date,
        }
        .context_base();
        // The machine's `TimeoutSeconds` (five minutes at most for an Express machine)
        // counts from the start, or from the redrive.
        let limit = time_limit(&machine);
        let run = Run {
            clock: self.inner.clock.clone(),
            handlers: self.inner.handlers.clone(),
            tasks: self.inner.tasks.clone(),
            mocks: launch.mocks.clone(),
            mock_counts: launch.mock_counts.clone(),
            cancel: entry.cancel.clone(),
            stopped: entry.stopped.clone(),
            execution_arn: Arc::from(entry.arn.as_str()),
            engine: self.inner.clone(),
            machine_name: Arc::from(machine.name.as_str()),
            deletable: (machine.machine_type == ExecutionType::Standard)
                .then(|| Arc::from(machine.arn.as_str())),
            revision: entry.revision,
            role_arn,
            context_base,
            input: entry.input.clone(),
            deadline: limit
                .and_then(|t| i64::try_from(t).ok())
                .and_then(chrono::Duration::try_seconds)
                .and_then(|d| now.checked_add_signed(d)),
            probe: None,
        };
        lock(&entry.redrive).launch = Some(launch);
        let timeout = limit.map(Duration::from_secs);
        tokio::spawn(drive(run, machine, entry.clone(), resume, timeout));
        Execution {
            engine: self.clone(),
            entry,
        }
    }
}

async fn drive(
    run: Run,
    machine: Arc<MachineEntry>,
    entry: Arc<ExecutionEntry>,
    resume: Option<Checkpoint>,
    timeout: Option<Duration>,
) {
    let input = run.input.clone();
    // As on AWS, the first state's entry has no previous event (`previousEventId` 0); a
    // redriven execution's follows `ExecutionRedriven`.
    let last = match resume {
        Some(_) => lock(&entry.history).last_id(),
        None => 0,
    };
    let mut frame = Frame {
        history: entry.history.clone(),
        last,
        vars: Map::new(),
        map_item: None,
        // The execution's input was measured when it started.
        verified: Some(input.clone()),
        redrive: Slot::resuming(resume),
        closing_failure: None,
        assigned: None,
    };
    let body = run.run_scope(&machine.plan, input, &mut frame);
    let timer = async {
        match timeout {
            Some(d) => run.clock.sleep(d).await,
            None => std::future::pending::<()>().await,
        }
    };
    let outcome = tokio::select! {
        biased;
        r = body => Some(r),
        _ = timer => None,
    };
    let now = run.clock.now();
    if !matches!(outcome, Some(Ok(_))) {
        let mut r = lock(&entry.redrive);
        r.checkpoint = frame.redrive.checkpoint(&frame.vars);
        r.history_full = matches!(outcome, Some(Err(Failure::HistoryFull)));
    }
    match outcome {
        Some(Ok(out)) => entry.finish(now, ExecutionStatus::Succeeded, Some(out), None, None),
        Some(Err(Failure::Error { error, cause })) => {
            // A Fail state without `Error` fails the execution without an error name.
            let error = Failure::reported(&error);
            entry.finish(now, ExecutionStatus::Failed, None, error, cause)
        }
        Some(Err(Failure::HistoryFull)) => entry.finish(
            now,
            ExecutionStatus::Failed,
            None,
            Some(sfn_core::error::states::RUNTIME.to_owned()),
            Some(format!(
                "The execution reached the maximum number of history events ({MAX_HISTORY_EVENTS})."
            )),
        ),
        Some(Err(Failure::Aborted)) => {
            entry.finish(now, ExecutionStatus::Aborted, None, None, None)
        }
        Some(Err(Failure::TimedOut)) | None => entry.finish(
            now,
            ExecutionStatus::TimedOut,
            None,
            Some(sfn_core::error::states::TIMEOUT.to_owned()),
            None,
        ),
    }
    // Queued for eviction once it is finished, never before.
    if machine.machine_type == ExecutionType::Standard {
        run.engine.note_finished(&entry, now);
        run.engine.execution_ended(&entry.machine_arn);
    }
}
