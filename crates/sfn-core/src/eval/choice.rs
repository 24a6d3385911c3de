//! Choice rules.

use std::cmp::Ordering;

use serde_json::Value;

use crate::{
    error::StatesError,
    eval::{Env, jsonata::JsonataEnv, wait::parse_timestamp},
    model::{ChoiceRule, ComparisonOp, Condition, Operand},
};

/// The first rule of `rules` that matches, if any.
///
/// JSONPath rules are evaluated against `scope`; JSONata rules (`Condition`) against
/// `jsonata`, which a JSONata Choice state must pass.
///
/// # Errors
///
/// `States.Runtime` when a rule's `Variable` (or `…Path` operand) selects nothing, and
/// `States.QueryEvaluationError` when a `Condition` fails or is not a boolean.
pub fn choose<'r>(
    rules: &'r [ChoiceRule],
    scope: &Env<'_>,
    jsonata: Option<&JsonataEnv<'_>>,
) -> Result<Option<&'r ChoiceRule>, StatesError> {
    for rule in rules {
        if matches(&rule.condition, scope, jsonata)? {
            return Ok(Some(rule));
        }
    }
    Ok(None)
}

/// Whether `condition` holds.
///
/// # Errors
///
/// As [`choose`].
pub fn matches(
    condition: &Condition,
    scope: &Env<'_>,
    jsonata: Option<&JsonataEnv<'_>>,
) -> Result<bool, StatesError> {
    match condition {
        Condition::And(rules) => {
            for r in rules {
                if !matches(&r.condition, scope, jsonata)? {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        Condition::Or(rules) => {
            for r in rules {
                if matches(&r.condition, scope, jsonata)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        Condition::Not(rule) => Ok(!matches(&rule.condition, scope, jsonata)?),
        Condition::Literal(b) => Ok(*b),
        Condition::Jsonata(expr) => {
            let Some(js) = jsonata else {
                return Err(StatesError::runtime(
                    "A JSONata Condition needs a JSONata state",
                ));
            };
            let value = super::jsonata::evaluate(expr, "Condition", js)?;
            match value {
                Value::Bool(b) => Ok(b),
                other => Err(super::jsonata::unexpected_type(
                    expr,
                    "Condition",
                    "boolean",
                    &other,
                )),
            }
        }
        Condition::Compare {
            variable,
            op,
            operand,
        } => {
            let selected = variable.select_cow(scope);
            if *op == ComparisonOp::IsPresent {
                let want = operand_bool(operand);
                return Ok(selected.is_some() == want);
            }
            let Some(value) = selected else {
                return Err(StatesError::runtime(format!(
                    "Invalid path '{variable}': The choice state's condition path references an invalid value."
                )));
            };
            let expected = match operand {
                Operand::Literal(v) => std::borrow::Cow::Borrowed(v),
                Operand::Path(p) => match p.select_cow(scope) {
                    Some(v) => v,
                    None => {
                        return Err(StatesError::runtime(format!(
                            "Invalid path '{p}': The choice state's condition path references an invalid value."
                        )));
                    }
                },
            };
            Ok(compare(*op, &value, &expected))
        }
    }
}

fn operand_bool(operand: &Operand) -> bool {
    matches!(operand, Operand::Literal(Value::Bool(true)))
}

/// Applies a comparison operator to a value and its operand. Values of the wrong type
/// never match.
pub fn compare(op: ComparisonOp, value: &Value, operand: &Value) -> bool {
    use ComparisonOp::*;
    let want = || operand.as_bool() == Some(true);
    match op {
        StringEquals
        | StringLessThan
        | StringGreaterThan
        | StringLessThanEquals
        | StringGreaterThanEquals => match (value.as_str(), operand.as_str()) {
            (Some(a), Some(b)) => ordering_holds(op, java_cmp(a, b)),
            _ => false,
        },
        StringMatches => match (value.as_str(), operand.as_str()) {
            (Some(a), Some(p)) => string_matches(a, p),
            _ => false,
        },
        NumericEquals
        | NumericLessThan
        | NumericGreaterThan
        | NumericLessThanEquals
        | NumericGreaterThanEquals => match numeric_cmp(value, operand) {
            Some(o) => ordering_holds(op, o),
            None => false,
        },
        BooleanEquals => match (value.as_bool(), operand.as_bool()) {
            (Some(a), Some(b)) => a == b,
            _ => false,
        },
        TimestampEquals
        | TimestampLessThan
        | TimestampGreaterThan
        | TimestampLessThanEquals
        | TimestampGreaterThanEquals => {
            match (
                value.as_str().and_then(parse_timestamp),
                operand.as_str().and_then(parse_timestamp),
            ) {
                (Some(a), Some(b)) => ordering_holds(op, a.cmp(&b)),
                _ => false,
            }
        }
        IsNull => value.is_null() == want(),
        IsPresent => want(),
        IsNumeric => value.is_number() == want(),
        IsString => value.is_string() == want(),
        IsBoolean => value.is_boolean() == want(),
        IsTimestamp => value.as_str().is_some_and(|s| parse_timestamp(s).is_some()) == want(),
    }
}

fn ordering_holds(op: ComparisonOp, o: Ordering) -> bool {
    use ComparisonOp::*;
    match op {
        StringEquals | NumericEquals | TimestampEquals => o == Ordering::Equal,
        StringLessThan | NumericLessThan | TimestampLessThan => o == Ordering::Less,
        StringGreaterThan | NumericGreaterThan | TimestampGreaterThan => o == Ordering::Greater,
        StringLessThanEquals | NumericLessThanEquals | TimestampLessThanEquals => {
            o != Ordering::Greater
        }
        StringGreaterThanEquals | NumericGreaterThanEquals | TimestampGreaterThanEquals => {
            o != Ordering::Less
        }
        _ => false,
    }
}

/// Compares strings as Java does (by UTF-16 code units).
fn java_cmp(a: &str, b: &str) -> Ordering {
    if a.is_ascii() && b.is_ascii() {
        return a.cmp(b);
    }
    a.encode_utf16().cmp(b.encode_utf16())
}

fn numeric_cmp(a: &Value, b: &Value) -> Option<Ordering> {
    let (Value::Number(x), Value::Number(y)) = (a, b) else {
        return None;
    };
    if let (Some(x), Some(y)) = (x.as_i64(), y.as_i64()) {
        return Some(x.cmp(&y));
    }
    x.as_f64()?.partial_cmp(&y.as_f64()?)
}

/// `StringMatches`: `*` matches any run of characters; `\*` and `\\` are a literal star
/// and backslash.
pub fn string_matches(text: &str, pattern: &str) -> bool {
    #[derive(PartialEq)]
    enum Tok {
        Star,
        Char(char),
    }
    let mut toks = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(n) => toks.push(Tok::Char(n)),
                None => toks.push(Tok::Char('\\')),
            },
            '*' => toks.push(Tok::Star),
            c => toks.push(Tok::Char(c)),
        }
    }
    let text: Vec<char> = text.chars().collect();
    // Greedy matching with backtracking to the last star.
    let (mut t, mut p) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match toks.get(p) {
            Some(Tok::Char(c)) if *c == text[t] => {
                t += 1;
                p += 1;
            }
            Some(Tok::Star) => {
                star = Some((p, t));
                p += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    toks[p..].iter().all(|t| *t == Tok::Star)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn comparisons() {
        use ComparisonOp::*;
        assert!(compare(NumericEquals, &json!(1), &json!(1.0)));
        assert!(compare(NumericLessThan, &json!(1), &json!(1.5)));
        assert!(!compare(NumericEquals, &json!("1"), &json!(1)));
        assert!(compare(StringLessThan, &json!("a"), &json!("b")));
        assert!(compare(StringGreaterThanEquals, &json!("b"), &json!("b")));
        assert!(compare(BooleanEquals, &json!(true), &json!(true)));
        assert!(compare(
            TimestampLessThan,
            &json!("2016-03-14T01:59:00Z"),
            &json!("2016-03-14T02:59:00+00:30")
        ));
        assert!(compare(IsNull, &json!(null), &json!(true)));
        assert!(compare(IsString, &json!(1), &json!(false)));
        assert!(compare(
            IsTimestamp,
            &json!("2016-03-14T01:59:00Z"),
            &json!(true)
        ));
    }

    #[test]
    fn wildcards() {
        assert!(string_matches("log-2024.txt", "log-*.txt"));
        assert!(string_matches("anything", "*"));
        assert!(!string_matches("log.csv", "log-*.txt"));
        assert!(string_matches("a*b", "a\\*b"));
        assert!(!string_matches("axb", "a\\*b"));
        assert!(string_matches("abcbc", "a*bc"));
    }

    #[test]
    fn rules_in_order() {
        let def = json!({"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [
            {"Variable": "$.n", "NumericGreaterThan": 10, "Next": "Big"},
            {"And": [{"Variable": "$.n", "IsPresent": true}, {"Not": {"Variable": "$.n", "NumericEquals": 0}}], "Next": "Small"}
        ], "Default": "Zero"}, "Big": {"Type": "Succeed"}, "Small": {"Type": "Succeed"}, "Zero": {"Type": "Succeed"}}});
        let m = crate::StateMachine::from_value(&def).unwrap_or_else(|e| panic!("{e}"));
        let Some(crate::model::State::Choice(c)) = m.states.get("C") else {
            panic!("choice")
        };
        let pick = |input: Value| {
            choose(&c.choices, &Env::new(&input), None)
                .map(|r| r.and_then(|r| r.next.as_ref()).map(|n| n.to_string()))
        };
        assert_eq!(pick(json!({"n": 11})), Ok(Some("Big".to_owned())));
        assert_eq!(pick(json!({"n": 3})), Ok(Some("Small".to_owned())));
        assert_eq!(pick(json!({"n": 0})), Ok(None));
        assert!(pick(json!({})).is_err());
    }
}
