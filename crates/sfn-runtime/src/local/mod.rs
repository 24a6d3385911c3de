//! The embedded engine: runs state machines in-process, as AWS Step Functions does.
//!
//! Evaluation (paths, templates, intrinsic functions, JSONata, choice rules, retry
//! arithmetic) is sfn-core's; this module schedules states, records history, answers
//! tasks (mocks, Rust handlers, activity queues) and keeps executions.
//!
//! ```
//! use std::sync::Arc;
//! use serde_json::json;
//! use sfn_runtime::local::{LocalEngine, StartExecution, VirtualClock, ExecutionStatus};
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let engine = LocalEngine::with_clock(Arc::new(VirtualClock::default()));
//! let machine = r#"{"StartAt": "Hi", "States": {"Hi": {"Type": "Pass", "Result": "world", "End": true}}}"#;
//! let arn = engine.create_state_machine("hello", machine.parse().unwrap())?;
//! let run = engine.start_execution(&arn, StartExecution::new(json!({}))).await?;
//! let done = run.wait().await?;
//! assert_eq!(done.status, ExecutionStatus::Succeeded);
//! assert_eq!(done.output, Some(json!("world")));
//! # Ok::<(), sfn_runtime::local::Error>(())
//! # }).unwrap();
//! ```

mod clock;
mod error;
mod history;
mod interp;
mod manage;
mod map_run;
mod mock;
mod plan;
mod task;

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock},
    time::Duration,
};

use chrono::{DateTime, SecondsFormat, Utc};
use indexmap::IndexMap;
use serde_json::{Map, Value, json};
use sfn_core::{
    Diagnostics, StateMachine,
    definition::{activity_arn, resolve_activity_arns},
    eval::limits,
    names::{NameError, check_resource_name},
};
use tokio::sync::watch;

use crate::{
    activity::{
        Activity, BoxFuture, ExecutionInfo, HeartbeatError, TaskContext, TaskControl, TaskFailure,
    },
    definition::StateMachineDefinition,
};
use tokio_util::sync::CancellationToken;

pub use clock::{Clock, Sleep, SystemClock, VirtualClock};
pub use error::Error;
pub use history::{EventDetails, EventType, History, HistoryEvent, MAX_HISTORY_EVENTS};
pub use manage::{
    ActivityDescription, CreateStateMachine, StateMachineDescription, StateMachineType,
};
pub use map_run::{MapRunCounts, MapRunDescription, MapRunStatus};
pub use mock::{MockConfig, MockResponse, MockedResponses, Mocks};
pub use task::{ActivityTask, TaskHandler, TaskRequest};

use interp::{Failure, Frame, Run, StopFlag};
use map_run::MapRunEntry;
use plan::ScopePlan;
use task::{Tasks, TokenOutcome};

const REGION: &str = "us-east-1";
const ACCOUNT: &str = "123456789012";

/// How an activity served in-process ([`LocalEngine::serve_activity`]) reaches the
/// engine: heartbeats on its token, and whether its task is over.
struct EngineControl {
    tasks: Arc<Tasks>,
    token: String,
    done: CancellationToken,
}

impl TaskControl for EngineControl {
    fn heartbeat(&self) -> BoxFuture<'_, Result<(), HeartbeatError>> {
        let r = self
            .tasks
            .heartbeat(&self.token)
            .map_err(|e| HeartbeatError::TaskGone(e.to_string()));
        Box::pin(std::future::ready(r))
    }

    fn is_stopping(&self) -> bool {
        self.done.is_cancelled()
    }

    fn stopping(&self) -> BoxFuture<'_, ()> {
        Box::pin(self.done.cancelled())
    }
}

/// The ARN of this engine's activity `name`.
fn activity_arn_for(name: &str) -> String {
    activity_arn("aws", REGION, ACCOUNT, name)
}

/// Checks a machine, execution or activity name against AWS's rules.
fn check_name(name: &str) -> Result<(), Error> {
    check_resource_name(name).map_err(|reason| Error::InvalidName {
        name: name.to_owned(),
        reason,
    })
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The status of an execution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExecutionStatus {
    /// Still running.
    Running,
    /// Ended with an output.
    Succeeded,
    /// Ended with an error.
    Failed,
    /// Ran longer than the machine's `TimeoutSeconds`.
    TimedOut,
    /// Stopped.
    Aborted,
}

impl ExecutionStatus {
    /// The status as AWS writes it (`SUCCEEDED`).
    pub fn as_str(self) -> &'static str {
        match self {
            ExecutionStatus::Running => "RUNNING",
            ExecutionStatus::Succeeded => "SUCCEEDED",
            ExecutionStatus::Failed => "FAILED",
            ExecutionStatus::TimedOut => "TIMED_OUT",
            ExecutionStatus::Aborted => "ABORTED",
        }
    }
}

