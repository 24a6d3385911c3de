//! Runs the recorded TestState corpus (`shared/conformance/test_state`) on the local
//! engine. Hard cases compare the status, output, error, cause, next state and every
//! inspection field AWS recorded; soft cases (masked values) the status and error. Every
//! case that calls no real service must pass, or be listed with the reason its recording
//! cannot be reproduced.

use serde_json::Value;
use sfn_runtime::local::{TestStateOutput, TestStateRequest};

use crate::{
    conformance_execution::resolve_resources,
    support::{cases, corpus, engine},
};

/// Cases whose recording cannot be reproduced, with the reason. Each name must exist in
/// the corpus.
const NOT_REPRODUCIBLE: &[(&str, &str)] = &[(
    "TestStateContextObject_test_state_wait_task_context_object",
    "masked request: the context object (which holds the $$.Task.Token the state reads) was recorded as the placeholder \"<unresolved:_CONTEXT_OBJECT_FULL | …>\", not as the object sent",
)];

#[derive(Default)]
struct Tally {
    passed: usize,
    total: usize,
}

/// The request the case recorded, in AWS's wire shape (the definition and input as
/// text), read as the engine takes it.
fn request(case: &Value) -> Result<TestStateRequest, String> {
    let mut definition = case.get("definition").ok_or("no definition")?.clone();
    resolve_resources(&mut definition);
    let input = case.get("input").cloned().unwrap_or(Value::Null);
    let mut wire = case
        .get("request")
        .and_then(Value::as_object)
        .cloned()
        .ok_or("no request")?;
    wire.insert("definition".into(), definition.to_string().into());
    wire.insert("input".into(), input.to_string().into());
    TestStateRequest::from_json(&Value::Object(wire)).map_err(|e| e.to_string())
}

/// AWS sends inspection values as JSON text; the recording kept objects parsed and the
/// rest as text. Both sides are compared as JSON values.
fn parsed(v: &Value) -> Value {
    match v {
        Value::String(s) => serde_json::from_str(s).unwrap_or_else(|_| v.clone()),
        other => other.clone(),
    }
}

fn compare(what: &str, got: Option<&Value>, want: Option<&Value>) -> Result<(), String> {
    if got.map(parsed) != want.map(parsed) {
        return Err(format!(
            "{what} {}, expected {}",
            got.map_or("none".into(), Value::to_string),
            want.map_or("none".into(), Value::to_string)
        ));
    }
    Ok(())
}

fn check(case: &Value, got: &TestStateOutput) -> Result<(), String> {
    let expected = case.get("expected").ok_or("no expected")?;
    let hard = case.get("hard").and_then(Value::as_bool).unwrap_or(false);
    let text = |s: &Option<String>| s.as_ref().map(|s| Value::String(s.clone()));
    let status = Value::String(got.status.as_str().into());
    compare("status", Some(&status), expected.get("status"))
        .map_err(|e| format!("{e} (error {:?}, cause {:?})", got.error, got.cause))?;
    compare("error", text(&got.error).as_ref(), expected.get("error"))?;
    if !hard {
        return Ok(());
    }
    compare("cause", text(&got.cause).as_ref(), expected.get("cause"))?;
    compare("output", got.output.as_ref(), expected.get("output"))?;
    compare(
        "nextState",
        text(&got.next_state).as_ref(),
        expected.get("nextState"),
    )?;
    let data = got.inspection_data.as_ref().map(|d| d.to_json());
    let empty = serde_json::Map::new();
    let mine = data.as_ref().and_then(Value::as_object).unwrap_or(&empty);
    let want = expected
        .get("inspectionData")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    for key in mine.keys().chain(want.keys()) {
        compare(
            &format!("inspectionData.{key}"),
            mine.get(key),
            want.get(key),
        )?;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn test_state_corpus() {
    let Some(dir) = corpus() else { return };
    let dir = dir.join("test_state");
    let cases = cases(&dir);
    assert!(!cases.is_empty(), "no case in {}", dir.display());
    for (name, _) in NOT_REPRODUCIBLE {
        assert!(
            cases
                .iter()
                .any(|(_, c)| c.get("name").and_then(Value::as_str) == Some(name)),
            "{name} is listed but not in the corpus"
        );
    }
    let (mut hard, mut soft) = (Tally::default(), Tally::default());
    let (mut real, mut listed, mut failures, mut table) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (file, case) in &cases {
        let Some(name) = case.get("name").and_then(Value::as_str).map(str::to_owned) else {
            panic!("{file} has no name");
        };
        if case.get("calls_real_service").and_then(Value::as_bool) == Some(true) {
            real.push(name);
            continue;
        }
        if let Some((_, why)) = NOT_REPRODUCIBLE.iter().find(|(n, _)| *n == name) {
            listed.push(format!("{name}: {why}"));
            continue;
        }
        let is_hard = case.get("hard").and_then(Value::as_bool).unwrap_or(false);
        let engine = engine();
        let result = match request(case) {
            Ok(r) => match engine.test_state(r).await {
                Ok(out) => check(case, &out),
                Err(e) => Err(format!("error: {e}")),
            },
            Err(e) => Err(format!("request: {e}")),
        };
        let tally = if is_hard { &mut hard } else { &mut soft };
        tally.total += 1;
        let verdict = if result.is_ok() { "pass" } else { "FAIL" };
        if result.is_ok() {
            tally.passed += 1;
        }
        table.push(format!(
            "  {verdict}  {}  {name}",
            if is_hard { "hard" } else { "soft" }
        ));
        if let Err(why) = result {
            failures.push(format!("{name}: {why}"));
        }
    }
    println!("test_state corpus:");
    for row in &table {
        println!("{row}");
    }
    println!(
        "test_state corpus: hard {}/{}, soft {}/{}; calling a real service (not run): {}; not reproducible (listed): {}",
        hard.passed,
        hard.total,
        soft.passed,
        soft.total,
        real.len(),
        listed.len()
    );
    for n in &listed {
        println!("  {n}");
    }
    println!("failing cases ({}):", failures.len());
    for f in &failures {
        println!("  {f}");
    }
    assert!(failures.is_empty(), "{} failing cases", failures.len());
}
