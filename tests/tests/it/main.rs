//! The crate's integration tests, in one binary.

mod compiletest;
mod macros_design;
mod macros_states;
mod readme;
