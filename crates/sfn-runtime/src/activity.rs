//! Activities: work a Rust program does for a state machine.
//!
//! An activity is what a `Task` state with an `arn:aws:states:…:activity:NAME` resource
//! calls: a worker polls for tasks, runs the handler on the task's input and reports the
//! result or a failure. This module holds the pieces that need no I/O: the [`Activity`]
//! trait the `#[activity]` attribute implements, the [`TaskContext`] a handler receives,
//! and the error types ([`TaskError`], [`TaskFailure`], [`ActivityError`]). Polling and
//! heartbeats are the runtime's; it plugs them in through [`TaskControl`].
//!
//! # Errors
//!
//! Three names, three roles:
//!
//! - [`TaskFailure`] is what Step Functions receives: an error name and a cause.
//! - [`TaskError`] is the general error type a handler returns
//!   (`Result<T, TaskError>`); `?` converts any [`ActivityError`] into it.
//! - [`ActivityError`] is the trait of error types that name themselves;
//!   `#[derive(TaskError)]` implements it (the variant name is the error name, the
//!   `Display` text the cause).
//!
//! A handler may return `Result<T, E>` for any of them; [`IntoTaskFailure`] is the bound.

use std::{borrow::Cow, fmt, future::Future, pin::Pin, sync::Arc};

use serde_json::Value;

/// A boxed, sendable future.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The error name a task failure gets when its error type does not name it.
pub const DEFAULT_ERROR_NAME: &str = "TaskError";

/// An activity: a named handler with JSON input and output.
///
/// `#[activity]` implements this (and [`ActivityDefinition`]) for a function; implement it
/// by hand for handlers that need state.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an activity",
    label = "not an activity",
    note = "annotate a function with `#[activity]`, or implement `Activity` for `{Self}`"
)]
pub trait Activity: Send + Sync + 'static {
    /// The activity's name (1–80 characters, as AWS requires).
    fn name(&self) -> &str;

    /// What the activity does, from its doc comment.
    fn description(&self) -> Option<&str> {
        None
    }

    /// The JSON Schema of the input.
    fn input_schema(&self) -> Value {
        Value::Bool(true)
    }

    /// The JSON Schema of the output.
    fn output_schema(&self) -> Value {
        Value::Bool(true)
    }

    /// The longest a task may go without a heartbeat, in seconds: the default
    /// `HeartbeatSeconds` of the Task states that call this activity.
    fn heartbeat_seconds(&self) -> Option<u64> {
        None
    }

    /// The longest a task may run, in seconds: the default `TimeoutSeconds` of the Task
    /// states that call this activity.
    fn timeout_seconds(&self) -> Option<u64> {
        None
    }

    /// Runs the handler on a task's input.
    fn call(
        &self,
        input: Value,
        ctx: TaskContext,
    ) -> BoxFuture<'static, Result<Value, TaskFailure>>;
}

/// What is known about an activity at compile time; `state_machine!` reads it to write a
/// Task state's `Resource`, `TimeoutSeconds` and `HeartbeatSeconds`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an activity",
    label = "not an activity: `Task(…)` takes a function annotated with `#[activity]`, a resource ARN string, or a service integration",
    note = "annotate the function with `#[activity]`"
)]
pub trait ActivityDefinition: Activity {
    /// The activity's name.
    const NAME: &'static str;
    /// The default `HeartbeatSeconds`.
    const HEARTBEAT_SECONDS: Option<u64> = None;
    /// The default `TimeoutSeconds`.
    const TIMEOUT_SECONDS: Option<u64> = None;
}

/// A failure reported to Step Functions: `SendTaskFailure`'s `error` and `cause`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct TaskFailure {
    /// The error name, matched by `Retry` and `Catch` (at most 256 characters).
    pub error: String,
    /// A description (at most 32,768 characters); `None` when the failure has none, which
    /// Step Functions shows apart from an empty cause.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
}

impl TaskFailure {
    /// A failure with a name and a cause.
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> Self {
        TaskFailure {
            error: error.into(),
            cause: Some(cause.into()),
        }
    }
}

