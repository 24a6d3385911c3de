//! The crate's integration tests, in one binary.

mod support;

mod cli_export;
mod cli_graph;
mod cli_manage;
mod cli_run;
mod cli_serve;
mod cli_validate;
