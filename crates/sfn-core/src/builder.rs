//! Building state machines in Rust code.
//!
//! Each state type has its own builder, with methods for exactly the fields that type
//! allows, so a Choice can't be given `Parameters` nor a Fail a `Next`. Paths,
//! templates and expressions are checked when the machine is built: [`MachineBuilder::build`]
//! runs the full validator and returns every problem at once.
//!
//! ```
//! use sfn_core::builder::*;
//! use serde_json::json;
//!
//! let machine = MachineBuilder::new("Add")
//!     .comment("Adds two numbers and reports the sign.")
//!     .state("Add", Task::new("arn:aws:states:us-east-1:123456789012:activity:add").result_path("$.sum").timeout_seconds(60).next("Sign"))
//!     .state(
//!         "Sign",
//!         Choice::new()
//!             .rule(Rule::compare("$.sum", Op::NumericGreaterThan, json!(0)).next("Positive"))
//!             .default("Negative"),
//!     )
//!     .state("Positive", Succeed::new())
//!     .state("Negative", Fail::new().error("Negative").cause("the sum is below zero"))
//!     .build()?;
//! assert_eq!(machine.states.len(), 4);
//! # Ok::<(), sfn_core::ParseError>(())
//! ```

use serde_json::{Map as JsonMap, Value, json};

pub use crate::model::ComparisonOp as Op;
use crate::{
    ParseError, StateMachine,
    diagnostic::Diagnostics,
    model::{JitterStrategy, QueryLanguage},
    validate::{ValidateOptions, validate_value_with},
};

/// Anything that becomes a state.
pub trait StateBuilder {
    /// The state as ASL JSON.
    fn into_json(self) -> Value;
}

/// Builds a whole machine.
#[derive(Debug, Clone)]
#[must_use]
pub struct MachineBuilder {
    json: JsonMap<String, Value>,
    states: JsonMap<String, Value>,
}

impl MachineBuilder {
    /// A machine starting at `start_at`.
    pub fn new(start_at: impl Into<String>) -> Self {
        let mut json = JsonMap::new();
        json.insert("StartAt".into(), Value::String(start_at.into()));
        MachineBuilder {
            json,
            states: JsonMap::new(),
        }
    }

    /// `Comment`.
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.json
            .insert("Comment".into(), Value::String(comment.into()));
        self
    }

    /// `QueryLanguage` of the whole machine.
    pub fn query_language(mut self, ql: QueryLanguage) -> Self {
        self.json
            .insert("QueryLanguage".into(), Value::String(ql.to_string()));
        self
    }

    /// `TimeoutSeconds` of the whole execution.
    pub fn timeout_seconds(mut self, seconds: u64) -> Self {
        self.json.insert("TimeoutSeconds".into(), json!(seconds));
        self
    }

    /// `Version`.
    pub fn version(mut self, version: impl Into<String>) -> Self {
        self.json
            .insert("Version".into(), Value::String(version.into()));
        self
    }

    /// Adds a state.
    pub fn state(mut self, name: impl Into<String>, state: impl StateBuilder) -> Self {
        self.states.insert(name.into(), state.into_json());
        self
    }

    /// The definition as JSON, unchecked.
    pub fn to_json(&self) -> Value {
        let mut json = self.json.clone();
        json.insert("States".into(), Value::Object(self.states.clone()));
        Value::Object(json)
    }

    /// Checks the machine with the full validator and builds the model.
    pub fn build(self) -> Result<StateMachine, ParseError> {
        let (machine, diagnostics) = validate_value_with(
            &self.to_json(),
            ValidateOptions {
                warnings: false,
                ..Default::default()
            },
        );
        match machine {
            Some(m) if diagnostics.is_valid() => Ok(m),
            _ => Err(ParseError {
                diagnostics: non_empty(diagnostics),
            }),
        }
    }
}

fn non_empty(d: Diagnostics) -> Diagnostics {
    if d.is_empty() {
        Diagnostics(vec![crate::Diagnostic::error(
            crate::DiagnosticCode::SchemaValidationFailed,
            "",
            "the machine could not be built",
        )])
    } else {
        d
    }
}

