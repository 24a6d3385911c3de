//! Runtime errors as Step Functions names them (`States.Runtime`, `States.TaskFailed`, …).

use std::fmt;

/// The error names Step Functions itself raises.
pub mod states {
    /// Matches any error name in `ErrorEquals`.
    pub const ALL: &str = "States.ALL";
    /// An unrecoverable problem evaluating the definition against the data.
    pub const RUNTIME: &str = "States.Runtime";
    /// A state or execution ran longer than its `TimeoutSeconds`.
    pub const TIMEOUT: &str = "States.Timeout";
    /// A task sent no heartbeat within `HeartbeatSeconds`.
    pub const HEARTBEAT_TIMEOUT: &str = "States.HeartbeatTimeout";
    /// A task failed.
    pub const TASK_FAILED: &str = "States.TaskFailed";
    /// Insufficient privileges to run the code.
    pub const PERMISSIONS: &str = "States.Permissions";
    /// A payload exceeded 262,144 bytes.
    pub const DATA_LIMIT_EXCEEDED: &str = "States.DataLimitExceeded";
    /// A `ResultPath` could not be applied to the state's input.
    pub const RESULT_PATH_MATCH_FAILURE: &str = "States.ResultPathMatchFailure";
    /// A path in `Parameters` did not match the input.
    pub const PARAMETER_PATH_FAILURE: &str = "States.ParameterPathFailure";
    /// A JSONata expression failed.
    pub const QUERY_EVALUATION_ERROR: &str = "States.QueryEvaluationError";
    /// A branch of a Parallel state failed.
    pub const BRANCH_FAILED: &str = "States.BranchFailed";
    /// No Choice rule matched and there is no `Default`.
    pub const NO_CHOICE_MATCHED: &str = "States.NoChoiceMatched";
    /// An intrinsic function call failed.
    pub const INTRINSIC_FAILURE: &str = "States.IntrinsicFailure";
    /// A Map state's failures exceeded its tolerated threshold.
    pub const EXCEED_TOLERATED_FAILURE_THRESHOLD: &str = "States.ExceedToleratedFailureThreshold";
    /// A Map state's `ItemReader` failed.
    pub const ITEM_READER_FAILED: &str = "States.ItemReaderFailed";
    /// A Map state's `ResultWriter` failed.
    pub const RESULT_WRITER_FAILED: &str = "States.ResultWriterFailed";
}

/// An error raised while running a state, named and worded as Step Functions does.
///
/// `error` is the name `Retry` and `Catch` match on (`States.Runtime`, or a task's own
/// error name); `cause` is the human-readable explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatesError {
    /// The error name.
    pub error: String,
    /// The cause.
    pub cause: String,
}

impl StatesError {
    /// An error with the given name and cause.
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> Self {
        Self {
            error: error.into(),
            cause: cause.into(),
        }
    }

    /// A `States.Runtime` error.
    pub fn runtime(cause: impl Into<String>) -> Self {
        Self::new(states::RUNTIME, cause)
    }

    /// A `States.IntrinsicFailure` error.
    pub fn intrinsic(cause: impl Into<String>) -> Self {
        Self::new(states::INTRINSIC_FAILURE, cause)
    }

    /// A `States.QueryEvaluationError` error.
    pub fn query_evaluation(cause: impl Into<String>) -> Self {
        Self::new(states::QUERY_EVALUATION_ERROR, cause)
    }
}

impl fmt::Display for StatesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.error, self.cause)
    }
}

impl std::error::Error for StatesError {}