impl fmt::Display for TaskFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.cause.as_deref() {
            None | Some("") => f.write_str(&self.error),
            Some(cause) => write!(f, "{}: {cause}", self.error),
        }
    }
}

impl std::error::Error for TaskFailure {}

/// An error type that names itself for Step Functions.
///
/// `#[derive(TaskError)]` implements it: for an enum the error name is the variant's name
/// (or `#[task_error(name = "…")]`), for a struct the type's name; the cause is the
/// `Display` text.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a task error",
    label = "cannot be reported to Step Functions",
    note = "add `#[derive(TaskError)]` to `{Self}`, or return `TaskError`"
)]
pub trait ActivityError {
    /// The error name `Retry` and `Catch` match.
    fn error_name(&self) -> Cow<'_, str>;

    /// The cause.
    fn cause(&self) -> String;

    /// The failure as Step Functions receives it.
    fn to_task_failure(&self) -> TaskFailure {
        TaskFailure {
            error: self.error_name().into_owned(),
            cause: Some(self.cause()),
        }
    }
}

impl ActivityError for TaskFailure {
    fn error_name(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.error)
    }

    fn cause(&self) -> String {
        self.cause.clone().unwrap_or_default()
    }
}

macro_rules! named_errors {
    ($($ty:ty => $name:literal,)*) => {$(
        impl ActivityError for $ty {
            fn error_name(&self) -> Cow<'_, str> {
                Cow::Borrowed($name)
            }

            fn cause(&self) -> String {
                self.to_string()
            }
        }
    )*};
}

named_errors! {
    std::io::Error => "IoError",
    serde_json::Error => "JsonError",
    std::fmt::Error => "FmtError",
    std::num::ParseIntError => "ParseIntError",
    std::num::ParseFloatError => "ParseFloatError",
    String => "TaskError",
    &'static str => "TaskError",
    Box<dyn std::error::Error + Send + Sync> => "TaskError",
}

/// The general error of an activity handler: an error name and a cause.
///
/// `?` converts any [`ActivityError`] into it, keeping its name:
///
/// ```
/// use sfn_runtime::activity::TaskError;
///
/// fn parse(text: &str) -> Result<i64, TaskError> {
///     let n: i64 = text.parse()?; // ParseIntError: error name "ParseIntError"
///     if n < 0 {
///         return Err(TaskError::new("Negative", format!("{n} is below zero")));
///     }
///     Ok(n)
/// }
/// assert_eq!(parse("-1").unwrap_err().name(), "Negative");
/// assert_eq!(parse("x").unwrap_err().name(), "ParseIntError");
/// ```
///
/// It does not implement `std::error::Error`, so that the blanket conversion does not
/// overlap with `From<TaskError> for TaskError` (the same choice as `anyhow::Error`).
#[derive(Clone, PartialEq, Eq)]
pub struct TaskError(TaskFailure);

impl TaskError {
    /// An error with a name and a cause.
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> Self {
        TaskError(TaskFailure::new(error, cause))
    }

    /// An error named `TaskError` with this cause.
    pub fn msg(cause: impl fmt::Display) -> Self {
        TaskError::new(DEFAULT_ERROR_NAME, cause.to_string())
    }

    /// The error name.
    pub fn name(&self) -> &str {
        &self.0.error
    }

    /// The cause.
    pub fn cause(&self) -> &str {
        self.0.cause.as_deref().unwrap_or_default()
    }

    /// The failure as Step Functions receives it.
    pub fn into_failure(self) -> TaskFailure {
        self.0
    }
}

impl<E: ActivityError> From<E> for TaskError {
    fn from(e: E) -> Self {
        TaskError(e.to_task_failure())
    }
}

impl fmt::Display for TaskError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Debug for TaskError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TaskError")
            .field("error", &self.0.error)
            .field("cause", &self.0.cause)
            .finish()
    }
}

/// The error types an activity handler may return: [`TaskError`], [`TaskFailure`] and
/// every [`ActivityError`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the error type of an activity",
    label = "the error type must name itself for Step Functions",
    note = "return `Result<_, TaskError>`, or add `#[derive(TaskError)]` to `{Self}`"
)]
pub trait IntoTaskFailure {
    /// The failure as Step Functions receives it.
    fn into_task_failure(self) -> TaskFailure;
}