/// Builds the states of a Parallel branch or a Map's item processor.
#[derive(Debug, Clone)]
#[must_use]
pub struct Graph {
    json: JsonMap<String, Value>,
    states: JsonMap<String, Value>,
}

impl Graph {
    /// States starting at `start_at`.
    pub fn new(start_at: impl Into<String>) -> Self {
        let mut json = JsonMap::new();
        json.insert("StartAt".into(), Value::String(start_at.into()));
        Graph {
            json,
            states: JsonMap::new(),
        }
    }

    /// Adds a state.
    pub fn state(mut self, name: impl Into<String>, state: impl StateBuilder) -> Self {
        self.states.insert(name.into(), state.into_json());
        self
    }

    /// `Comment`.
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.json
            .insert("Comment".into(), Value::String(comment.into()));
        self
    }

    fn into_json(self) -> Value {
        let mut json = self.json;
        json.insert("States".into(), Value::Object(self.states));
        Value::Object(json)
    }
}

macro_rules! builder {
    ($(#[$doc:meta])* $name:ident, $ty:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        #[must_use]
        pub struct $name(JsonMap<String, Value>);

        impl $name {
            /// `Comment`.
            pub fn comment(self, comment: impl Into<String>) -> Self {
                self.set("Comment", Value::String(comment.into()))
            }

            /// This state's `QueryLanguage`.
            pub fn query_language(self, ql: QueryLanguage) -> Self {
                self.set("QueryLanguage", Value::String(ql.to_string()))
            }

            fn set(mut self, key: &str, value: Value) -> Self {
                self.0.insert(key.to_owned(), value);
                self
            }

            fn blank() -> Self {
                let mut m = JsonMap::new();
                m.insert("Type".into(), Value::String($ty.into()));
                $name(m)
            }
        }

        impl StateBuilder for $name {
            fn into_json(self) -> Value {
                Value::Object(self.0)
            }
        }
    };
}

macro_rules! methods {
    ($name:ident: $($method:ident),*) => {
        impl $name { $(methods!(@one $method);)* }
    };
    (@one next) => {
        /// `Next`.
        pub fn next(self, state: impl Into<String>) -> Self { self.set("Next", Value::String(state.into())) }
        /// `End: true`.
        pub fn end(self) -> Self { self.set("End", Value::Bool(true)) }
    };
    (@one io) => {
        /// `InputPath` (JSONPath states).
        pub fn input_path(self, path: impl Into<String>) -> Self { self.set("InputPath", Value::String(path.into())) }
        /// `OutputPath` (JSONPath states).
        pub fn output_path(self, path: impl Into<String>) -> Self { self.set("OutputPath", Value::String(path.into())) }
        /// `Output` (JSONata states): any JSON, with `{% … %}` expressions.
        pub fn output(self, output: Value) -> Self { self.set("Output", output) }
    };
    (@one assign) => {
        /// `Assign`: variables to set.
        pub fn assign(self, variables: Value) -> Self { self.set("Assign", variables) }
    };
    (@one result) => {
        /// `ResultPath` (JSONPath states).
        pub fn result_path(self, path: impl Into<String>) -> Self { self.set("ResultPath", Value::String(path.into())) }
        /// `ResultPath: null`: discard the result, keep the input.
        pub fn discard_result(self) -> Self { self.set("ResultPath", Value::Null) }
    };
    (@one parameters) => {
        /// `Parameters` (JSONPath states): a payload template.
        pub fn parameters(self, template: Value) -> Self { self.set("Parameters", template) }
    };
    (@one arguments) => {
        /// `Arguments` (JSONata states).
        pub fn arguments(self, arguments: Value) -> Self { self.set("Arguments", arguments) }
    };
    (@one result_selector) => {
        /// `ResultSelector` (JSONPath states).
        pub fn result_selector(self, template: Value) -> Self { self.set("ResultSelector", template) }
    };
    (@one errors) => {
        /// Adds a `Retry` policy.
        pub fn retry(mut self, retrier: Retry) -> Self {
            push(&mut self.0, "Retry", retrier.0);
            self
        }
        /// Adds a `Catch` fallback.
        pub fn catch(mut self, catcher: Catch) -> Self {
            push(&mut self.0, "Catch", catcher.0);
            self
        }
    };
}

fn push(m: &mut JsonMap<String, Value>, key: &str, item: JsonMap<String, Value>) {
    match m
        .entry(key.to_owned())
        .or_insert_with(|| Value::Array(Vec::new()))
    {
        Value::Array(a) => a.push(Value::Object(item)),
        other => *other = Value::Array(vec![Value::Object(item)]),
    }
}

builder!(
    /// A `Pass` state.
    Pass, "Pass"
);
methods!(Pass: next, io, assign, result, parameters);

impl Pass {
    /// A Pass state (give it `next` or `end`).
    pub fn new() -> Self {
        Self::blank()
    }

    /// `Result`: the state's result, instead of its input.
    pub fn result(self, result: Value) -> Self {
        self.set("Result", result)
    }
}

impl Default for Pass {
    fn default() -> Self {
        Self::new()
    }
}

builder!(
    /// A `Task` state.
    Task, "Task"
);
methods!(Task: next, io, assign, result, parameters, arguments, result_selector, errors);

impl Task {
    /// A Task calling `resource` (an ARN).
    pub fn new(resource: impl Into<String>) -> Self {
        Self::blank().set("Resource", Value::String(resource.into()))
    }

    /// `TimeoutSeconds`.
    pub fn timeout_seconds(self, seconds: u64) -> Self {
        self.set("TimeoutSeconds", json!(seconds))
    }

    /// `TimeoutSecondsPath`.
    pub fn timeout_seconds_path(self, path: impl Into<String>) -> Self {
        self.set("TimeoutSecondsPath", Value::String(path.into()))
    }

    /// `HeartbeatSeconds`.
    pub fn heartbeat_seconds(self, seconds: u64) -> Self {
        self.set("HeartbeatSeconds", json!(seconds))
    }

    /// `HeartbeatSecondsPath`.
    pub fn heartbeat_seconds_path(self, path: impl Into<String>) -> Self {
        self.set("HeartbeatSecondsPath", Value::String(path.into()))
    }

    /// `Credentials`: the role to assume.
    pub fn credentials(self, credentials: Value) -> Self {
        self.set("Credentials", credentials)
    }
}

builder!(
    /// A `Choice` state.
    Choice, "Choice"
);
methods!(Choice: io, assign);

impl Choice {
    /// A Choice with no rules yet.
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        Self::blank()
    }

    /// Adds a rule; rules are tried in order.
    pub fn rule(mut self, rule: Rule) -> Self {
        push(&mut self.0, "Choices", rule.0);
        self
    }

    /// `Default`: where to go when no rule matches.
    pub fn default(self, state: impl Into<String>) -> Self {
        self.set("Default", Value::String(state.into()))
    }
}

