//! The crate's integration tests, in one binary.

mod support;

mod conformance;
mod export_golden;
mod export_terraform;
mod mutations;
mod paths_intrinsics;
mod validator_checks;
