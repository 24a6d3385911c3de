//! Building state machines in Rust code.
