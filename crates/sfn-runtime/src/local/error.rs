//! The errors of the local engine's API.

/// What went wrong calling the local engine.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The definition could not be read or is invalid.
    #[error("invalid state machine definition: {message}")]
    InvalidDefinition {
        /// The diagnostics.
        message: String,
    },
    /// A name breaks AWS's naming rules.
    #[error("invalid name '{name}': {reason}")]
    InvalidName {
        /// The name.
        name: String,
        /// Why.
        reason: String,
    },
    /// A state machine with this name exists with another definition.
    #[error("state machine already exists: {arn}")]
    StateMachineAlreadyExists {
        /// Its ARN.
        arn: String,
    },
    /// No state machine has this ARN.
    #[error("state machine does not exist: {arn}")]
    StateMachineDoesNotExist {
        /// The ARN asked for.
        arn: String,
    },
    /// An execution with this name exists for the machine, with another input.
    #[error("execution already exists: {arn}")]
    ExecutionAlreadyExists {
        /// Its ARN.
        arn: String,
    },
    /// No execution has this ARN.
    #[error("execution does not exist: {arn}")]
    ExecutionDoesNotExist {
        /// The ARN asked for.
        arn: String,
    },
    /// No Map Run has this ARN.
    #[error("map run does not exist: {arn}")]
    MapRunDoesNotExist {
        /// The ARN asked for.
        arn: String,
    },
    /// The execution input is not valid JSON or is too large.
    #[error("invalid execution input: {message}")]
    InvalidExecutionInput {
        /// Why.
        message: String,
    },
    /// No activity has this ARN.
    #[error("activity does not exist: {arn}")]
    ActivityDoesNotExist {
        /// The ARN asked for.
        arn: String,
    },
    /// The task token is unknown, or its task is already closed.
    #[error("invalid task token")]
    InvalidToken,
    /// The task token's task timed out.
    #[error("task timed out")]
    TaskTimedOut,
    /// The output sent for a task is not valid JSON or is too large.
    #[error("invalid output: {message}")]
    InvalidOutput {
        /// Why.
        message: String,
    },
    /// The mocks are not in the `MockedResponses` shape.
    #[error("invalid mocks: {message}")]
    InvalidMocks {
        /// Why.
        message: String,
    },
    /// The engine stopped before the execution finished.
    #[error("the engine stopped before the execution finished")]
    EngineStopped,
}
