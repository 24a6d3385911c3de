//! The JSONPath input and output processing chain: `InputPath`, `ResultPath`,
//! `OutputPath`, and integer fields read through a path (`MaxConcurrencyPath`, …).

use serde_json::{Map, Value};

use crate::{error::StatesError, eval::Env, model::NullablePath, path::JsonPath};

/// Selects with `path` for a field such as `InputPath` or `OutputPath`.
///
/// # Errors
///
/// `States.Runtime` when the path selects nothing, worded as AWS words it:
/// `Invalid path '$.x' : No results for path: $['x']`, or `Missing property in path
/// $['a']` when a step before the last is missing.
pub fn select(path: &JsonPath, scope: &Env<'_>) -> Result<Value, StatesError> {
    path.select(scope).ok_or_else(|| invalid_path(path, scope))
}

/// Applies `InputPath` (or `OutputPath`): `null` gives `{}`, a path selects.
///
/// # Errors
///
/// As [`select`].
pub fn apply_path(path: &NullablePath, scope: &Env<'_>) -> Result<Value, StatesError> {
    match path {
        NullablePath::Null => Ok(Value::Object(Map::new())),
        NullablePath::Path(p) => select(p, scope),
    }
}

/// The state's effective input: its input, or what `InputPath` selects from it (borrowed
/// when there is no `InputPath`, so nothing is copied).
///
/// # Errors
///
/// As [`select`].
pub fn effective_input<'a>(
    input_path: Option<&NullablePath>,
    scope: &Env<'a>,
) -> Result<std::borrow::Cow<'a, Value>, StatesError> {
    use std::borrow::Cow;
    match input_path {
        None => Ok(Cow::Borrowed(scope.input)),
        Some(path) => apply_path(path, scope).map(Cow::Owned),
    }
}

/// Applies `ResultPath`: absent gives the result, `null` keeps the input, a path writes
/// the result into the input.
///
/// # Errors
///
/// `States.ResultPathMatchFailure` when the path cannot be applied to the input.
pub fn apply_result_path(
    path: Option<&NullablePath>,
    input: Value,
    result: Value,
) -> Result<Value, StatesError> {
    match path {
        None => Ok(result),
        Some(NullablePath::Null) => Ok(input),
        Some(NullablePath::Path(p)) => {
            let mut target = input;
            p.set(&mut target, result).map_err(|e| {
                StatesError::new(crate::error::states::RESULT_PATH_MATCH_FAILURE, e.message)
            })?;
            Ok(target)
        }
    }
}

/// The `States.Runtime` error for a path that selects nothing.
pub fn invalid_path(path: &JsonPath, scope: &Env<'_>) -> StatesError {
    let root = match path.root_ref() {
        crate::path::PathRoot::Input => Some(scope.input),
        crate::path::PathRoot::Context => Some(scope.context),
        crate::path::PathRoot::Variable(v) => scope.variables.get(v),
    };
    StatesError::runtime(format!(
        "Invalid path '{path}' : {}",
        describe_missing(path.as_str(), root)
    ))
}

/// One step of a simple path.
enum Step {
    Name(String),
    Index(i64),
}

/// Splits `$.a['b'][0]` into steps; `None` for anything more complex.
fn simple_steps(text: &str) -> Option<Vec<Step>> {
    let rest = text.trim().trim_start_matches('$');
    let rest = rest.strip_prefix('$').unwrap_or(rest);
    let chars: Vec<char> = rest.chars().collect();
    let mut steps = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '.' => {
                let start = i + 1;
                let mut j = start;
                while j < chars.len() && chars[j] != '.' && chars[j] != '[' {
                    j += 1;
                }
                if j == start {
                    return None;
                }
                let name: String = chars[start..j].iter().collect();
                if name == "*" {
                    return None;
                }
                steps.push(Step::Name(name));
                i = j;
            }
            '[' => {
                let close = chars[i..].iter().position(|&c| c == ']')? + i;
                let inner: String = chars[i + 1..close].iter().collect();
                let inner = inner.trim();
                if let Some(q) = inner.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
                    steps.push(Step::Name(q.to_owned()));
                } else {
                    steps.push(Step::Index(inner.parse().ok()?));
                }
                i = close + 1;
            }
            _ => return None,
        }
    }
    Some(steps)
}

/// Jayway's wording for a definite path that selects nothing.
fn describe_missing(text: &str, root: Option<&Value>) -> String {
    let (Some(steps), Some(root)) = (simple_steps(text), root) else {
        return format!("No results for path: {text}");
    };
    let mut walked = String::from("$");
    let mut node = Some(root);
    for (i, step) in steps.iter().enumerate() {
        let last = i + 1 == steps.len();
        match step {
            Step::Name(n) => walked.push_str(&format!("['{n}']")),
            Step::Index(n) => walked.push_str(&format!("[{n}]")),
        }
        let next = match (step, node) {
            (Step::Name(n), Some(Value::Object(m))) => m.get(n.as_str()),
            (Step::Index(n), Some(Value::Array(a))) => {
                let idx = if *n < 0 { *n + a.len() as i64 } else { *n };
                usize::try_from(idx).ok().and_then(|i| a.get(i))
            }
            _ => None,
        };
        if next.is_none() && !last {
            return format!("Missing property in path {walked}");
        }
        node = next;
    }
    format!("No results for path: {walked}")
}

