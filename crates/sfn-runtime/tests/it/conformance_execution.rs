//! Runs the recorded execution corpus (`shared/conformance/execution`) on the local engine
//! with a virtual clock. Every runnable case must pass; the cases the recorded data cannot
//! run are listed with the reason.

use std::collections::BTreeMap;

use serde_json::Value;
use sfn_runtime::local::{ExecutionStatus, Mocks, StartExecution};

use crate::support::{cases, corpus, engine};

/// Cases the recorded data cannot run, with the reason. They are counted and listed,
/// not run; each name must exist in the corpus.
const NOT_RUNNABLE: &[(&str, &str)] = &[
    (
        "TestSnfApi_test_stop_execution__exec_hist_resp",
        "needs an API call: ABORTED comes from a StopExecution call during the Wait, which the case format cannot express; tests/it/engine_executions.rs runs it with a stop (stop_during_a_wait_aborts)",
    ),
    (
        "TestBaseScenarios_test_map_state_config_distributed_reentrant_lambda",
        "no mock: the item processor's Task calls a Lambda function whose response is not recorded",
    ),
    (
        "TestBaseScenarios_test_map_state_lambda",
        "no mock: the item processor's Task calls a Lambda function whose response is not recorded",
    ),
    (
        "TestBaseScenarios_test_map_state_nested_config_distributed_no_max_max_concurrency",
        "no mock: the inner Map's lambda:invoke Task has no recorded response",
    ),
    (
        "TestExpressSync_test_catch__express_sync",
        "no mock: the lambda:invoke Task's failure (the function raised an exception) is not recorded as a response",
    ),
    (
        "TestSfnWait_test_wait_timestamppath_.00Z_6ebd4b",
        "masked input: the TimestampPath value was recorded as \"<timestamp>\", so the Wait has no date to wait for",
    ),
    (
        "TestSfnWait_test_wait_timestamppath_Z_e5d917",
        "masked input: the TimestampPath value was recorded as \"<timestamp>\", so the Wait has no date to wait for",
    ),
];

#[derive(Default)]
struct Tally {
    passed: usize,
    total: usize,
}

/// The recordings replace the ARNs the recording created (a Lambda function, an activity)
/// with `<unresolved:…>`. AWS validated the definitions with real ARNs, as the engine
/// does: every such `Resource` gets an ARN of its kind. The Task states that use them are
/// mocked by state name, so the ARN itself is never called.
pub(crate) fn resolve_resources(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                match v {
                    Value::String(s) if key == "Resource" && s.starts_with("<unresolved:") => {
                        *s = if s.contains("activity") {
                            "arn:aws:states:us-east-1:123456789012:activity:unresolved".to_owned()
                        } else {
                            "arn:aws:lambda:us-east-1:123456789012:function:unresolved".to_owned()
                        };
                    }
                    other => resolve_resources(other),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(resolve_resources),
        _ => {}
    }
}

async fn run_case(case: &Value) -> Result<(), String> {
    let mut definition = case.get("definition").ok_or("no definition")?.clone();
    resolve_resources(&mut definition);
    let machine =
        sfn_core::StateMachine::from_value(&definition).map_err(|e| format!("definition: {e}"))?;
    let input = case
        .get("input")
        .cloned()
        .unwrap_or(Value::Object(Default::default()));
    let engine = engine();
    let arn = engine
        .create_state_machine("case", machine)
        .map_err(|e| e.to_string())?;
    let mut start = StartExecution::new(input);
    if let Some(m) = case.get("mocks").filter(|m| !m.is_null()) {
        start = start.mocks(Mocks::from_value(m).map_err(|e| e.to_string())?);
    }
    let run = engine
        .start_execution(&arn, start)
        .await
        .map_err(|e| e.to_string())?;
    let done = tokio::time::timeout(std::time::Duration::from_secs(10), run.wait())
        .await
        .map_err(|_| "did not finish in 10 s".to_owned())?
        .map_err(|e| e.to_string())?;
    let expected = case.get("expected").ok_or("no expected")?;
    let hard = case.get("hard").and_then(Value::as_bool).unwrap_or(false);
    let status = expected
        .get("status")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if done.status.as_str() != status {
        return Err(format!(
            "status {} (error {:?}, cause {:?}), expected {status}",
            done.status, done.error, done.cause
        ));
    }
    if done.status == ExecutionStatus::Succeeded {
        if hard && done.output.as_ref() != expected.get("output") {
            return Err(format!(
                "output {}, expected {}",
                done.output.map(|o| o.to_string()).unwrap_or_default(),
                expected
                    .get("output")
                    .map(Value::to_string)
                    .unwrap_or_default()
            ));
        }
        return Ok(());
    }
    let want_error = expected.get("error").and_then(Value::as_str);
    if done.error.as_deref() != want_error {
        return Err(format!(
            "error {:?} (cause {:?}), expected {want_error:?}",
            done.error, done.cause
        ));
    }
    if hard {
        let want_cause = expected.get("cause").and_then(Value::as_str);
        if done.cause.as_deref() != want_cause {
            return Err(format!("cause {:?}, expected {want_cause:?}", done.cause));
        }
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn execution_corpus() {
    let Some(dir) = corpus() else { return };
    let dir = dir.join("execution");
    let cases = cases(&dir);
    assert!(!cases.is_empty(), "no case in {}", dir.display());
    let (mut hard, mut soft) = (Tally::default(), Tally::default());
    let mut not_runnable = Vec::new();
    let mut by_feature: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut failures = Vec::new();
    for (file, case) in &cases {
        let Some(name) = case.get("name").and_then(Value::as_str).map(str::to_owned) else {
            panic!("{file} has no name");
        };
        let is_hard = case.get("hard").and_then(Value::as_bool).unwrap_or(false);
        if let Some((_, why)) = NOT_RUNNABLE.iter().find(|(n, _)| *n == name) {
            not_runnable.push(format!("{name}: {why}"));
            continue;
        }
        let result = run_case(case).await;
        let tally = if is_hard { &mut hard } else { &mut soft };
        tally.total += 1;
        let ok = result.is_ok();
        if ok {
            tally.passed += 1;
        }
        for f in case
            .get("features")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            let e = by_feature.entry(f.to_owned()).or_default();
            e.1 += 1;
            if ok {
                e.0 += 1;
            }
        }
        if let Err(why) = result {
            failures.push(format!("{name}: {why}"));
        }
    }
    println!(
        "execution corpus: hard {}/{}, soft {}/{}",
        hard.passed, hard.total, soft.passed, soft.total
    );
    for (feature, (passed, total)) in &by_feature {
        println!("  {feature:<50} {passed:>4}/{total}");
    }
    println!(
        "not runnable from the recorded data ({}):",
        not_runnable.len()
    );
    for n in &not_runnable {
        println!("  {n}");
    }
    println!("failing cases ({}):", failures.len());
    for f in &failures {
        let line: String = f.chars().take(400).collect();
        println!("  {line}");
    }
    assert_eq!(
        not_runnable.len(),
        NOT_RUNNABLE.len(),
        "every case listed as not runnable must exist in the corpus"
    );
    assert!(
        hard.total > 0 && soft.total > 0,
        "the corpus has no runnable case"
    );
    assert_eq!(
        failures,
        Vec::<String>::new(),
        "every runnable case must pass (hard {}/{}, soft {}/{})",
        hard.passed,
        hard.total,
        soft.passed,
        soft.total
    );
}
