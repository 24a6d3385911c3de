//! The crate's integration tests, in one binary.

mod support;

mod conformance_execution;
mod engine_activities;
mod engine_definitions;
mod engine_distributed_map;
mod engine_executions;
mod engine_history;
mod engine_macros;
mod engine_maps;
mod engine_states;
mod engine_versions;
#[cfg(feature = "server")]
mod server;
