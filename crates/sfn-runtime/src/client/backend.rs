//! The API the client needs, apart from its implementations: AWS ([`AwsBackend`],
//! feature `aws`) and the embedded engine ([`LocalBackend`], feature `local`).
//!
//! The trait is public so that a test can wrap a back end (count calls, inject faults)
//! and hand it to [`Sfn::with_backend`](super::Sfn::with_backend).
//!
//! [`AwsBackend`]: super::AwsBackend
//! [`LocalBackend`]: super::LocalBackend

use chrono::{DateTime, Utc};

use super::{
    ActivityInfo, ActivityTask, CreateStateMachine, CreatedStateMachine, Error, ExecutionInfo,
    ExecutionSummary, GetHistory, HistoryEvent, ListExecutions, Page, PageRequest, StartExecution,
    StartedExecution, StateMachineInfo, StateMachineSummary, Tag, UpdateStateMachine,
    UpdatedStateMachine,
};
use crate::activity::BoxFuture;

/// What a call answers.
pub type Response<'a, T> = BoxFuture<'a, Result<T, Error>>;

/// Which back end a client talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BackendKind {
    /// The embedded engine, in-process.
    Local,
    /// AWS Step Functions, or an endpoint that speaks its API (`sfn serve`).
    Aws,
}

/// The Step Functions operations the client is built on. Each answers as AWS's operation
/// of the same name does, with the same errors ([`Error::from_service`]).
pub trait Backend: Send + Sync + 'static {
    /// Which back end this is.
    fn kind(&self) -> BackendKind;

    /// `CreateActivity`: the activity's ARN (the existing one's, when it exists).
    fn create_activity<'a>(&'a self, name: &'a str, tags: &'a [Tag]) -> Response<'a, String>;
    /// `DeleteActivity`.
    fn delete_activity<'a>(&'a self, activity_arn: &'a str) -> Response<'a, ()>;
    /// `DescribeActivity`.
    fn describe_activity<'a>(&'a self, activity_arn: &'a str) -> Response<'a, ActivityInfo>;
    /// `ListActivities`: one page.
    fn list_activities(&self, page: PageRequest) -> Response<'_, Page<ActivityInfo>>;

    /// `CreateStateMachine`.
    fn create_state_machine(
        &self,
        request: CreateStateMachine,
    ) -> Response<'_, CreatedStateMachine>;
    /// `UpdateStateMachine`.
    fn update_state_machine(
        &self,
        request: UpdateStateMachine,
    ) -> Response<'_, UpdatedStateMachine>;
    /// `DescribeStateMachine`.
    fn describe_state_machine<'a>(
        &'a self,
        state_machine_arn: &'a str,
    ) -> Response<'a, StateMachineInfo>;
    /// `DeleteStateMachine`.
    fn delete_state_machine<'a>(&'a self, state_machine_arn: &'a str) -> Response<'a, ()>;
    /// `ListStateMachines`: one page.
    fn list_state_machines(&self, page: PageRequest) -> Response<'_, Page<StateMachineSummary>>;

    /// `TagResource`.
    fn tag_resource<'a>(&'a self, arn: &'a str, tags: &'a [Tag]) -> Response<'a, ()>;
    /// `UntagResource`.
    fn untag_resource<'a>(&'a self, arn: &'a str, keys: &'a [String]) -> Response<'a, ()>;
    /// `ListTagsForResource`.
    fn list_tags<'a>(&'a self, arn: &'a str) -> Response<'a, Vec<Tag>>;

    /// `StartExecution`.
    fn start_execution(&self, request: StartExecution) -> Response<'_, StartedExecution>;
    /// `DescribeExecution`.
    fn describe_execution<'a>(&'a self, execution_arn: &'a str) -> Response<'a, ExecutionInfo>;
    /// `StopExecution`: when the execution stopped.
    fn stop_execution<'a>(
        &'a self,
        execution_arn: &'a str,
        error: Option<&'a str>,
        cause: Option<&'a str>,
    ) -> Response<'a, DateTime<Utc>>;
    /// `ListExecutions`: one page.
    fn list_executions(&self, request: ListExecutions) -> Response<'_, Page<ExecutionSummary>>;
    /// `GetExecutionHistory`: one page.
    fn get_execution_history(&self, request: GetHistory) -> Response<'_, Page<HistoryEvent>>;

    /// `GetActivityTask`: a task, or none when the poll ended empty (the service holds a
    /// poll up to 60 s).
    fn get_activity_task<'a>(
        &'a self,
        activity_arn: &'a str,
        worker_name: Option<&'a str>,
    ) -> Response<'a, Option<ActivityTask>>;
    /// `SendTaskSuccess`, with the output as JSON text.
    fn send_task_success<'a>(&'a self, task_token: &'a str, output: &'a str) -> Response<'a, ()>;
    /// `SendTaskFailure`.
    fn send_task_failure<'a>(
        &'a self,
        task_token: &'a str,
        error: Option<&'a str>,
        cause: Option<&'a str>,
    ) -> Response<'a, ()>;
    /// `SendTaskHeartbeat`.
    fn send_task_heartbeat<'a>(&'a self, task_token: &'a str) -> Response<'a, ()>;

    /// A future that ends when the execution has more than `after_event` history events
    /// or has ended, for a back end that can tell without polling; none for one that
    /// cannot (the client then polls, with backoff).
    fn watch_execution<'a>(
        &'a self,
        execution_arn: &'a str,
        after_event: i64,
    ) -> Option<BoxFuture<'a, ()>> {
        let _ = (execution_arn, after_event);
        None
    }
}
