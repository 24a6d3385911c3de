//! The client's one error type.

use sfn_core::diagnostic::Diagnostics;

/// Why a client call failed.
///
/// The service's exceptions that callers branch on are variants of their own, named as
/// AWS names them; any other exception is [`Error::Service`] with its code and message.
/// Both back ends answer with the same variants for the same mistakes.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// `ActivityDoesNotExist`.
    #[error("ActivityDoesNotExist: {message}")]
    ActivityDoesNotExist {
        /// The service's message.
        message: String,
    },
    /// `ExecutionDoesNotExist`.
    #[error("ExecutionDoesNotExist: {message}")]
    ExecutionDoesNotExist {
        /// The service's message.
        message: String,
    },
    /// `ExecutionAlreadyExists`: an execution of that name ran with another input, or has
    /// ended.
    #[error("ExecutionAlreadyExists: {message}")]
    ExecutionAlreadyExists {
        /// The service's message.
        message: String,
    },
    /// `ExecutionLimitExceeded`.
    #[error("ExecutionLimitExceeded: {message}")]
    ExecutionLimitExceeded {
        /// The service's message.
        message: String,
    },
    /// `ExecutionNotRedrivable`.
    #[error("ExecutionNotRedrivable: {message}")]
    ExecutionNotRedrivable {
        /// The service's message.
        message: String,
    },
    /// `StateMachineDoesNotExist`.
    #[error("StateMachineDoesNotExist: {message}")]
    StateMachineDoesNotExist {
        /// The service's message.
        message: String,
    },
    /// `StateMachineAlreadyExists`: a machine of that name exists with another definition.
    #[error("StateMachineAlreadyExists: {message}")]
    StateMachineAlreadyExists {
        /// The service's message.
        message: String,
    },
    /// `StateMachineDeleting`.
    #[error("StateMachineDeleting: {message}")]
    StateMachineDeleting {
        /// The service's message.
        message: String,
    },
    /// `InvalidDefinition`, with the diagnostics of the definition sent when the client
    /// checked it first.
    #[error("InvalidDefinition: {message}")]
    InvalidDefinition {
        /// The service's message (or the validator's, when the client refused to send).
        message: String,
        /// What the validator found; empty when only the service's message is known.
        diagnostics: Diagnostics,
    },
    /// `InvalidArn`.
    #[error("InvalidArn: {message}")]
    InvalidArn {
        /// The service's message.
        message: String,
    },
    /// `InvalidName`.
    #[error("InvalidName: {message}")]
    InvalidName {
        /// The service's message.
        message: String,
    },
    /// `InvalidExecutionInput`.
    #[error("InvalidExecutionInput: {message}")]
    InvalidExecutionInput {
        /// The service's message.
        message: String,
    },
    /// `InvalidOutput`: a task's output is not JSON or is too large.
    #[error("InvalidOutput: {message}")]
    InvalidOutput {
        /// The service's message.
        message: String,
    },
    /// `InvalidToken`.
    #[error("InvalidToken: {message}")]
    InvalidToken {
        /// The service's message.
        message: String,
    },
    /// `TaskDoesNotExist`: the task's execution has ended or was stopped.
    #[error("TaskDoesNotExist: {message}")]
    TaskDoesNotExist {
        /// The service's message.
        message: String,
    },
    /// `TaskTimedOut`: the task timed out, or its execution was stopped.
    #[error("TaskTimedOut: {message}")]
    TaskTimedOut {
        /// The service's message.
        message: String,
    },
    /// `ResourceNotFound`.
    #[error("ResourceNotFound: {message}")]
    ResourceNotFound {
        /// The service's message.
        message: String,
    },
    /// `ConflictException`.
    #[error("ConflictException: {message}")]
    Conflict {
        /// The service's message.
        message: String,
    },
    /// `ValidationException`: a request member is missing, of the wrong type or out of
    /// range.
    #[error("ValidationException: {message}")]
    Validation {
        /// The service's message.
        message: String,
    },
    /// `ThrottlingException` (or another of AWS's throttling codes): retry later.
    #[error("{code}: {message}")]
    Throttling {
        /// The code the service answered.
        code: String,
        /// The service's message.
        message: String,
    },
    /// Any other exception the service answered.
    #[error("{code}: {message}")]
    Service {
        /// The exception's name (`InternalFailure`, `ServiceUnavailable`, …).
        code: String,
        /// The service's message.
        message: String,
    },
    /// The service could not be reached, or did not answer in time.
    #[error("cannot reach the service: {message}")]
    Transport {
        /// What went wrong.
        message: String,
    },
    /// A call was refused before it was sent: an argument is not valid (a name, an input
    /// that does not serialize, a missing role ARN, …).
    #[error("{0}")]
    InvalidArgument(String),
    /// A value the service answered could not be read as the type asked for.
    #[error("cannot read the {what} as the type asked for: {source}")]
    Decode {
        /// What was read (`execution output`, …).
        what: &'static str,
        /// Why not.
        #[source]
        source: serde_json::Error,
    },
    /// The execution ended without succeeding.
    #[error("the execution {execution_arn} ended {status}{}", describe_failure(.error, .cause))]
    ExecutionFailed {
        /// The execution.
        execution_arn: String,
        /// How it ended.
        status: super::ExecutionStatus,
        /// Its error.
        error: Option<String>,
        /// Its cause.
        cause: Option<String>,
    },
    /// A wait's deadline passed before the execution ended.
    #[error("the execution {execution_arn} is still running after {waited:?}")]
    Deadline {
        /// The execution.
        execution_arn: String,
        /// How long the wait lasted.
        waited: std::time::Duration,
    },
}

