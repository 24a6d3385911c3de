//! Why a worker could not start.

/// Why [`WorkerBuilder::spawn`](super::WorkerBuilder::spawn) refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WorkerError {
    /// No activity was given.
    #[error("the worker serves no activity: add one with `.activity(…)`")]
    NoActivities,
    /// Two activities have the same name.
    #[error("the activity '{name}' is given twice")]
    DuplicateActivity {
        /// The full name (prefix and name).
        name: String,
    },
    /// An activity's full name is not a valid activity name.
    #[error("the activity name '{name}' is not valid: {reason}")]
    InvalidActivityName {
        /// The full name (prefix and name).
        name: String,
        /// Why not.
        #[source]
        reason: sfn_core::names::NameError,
    },
    /// `spawn` was called outside a tokio runtime.
    #[error("a worker runs on a tokio runtime: spawn it from within one")]
    NoRuntime,
}
