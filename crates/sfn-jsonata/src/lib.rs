//! JSONata, as Step Functions runs it.
//!
//! A recursive-descent (Pratt) parser and a tree-walking evaluator written for sfn,
//! following the reference implementation (jsonata-js 2.x) step by step: paths and
//! sequences, predicates, `*`/`**`, `%` parent, `@`/`#` bindings, grouping, order-by,
//! lambdas and closures with tail calls, partial application, regexes and custom matcher
//! functions, transforms and the function library with its XPath picture strings
//! (`$formatNumber`, `$formatInteger`/`$parseInteger`, `$fromMillis`/`$toMillis`/`$now`),
//! plus the functions Step Functions adds (`$partition`, `$range`,
//! `$hash`, `$random`, `$uuid`, `$parse`). `$eval` is not available (calling it fails with
//! `T1006`, as for any undefined function).
//!
//! # Why our own implementation
//!
//! Two crates were weighed. `jsonata-rs` (Stedi, 0.3.x) calls itself incomplete: its own
//! harness runs 835 of the reference suite's cases and skips 394 (transforms, grouping,
//! signatures, `$formatNumber`, parent, sorting, errors, …), it allocates every value in a
//! `bumpalo` arena with a lifetime-bound value type, and it pulls `clap`, `rand`, `uuid` and
//! `regress` into the library. `jsonata` (0.0.0) is an abandoned stub. Step Functions needs
//! its own functions, exact error codes (its causes quote them, e.g.
//! `T1006: Attempted to invoke a non-function`) and full conformance, which a wrapper could
//! not give us.
//!
//! # Example
//!
//! ```
//! use sfn_jsonata::Expression;
//!
//! let expr = Expression::parse("$sum(items.price) * 2")?;
//! let input = serde_json::json!({"items": [{"price": 1}, {"price": 2.5}]});
//! let out = expr.evaluate(Some(&input), &sfn_jsonata::NoVariables)?;
//! assert_eq!(out, Some(serde_json::json!(7)));
//! # Ok::<(), sfn_jsonata::JsonataError>(())
//! ```

use std::fmt;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

mod ast;
mod datetime;
mod errors;
mod evaluator;
mod format;
mod functions;
mod integer_picture;
mod number_picture;
mod parser;
mod signature;
mod value;

pub mod digest;
mod variables;

pub use variables::{NoVariables, Variables};

/// Why a JSONata expression failed to parse or to evaluate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct JsonataError {
    /// JSONata's error code (`S0201`, `T2001`, …).
    pub code: String,
    /// What is wrong, for a person (jsonata-js's wording).
    pub message: String,
    /// Where in the expression (in characters), when known.
    pub position: Option<usize>,
    /// The token the error is about (an operator, a function name), when known.
    pub token: Option<String>,
}

impl JsonataError {
    /// The error as Step Functions quotes it in a `States.QueryEvaluationError` cause:
    /// `"{code}: {message}"`.
    pub fn cause(&self) -> String {
        format!("{}: {}", self.code, self.message)
    }
}

/// Limits and the clock for one evaluation.
#[derive(Debug, Clone, Copy)]
pub struct EvaluateOptions {
    /// The deepest nesting of evaluation steps allowed before failing with `U1001`.
    /// Guards the native stack against runaway recursion.
    pub max_depth: usize,
    /// How many bytes of native stack evaluation may use before failing with `U1001`;
    /// keep it well below the stack size of the thread that evaluates (tokio's workers
    /// have 2 MiB).
    pub max_stack_bytes: usize,
    /// How long evaluation may run before failing with `U1001`.
    pub time_limit: Option<Duration>,
    /// What `$now()` and `$millis()` report, in milliseconds since the Unix epoch
    /// (the current time when `None`).
    pub now_millis: Option<i64>,
}

impl Default for EvaluateOptions {
    fn default() -> Self {
        EvaluateOptions {
            max_depth: 1000,
            max_stack_bytes: 1024 * 1024,
            time_limit: Some(Duration::from_secs(10)),
            now_millis: None,
        }
    }
}

