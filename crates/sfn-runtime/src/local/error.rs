//! The errors of the local engine's API.

use sfn_core::{Diagnostics, ParseError, names::NameError};

/// What went wrong calling the local engine.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The definition could not be read or is invalid: what the validator found, each
    /// diagnostic with its JSON Pointer.
    #[error("invalid state machine definition: {}", summary(.diagnostics))]
    InvalidDefinition {
        /// The diagnostics (at least one error).
        diagnostics: Diagnostics,
    },
    /// TestState does not run the state as asked (AWS: `InvalidDefinition`), such as a
    /// Map or Parallel state without a mock.
    #[error("TestState does not run the state: {message}")]
    TestStateUnsupported {
        /// Why, as AWS says it.
        message: String,
    },
    /// A name breaks AWS's naming rules.
    #[error("invalid name '{name}': {reason}")]
    InvalidName {
        /// The name.
        name: String,
        /// The rule it breaks.
        reason: NameError,
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
    /// The state machine is being deleted: it waits for its executions to end
    /// ([`LocalEngine::delete_state_machine`](super::LocalEngine::delete_state_machine)).
    #[error("state machine is being deleted: {arn}")]
    StateMachineDeleting {
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
    /// No Map Run has this ARN (AWS: `ResourceNotFound`).
    #[error("map run does not exist: {arn}")]
    MapRunDoesNotExist {
        /// The ARN asked for.
        arn: String,
    },
    /// The execution cannot be redriven (AWS: `ExecutionNotRedrivable`).
    #[error("execution not redrivable: {arn}: {reason}")]
    ExecutionNotRedrivable {
        /// The execution's ARN.
        arn: String,
        /// Why, as AWS's `redriveStatusReason` says it ("Execution is SUCCEEDED and
        /// cannot be redriven.").
        reason: String,
    },
    /// The operation does not apply to this type of state machine (AWS:
    /// `StateMachineTypeNotSupported`): `StartSyncExecution` of a Standard machine,
    /// `ListExecutions` of an Express one.
    #[error("the operation is not supported by the type of the state machine {arn}")]
    StateMachineTypeNotSupported {
        /// The machine's ARN.
        arn: String,
    },
    /// An ARN of a kind the operation does not take (AWS: `InvalidArn`), such as an
    /// Express execution's ARN given to `DescribeExecution`.
    #[error("invalid ARN '{arn}': {message}")]
    InvalidArn {
        /// The ARN.
        arn: String,
        /// Why, as AWS says it.
        message: String,
    },
    /// A request's values break the operation's constraints (AWS:
    /// `ValidationException`): a TestState call without the mock its state needs, a
    /// state name the definition does not have, a field that is not the JSON it should
    /// be, an UpdateMapRun of a finished Map Run.
    #[error("validation error: {message}")]
    Validation {
        /// What is wrong.
        message: String,
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
    /// Mocks that are not in the `MockedResponses` shape, a mock configuration file that
    /// cannot be read or is not in the MockConfigFile format, or a state machine or test
    /// case it does not have.
    #[error("invalid mocks: {}", location(.file.as_deref(), .pointer, .message))]
    InvalidMocks {
        /// The file, when read from one.
        file: Option<String>,
        /// Where in the mocks: a JSON Pointer (empty for the whole document).
        pointer: String,
        /// What is wrong.
        message: String,
    },
    /// The engine stopped before the execution finished.
    #[error("the engine stopped before the execution finished")]
    EngineStopped,
    /// No version or alias has this ARN (AWS's `ResourceNotFound`).
    #[error("resource does not exist: {arn}")]
    ResourceNotFound {
        /// The ARN asked for.
        arn: String,
    },
    /// The request conflicts with what the engine holds (AWS's `ConflictException`): a
    /// revision that is no longer the latest, an alias created again with other settings,
    /// a version an alias still routes to.
    #[error("conflict: {message}")]
    Conflict {
        /// What conflicts, in AWS's words.
        message: String,
    },
    /// The request lacks a parameter it needs (AWS's `MissingRequiredParameter`).
    #[error("missing required parameter: {message}")]
    MissingRequiredParameter {
        /// What is missing.
        message: String,
    },
    /// A machine has as many versions or aliases as AWS allows (AWS's
    /// `ServiceQuotaExceededException`).
    #[error("service quota exceeded: {message}")]
    ServiceQuotaExceeded {
        /// Which quota.
        message: String,
    },
}

impl Error {
    /// [`Error::Validation`] with `message`.
    pub(crate) fn validation(message: impl Into<String>) -> Self {
        Error::Validation {
            message: message.into(),
        }
    }

    /// [`Error::InvalidMocks`] at `pointer`, in no file.
    pub(crate) fn mocks_at(pointer: &str, message: impl Into<String>) -> Self {
        Error::InvalidMocks {
            file: None,
            pointer: pointer.to_owned(),
            message: message.into(),
        }
    }

    /// The same error, read from `file` (for [`Error::InvalidMocks`]).
    pub(crate) fn in_file(mut self, name: String) -> Self {
        if let Error::InvalidMocks { file, .. } = &mut self {
            *file = Some(name);
        }
        self
    }
}

impl From<ParseError> for Error {
    fn from(e: ParseError) -> Self {
        Error::InvalidDefinition {
            diagnostics: e.diagnostics,
        }
    }
}

/// `LOCATION: MESSAGE; …` for the errors among the diagnostics.
fn summary(diagnostics: &Diagnostics) -> String {
    let errors: Vec<String> = diagnostics
        .errors()
        .map(|d| format!("{}: {}", d.location(), d.message))
        .collect();
    if errors.is_empty() {
        "no diagnostic".to_owned()
    } else {
        errors.join("; ")
    }
}

/// `FILE: POINTER: MESSAGE`, leaving out what is not known.
fn location(file: Option<&str>, pointer: &str, message: &str) -> String {
    let mut out = String::new();
    if let Some(f) = file {
        out.push_str(f);
        out.push_str(": ");
    }
    if !pointer.is_empty() {
        out.push_str(pointer);
        out.push_str(": ");
    }
    out.push_str(message);
    out
}
