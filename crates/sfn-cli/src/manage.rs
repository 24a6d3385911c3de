//! `sfn register`, `sfn deregister`, `sfn machines`, `sfn activities`: state machines
//! and activities on the service.

use std::{path::PathBuf, process::ExitCode};

use futures_util::TryStreamExt;
use serde_json::{Value, json};
use sfn_runtime::{
    client::{ActivityInfo, Plan, Registration, Sfn, StateMachineSummary},
    core::validate::{ValidateOptions, validate_str_with},
};

use crate::{
    endpoint::Endpoint,
    failure::Failure,
    output::{self, Format, date_json, date_text, table},
    run, validate,
};

/// `sfn register DEF`.
#[derive(Debug, clap::Args)]
pub(crate) struct RegisterArgs {
    /// The definition, in the Amazon States Language (`orders.asl.json`).
    definition: PathBuf,
    /// The machine's name. Default: the file's, as `sfn run` names it (`orders` for
    /// `orders.asl.json`).
    #[arg(long)]
    name: Option<String>,
    /// The IAM role the machine's executions run as (AWS requires one; a local endpoint
    /// takes any).
    #[arg(long, value_name = "ARN")]
    role_arn: Option<String>,
    /// The type of the machine.
    #[arg(long = "type", value_enum, default_value_t = validate::MachineType::Standard)]
    machine_type: validate::MachineType,
    /// Show what would change, change nothing.
    #[arg(long)]
    dry_run: bool,
    #[command(flatten)]
    endpoint: Endpoint,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// `sfn deregister NAME`.
#[derive(Debug, clap::Args)]
pub(crate) struct DeregisterArgs {
    /// The state machine, by name or ARN.
    machine: String,
    #[command(flatten)]
    endpoint: Endpoint,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// `sfn machines` and `sfn activities`.
#[derive(Debug, clap::Args)]
pub(crate) struct ListArgs {
    #[command(flatten)]
    endpoint: Endpoint,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// `sfn register`: checks the definition here, then creates or updates the machine and
/// the activities it names.
pub(crate) fn register(args: &RegisterArgs) -> ExitCode {
    let (name, text) = match read_definition(args) {
        Ok(d) => d,
        Err(f) => return f.report("register"),
    };
    args.endpoint.run("register", |sfn| async move {
        let mut request = sfn
            .register_definition(&name, &text)
            .machine_type(args.machine_type.execution_type());
        if let Some(role) = &args.role_arn {
            request = request.role_arn(role);
        }
        if args.dry_run {
            let plan = request.dry_run().await?;
            match args.format {
                Format::Text => output::print(&with_newline(plan.to_string())),
                Format::Json => output::print_json(&plan_json(&plan)),
            }
        } else {
            let registration = request.send().await?;
            match args.format {
                Format::Text => output::print(&with_newline(registration.to_string())),
                Format::Json => output::print_json(&registration_json(&registration)),
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// `{"name", "outcome", "changes": [{"what", "before", "after"}]}`.
fn plan_json(plan: &Plan) -> Value {
    let changes: Vec<Value> = plan
        .changes
        .iter()
        .map(|c| json!({"what": c.what, "before": c.before, "after": c.after}))
        .collect();
    json!({
        "name": plan.name,
        "outcome": plan.outcome.as_str(),
        "dryRun": true,
        "changes": changes,
    })
}

/// `{"name", "stateMachineArn", "outcome", "activities": [{"name", "activityArn",
/// "created"}]}`, with `stateMachineVersionArn` when a version was published.
fn registration_json(r: &Registration) -> Value {
    let activities: Vec<Value> = r
        .activities
        .iter()
        .map(|a| json!({"name": a.name, "activityArn": a.activity_arn, "created": a.created}))
        .collect();
    let mut v = json!({
        "name": r.name,
        "stateMachineArn": r.state_machine_arn,
        "outcome": r.outcome.as_str(),
        "activities": activities,
    });
    if let (Some(version), Value::Object(m)) = (&r.state_machine_version_arn, &mut v) {
        m.insert("stateMachineVersionArn".into(), json!(version));
    }
    v
}

/// The machine's name and its definition, checked as AWS checks it.
fn read_definition(args: &RegisterArgs) -> Result<(String, String), Failure> {
    let file = args.definition.display().to_string();
    let name = match &args.name {
        Some(n) => n.clone(),
        None => run::machine_name(&args.definition).map_err(Failure::BadInput)?,
    };
    let text = std::fs::read_to_string(&args.definition)
        .map_err(|e| Failure::BadInput(format!("{file}: cannot read: {e}")))?;
    let options = ValidateOptions {
        machine_type: args.machine_type.execution_type(),
        warnings: false,
    };
    let (_, diags) = validate_str_with(&text, options);
    if !diags.is_valid() {
        run::report_invalid(&file, &diags, args.format == Format::Json);
        return Err(Failure::Reported);
    }
    Ok((name, text))
}

/// `sfn deregister`: deletes the machine and the activities its registration created;
/// a machine that does not exist is the service's refusal (exit status 3).
pub(crate) fn deregister(args: &DeregisterArgs) -> ExitCode {
    args.endpoint.run("deregister", |sfn| async move {
        let gone = sfn.deregister_machine(&args.machine).await?;
        if gone.state_machine_arn.is_none() {
            return Err(Failure::Service(format!(
                "StateMachineDoesNotExist: no state machine '{}'",
                args.machine
            )));
        }
        match args.format {
            Format::Text => output::print(&with_newline(gone.to_string())),
            Format::Json => output::print_json(&json!({
                "stateMachineArn": gone.state_machine_arn,
                "activitiesDeleted": gone.activities_deleted,
                "activitiesKept": gone.activities_kept,
            })),
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// `sfn machines`: every state machine.
pub(crate) fn machines(args: &ListArgs) -> ExitCode {
    args.endpoint.run("machines", |sfn: Sfn| async move {
        let machines: Vec<StateMachineSummary> = sfn.list_state_machines().try_collect().await?;
        match args.format {
            Format::Text => {
                let rows: Vec<Vec<String>> = machines
                    .iter()
                    .map(|m| {
                        vec![
                            m.name.clone(),
                            m.machine_type.as_str().to_owned(),
                            date_text(m.creation_date),
                            m.state_machine_arn.clone(),
                        ]
                    })
                    .collect();
                output::print(&table(&["NAME", "TYPE", "CREATED", "ARN"], &rows));
            }
            Format::Json => {
                let list: Vec<Value> = machines
                    .iter()
                    .map(|m| {
                        json!({
                            "stateMachineArn": m.state_machine_arn,
                            "name": m.name,
                            "type": m.machine_type.as_str(),
                            "creationDate": date_json(m.creation_date),
                        })
                    })
                    .collect();
                output::print_json(&json!({ "stateMachines": list }));
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// `sfn activities`: every activity.
pub(crate) fn activities(args: &ListArgs) -> ExitCode {
    args.endpoint.run("activities", |sfn: Sfn| async move {
        let activities: Vec<ActivityInfo> = sfn.list_activities().try_collect().await?;
        match args.format {
            Format::Text => {
                let rows: Vec<Vec<String>> = activities
                    .iter()
                    .map(|a| {
                        vec![
                            a.name.clone(),
                            date_text(a.creation_date),
                            a.activity_arn.clone(),
                        ]
                    })
                    .collect();
                output::print(&table(&["NAME", "CREATED", "ARN"], &rows));
            }
            Format::Json => {
                let list: Vec<Value> = activities.iter().map(activity_json).collect();
                output::print_json(&json!({ "activities": list }));
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// An activity as `DescribeActivity` answers it.
pub(crate) fn activity_json(a: &ActivityInfo) -> Value {
    json!({
        "activityArn": a.activity_arn,
        "name": a.name,
        "creationDate": date_json(a.creation_date),
    })
}

/// `text` ending with a newline.
fn with_newline(mut text: String) -> String {
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}