/// A choice rule.
#[derive(Debug, Clone)]
#[must_use]
pub struct Rule(JsonMap<String, Value>);

impl Rule {
    /// `Variable` compared with a literal (`op` as written, such as `StringEquals`).
    pub fn compare(variable: impl Into<String>, op: Op, value: Value) -> Self {
        let mut m = JsonMap::new();
        m.insert("Variable".into(), Value::String(variable.into()));
        m.insert(op.as_str().into(), value);
        Rule(m)
    }

    /// `Variable` compared with the value at another path (`StringEqualsPath`, …).
    /// Operators without a path form (`IsNull`, `StringMatches`, …) compare with the path
    /// string as a literal, which the validator rejects for the non-string ones.
    pub fn compare_path(variable: impl Into<String>, op: Op, path: impl Into<String>) -> Self {
        let mut m = JsonMap::new();
        m.insert("Variable".into(), Value::String(variable.into()));
        m.insert(
            op.path_form().unwrap_or(op.as_str()).into(),
            Value::String(path.into()),
        );
        Rule(m)
    }

    /// `And`.
    pub fn and(rules: impl IntoIterator<Item = Rule>) -> Self {
        Rule(JsonMap::from_iter([(
            "And".to_owned(),
            Value::Array(rules.into_iter().map(|r| Value::Object(r.0)).collect()),
        )]))
    }

