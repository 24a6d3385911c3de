//! Run AWS Step Functions state machines from Rust.

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
