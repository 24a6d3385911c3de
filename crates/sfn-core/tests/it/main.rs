//! The crate's integration tests, in one binary.

mod conformance;
mod mutations;
mod paths_intrinsics;
mod validator_checks;
