//! Payload templates: `Parameters`, `ResultSelector`, `ItemSelector` and `Assign` in
//! JSONPath states (keys ending in `.$`), `Arguments`, `Output`, `Assign`, `Items` and
//! `ItemSelector` in JSONata states (`{% … %}` strings).

use serde_json::{Map, Value};

use crate::{
    error::StatesError,
    eval::{Env, jsonata::JsonataEnv},
    path::{JsonPath, PathRoot},
    template::{PathExpr, Template},
};

/// Evaluates a JSONPath template: every `key.$` entry becomes `key` with the value its
/// path or intrinsic function call gives.
///
/// # Errors
///
/// `States.Runtime` when a path selects nothing (`The JSONPath '$.x' specified for the
/// field 'x.$' could not be found in the input '…'`), or the error of a failed intrinsic
/// function call.
pub fn evaluate(template: &Template, scope: &Env<'_>) -> Result<Value, StatesError> {
    match template {
        Template::Literal(v) => Ok(v.clone()),
        Template::Object(entries) => {
            let mut out = Map::with_capacity(entries.len());
            for (key, node) in entries {
                match node {
                    Template::Dynamic(expr) => {
                        let name = key.strip_suffix(".$").unwrap_or(key);
                        out.insert(name.to_owned(), evaluate_dynamic(expr, key, scope)?);
                    }
                    other => {
                        out.insert(key.clone(), evaluate(other, scope)?);
                    }
                }
            }
            Ok(Value::Object(out))
        }
        Template::Array(items) => items
            .iter()
            .map(|t| evaluate(t, scope))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        Template::Dynamic(expr) => evaluate_dynamic(expr, expr.as_str(), scope),
        Template::Jsonata(j) => Ok(Value::String(j.as_str().to_owned())),
    }
}

/// Evaluates the value of the `.$` field `field`: a path or an intrinsic function call.
///
/// # Errors
///
/// As [`evaluate`].
pub fn evaluate_dynamic(
    expr: &PathExpr,
    field: &str,
    scope: &Env<'_>,
) -> Result<Value, StatesError> {
    match expr {
        PathExpr::Path(path) => path
            .select(scope)
            .ok_or_else(|| path_not_found(path, Some(field), scope)),
        PathExpr::Intrinsic(call) => call.evaluate_for_field(scope, field),
    }
}

/// The error for a path (in the field `field`, when known) that selects nothing, as AWS
/// words it: "in the input" also for a context path (`$$.…`), whose data is the context
/// object.
pub fn path_not_found(path: &JsonPath, field: Option<&str>, scope: &Env<'_>) -> StatesError {
    let data = match path.root_ref() {
        PathRoot::Context => scope.context,
        PathRoot::Input | PathRoot::Variable(_) => scope.input,
    };
    let data = serde_json::to_string(data).unwrap_or_default();
    StatesError::runtime(match field {
        Some(field) => format!(
            "The JSONPath '{path}' specified for the field '{field}' could not be found in the input '{data}'"
        ),
        None => format!("The JSONPath '{path}' could not be found in the input '{data}'"),
    })
}

/// Evaluates a JSONata template, the value of `field` (`Output`, `Arguments`, …): every
/// `{% … %}` string becomes its expression's value. Causes name the field and the key
/// path inside it (`Output/result`).
///
/// # Errors
///
/// `States.QueryEvaluationError` when an expression fails or yields nothing.
pub fn evaluate_jsonata(
    template: &Template,
    field: &str,
    scope: &JsonataEnv<'_>,
) -> Result<Value, StatesError> {
    let mut path = String::from(field);
    jsonata_node(template, &mut path, scope)
}

fn jsonata_node(
    template: &Template,
    path: &mut String,
    scope: &JsonataEnv<'_>,
) -> Result<Value, StatesError> {
    match template {
        Template::Literal(v) => Ok(v.clone()),
        Template::Jsonata(expr) => super::jsonata::evaluate(expr, path, scope),
        Template::Object(entries) => {
            let mut out = Map::with_capacity(entries.len());
            let len = path.len();
            for (key, node) in entries {
                path.push('/');
                path.push_str(key);
                let value = jsonata_node(node, path, scope)?;
                path.truncate(len);
                out.insert(key.clone(), value);
            }
            Ok(Value::Object(out))
        }
        Template::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            let len = path.len();
            for (i, node) in items.iter().enumerate() {
                path.push('/');
                path.push_str(&i.to_string());
                out.push(jsonata_node(node, path, scope)?);
                path.truncate(len);
            }
            Ok(Value::Array(out))
        }
        Template::Dynamic(d) => Ok(Value::String(d.as_str().to_owned())),
    }
}

/// Evaluates an `Assign` block into the variables it sets, in the order written.
///
/// All values are computed before any is set, from the variables as they were when the
/// state started, as AWS does.
///
/// # Errors
///
/// As [`evaluate`] (JSONPath) or [`evaluate_jsonata`] (JSONata).
pub fn evaluate_assign(
    assign: &Template,
    scope: &Env<'_>,
    jsonata: Option<&JsonataEnv<'_>>,
) -> Result<Map<String, Value>, StatesError> {
    let value = match jsonata {
        Some(js) => evaluate_jsonata(assign, "Assign", js)?,
        None => evaluate(assign, scope)?,
    };
    match value {
        Value::Object(map) => Ok(map),
        other => Err(StatesError::runtime(format!(
            "The Assign field must be an object, but was: {other}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::QueryLanguage;
    use serde_json::json;

    fn parse(v: Value) -> Template {
        let mut problems = Vec::new();
        let t = Template::parse(&v, QueryLanguage::JSONPath, &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        t
    }

    #[test]
    fn paths_and_intrinsics() {
        let t = parse(
            json!({"a.$": "$.x", "b": {"c.$": "States.Format('n={}', $.n)"}, "d": [1, {"e.$": "$$.Execution.Id"}]}),
        );
        let input = json!({"x": [1], "n": 3});
        let ctx = json!({"Execution": {"Id": "id"}});
        let out = evaluate(&t, &Env::new(&input).with_context(&ctx));
        assert_eq!(
            out,
            Ok(json!({"a": [1], "b": {"c": "n=3"}, "d": [1, {"e": "id"}]}))
        );
    }

    #[test]
    fn missing_path_is_worded_as_aws() {
        let t = parse(json!({"value.$": "$.no_such_jsonpath"}));
        let input = json!({"a": 1});
        let err = evaluate(&t, &Env::new(&input));
        assert_eq!(
            err.map_err(|e| (e.error, e.cause)),
            Err((
                "States.Runtime".to_owned(),
                "The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '{\"a\":1}'".to_owned()
            ))
        );
    }

    #[test]
    fn assign_with_variables() {
        let t = parse(json!({"x.$": "$v", "y": 2}));
        let mut vars = Map::new();
        vars.insert("v".to_owned(), json!("old"));
        let input = json!({});
        let out = evaluate_assign(&t, &Env::new(&input).with_variables(&vars), None);
        assert_eq!(out.map(Value::Object), Ok(json!({"x": "old", "y": 2})));
    }
}
