//! The operations, one file per resource family, and the table that routes a target to
//! its operation.

mod activities;
mod executions;
mod machines;
mod map_runs;
mod tags;
mod tasks;
mod test_state;
mod validate;
mod versions;

use std::{future::Future, sync::Arc};

use tokio_util::sync::CancellationToken;

use super::protocol::{ApiError, Input, OpResult};
use crate::local::{LocalEngine, MockConfig};

/// What every operation reaches: the engine and the server's settings.
pub(crate) struct Ctx {
    pub(crate) engine: LocalEngine,
    pub(crate) mock_config: Option<Arc<MockConfig>>,
    /// Cancelled when the server stops: held polls answer with no task.
    pub(crate) shutdown: CancellationToken,
}

/// The operations served, by name: all of the Step Functions API.
#[cfg(feature = "server")]
const SERVED: &[&str] = &[
    "CreateActivity",
    "DeleteActivity",
    "DescribeActivity",
    "ListActivities",
    "GetActivityTask",
    "SendTaskSuccess",
    "SendTaskFailure",
    "SendTaskHeartbeat",
    "CreateStateMachine",
    "UpdateStateMachine",
    "DeleteStateMachine",
    "DescribeStateMachine",
    "DescribeStateMachineForExecution",
    "ListStateMachines",
    "PublishStateMachineVersion",
    "ListStateMachineVersions",
    "DeleteStateMachineVersion",
    "CreateStateMachineAlias",
    "DescribeStateMachineAlias",
    "UpdateStateMachineAlias",
    "DeleteStateMachineAlias",
    "ListStateMachineAliases",
    "StartExecution",
    "StartSyncExecution",
    "StopExecution",
    "DescribeExecution",
    "ListExecutions",
    "GetExecutionHistory",
    "RedriveExecution",
    "DescribeMapRun",
    "ListMapRuns",
    "UpdateMapRun",
    "TestState",
    "ValidateStateMachineDefinition",
    "TagResource",
    "UntagResource",
    "ListTagsForResource",
];

/// The operation of the Step Functions API named `operation`, if it is one.
#[cfg(feature = "server")]
pub(crate) fn known(operation: &str) -> Option<&'static str> {
    SERVED.iter().find(|op| **op == operation).copied()
}

/// Runs `operation` on `input`.
pub(crate) async fn dispatch(ctx: &Ctx, operation: &str, input: &Input) -> OpResult {
    match operation {
        "CreateActivity" => activities::create(ctx, input),
        "DeleteActivity" => activities::delete(ctx, input),
        "DescribeActivity" => activities::describe(ctx, input),
        "ListActivities" => activities::list(ctx, input),
        "GetActivityTask" => tasks::get_activity_task(ctx, input).await,
        "SendTaskSuccess" => tasks::send_success(ctx, input),
        "SendTaskFailure" => tasks::send_failure(ctx, input),
        "SendTaskHeartbeat" => tasks::send_heartbeat(ctx, input),
        "CreateStateMachine" => machines::create(ctx, input),
        "UpdateStateMachine" => machines::update(ctx, input),
        "DeleteStateMachine" => machines::delete(ctx, input),
        "DescribeStateMachine" => machines::describe(ctx, input),
        "DescribeStateMachineForExecution" => machines::describe_for_execution(ctx, input),
        "ListStateMachines" => machines::list(ctx, input),
        "PublishStateMachineVersion" => versions::publish(ctx, input),
        "ListStateMachineVersions" => versions::list_versions(ctx, input),
        "DeleteStateMachineVersion" => versions::delete_version(ctx, input),
        "CreateStateMachineAlias" => versions::create_alias(ctx, input),
        "DescribeStateMachineAlias" => versions::describe_alias(ctx, input),
        "UpdateStateMachineAlias" => versions::update_alias(ctx, input),
        "DeleteStateMachineAlias" => versions::delete_alias(ctx, input),
        "ListStateMachineAliases" => versions::list_aliases(ctx, input),
        "StartExecution" => executions::start(ctx, input).await,
        "StartSyncExecution" => executions::start_sync(ctx, input).await,
        "StopExecution" => executions::stop(ctx, input),
        "DescribeExecution" => executions::describe(ctx, input),
        "ListExecutions" => executions::list(ctx, input),
        "GetExecutionHistory" => executions::history(ctx, input),
        "RedriveExecution" => executions::redrive(ctx, input).await,
        "DescribeMapRun" => map_runs::describe(ctx, input),
        "ListMapRuns" => map_runs::list(ctx, input),
        "UpdateMapRun" => map_runs::update(ctx, input),
        "TestState" => test_state::test_state(ctx, input).await,
        "ValidateStateMachineDefinition" => validate::validate(input),
        "TagResource" => tags::tag(ctx, input),
        "UntagResource" => tags::untag(ctx, input),
        "ListTagsForResource" => tags::list(ctx, input),
        other => Err(ApiError::new(
            "UnknownOperationException",
            format!("Unknown operation: '{other}'"),
        )),
    }
}

/// Runs `work` (an execution or a tested state run to its end) unless the server stops
/// first, in which case the request is answered `ServiceUnavailable`.
async fn until_shutdown<T>(ctx: &Ctx, work: impl Future<Output = T>) -> Result<T, ApiError> {
    tokio::select! {
        done = work => Ok(done),
        _ = ctx.shutdown.cancelled() => {
            Err(ApiError::new("ServiceUnavailable", "the endpoint is stopping"))
        }
    }
}

/// The longest ARN a request member takes, but for Map Run ARNs.
pub(crate) const ARN_MAX: usize = 256;

/// The longest Map Run ARN (AWS's `LongArn`).
pub(crate) const LONG_ARN_MAX: usize = 2000;

/// The longest state machine definition, in characters.
pub(crate) const DEFINITION_MAX: usize = 1_048_576;

/// The longest JSON text a request member takes (`input`, `variables`, …): 256 KiB.
pub(crate) const DATA_MAX: usize = 262_144;
