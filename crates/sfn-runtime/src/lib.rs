//! Run AWS Step Functions state machines from Rust.

pub use sfn_core as core;

pub mod local;
