//! `sfn start`, `sfn stop`, `sfn describe`, `sfn history`, `sfn executions`: executions
//! on the service, and `describe` of any resource.

use std::{io::IsTerminal, process::ExitCode, time::Duration};

use clap::ValueEnum;
use futures_util::{StreamExt, TryStreamExt};
use serde_json::{Map, Value, json};
use sfn_runtime::client::{
    Error, ExecutionInfo, ExecutionStatus, ExecutionSummary, Sfn, StateMachineInfo,
};

use crate::{
    endpoint::Endpoint,
    failure::Failure,
    manage::activity_json,
    outcome::result_text,
    output::{self, Format, compact, date_json, date_text, fields, opt_date_json, table},
    progress::Progress,
    run::read_input,
};

/// How often the progress line is rewritten on a terminal.
const TICK: Duration = Duration::from_millis(250);

/// `sfn start MACHINE`.
#[derive(Debug, clap::Args)]
pub(crate) struct StartArgs {
    /// The state machine, by name or ARN (a version's or an alias's ARN too).
    machine: String,
    /// The execution input: JSON text, `@FILE` to read it from a file, `@-` from
    /// standard input.
    #[arg(long, value_name = "JSON|@FILE", default_value = "{}")]
    input: String,
    /// The execution's name (default: one the service makes up).
    #[arg(long)]
    name: Option<String>,
    /// Wait for the execution to end, showing its progress on standard error, and print
    /// its result as `sfn run` does; exit status 1 when it did not succeed.
    #[arg(long)]
    wait: bool,
    #[command(flatten)]
    endpoint: Endpoint,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// `sfn stop EXECUTION`.
#[derive(Debug, clap::Args)]
pub(crate) struct StopArgs {
    /// The execution, by ARN.
    execution: String,
    /// The error the execution ends with.
    #[arg(long)]
    error: Option<String>,
    /// Its cause.
    #[arg(long)]
    cause: Option<String>,
    #[command(flatten)]
    endpoint: Endpoint,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// `sfn describe ARN`.
#[derive(Debug, clap::Args)]
pub(crate) struct DescribeArgs {
    /// An execution's, a state machine's or an activity's ARN (or a state machine's or
    /// an activity's name).
    arn: String,
    #[command(flatten)]
    endpoint: Endpoint,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// `sfn history EXECUTION`.
#[derive(Debug, clap::Args)]
pub(crate) struct HistoryArgs {
    /// The execution, by ARN.
    execution: String,
    #[command(flatten)]
    endpoint: Endpoint,
    /// Output format: `text`, each event and its details; `json`, as
    /// `GetExecutionHistory` answers (`{"events": [...]}`).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// An execution status, as `--status` takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Status {
    /// Still running.
    Running,
    /// Ended with an output.
    Succeeded,
    /// Ended with an error.
    Failed,
    /// Ran longer than its machine allows.
    #[value(alias = "timed_out")]
    TimedOut,
    /// Stopped.
    Aborted,
    /// Redriven, not yet running again.
    #[value(alias = "pending_redrive")]
    PendingRedrive,
}

impl Status {
    fn execution_status(self) -> ExecutionStatus {
        match self {
            Status::Running => ExecutionStatus::Running,
            Status::Succeeded => ExecutionStatus::Succeeded,
            Status::Failed => ExecutionStatus::Failed,
            Status::TimedOut => ExecutionStatus::TimedOut,
            Status::Aborted => ExecutionStatus::Aborted,
            Status::PendingRedrive => ExecutionStatus::PendingRedrive,
        }
    }
}

/// `sfn executions MACHINE`.
#[derive(Debug, clap::Args)]
pub(crate) struct ExecutionsArgs {
    /// The state machine, by name or ARN.
    machine: String,
    /// Only the executions with this status.
    #[arg(long, value_enum, ignore_case = true)]
    status: Option<Status>,
    #[command(flatten)]
    endpoint: Endpoint,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// `sfn start`: starts an execution; with `--wait`, follows it to its end.
pub(crate) fn start(args: &StartArgs) -> ExitCode {
    let input = match read_input(&args.input) {
        Ok(i) => i,
        Err(m) => return Failure::BadInput(m).report("start"),
    };
    args.endpoint.run("start", |sfn| async move {
        let mut request = sfn.start_execution(&args.machine).input(input);
        if let Some(name) = &args.name {
            request = request.name(name.clone());
        }
        let execution = request.send().await?;
        let arn = execution.arn().to_owned();
        if !args.wait {
            match args.format {
                Format::Text => output::print(&format!("{arn}\n")),
                Format::Json => output::print_json(&json!({ "executionArn": arn })),
            }
            return Ok(ExitCode::SUCCESS);
        }
        eprintln!("sfn start: started {arn}");
        if resource_of(&arn) == Resource::Express {
            return Err(Failure::BadInput(format!(
                "{arn} is an Express execution, whose progress and result the service does not keep: start it without --wait"
            )));
        }
        let stderr = std::io::stderr();
        let terminal = stderr.is_terminal();
        let mut progress = Progress::new(stderr, terminal);
        {
            let events = execution.events();
            let mut events = std::pin::pin!(events);
            let mut tick = tokio::time::interval(TICK);
            loop {
                tokio::select! {
                    next = events.next() => match next {
                        Some(Ok(e)) => progress.event(&e),
                        // Following the history is only for show: the wait below tells
                        // how the execution ended, or why it cannot.
                        Some(Err(_)) | None => break,
                    },
                    _ = tick.tick(), if terminal => progress.tick(),
                }
            }
        }
        progress.finish();
        let info = execution.wait().await?;
        let mut result = result_json(&info);
        if let Value::Object(m) = &mut result {
            m.shift_insert(0, "executionArn".into(), Value::String(arn));
        }
        match args.format {
            Format::Text => output::print(&result_text(&result)),
            Format::Json => output::print(&format!("{result}\n")),
        }
        Ok(if info.status == ExecutionStatus::Succeeded {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        })
    })
}

/// `{"status", "output"}` or `{"status", "error", "cause"}`, as `sfn run` prints it.
fn result_json(info: &ExecutionInfo) -> Value {
    let mut m = Map::new();
    m.insert("status".into(), Value::String(info.status.as_str().into()));
    if let Some(text) = &info.output {
        let output = serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.clone()));
        m.insert("output".into(), output);
    }
    if !matches!(
        info.status,
        ExecutionStatus::Succeeded | ExecutionStatus::Running
    ) {
        let text = |t: &Option<String>| t.clone().map_or(Value::Null, Value::String);
        m.insert("error".into(), text(&info.error));
        m.insert("cause".into(), text(&info.cause));
    }
    Value::Object(m)
}

/// `sfn stop`: stops a running execution.
pub(crate) fn stop(args: &StopArgs) -> ExitCode {
    args.endpoint.run("stop", |sfn| async move {
        let execution = sfn.execution(&args.execution);
        let stopped = execution
            .stop(args.error.as_deref(), args.cause.as_deref())
            .await?;
        match args.format {
            Format::Text => output::print(&format!(
                "stopped {} at {}\n",
                args.execution,
                date_text(stopped)
            )),
            Format::Json => output::print_json(&json!({
                "executionArn": args.execution,
                "stopDate": date_json(stopped),
            })),
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// `sfn history`: an execution's events.
pub(crate) fn history(args: &HistoryArgs) -> ExitCode {
    args.endpoint.run("history", |sfn| async move {
        let history = sfn.execution(&args.execution).history().await?;
        match args.format {
            Format::Text => output::print(&history.display()),
            Format::Json => output::print_json(&history.to_json()),
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// `sfn executions`: a machine's executions, newest first.
pub(crate) fn executions(args: &ExecutionsArgs) -> ExitCode {
    args.endpoint.run("executions", |sfn: Sfn| async move {
        let status = args.status.map(Status::execution_status);
        let list: Vec<ExecutionSummary> = sfn
            .list_executions(&args.machine, status)
            .try_collect()
            .await?;
        match args.format {
            Format::Text => {
                let rows: Vec<Vec<String>> = list
                    .iter()
                    .map(|e| {
                        vec![
                            e.name.clone(),
                            e.status.to_string(),
                            date_text(e.start_date),
                            e.stop_date.map_or_else(|| "-".to_owned(), date_text),
                            e.execution_arn.clone(),
                        ]
                    })
                    .collect();
                output::print(&table(
                    &["NAME", "STATUS", "STARTED", "STOPPED", "ARN"],
                    &rows,
                ));
            }
            Format::Json => {
                let list: Vec<Value> = list
                    .iter()
                    .map(|e| {
                        let mut m = Map::new();
                        m.insert("executionArn".into(), json!(e.execution_arn));
                        m.insert("stateMachineArn".into(), json!(e.state_machine_arn));
                        m.insert("name".into(), json!(e.name));
                        m.insert("status".into(), json!(e.status.as_str()));
                        m.insert("startDate".into(), date_json(e.start_date));
                        if e.stop_date.is_some() {
                            m.insert("stopDate".into(), opt_date_json(e.stop_date));
                        }
                        Value::Object(m)
                    })
                    .collect();
                output::print_json(&json!({ "executions": list }));
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// What an ARN names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Resource {
    Execution,
    /// An Express execution, which `DescribeExecution` and `GetExecutionHistory` do not
    /// know.
    Express,
    StateMachine,
    Activity,
    /// A name, or an ARN of another kind: a state machine's name, else an activity's.
    Other,
}

/// The kind of resource `arn` names (`arn:aws:states:REGION:ACCOUNT:KIND:…`).
fn resource_of(arn: &str) -> Resource {
    match arn.split(':').nth(5) {
        Some("execution") if arn.starts_with("arn:") => Resource::Execution,
        Some("express") if arn.starts_with("arn:") => Resource::Express,
        Some("stateMachine") if arn.starts_with("arn:") => Resource::StateMachine,
        Some("activity") if arn.starts_with("arn:") => Resource::Activity,
        _ => Resource::Other,
    }
}

/// `sfn describe`: an execution, a state machine or an activity.
pub(crate) fn describe(args: &DescribeArgs) -> ExitCode {
    args.endpoint.run("describe", |sfn: Sfn| async move {
        let what = args.arn.as_str();
        let (text, json) = match resource_of(what) {
            Resource::Execution | Resource::Express => {
                let info = sfn.execution(what).describe().await?;
                (execution_text(&info), execution_json(&info))
            }
            Resource::StateMachine => {
                let info = sfn.describe_state_machine(what).await?;
                (machine_text(&info), machine_json(&info))
            }
            Resource::Activity => {
                let info = sfn.describe_activity(what).await?;
                (activity_text(&info), activity_json(&info))
            }
            Resource::Other => match sfn.describe_state_machine(what).await {
                Ok(info) => (machine_text(&info), machine_json(&info)),
                Err(Error::StateMachineDoesNotExist { .. }) => {
                    let info = sfn.describe_activity(what).await.map_err(|_| {
                        Failure::Service(format!("no state machine or activity is named '{what}'"))
                    })?;
                    (activity_text(&info), activity_json(&info))
                }
                Err(e) => return Err(e.into()),
            },
        };
        match args.format {
            Format::Text => output::print(&text),
            Format::Json => output::print_json(&json),
        }
        Ok(ExitCode::SUCCESS)
    })
}

fn execution_text(e: &ExecutionInfo) -> String {
    fields(&[
        ("execution", Some(e.execution_arn.clone())),
        ("name", Some(e.name.clone())),
        ("state machine", Some(e.state_machine_arn.clone())),
        ("version", e.state_machine_version_arn.clone()),
        ("alias", e.state_machine_alias_arn.clone()),
        ("map run", e.map_run_arn.clone()),
        ("status", Some(e.status.to_string())),
        ("started", Some(date_text(e.start_date))),
        ("stopped", e.stop_date.map(date_text)),
        (
            "redrives",
            (e.redrive_count > 0).then(|| e.redrive_count.to_string()),
        ),
        ("input", e.input.as_deref().map(compact)),
        ("output", e.output.as_deref().map(compact)),
        ("error", e.error.clone()),
        ("cause", e.cause.clone()),
    ])
}

/// An execution as `DescribeExecution` answers it (members that are not set left out).
fn execution_json(e: &ExecutionInfo) -> Value {
    let mut m = Map::new();
    m.insert("executionArn".into(), json!(e.execution_arn));
    m.insert("stateMachineArn".into(), json!(e.state_machine_arn));
    m.insert("name".into(), json!(e.name));
    m.insert("status".into(), json!(e.status.as_str()));
    m.insert("startDate".into(), date_json(e.start_date));
    let optional = [
        ("stopDate", e.stop_date.map(date_json)),
        ("input", e.input.clone().map(Value::String)),
        ("output", e.output.clone().map(Value::String)),
        ("error", e.error.clone().map(Value::String)),
        ("cause", e.cause.clone().map(Value::String)),
        (
            "stateMachineVersionArn",
            e.state_machine_version_arn.clone().map(Value::String),
        ),
        (
            "stateMachineAliasArn",
            e.state_machine_alias_arn.clone().map(Value::String),
        ),
        ("mapRunArn", e.map_run_arn.clone().map(Value::String)),
    ];
    for (k, v) in optional {
        if let Some(v) = v {
            m.insert(k.into(), v);
        }
    }
    m.insert("redriveCount".into(), json!(e.redrive_count));
    Value::Object(m)
}

fn machine_text(m: &StateMachineInfo) -> String {
    let definition = serde_json::from_str::<Value>(&m.definition)
        .ok()
        .and_then(|d| serde_json::to_string_pretty(&d).ok())
        .unwrap_or_else(|| m.definition.clone());
    fields(&[
        ("state machine", Some(m.state_machine_arn.clone())),
        ("name", Some(m.name.clone())),
        ("type", Some(m.machine_type.as_str().to_owned())),
        ("status", m.status.clone()),
        ("role", Some(m.role_arn.clone())),
        ("created", Some(date_text(m.creation_date))),
        ("revision", m.revision_id.clone()),
        ("description", m.description.clone()),
        ("logging", Some(m.logging.level.as_str().to_owned())),
        (
            "tracing",
            Some(if m.tracing { "on" } else { "off" }.to_owned()),
        ),
        ("definition", Some(definition)),
    ])
}

/// A state machine as `DescribeStateMachine` answers it.
fn machine_json(m: &StateMachineInfo) -> Value {
    let destinations: Vec<Value> = m
        .logging
        .destinations
        .iter()
        .map(|d| json!({"cloudWatchLogsLogGroup": {"logGroupArn": d}}))
        .collect();
    let mut v = Map::new();
    v.insert("stateMachineArn".into(), json!(m.state_machine_arn));
    v.insert("name".into(), json!(m.name));
    if let Some(s) = &m.status {
        v.insert("status".into(), json!(s));
    }
    v.insert("definition".into(), json!(m.definition));
    v.insert("roleArn".into(), json!(m.role_arn));
    v.insert("type".into(), json!(m.machine_type.as_str()));
    v.insert("creationDate".into(), date_json(m.creation_date));
    v.insert(
        "loggingConfiguration".into(),
        json!({
            "level": m.logging.level.as_str(),
            "includeExecutionData": m.logging.include_execution_data,
            "destinations": destinations,
        }),
    );
    v.insert("tracingConfiguration".into(), json!({"enabled": m.tracing}));
    if let Some(r) = &m.revision_id {
        v.insert("revisionId".into(), json!(r));
    }
    if let Some(d) = &m.description {
        v.insert("description".into(), json!(d));
    }
    Value::Object(v)
}

fn activity_text(a: &sfn_runtime::client::ActivityInfo) -> String {
    fields(&[
        ("activity", Some(a.activity_arn.clone())),
        ("name", Some(a.name.clone())),
        ("created", Some(date_text(a.creation_date))),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns_say_what_they_name() {
        let arn = |kind: &str| format!("arn:aws:states:us-east-1:123456789012:{kind}:x");
        assert_eq!(resource_of(&arn("execution")), Resource::Execution);
        assert_eq!(resource_of(&arn("express")), Resource::Express);
        assert_eq!(resource_of(&arn("stateMachine")), Resource::StateMachine);
        assert_eq!(resource_of(&arn("activity")), Resource::Activity);
        assert_eq!(resource_of("orders"), Resource::Other);
    }
}
