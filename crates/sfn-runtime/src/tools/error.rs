//! The state-data error.

/// Why a state-data operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StateError {
    /// No item is stored (or it has expired) at this place.
    #[error(
        "no item in the table {table} under the partition key {partition_key} at index {index}"
    )]
    NoItem {
        /// The table.
        table: String,
        /// The partition key (`{namespace}:{key}` for a local item).
        partition_key: String,
        /// The index (the sort key).
        index: u64,
    },
    /// The task's runtime was given no state-data store.
    #[error("no state-data store is configured for this task")]
    NotConfigured,
    /// The task does not know its execution, whose name namespaces its local items.
    #[error(
        "the task does not know its execution; pass \"execution.$\": \"$$.Execution.Id\" in the Task state's Parameters and call TaskContext::with_execution_arn"
    )]
    UnknownExecution,
    /// A local operation on a handle bound to no namespace
    /// ([`StateData::for_namespace`](super::StateData::for_namespace) binds one).
    #[error("this state-data handle has no namespace: local items need one (the execution's name)")]
    NoNamespace,
    /// A Map iteration's input names no local key (it came from a global pointer).
    #[error("the Map iteration's input has no items_result_key: use the global operations")]
    NoKey,
    /// An item is larger than the store may keep in its table, and no bucket is
    /// configured to hold it.
    #[error(
        "the item at index {index} of {partition_key} is {size} bytes, above the {threshold}-byte threshold, and no bucket is configured (SFN_STATE_BUCKET)"
    )]
    NoBucket {
        /// The partition key.
        partition_key: String,
        /// The index.
        index: u64,
        /// The size of its data, in bytes.
        size: usize,
        /// The threshold above which data goes to the bucket.
        threshold: usize,
    },
    /// A value could not be written or read as JSON of the type asked for.
    #[error("the item at index {index} of {partition_key} {what}: {source}")]
    Json {
        /// The partition key.
        partition_key: String,
        /// The index.
        index: u64,
        /// `does not serialize to JSON` or `is not of the type asked for`.
        what: &'static str,
        /// Why.
        #[source]
        source: serde_json::Error,
    },
    /// A stored item is not as this crate writes them.
    #[error("the item at index {index} of {partition_key} in {table} is malformed: {message}")]
    Malformed {
        /// The table.
        table: String,
        /// The partition key.
        partition_key: String,
        /// The index.
        index: u64,
        /// What is wrong.
        message: String,
    },
    /// The configuration is not usable (an empty table name, a variable that does not
    /// parse).
    #[error("invalid state-data configuration: {0}")]
    Config(String),
    /// The embedded store's file failed.
    #[error("the state store at {path} failed: {source}")]
    Embedded {
        /// The file.
        path: std::path::PathBuf,
        /// Why.
        #[source]
        source: Box<redb::Error>,
    },
    /// DynamoDB or S3 answered an error, or could not be reached.
    #[error("{service} {operation} failed: {message}")]
    Aws {
        /// `DynamoDB` or `S3`.
        service: &'static str,
        /// The operation (`PutItem`, `GetObject`, …).
        operation: &'static str,
        /// The error, with the service's code when it answered one.
        message: String,
    },
    /// A blocking task of the store was cancelled or panicked.
    #[error("a state-store task did not finish: {0}")]
    Task(String),
}

/// The error name a handler's failure gets for a missing item.
pub const NO_ITEM_FOUND: &str = "NoItemFound";
/// The error name a handler's failure gets for any other state-data error.
pub const STATE_DATA_ERROR: &str = "StateDataError";

/// `?` in a handler turns a state-data error into a task failure: [`NO_ITEM_FOUND`] for
/// a missing item (for `Retry` and `Catch` to match), [`STATE_DATA_ERROR`] otherwise.
impl crate::activity::ActivityError for StateError {
    fn error_name(&self) -> std::borrow::Cow<'_, str> {
        std::borrow::Cow::Borrowed(match self {
            StateError::NoItem { .. } => NO_ITEM_FOUND,
            _ => STATE_DATA_ERROR,
        })
    }

    fn cause(&self) -> String {
        self.to_string()
    }
}
