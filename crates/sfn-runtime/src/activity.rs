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

/// What a handler knows about the task it runs, and how it reaches its worker.
#[derive(Clone)]
pub struct TaskContext {
    task_token: String,
    activity: String,
    execution: ExecutionInfo,
    control: Arc<dyn TaskControl>,
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
        }
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
