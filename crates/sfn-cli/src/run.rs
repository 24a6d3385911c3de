//! `sfn run DEF`: run a definition on the embedded engine.

use std::{
    io::{Read, Write},
    path::{Path, PathBuf},
    process::ExitCode,
    sync::Arc,
};

use clap::ValueEnum;
use serde_json::Value;
use sfn_runtime::{
    core::{
        Diagnostics, StateMachine,
        model::{ExecutionType, State},
        validate::{ValidateOptions, validate_str_with},
    },
    local::{
        EventDetails, ExecutionDescription, ExecutionStatus, FolderObjectStore, History,
        LocalEngine, MockConfig, Mocks, StartExecution, VirtualClock,
    },
};

/// Where the engine's time comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ClockKind {
    /// The system clock: a Wait of an hour takes an hour.
    System,
    /// A virtual clock: Waits, retry intervals and timeouts pass at once.
    Virtual,
}

/// How to print the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Output {
    /// A readable summary.
    Text,
    /// One line of JSON: `{"status", "output"}` or `{"status", "error", "cause"}`, with
    /// `"history"` under `--history`.
    Json,
}

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The definition; the machine is named after the file (`orders` for
    /// `orders.asl.json`), the name looked up under `StateMachines` in the mock file.
    definition: PathBuf,
    /// The execution input: JSON text, `@FILE` to read it from a file, `@-` from
    /// standard input.
    #[arg(long, value_name = "JSON|@FILE", default_value = "{}")]
    input: String,
    /// A mock configuration file, in the MockConfigFile format of AWS Step Functions
    /// Local: Task states answered by mocked responses instead of real services.
    #[arg(long, value_name = "FILE", requires = "test_case")]
    mocks: Option<PathBuf>,
    /// The test case of the mock file to run (under `StateMachines/<machine>/TestCases`).
    #[arg(long, value_name = "NAME", requires = "mocks")]
    test_case: Option<String>,
    /// `virtual` makes Waits, retry intervals and timeouts pass instantly.
    #[arg(long, value_enum, value_name = "CLOCK", default_value_t = ClockKind::System)]
    clock: ClockKind,
    /// A folder standing in for S3: distributed Maps read their `ItemReader` objects
    /// from `DIR/BUCKET/KEY` and write their `ResultWriter` files there.
    #[arg(long, value_name = "DIR")]
    objects: Option<PathBuf>,
    /// Also print the execution history.
    #[arg(long)]
    history: bool,
    /// Output format (`--format` is the same option, as the other commands spell it).
    #[arg(long, visible_alias = "format", value_enum, default_value_t = Output::Text)]
    output: Output,
}

/// Why the execution could not be started: exit status 2.
enum Refusal {
    /// A message for standard error.
    Message(String),
    /// The definition is invalid: its diagnostics.
    Invalid(Diagnostics),
}

impl From<String> for Refusal {
    fn from(message: String) -> Self {
        Refusal::Message(message)
    }
}

/// What `sfn run` needs to start the execution.
struct Prepared {
    name: String,
    machine: StateMachine,
    input: Value,
    mocks: Option<Mocks>,
}

