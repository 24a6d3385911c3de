//! The engine's errors as the API's exceptions: one table, here.

use super::protocol::ApiError;
use crate::local::Error;

/// The exception AWS answers for an engine error.
pub(crate) fn from_engine(e: Error) -> ApiError {
    match e {
        Error::InvalidDefinition { diagnostics } => ApiError::new(
            "InvalidDefinition",
            diagnostics.invalid_definition_message(),
        ),
        // The engine words the message as AWS does.
        Error::TestStateUnsupported { message } => ApiError::new("InvalidDefinition", message),
        // AWS names the name, not the rule it breaks.
        Error::InvalidName { name, .. } => {
            ApiError::new("InvalidName", format!("Invalid Name: '{name}'"))
        }
        Error::StateMachineAlreadyExists { arn } => ApiError::new(
            "StateMachineAlreadyExists",
            format!("State Machine Already Exists: '{arn}'"),
        ),
        Error::StateMachineDoesNotExist { arn } => ApiError::new(
            "StateMachineDoesNotExist",
            format!("State Machine Does Not Exist: '{arn}'"),
        ),
        Error::StateMachineDeleting { arn } => ApiError::new(
            "StateMachineDeleting",
            format!("State Machine is being deleted: '{arn}'"),
        ),
        Error::ExecutionAlreadyExists { arn } => ApiError::new(
            "ExecutionAlreadyExists",
            format!("Execution Already Exists: '{arn}'"),
        ),
        Error::ExecutionDoesNotExist { arn } => ApiError::new(
            "ExecutionDoesNotExist",
            format!("Execution Does Not Exist: '{arn}'"),
        ),
        Error::MapRunDoesNotExist { arn } => {
            ApiError::new("ResourceNotFound", format!("Resource Not Found: '{arn}'"))
        }
        Error::InvalidExecutionInput { message } => ApiError::new(
            "InvalidExecutionInput",
            format!("Invalid State Machine Execution Input: '{message}'"),
        ),
        Error::ActivityDoesNotExist { arn } => ApiError::new(
            "ActivityDoesNotExist",
            format!("Activity Does Not Exist: '{arn}'"),
        ),
        Error::InvalidToken => ApiError::new("InvalidToken", "Invalid Token"),
        Error::TaskTimedOut => ApiError::new("TaskTimedOut", "Task Timed Out"),
        Error::InvalidOutput { message } => {
            ApiError::new("InvalidOutput", format!("Invalid Output: {message}"))
        }
        Error::ExecutionNotRedrivable { reason, .. } => {
            ApiError::new("ExecutionNotRedrivable", reason)
        }
        Error::StateMachineTypeNotSupported { .. } => ApiError::new(
            "StateMachineTypeNotSupported",
            "This operation is not supported by this type of state machine",
        ),
        // The engine words the message as AWS does.
        Error::InvalidArn { message, .. } => ApiError::new("InvalidArn", message),
        Error::Validation { message } => ApiError::validation(message),
        e @ Error::InvalidMocks { .. } => ApiError::validation(e.to_string()),
        Error::EngineStopped => ApiError::with_status(
            "ServiceUnavailable",
            "the engine is stopping".to_owned(),
            503,
        ),
        Error::ResourceNotFound { .. } => ApiError::new(
            "ResourceNotFound",
            "Request references a resource that does not exist.",
        ),
        Error::Conflict { message } => ApiError::with_status("ConflictException", message, 409),
        Error::MissingRequiredParameter { message } => {
            ApiError::new("MissingRequiredParameter", message)
        }
        Error::ServiceQuotaExceeded { message } => {
            ApiError::with_status("ServiceQuotaExceededException", message, 402)
        }
    }
}

/// For the tag operations, whose only "not found" is `ResourceNotFound`.
pub(crate) fn resource_not_found(e: Error) -> ApiError {
    match e {
        Error::StateMachineDoesNotExist { arn } | Error::ActivityDoesNotExist { arn } => {
            ApiError::new("ResourceNotFound", format!("Resource not found: '{arn}'"))
        }
        other => from_engine(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_errors_become_aws_exceptions() {
        let e = from_engine(Error::TaskTimedOut);
        assert_eq!((e.kind, e.status), ("TaskTimedOut", 400));
        let e = from_engine(Error::MapRunDoesNotExist { arn: "a".into() });
        assert_eq!(e.kind, "ResourceNotFound");
        let e = resource_not_found(Error::ActivityDoesNotExist { arn: "a".into() });
        assert_eq!(e.kind, "ResourceNotFound");
        let e = from_engine(Error::EngineStopped);
        assert_eq!(e.status, 503);
        let e = from_engine(Error::InvalidArn {
            arn: "a".into(),
            message: "Invalid Arn: 'Resource type not valid in this context: express'".into(),
        });
        assert_eq!(e.kind, "InvalidArn");
        assert!(!e.message.contains("Invalid Arn: 'a'"), "{}", e.message);
        let e = from_engine(Error::ExecutionNotRedrivable {
            arn: "a".into(),
            reason: "Execution is SUCCEEDED and cannot be redriven.".into(),
        });
        assert_eq!(e.kind, "ExecutionNotRedrivable");
        assert!(e.message.contains("SUCCEEDED"), "{}", e.message);
    }
}
