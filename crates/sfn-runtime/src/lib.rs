//! Run AWS Step Functions state machines from Rust.
//!
//! `sfn-runtime` is the crate programs depend on. It re-exports the States Language crate
//! (`sfn_runtime::core`, which is `sfn-core`) and the macros, and adds the embedded
//! engine ([`local`]): state machines run in-process exactly as AWS runs them, with
//! activity queues, Rust task handlers, AWS Step Functions Local's mock files and a
//! virtual clock that makes Waits, retries and timeouts instant in tests. The `sfn`
//! command (feature `cli`, on by default) validates and runs definitions from the shell.
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

pub use sfn_core as core;

pub mod local;

pub use sfn_macros::{TaskError, activity, state_machine};

#[doc(hidden)]
pub use sfn_core::__private;

/// The JSON Schema library activity inputs and outputs derive `JsonSchema` from.
pub use sfn_core::__private::schemars;

/// What most programs need: the macros, the traits they implement, and the derives their
/// types use.
pub mod prelude {
    pub use crate::{TaskError, activity, state_machine};
    pub use sfn_core::__private::schemars::JsonSchema;
    pub use sfn_core::__private::serde::{Deserialize, Serialize};
    pub use sfn_core::__private::serde_json::{Value, json};
    pub use sfn_core::activity::{Activity, ActivityError, TaskContext, TaskError, TaskFailure};
    pub use sfn_core::definition::StateMachineDefinition;
}
