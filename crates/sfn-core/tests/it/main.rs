//! The crate's integration tests, in one binary.

mod support;

mod conformance;
mod mutations;
mod paths_intrinsics;
mod validator_checks;