    /// `Or`.
    pub fn or(rules: impl IntoIterator<Item = Rule>) -> Self {
        Rule(JsonMap::from_iter([(
            "Or".to_owned(),
            Value::Array(rules.into_iter().map(|r| Value::Object(r.0)).collect()),
        )]))
    }

    /// `Not`.
    #[allow(clippy::should_implement_trait)]
    pub fn not(rule: Rule) -> Self {
        Rule(JsonMap::from_iter([(
            "Not".to_owned(),
            Value::Object(rule.0),
        )]))
    }

    /// JSONata `Condition` (`{% … %}`).
    pub fn condition(expression: impl Into<String>) -> Self {
        Rule(JsonMap::from_iter([(
            "Condition".to_owned(),
            Value::String(expression.into()),
        )]))
    }

    /// `Next`: required on top-level rules, forbidden on nested ones.
    pub fn next(mut self, state: impl Into<String>) -> Self {
        self.0.insert("Next".into(), Value::String(state.into()));
        self
    }

    /// `Assign` when the rule matches.
    pub fn assign(mut self, variables: Value) -> Self {
        self.0.insert("Assign".into(), variables);
        self
    }

    /// `Output` when the rule matches (JSONata).
    pub fn output(mut self, output: Value) -> Self {
        self.0.insert("Output".into(), output);
        self
    }

    /// `Comment`.
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.0
            .insert("Comment".into(), Value::String(comment.into()));
        self
    }
}

builder!(
    /// A `Wait` state.
    Wait, "Wait"
);
methods!(Wait: next, io, assign);

impl Wait {
    /// Waits `n` seconds.
    pub fn seconds(n: u64) -> Self {
        Self::blank().set("Seconds", json!(n))
    }

    /// Waits until an RFC 3339 timestamp.
    pub fn until(timestamp: impl Into<String>) -> Self {
        Self::blank().set("Timestamp", Value::String(timestamp.into()))
    }

    /// Waits the seconds found at a path.
    pub fn seconds_path(path: impl Into<String>) -> Self {
        Self::blank().set("SecondsPath", Value::String(path.into()))
    }

    /// Waits until the timestamp found at a path.
    pub fn timestamp_path(path: impl Into<String>) -> Self {
        Self::blank().set("TimestampPath", Value::String(path.into()))
    }
}

builder!(
    /// A `Succeed` state.
    Succeed, "Succeed"
);
methods!(Succeed: io);

impl Succeed {
    /// A Succeed state.
    pub fn new() -> Self {
        Self::blank()
    }
}

impl Default for Succeed {
    fn default() -> Self {
        Self::new()
    }
}

builder!(
    /// A `Fail` state.
    Fail, "Fail"
);

impl Fail {
    /// A Fail state.
    pub fn new() -> Self {
        Self::blank()
    }

    /// `Error`.
    pub fn error(self, error: impl Into<String>) -> Self {
        self.set("Error", Value::String(error.into()))
    }

    /// `Cause`.
    pub fn cause(self, cause: impl Into<String>) -> Self {
        self.set("Cause", Value::String(cause.into()))
    }

    /// `ErrorPath`: a path or an intrinsic function.
    pub fn error_path(self, path: impl Into<String>) -> Self {
        self.set("ErrorPath", Value::String(path.into()))
    }

    /// `CausePath`: a path or an intrinsic function.
    pub fn cause_path(self, path: impl Into<String>) -> Self {
        self.set("CausePath", Value::String(path.into()))
    }
}

