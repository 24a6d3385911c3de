//! Run AWS Step Functions state machines from Rust.
//!
//! `sfn-runtime` is the one crate programs depend on. It re-exports the States Language
//! crate (`sfn_runtime::core`, which is `sfn-core`) and the macros (`state_machine!`,
//! `#[activity]`, `#[derive(TaskError)]`), holds the activity API ([`activity`](mod@activity)) and adds
//! the embedded engine ([`local`]): state machines run in-process exactly as AWS runs
//! them, with activity queues, Rust task handlers, AWS Step Functions Local's mock files
//! and a virtual clock that makes Waits, retries and timeouts instant in tests. The
//! client (`sfn_runtime::client::Sfn`) registers machines and activities, starts and
//! follows executions and reads their history, with the same code on the embedded
//! engine and on AWS. The `sfn` program is the `sfn-cli` crate.
//!
//! The [`guide`] explains it chapter by chapter: defining machines, activities and workers,
//! testing locally, deploying to AWS, task tools, `sfn serve` with every SDK, the `sfn`
//! command, and AWS's limits.
//!
//! # Features
//!
//! - `local` (default): the embedded engine, on tokio, and the client over it.
//! - `aws`: the client over AWS Step Functions (`aws-sdk-sfn`, HTTPS on rustls,
//!   aws-config's credential and region chain), and SDK clients configured for a local
//!   endpoint (`sfn_runtime::aws`).
//! - `server`: the AWS Step Functions API (AWS JSON 1.0 over HTTP/1.1) in front of the
//!   engine (`sfn_runtime::server`), as `sfn serve` runs it.
//! - `worker`: activity workers (`sfn_runtime::worker`): polls with a concurrency limit
//!   per activity, automatic heartbeats, retries with backoff and full jitter, and a
//!   shutdown that never loses a task; with the client over whichever back end is
//!   enabled (`local`, `aws`) or given.
//! - `tools`: task tools (`sfn_runtime::tools`): a task stopping its own execution, and
//!   state data in an embedded on-disk store (redb); `tools-aws` adds the DynamoDB and
//!   S3 store.
//!
//! With `default-features = false` the crate is the States Language and the macros
//! alone, with no tokio: what a project that only generates ASL and deploys it with other
//! tools (CloudFormation, CDK, Terraform) needs. The macros run sfn-core's validator while
//! the code compiles, so a machine AWS would refuse is a compile error on the offending
//! token:
//!
//! ```
//! use sfn_runtime::{definition::StateMachineDefinition, state_machine};
//!
//! state_machine! {
//!     /// Says hello.
//!     pub Hello {
//!         start_at: Greet,
//!         states: {
//!             Greet: Pass { result: { "greeting": "hello" }, end: true },
//!         }
//!     }
//! }
//!
//! assert!(Hello::ASL.contains("\"Greet\""));
//! assert!(sfn_runtime::core::validate(&Hello::definition()).is_valid());
//! ```
//!
//! ```
//! use sfn_runtime::local::{ExecutionStatus, LocalEngine, StartExecution, VirtualClock};
//! use sfn_runtime::prelude::*;
//! use std::sync::Arc;
//!
//! state_machine! {
//!     /// Waits a day, then greets.
//!     pub Greeter {
//!         start_at: Wait,
//!         states: {
//!             Wait: Wait { seconds: 86400, next: Greet },
//!             Greet: Pass { parameters: { "greeting.$": "States.Format('hello, {}', $.name)" }, end: true },
//!         }
//!     }
//! }
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # tokio::runtime::Builder::new_current_thread().enable_all().build()?.block_on(async {
//! // The virtual clock passes the day at once.
//! let engine = LocalEngine::with_clock(Arc::new(VirtualClock::default()));
//! let machine = engine.create_state_machine_for::<Greeter>()?;
//! let run = engine.start_execution(&machine, StartExecution::new(json!({"name": "Ada"}))).await?;
//! let done = run.wait().await?;
//! assert_eq!(done.status, ExecutionStatus::Succeeded);
//! assert_eq!(done.output, Some(json!({"greeting": "hello, Ada"})));
//! # Ok::<(), sfn_runtime::local::Error>(())
//! # })?;
//! # Ok(())
//! # }
//! ```

#![cfg_attr(docsrs, feature(doc_cfg))]

pub use sfn_core as core;

pub mod activity;
#[cfg(feature = "local")]
mod api;
#[cfg(feature = "aws")]
#[cfg_attr(docsrs, doc(cfg(feature = "aws")))]
pub mod aws;
#[cfg(any(feature = "local", feature = "aws", feature = "worker"))]
#[cfg_attr(
    docsrs,
    doc(cfg(any(feature = "local", feature = "aws", feature = "worker")))
)]
pub mod client;
pub mod definition;
pub mod guide;
#[cfg(feature = "local")]
#[cfg_attr(docsrs, doc(cfg(feature = "local")))]
pub mod local;
#[cfg(feature = "server")]
#[cfg_attr(docsrs, doc(cfg(feature = "server")))]
pub mod server;
#[cfg(feature = "tools")]
#[cfg_attr(docsrs, doc(cfg(feature = "tools")))]
pub mod tools;
#[cfg(feature = "worker")]
#[cfg_attr(docsrs, doc(cfg(feature = "worker")))]
pub mod worker;

pub use sfn_macros::{TaskError, activity, state_machine};

/// The JSON Schema library activity inputs and outputs derive `JsonSchema` from.
pub use schemars;

/// What most programs need: the macros, the traits they implement, and the derives their
/// types use.
pub mod prelude {
    pub use crate::activity::{Activity, ActivityError, TaskContext, TaskError, TaskFailure};
    pub use crate::definition::StateMachineDefinition;
    pub use crate::{TaskError, activity, state_machine};
    pub use schemars::JsonSchema;
    pub use serde::{Deserialize, Serialize};
    pub use serde_json::{Value, json};
}

/// What the code generated by `#[activity]` and `state_machine!` names. Not a public API:
/// it changes without notice.
#[doc(hidden)]
pub mod __private {
    pub use crate::activity::{
        Activity, ActivityDefinition, ActivityError, BoxFuture, IntoTaskFailure, TaskContext,
        TaskFailure,
    };
    pub use crate::definition::{StateMachineDefinition, support::*};
    pub use ::core::{
        future::Future,
        ops::Deref,
        option::Option::{self, None, Some},
        pin::Pin,
        result::Result::{self, Err, Ok},
    };
    pub use ::schemars;
    pub use ::serde;
    pub use ::serde_json::{self, Value};
    pub use ::std::{borrow::Cow, boxed::Box, string::String, vec::Vec};
    pub use sfn_core::model::{ExecutionType, StateMachine};
}
