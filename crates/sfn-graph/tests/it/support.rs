//! Helpers written once: the golden machines, their graphs, golden-file comparison.

use std::path::{Path, PathBuf};

use sfn_core::StateMachine;
use sfn_graph::{ExecutionOverlay, Graph, events_from_history};

/// The folder of golden files.
pub(crate) fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// Every golden machine's name (`every_state` for `every_state.asl.json`), sorted.
pub(crate) fn machines() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(golden_dir())
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.file_name()
                .to_str()
                .and_then(|n| n.strip_suffix(".asl.json"))
                .map(str::to_owned)
        })
        .collect();
    names.sort();
    names
}

/// A golden machine's definition.
pub(crate) fn machine(name: &str) -> StateMachine {
    let path = golden_dir().join(format!("{name}.asl.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.parse()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A golden machine's execution overlay, when it has a `NAME.history.json`.
pub(crate) fn overlay(name: &str, machine: &StateMachine) -> Option<ExecutionOverlay> {
    let path = golden_dir().join(format!("{name}.history.json"));
    let text = std::fs::read_to_string(&path).ok()?;
    let value: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let events = events_from_history(&value).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Some(ExecutionOverlay::new(machine, &events))
}

/// A golden machine's graph, its execution overlaid when it has one.
pub(crate) fn graph(name: &str) -> Graph {
    let m = machine(name);
    let g = Graph::from_machine(&m);
    match overlay(name, &m) {
        Some(o) => g.with_execution(&o),
        None => g,
    }
}

/// Compares `actual` with the golden file `file`; `UPDATE_GOLDEN=1` rewrites it instead.
pub(crate) fn check_golden(file: &str, actual: &str) -> Result<(), String> {
    let path = golden_dir().join(file);
    if std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        std::fs::write(&path, actual).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        return Ok(());
    }
    let expected = std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "{}: {e} (run with UPDATE_GOLDEN=1 to write it)",
            path.display()
        )
    })?;
    if expected == actual {
        Ok(())
    } else {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        Err(format!(
            "{} differs from line {} (UPDATE_GOLDEN=1 rewrites it)",
            path.display(),
            line + 1
        ))
    }
}