impl Default for Fail {
    fn default() -> Self {
        Self::new()
    }
}

builder!(
    /// A `Parallel` state.
    Parallel, "Parallel"
);
methods!(Parallel: next, io, assign, result, parameters, arguments, result_selector, errors);

impl Parallel {
    /// A Parallel state with no branches yet.
    pub fn new() -> Self {
        Self::blank().set("Branches", Value::Array(Vec::new()))
    }

    /// Adds a branch.
    pub fn branch(mut self, branch: Graph) -> Self {
        if let Some(Value::Array(b)) = self.0.get_mut("Branches") {
            b.push(branch.into_json());
        }
        self
    }
}

impl Default for Parallel {
    fn default() -> Self {
        Self::new()
    }
}

builder!(
    /// A `Map` state.
    Map, "Map"
);
methods!(Map: next, io, assign, result, result_selector, errors);

impl Map {
    /// An inline Map running `processor` for each item.
    pub fn new(processor: Graph) -> Self {
        Self::blank().set("ItemProcessor", processor.into_json())
    }

    /// A distributed Map running `processor` as child executions of `execution_type`.
    pub fn distributed(processor: Graph, execution_type: crate::model::ExecutionType) -> Self {
        let mut p = processor.into_json();
        let et = match execution_type {
            crate::model::ExecutionType::Standard => "STANDARD",
            crate::model::ExecutionType::Express => "EXPRESS",
        };
        if let Value::Object(m) = &mut p {
            m.insert(
                "ProcessorConfig".into(),
                json!({"Mode": "DISTRIBUTED", "ExecutionType": et}),
            );
        }
        Self::blank().set("ItemProcessor", p)
    }

    /// `ItemsPath` (JSONPath).
    pub fn items_path(self, path: impl Into<String>) -> Self {
        self.set("ItemsPath", Value::String(path.into()))
    }

    /// `Items` (JSONata): an array or a `{% … %}` expression.
    pub fn items(self, items: Value) -> Self {
        self.set("Items", items)
    }

    /// `ItemSelector`.
    pub fn item_selector(self, template: Value) -> Self {
        self.set("ItemSelector", template)
    }

    /// `MaxConcurrency` (0: no limit).
    pub fn max_concurrency(self, n: u64) -> Self {
        self.set("MaxConcurrency", json!(n))
    }

    /// `ToleratedFailurePercentage`.
    pub fn tolerated_failure_percentage(self, percent: f64) -> Self {
        self.set("ToleratedFailurePercentage", json!(percent))
    }

    /// `ToleratedFailureCount`.
    pub fn tolerated_failure_count(self, count: u64) -> Self {
        self.set("ToleratedFailureCount", json!(count))
    }

    /// `Label` (distributed).
    pub fn label(self, label: impl Into<String>) -> Self {
        self.set("Label", Value::String(label.into()))
    }

    /// `ItemReader` (distributed), as ASL JSON.
    pub fn item_reader(self, reader: Value) -> Self {
        self.set("ItemReader", reader)
    }

    /// `ItemBatcher` (distributed), as ASL JSON.
    pub fn item_batcher(self, batcher: Value) -> Self {
        self.set("ItemBatcher", batcher)
    }

    /// `ResultWriter` (distributed), as ASL JSON.
    pub fn result_writer(self, writer: Value) -> Self {
        self.set("ResultWriter", writer)
    }
}

/// A `Retry` policy.
#[derive(Debug, Clone)]
#[must_use]
pub struct Retry(JsonMap<String, Value>);

impl Retry {
    /// Retries the named errors.
    pub fn on<I: IntoIterator<Item = S>, S: Into<String>>(errors: I) -> Self {
        let errors: Vec<Value> = errors
            .into_iter()
            .map(|e| Value::String(e.into()))
            .collect();
        Retry(JsonMap::from_iter([(
            "ErrorEquals".to_owned(),
            Value::Array(errors),
        )]))
    }

    /// `IntervalSeconds`.
    pub fn interval_seconds(mut self, s: u64) -> Self {
        self.0.insert("IntervalSeconds".into(), json!(s));
        self
    }

