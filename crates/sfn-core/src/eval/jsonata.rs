//! JSONata expressions as a state evaluates them, with `$states` bound.
//!
//! In a JSONata state every expression sees the reserved variable `$states`:
//! `$states.input` (the state's input), `$states.context` (the context object),
//! `$states.result` (the task, Map or Parallel result, in `Output` and `Assign`) and
//! `$states.errorOutput` (in a catcher's `Output` and `Assign`), next to the workflow
//! variables.

use std::sync::OnceLock;

use serde_json::{Map, Value};

use crate::{
    error::StatesError,
    eval::{Variables, reads::Reads},
    jsonata::{EvaluateOptions, Evaluated},
    template::JsonataString,
};

/// What a JSONata expression of a state sees: `$states`, the variables in scope, and the
/// time `$now()` and `$millis()` report.
///
/// The scope borrows its parts: building one copies nothing. Each evaluation builds the
/// `$states` its expression sees from only what the expression's text may read of it
/// ([`Reads::of_jsonata`]): `$states.input.count` copies one number, not the input.
pub struct JsonataEnv<'a> {
    input: &'a Value,
    context: &'a Value,
    result: Option<&'a Value>,
    error_output: Option<&'a Value>,
    variables: &'a dyn Variables,
    now_millis: Option<i64>,
    /// The whole `$states`, built on the first [`Variables::get`] of it.
    whole: OnceLock<Value>,
}

impl<'a> JsonataEnv<'a> {
    /// A scope with `$states.input` and `$states.context`.
    pub fn new(input: &'a Value, context: &'a Value, variables: &'a dyn Variables) -> Self {
        JsonataEnv {
            input,
            context,
            result: None,
            error_output: None,
            variables,
            now_millis: None,
            whole: OnceLock::new(),
        }
    }

    /// The same scope with `$now()` and `$millis()` reporting `millis` (milliseconds since
    /// the Unix epoch): an engine passes its clock's time, so that runs on a virtual clock
    /// are deterministic. Without it they report the system time.
    pub fn with_now(mut self, millis: i64) -> Self {
        self.now_millis = Some(millis);
        self
    }

    /// What `$now()` and `$millis()` report, when set.
    pub fn now_millis(&self) -> Option<i64> {
        self.now_millis
    }

    /// The same scope with `$states.result` set.
    pub fn with_result(mut self, result: &'a Value) -> Self {
        self.result = Some(result);
        self.whole = OnceLock::new();
        self
    }

    /// The same scope with `$states.errorOutput` set.
    pub fn with_error_output(mut self, error_output: &'a Value) -> Self {
        self.error_output = Some(error_output);
        self.whole = OnceLock::new();
        self
    }

    /// `$states.input`.
    pub fn input(&self) -> &Value {
        self.input
    }

    /// `$states.context`.
    pub fn context(&self) -> &Value {
        self.context
    }

    /// `$states.result`, when set.
    pub fn result(&self) -> Option<&Value> {
        self.result
    }

    /// `$states.errorOutput`, when set.
    pub fn error_output(&self) -> Option<&Value> {
        self.error_output
    }

    /// The members of `$states`, in the order AWS lists them.
    fn members(&self) -> [(&'static str, Option<&'a Value>); 4] {
        [
            ("input", Some(self.input)),
            ("context", Some(self.context)),
            ("result", self.result),
            ("errorOutput", self.error_output),
        ]
    }

    /// The `$states` object, whole: a copy of the input, the context object and the
    /// result.
    pub fn states(&self) -> Value {
        self.states_for(&Reads::everything())
    }

    /// The part of `$states` that `reads` names.
    fn states_for(&self, reads: &Reads) -> Value {
        let mut states = Map::with_capacity(4);
        for (key, value) in self.members() {
            if let Some(v) = value.and_then(|v| reads.select_below(key, v)) {
                states.insert(key.to_owned(), v);
            }
        }
        Value::Object(states)
    }
}