pub(crate) fn run(args: &Args) -> ExitCode {
    let file = args.definition.display().to_string();
    let prepared = match prepare(args) {
        Ok(p) => p,
        Err(Refusal::Message(m)) => {
            eprintln!("sfn run: {m}");
            return ExitCode::from(2);
        }
        Err(Refusal::Invalid(diags)) => {
            report_invalid(&file, &diags, args.output == Output::Json);
            return ExitCode::from(2);
        }
    };
    // One thread is enough for one execution, and starts faster than a pool.
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("sfn run: cannot start the runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(execute(prepared, args.clock, args.objects.clone())) {
        Ok((done, history)) => {
            print_result(&done, args.history.then_some(&history), args.output);
            if done.status == ExecutionStatus::Succeeded {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(m) => {
            eprintln!("sfn run: {m}");
            ExitCode::from(2)
        }
    }
}

fn prepare(args: &Args) -> Result<Prepared, Refusal> {
    let file = args.definition.display().to_string();
    let name = machine_name(&args.definition)?;
    let text = std::fs::read_to_string(&args.definition)
        .map_err(|e| format!("{file}: cannot read: {e}"))?;
    let options = ValidateOptions {
        machine_type: ExecutionType::Standard,
        warnings: true,
    };
    let (machine, diags) = validate_str_with(&text, options);
    let machine = match machine {
        Some(m) if diags.is_valid() => m,
        _ => return Err(Refusal::Invalid(diags)),
    };
    let input = read_input(&args.input)?;
    let mocks = match (&args.mocks, &args.test_case) {
        (Some(path), Some(case)) => {
            let config = MockConfig::from_file(path).map_err(|e| e.to_string())?;
            let mocks = config.mocks(&name, case).map_err(|e| e.to_string())?;
            let tasks = task_states(&machine);
            for state in mocks.states() {
                if !tasks.iter().any(|t| t == state) {
                    eprintln!(
                        "sfn run: warning: the test case '{case}' mocks '{state}', which is not a Task state of '{name}'"
                    );
                }
            }
            Some(mocks)
        }
        _ => None,
    };
    Ok(Prepared {
        name,
        machine,
        input,
        mocks,
    })
}

async fn execute(
    prepared: Prepared,
    clock: ClockKind,
    objects: Option<PathBuf>,
) -> Result<(ExecutionDescription, History), String> {
    let mut builder = LocalEngine::builder();
    if let ClockKind::Virtual = clock {
        builder = builder.clock(Arc::new(VirtualClock::new(chrono::Utc::now())));
    }
    if let Some(dir) = objects {
        builder = builder.object_store(Arc::new(FolderObjectStore::new(dir)));
    }
    let engine = builder.build();
    let name = &prepared.name;
    let arn = engine
        .create_state_machine(name, prepared.machine)
        .map_err(|e| format!("state machine '{name}': {e}"))?;
    let mut start = StartExecution::new(prepared.input);
    if let Some(m) = prepared.mocks {
        start = start.mocks(m);
    }
    let run = engine
        .start_execution(&arn, start)
        .await
        .map_err(|e| e.to_string())?;
    let done = run.wait().await.map_err(|e| e.to_string())?;
    Ok((done, run.history()))
}

/// `orders` for `orders.asl.json` or `orders.json`.
pub(crate) fn machine_name(path: &Path) -> Result<String, String> {
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .ok_or_else(|| format!("{}: not a file name", path.display()))?;
    let stem = file.strip_suffix(".json").unwrap_or(&file);
    let stem = stem.strip_suffix(".asl").unwrap_or(stem);
    if stem.is_empty() {
        return Err(format!(
            "{}: cannot name the state machine after the file",
            path.display()
        ));
    }
    Ok(stem.to_owned())
}

/// The input: JSON text, `@FILE`, or `@-` for standard input.
pub(crate) fn read_input(arg: &str) -> Result<Value, String> {
    let (text, source) = match arg.strip_prefix('@') {
        Some("-") => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| format!("--input @-: cannot read standard input: {e}"))?;
            (text, "standard input".to_owned())
        }
        Some(path) => (
            std::fs::read_to_string(path)
                .map_err(|e| format!("--input {arg}: cannot read: {e}"))?,
            path.to_owned(),
        ),
        None => (arg.to_owned(), "--input".to_owned()),
    };
    serde_json::from_str(&text).map_err(|e| format!("{source}: the input is not valid JSON: {e}"))
}

/// The names of the Task states, at every depth (Map processors, Parallel branches).
fn task_states(machine: &StateMachine) -> Vec<String> {
    let mut out = Vec::new();
    let mut pending: Vec<(&str, &State)> = machine
        .states
        .iter()
        .map(|(n, s)| (n.as_str(), s))
        .collect();
    while let Some((name, state)) = pending.pop() {
        if matches!(state, State::Task(_)) {
            out.push(name.to_owned());
        }
        for (_, scope) in state.nested() {
            pending.extend(scope.states.iter().map(|(n, s)| (n.as_str(), s)));
        }
    }
    out
}

