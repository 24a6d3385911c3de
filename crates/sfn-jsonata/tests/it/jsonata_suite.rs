//! Runs JSONata's reference test suite (`shared/jsonata-suite`) against `sfn_jsonata`.
//!
//! Prints pass/fail counts per group and overall, and the failing cases; fails when the
//! overall pass count drops below [`PASS_FLOOR`]. Cases that need features Step Functions
//! removes, or strings Rust cannot hold (lone UTF-16 surrogates), are counted apart as "not
//! applicable".

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;
use sfn_jsonata::{EvaluateOptions, Expression};

use crate::support::jsonata_suite;

/// The number of cases that passed when this floor was last raised.
const PASS_FLOOR: usize = 1672;

/// Why a case file that holds a lone UTF-16 surrogate does not apply.
const LONE_SURROGATE: &str =
    "a string with a lone UTF-16 surrogate cannot be represented in Rust (nor in a definition)";

/// Whether JSON that does not parse would parse with its surrogate escapes (`\uD800` to
/// `\uDFFF`) replaced: Rust strings cannot hold a lone surrogate.
fn only_surrogates_unreadable(text: &str) -> bool {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("\\u") {
        out.push_str(&rest[..i]);
        let hex = rest.get(i + 2..i + 6).unwrap_or("");
        let surrogate = u16::from_str_radix(hex, 16).is_ok_and(|u| (0xd800..0xe000).contains(&u));
        out.push_str(if surrogate { "\\ufffd" } else { "\\u" });
        rest = &rest[i + if surrogate { 6 } else { 2 }..];
    }
    out.push_str(rest);
    serde_json::from_str::<Value>(&out).is_ok()
}

/// Why a case does not apply to Step Functions' JSONata, if it does not.
fn not_applicable(group: &str, case: &Value) -> Option<&'static str> {
    let expr = case.get("expr").and_then(Value::as_str).unwrap_or("");
    if group == "function-eval" || expr.contains("$eval(") {
        return Some("$eval is not available in Step Functions");
    }
    None
}

/// Numbers compare numerically (1 == 1.0); `unordered` compares arrays as multisets.
fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (
                x.as_f64().unwrap_or(f64::NAN),
                y.as_f64().unwrap_or(f64::NAN),
            );
            x == y || ((x - y).abs() <= 1e-13 * x.abs().max(y.abs()))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_eq(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

fn unordered_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            let mut used = vec![false; y.len()];
            x.iter().all(|p| {
                let found = y
                    .iter()
                    .enumerate()
                    .position(|(i, q)| !used[i] && json_eq(p, q));
                if let Some(i) = found {
                    used[i] = true;
                }
                found.is_some()
            })
        }
        _ => json_eq(a, b),
    }
}