impl Variables for JsonataEnv<'_> {
    /// `states` is the whole `$states`, built (copied) on first use; an expression
    /// evaluated with [`evaluate`] sees only the part it reads instead.
    fn get(&self, name: &str) -> Option<&Value> {
        if name == "states" {
            Some(self.whole.get_or_init(|| self.states()))
        } else {
            self.variables.get(name)
        }
    }
}

impl std::fmt::Debug for JsonataEnv<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JsonataEnv")
            .field("input", self.input)
            .field("context", self.context)
            .field("result", &self.result)
            .field("error_output", &self.error_output)
            .finish_non_exhaustive()
    }
}

/// What one evaluation sees: the part of `$states` its expression reads, then the
/// scope's variables.
struct Bindings<'s, 'a> {
    states: Value,
    scope: &'s JsonataEnv<'a>,
}

impl Variables for Bindings<'_, '_> {
    fn get(&self, name: &str) -> Option<&Value> {
        if name == "states" {
            Some(&self.states)
        } else {
            self.scope.variables.get(name)
        }
    }
}

/// The expression as AWS quotes it in causes: the text between `{%` and `%}`, trimmed.
pub fn expression_text(expr: &JsonataString) -> &str {
    let raw = expr.as_str();
    raw.get(2..raw.len().saturating_sub(2))
        .unwrap_or(raw)
        .trim()
}

/// Why an expression gave no value.
enum RunError {
    /// JSONata's error code and message.
    Jsonata(String, String),
    /// The expression yielded a function, which is not JSON.
    Function,
}

/// Runs the parsed expression. The one place this module calls the JSONata evaluator.
fn run(expr: &JsonataString, scope: &JsonataEnv<'_>) -> Result<Option<Value>, RunError> {
    let options = EvaluateOptions {
        now_millis: scope.now_millis,
        ..EvaluateOptions::default()
    };
    let reads = expr.reads();
    let bindings = Bindings {
        states: scope.states_for(&reads.states),
        scope,
    };
    // The context item `$` is converted for the evaluator whole: only when it may be read.
    let item = reads.context_item.then_some(scope.input);
    match expr.expression().evaluate_value(item, &bindings, &options) {
        Ok(Evaluated::Value(v)) => Ok(v),
        Ok(Evaluated::Function) => Err(RunError::Function),
        Err(e) => Err(RunError::Jsonata(e.code, e.message)),
    }
}

/// Evaluates `expr`, the value of `field` (such as `Output/result`); `None` when the
/// expression yields nothing (JSONata's `undefined`).
///
/// # Errors
///
/// `States.QueryEvaluationError`, worded as AWS words it, when the expression fails.
pub fn evaluate_optional(
    expr: &JsonataString,
    field: &str,
    scope: &JsonataEnv<'_>,
) -> Result<Option<Value>, StatesError> {
    run(expr, scope).map_err(|e| match e {
        RunError::Jsonata(code, message) => StatesError::query_evaluation(format!(
            "The JSONata expression '{}' specified for the field '{field}' threw an error during evaluation. {code}: {message}",
            expression_text(expr),
        )),
        RunError::Function => StatesError::query_evaluation(format!(
            "The JSONata expression '{}' specified for the field '{field}' returned an unsupported result type.",
            expression_text(expr)
        )),
    })
}

/// Evaluates `expr`, the value of `field`, which must yield a value.
///
/// # Errors
///
/// `States.QueryEvaluationError` when the expression fails or yields nothing.
pub fn evaluate(
    expr: &JsonataString,
    field: &str,
    scope: &JsonataEnv<'_>,
) -> Result<Value, StatesError> {
    evaluate_optional(expr, field, scope)?.ok_or_else(|| undefined(expr, field))
}

/// The error for an expression that yielded nothing.
pub fn undefined(expr: &JsonataString, field: &str) -> StatesError {
    StatesError::query_evaluation(format!(
        "The JSONata expression '{}' specified for the field '{field}' returned nothing (undefined).",
        expression_text(expr)
    ))
}

