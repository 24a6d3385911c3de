//! The embedded engine: runs state machines in-process, as AWS Step Functions does.
//!
//! Evaluation (paths, templates, intrinsic functions, JSONata, choice rules, retry
//! arithmetic) is sfn-core's; this module schedules states, records history, answers
//! tasks (mocks, Rust handlers, activity queues, child executions for
//! `states:startExecution`) and keeps executions. A distributed Map reads its items and
//! writes its results on the engine's [`ObjectStore`] (see
//! [`LocalEngineBuilder::object_store`]).
//!
//! ```
//! use std::sync::Arc;
//! use serde_json::json;
//! use sfn_runtime::local::{LocalEngine, StartExecution, VirtualClock, ExecutionStatus};
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let engine = LocalEngine::with_clock(Arc::new(VirtualClock::default()));
//! let machine = r#"{"StartAt": "Hi", "States": {"Hi": {"Type": "Pass", "Result": "world", "End": true}}}"#;
//! let arn = engine.create_state_machine("hello", machine.parse().unwrap())?;
//! let run = engine.start_execution(&arn, StartExecution::new(json!({}))).await?;
//! let done = run.wait().await?;
//! assert_eq!(done.status, ExecutionStatus::Succeeded);
//! assert_eq!(done.output, Some(json!("world")));
//! # Ok::<(), sfn_runtime::local::Error>(())
//! # }).unwrap();
//! ```
//!
//! # Where things are
//!
//! | file | what it holds |
//! |---|---|
//! | `engine.rs` | [`LocalEngine`]: the machines and executions it keeps, Map Runs, handlers |
//! | `builder.rs` | [`LocalEngineBuilder`]: an engine's region, account, clock, retention and object store |
//! | `arn.rs` | the engine's ARNs, in its region and account |
//! | `execution.rs` | an execution: [`StartExecution`], the [`Execution`] handle, [`ExecutionDescription`], [`ExecutionStatus`] |
//! | `manage.rs` | describing and updating machines (revisions, publishing at once), describing activities, tags |
//! | `deletion.rs` | deleting machines: at once, or `DELETING` until their executions end |
//! | `redrive.rs` | [`LocalEngine::redrive_execution`]: an execution resumed where it failed |
//! | `express.rs` | Express machines: [`LocalEngine::start_sync_execution`], the five-minute limit |
//! | `retention.rs` | [`Retention`]: how many finished executions are kept, and how long |
//! | `activities.rs` | activities: create, delete, list, poll, `SendTask*`, [`LocalEngine::serve_activity`] |
//! | `versions.rs` | versions: publish, list, delete; where an execution starts given a machine's, version's or alias's ARN |
//! | `aliases.rs` | aliases: create, describe, update, delete, list; [`RoutingConfig`] by weight |
//! | `interp/` | the interpreter, one state kind a file |
//! | `plan.rs` | a definition compiled for the interpreter |
//! | `map_run.rs` | a distributed Map's Map Run and child executions |
//! | `handlers.rs` | [`TaskHandler`]s: Rust code that answers a resource's tasks |
//! | `tokens.rs` | task tokens, and the activity queues that hand them to workers |
//! | `history.rs` | execution history, with AWS's event types |
//! | `mock.rs` | mocked responses, in AWS's mock configuration format |
//! | `object_store.rs` | where distributed Maps read items and write results: [`ObjectStore`], in memory or in a folder |
//! | `clock.rs` | the injectable clock, real or virtual |
//! | `error.rs` | the engine's [`Error`] |
//! | `sync.rs` | the lock helper that outlives a panic |
//! | `test_state/` | TestState: one state run on its own, with what it did at each step |

mod activities;
mod aliases;
mod arn;
mod builder;
mod clock;
mod deletion;
mod engine;
mod error;
mod execution;
mod express;
mod handlers;
mod history;
mod interp;
mod manage;
mod map_run;
mod mock;
mod object_store;
mod plan;
mod redrive;
mod retention;
mod sync;
mod test_state;
mod tokens;
mod versions;

pub use aliases::{AliasDescription, MAX_ALIASES, RoutingConfig};
pub use builder::{DEFAULT_ACCOUNT, DEFAULT_REGION, LocalEngineBuilder};
pub use clock::{Clock, Sleep, SystemClock, VirtualClock};
pub use engine::LocalEngine;
pub use error::Error;
pub use execution::{Execution, ExecutionDescription, ExecutionStatus, StartExecution};
pub use express::{BillingDetails, EXPRESS_MAX_SECONDS, SyncExecution};
pub use handlers::{TaskHandler, TaskRequest};
pub use history::{EventDetails, EventType, History, HistoryEvent, MAX_HISTORY_EVENTS};
pub use manage::{
    ActivityDescription, CreateStateMachine, CreatedStateMachine, StateMachineDescription,
    StateMachineStatus, UpdateStateMachine, UpdatedStateMachine,
};
pub use map_run::{MapRunCounts, MapRunDescription, MapRunStatus, MapRunUpdate};
pub use mock::{MockConfig, MockResponse, MockedResponses, Mocks};
pub use object_store::{
    FolderObjectStore, MemoryObjectStore, ObjectInfo, ObjectStore, ObjectStoreError,
};
pub use redrive::{ExecutionFilter, RedriveFilter, RedriveStatus};
pub use retention::Retention;
pub use test_state::{
    FieldValidationMode, InspectionData, InspectionErrorDetails, InspectionLevel,
    StateConfiguration, TestStateOutput, TestStateRequest, TestStatus,
};
pub use tokens::ActivityTask;
pub use versions::{INITIAL_REVISION, MAX_DESCRIPTION_CHARS, MAX_VERSIONS, StateMachineVersion};

pub(crate) use sync::lock;