/// Prints the diagnostics of an invalid definition as `sfn validate` does: on standard
/// error, and with `--output json` as `{"file", "valid", "diagnostics"}` on standard
/// output.
pub(crate) fn report_invalid(file: &str, diags: &Diagnostics, json: bool) {
    let mut err = std::io::stderr().lock();
    crate::validate::write_diagnostics(&mut err, file, diags);
    let (errors, warnings) = (diags.errors().count(), diags.warnings().count());
    let _ = writeln!(
        err,
        "{file}: invalid ({})",
        crate::validate::counted(errors, warnings)
    );
    if json {
        let report = serde_json::json!({"file": file, "valid": false, "diagnostics": diags});
        let _ = writeln!(std::io::stdout().lock(), "{report}");
    }
}

fn print_result(done: &ExecutionDescription, history: Option<&History>, output: Output) {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match output {
        Output::Json => {
            let mut result = done.to_json();
            if let (Some(h), Value::Object(m)) = (history, &mut result) {
                m.insert("history".into(), h.to_json());
            }
            let _ = writeln!(out, "{result}");
        }
        Output::Text => {
            if let Some(h) = history {
                let _ = writeln!(out, "history:");
                let _ = write!(out, "{}", history_text(h));
                let _ = writeln!(out);
            }
            let _ = write!(out, "{}", crate::outcome::result_text(&done.to_json()));
        }
    }
    // A closed pipe (`sfn run … | head`) is not an error worth reporting.
    let _ = out.flush();
}

/// One line per event: id, time since the start, type, and the state, resource or
/// error it is about.
fn history_text(history: &History) -> String {
    let start = history.events().first().map(|e| e.timestamp);
    let mut out = String::new();
    for e in history.events() {
        let elapsed = start
            .and_then(|s| (e.timestamp - s).to_std().ok())
            .unwrap_or_default();
        let about = match &e.details {
            EventDetails::StateEntered { name, .. } | EventDetails::StateExited { name, .. } => {
                name.to_string()
            }
            EventDetails::MapIteration { name, index } => format!("{name} #{index}"),
            // A service integration's events name its action (`invoke`): with its
            // service, the line says what was called (`lambda:invoke`).
            EventDetails::TaskScheduled {
                resource,
                resource_type,
                ..
            } if !resource.starts_with("arn:") => format!("{resource_type}:{resource}"),
            EventDetails::TaskScheduled { resource, .. } => resource.to_string(),
            EventDetails::Failure { error, cause }
            | EventDetails::TaskFailed { error, cause, .. } => match (error, cause) {
                (Some(e), Some(c)) => format!("{e}: {c}"),
                (Some(e), None) => e.clone(),
                (None, Some(c)) => c.clone(),
                (None, None) => String::new(),
            },
            _ => String::new(),
        };
        let line = format!(
            "{:>5}  {:>12}  {:<28} {about}",
            e.id,
            elapsed_text(elapsed),
            e.event_type.as_str()
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// `+0.004s`, `+1m30s`, `+2h00m05s`.
pub(crate) fn elapsed_text(d: std::time::Duration) -> String {
    let secs = d.as_secs();
    if secs < 60 {
        format!("+{:.3}s", d.as_secs_f64())
    } else if secs < 3600 {
        format!("+{}m{:02}s", secs / 60, secs % 60)
    } else {
        format!("+{}h{:02}m{:02}s", secs / 3600, secs / 60 % 60, secs % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn machines_are_named_after_their_file() {
        assert_eq!(
            machine_name(Path::new("a/orders.asl.json")).ok().as_deref(),
            Some("orders")
        );
        assert_eq!(
            machine_name(Path::new("orders.json")).ok().as_deref(),
            Some("orders")
        );
        assert_eq!(
            machine_name(Path::new("orders")).ok().as_deref(),
            Some("orders")
        );
        assert!(machine_name(Path::new(".json")).is_err());
    }

    #[test]
    fn elapsed_times() {
        use std::time::Duration;
        assert_eq!(elapsed_text(Duration::from_millis(4)), "+0.004s");
        assert_eq!(elapsed_text(Duration::from_secs(90)), "+1m30s");
        assert_eq!(elapsed_text(Duration::from_secs(7205)), "+2h00m05s");
    }

    #[test]
    fn input_is_json_text() {
        assert_eq!(
            read_input(r#"{"a": 1}"#).ok(),
            Some(serde_json::json!({"a": 1}))
        );
        assert!(read_input("{").is_err());
        assert!(read_input("@/nonexistent/input.json").is_err());
    }
}
