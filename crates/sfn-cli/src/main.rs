//! The `sfn` command: validate, run and manage AWS Step Functions state machines.
//!
//! The management commands (`register`, `deregister`, `start`, `stop`, `describe`,
//! `history`, `executions`, `machines`, `activities`) talk to AWS or to any endpoint of
//! its API (`--endpoint URL`, `AWS_ENDPOINT_URL`), print text or `--format json`, and
//! exit with 0 when done, 1 when an execution did not succeed (`start --wait`), 2 on bad
//! input, 3 when the service refused or could not be reached.

use std::{io::Write, process::ExitCode};

use clap::{Parser, Subcommand};

mod endpoint;
mod executions;
mod export;
mod failure;
mod graph;
mod manage;
mod outcome;
mod output;
mod progress;
mod run;
mod serve;
mod validate;

/// Validate, run, serve and draw AWS Step Functions state machines, and manage them on AWS
/// or any endpoint of its API.
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
    /// Prints the execution's status and its output or error (`--output json`: one line,
    /// `{"status", "output"}` or `{"status", "error", "cause"}`). Exit status: 0
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
    /// Write a machine for infrastructure as code: a CloudFormation or SAM template, a
    /// Terraform configuration, or the definition with `${…}` substitution variables.
    ///
    /// Activity placeholders become activities the template creates (`${ActivityX}`),
    /// Lambda functions template parameters defaulting to what the definition names
    /// (`${LambdaX}`), the role a parameter. Exit status: 0 written, 2 the definition is
    /// unreadable or invalid, or the name is not valid, 3 the service refused or could
    /// not be reached (`--machine`).
    Export(export::Args),
    /// Create or update a state machine from a definition file, with the activities it
    /// names; unchanged when it is registered as it is.
    ///
    /// The definition is checked first, as AWS checks it. Exit status: 0 done, 2 the
    /// file is unreadable or invalid, 3 the service refused or could not be reached.
    Register(manage::RegisterArgs),
    /// Delete a state machine and the activities its registration created.
    ///
    /// Exit status: 0 done, 3 the service refused (no such machine) or could not be
    /// reached.
    Deregister(manage::DeregisterArgs),
    /// Start an execution; with `--wait`, follow it to its end and print its result.
    ///
    /// Exit status: 0 started (with `--wait`: succeeded), 1 it did not succeed, 2 the
    /// input is unreadable or not JSON, 3 the service refused or could not be reached.
    Start(executions::StartArgs),
    /// Stop a running execution.
    Stop(executions::StopArgs),
    /// Describe an execution, a state machine or an activity.
    Describe(executions::DescribeArgs),
    /// Print an execution's history: each event with what matters for it (states,
    /// resources, errors with their causes, inputs and outputs).
    History(executions::HistoryArgs),
    /// List a state machine's executions.
    Executions(executions::ExecutionsArgs),
    /// List the state machines.
    Machines(manage::ListArgs),
    /// List the activities.
    Activities(manage::ListArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Validate(args) => validate::run(&args),
        Command::Run(args) => run::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Register(args) => manage::register(&args),
        Command::Deregister(args) => manage::deregister(&args),
        Command::Start(args) => executions::start(&args),
        Command::Stop(args) => executions::stop(&args),
        Command::Describe(args) => executions::describe(&args),
        Command::History(args) => executions::history(&args),
        Command::Executions(args) => executions::executions(&args),
        Command::Machines(args) => manage::machines(&args),
        Command::Activities(args) => manage::activities(&args),
        Command::Graph(args) => graph::run(&args),
        Command::Export(args) => export::run(&args),
        Command::Schema => {
            let schema = sfn_runtime::core::schema::definition_schema();
            let text = serde_json::to_string_pretty(&schema).unwrap_or_default();
            // A closed pipe (`sfn schema | head`) is not an error worth reporting.
            let _ = writeln!(std::io::stdout(), "{text}");
            ExitCode::SUCCESS
        }
    }
}