impl IntoTaskFailure for TaskError {
    fn into_task_failure(self) -> TaskFailure {
        self.0
    }
}

impl<E: ActivityError> IntoTaskFailure for E {
    fn into_task_failure(self) -> TaskFailure {
        self.to_task_failure()
    }
}

/// Why a heartbeat could not be delivered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HeartbeatError {
    /// The task timed out or its execution stopped: stop working.
    #[error("the task is no longer running: {0}")]
    TaskGone(String),
    /// The heartbeat could not be sent; the task may still be running.
    #[error("the heartbeat could not be sent: {0}")]
    Unavailable(String),
}

/// Why [`TaskContext::stop_execution`] could not stop the execution.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StopError {
    /// What runs the task cannot stop executions (a [`TaskControl`] without
    /// [`TaskControl::stop_execution`], such as [`NoopControl`]).
    #[error("stopping the execution is not available here: {0}")]
    Unsupported(String),
    /// The task does not know its execution: AWS activity tasks carry only a token and an
    /// input. Pass the execution's ARN in the input (`"execution.$": "$$.Execution.Id"`
    /// in the Task state's `Parameters`) and hand it over with
    /// [`TaskContext::with_execution_arn`].
    #[error(
        "the task does not know its execution; pass \"execution.$\": \"$$.Execution.Id\" in the Task state's Parameters and call TaskContext::with_execution_arn"
    )]
    UnknownExecution,
    /// The service does not know the execution.
    #[error("the execution {execution_arn} does not exist: {message}")]
    ExecutionDoesNotExist {
        /// The execution.
        execution_arn: String,
        /// The service's message.
        message: String,
    },
    /// The caller may not stop the execution (`AccessDeniedException`).
    #[error("no permission to stop the execution {execution_arn}: {message}")]
    AccessDenied {
        /// The execution.
        execution_arn: String,
        /// The service's message.
        message: String,
    },
    /// The execution was asked to stop but did not report `ABORTED` in time.
    #[error(
        "the execution {execution_arn} was asked to stop but is still running after {waited:?}"
    )]
    TimedOut {
        /// The execution.
        execution_arn: String,
        /// How long the wait lasted.
        waited: std::time::Duration,
    },
    /// The service refused or could not be reached.
    #[error("cannot stop the execution {execution_arn}: {message}")]
    Service {
        /// The execution.
        execution_arn: String,
        /// What went wrong.
        message: String,
    },
}

impl ActivityError for StopError {
    fn error_name(&self) -> Cow<'_, str> {
        Cow::Borrowed("StopExecutionFailed")
    }

    fn cause(&self) -> String {
        self.to_string()
    }
}

/// The error name of the failure a handler returns once it has stopped its own
/// execution ([`ExecutionStopped`]): the runtime that recognizes it sends no result.
pub const EXECUTION_STOPPED: &str = "Sfn.ExecutionStopped";

/// The task's execution was stopped by the task itself
/// ([`TaskContext::stop_execution`]): the handler returns it as its error
/// (`return Err(ctx.stop_execution(…).await?.into())`), and the runtime sends no result
/// for the task, neither success nor failure. A runtime that does not know the marker
/// would send a failure named [`EXECUTION_STOPPED`], which the service refuses since the
/// execution has ended: nothing reaches the execution either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use = "return it from the handler, so that the runtime sends no result"]
pub struct ExecutionStopped(());

impl ExecutionStopped {
    /// The marker (the runtime's [`TaskControl`] implementations make it once stopped).
    pub fn new() -> Self {
        ExecutionStopped(())
    }
}

impl Default for ExecutionStopped {
    fn default() -> Self {
        ExecutionStopped::new()
    }
}

impl fmt::Display for ExecutionStopped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the task stopped its own execution")
    }
}

impl ActivityError for ExecutionStopped {
    fn error_name(&self) -> Cow<'_, str> {
        Cow::Borrowed(EXECUTION_STOPPED)
    }

    fn cause(&self) -> String {
        self.to_string()
    }
}