impl std::fmt::Display for ExecutionStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What `DescribeExecution` tells about an execution.
#[derive(Debug, Clone, PartialEq)]
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
    /// Its output, when it succeeded.
    pub output: Option<Value>,
    /// The error, when it failed, timed out or was stopped.
    pub error: Option<String>,
    /// The cause.
    pub cause: Option<String>,
    /// For a child execution of a distributed Map: the Map Run that started it.
    pub map_run_arn: Option<String>,
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
    input: Input,
    name: Option<String>,
    mocks: Option<Arc<Mocks>>,
}

#[derive(Debug, Clone)]
enum Input {
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
        }
    }

    /// An execution whose input is JSON text, as the `StartExecution` API takes it. The
    /// text is checked when the execution starts: it must be JSON and at most 256 KiB
    /// ([`Error::InvalidExecutionInput`] otherwise).
    pub fn from_json(input: impl Into<String>) -> Self {
        StartExecution {
            input: Input::Text(input.into()),
            name: None,
            mocks: None,
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

struct MachineEntry {
    arn: String,
    name: String,
    definition: Arc<StateMachine>,
    plan: Arc<ScopePlan>,
}

struct ExecState {
    status: ExecutionStatus,
    stop_date: Option<DateTime<Utc>>,
    output: Option<Arc<Value>>,
    error: Option<String>,
    cause: Option<String>,
    /// Whether the closing event is recorded. A stopped execution is `Aborted` at once;
    /// its closing event follows the abort events of what was in flight.
    closed: bool,
}

pub(crate) struct ExecutionEntry {
    arn: String,
    name: String,
    machine_arn: String,
    map_run_arn: Option<Arc<str>>,
    input: Arc<Value>,
    start: DateTime<Utc>,
    history: Arc<Mutex<History>>,
    state: Mutex<ExecState>,
    cancel: CancellationToken,
    stopped: Arc<StopFlag>,
    done: watch::Sender<bool>,
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

impl ExecutionEntry {
    #[allow(clippy::too_many_arguments)]
    fn new(
        arn: String,
        name: String,
        machine_arn: String,
        map_run_arn: Option<Arc<str>>,
        input: Arc<Value>,
        start: DateTime<Utc>,
        cancel: CancellationToken,
        stopped: Arc<StopFlag>,
        history_capacity: usize,
    ) -> Self {
        let (done, _) = watch::channel(false);
        ExecutionEntry {
            arn,
            name,
            machine_arn,
            map_run_arn,
            input,
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
        }
    }

    /// Stops the execution: it is `Aborted` from now on, and what is in flight unwinds,
    /// recording its abort events, before the closing event. Returns the stop date (the
    /// first stop's, or the end's when it had already ended).
    fn request_stop(
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

    fn describe(&self) -> ExecutionDescription {
        let s = lock(&self.state);
        ExecutionDescription {
            execution_arn: self.arn.clone(),
            state_machine_arn: self.machine_arn.clone(),
            name: self.name.clone(),
            status: s.status,
            start_date: self.start,
            stop_date: s.stop_date,
            input: (*self.input).clone(),
            output: s.output.as_deref().cloned(),
            error: s.error.clone(),
            cause: s.cause.clone(),
            map_run_arn: self.map_run_arn.as_deref().map(str::to_owned),
        }
    }

    /// Closes the execution, once: the first ending wins; a stopped execution closes with
    /// `ExecutionAborted` whatever its run ended with.
    fn finish(
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
                ExecutionStatus::Aborted | ExecutionStatus::Running => (
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

pub(crate) struct Inner {
    clock: Arc<dyn Clock>,
    handlers: Arc<RwLock<HashMap<String, Arc<dyn TaskHandler>>>>,
    tasks: Arc<Tasks>,
    machines: Mutex<IndexMap<String, Arc<MachineEntry>>>,
    executions: Mutex<IndexMap<String, Arc<ExecutionEntry>>>,
    map_runs: Mutex<IndexMap<String, Arc<MapRunEntry>>>,
    activity_poll_micros: std::sync::atomic::AtomicU64,
    registry: manage::Registry,
}

/// How long AWS holds a `GetActivityTask` call.
const ACTIVITY_POLL_TIMEOUT: Duration = Duration::from_secs(60);

/// The embedded engine. Cheap to clone; clones share everything.
#[derive(Clone)]
pub struct LocalEngine {
    inner: Arc<Inner>,
}

impl Default for LocalEngine {
    fn default() -> Self {
        LocalEngine::new()
    }
}

impl std::fmt::Debug for LocalEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalEngine").finish_non_exhaustive()
    }
}

/// A started execution.
#[derive(Clone)]
pub struct Execution {
    engine: LocalEngine,
    entry: Arc<ExecutionEntry>,
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
        Ok(self.entry.describe())
    }

    /// The execution as it is now.
    pub fn describe(&self) -> ExecutionDescription {
        self.entry.describe()
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
    /// An engine on the real clock.
    pub fn new() -> Self {
        LocalEngine::with_clock(Arc::new(SystemClock))
    }

    /// An engine on the given clock ([`VirtualClock`] for instant, deterministic runs).
    pub fn with_clock(clock: Arc<dyn Clock>) -> Self {
        LocalEngine {
            inner: Arc::new(Inner {
                clock,
                handlers: Arc::default(),
                tasks: Arc::default(),
                machines: Mutex::default(),
                executions: Mutex::default(),
                map_runs: Mutex::default(),
                activity_poll_micros: std::sync::atomic::AtomicU64::new(
                    ACTIVITY_POLL_TIMEOUT.as_micros() as u64,
                ),
                registry: manage::Registry::default(),
            }),
        }
    }

    /// The engine's clock.
    pub fn clock(&self) -> Arc<dyn Clock> {
        self.inner.clock.clone()
    }

    /// Answers every Task state whose `Resource` is `resource` with `handler`.
    pub fn register_handler(&self, resource: impl Into<String>, handler: impl TaskHandler) {
        self.inner
            .handlers
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(resource.into(), Arc::new(handler));
    }

    /// Creates a state machine and returns its ARN. Creating one again with the same
    /// definition returns the same ARN.
    ///
    /// The definition is validated first, as AWS validates `CreateStateMachine`: a model
    /// built or changed by hand reaches the engine only if the validator accepts it.
    /// Placeholder activity resources (`arn:aws:states:::activity:NAME`, as
    /// `state_machine!` writes them) are resolved to the activity `NAME` of this engine's
    /// region and account, the ARN [`create_activity`](Self::create_activity) returns.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidName`], [`Error::InvalidDefinition`] with the validator's
    /// diagnostics, [`Error::StateMachineAlreadyExists`] (same name, another
    /// definition).
    pub fn create_state_machine(
        &self,
        name: &str,
        mut definition: StateMachine,
    ) -> Result<String, Error> {
        check_name(name)?;
        resolve_activity_arns(&mut definition, activity_arn_for);
        let diagnostics = sfn_core::validate(&definition);
        if !diagnostics.is_valid() {
            return Err(Error::InvalidDefinition { diagnostics });
        }
        self.insert_machine(name, definition)
    }

    /// Creates a machine already validated, its placeholders resolved.
    fn insert_machine(&self, name: &str, definition: StateMachine) -> Result<String, Error> {
        let plan = plan::compile(&definition).map_err(|e| Error::InvalidDefinition {
            diagnostics: Diagnostics(vec![e.to_diagnostic()]),
        })?;
        let arn = format!("arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:{name}");
        let mut machines = lock(&self.inner.machines);
        if let Some(existing) = machines.get(&arn) {
            if *existing.definition == definition {
                return Ok(arn);
            }
            return Err(Error::StateMachineAlreadyExists { arn });
        }
        machines.insert(
            arn.clone(),
            Arc::new(MachineEntry {
                arn: arn.clone(),
                name: name.to_owned(),
                definition: Arc::new(definition),
                plan: Arc::new(plan),
            }),
        );
        Ok(arn)
    }

    /// Creates the machine `M` (named [`M::NAME`](StateMachineDefinition::NAME), from
    /// [`M::definition`](StateMachineDefinition::definition)) and the activities it
    /// calls, and returns the machine's ARN. Idempotent, as
    /// [`create_state_machine`](Self::create_state_machine) is.
    ///
    /// The activities only exist: something must answer their tasks, such as
    /// [`serve_activity`](Self::serve_activity) or a worker polling
    /// [`poll_activity_task`](Self::poll_activity_task).
    ///
    /// # Errors
    ///
    /// As [`create_activity`](Self::create_activity) and
    /// [`create_state_machine`](Self::create_state_machine).
    pub fn create_state_machine_for<M: StateMachineDefinition>(&self) -> Result<String, Error> {
        let definition = M::definition();
        let mut names: Vec<String> = M::activities()
            .iter()
            .map(|a| a.name().to_owned())
            .collect();
        // The activities the definition names, listed or not.
        resolve_activity_arns(&mut definition.clone(), |name| {
            names.push(name.to_owned());
            activity_arn_for(name)
        });
        names.sort();
        names.dedup();
        for name in &names {
            self.create_activity(name)?;
        }
        self.create_state_machine(M::NAME, definition)
    }

    /// Answers the tasks of `activity` in this process: creates the activity (named
    /// [`Activity::name`]) and registers a handler for its ARN that runs
    /// [`Activity::call`] on each task's input. The handler's [`TaskContext`] carries the
    /// task token and the execution; its heartbeats go to this engine
    /// ([`send_task_heartbeat`](Self::send_task_heartbeat)), so `HeartbeatSeconds` holds
    /// as it does for a worker, and it reports stopping once the task is over. Returns
    /// the activity's ARN.
    ///
    /// `#[activity]` functions are activities: `engine.serve_activity(&add)`.
    ///
    /// # Errors
    ///
    /// As [`create_activity`](Self::create_activity).
    pub fn serve_activity(&self, activity: &'static dyn Activity) -> Result<String, Error> {
        let arn = self.create_activity(activity.name())?;
        let tasks = Arc::downgrade(&self.inner.tasks);
        let machines = Arc::downgrade(&self.inner);
        self.register_handler(arn.clone(), move |req: TaskRequest| {
            let tasks = tasks.clone();
            let machines = machines.clone();
            async move {
                let token = req.task_token.clone().unwrap_or_default();
                let Some(tasks) = tasks.upgrade() else {
                    return Err(TaskFailure::new(
                        sfn_core::error::states::TASK_FAILED,
                        "the engine is gone",
                    ));
                };
                // A token that is not outstanding is over already.
                let done = tasks.token_done(&token).unwrap_or_else(|| {
                    let t = CancellationToken::new();
                    t.cancel();
                    t
                });
                let execution = ExecutionInfo {
                    state_machine_arn: machines
                        .upgrade()
                        .and_then(|inner| lock(&inner.executions).get(&req.execution_arn).cloned())
                        .map(|e| e.machine_arn.clone()),
                    execution_arn: Some(req.execution_arn),
                    state_name: Some(req.state_name),
                };
                let control = Arc::new(EngineControl {
                    tasks,
                    token: token.clone(),
                    done,
                });
                let ctx = TaskContext::new(token, activity.name(), execution, control);
                activity
                    .call(req.input, ctx)
                    .await
                    .map_err(|f| TaskFailure {
                        cause: f.cause.filter(|c| !c.is_empty()),
                        ..f
                    })
            }
        });
        Ok(arn)
    }

    /// Reads, validates and creates a state machine from its JSON text.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidDefinition`] with every diagnostic, or as
    /// [`create_state_machine`](Self::create_state_machine).
    pub fn create_state_machine_json(&self, name: &str, definition: &str) -> Result<String, Error> {
        check_name(name)?;
        let diagnostics = sfn_core::validate_str(definition);
        if !diagnostics.is_valid() {
            return Err(Error::InvalidDefinition { diagnostics });
        }
        let mut machine: StateMachine = definition.parse()?;
        resolve_activity_arns(&mut machine, activity_arn_for);
        self.insert_machine(name, machine)
    }

    /// The ARNs of the state machines, in creation order.
    pub fn list_state_machines(&self) -> Vec<String> {
        lock(&self.inner.machines).keys().cloned().collect()
    }

    /// Starts an execution of the machine `machine_arn`.
    ///
    /// # Errors
    ///
    /// [`Error::StateMachineDoesNotExist`], [`Error::InvalidName`],
    /// [`Error::InvalidExecutionInput`] (over 256 KiB), [`Error::ExecutionAlreadyExists`].
    pub async fn start_execution(
        &self,
        machine_arn: &str,
        start: StartExecution,
    ) -> Result<Execution, Error> {
        let machine = lock(&self.inner.machines)
            .get(machine_arn)
            .cloned()
            .ok_or_else(|| Error::StateMachineDoesNotExist {
                arn: machine_arn.to_owned(),
            })?;
        let name = start
            .name
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        check_name(&name)?;
        let too_large = || Error::InvalidExecutionInput {
            message: format!(
                "the input is larger than {} bytes",
                limits::MAX_PAYLOAD_BYTES
            ),
        };
        let start_input = match start.input {
            Input::Value(v) => {
                if limits::exceeds_limit(&v) {
                    return Err(too_large());
                }
                v
            }
            Input::Text(text) => {
                if text.len() > limits::MAX_PAYLOAD_BYTES {
                    return Err(too_large());
                }
                serde_json::from_str(&text).map_err(|e| Error::InvalidExecutionInput {
                    message: format!("the input is not JSON: {e}"),
                })?
            }
        };
        let arn = format!(
            "arn:aws:states:{REGION}:{ACCOUNT}:execution:{}:{name}",
            machine.name
        );
        let input = Arc::new(start_input);
        let now = self.inner.clock.now();
        let entry = Arc::new(ExecutionEntry::new(
            arn.clone(),
            name.clone(),
            machine.arn.clone(),
            None,
            input.clone(),
            now,
            CancellationToken::new(),
            Arc::default(),
            64,
        ));
        {
            let mut executions = lock(&self.inner.executions);
            if let Some(existing) = executions.get(&arn) {
                let same = *existing.input == *input
                    && lock(&existing.state).status == ExecutionStatus::Running;
                if same {
                    return Ok(Execution {
                        engine: self.clone(),
                        entry: existing.clone(),
                    });
                }
                return Err(Error::ExecutionAlreadyExists { arn });
            }
            executions.insert(arn.clone(), entry.clone());
        }
        let role_arn: Arc<str> = Arc::from(format!("arn:aws:iam::{ACCOUNT}:role/sfn-local"));
        let _ = lock(&entry.history).push(
            0,
            now,
            EventType::ExecutionStarted,
            EventDetails::ExecutionStarted {
                input: input.clone(),
                role_arn: role_arn.clone(),
            },
        );
        let context_base = match json!({
            "Execution": {
                "Id": arn,
                "Name": name,
                "RoleArn": &*role_arn,
                "StartTime": now.to_rfc3339_opts(SecondsFormat::Millis, true),
                "RedriveCount": 0,
            },
            "StateMachine": {"Id": machine.arn, "Name": machine.name},
        }) {
            Value::Object(m) => Arc::new(m),
            _ => Arc::default(),
        };
        let run = Run {
            clock: self.inner.clock.clone(),
            handlers: self.inner.handlers.clone(),
            tasks: self.inner.tasks.clone(),
            mocks: start.mocks,
            mock_counts: Arc::default(),
            cancel: entry.cancel.clone(),
            stopped: entry.stopped.clone(),
            execution_arn: Arc::from(arn.as_str()),
            engine: self.inner.clone(),
            machine_name: Arc::from(machine.name.as_str()),
            role_arn: role_arn.clone(),
            context_base,
            input: input.clone(),
            deadline: machine
                .definition
                .timeout_seconds
                .and_then(|t| i64::try_from(t).ok())
                .and_then(chrono::Duration::try_seconds)
                .and_then(|d| now.checked_add_signed(d)),
        };
        let timeout = machine.definition.timeout_seconds.map(Duration::from_secs);
        let driver_entry = entry.clone();
        tokio::spawn(drive(run, machine, driver_entry, input, timeout));
        Ok(Execution {
            engine: self.clone(),
            entry,
        })
    }

    fn execution(&self, arn: &str) -> Result<Arc<ExecutionEntry>, Error> {
        lock(&self.inner.executions)
            .get(arn)
            .cloned()
            .ok_or_else(|| Error::ExecutionDoesNotExist {
                arn: arn.to_owned(),
            })
    }

    /// Describes an execution.
    ///
    /// # Errors
    ///
    /// [`Error::ExecutionDoesNotExist`].
    pub fn describe_execution(&self, arn: &str) -> Result<ExecutionDescription, Error> {
        Ok(self.execution(arn)?.describe())
    }

    /// A handle on an execution.
    ///
    /// # Errors
    ///
    /// [`Error::ExecutionDoesNotExist`].
    pub fn get_execution(&self, arn: &str) -> Result<Execution, Error> {
        Ok(Execution {
            engine: self.clone(),
            entry: self.execution(arn)?,
        })
    }

    /// Stops an execution at once, even with a task outstanding. Returns the stop date.
    ///
    /// # Errors
    ///
    /// [`Error::ExecutionDoesNotExist`].
    pub fn stop_execution(
        &self,
        arn: &str,
        error: Option<String>,
        cause: Option<String>,
    ) -> Result<DateTime<Utc>, Error> {
        let entry = self.execution(arn)?;
        let now = self.inner.clock.now();
        Ok(entry.request_stop(now, error, cause))
    }

    /// The executions, of one machine or of all, in start order. Given a Map Run's ARN,
    /// the child executions it started (as `ListExecutions` with `mapRunArn`); a child
    /// execution's machine ARN is its parent machine's with the Map's label
    /// (`…:stateMachine:MACHINE/LABEL`).
    pub fn list_executions(&self, machine_arn: Option<&str>) -> Vec<ExecutionDescription> {
        self.list_executions_with_status(machine_arn, None)
    }

    /// The executions, of one machine or of all, with one status or any, in start order
    /// (`ListExecutions` with `statusFilter`).
    pub fn list_executions_with_status(
        &self,
        machine_arn: Option<&str>,
        status: Option<ExecutionStatus>,
    ) -> Vec<ExecutionDescription> {
        let entries: Vec<Arc<ExecutionEntry>> =
            lock(&self.inner.executions).values().cloned().collect();
        entries
            .iter()
            .filter(|e| {
                machine_arn
                    .is_none_or(|m| e.machine_arn == m || e.map_run_arn.as_deref() == Some(m))
            })
            .map(|e| e.describe())
            .filter(|d| status.is_none_or(|s| d.status == s))
            .collect()
    }

    /// Describes a Map Run (`DescribeMapRun`): its status, settings and the counts of
    /// its items and child executions.
    ///
    /// # Errors
    ///
    /// [`Error::MapRunDoesNotExist`].
    pub fn describe_map_run(&self, map_run_arn: &str) -> Result<MapRunDescription, Error> {
        lock(&self.inner.map_runs)
            .get(map_run_arn)
            .map(|r| r.describe())
            .ok_or_else(|| Error::MapRunDoesNotExist {
                arn: map_run_arn.to_owned(),
            })
    }

    /// The Map Runs an execution started, in start order (`ListMapRuns`).
    ///
    /// # Errors
    ///
    /// [`Error::ExecutionDoesNotExist`].
    pub fn list_map_runs(&self, execution_arn: &str) -> Result<Vec<MapRunDescription>, Error> {
        self.execution(execution_arn)?;
        let runs: Vec<Arc<MapRunEntry>> = lock(&self.inner.map_runs).values().cloned().collect();
        Ok(runs
            .iter()
            .filter(|r| r.execution_arn() == execution_arn)
            .map(|r| r.describe())
            .collect())
    }

    /// The child executions a Map Run started, in start order (`ListExecutions` with
    /// `mapRunArn`).
    ///
    /// # Errors
    ///
    /// [`Error::MapRunDoesNotExist`].
    pub fn list_map_run_executions(
        &self,
        map_run_arn: &str,
    ) -> Result<Vec<ExecutionDescription>, Error> {
        if !lock(&self.inner.map_runs).contains_key(map_run_arn) {
            return Err(Error::MapRunDoesNotExist {
                arn: map_run_arn.to_owned(),
            });
        }
        let entries: Vec<Arc<ExecutionEntry>> =
            lock(&self.inner.executions).values().cloned().collect();
        Ok(entries
            .iter()
            .filter(|e| e.map_run_arn.as_deref() == Some(map_run_arn))
            .map(|e| e.describe())
            .collect())
    }

    /// An execution's history.
    ///
    /// # Errors
    ///
    /// [`Error::ExecutionDoesNotExist`].
    pub fn get_execution_history(&self, arn: &str) -> Result<History, Error> {
        Ok(lock(&self.execution(arn)?.history).clone())
    }

    /// Creates an activity (or finds it) and returns its ARN.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidName`].
    pub fn create_activity(&self, name: &str) -> Result<String, Error> {
        check_name(name)?;
        let arn = activity_arn_for(name);
        self.inner.tasks.create_activity(&arn);
        Ok(arn)
    }

    /// Deletes an activity.
    ///
    /// # Errors
    ///
    /// [`Error::ActivityDoesNotExist`].
    pub fn delete_activity(&self, arn: &str) -> Result<(), Error> {
        if self.inner.tasks.delete_activity(arn) {
            Ok(())
        } else {
            Err(Error::ActivityDoesNotExist {
                arn: arn.to_owned(),
            })
        }
    }

    /// The ARNs of the activities.
    pub fn list_activities(&self) -> Vec<String> {
        self.inner.tasks.activity_arns()
    }

    /// Takes a task from an activity, waiting up to `wait` on the engine's clock.
    /// `None` when no task came.
    ///
    /// # Errors
    ///
    /// [`Error::ActivityDoesNotExist`].
    pub async fn get_activity_task(
        &self,
        activity_arn: &str,
        wait: Duration,
    ) -> Result<Option<ActivityTask>, Error> {
        self.inner
            .tasks
            .poll(activity_arn, None, wait, &*self.inner.clock)
            .await
    }

    /// `GetActivityTask`: takes a task from an activity for the worker `worker_name`
    /// (recorded as `ActivityStarted`'s `workerName`), holding the call up to the
    /// activity poll timeout ([`set_activity_poll_timeout`](Self::set_activity_poll_timeout);
    /// 60 seconds, as on AWS) on the engine's clock. `None` when no task came.
    ///
    /// # Errors
    ///
    /// [`Error::ActivityDoesNotExist`], [`Error::InvalidName`] (a worker name over 80
    /// characters).
    pub async fn poll_activity_task(
        &self,
        activity_arn: &str,
        worker_name: Option<&str>,
    ) -> Result<Option<ActivityTask>, Error> {
        if let Some(w) = worker_name
            && w.chars().count() > 80
        {
            return Err(Error::InvalidName {
                name: w.to_owned(),
                reason: NameError::TooLong {
                    len: w.chars().count(),
                    max: 80,
                },
            });
        }
        let wait = self.activity_poll_timeout();
        self.inner
            .tasks
            .poll(activity_arn, worker_name, wait, &*self.inner.clock)
            .await
    }

    /// How long [`poll_activity_task`](Self::poll_activity_task) holds a call when no
    /// task comes.
    pub fn activity_poll_timeout(&self) -> Duration {
        Duration::from_micros(
            self.inner
                .activity_poll_micros
                .load(std::sync::atomic::Ordering::Relaxed),
        )
    }

    /// Sets how long [`poll_activity_task`](Self::poll_activity_task) holds a call when
    /// no task comes (60 seconds by default, as AWS holds `GetActivityTask`).
    pub fn set_activity_poll_timeout(&self, timeout: Duration) {
        let micros = u64::try_from(timeout.as_micros()).unwrap_or(u64::MAX);
        self.inner
            .activity_poll_micros
            .store(micros, std::sync::atomic::Ordering::Relaxed);
    }

    /// Completes a task (activity or `.waitForTaskToken`) with its output.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidToken`], [`Error::TaskTimedOut`], [`Error::InvalidOutput`] (over
    /// 256 KiB).
    pub fn send_task_success(&self, task_token: &str, output: Value) -> Result<(), Error> {
        if limits::exceeds_limit(&output) {
            return Err(Error::InvalidOutput {
                message: format!(
                    "the output is larger than {} bytes",
                    limits::MAX_PAYLOAD_BYTES
                ),
            });
        }
        self.inner
            .tasks
            .complete(task_token, TokenOutcome::Success(output))
    }

    /// Fails a task.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidToken`], [`Error::TaskTimedOut`].
    pub fn send_task_failure(
        &self,
        task_token: &str,
        error: Option<String>,
        cause: Option<String>,
    ) -> Result<(), Error> {
        let failure = TaskFailure {
            error: error.unwrap_or_default(),
            cause,
        };
        self.inner
            .tasks
            .complete(task_token, TokenOutcome::Failure(failure))
    }

    /// Reports that a task is still being worked on.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidToken`].
    pub fn send_task_heartbeat(&self, task_token: &str) -> Result<(), Error> {
        self.inner.tasks.heartbeat(task_token)
    }

    /// Creates (or reuses) a machine named `name`, runs it on `input` with `mocks`, and
    /// waits for the end.
    ///
    /// # Errors
    ///
    /// As [`create_state_machine`](Self::create_state_machine) and
    /// [`start_execution`](Self::start_execution).
    pub async fn run(
        &self,
        name: &str,
        definition: StateMachine,
        input: Value,
        mocks: Option<Mocks>,
    ) -> Result<(ExecutionDescription, History), Error> {
        let arn = self.create_state_machine(name, definition)?;
        let mut start = StartExecution::new(input);
        if let Some(m) = mocks {
            start = start.mocks(m);
        }
        let run = self.start_execution(&arn, start).await?;
        let done = run.wait().await?;
        Ok((done, run.history()))
    }
}

async fn drive(
    run: Run,
    machine: Arc<MachineEntry>,
    entry: Arc<ExecutionEntry>,
    input: Arc<Value>,
    timeout: Option<Duration>,
) {
    // As on AWS, the first state's entry has no previous event (`previousEventId` 0).
    let mut frame = Frame {
        history: entry.history.clone(),
        last: 0,
        vars: Map::new(),
        map_item: None,
        // The execution's input was measured when it started.
        verified: Some(input.clone()),
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
    match outcome {
        Some(Ok(out)) => entry.finish(now, ExecutionStatus::Succeeded, Some(out), None, None),
        Some(Err(Failure::Error { error, cause })) => {
            // A Fail state without `Error` fails the execution without an error name.
            let error = Some(error).filter(|e| !e.is_empty());
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
}

#[cfg(test)]
mod tests {
    use super::*;

    const COUNTER: &str = r#"{"StartAt": "Init", "States": {
        "Init": {"Type": "Pass", "Result": {"count": 0}, "Next": "Check"},
        "Check": {"Type": "Choice", "Choices": [{"Variable": "$.count", "NumericGreaterThanEquals": 5000, "Next": "Done"}], "Default": "Inc"},
        "Inc": {"Type": "Pass", "Parameters": {"count.$": "States.MathAdd($.count, 1)"}, "Next": "Check"},
        "Done": {"Type": "Succeed"}}}"#;

    #[tokio::test]
    async fn counter_loop_with_history() -> Result<(), Error> {
        let engine = LocalEngine::with_clock(Arc::new(VirtualClock::default()));
        let machine: StateMachine = COUNTER.parse()?;
        let arn = engine.create_state_machine("counter", machine)?;
        let started = std::time::Instant::now();
        let run = engine
            .start_execution(&arn, StartExecution::new(json!({})))
            .await?;
        let done = run.wait().await?;
        let elapsed = started.elapsed();
        assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
        assert_eq!(done.output, Some(json!({"count": 5000})));
        let history = run.history();
        let transitions = history
            .events()
            .iter()
            .filter(|e| matches!(e.details, EventDetails::StateEntered { .. }))
            .count();
        assert_eq!(transitions, 10_003);
        println!(
            "{transitions} transitions in {elapsed:?}: {:.0}/s",
            transitions as f64 / elapsed.as_secs_f64()
        );
        Ok(())
    }

    #[tokio::test]
    async fn stop_with_an_activity_outstanding() -> Result<(), Error> {
        let engine = LocalEngine::new();
        let activity = engine.create_activity("work")?;
        let def = format!(
            r#"{{"StartAt": "A", "States": {{"A": {{"Type": "Task", "Resource": "{activity}", "End": true}}}}}}"#
        );
        let arn = engine.create_state_machine_json("act", &def)?;
        let run = engine
            .start_execution(&arn, StartExecution::new(json!({"x": 1})).name("one"))
            .await?;
        let task = engine
            .get_activity_task(&activity, Duration::from_secs(5))
            .await?;
        assert!(task.is_some());
        run.stop(Some("Stopped".into()), None)?;
        let done = run.wait().await?;
        assert_eq!(done.status, ExecutionStatus::Aborted);
        assert!(
            engine
                .start_execution(&arn, StartExecution::new(json!({})).name("one"))
                .await
                .is_err()
        );
        Ok(())
    }

    #[tokio::test]
    async fn activity_round_trip() -> Result<(), Error> {
        let engine = LocalEngine::new();
        let activity = engine.create_activity("add")?;
        let def = format!(
            r#"{{"StartAt": "A", "States": {{"A": {{"Type": "Task", "Resource": "{activity}", "HeartbeatSeconds": 5, "End": true}}}}}}"#
        );
        let arn = engine.create_state_machine_json("adder", &def)?;
        let run = engine
            .start_execution(&arn, StartExecution::new(json!({"a": 1, "b": 2})))
            .await?;
        let task = engine
            .get_activity_task(&activity, Duration::from_secs(5))
            .await?
            .ok_or(Error::InvalidToken)?;
        engine.send_task_heartbeat(&task.task_token)?;
        let sum = task.input["a"].as_i64().unwrap_or(0) + task.input["b"].as_i64().unwrap_or(0);
        engine.send_task_success(&task.task_token, json!(sum))?;
        let done = run.wait().await?;
        assert_eq!(done.output, Some(json!(3)));
        let types: Vec<_> = run
            .history()
            .events()
            .iter()
            .map(|e| e.event_type.as_str())
            .collect();
        assert_eq!(
            types,
            [
                "ExecutionStarted",
                "TaskStateEntered",
                "ActivityScheduled",
                "ActivityStarted",
                "ActivitySucceeded",
                "TaskStateExited",
                "ExecutionSucceeded"
            ]
        );
        Ok(())
    }

    #[tokio::test]
    async fn handler_answers_a_resource() -> Result<(), Error> {
        let engine = LocalEngine::with_clock(Arc::new(VirtualClock::default()));
        engine.register_handler(
            "arn:aws:lambda:us-east-1:123456789012:function:double",
            |req: TaskRequest| async move { Ok(json!(req.input.as_i64().unwrap_or(0) * 2)) },
        );
        let def = r#"{"StartAt": "D", "States": {"D": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:double", "End": true}}}"#;
        let (done, _) = engine.run("double", def.parse()?, json!(21), None).await?;
        assert_eq!(done.output, Some(json!(42)));
        Ok(())
    }
}