    /// `MaxAttempts`.
    pub fn max_attempts(mut self, n: u64) -> Self {
        self.0.insert("MaxAttempts".into(), json!(n));
        self
    }

    /// `BackoffRate`.
    pub fn backoff_rate(mut self, rate: f64) -> Self {
        self.0.insert("BackoffRate".into(), json!(rate));
        self
    }

    /// `MaxDelaySeconds`.
    pub fn max_delay_seconds(mut self, s: u64) -> Self {
        self.0.insert("MaxDelaySeconds".into(), json!(s));
        self
    }

    /// `JitterStrategy`.
    pub fn jitter(mut self, strategy: JitterStrategy) -> Self {
        let s = match strategy {
            JitterStrategy::Full => "FULL",
            JitterStrategy::None => "NONE",
        };
        self.0
            .insert("JitterStrategy".into(), Value::String(s.into()));
        self
    }
}

/// A `Catch` fallback.
#[derive(Debug, Clone)]
#[must_use]
pub struct Catch(JsonMap<String, Value>);

impl Catch {
    /// Catches the named errors and goes to `next`.
    pub fn on<I: IntoIterator<Item = S>, S: Into<String>>(
        errors: I,
        next: impl Into<String>,
    ) -> Self {
        let errors: Vec<Value> = errors
            .into_iter()
            .map(|e| Value::String(e.into()))
            .collect();
        Catch(JsonMap::from_iter([
            ("ErrorEquals".to_owned(), Value::Array(errors)),
            ("Next".to_owned(), Value::String(next.into())),
        ]))
    }

    /// `ResultPath` (JSONPath).
    pub fn result_path(mut self, path: impl Into<String>) -> Self {
        self.0
            .insert("ResultPath".into(), Value::String(path.into()));
        self
    }

    /// `Output` (JSONata).
    pub fn output(mut self, output: Value) -> Self {
        self.0.insert("Output".into(), output);
        self
    }

