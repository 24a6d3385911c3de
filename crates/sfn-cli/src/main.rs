//! The `sfn` command: validate, run and manage AWS Step Functions state machines.

use std::{io::Write, process::ExitCode};

use clap::{Parser, Subcommand};

mod graph;
mod run;
mod serve;
mod validate;

/// Validate, run and manage AWS Step Functions state machines.
#[derive(Debug, Parser)]
#[command(name = "sfn", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check definitions as strictly as AWS does, reporting every problem with its JSON Pointer.
    ///
    /// Exit status: 0 when every file is valid, 1 when any is invalid, 2 when any cannot be read.
    Validate(validate::Args),
    /// Run a definition on the embedded engine (no AWS account needed).
    ///
    /// Prints `{"status", "output"}` or `{"status", "error", "cause"}`. Exit status: 0
    /// when the execution succeeded, 1 when it ended otherwise, 2 when the definition,
    /// the input or the mocks are unreadable or invalid.
    Run(run::Args),
    /// Serve the AWS Step Functions API on a local endpoint, in front of the embedded
    /// engine: point the AWS CLI or any AWS SDK at it with `--endpoint-url`.
    ///
    /// AWS JSON 1.0 over HTTP/1.1, as AWS speaks it; any credentials are accepted. Logs
    /// one line per request on standard error (operation, status, duration) unless
    /// `-q`. Ctrl-C or SIGTERM stops it cleanly: requests in flight finish, held
    /// `GetActivityTask` calls answer with no task. Exit status: 0 after a clean stop,
    /// 2 when the address cannot be bound, the mock configuration is unreadable or
    /// `--faults` is not valid.
    Serve(serve::Args),
    /// Draw a definition as SVG, Mermaid or DOT, an execution overlaid: exit status 0,
    /// 2 when an input is unreadable or invalid, 3 when the history cannot be fetched.
    Graph(graph::Args),
    /// Print the JSON Schema of state machine definitions.
    Schema,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Validate(args) => validate::run(&args),
        Command::Run(args) => run::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Graph(args) => graph::run(&args),
        Command::Schema => {
            let schema = sfn_runtime::core::schema::definition_schema();
            let text = serde_json::to_string_pretty(&schema).unwrap_or_default();
            // A closed pipe (`sfn schema | head`) is not an error worth reporting.
            let _ = writeln!(std::io::stdout(), "{text}");
            ExitCode::SUCCESS
        }
    }
}
