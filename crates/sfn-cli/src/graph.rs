//! `sfn graph DEF [--format svg|mermaid|dot] [--history FILE | --execution ARN] [-o FILE]`

use std::{io::Write, path::PathBuf, process::ExitCode};

use clap::ValueEnum;
use sfn_graph::{ExecutionOverlay, Graph, HistoryEvent};
use sfn_runtime::{
    client::Sfn,
    core::{
        StateMachine,
        model::ExecutionType,
        validate::{ValidateOptions, validate_str_with},
    },
};

/// The picture's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// A standalone SVG document, laid out by sfn itself.
    Svg,
    /// A Mermaid flowchart (for Markdown, GitHub, rustdoc).
    Mermaid,
    /// A Graphviz digraph (`dot -Tpng`).
    Dot,
}

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The definition.
    definition: PathBuf,
    /// Output format; by default the extension of `-o` (`.mmd`, `.md`: mermaid; `.dot`,
    /// `.gv`: dot), else svg.
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Overlay an execution: a JSON file of GetExecutionHistory's output
    /// (`{"events": [...]}`, as `aws stepfunctions get-execution-history` prints it).
    #[arg(long, value_name = "FILE", conflicts_with = "execution")]
    history: Option<PathBuf>,
    /// Overlay an execution: its history read from AWS, or from the endpoint of
    /// `--endpoint` or `AWS_ENDPOINT_URL`.
    #[arg(long, value_name = "ARN")]
    execution: Option<String>,
    /// The endpoint to read `--execution`'s history from (`sfn serve`'s URL, say).
    #[arg(long, value_name = "URL", requires = "execution")]
    endpoint: Option<String>,
    /// Write the picture to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

/// Why `sfn graph` stopped, with its exit status.
struct Stop(u8, String);

pub(crate) fn run(args: &Args) -> ExitCode {
    match draw(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Stop(code, message)) => {
            eprintln!("sfn graph: {message}");
            ExitCode::from(code)
        }
    }
}

fn draw(args: &Args) -> Result<(), Stop> {
    let machine = read_machine(args)?;
    let mut graph = Graph::from_machine(&machine);
    let events = match (&args.history, &args.execution) {
        (Some(path), _) => Some(read_history(path)?),
        (None, Some(arn)) => Some(fetch_history(arn, args.endpoint.as_deref())?),
        (None, None) => None,
    };
    if let Some(events) = events {
        graph = graph.with_execution(&ExecutionOverlay::new(&machine, &events));
    }
    let text = graph.render(match format(args) {
        Format::Svg => sfn_graph::Format::Svg,
        Format::Mermaid => sfn_graph::Format::Mermaid,
        Format::Dot => sfn_graph::Format::Dot,
    });
    match &args.output {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| Stop(2, format!("{}: cannot write: {e}", path.display()))),
        None => {
            // A closed pipe (`sfn graph … | head`) is not an error worth reporting.
            let _ = std::io::stdout().write_all(text.as_bytes());
            Ok(())
        }
    }
}

fn format(args: &Args) -> Format {
    if let Some(f) = args.format {
        return f;
    }
    let ext = args
        .output
        .as_ref()
        .and_then(|p| p.extension())
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("mmd" | "mermaid" | "md") => Format::Mermaid,
        Some("dot" | "gv") => Format::Dot,
        _ => Format::Svg,
    }
}

fn read_machine(args: &Args) -> Result<StateMachine, Stop> {
    let file = args.definition.display().to_string();
    let text = std::fs::read_to_string(&args.definition)
        .map_err(|e| Stop(2, format!("{file}: cannot read: {e}")))?;
    let options = ValidateOptions {
        machine_type: ExecutionType::Standard,
        warnings: false,
    };
    let (machine, diags) = validate_str_with(&text, options);
    match machine {
        Some(m) if diags.is_valid() => Ok(m),
        _ => {
            // Warnings are off: these are the errors.
            let mut lines = Vec::new();
            crate::validate::write_diagnostics(&mut lines, &file, &diags);
            Err(Stop(
                2,
                format!(
                    "{file} is not a valid definition:\n{}",
                    String::from_utf8_lossy(&lines).trim_end()
                ),
            ))
        }
    }
}

fn read_history(path: &PathBuf) -> Result<Vec<HistoryEvent>, Stop> {
    let file = path.display().to_string();
    let text =
        std::fs::read_to_string(path).map_err(|e| Stop(2, format!("{file}: cannot read: {e}")))?;
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| Stop(2, format!("{file}: not JSON: {e}")))?;
    sfn_graph::events_from_history(&value).map_err(|e| Stop(2, format!("{file}: {e}")))
}

fn fetch_history(arn: &str, endpoint: Option<&str>) -> Result<Vec<HistoryEvent>, Stop> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Stop(2, format!("cannot start the runtime: {e}")))?;
    runtime.block_on(async {
        let sfn = match endpoint {
            Some(url) => Sfn::with_endpoint(url),
            None => Sfn::from_env()
                .await
                .map_err(|e| Stop(3, format!("no client: {e}")))?,
        };
        let history = sfn
            .execution(arn)
            .history()
            .await
            .map_err(|e| Stop(3, format!("cannot read the history of {arn}: {e}")))?;
        Ok(history
            .events
            .iter()
            .map(|e| HistoryEvent::new(e.id, e.previous_event_id, &e.event_type, &e.details))
            .collect())
    })
}
