//! The crate's integration tests, in one binary.

mod support;

mod golden;
mod overlay;
mod svg_checks;