/// The name AWS gives a JSON value's type in causes (`'boolean'`, `'object'`, …).
pub fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The error for an expression that yielded a value of the wrong type.
pub fn unexpected_type(
    expr: &JsonataString,
    field: &str,
    expected: &str,
    found: &Value,
) -> StatesError {
    StatesError::query_evaluation(format!(
        "The JSONata expression '{}' specified for the field '{field}' returned an unexpected result type. Expected '{expected}', but was '{}' for value: {}",
        expression_text(expr),
        type_name(found),
        found
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::NoVariables;
    use serde_json::json;

    #[test]
    fn states_is_bound() {
        let input = json!({"a": 1});
        let result = json!(2);
        let scope = JsonataEnv::new(&input, &Value::Null, &NoVariables).with_result(&result);
        assert_eq!(
            scope.get("states").and_then(|s| s.get("input")),
            Some(&input)
        );
        assert_eq!(scope.result(), Some(&json!(2)));
        assert_eq!(scope.input(), &input);
        assert!(scope.error_output().is_none());
    }

    #[test]
    fn an_expression_sees_what_it_reads() {
        let input = json!({"a": {"b": 1}, "c": [1, 2]});
        let context = json!({"Execution": {"Input": {"x": 1}}, "State": {"Name": "S"}});
        let vars = json!({"v": 7});
        let Value::Object(vars) = vars else {
            panic!("object")
        };
        let result = json!({"r": true});
        let scope = JsonataEnv::new(&input, &context, &vars).with_result(&result);
        let eval = |text: &str| {
            let Some(Ok(expr)) = JsonataString::parse(text) else {
                panic!("parse {text}")
            };
            evaluate(&expr, "Output", &scope).ok()
        };
        assert_eq!(eval("{% $states.input.a.b + $v %}"), Some(json!(8)));
        assert_eq!(eval("{% $states.context.State.Name %}"), Some(json!("S")));
        assert_eq!(
            eval("{% $keys($states) %}"),
            Some(json!(["input", "context", "result"]))
        );
        assert_eq!(eval("{% $states.input.c[1] %}"), Some(json!(2)));
        assert_eq!(eval("{% $states.result %}"), Some(json!({"r": true})));
        assert_eq!(eval("{% $count($states.input.c) %}"), Some(json!(2)));
        assert_eq!(eval("{% $states.input.a.%.c[0] %}"), Some(json!(1)));
        assert_eq!(eval("{% a.b %}"), Some(json!(1)));
        assert_eq!(
            eval("{% $states.context.Execution.Input %}"),
            Some(json!({"x": 1}))
        );
        let part = Reads::of_jsonata("$states.input.a", "states");
        assert_eq!(scope.states_for(&part), json!({"input": {"a": {"b": 1}}}));
    }

    #[test]
    fn now_is_the_scope_s_time() {
        let Some(Ok(expr)) = JsonataString::parse("{% [$millis(), $now()] %}") else {
            panic!("parse")
        };
        let scope =
            JsonataEnv::new(&Value::Null, &Value::Null, &NoVariables).with_now(1_704_067_200_123);
        assert_eq!(
            evaluate(&expr, "Output", &scope).ok(),
            Some(json!([1_704_067_200_123_i64, "2024-01-01T00:00:00.123Z"]))
        );
    }

    #[test]
    fn wording() {
        let Some(Ok(expr)) = JsonataString::parse("{% $x %}") else {
            panic!("parse")
        };
        assert_eq!(expression_text(&expr), "$x");
        assert_eq!(
            undefined(&expr, "Output/a").cause,
            "The JSONata expression '$x' specified for the field 'Output/a' returned nothing (undefined)."
        );
        assert_eq!(
            unexpected_type(&expr, "Items", "array", &json!(true)).cause,
            "The JSONata expression '$x' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was 'boolean' for value: true"
        );
    }
}