impl TaskFailure {
    /// Whether this is the marker of a task that stopped its own execution
    /// ([`ExecutionStopped`]): then no result is to be sent.
    pub fn is_execution_stopped(&self) -> bool {
        self.error == EXECUTION_STOPPED
    }
}

impl TaskError {
    /// Whether this is the marker of a task that stopped its own execution
    /// ([`ExecutionStopped`]): then no result is to be sent.
    pub fn is_execution_stopped(&self) -> bool {
        self.0.is_execution_stopped()
    }
}

/// How long [`TaskContext::stop_execution`] waits, by default, for the execution to report
/// `ABORTED`.
pub const STOP_WAIT: std::time::Duration = std::time::Duration::from_secs(120);

/// How a running task talks back to its worker: heartbeats and stop requests. The runtime
/// implements it; [`NoopControl`] serves tests.
pub trait TaskControl: Send + Sync + 'static {
    /// Sends a heartbeat (`SendTaskHeartbeat`).
    fn heartbeat(&self) -> BoxFuture<'_, Result<(), HeartbeatError>>;

    /// Whether the worker asked the task to stop (shutdown, or a failed heartbeat).
    fn is_stopping(&self) -> bool;

    /// Completes when the worker asks the task to stop.
    fn stopping(&self) -> BoxFuture<'_, ()>;

    /// Whether the task is over for Step Functions (it timed out, or its execution
    /// stopped): no result will be accepted. Never, unless the runtime knows better.
    fn is_cancelled(&self) -> bool {
        false
    }

    /// Completes when the task is over for Step Functions. Never, unless the runtime
    /// knows better.
    fn cancelled(&self) -> BoxFuture<'_, ()> {
        Box::pin(std::future::pending())
    }

    /// Stops the execution `execution_arn` (`StopExecution` with `error` and `cause`) and
    /// waits, at most `wait`, until it reports `ABORTED`; does nothing when it has ended
    /// already. The default answers [`StopError::Unsupported`].
    fn stop_execution<'a>(
        &'a self,
        execution_arn: &'a str,
        error: Option<&'a str>,
        cause: Option<&'a str>,
        wait: std::time::Duration,
    ) -> BoxFuture<'a, Result<(), StopError>> {
        let _ = (execution_arn, error, cause, wait);
        Box::pin(std::future::ready(Err(StopError::Unsupported(
            "the task's runtime gives no way to stop executions".to_owned(),
        ))))
    }
}

/// A [`TaskControl`] that accepts every heartbeat and never asks to stop.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoopControl;

impl TaskControl for NoopControl {
    fn heartbeat(&self) -> BoxFuture<'_, Result<(), HeartbeatError>> {
        Box::pin(std::future::ready(Ok(())))
    }

    fn is_stopping(&self) -> bool {
        false
    }

    fn stopping(&self) -> BoxFuture<'_, ()> {
        Box::pin(std::future::pending())
    }
}

/// What is known about the execution a task belongs to. AWS activity tasks carry only a
/// token and an input, so every field is optional; the embedded engine fills them in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ExecutionInfo {
    /// The execution's ARN.
    pub execution_arn: Option<String>,
    /// The state machine's ARN.
    pub state_machine_arn: Option<String>,
    /// The name of the Task state.
    pub state_name: Option<String>,
}

impl ExecutionInfo {
    /// The execution's name, the last part of its ARN
    /// (`arn:aws:states:REGION:ACCOUNT:execution:MACHINE:NAME`; an Express execution's
    /// ARN, `…:express:MACHINE:NAME:ID`, gives `NAME`).
    pub fn execution_name(&self) -> Option<&str> {
        execution_name(self.execution_arn.as_deref()?)
    }
}

/// The field of a task's input that carries the execution's ARN when the Task state's
/// `Parameters` pass it (`"execution.$": "$$.Execution.Id"`); see
/// [`TaskContext::with_execution_from_input`].
pub const EXECUTION_FIELD: &str = "execution";

