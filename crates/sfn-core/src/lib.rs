//! The Amazon States Language (ASL) for Rust.
//!
//! `sfn-core` is the pure layer of sfn: a typed model of state machine definitions that
//! reads every definition AWS Step Functions accepts and writes it back unchanged, a
//! validator as strict as AWS with diagnostics located by JSON Pointer, and the
//! evaluation of everything a state computes: JSONPath and reference paths, payload
//! templates, intrinsic functions, JSONata, choice rules and retry arithmetic. It does no
//! I/O; the engine that schedules executions lives in `sfn-runtime`, which re-exports
//! this crate as `sfn_runtime::core` together with the `state_machine!` and `#[activity]`
//! macros. JSONata itself is the `sfn-jsonata` crate, re-exported here as [`jsonata`].
//!
//! ```
//! use sfn_core::StateMachine;
//!
//! let machine: StateMachine = r#"{
//!     "StartAt": "Hello",
//!     "States": { "Hello": { "Type": "Pass", "Result": "world", "End": true } }
//! }"#.parse()?;
//! assert_eq!(machine.start_at.as_str(), "Hello");
//! assert!(sfn_core::validate(&machine).is_valid());
//! # Ok::<(), sfn_core::ParseError>(())
//! ```

pub mod builder;
pub mod definition;
pub mod diagnostic;
pub mod error;
pub mod eval;
pub mod export;
pub mod fields;
pub mod intrinsic;
pub use sfn_jsonata as jsonata;
pub mod model;
pub mod names;
pub mod parse;
pub mod path;
pub mod resources;
pub mod schema;
pub mod template;
pub mod validate;

pub use diagnostic::{Diagnostic, DiagnosticCode, Diagnostics, Severity, Subject};
pub use error::StatesError;
pub use model::StateMachine;
pub use parse::ParseError;
pub use validate::{validate, validate_str};
