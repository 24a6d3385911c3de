//! The `sfn` command.
fn main() {}