/// The name of the execution `arn` (its eighth `:`-separated part), if it is an
/// execution's ARN.
pub fn execution_name(arn: &str) -> Option<&str> {
    let mut parts = arn.split(':');
    let kind = parts.nth(5)?;
    if kind != "execution" && kind != "express" {
        return None;
    }
    parts.nth(1).filter(|name| !name.is_empty())
}

/// What a handler knows about the task it runs, and how it reaches its worker.
#[derive(Clone)]
pub struct TaskContext {
    task_token: String,
    activity: String,
    execution: ExecutionInfo,
    control: Arc<dyn TaskControl>,
    stop_wait: std::time::Duration,
    #[cfg(feature = "tools")]
    state_data: Option<crate::tools::StateData>,
}

impl TaskContext {
    /// A context (the runtime builds these).
    pub fn new(
        task_token: impl Into<String>,
        activity: impl Into<String>,
        execution: ExecutionInfo,
        control: Arc<dyn TaskControl>,
    ) -> Self {
        TaskContext {
            task_token: task_token.into(),
            activity: activity.into(),
            execution,
            control,
            stop_wait: STOP_WAIT,
            #[cfg(feature = "tools")]
            state_data: None,
        }
    }

    /// The context with the execution's ARN set: what a handler does on AWS, where an
    /// activity task carries only a token and an input, after passing the ARN in the
    /// input (`"execution.$": "$$.Execution.Id"` in the Task state's `Parameters`).
    pub fn with_execution_arn(mut self, execution_arn: impl Into<String>) -> Self {
        self.execution.execution_arn = Some(execution_arn.into());
        self
    }

    /// The context with the execution's ARN taken from the task's input, when the ARN is
    /// not known yet and the input is an object whose [`EXECUTION_FIELD`] (`execution`)
    /// is an execution's ARN: what a Task state passing
    /// `"execution.$": "$$.Execution.Id"` in its `Parameters` gives. A worker calls it on
    /// each task's input, before the handler runs.
    pub fn with_execution_from_input(self, input: &Value) -> Self {
        if self.execution.execution_arn.is_some() {
            return self;
        }
        match input.get(EXECUTION_FIELD).and_then(Value::as_str) {
            Some(arn) if execution_name(arn).is_some() => self.with_execution_arn(arn),
            _ => self,
        }
    }

    /// The context with another bound on how long [`stop_execution`](Self::stop_execution)
    /// waits for the execution to report `ABORTED` ([`STOP_WAIT`], 2 minutes, by default).
    pub fn with_stop_wait(mut self, wait: std::time::Duration) -> Self {
        self.stop_wait = wait;
        self
    }

    /// A context for calling a handler in a test: token `test-token`, no execution, and a
    /// control that accepts heartbeats and never stops.
    pub fn for_test(activity: impl Into<String>) -> Self {
        TaskContext::new(
            "test-token",
            activity,
            ExecutionInfo::default(),
            Arc::new(NoopControl),
        )
    }

    /// The task token.
    pub fn task_token(&self) -> &str {
        &self.task_token
    }

    /// The activity's name.
    pub fn activity(&self) -> &str {
        &self.activity
    }

    /// The execution, as far as it is known.
    pub fn execution(&self) -> &ExecutionInfo {
        &self.execution
    }

    /// Sends a heartbeat.
    pub async fn heartbeat(&self) -> Result<(), HeartbeatError> {
        self.control.heartbeat().await
    }

    /// Whether the worker asked the task to stop.
    pub fn is_stopping(&self) -> bool {
        self.control.is_stopping()
    }

    /// Completes when the worker asks the task to stop.
    pub async fn stopping(&self) {
        self.control.stopping().await
    }

    /// Whether the task is over for Step Functions: it timed out or its execution was
    /// stopped (a heartbeat answered `TaskTimedOut` or `TaskDoesNotExist`). The worker
    /// then drops the handler's future and sends nothing; work the handler started
    /// elsewhere (a spawned task, a blocking thread) should check this and give up.
    /// Implies [`is_stopping`](Self::is_stopping).
    pub fn is_cancelled(&self) -> bool {
        self.control.is_cancelled()
    }

    /// Completes when the task is over for Step Functions (see
    /// [`is_cancelled`](Self::is_cancelled)).
    pub async fn cancelled(&self) {
        self.control.cancelled().await
    }