    /// `Assign`.
    pub fn assign(mut self, variables: Value) -> Self {
        self.0.insert("Assign".into(), variables);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_every_state_type() {
        let m = MachineBuilder::new("P")
            .state(
                "P",
                Pass::new()
                    .result(json!({"a": 1}))
                    .result_path("$.p")
                    .next("W"),
            )
            .state("W", Wait::seconds(1).next("T"))
            .state(
                "T",
                Task::new("arn:aws:states:::lambda:invoke")
                    .parameters(json!({"FunctionName": "f", "Payload.$": "$"}))
                    .timeout_seconds(30)
                    .retry(Retry::on(["States.ALL"]).max_attempts(2).backoff_rate(1.5))
                    .catch(Catch::on(["States.ALL"], "F").result_path("$.error"))
                    .next("Par"),
            )
            .state(
                "Par",
                Parallel::new()
                    .branch(Graph::new("B").state("B", Pass::new().end()))
                    .next("M"),
            )
            .state(
                "M",
                Map::new(Graph::new("I").state("I", Pass::new().end()))
                    .items_path("$.items")
                    .max_concurrency(2)
                    .next("C"),
            )
            .state(
                "C",
                Choice::new()
                    .rule(Rule::compare("$.x", Op::IsPresent, json!(true)).next("S"))
                    .default("F"),
            )
            .state("S", Succeed::new())
            .state("F", Fail::new().error("E").cause("c"))
            .build();
        let m = match m {
            Ok(m) => m,
            Err(e) => panic!("{}", e.diagnostics),
        };
        assert_eq!(m.states.len(), 8);
    }

    #[test]
    fn sets_only_fields_its_state_type_takes() {
        use crate::{fields::ObjectKind, model::StateType};
        // The method groups of `methods!`, each called once.
        macro_rules! io {
            ($b:expr) => {
                $b.comment("c")
                    .input_path("$")
                    .output_path("$")
                    .output(json!(1))
            };
        }
        macro_rules! result {
            ($b:expr) => {
                io!($b).assign(json!({})).result_path("$.r").next("S")
            };
        }
        macro_rules! errors {
            ($b:expr) => {
                result!($b)
                    .result_selector(json!({}))
                    .retry(Retry::on(["States.ALL"]))
                    .catch(Catch::on(["States.ALL"], "S"))
            };
        }
        let g = || Graph::new("S").state("S", Succeed::new());
        let states: Vec<(StateType, Value)> = vec![
            (
                StateType::Pass,
                result!(Pass::new().query_language(QueryLanguage::JSONPath))
                    .parameters(json!({}))
                    .result(json!(1))
                    .end()
                    .into_json(),
            ),
            (
                StateType::Task,
                errors!(Task::new("arn:aws:states:::lambda:invoke"))
                    .parameters(json!({}))
                    .arguments(json!({}))
                    .timeout_seconds(2)
                    .timeout_seconds_path("$.t")
                    .heartbeat_seconds(1)
                    .heartbeat_seconds_path("$.h")
                    .credentials(json!({}))
                    .into_json(),
            ),
            (
                StateType::Choice,
                io!(Choice::new())
                    .assign(json!({}))
                    .rule(Rule::condition("{% true %}").next("S"))
                    .default("S")
                    .into_json(),
            ),
            (
                StateType::Wait,
                io!(Wait::seconds(1))
                    .assign(json!({}))
                    .next("S")
                    .into_json(),
            ),
            (
                StateType::Wait,
                Wait::until("2024-01-01T00:00:00Z").into_json(),
            ),
            (StateType::Wait, Wait::seconds_path("$.s").into_json()),
            (StateType::Wait, Wait::timestamp_path("$.t").into_json()),
            (StateType::Succeed, io!(Succeed::new()).into_json()),
            (
                StateType::Fail,
                Fail::new()
                    .comment("c")
                    .error("E")
                    .cause("C")
                    .error_path("$.e")
                    .cause_path("$.c")
                    .into_json(),
            ),
            (
                StateType::Parallel,
                errors!(Parallel::new().branch(g()))
                    .parameters(json!({}))
                    .arguments(json!({}))
                    .into_json(),
            ),
            (
                StateType::Map,
                errors!(Map::distributed(g(), crate::model::ExecutionType::Standard))
                    .items_path("$.i")
                    .items(json!([]))
                    .item_selector(json!({}))
                    .max_concurrency(1)
                    .tolerated_failure_percentage(1.0)
                    .tolerated_failure_count(1)
                    .label("l")
                    .item_reader(json!({}))
                    .item_batcher(json!({}))
                    .result_writer(json!({}))
                    .into_json(),
            ),
        ];
        for (ty, state) in states {
            let keys: Vec<String> = state
                .as_object()
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default();
            assert!(keys.contains(&"Type".to_owned()), "{state}");
            for key in keys {
                assert!(
                    ObjectKind::State(ty).field(&key).is_some(),
                    "a {ty} state's builder sets '{key}', which the field table does not give it"
                );
            }
        }
    }

    #[test]
    fn reports_every_problem() {
        let err = MachineBuilder::new("A")
            .state("A", Pass::new().input_path("not a path").next("Nowhere"))
            .state(
                "B",
                Task::new("arn:aws:states:::lambda:invoke")
                    .timeout_seconds(5)
                    .heartbeat_seconds(10)
                    .end(),
            )
            .build()
            .err()
            .map(|e| {
                e.diagnostics
                    .errors()
                    .map(|d| d.pointer.clone())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        assert!(err.contains(&"/States/A/InputPath".to_owned()), "{err:?}");
        assert!(err.contains(&"/States/A/Next".to_owned()), "{err:?}");
        // B is cut off by the missing target: AWS reports it as unreachable too.
        assert!(err.contains(&"/States/B".to_owned()), "{err:?}");
        assert!(
            err.contains(&"/States/B/HeartbeatSeconds".to_owned()),
            "{err:?}"
        );
    }
}
