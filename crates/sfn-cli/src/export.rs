//! `sfn export DEF --format cloudformation|sam|terraform|asl [--name NAME]
//! [--type standard|express] [--role-arn ARN] [-o FILE]`, or `sfn export --machine NAME
//! [--endpoint URL] --format …`: a machine for infrastructure as code.
//!
//! A definition file's activity placeholders (`arn:aws:states:::activity:NAME`) become
//! activities the template creates. A registered machine's definition names its
//! activities by ARN: those of the machine's own region and account (the ones
//! registering it created) become placeholders again, so that the template creates them
//! wherever it is deployed; activities of other regions or accounts stay as they are.

use std::{path::PathBuf, process::ExitCode};

use clap::ValueEnum;
use sfn_runtime::core::{
    StateMachine,
    definition::restore_activity_placeholders,
    export::{ExportFormat, ExportOptions, SubstitutionKind, export, with_substitutions},
    model::ExecutionType,
    validate::{ValidateOptions, validate_str_with},
};

use crate::{endpoint::Endpoint, failure::Failure, output, run, validate::MachineType};

/// What `sfn export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// An AWS CloudFormation template (YAML) creating the machine and its activities.
    #[value(alias = "cfn")]
    Cloudformation,
    /// An AWS SAM template (YAML), an `AWS::Serverless::StateMachine` and its activities.
    Sam,
    /// A Terraform configuration (HCL) for the `hashicorp/aws` provider.
    #[value(alias = "tf")]
    Terraform,
    /// The definition with `${…}` substitution variables where activities and Lambda
    /// functions were (for the CDK's `definitionSubstitutions`, SAM's `DefinitionUri`).
    Asl,
}

impl Format {
    fn export_format(self) -> ExportFormat {
        match self {
            Format::Cloudformation => ExportFormat::CloudFormation,
            Format::Sam => ExportFormat::Sam,
            Format::Terraform => ExportFormat::Terraform,
            Format::Asl => ExportFormat::Asl,
        }
    }
}

/// `sfn export`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The definition, in the Amazon States Language (`orders.asl.json`).
    #[arg(required_unless_present = "machine", conflicts_with = "machine")]
    definition: Option<PathBuf>,
    /// Export a registered state machine instead, by name or ARN, as `DescribeStateMachine`
    /// gives it (from AWS, or the endpoint of `--endpoint`).
    #[arg(long, value_name = "NAME")]
    machine: Option<String>,
    /// What to write.
    #[arg(long, value_enum)]
    format: Format,
    /// The machine's name. Default: the file's, as `sfn run` names it (`orders` for
    /// `orders.asl.json`); with `--machine`, the registered machine's.
    #[arg(long)]
    name: Option<String>,
    /// The type of the machine. Default: standard; with `--machine`, the registered
    /// machine's.
    #[arg(long = "type", value_enum)]
    machine_type: Option<MachineType>,
    /// The default of the template's role parameter. Default: none (the deployer gives
    /// one); with `--machine`, the registered machine's role.
    #[arg(long, value_name = "ARN")]
    role_arn: Option<String>,
    #[command(flatten)]
    endpoint: Endpoint,
    /// Write to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

/// A machine to export.
struct Machine {
    name: String,
    definition: StateMachine,
    machine_type: ExecutionType,
    role_arn: Option<String>,
}

/// `sfn export`: exit status 0 written, 2 bad input (an unreadable or invalid definition,
/// an invalid name, a file that cannot be written), 3 the service refused or could not be
/// reached (`--machine`).
pub(crate) fn run(args: &Args) -> ExitCode {
    match (&args.machine, &args.definition) {
        (Some(name_or_arn), _) => args.endpoint.run("export", |sfn| async move {
            let info = sfn.describe_state_machine(name_or_arn).await?;
            let machine_type = args
                .machine_type
                .map_or(info.machine_type, MachineType::execution_type);
            let mut definition = read(&info.state_machine_arn, &info.definition, machine_type)?;
            if let Some((region, account)) = region_and_account(&info.state_machine_arn) {
                restore_activity_placeholders(&mut definition, region, account);
            }
            let role_arn = args
                .role_arn
                .clone()
                .or_else(|| Some(info.role_arn.clone()).filter(|r| !r.is_empty()));
            Ok(write(
                args,
                Machine {
                    name: args.name.clone().unwrap_or(info.name),
                    definition,
                    machine_type,
                    role_arn,
                },
            ))
        }),
        (None, Some(path)) => match machine_of_file(args, path) {
            Ok(m) => write(args, m),
            Err(f) => f.report("export"),
        },
        // clap requires one of the two.
        (None, None) => {
            Failure::BadInput("a definition file or --machine is needed".into()).report("export")
        }
    }
}

/// The machine of a definition file.
fn machine_of_file(args: &Args, path: &std::path::Path) -> Result<Machine, Failure> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::BadInput(format!("{file}: cannot read: {e}")))?;
    let machine_type = args
        .machine_type
        .map_or(ExecutionType::Standard, MachineType::execution_type);
    Ok(Machine {
        name: match &args.name {
            Some(n) => n.clone(),
            None => run::machine_name(path).map_err(Failure::BadInput)?,
        },
        definition: read(&file, &text, machine_type)?,
        machine_type,
        role_arn: args.role_arn.clone(),
    })
}

/// A definition, checked as AWS checks it; its diagnostics on standard error otherwise.
fn read(source: &str, text: &str, machine_type: ExecutionType) -> Result<StateMachine, Failure> {
    let options = ValidateOptions {
        machine_type,
        warnings: false,
    };
    match validate_str_with(text, options) {
        (Some(m), diags) if diags.is_valid() => Ok(m),
        (_, diags) => {
            run::report_invalid(source, &diags, false);
            Err(Failure::Reported)
        }
    }
}

/// The region and account of an ARN (`arn:PARTITION:SERVICE:REGION:ACCOUNT:…`).
fn region_and_account(arn: &str) -> Option<(&str, &str)> {
    let mut parts = arn.splitn(6, ':');
    match (parts.next(), parts.nth(2), parts.next()) {
        (Some("arn"), Some(region), Some(account)) => Some((region, account)),
        _ => None,
    }
}

/// Writes the export where `-o` says, or to standard output; for `asl`, says on standard
/// error what each substitution variable stands for.
fn write(args: &Args, m: Machine) -> ExitCode {
    let mut options = ExportOptions::new();
    if let Some(role) = m.role_arn {
        options = options.role_arn(role);
    }
    let format = args.format.export_format();
    let text = match export(format, &m.name, &m.definition, m.machine_type, &options) {
        Ok(t) => t,
        Err(e) => return Failure::BadInput(e.to_string()).report("export"),
    };
    match &args.output {
        Some(path) => {
            if let Err(e) = std::fs::write(path, &text) {
                return Failure::BadInput(format!("{}: cannot write: {e}", path.display()))
                    .report("export");
            }
        }
        None => output::print(&text),
    }
    if format == ExportFormat::Asl {
        for s in with_substitutions(&m.definition).substitutions {
            let what = match s.kind {
                SubstitutionKind::Activity => format!("the ARN of the activity {}", s.value),
                _ => format!("the Lambda function {}", s.value),
            };
            eprintln!("{}: {what}", s.placeholder());
        }
    }
    ExitCode::SUCCESS
}
