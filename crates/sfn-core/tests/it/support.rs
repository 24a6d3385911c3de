//! Helpers of the crate's integration tests, written once. The conformance corpus and the
//! rule for its absence are shared with the other crates that read it.

#[path = "../../../../tests/support/shared.rs"]
mod shared;

#[path = "../../../../tests/support/conformance.rs"]
mod conformance;

pub(crate) use conformance::{cases, corpus};
