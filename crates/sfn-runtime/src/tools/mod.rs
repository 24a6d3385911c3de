//! Task tools: a task stopping its own execution, and state data too large for a state's
//! input and output (AWS allows 256 KiB) kept in a store, the state passing only a
//! pointer.
//!
//! # Stopping the execution
//!
//! [`TaskContext::stop_execution`](crate::activity::TaskContext::stop_execution) stops
//! the task's own execution and waits until it reports `ABORTED`; the handler then
//! returns the [`ExecutionStopped`](crate::activity::ExecutionStopped) marker and the
//! runtime sends no result. The embedded engine's in-process activities
//! ([`LocalEngine::serve_activity`](crate::local::LocalEngine::serve_activity)) do it
//! on the engine; a worker does it through the client with [`ClientStopper`].
//!
//! An AWS activity task carries only a token and an input: to give the task its
//! execution, pass the context object in the Task state's `Parameters`
//! (`"execution.$": "$$.Execution.Id"`) and call
//! [`TaskContext::with_execution_arn`](crate::activity::TaskContext::with_execution_arn)
//! with it (a worker does it for every task with
//! [`TaskContext::with_execution_from_input`](crate::activity::TaskContext::with_execution_from_input)).
//! The embedded engine knows the execution already.
//!
//! # State data
//!
//! [`StateData`] stores JSON documents (typed with serde, or raw `serde_json::Value`)
//! under a key and an index, and returns a pointer ([`ItemPointer`], [`ListPointer`])
//! small enough to travel in the state. Local items are namespaced by the execution's
//! name; global ones are named by table and partition key. A Map state fans out over a
//! stored list with [`MapFanOut`], each iteration receiving a [`MapIteration`] to read
//! its item and write its result.
//!
//! Two stores implement [`StateStore`]:
//!
//! - [`EmbeddedStore`] (feature `tools`): one file on disk, with redb (see its module
//!   for why redb).
//! - `DynamoStore` (feature `tools-aws`): a DynamoDB table, data too large for an item
//!   in an S3 bucket.
//!
//! Both read the table, bucket and TTL from a [`StateConfig`] (or the variables
//! `SFN_STATE_TABLE` and `SFN_STATE_BUCKET`, read when the store is built).
//!
//! # Where things are
//!
//! | file | what it holds |
//! |---|---|
//! | `stop.rs` | [`ClientStopper`]: StopExecution and a bounded wait through the client |
//! | `state_data.rs` | [`StateData`]: the typed API, local and global operations |
//! | `store.rs` | the [`StateStore`] trait, apart from its implementations |
//! | `pointer.rs` | [`ItemPointer`], [`ListPointer`], [`MapIteration`], [`MapFanOut`] |
//! | `config.rs` | [`StateConfig`]: table, bucket, TTL, threshold, clock |
//! | `embedded.rs` | [`EmbeddedStore`]: redb, one file |
//! | `aws/` | `DynamoStore`: DynamoDB and S3; creating the table and bucket (feature `tools-aws`) |
//! | `engine.rs` | [`LocalEngine::serve_activity_with_state`](crate::local::LocalEngine::serve_activity_with_state) |
//! | `error.rs` | [`StateError`] |

#[cfg(feature = "tools-aws")]
mod aws;
mod config;
mod embedded;
mod engine;
mod error;
mod pointer;
mod state_data;
mod stop;
mod store;

#[cfg(feature = "tools-aws")]
#[cfg_attr(docsrs, doc(cfg(feature = "tools-aws")))]
pub use aws::{DynamoStore, MAX_ATTEMPTS, create_table_and_bucket};
pub use config::{
    DEFAULT_S3_THRESHOLD, DEFAULT_TABLE, DEFAULT_TTL, SFN_STATE_BUCKET, SFN_STATE_TABLE,
    StateConfig,
};
pub use embedded::EmbeddedStore;
pub use error::{NO_ITEM_FOUND, STATE_DATA_ERROR, StateError};
pub use pointer::{ItemPointer, ListPointer, MapFanOut, MapIteration};
pub use state_data::StateData;
pub use stop::ClientStopper;
pub use store::StateStore;
