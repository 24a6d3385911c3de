//! Labels in short form: Choice rules (`$.sum > 0`, `And(…)`), resources, waits.

use serde_json::Value;
use sfn_core::model::{
    ChoiceRule, ComparisonOp, Condition, IntOrExpr, Operand, Resource, ResourceKind, StringOrExpr,
    WaitState,
};

/// The longest label, in characters, before it is cut with `…`.
pub const MAX_LABEL: usize = 40;

/// `text` cut to `max` characters, the last one `…` when cut; whitespace runs collapsed.
pub fn shorten(text: &str, max: usize) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() <= max {
        return collapsed;
    }
    let mut out: String = collapsed.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// A Choice rule in short form: `$.sum > 0`, `$.kind == "a"`, `And($.a > 1, $.b is null)`,
/// a JSONata condition without its delimiters; cut to [`MAX_LABEL`] characters.
pub fn rule(rule: &ChoiceRule) -> String {
    shorten(&condition(&rule.condition), MAX_LABEL)
}

fn condition(c: &Condition) -> String {
    match c {
        Condition::Compare {
            variable,
            op,
            operand,
        } => compare(variable.as_str(), *op, operand),
        Condition::And(rules) => format!("And({})", list(rules)),
        Condition::Or(rules) => format!("Or({})", list(rules)),
        Condition::Not(rule) => format!("Not({})", condition(&rule.condition)),
        Condition::Jsonata(j) => jsonata(j.as_str()),
        Condition::Literal(b) => b.to_string(),
        _ => "…".to_owned(),
    }
}

fn list(rules: &[ChoiceRule]) -> String {
    rules
        .iter()
        .map(|r| condition(&r.condition))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A JSONata expression without its `{%` `%}`.
pub fn jsonata(text: &str) -> String {
    let inner = text
        .strip_prefix("{%")
        .and_then(|t| t.strip_suffix("%}"))
        .unwrap_or(text);
    inner.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn compare(var: &str, op: ComparisonOp, operand: &Operand) -> String {
    use ComparisonOp::*;
    let value = match operand {
        Operand::Literal(v) => literal(v),
        Operand::Path(p) => p.as_str().to_owned(),
    };
    let is = |what: &str| match operand {
        Operand::Literal(Value::Bool(false)) => format!("{var} is not {what}"),
        Operand::Literal(_) => format!("{var} is {what}"),
        Operand::Path(p) => format!("{var} is {what} == {}", p.as_str()),
    };
    let symbol = match op {
        StringEquals | NumericEquals | BooleanEquals | TimestampEquals => "==",
        StringLessThan | NumericLessThan | TimestampLessThan => "<",
        StringGreaterThan | NumericGreaterThan | TimestampGreaterThan => ">",
        StringLessThanEquals | NumericLessThanEquals | TimestampLessThanEquals => "<=",
        StringGreaterThanEquals | NumericGreaterThanEquals | TimestampGreaterThanEquals => ">=",
        StringMatches => "matches",
        IsNull => return is("null"),
        IsPresent => return is("present"),
        IsNumeric => return is("numeric"),
        IsString => return is("string"),
        IsBoolean => return is("boolean"),
        IsTimestamp => return is("timestamp"),
        _ => op.as_str(),
    };
    format!("{var} {symbol} {value}")
}

fn literal(v: &Value) -> String {
    v.to_string()
}

/// A Task's resource in short form: `activity:add`, `lambda:name`, `sqs:sendMessage.waitForTaskToken`.
pub fn resource(r: &Resource) -> String {
    let text = match r.kind() {
        ResourceKind::Activity { name } => format!("activity:{name}"),
        ResourceKind::LambdaFunction { name } => format!("lambda:{name}"),
        ResourceKind::Service { .. } => {
            // `arn:aws:states:::SERVICE:ACTION[.PATTERN]`: everything after the fifth colon.
            let arn = r.as_str();
            arn.splitn(6, ':').nth(5).unwrap_or(arn).to_owned()
        }
        _ => r
            .as_str()
            .rsplit(':')
            .next()
            .unwrap_or(r.as_str())
            .to_owned(),
    };
    shorten(&text, MAX_LABEL)
}

/// A Wait's time in short form: `10 s`, `until $.when`.
pub fn wait(w: &WaitState) -> String {
    let text = if let Some(s) = &w.seconds {
        match s {
            IntOrExpr::Int(n) => format!("{n} s"),
            IntOrExpr::Jsonata(j) => format!("{} s", jsonata(j.as_str())),
        }
    } else if let Some(p) = &w.seconds_path {
        format!("{} s", p.as_str())
    } else if let Some(t) = &w.timestamp {
        match t {
            StringOrExpr::String(s) => format!("until {s}"),
            StringOrExpr::Jsonata(j) => format!("until {}", jsonata(j.as_str())),
        }
    } else if let Some(p) = &w.timestamp_path {
        format!("until {}", p.as_str())
    } else {
        String::new()
    };
    shorten(&text, MAX_LABEL)
}

/// A Fail's error in short form.
pub fn fail_error(error: Option<&StringOrExpr>, path: Option<&str>) -> Option<String> {
    let text = match (error, path) {
        (Some(StringOrExpr::String(s)), _) => s.clone(),
        (Some(StringOrExpr::Jsonata(j)), _) => jsonata(j.as_str()),
        (None, Some(p)) => p.to_owned(),
        _ => return None,
    };
    Some(shorten(&text, MAX_LABEL))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule_of(json: &str) -> String {
        let def = format!(
            r#"{{"StartAt":"C","States":{{"C":{{"Type":"Choice","Choices":[{json}],"Default":"E"}},"N":{{"Type":"Succeed"}},"E":{{"Type":"Succeed"}}}}}}"#
        );
        let m: sfn_core::StateMachine = def.parse().unwrap_or_else(|e| panic!("{e}"));
        match m.states.get("C") {
            Some(sfn_core::model::State::Choice(c)) => rule(&c.choices[0]),
            _ => panic!("no choice"),
        }
    }

    #[test]
    fn comparisons_in_short_form() {
        assert_eq!(
            rule_of(r#"{"Variable":"$.sum","NumericGreaterThan":0,"Next":"N"}"#),
            "$.sum > 0"
        );
        assert_eq!(
            rule_of(r#"{"Variable":"$.kind","StringEquals":"a","Next":"N"}"#),
            r#"$.kind == "a""#
        );
        assert_eq!(
            rule_of(r#"{"Variable":"$.a","NumericLessThanEqualsPath":"$.b","Next":"N"}"#),
            "$.a <= $.b"
        );
        assert_eq!(
            rule_of(r#"{"Variable":"$.x","IsPresent":false,"Next":"N"}"#),
            "$.x is not present"
        );
    }

    #[test]
    fn combinations_and_cut() {
        assert_eq!(
            rule_of(
                r#"{"And":[{"Variable":"$.a","NumericGreaterThan":1},{"Not":{"Variable":"$.b","IsNull":true}}],"Next":"N"}"#
            ),
            "And($.a > 1, Not($.b is null))"
        );
        let long = rule_of(
            r#"{"Or":[{"Variable":"$.first_long_name","StringEquals":"alpha"},{"Variable":"$.second","StringEquals":"beta"}],"Next":"N"}"#,
        );
        assert_eq!(long.chars().count(), MAX_LABEL);
        assert!(long.ends_with('…'));
    }

    #[test]
    fn jsonata_without_delimiters() {
        assert_eq!(jsonata("{% $x  >\n 3 %}"), "$x > 3");
    }
}
