//! One client for AWS Step Functions and the embedded engine: register activities and
//! machines, start and follow executions, read their history, tidy up.
//!
//! [`Sfn`] talks to a [`Backend`]: AWS (feature `aws`: `Sfn::aws`) or the embedded engine
//! (feature `local`: [`Sfn::local`]); [`Sfn::from_env`] picks by the environment. Every operation answers the same on both: same types, same
//! errors ([`Error`]), same pages.
//!
//! # Where things are
//!
//! | file | what it holds |
//! |---|---|
//! | `sfn.rs` | [`Sfn`]: constructors, activities and machines by name or ARN, lists as streams |
//! | `backend.rs` | the [`Backend`] trait, the API apart from its implementations |
//! | `local.rs` | [`LocalBackend`]: the embedded engine's API, in-process |
//! | `aws/` | `AwsBackend`: AWS over `aws-sdk-sfn`; `Sfn::aws` (feature `aws`) |
//! | `env.rs` | [`Sfn::from_env`]: the back end the environment asks for |
//! | `execution.rs` | starting an execution; the [`Execution`] handle: describe, wait, output, stop, history |
//! | `names.rs` | execution names made up, names checked |
//! | `register.rs` | registering a machine and its activities, dry runs, deregistering exactly what was registered |
//! | `types.rs` | what the operations take and answer |
//! | `history.rs` | [`HistoryEvent`]: AWS's events, any type |
//! | `error.rs` | [`Error`] |

#[cfg(feature = "aws")]
mod aws;
mod backend;
mod env;
mod error;
mod execution;
mod format;
mod history;
#[cfg(feature = "local")]
mod local;
mod names;
mod register;
mod sfn;
mod types;

#[cfg(feature = "aws")]
#[cfg_attr(docsrs, doc(cfg(feature = "aws")))]
pub use aws::AwsBackend;
pub use backend::{Backend, BackendKind, Response};
pub use error::Error;
pub use execution::{Execution, POLL_FIRST, POLL_MAX, StartRequest};
pub use history::{History, HistoryEvent};
#[cfg(feature = "local")]
#[cfg_attr(docsrs, doc(cfg(feature = "local")))]
pub use local::LocalBackend;
pub use register::{
    Change, Deregistered, Outcome, Plan, REGISTERED_BY, Register, RegisteredActivity, Registration,
};
pub use sfn::Sfn;
pub use types::{
    ActivityInfo, ActivityTask, CreateStateMachine, CreatedStateMachine, ExecutionInfo,
    ExecutionStatus, ExecutionSummary, GetHistory, ListExecutions, LogLevel, LoggingConfig, Page,
    PageRequest, StartExecution, StartedExecution, StateMachineInfo, StateMachineSummary, Tag,
    UpdateStateMachine, UpdatedStateMachine,
};
