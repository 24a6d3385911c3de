//! The `sfn` command: validate, run and manage AWS Step Functions state machines.

use std::{io::Write, process::ExitCode};

use clap::{Parser, Subcommand};

mod run;
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
    /// Print the JSON Schema of state machine definitions.
    Schema,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Validate(args) => validate::run(&args),
        Command::Run(args) => run::run(&args),
        Command::Schema => {
            let schema = sfn_runtime::core::schema::definition_schema();
            let text = serde_json::to_string_pretty(&schema).unwrap_or_default();
            // A closed pipe (`sfn schema | head`) is not an error worth reporting.
            let _ = writeln!(std::io::stdout(), "{text}");
            ExitCode::SUCCESS
        }
    }
}