/// A parsed JSONata expression (the text between `{%` and `%}`).
///
/// The expression is parsed once; evaluations share its immutable syntax tree, so an
/// `Expression` is cheap to clone and can be evaluated from many threads at once (runtime
/// values, scopes and closures are created per evaluation).
#[derive(Clone)]
pub struct Expression {
    text: String,
    ast: Arc<ast::Node>,
}

// The syntax tree is shared across threads: keep it `Send + Sync`.
const _: () = {
    const fn send_sync<T: Send + Sync>() {}
    send_sync::<Expression>();
};

impl Expression {
    /// Parses an expression.
    pub fn parse(text: &str) -> Result<Self, JsonataError> {
        let ast = parser::parse(text).map_err(errors::Error::into_public)?;
        Ok(Expression {
            text: text.to_owned(),
            ast: Arc::new(ast),
        })
    }

    /// The expression as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Evaluates the expression against `input` (`None` is JSONata's `undefined`), looking
    /// variables up in `bindings` (`$states` is the binding named `states`). Returns `None`
    /// when the result is `undefined`.
    pub fn evaluate(
        &self,
        input: Option<&serde_json::Value>,
        bindings: &dyn Variables,
    ) -> Result<Option<serde_json::Value>, JsonataError> {
        self.evaluate_with(input, bindings, &EvaluateOptions::default())
    }

    /// [`Expression::evaluate`] with explicit limits and clock.
    pub fn evaluate_with(
        &self,
        input: Option<&serde_json::Value>,
        bindings: &dyn Variables,
        options: &EvaluateOptions,
    ) -> Result<Option<serde_json::Value>, JsonataError> {
        match self.evaluate_value(input, bindings, options)? {
            Evaluated::Value(v) => Ok(v),
            Evaluated::Function => Ok(Some(serde_json::Value::String(String::new()))),
        }
    }

    /// Like [`Expression::evaluate_with`], but tells a function result apart (Step Functions
    /// rejects it as "an unsupported result type").
    pub fn evaluate_value(
        &self,
        input: Option<&serde_json::Value>,
        bindings: &dyn Variables,
        options: &EvaluateOptions,
    ) -> Result<Evaluated, JsonataError> {
        let now = options
            .now_millis
            .unwrap_or_else(|| chrono::Utc::now().timestamp_millis());
        let deadline = options.time_limit.map(|d| Instant::now() + d);
        let mut ev = evaluator::Evaluator::new(
            bindings,
            options.max_depth,
            options.max_stack_bytes,
            deadline,
            now,
        );
        let root = ev.root();
        let mut input_val = input
            .map(value::Value::from_json)
            .unwrap_or(value::Value::Undefined);
        ev.bind(&root, "$", input_val.clone());
        if let value::Value::Array(a, _) = &input_val {
            input_val = value::Value::Array(
                Rc::new(vec![value::Value::Array(a.clone(), value::Flags::NONE)]),
                value::Flags {
                    sequence: true,
                    outer_wrapper: true,
                    ..value::Flags::NONE
                },
            );
        }
        let result = ev.evaluate(&self.ast, &input_val, &root);
        let out = match result {
            Ok(v) if v.is_function() => Ok(Evaluated::Function),
            Ok(v) => Ok(Evaluated::Value(v.to_json())),
            Err(e) => Err(e.into_public()),
        };
        ev.release();
        out
    }
}

/// The outcome of [`Expression::evaluate_value`].
#[derive(Debug, Clone, PartialEq)]
pub enum Evaluated {
    /// A JSON value, or `None` for `undefined`.
    Value(Option<serde_json::Value>),
    /// A function (a lambda, a built-in, a regex).
    Function,
}

impl PartialEq for Expression {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl fmt::Debug for Expression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Expression({:?})", self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::NoVariables;

    fn on_small_stack(f: impl FnOnce() + Send + 'static) {
        let h = std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(f)
            .expect("spawn");
        assert!(h.join().is_ok(), "overflowed or panicked on a 2 MiB stack");
    }

