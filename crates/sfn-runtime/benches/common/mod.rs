//! The machines and helpers the benchmarks share.

#![allow(dead_code, unreachable_pub)]

use std::sync::Arc;

use serde_json::{Value, json};
use sfn_runtime::local::{
    EventDetails, ExecutionStatus, History, LocalEngine, StartExecution, VirtualClock,
};

/// A Choice/Pass loop that counts to 5,000 with `States.MathAdd`: 10,003 transitions
/// (about 20,000 history events, inside the 25,000 limit).
pub const COUNTER: &str = r#"{"StartAt": "Init", "States": {
    "Init": {"Type": "Pass", "Result": {"count": 0}, "Next": "Check"},
    "Check": {"Type": "Choice", "Choices": [{"Variable": "$.count", "NumericGreaterThanEquals": 5000, "Next": "Done"}], "Default": "Inc"},
    "Inc": {"Type": "Pass", "Parameters": {"count.$": "States.MathAdd($.count, 1)"}, "Next": "Check"},
    "Done": {"Type": "Succeed"}}}"#;

/// The counter loop's transitions (states entered): Init, 5,001 Checks, 5,000 Incs, Done.
pub const COUNTER_TRANSITIONS: u64 = 10_003;

/// An inline Map whose iterator is one Pass state.
pub const MAP_INLINE: &str = r#"{"StartAt": "Each", "States": {
    "Each": {"Type": "Map", "ItemsPath": "$.items",
      "ItemProcessor": {"StartAt": "Echo", "States": {
        "Echo": {"Type": "Pass", "Parameters": {"seen.$": "$.n"}, "End": true}}},
      "ResultPath": null, "End": true}}}"#;

/// A distributed Map whose iterator is one Pass state: each item a child execution with
/// its own history, as AWS runs Maps too large for one history.
pub const MAP_DISTRIBUTED: &str = r#"{"StartAt": "Each", "States": {
    "Each": {"Type": "Map", "ItemsPath": "$.items",
      "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "Echo", "States": {
        "Echo": {"Type": "Pass", "Parameters": {"seen.$": "$.n"}, "End": true}}},
      "ResultPath": null, "End": true}}}"#;

/// The Map machines' input: `{"items": [{"n": 0}, …]}`.
pub fn map_input(items: usize) -> Value {
    json!({ "items": (0..items).map(|n| json!({ "n": n })).collect::<Vec<_>>() })
}

/// Ten Pass states in a row.
pub fn pass_chain(states: usize) -> String {
    let body: Vec<String> = (0..states)
        .map(|i| {
            let tail = if i + 1 == states {
                r#""End": true"#.to_owned()
            } else {
                format!(r#""Next": "P{}""#, i + 1)
            };
            format!(r#""P{i}": {{"Type": "Pass", {tail}}}"#)
        })
        .collect();
    format!(r#"{{"StartAt": "P0", "States": {{{}}}}}"#, body.join(", "))
}

/// A machine whose one Task is the activity `activity_arn`.
pub fn activity_machine(activity_arn: &str) -> String {
    format!(
        r#"{{"StartAt": "Work", "States": {{"Work": {{"Type": "Task", "Resource": "{activity_arn}", "End": true}}}}}}"#
    )
}

/// An engine on a virtual clock with `definition` created as `name`; returns both.
pub fn engine_with(name: &str, definition: &str) -> (LocalEngine, String) {
    let engine = LocalEngine::with_clock(Arc::new(VirtualClock::default()));
    let arn = engine
        .create_state_machine_json(name, definition)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    (engine, arn)
}

/// Runs one execution to its end and returns its status and history.
pub async fn run_once(
    engine: &LocalEngine,
    arn: &str,
    input: Value,
) -> (ExecutionStatus, Option<String>, History) {
    let run = engine
        .start_execution(arn, StartExecution::new(input))
        .await
        .unwrap_or_else(|e| panic!("start: {e}"));
    let done = run.wait().await.unwrap_or_else(|e| panic!("wait: {e}"));
    (done.status, done.cause, run.history())
}

/// Runs one execution to its end and returns its status, without copying its history.
pub async fn run_status(engine: &LocalEngine, arn: &str, input: Value) -> ExecutionStatus {
    let run = engine
        .start_execution(arn, StartExecution::new(input))
        .await
        .unwrap_or_else(|e| panic!("start: {e}"));
    run.wait()
        .await
        .unwrap_or_else(|e| panic!("wait: {e}"))
        .status
}

/// The states entered in a history.
pub fn transitions(history: &History) -> u64 {
    history
        .events()
        .iter()
        .filter(|e| matches!(e.details, EventDetails::StateEntered { .. }))
        .count() as u64
}

/// A runtime on the current thread: one core.
pub fn current_thread() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("runtime: {e}"))
}

/// The counter loop in JSONata: a Choice `Condition` and a Pass `Output` reading
/// `$states.input`, 10,003 transitions.
pub const JSONATA_COUNTER: &str = r#"{"QueryLanguage": "JSONata", "StartAt": "Init", "States": {
    "Init": {"Type": "Pass", "Output": {"count": 0}, "Next": "Check"},
    "Check": {"Type": "Choice", "Choices": [{"Condition": "{% $states.input.count >= 5000 %}", "Next": "Done"}], "Default": "Inc"},
    "Inc": {"Type": "Pass", "Output": {"count": "{% $states.input.count + 1 %}"}, "Next": "Check"},
    "Done": {"Type": "Succeed"}}}"#;

/// A JSONata inline Map: `Items` from the input, an `ItemSelector` reading the item from
/// `$states.context.Map.Item`, a Pass iterator with an `Output`, and an `Output` over the
/// results.
pub const JSONATA_MAP: &str = r#"{"QueryLanguage": "JSONata", "StartAt": "Each", "States": {
    "Each": {"Type": "Map", "Items": "{% $states.input.items %}",
      "ItemSelector": {"n": "{% $states.context.Map.Item.Value.n %}", "index": "{% $states.context.Map.Item.Index %}"},
      "ItemProcessor": {"StartAt": "Echo", "States": {
        "Echo": {"Type": "Pass", "Output": {"seen": "{% $states.input.n %}"}, "End": true}}},
      "Output": {"count": "{% $count($states.result) %}"}, "End": true}}}"#;

/// The JSONata Map's input: `{"items": [{"n": 0, "pad": "xx…"}, …]}`, about 200 bytes an
/// item (200 kB for 1,000 items).
pub fn padded_map_input(items: usize) -> Value {
    let pad = "x".repeat(180);
    json!({ "items": (0..items).map(|n| json!({ "n": n, "pad": pad })).collect::<Vec<_>>() })
}
