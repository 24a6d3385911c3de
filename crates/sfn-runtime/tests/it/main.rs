//! The crate's integration tests, in one binary.

mod support;

#[cfg(all(feature = "server", feature = "aws"))]
mod client;
#[cfg(all(feature = "server", feature = "aws"))]
mod client_flows;
mod conformance_execution;
mod conformance_test_state;
mod engine_activities;
mod engine_definitions;
mod engine_distributed_map;
mod engine_executions;
mod engine_express;
mod engine_history;
mod engine_items;
mod engine_macros;
mod engine_maps;
mod engine_nested;
mod engine_redrive;
mod engine_retention;
mod engine_states;
mod engine_test_state;
mod engine_test_state_mocks;
mod engine_versions;
mod export;
#[cfg(all(feature = "server", feature = "aws"))]
mod server;
#[cfg(feature = "tools-aws")]
mod tools;
mod worker;
#[cfg(all(feature = "server", feature = "aws"))]
mod worker_http;
