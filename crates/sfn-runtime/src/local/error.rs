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
    /// The request breaks one of AWS's constraints (AWS's `ValidationException`).
    #[error("validation failed: {message}")]
    Validation {
        /// What is wrong, in AWS's words.
        message: String,
        /// AWS's reason code, when it gives one.
        reason: Option<ValidationReason>,
    },
    /// Not an ARN of the kind the operation takes, or not of this engine's region and
    /// account (AWS's `InvalidArn`).
    #[error("invalid ARN: {arn}")]
    InvalidArn {
        /// The ARN given.
        arn: String,
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

/// Why a request failed validation: the `reason` of AWS's `ValidationException`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ValidationReason {
    /// An ARN qualified by a Map label where the operation takes none.
    ApiDoesNotSupportLabeledArns,
    /// A parameter the operation needs is missing.
    MissingRequiredParameter,
    /// A Map Run that has ended cannot be updated.
    CannotUpdateCompletedMapRun,
    /// An alias's routing configuration breaks AWS's rules.
    InvalidRoutingConfiguration,
}

impl ValidationReason {
    /// The reason as AWS writes it (`INVALID_ROUTING_CONFIGURATION`).
    pub fn as_str(self) -> &'static str {
        match self {
            ValidationReason::ApiDoesNotSupportLabeledArns => "API_DOES_NOT_SUPPORT_LABELED_ARNS",
            ValidationReason::MissingRequiredParameter => "MISSING_REQUIRED_PARAMETER",
            ValidationReason::CannotUpdateCompletedMapRun => "CANNOT_UPDATE_COMPLETED_MAP_RUN",
            ValidationReason::InvalidRoutingConfiguration => "INVALID_ROUTING_CONFIGURATION",
        }
    }
}

impl Error {
    /// [`Error::Validation`] with `message` and no reason code.
    pub(crate) fn validation(message: impl Into<String>) -> Self {
        Error::Validation {
            message: message.into(),
            reason: None,
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