enum Outcome {
    Pass,
    Fail(String),
    NotApplicable(&'static str),
}

fn run_case(dir: &Path, group_dir: &Path, group: &str, case: &Value) -> Outcome {
    if let Some(why) = not_applicable(group, case) {
        return Outcome::NotApplicable(why);
    }
    let expr = match (
        case.get("expr").and_then(Value::as_str),
        case.get("expr-file").and_then(Value::as_str),
    ) {
        (Some(e), _) => e.to_owned(),
        (None, Some(f)) => match std::fs::read_to_string(group_dir.join(f)) {
            Ok(t) => t,
            Err(e) => return Outcome::Fail(format!("cannot read {f}: {e}")),
        },
        _ => return Outcome::Fail("no expression".into()),
    };
    let data: Option<Value> = if let Some(d) = case.get("data") {
        Some(d.clone())
    } else {
        match case.get("dataset") {
            Some(Value::String(name)) => {
                let path = dir.join("datasets").join(format!("{name}.json"));
                match std::fs::read_to_string(&path).map(|t| serde_json::from_str::<Value>(&t)) {
                    Ok(Ok(v)) => Some(v),
                    _ => return Outcome::Fail(format!("cannot read dataset {name}")),
                }
            }
            _ => None,
        }
    };
    let bindings = case
        .get("bindings")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut options = EvaluateOptions {
        max_depth: 10_000,
        max_stack_bytes: 200 * 1024 * 1024,
        time_limit: Some(Duration::from_secs(10)),
        now_millis: None,
    };
    if let Some(d) = case.get("depth").and_then(Value::as_u64) {
        options.max_depth = d as usize;
    }
    if let Some(t) = case.get("timelimit").and_then(Value::as_u64) {
        options.time_limit = Some(Duration::from_millis(t));
    }
    let expected_code = case.get("code").and_then(Value::as_str).or_else(|| {
        case.get("error")
            .and_then(|e| e.get("code"))
            .and_then(Value::as_str)
    });
    let result =
        Expression::parse(&expr).and_then(|e| e.evaluate_with(data.as_ref(), &bindings, &options));
    match (result, expected_code) {
        (Err(e), Some(code)) if e.code == code => Outcome::Pass,
        (Err(e), Some(code)) => {
            Outcome::Fail(format!("expected {code}, got {}: {}", e.code, e.message))
        }
        (Err(e), None) => Outcome::Fail(format!("error {}: {}", e.code, e.message)),
        (Ok(v), Some(code)) => Outcome::Fail(format!("expected error {code}, got {v:?}")),
        (Ok(v), None) => {
            if case.get("undefinedResult").and_then(Value::as_bool) == Some(true) {
                return if v.is_none() {
                    Outcome::Pass
                } else {
                    Outcome::Fail(format!("expected undefined, got {v:?}"))
                };
            }
            let Some(expected) = case.get("result") else {
                return Outcome::Fail("case has no expectation".into());
            };
            let unordered = case.get("unordered").and_then(Value::as_bool) == Some(true);
            match v {
                Some(got)
                    if if unordered {
                        unordered_eq(&got, expected)
                    } else {
                        json_eq(&got, expected)
                    } =>
                {
                    Outcome::Pass
                }
                other => Outcome::Fail(format!("expected {expected}, got {other:?}")),
            }
        }
    }
}

fn run_suite(dir: PathBuf) {
    let mut groups: Vec<PathBuf> = match std::fs::read_dir(dir.join("groups")) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_dir())
            .collect(),
        Err(e) => panic!("cannot read {}: {e}", dir.display()),
    };
    groups.sort();
    let (mut pass, mut fail, mut na) = (0usize, 0usize, 0usize);
    let mut failures = Vec::new();
    let mut per_group: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let mut na_reasons: BTreeMap<&'static str, usize> = BTreeMap::new();
    for gdir in &groups {
        let group = gdir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut files: Vec<PathBuf> = std::fs::read_dir(gdir)
            .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        files.retain(|p| p.extension().is_some_and(|e| e == "json"));
        files.sort();
        for file in files {
            let stem = file
                .file_stem()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            // a case file Rust cannot read (a lone UTF-16 surrogate in a string) is not
            // applicable: such a string cannot reach a Rust JSONata implementation
            let (cases, unreadable) = match serde_json::from_str::<Value>(&text) {
                Ok(Value::Array(a)) => (a, None),
                Ok(other) => (vec![other], None),
                Err(_) if only_surrogates_unreadable(&text) => (
                    vec![Value::Null],
                    Some(Outcome::NotApplicable(LONE_SURROGATE)),
                ),
                Err(e) => (
                    vec![Value::Null],
                    Some(Outcome::Fail(format!("unreadable case file: {e}"))),
                ),
            };
            let many = cases.len() > 1;
            for (i, case) in cases.iter().enumerate() {
                let name = if many {
                    format!("{group}/{stem}[{i}]")
                } else {
                    format!("{group}/{stem}")
                };
                let outcome = match &unreadable {
                    Some(Outcome::NotApplicable(why)) => Outcome::NotApplicable(why),
                    Some(Outcome::Fail(why)) => Outcome::Fail(why.clone()),
                    _ => std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        run_case(&dir, gdir, &group, case)
                    }))
                    .unwrap_or_else(|_| Outcome::Fail("PANICKED".into())),
                };
                let entry = per_group.entry(group.clone()).or_default();
                match outcome {
                    Outcome::Pass => {
                        pass += 1;
                        entry.0 += 1;
                    }
                    Outcome::Fail(why) => {
                        fail += 1;
                        entry.1 += 1;
                        let expr = case.get("expr").and_then(Value::as_str).unwrap_or("(file)");
                        failures.push(format!(
                            "{name}: {expr}\n    {}",
                            why.chars().take(300).collect::<String>()
                        ));
                    }
                    Outcome::NotApplicable(why) => {
                        *na_reasons.entry(why).or_insert(0usize) += 1;
                        na += 1;
                        entry.2 += 1;
                    }
                }
            }
        }
    }
    println!("JSONata reference suite, by group (pass/fail/not applicable):");
    for (g, (p, f, n)) in &per_group {
        println!("  {g:40} {p:4} {f:4} {n:4}");
    }
    println!("failing cases:");
    for f in &failures {
        println!("  {f}");
    }
    println!("not applicable: {na}");
    for (why, n) in &na_reasons {
        println!("  {n:4}  {why}");
    }
    println!(
        "overall: {pass} passed, {fail} failed, {na} not applicable, of {}",
        pass + fail + na
    );
    assert!(
        pass >= PASS_FLOOR,
        "JSONata suite regressed: {pass} passed, floor is {PASS_FLOOR}"
    );
}

#[test]
fn jsonata_reference_suite() {
    let Some(dir) = jsonata_suite() else { return };
    // deep (non-tail) recursion in a few cases needs more stack than a test thread has
    let handle = std::thread::Builder::new()
        .stack_size(256 * 1024 * 1024)
        .spawn(move || run_suite(dir))
        .expect("spawn the suite thread");
    if let Err(e) = handle.join() {
        std::panic::resume_unwind(e);
    }
}