fn describe_failure(error: &Option<String>, cause: &Option<String>) -> String {
    match (error, cause) {
        (Some(e), Some(c)) => format!(": {e}: {c}"),
        (Some(e), None) => format!(": {e}"),
        (None, Some(c)) => format!(": {c}"),
        (None, None) => String::new(),
    }
}

impl Error {
    /// The error for an exception the service answered, by its name: the one table both
    /// back ends go through.
    pub fn from_service(code: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        // AWS JSON 1.0 may qualify the name (`com.amazonaws.sfn#ExecutionDoesNotExist`).
        let name = code.rsplit('#').next().unwrap_or(code);
        let name = name.split(':').next().unwrap_or(name);
        match name {
            "ActivityDoesNotExist" => Error::ActivityDoesNotExist { message },
            "ExecutionDoesNotExist" => Error::ExecutionDoesNotExist { message },
            "ExecutionAlreadyExists" => Error::ExecutionAlreadyExists { message },
            "ExecutionLimitExceeded" => Error::ExecutionLimitExceeded { message },
            "ExecutionNotRedrivable" => Error::ExecutionNotRedrivable { message },
            "StateMachineDoesNotExist" => Error::StateMachineDoesNotExist { message },
            "StateMachineAlreadyExists" => Error::StateMachineAlreadyExists { message },
            "StateMachineDeleting" => Error::StateMachineDeleting { message },
            "InvalidDefinition" => Error::InvalidDefinition {
                message,
                diagnostics: Diagnostics::default(),
            },
            "InvalidArn" => Error::InvalidArn { message },
            "InvalidName" => Error::InvalidName { message },
            "InvalidExecutionInput" => Error::InvalidExecutionInput { message },
            "InvalidOutput" => Error::InvalidOutput { message },
            "InvalidToken" => Error::InvalidToken { message },
            "TaskDoesNotExist" => Error::TaskDoesNotExist { message },
            "TaskTimedOut" => Error::TaskTimedOut { message },
            "ResourceNotFound" => Error::ResourceNotFound { message },
            "ConflictException" => Error::Conflict { message },
            "ValidationException" => Error::Validation { message },
            "ThrottlingException"
            | "Throttling"
            | "ThrottledException"
            | "TooManyRequestsException"
            | "RequestLimitExceeded"
            | "RequestThrottled"
            | "RequestThrottledException"
            | "SlowDown" => Error::Throttling {
                code: name.to_owned(),
                message,
            },
            _ => Error::Service {
                code: name.to_owned(),
                message,
            },
        }
    }

    /// The exception's name, for an error the service answered.
    pub fn code(&self) -> Option<&str> {
        Some(match self {
            Error::ActivityDoesNotExist { .. } => "ActivityDoesNotExist",
            Error::ExecutionDoesNotExist { .. } => "ExecutionDoesNotExist",
            Error::ExecutionAlreadyExists { .. } => "ExecutionAlreadyExists",
            Error::ExecutionLimitExceeded { .. } => "ExecutionLimitExceeded",
            Error::ExecutionNotRedrivable { .. } => "ExecutionNotRedrivable",
            Error::StateMachineDoesNotExist { .. } => "StateMachineDoesNotExist",
            Error::StateMachineAlreadyExists { .. } => "StateMachineAlreadyExists",
            Error::StateMachineDeleting { .. } => "StateMachineDeleting",
            Error::InvalidDefinition { .. } => "InvalidDefinition",
            Error::InvalidArn { .. } => "InvalidArn",
            Error::InvalidName { .. } => "InvalidName",
            Error::InvalidExecutionInput { .. } => "InvalidExecutionInput",
            Error::InvalidOutput { .. } => "InvalidOutput",
            Error::InvalidToken { .. } => "InvalidToken",
            Error::TaskDoesNotExist { .. } => "TaskDoesNotExist",
            Error::TaskTimedOut { .. } => "TaskTimedOut",
            Error::ResourceNotFound { .. } => "ResourceNotFound",
            Error::Conflict { .. } => "ConflictException",
            Error::Validation { .. } => "ValidationException",
            Error::Throttling { code, .. } | Error::Service { code, .. } => code,
            _ => return None,
        })
    }

    /// Whether trying again later may succeed: throttling, the service's own failures
    /// (`InternalFailure`, `ServiceUnavailable`, …) and transport errors.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Throttling { .. } | Error::Transport { .. } => true,
            Error::Service { code, .. } => matches!(
                code.as_str(),
                "InternalFailure"
                    | "InternalServerError"
                    | "InternalServerException"
                    | "ServiceUnavailable"
                    | "ServiceUnavailableException"
                    | "RequestTimeoutException"
            ),
            _ => false,
        }
    }

    /// Whether the service answered that the task is over: `TaskTimedOut` or
    /// `TaskDoesNotExist`, a worker's only signal to stop a handler and send nothing.
    pub fn is_task_gone(&self) -> bool {
        matches!(
            self,
            Error::TaskTimedOut { .. } | Error::TaskDoesNotExist { .. }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exceptions_map_by_name_whatever_the_qualifier() {
        assert!(matches!(
            Error::from_service("com.amazonaws.sfn#ExecutionDoesNotExist", "x"),
            Error::ExecutionDoesNotExist { .. }
        ));
        assert!(Error::from_service("ThrottlingException", "x").is_retryable());
        assert!(Error::from_service("InternalFailure", "x").is_retryable());
        assert!(!Error::from_service("InvalidArn", "x").is_retryable());
        assert_eq!(Error::from_service("Mystery", "x").code(), Some("Mystery"));
        assert!(Error::from_service("TaskTimedOut", "x").is_task_gone());
    }
}
