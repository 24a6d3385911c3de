//! `sfn validate FILE…`

use std::{io::Write, path::PathBuf, process::ExitCode};

use clap::ValueEnum;
use sfn_runtime::core::{
    Diagnostics,
    model::ExecutionType,
    validate::{ValidateOptions, validate_str_with},
};

/// How to print diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// `file: /States/X/Next: error CODE: message`, one per line.
    Text,
    /// One JSON document: `[{"file", "valid", "diagnostics": [...]}]`.
    Json,
}

/// The type of the state machines being checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum MachineType {
    /// Standard workflows.
    Standard,
    /// Express workflows (no `.sync`, `.waitForTaskToken` or activities).
    Express,
}

impl MachineType {
    /// The type as the validator and the client take it.
    pub(crate) fn execution_type(self) -> ExecutionType {
        match self {
            MachineType::Standard => ExecutionType::Standard,
            MachineType::Express => ExecutionType::Express,
        }
    }
}

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The definitions to check.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Check as this type of state machine.
    #[arg(long = "type", value_enum, default_value_t = MachineType::Standard)]
    machine_type: MachineType,
    /// Report errors only.
    #[arg(long)]
    no_warnings: bool,
}

pub(crate) fn run(args: &Args) -> ExitCode {
    let options = ValidateOptions {
        machine_type: args.machine_type.execution_type(),
        warnings: !args.no_warnings,
    };
    let mut unreadable = false;
    let mut invalid = false;
    let mut report = Vec::new();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for file in &args.files {
        let name = file.display().to_string();
        let text = match std::fs::read_to_string(file) {
            Ok(t) => t,
            Err(e) => {
                unreadable = true;
                eprintln!("{name}: cannot read: {e}");
                report.push(serde_json::json!({"file": name, "valid": false, "error": format!("cannot read: {e}")}));
                continue;
            }
        };
        let (_, diags) = validate_str_with(&text, options);
        invalid |= !diags.is_valid();
        match args.format {
            Format::Text => print_text(&mut out, &name, &diags),
            Format::Json => report.push(
                serde_json::json!({"file": name, "valid": diags.is_valid(), "diagnostics": diags}),
            ),
        }
    }
    if args.format == Format::Json {
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        );
    }
    if unreadable {
        ExitCode::from(2)
    } else if invalid {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn print_text(out: &mut impl Write, name: &str, diags: &Diagnostics) {
    write_diagnostics(out, name, diags);
    let (errors, warnings) = (diags.errors().count(), diags.warnings().count());
    let verdict = if errors == 0 { "valid" } else { "invalid" };
    let _ = writeln!(out, "{name}: {verdict} ({})", counted(errors, warnings));
}

/// One line per diagnostic (`file: /States/X/Next: error CODE: message`), each note on
/// its own indented line below it.
pub(crate) fn write_diagnostics(out: &mut impl Write, name: &str, diags: &Diagnostics) {
    for d in diags {
        let _ = writeln!(
            out,
            "{name}: {}: {} {}: {}",
            d.location(),
            d.severity,
            d.code,
            d.message
        );
        for note in &d.notes {
            let _ = writeln!(out, "    note: {note}");
        }
    }
}

/// `1 error, 2 warnings`.
pub(crate) fn counted(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, one: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {one}s")
        }
    };
    format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_are_singular_or_plural() {
        assert_eq!(super::counted(1, 1), "1 error, 1 warning");
        assert_eq!(super::counted(0, 2), "0 errors, 2 warnings");
    }
}