    #[test]
    fn deep_recursion_fails_cleanly_on_a_small_stack() {
        on_small_stack(|| {
            let e = Expression::parse(
                "($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(100000))",
            )
            .expect("parses");
            let err = e.evaluate(None, &NoVariables).expect_err("too deep");
            assert_eq!(err.code, "U1001");
        });
    }

    #[test]
    fn deep_nesting_fails_cleanly_on_a_small_stack() {
        on_small_stack(|| {
            let text = format!("{}1{}", "(".repeat(5000), ")".repeat(5000));
            assert!(Expression::parse(&text).is_err());
            let text = format!("{}1{}", "[".repeat(5000), "]".repeat(5000));
            assert!(Expression::parse(&text).is_err());
            let text = format!("{}1", "-".repeat(5000));
            assert!(Expression::parse(&text).is_err());
        });
    }

    /// The functions Step Functions adds follow JSONata's sequence rules: a sequence a path
    /// makes is an array argument, a single value is a one-member array where an array is
    /// expected, and an array result stays an array even with one member.
    #[test]
    fn step_functions_functions_follow_sequence_rules() {
        let input = serde_json::json!({"items": [{"id": 1}, {"id": 2}, {"id": 3}], "one": [{"id": 7, "s": "5"}]});
        let eval = |s: &str| {
            Expression::parse(s)
                .and_then(|e| e.evaluate(Some(&input), &NoVariables))
                .ok()
                .flatten()
        };
        let j = |v| Some(v);
        assert_eq!(
            eval("$partition(items.id, 2)"),
            j(serde_json::json!([[1, 2], [3]]))
        );
        assert_eq!(eval("$partition(one.id, 2)"), j(serde_json::json!([[7]])));
        assert_eq!(eval("$partition('a', 1)"), j(serde_json::json!([["a"]])));
        assert_eq!(eval("$partition(nothing, 1)"), None);
        assert_eq!(eval("$range(1, 1)"), j(serde_json::json!(1)));
        assert_eq!(eval("$range(1, 9, 9)"), j(serde_json::json!(1)));
        assert_eq!(eval("[$range(1, 1)]"), j(serde_json::json!([1])));
        assert_eq!(eval("$range(2, 1)"), j(serde_json::json!([])));
        assert_eq!(eval("$range(5, 1, -2)"), j(serde_json::json!([5, 3, 1])));
        assert_eq!(eval("$range(0, 1, 0.5)"), j(serde_json::json!([0, 0.5, 1])));
        assert_eq!(eval("$range(nothing, 1)"), None);
        assert_eq!(eval("$parse(one.s)"), j(serde_json::json!(5)));
        assert_eq!(
            eval("$parse('{\"a\": [1, 2]}').a"),
            j(serde_json::json!([1, 2]))
        );
        assert_eq!(eval("$hash(nothing)"), None);
        let err = Expression::parse("$hash(items.id)")
            .and_then(|e| e.evaluate(Some(&input), &NoVariables))
            .expect_err("a sequence of three is not a string");
        assert_eq!(err.code, "T0410");
    }

    #[test]
    fn step_functions_functions() {
        let eval = |s: &str| Expression::parse(s).and_then(|e| e.evaluate(None, &NoVariables));
        assert_eq!(
            eval("$partition([1,2,3], 2)").ok().flatten(),
            Some(serde_json::json!([[1, 2], [3]]))
        );
        assert_eq!(
            eval("$range(0, 10, 3)").ok().flatten(),
            Some(serde_json::json!([0, 3, 6, 9]))
        );
        assert_eq!(
            eval("$hash('abc', 'SHA-256')").ok().flatten(),
            Some(serde_json::json!(
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
            ))
        );
        assert_eq!(
            eval("$parse('[1, \"a\"]')").ok().flatten(),
            Some(serde_json::json!([1, "a"]))
        );
        assert_eq!(
            eval("$length($uuid())").ok().flatten(),
            Some(serde_json::json!(36))
        );
        let r = eval("$random(7) = $random(7)").ok().flatten();
        assert_eq!(r, Some(serde_json::json!(true)));
        let err = eval("$eval('1')").expect_err("no $eval");
        assert_eq!(err.cause(), "T1006: Attempted to invoke a non-function");
        let err = eval("$randomSeeded(1)").expect_err("undefined function");
        assert_eq!(err.cause(), "T1006: Attempted to invoke a non-function");
    }

