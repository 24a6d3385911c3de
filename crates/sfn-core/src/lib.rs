//! The Amazon States Language (ASL) for Rust.
//!
//! `sfn-core` is the pure layer of sfn: a typed model of state machine definitions that
//! reads every definition AWS Step Functions accepts and writes it back unchanged, a
//! validator as strict as AWS with diagnostics located by JSON Pointer, a builder, the
//! JSON Schema of the format, and the evaluation of everything a state computes:
//! JSONPath and reference paths, payload templates, intrinsic functions, JSONata, choice
//! rules and retry arithmetic. It does no I/O; the engine that runs executions lives in
//! `sfn-runtime`.
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
//!
//! # Generating ASL at compile time
//!
//! With the `macros` feature, `state_machine!`, `#[activity]` and `#[derive(TaskError)]`
//! are here too, for projects that only generate ASL and deploy it with other tools
//! (CloudFormation, CDK, Terraform). The macros run this crate's validator while your
//! code compiles: a machine AWS would refuse is a compile error on the offending token.
//!
//! ```
//! # #[cfg(feature = "macros")] {
//! use sfn_core::state_machine;
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
//! use sfn_core::definition::StateMachineDefinition;
//! assert!(Hello::ASL.contains("\"Greet\""));
//! # }
//! ```

#![cfg_attr(docsrs, feature(doc_cfg))]

#[doc(inline)]
pub use sfn_asl::*;

/// `#[activity]`: turns a function into an activity (see `sfn-runtime` for the guide).
#[cfg(feature = "macros")]
#[cfg_attr(docsrs, doc(cfg(feature = "macros")))]
pub use sfn_macros::core_activity as activity;

/// `state_machine!`: a state machine written in Rust, validated at compile time.
#[cfg(feature = "macros")]
#[cfg_attr(docsrs, doc(cfg(feature = "macros")))]
pub use sfn_macros::core_state_machine as state_machine;

/// `#[derive(TaskError)]`: an error type an activity can report by name.
#[cfg(feature = "macros")]
#[cfg_attr(docsrs, doc(cfg(feature = "macros")))]
pub use sfn_macros::CoreTaskError as TaskError;