/// Reads an integer field through a path (`MaxConcurrencyPath`, `ToleratedFailureCountPath`,
/// `TimeoutSecondsPath`, …).
///
/// # Errors
///
/// `States.Runtime`: [`select`]'s error when the path selects nothing, or `The
/// MaxConcurrencyPath field refers to value "x" which is not a valid integer: $.path`.
pub fn integer_from_path(
    field: &str,
    path: &JsonPath,
    scope: &Env<'_>,
) -> Result<i64, StatesError> {
    let value = select(path, scope)?;
    let parsed = match &value {
        Value::String(s) => s.trim().parse::<i64>().ok(),
        other => as_integer(other),
    };
    parsed.ok_or_else(|| {
        StatesError::runtime(format!(
            "The {field} field refers to value {} which is not a valid integer: {path}",
            quoted(&value)
        ))
    })
}

/// Reads a number field through a path (`ToleratedFailurePercentagePath`). A string
/// holding a number (`"1.5"`) is read as that number, as AWS does.
///
/// # Errors
///
/// As [`integer_from_path`], with `which is not a valid float`.
pub fn float_from_path(field: &str, path: &JsonPath, scope: &Env<'_>) -> Result<f64, StatesError> {
    let value = select(path, scope)?;
    let parsed = match &value {
        Value::String(s) => s.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
        other => other.as_f64(),
    };
    parsed.ok_or_else(|| {
        StatesError::runtime(format!(
            "The {field} field refers to value {} which is not a valid float: {path}",
            quoted(&value)
        ))
    })
}

/// A value as AWS quotes it in these causes: strings as JSON, others in quotes.
fn quoted(value: &Value) -> String {
    match value {
        Value::String(_) => value.to_string(),
        other => format!("\"{other}\""),
    }
}

/// An integer, from an integral JSON number.
pub fn as_integer(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.2e18)
                .map(|f| f as i64)
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn p(s: &str) -> JsonPath {
        JsonPath::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn invalid_path_wording() {
        let input = json!({});
        let e = select(&p("$.no.such.result.path"), &Env::new(&input));
        assert_eq!(
            e.map_err(|e| e.cause),
            Err(
                "Invalid path '$.no.such.result.path' : Missing property in path $['no']"
                    .to_owned()
            )
        );
        let e = select(&p("$.NoSuchInputPath"), &Env::new(&input));
        assert_eq!(
            e.map_err(|e| e.cause),
            Err(
                "Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']"
                    .to_owned()
            )
        );
    }

    #[test]
    fn result_path() {
        let path = NullablePath::Path(p("$.r"));
        assert_eq!(
            apply_result_path(Some(&path), json!({"a": 1}), json!(2)),
            Ok(json!({"a": 1, "r": 2}))
        );
        assert_eq!(
            apply_result_path(Some(&NullablePath::Null), json!({"a": 1}), json!(2)),
            Ok(json!({"a": 1}))
        );
        assert_eq!(
            apply_result_path(None, json!({"a": 1}), json!(2)),
            Ok(json!(2))
        );
        let err = apply_result_path(Some(&path), json!(3), json!(2));
        assert_eq!(
            err.map_err(|e| e.error),
            Err("States.ResultPathMatchFailure".to_owned())
        );
    }

    #[test]
    fn null_path_gives_empty_object() {
        let input = json!({"a": 1});
        assert_eq!(
            apply_path(&NullablePath::Null, &Env::new(&input)),
            Ok(json!({}))
        );
    }

    #[test]
    fn integers_from_paths() {
        let input = json!({"n": 3, "s": "NoNumber"});
        assert_eq!(
            integer_from_path("MaxConcurrencyPath", &p("$.n"), &Env::new(&input)),
            Ok(3)
        );
        let e = integer_from_path("MaxConcurrencyPath", &p("$.s"), &Env::new(&input));
        let pct = json!({"p": "1.5", "o": {}});
        assert_eq!(
            float_from_path("ToleratedFailurePercentagePath", &p("$.p"), &Env::new(&pct)),
            Ok(1.5)
        );
        assert!(
            float_from_path("ToleratedFailurePercentagePath", &p("$.o"), &Env::new(&pct)).is_err()
        );
        assert_eq!(
            e.map_err(|e| e.cause),
            Err("The MaxConcurrencyPath field refers to value \"NoNumber\" which is not a valid integer: $.s".to_owned())
        );
    }
}