    #[test]
    fn one_parse_is_evaluated_from_many_threads() {
        let e = Arc::new(Expression::parse("$formatInteger($ * 2, 'w')").expect("parses"));
        let handles: Vec<_> = (0..4)
            .map(|i| {
                let e = e.clone();
                std::thread::spawn(move || e.evaluate(Some(&serde_json::json!(i)), &NoVariables))
            })
            .collect();
        let out: Vec<_> = handles.into_iter().map(|h| h.join().ok()).collect();
        assert_eq!(out[3], Some(Ok(Some(serde_json::json!("six")))));
    }

    #[test]
    fn pictures_that_would_build_huge_strings_fail() {
        let e = Expression::parse("$fromMillis(0, '[D,100000000]')").expect("parses");
        let err = e.evaluate(None, &NoVariables).expect_err("too wide");
        assert_eq!(err.code, "D3137");
        let e = Expression::parse("$formatInteger(1e300, 'I')").expect("parses");
        assert_eq!(
            e.evaluate(None, &NoVariables).map_err(|e| e.code),
            Err("D3137".into())
        );
    }

    #[test]
    fn paths_into_a_binding_read_only_what_they_need() {
        let mut vars = serde_json::Map::new();
        vars.insert(
            "states".into(),
            serde_json::json!({"input": {
                "a": 5,
                "b": {"c": [1, 2]},
                "items": [{"id": 1, "price": 1}, {"id": 2, "price": 3}],
                "rows": [{"x": {"y": 1}}, {"x": {"y": 2}}]
            }}),
        );
        let eval = |s: &str| {
            Expression::parse(s)
                .and_then(|e| e.evaluate(None, &vars))
                .map_err(|e| e.code)
        };
        use serde_json::json;
        assert_eq!(eval("$states.input.a + 1"), Ok(Some(json!(6))));
        assert_eq!(eval("$states.input.b.c"), Ok(Some(json!([1, 2]))));
        assert_eq!(eval("$states.input.b.c[1]"), Ok(Some(json!(2))));
        assert_eq!(
            eval("$states.input.items[price > 2].id"),
            Ok(Some(json!(2)))
        );
        assert_eq!(eval("$states.input.rows.x.y"), Ok(Some(json!([1, 2]))));
        assert_eq!(eval("$states.input.missing.z"), Ok(None));
        assert_eq!(eval("$count($keys($states.input))"), Ok(Some(json!(4))));
        assert_eq!(eval("$states.input.b.%.a"), Ok(Some(json!(5))));
        assert_eq!(eval("$count($states.input.*)"), Ok(Some(json!(6))));
        assert_eq!(
            eval("($states := {'input': {'a': 1}}; $states.input.a)"),
            Ok(Some(json!(1)))
        );
        assert_eq!(
            eval("[1, 2].($states.input.a + $)"),
            Ok(Some(json!([6, 7])))
        );
    }

    #[test]
    fn states_binding() {
        let mut vars = serde_json::Map::new();
        vars.insert("states".into(), serde_json::json!({"input": {"a": [1, 2]}}));
        let e = Expression::parse("$sum($states.input.a)").expect("parses");
        assert_eq!(e.evaluate(None, &vars), Ok(Some(serde_json::json!(3))));
        let f = Expression::parse("function($x){$x}").expect("parses");
        let out = f.evaluate_value(None, &vars, &EvaluateOptions::default());
        assert_eq!(out, Ok(Evaluated::Function));
    }
}