    /// The execution's name (the last part of its ARN), when the execution is known.
    pub fn execution_name(&self) -> Option<&str> {
        self.execution.execution_name()
    }

    /// Stops the task's own execution: `StopExecution` with `error` and `cause`, then a
    /// wait (bounded: 2 minutes unless [`with_stop_wait`](Self::with_stop_wait) says
    /// otherwise) until it reports `ABORTED`. Nothing happens when the execution has
    /// ended already.
    ///
    /// The task must then end without a result: return the [`ExecutionStopped`] marker
    /// as the handler's error, which the runtime recognizes and reports nothing for.
    ///
    /// ```
    /// use sfn_runtime::activity::{TaskContext, TaskError};
    ///
    /// async fn handler(enabled: bool, ctx: TaskContext) -> Result<u32, TaskError> {
    ///     if !enabled {
    ///         return Err(ctx.stop_execution(Some("Disabled"), Some("the flag is off")).await?.into());
    ///     }
    ///     Ok(42)
    /// }
    /// ```
    ///
    /// On the embedded engine the handler of an activity served in-process
    /// ([`LocalEngine::serve_activity`](crate::local::LocalEngine::serve_activity)) is
    /// dropped once its execution has been aborted, so the code after the call may not
    /// run at all: put nothing there that must happen.
    ///
    /// # Errors
    ///
    /// [`StopError::UnknownExecution`] when the execution's ARN is not known;
    /// [`StopError::ExecutionDoesNotExist`], [`StopError::AccessDenied`],
    /// [`StopError::TimedOut`], [`StopError::Service`] as the service answers;
    /// [`StopError::Unsupported`] where the runtime cannot stop executions.
    /// [`StopError`] converts into [`TaskError`] (named `StopExecutionFailed`) with `?`.
    pub async fn stop_execution(
        &self,
        error: Option<&str>,
        cause: Option<&str>,
    ) -> Result<ExecutionStopped, StopError> {
        let arn = self
            .execution
            .execution_arn
            .as_deref()
            .ok_or(StopError::UnknownExecution)?;
        self.control
            .stop_execution(arn, error, cause, self.stop_wait)
            .await?;
        Ok(ExecutionStopped::new())
    }
}

#[cfg(feature = "tools")]
#[cfg_attr(docsrs, doc(cfg(feature = "tools")))]
impl TaskContext {
    /// The context with a state-data store: what the runtime does when it is configured
    /// with one (a worker, [`LocalEngine::serve_activity_with_state`](crate::local::LocalEngine::serve_activity_with_state)).
    pub fn with_state_data(mut self, state_data: crate::tools::StateData) -> Self {
        self.state_data = Some(state_data);
        self
    }

    /// The state data of this task's execution: its local items are namespaced by the
    /// execution's name.
    ///
    /// # Errors
    ///
    /// [`StateError::NotConfigured`](crate::tools::StateError::NotConfigured) when the
    /// runtime was given no store; [`StateError::UnknownExecution`](crate::tools::StateError::UnknownExecution)
    /// when the execution is not known (see [`with_execution_arn`](Self::with_execution_arn)).
    pub fn state_data(&self) -> Result<crate::tools::StateData, crate::tools::StateError> {
        let data = self
            .state_data
            .as_ref()
            .ok_or(crate::tools::StateError::NotConfigured)?;
        let name = self
            .execution_name()
            .ok_or(crate::tools::StateError::UnknownExecution)?;
        Ok(data.for_namespace(name))
    }
}

impl fmt::Debug for TaskContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TaskContext")
            .field("task_token", &self.task_token)
            .field("activity", &self.activity)
            .field("execution", &self.execution)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_keep_their_names() {
        let e: TaskError = "boom".into();
        assert_eq!((e.name(), e.cause()), ("TaskError", "boom"));
        let f = TaskError::new("Custom", "why").into_task_failure();
        assert_eq!(f, TaskFailure::new("Custom", "why"));
        assert_eq!(TaskError::from(f.clone()).into_failure(), f);
    }
}
