//! The typed model of a state machine definition.
//!
//! Every state type and field AWS documents, in both query languages. A definition read
//! with [`StateMachine::from_value`] (or `str::parse`, or serde) serializes back to a JSON
//! value equal to the one it was read from: every field is kept as written, absent fields
//! stay absent, and `null` stays `null` where AWS gives it a meaning (`ResultPath: null`).

use std::{fmt, str::FromStr};

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Serialize, Serializer};
use serde_json::{Number, Value};

pub use crate::names::{ErrorName, StateName};
use crate::path::JsonPath;
pub use crate::template::{JsonataString, PathExpr, QueryLanguage, Template};

/// A state machine: the top level of a definition.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct StateMachine {
    /// A description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The query language of every state that does not set its own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query_language: Option<QueryLanguage>,
    /// The first state.
    pub start_at: StateName,
    /// The states, in the order they were written.
    pub states: IndexMap<StateName, State>,
    /// The ASL version (`"1.0"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The longest an execution may run, in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_seconds: Option<u64>,
}

/// The states of a Parallel branch.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct Branch {
    /// A description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The query language of the branch's states.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query_language: Option<QueryLanguage>,
    /// The first state.
    pub start_at: StateName,
    /// The states.
    pub states: IndexMap<StateName, State>,
}

/// The states a Map state runs for each item (`ItemProcessor`, or the legacy `Iterator`).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ItemProcessor {
    /// A description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Inline or distributed processing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub processor_config: Option<ProcessorConfig>,
    /// The query language of the processor's states.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query_language: Option<QueryLanguage>,
    /// The first state.
    pub start_at: StateName,
    /// The states.
    pub states: IndexMap<StateName, State>,
}

/// How a Map state runs its iterations.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ProcessorConfig {
    /// `INLINE` (the default) or `DISTRIBUTED`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<ProcessorMode>,
    /// For distributed maps: the type of the child executions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub execution_type: Option<ExecutionType>,
}

/// Where a Map state runs its iterations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum ProcessorMode {
    /// In the parent execution, at most 40 at a time.
    Inline,
    /// As child executions.
    Distributed,
}

/// The type of a state machine or of a distributed Map's child executions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum ExecutionType {
    /// Standard workflows.
    Standard,
    /// Express workflows.
    Express,
}

impl ExecutionType {
    /// The type as AWS writes it: `STANDARD` or `EXPRESS`.
    pub fn as_str(self) -> &'static str {
        match self {
            ExecutionType::Standard => "STANDARD",
            ExecutionType::Express => "EXPRESS",
        }
    }
}

/// One state.
// States are read once per definition and borrowed from then on, so the size of the
// largest variant costs nothing where it matters.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(tag = "Type")]
#[non_exhaustive]
pub enum State {
    /// Passes its input to its output, optionally injecting data.
    Pass(PassState),
    /// Does work: an activity, a Lambda function or an AWS service integration.
    Task(TaskState),
    /// Branches on the data.
    Choice(ChoiceState),
    /// Waits for a time or until a timestamp.
    Wait(WaitState),
    /// Ends the execution successfully.
    Succeed(SucceedState),
    /// Ends the execution with an error.
    Fail(FailState),
    /// Runs branches in parallel.
    Parallel(ParallelState),
    /// Runs the same states for each item of an array or a data source.
    Map(MapState),
}

/// The type of a state, without its fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StateType {
    /// `Pass`.
    Pass,
    /// `Task`.
    Task,
    /// `Choice`.
    Choice,
    /// `Wait`.
    Wait,
    /// `Succeed`.
    Succeed,
    /// `Fail`.
    Fail,
    /// `Parallel`.
    Parallel,
    /// `Map`.
    Map,
}

impl StateType {
    /// Every state type.
    pub const ALL: [StateType; 8] = [
        StateType::Pass,
        StateType::Task,
        StateType::Choice,
        StateType::Wait,
        StateType::Succeed,
        StateType::Fail,
        StateType::Parallel,
        StateType::Map,
    ];

    /// The name as written in `Type`.
    pub fn as_str(self) -> &'static str {
        match self {
            StateType::Pass => "Pass",
            StateType::Task => "Task",
            StateType::Choice => "Choice",
            StateType::Wait => "Wait",
            StateType::Succeed => "Succeed",
            StateType::Fail => "Fail",
            StateType::Parallel => "Parallel",
            StateType::Map => "Map",
        }
    }

    /// The type named `name`.
    pub fn from_name(name: &str) -> Option<StateType> {
        StateType::ALL.into_iter().find(|t| t.as_str() == name)
    }
}

impl fmt::Display for StateType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A path field that may be `null`, where `null` has a meaning (`InputPath: null` gives
/// the state `{}`, `ResultPath: null` discards the result).
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[schemars(untagged)]
pub enum NullablePath {
    /// `null`.
    Null,
    /// A path.
    Path(JsonPath),
}

impl NullablePath {
    /// The path, unless `null`.
    pub fn path(&self) -> Option<&JsonPath> {
        match self {
            NullablePath::Null => None,
            NullablePath::Path(p) => Some(p),
        }
    }
}

impl Serialize for NullablePath {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            NullablePath::Null => s.serialize_unit(),
            NullablePath::Path(p) => s.serialize_str(p.as_str()),
        }
    }
}

/// An integer field that a JSONata state may write as an expression
/// (`TimeoutSeconds`, `Seconds`, `MaxConcurrency`, …).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum IntOrExpr {
    /// A literal.
    Int(u64),
    /// A `{% … %}` expression.
    Jsonata(JsonataString),
}

/// A number field that a JSONata state may write as an expression
/// (`ToleratedFailurePercentage`).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum NumberOrExpr {
    /// A literal.
    Number(#[schemars(with = "f64")] Number),
    /// A `{% … %}` expression.
    Jsonata(JsonataString),
}

/// A string field that a JSONata state may write as an expression (`Error`, `Cause`).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum StringOrExpr {
    /// A literal.
    String(String),
    /// A `{% … %}` expression.
    Jsonata(JsonataString),
}

/// A Task's `Resource`: an ARN.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, JsonSchema)]
#[serde(transparent)]
pub struct Resource(String);

/// What kind of thing a Task's resource is.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResourceKind<'a> {
    /// An activity (`arn:aws:states:REGION:ACCOUNT:activity:NAME`).
    Activity {
        /// The activity's name.
        name: &'a str,
    },
    /// A Lambda function called directly (`arn:aws:lambda:…:function:NAME`).
    LambdaFunction {
        /// The function's name (with any qualifier).
        name: &'a str,
    },
    /// An optimized or SDK service integration (`arn:aws:states:::SERVICE:ACTION[.PATTERN]`).
    Service {
        /// The service (`lambda`, `sqs`, `aws-sdk:s3`, `states`, …).
        service: &'a str,
        /// The action (`invoke`, `sendMessage`, `startExecution`, …).
        action: &'a str,
        /// The integration pattern.
        pattern: IntegrationPattern,
    },
    /// Any other ARN.
    Other,
}

/// How Step Functions waits for a service integration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum IntegrationPattern {
    /// Call and continue with the response.
    RequestResponse,
    /// `.sync` (or `.sync:2`): wait for the job to complete.
    Sync,
    /// `.waitForTaskToken`: wait for `SendTaskSuccess`/`SendTaskFailure` with the token.
    WaitForTaskToken,
}

impl Resource {
    /// Wraps an ARN. The validator checks it; this does not.
    pub fn new(arn: impl Into<String>) -> Self {
        Resource(arn.into())
    }

    /// The ARN.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What kind of resource this is.
    pub fn kind(&self) -> ResourceKind<'_> {
        let arn = self.0.as_str();
        let parts: Vec<&str> = arn.splitn(7, ':').collect();
        if parts.len() != 7 || parts[0] != "arn" {
            return ResourceKind::Other;
        }
        match (parts[2], parts[5]) {
            ("states", "activity") => ResourceKind::Activity { name: parts[6] },
            ("lambda", "function") => ResourceKind::LambdaFunction { name: parts[6] },
            ("states", first) if parts[3].is_empty() && parts[4].is_empty() => {
                // `first` starts right after the fifth colon.
                let start = parts[..5].iter().map(|p| p.len() + 1).sum::<usize>();
                let (service, rest) = match (first, parts[6].split_once(':')) {
                    ("aws-sdk", Some((svc, action))) => {
                        (&arn[start..start + first.len() + 1 + svc.len()], action)
                    }
                    _ => (first, parts[6]),
                };
                let (action, pattern) = if let Some(a) = rest.strip_suffix(".waitForTaskToken") {
                    (a, IntegrationPattern::WaitForTaskToken)
                } else if let Some(i) = rest.find(".sync") {
                    (&rest[..i], IntegrationPattern::Sync)
                } else {
                    (rest, IntegrationPattern::RequestResponse)
                };
                ResourceKind::Service {
                    service,
                    action,
                    pattern,
                }
            }
            _ => ResourceKind::Other,
        }
    }
}

impl fmt::Display for Resource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `Pass`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, JsonSchema)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct PassState {
    /// A description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The state's query language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query_language: Option<QueryLanguage>,
    /// JSONPath: selects the state's input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_path: Option<NullablePath>,
    /// JSONPath: builds the effective input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Template>,
    /// JSONPath: the state's result, instead of its input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<Value>,
    /// JSONPath: where the result goes in the input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result_path: Option<NullablePath>,
    /// JSONPath: selects the state's output.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_path: Option<NullablePath>,
    /// JSONata: the state's output.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<Template>,
    /// Variables to set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assign: Option<Template>,
    /// The next state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<StateName>,
    /// Whether this state ends the execution.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<bool>,
}

/// `Task`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct TaskState {
    /// A description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The state's query language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query_language: Option<QueryLanguage>,
    /// What to call.
    pub resource: Resource,
    /// JSONPath: selects the state's input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_path: Option<NullablePath>,
    /// JSONPath: builds the task's input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Template>,
    /// JSONata: builds the task's input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arguments: Option<Template>,
    /// JSONPath: reshapes the task's result.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result_selector: Option<Template>,
    /// JSONPath: where the result goes in the input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result_path: Option<NullablePath>,
    /// JSONPath: selects the state's output.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_path: Option<NullablePath>,
    /// JSONata: the state's output.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<Template>,
    /// Variables to set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assign: Option<Template>,
    /// The longest the task may run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_seconds: Option<IntOrExpr>,
    /// JSONPath: the timeout, from the input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_seconds_path: Option<JsonPath>,
    /// The longest between two heartbeats.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heartbeat_seconds: Option<IntOrExpr>,
    /// JSONPath: the heartbeat interval, from the input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heartbeat_seconds_path: Option<JsonPath>,
    /// The role to assume for the call.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credentials: Option<Template>,
    /// Retry policies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry: Option<Vec<Retrier>>,
    /// Fallback states.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub catch: Option<Vec<Catcher>>,
    /// The next state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<StateName>,
    /// Whether this state ends the execution.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<bool>,
}

/// `Choice`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ChoiceState {
    /// A description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The state's query language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query_language: Option<QueryLanguage>,
    /// JSONPath: selects the state's input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_path: Option<NullablePath>,
    /// JSONPath: selects the state's output.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_path: Option<NullablePath>,
    /// The rules, tried in order.
    pub choices: Vec<ChoiceRule>,
    /// The state to go to when no rule matches.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<StateName>,
    /// JSONata: the state's output.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<Template>,
    /// Variables to set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assign: Option<Template>,
}

/// One rule of a Choice state, or a nested rule inside `And`, `Or` or `Not`.
///
/// Top-level rules have `next` (and may have `assign`, `output`); nested rules must not.
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[schemars(with = "Value")]
#[non_exhaustive]
pub struct ChoiceRule {
    /// What must hold.
    pub condition: Condition,
    /// A description.
    pub comment: Option<String>,
    /// Where to go when the rule matches.
    pub next: Option<StateName>,
    /// Variables to set when the rule matches.
    pub assign: Option<Template>,
    /// JSONata: the state's output when the rule matches.
    pub output: Option<Template>,
}

/// The test of a choice rule.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Condition {
    /// `Variable` compared with a literal or a path.
    Compare {
        /// `Variable`: the value to test.
        variable: JsonPath,
        /// The operator.
        op: ComparisonOp,
        /// The value to compare with.
        operand: Operand,
    },
    /// `And`: every rule holds.
    And(Vec<ChoiceRule>),
    /// `Or`: at least one rule holds.
    Or(Vec<ChoiceRule>),
    /// `Not`: the rule does not hold.
    Not(Box<ChoiceRule>),
    /// JSONata `Condition`.
    Jsonata(JsonataString),
    /// JSONata `Condition` written as a boolean (`"Condition": true`), which AWS accepts:
    /// the rule always, or never, matches.
    Literal(bool),
}

/// What a comparison is compared with.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    /// A literal (`StringEquals: "x"`).
    Literal(Value),
    /// A path (`StringEqualsPath: "$.x"`).
    Path(JsonPath),
}

macro_rules! comparison_ops {
    ($($(#[$doc:meta])* $name:ident $(with $path:ident)?,)*) => {
        /// A comparison operator of a choice rule.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ComparisonOp {
            $($(#[$doc])* $name,)*
        }

        impl ComparisonOp {
            /// Every operator.
            pub const ALL: &'static [ComparisonOp] = &[$(ComparisonOp::$name,)*];

            /// The field name (`StringEquals`).
            pub fn as_str(self) -> &'static str {
                match self { $(ComparisonOp::$name => stringify!($name),)* }
            }

            /// The field name of the `…Path` form, if the operator has one.
            pub fn path_form(self) -> Option<&'static str> {
                match self { $(ComparisonOp::$name => comparison_ops!(@path $($path)?),)* }
            }
        }
    };
    (@path $path:ident) => { Some(stringify!($path)) };
    (@path) => { None };
}

comparison_ops! {
    /// `StringEquals`.
    StringEquals with StringEqualsPath,
    /// `StringLessThan`.
    StringLessThan with StringLessThanPath,
    /// `StringGreaterThan`.
    StringGreaterThan with StringGreaterThanPath,
    /// `StringLessThanEquals`.
    StringLessThanEquals with StringLessThanEqualsPath,
    /// `StringGreaterThanEquals`.
    StringGreaterThanEquals with StringGreaterThanEqualsPath,
    /// `StringMatches`: a pattern with `*` wildcards.
    StringMatches,
    /// `NumericEquals`.
    NumericEquals with NumericEqualsPath,
    /// `NumericLessThan`.
    NumericLessThan with NumericLessThanPath,
    /// `NumericGreaterThan`.
    NumericGreaterThan with NumericGreaterThanPath,
    /// `NumericLessThanEquals`.
    NumericLessThanEquals with NumericLessThanEqualsPath,
    /// `NumericGreaterThanEquals`.
    NumericGreaterThanEquals with NumericGreaterThanEqualsPath,
    /// `BooleanEquals`.
    BooleanEquals with BooleanEqualsPath,
    /// `TimestampEquals`.
    TimestampEquals with TimestampEqualsPath,
    /// `TimestampLessThan`.
    TimestampLessThan with TimestampLessThanPath,
    /// `TimestampGreaterThan`.
    TimestampGreaterThan with TimestampGreaterThanPath,
    /// `TimestampLessThanEquals`.
    TimestampLessThanEquals with TimestampLessThanEqualsPath,
    /// `TimestampGreaterThanEquals`.
    TimestampGreaterThanEquals with TimestampGreaterThanEqualsPath,
    /// `IsNull`.
    IsNull,
    /// `IsPresent`.
    IsPresent,
    /// `IsNumeric`.
    IsNumeric,
    /// `IsString`.
    IsString,
    /// `IsBoolean`.
    IsBoolean,
    /// `IsTimestamp`.
    IsTimestamp,
}

/// The kind of literal an operator compares with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum OperandKind {
    /// A string.
    String,
    /// A number.
    Number,
    /// A boolean.
    Boolean,
    /// An RFC 3339 timestamp string.
    Timestamp,
}

impl ComparisonOp {
    /// The operator whose field name (plain or `…Path`) is `field`, and whether it was the
    /// path form.
    pub fn from_field(field: &str) -> Option<(ComparisonOp, bool)> {
        ComparisonOp::ALL.iter().find_map(|&op| {
            if op.as_str() == field {
                Some((op, false))
            } else if op.path_form() == Some(field) {
                Some((op, true))
            } else {
                None
            }
        })
    }

    /// The kind of literal this operator takes.
    pub fn operand_kind(self) -> OperandKind {
        use ComparisonOp::*;
        match self {
            StringEquals
            | StringLessThan
            | StringGreaterThan
            | StringLessThanEquals
            | StringGreaterThanEquals
            | StringMatches => OperandKind::String,
            NumericEquals
            | NumericLessThan
            | NumericGreaterThan
            | NumericLessThanEquals
            | NumericGreaterThanEquals => OperandKind::Number,
            TimestampEquals
            | TimestampLessThan
            | TimestampGreaterThan
            | TimestampLessThanEquals
            | TimestampGreaterThanEquals => OperandKind::Timestamp,
            BooleanEquals | IsNull | IsPresent | IsNumeric | IsString | IsBoolean | IsTimestamp => {
                OperandKind::Boolean
            }
        }
    }
}

impl fmt::Display for ComparisonOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl ChoiceRule {
    /// The rule as JSON, exactly as written.
    pub fn to_value(&self) -> Value {
        let mut m = serde_json::Map::new();
        match &self.condition {
            Condition::Compare {
                variable,
                op,
                operand,
            } => {
                m.insert(
                    "Variable".into(),
                    Value::String(variable.as_str().to_owned()),
                );
                match operand {
                    Operand::Literal(v) => m.insert(op.as_str().into(), v.clone()),
                    Operand::Path(p) => m.insert(
                        op.path_form().unwrap_or(op.as_str()).into(),
                        Value::String(p.as_str().to_owned()),
                    ),
                };
            }
            Condition::And(rules) => {
                m.insert(
                    "And".into(),
                    Value::Array(rules.iter().map(ChoiceRule::to_value).collect()),
                );
            }
            Condition::Or(rules) => {
                m.insert(
                    "Or".into(),
                    Value::Array(rules.iter().map(ChoiceRule::to_value).collect()),
                );
            }
            Condition::Not(rule) => {
                m.insert("Not".into(), rule.to_value());
            }
            Condition::Jsonata(j) => {
                m.insert("Condition".into(), Value::String(j.as_str().to_owned()));
            }
            Condition::Literal(b) => {
                m.insert("Condition".into(), Value::Bool(*b));
            }
        }
        if let Some(c) = &self.comment {
            m.insert("Comment".into(), Value::String(c.clone()));
        }
        if let Some(a) = &self.assign {
            m.insert("Assign".into(), a.to_value());
        }
        if let Some(o) = &self.output {
            m.insert("Output".into(), o.to_value());
        }
        if let Some(n) = &self.next {
            m.insert("Next".into(), Value::String(n.as_str().to_owned()));
        }
        Value::Object(m)
    }
}

impl Serialize for ChoiceRule {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_value().serialize(s)
    }
}

/// `Wait`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct WaitState {
    /// A description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The state's query language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query_language: Option<QueryLanguage>,
    /// JSONPath: selects the state's input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_path: Option<NullablePath>,
    /// JSONPath: selects the state's output.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_path: Option<NullablePath>,
    /// Wait this many seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seconds: Option<IntOrExpr>,
    /// Wait until this time (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<StringOrExpr>,
    /// JSONPath: the seconds, from the input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seconds_path: Option<JsonPath>,
    /// JSONPath: the timestamp, from the input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp_path: Option<JsonPath>,
    /// JSONata: the state's output.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<Template>,
    /// Variables to set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assign: Option<Template>,
    /// The next state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<StateName>,
    /// Whether this state ends the execution.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<bool>,
}

/// `Succeed`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, JsonSchema)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct SucceedState {
    /// A description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The state's query language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query_language: Option<QueryLanguage>,
    /// JSONPath: selects the state's input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_path: Option<NullablePath>,
    /// JSONPath: selects the state's output.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_path: Option<NullablePath>,
    /// JSONata: the state's output.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<Template>,
}

/// `Fail`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, JsonSchema)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct FailState {
    /// A description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The state's query language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query_language: Option<QueryLanguage>,
    /// The error name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<StringOrExpr>,
    /// The cause.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<StringOrExpr>,
    /// JSONPath: the error name, from the input (a path or an intrinsic function).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_path: Option<PathExpr>,
    /// JSONPath: the cause, from the input (a path or an intrinsic function).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause_path: Option<PathExpr>,
}

/// `Parallel`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ParallelState {
    /// A description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The state's query language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query_language: Option<QueryLanguage>,
    /// The branches, run at once on the same input.
    pub branches: Vec<Branch>,
    /// JSONPath: selects the state's input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_path: Option<NullablePath>,
    /// JSONPath: builds the branches' input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Template>,
    /// JSONata: builds the branches' input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arguments: Option<Template>,
    /// JSONPath: reshapes the result.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result_selector: Option<Template>,
    /// JSONPath: where the result goes in the input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result_path: Option<NullablePath>,
    /// JSONPath: selects the state's output.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_path: Option<NullablePath>,
    /// JSONata: the state's output.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<Template>,
    /// Variables to set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assign: Option<Template>,
    /// Retry policies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry: Option<Vec<Retrier>>,
    /// Fallback states.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub catch: Option<Vec<Catcher>>,
    /// The next state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<StateName>,
    /// Whether this state ends the execution.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<bool>,
}

/// `Map`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct MapState {
    /// A description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The state's query language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query_language: Option<QueryLanguage>,
    /// The states run for each item.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item_processor: Option<ItemProcessor>,
    /// The legacy form of `ItemProcessor`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iterator: Option<ItemProcessor>,
    /// JSONPath: selects the state's input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_path: Option<NullablePath>,
    /// JSONPath: the array to iterate over.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items_path: Option<JsonPath>,
    /// JSONata: the array to iterate over.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<Template>,
    /// Builds each iteration's input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item_selector: Option<Template>,
    /// JSONPath, legacy: builds each iteration's input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Template>,
    /// Distributed: where the items come from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item_reader: Option<ItemReader>,
    /// Distributed: groups items into batches.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item_batcher: Option<ItemBatcher>,
    /// Distributed: where results are written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result_writer: Option<ResultWriter>,
    /// The most iterations at once (0: no limit).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_concurrency: Option<IntOrExpr>,
    /// JSONPath: the concurrency, from the input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_concurrency_path: Option<JsonPath>,
    /// Distributed: the percentage of items that may fail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tolerated_failure_percentage: Option<NumberOrExpr>,
    /// JSONPath: the percentage, from the input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tolerated_failure_percentage_path: Option<JsonPath>,
    /// Distributed: the number of items that may fail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tolerated_failure_count: Option<IntOrExpr>,
    /// JSONPath: the count, from the input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tolerated_failure_count_path: Option<JsonPath>,
    /// Distributed: a label for the child executions' names.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// JSONPath: reshapes the result.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result_selector: Option<Template>,
    /// JSONPath: where the result goes in the input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result_path: Option<NullablePath>,
    /// JSONPath: selects the state's output.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_path: Option<NullablePath>,
    /// JSONata: the state's output.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<Template>,
    /// Variables to set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assign: Option<Template>,
    /// Retry policies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry: Option<Vec<Retrier>>,
    /// Fallback states.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub catch: Option<Vec<Catcher>>,
    /// The next state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<StateName>,
    /// Whether this state ends the execution.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<bool>,
}

/// A distributed Map's `ItemReader`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ItemReader {
    /// The API to read with (`arn:aws:states:::s3:getObject`, `…:s3:listObjectsV2`).
    pub resource: Resource,
    /// How to read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reader_config: Option<ReaderConfig>,
    /// JSONPath: the API's arguments.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Template>,
    /// JSONata: the API's arguments.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arguments: Option<Template>,
}

/// How an `ItemReader` reads its source.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[non_exhaustive]
pub struct ReaderConfig {
    /// `CSV`, `JSON`, `JSONL`, `MANIFEST` or `PARQUET`.
    #[serde(rename = "InputType", skip_serializing_if = "Option::is_none")]
    pub input_type: Option<String>,
    /// `FIRST_ROW` or `GIVEN`.
    #[serde(rename = "CSVHeaderLocation", skip_serializing_if = "Option::is_none")]
    pub csv_header_location: Option<String>,
    /// The column names, with `GIVEN`.
    #[serde(rename = "CSVHeaders", skip_serializing_if = "Option::is_none")]
    pub csv_headers: Option<Vec<String>>,
    /// `COMMA`, `PIPE`, `SEMICOLON`, `SPACE` or `TAB`.
    #[serde(rename = "CSVDelimiter", skip_serializing_if = "Option::is_none")]
    pub csv_delimiter: Option<String>,
    /// `S3_INVENTORY` or `ATHENA_DATA`.
    #[serde(rename = "ManifestType", skip_serializing_if = "Option::is_none")]
    pub manifest_type: Option<String>,
    /// The most items to read.
    #[serde(rename = "MaxItems", skip_serializing_if = "Option::is_none")]
    pub max_items: Option<IntOrExpr>,
    /// JSONPath: the most items, from the input.
    #[serde(rename = "MaxItemsPath", skip_serializing_if = "Option::is_none")]
    pub max_items_path: Option<JsonPath>,
}

/// A distributed Map's `ItemBatcher`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, JsonSchema)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ItemBatcher {
    /// The most items in one batch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_items_per_batch: Option<IntOrExpr>,
    /// JSONPath: the most items, from the input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_items_per_batch_path: Option<JsonPath>,
    /// The most bytes in one batch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_input_bytes_per_batch: Option<IntOrExpr>,
    /// JSONPath: the most bytes, from the input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_input_bytes_per_batch_path: Option<JsonPath>,
    /// Data added to every batch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub batch_input: Option<Template>,
}

/// A distributed Map's `ResultWriter`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ResultWriter {
    /// The API to write with (`arn:aws:states:::s3:putObject`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<Resource>,
    /// How to write.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub writer_config: Option<WriterConfig>,
    /// JSONPath: the API's arguments.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Template>,
    /// JSONata: the API's arguments.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arguments: Option<Template>,
}

/// How a `ResultWriter` writes.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct WriterConfig {
    /// `JSON` or `JSONL`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_type: Option<String>,
    /// `NONE`, `COMPACT` or `FLATTEN`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transformation: Option<String>,
}

/// One retry policy.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct Retrier {
    /// The errors this policy applies to.
    pub error_equals: Vec<ErrorName>,
    /// A description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Seconds before the first retry (default 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval_seconds: Option<u64>,
    /// The most retries (default 3; 0: never).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_attempts: Option<u64>,
    /// The interval's multiplier at each retry (default 2.0, at least 1.0).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<f64>")]
    pub backoff_rate: Option<Number>,
    /// The longest interval, in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_delay_seconds: Option<u64>,
    /// `FULL` or `NONE` (the default).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jitter_strategy: Option<JitterStrategy>,
}

/// Whether retry intervals are randomized.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum JitterStrategy {
    /// Each interval is random between 0 and the computed interval.
    Full,
    /// Intervals are exactly as computed.
    None,
}

/// One fallback.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct Catcher {
    /// The errors this fallback applies to.
    pub error_equals: Vec<ErrorName>,
    /// A description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The state to go to.
    pub next: StateName,
    /// JSONPath: where the error output goes in the input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result_path: Option<NullablePath>,
    /// JSONata: the output passed to `Next`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<Template>,
    /// Variables to set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assign: Option<Template>,
}

/// Where a state goes after it completes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition<'a> {
    /// To another state.
    Next(&'a StateName),
    /// The end of its scope.
    End,
}

impl State {
    /// The state's type.
    pub fn state_type(&self) -> StateType {
        match self {
            State::Pass(_) => StateType::Pass,
            State::Task(_) => StateType::Task,
            State::Choice(_) => StateType::Choice,
            State::Wait(_) => StateType::Wait,
            State::Succeed(_) => StateType::Succeed,
            State::Fail(_) => StateType::Fail,
            State::Parallel(_) => StateType::Parallel,
            State::Map(_) => StateType::Map,
        }
    }

    /// The state's own `QueryLanguage`, if it sets one.
    pub fn query_language(&self) -> Option<QueryLanguage> {
        match self {
            State::Pass(s) => s.query_language,
            State::Task(s) => s.query_language,
            State::Choice(s) => s.query_language,
            State::Wait(s) => s.query_language,
            State::Succeed(s) => s.query_language,
            State::Fail(s) => s.query_language,
            State::Parallel(s) => s.query_language,
            State::Map(s) => s.query_language,
        }
    }

    /// The state's `Comment`.
    pub fn comment(&self) -> Option<&str> {
        match self {
            State::Pass(s) => s.comment.as_deref(),
            State::Task(s) => s.comment.as_deref(),
            State::Choice(s) => s.comment.as_deref(),
            State::Wait(s) => s.comment.as_deref(),
            State::Succeed(s) => s.comment.as_deref(),
            State::Fail(s) => s.comment.as_deref(),
            State::Parallel(s) => s.comment.as_deref(),
            State::Map(s) => s.comment.as_deref(),
        }
    }

    /// `Next` and `End` of a state that has them (not Choice, Succeed, Fail).
    fn next_end(&self) -> Option<(Option<&StateName>, Option<bool>)> {
        match self {
            State::Pass(s) => Some((s.next.as_ref(), s.end)),
            State::Task(s) => Some((s.next.as_ref(), s.end)),
            State::Wait(s) => Some((s.next.as_ref(), s.end)),
            State::Parallel(s) => Some((s.next.as_ref(), s.end)),
            State::Map(s) => Some((s.next.as_ref(), s.end)),
            State::Choice(_) | State::Succeed(_) | State::Fail(_) => None,
        }
    }

    /// Where the state goes when it completes normally: `Next`, or `End` for states that
    /// end their scope (`End: true`, Succeed, Fail). `None` for Choice, whose targets
    /// are in its rules.
    pub fn transition(&self) -> Option<Transition<'_>> {
        match self {
            State::Succeed(_) | State::Fail(_) => Some(Transition::End),
            State::Choice(_) => None,
            _ => match self.next_end() {
                Some((Some(next), _)) => Some(Transition::Next(next)),
                _ => Some(Transition::End),
            },
        }
    }

    /// Whether the state ends its scope (`End: true`, Succeed or Fail).
    pub fn is_terminal(&self) -> bool {
        match self {
            State::Succeed(_) | State::Fail(_) => true,
            State::Choice(_) => false,
            _ => matches!(self.next_end(), Some((None, Some(true)))),
        }
    }

    /// Every state name this state can go to: `Next`, Choice targets and `Default`,
    /// and `Catch` targets.
    pub fn successors(&self) -> Vec<&StateName> {
        let mut out = Vec::new();
        if let Some((Some(next), _)) = self.next_end() {
            out.push(next);
        }
        if let State::Choice(c) = self {
            out.extend(c.choices.iter().filter_map(|r| r.next.as_ref()));
            out.extend(c.default.as_ref());
        }
        out.extend(self.catchers().iter().map(|c| &c.next));
        out
    }

    /// The state's `Retry` policies.
    pub fn retriers(&self) -> &[Retrier] {
        match self {
            State::Task(s) => s.retry.as_deref().unwrap_or_default(),
            State::Parallel(s) => s.retry.as_deref().unwrap_or_default(),
            State::Map(s) => s.retry.as_deref().unwrap_or_default(),
            _ => &[],
        }
    }

    /// The state's `Catch` fallbacks.
    pub fn catchers(&self) -> &[Catcher] {
        match self {
            State::Task(s) => s.catch.as_deref().unwrap_or_default(),
            State::Parallel(s) => s.catch.as_deref().unwrap_or_default(),
            State::Map(s) => s.catch.as_deref().unwrap_or_default(),
            _ => &[],
        }
    }

    /// The nested scopes: a Parallel's branches, a Map's processor, with the JSON Pointer
    /// suffix of each (`/Branches/0`, `/ItemProcessor`).
    pub fn nested(&self) -> Vec<(String, Scope<'_>)> {
        match self {
            State::Parallel(p) => p
                .branches
                .iter()
                .enumerate()
                .map(|(i, b)| {
                    (
                        format!("/Branches/{i}"),
                        Scope {
                            start_at: &b.start_at,
                            states: &b.states,
                            query_language: b.query_language,
                        },
                    )
                })
                .collect(),
            State::Map(m) => {
                let mut out = Vec::new();
                if let Some(p) = &m.item_processor {
                    out.push(("/ItemProcessor".to_owned(), p.scope()));
                }
                if let Some(p) = &m.iterator {
                    out.push(("/Iterator".to_owned(), p.scope()));
                }
                out
            }
            _ => Vec::new(),
        }
    }
}

/// A set of states with a start: the machine itself, a branch or an item processor.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Scope<'a> {
    /// The first state.
    pub start_at: &'a StateName,
    /// The states.
    pub states: &'a IndexMap<StateName, State>,
    /// The scope's own `QueryLanguage`, if it sets one.
    pub query_language: Option<QueryLanguage>,
}

impl ItemProcessor {
    /// The processor as a scope.
    pub fn scope(&self) -> Scope<'_> {
        Scope {
            start_at: &self.start_at,
            states: &self.states,
            query_language: self.query_language,
        }
    }

    /// Whether the processor runs as child executions.
    pub fn is_distributed(&self) -> bool {
        matches!(
            self.processor_config.as_ref().and_then(|c| c.mode),
            Some(ProcessorMode::Distributed)
        )
    }
}

impl Branch {
    /// The branch as a scope.
    pub fn scope(&self) -> Scope<'_> {
        Scope {
            start_at: &self.start_at,
            states: &self.states,
            query_language: self.query_language,
        }
    }
}

impl MapState {
    /// The processor: `ItemProcessor`, or the legacy `Iterator`.
    pub fn processor(&self) -> Option<&ItemProcessor> {
        self.item_processor.as_ref().or(self.iterator.as_ref())
    }
}

impl StateMachine {
    /// The machine as a scope.
    pub fn scope(&self) -> Scope<'_> {
        Scope {
            start_at: &self.start_at,
            states: &self.states,
            query_language: self.query_language,
        }
    }

    /// Reads a definition from JSON. Fails on the first error found; use
    /// [`crate::parse::parse_value`] or [`crate::validate_str`] for every diagnostic.
    pub fn from_value(value: &Value) -> Result<Self, crate::ParseError> {
        let outcome = crate::parse::parse_value(value);
        outcome.into_result()
    }

    /// The definition as JSON.
    pub fn to_value(&self) -> Value {
        // Serializing the model is infallible: every key is a string and no value is a
        // non-finite float (numbers are kept as `serde_json::Number`).
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// The definition as compact JSON text.
    pub fn to_json(&self) -> String {
        self.to_value().to_string()
    }

    /// The definition as indented JSON text.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(&self.to_value()).unwrap_or_default()
    }

    /// Finds a state by name in any scope, nested ones included.
    pub fn find_state(&self, name: &str) -> Option<&State> {
        fn find<'a>(states: &'a IndexMap<StateName, State>, name: &str) -> Option<&'a State> {
            if let Some(s) = states.get(name) {
                return Some(s);
            }
            states.values().find_map(|s| {
                s.nested()
                    .into_iter()
                    .find_map(|(_, scope)| find(scope.states, name))
            })
        }
        find(&self.states, name)
    }
}

impl FromStr for StateMachine {
    type Err = crate::ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let outcome = crate::parse::parse_str(s);
        outcome.into_result()
    }
}

impl<'de> serde::Deserialize<'de> for StateMachine {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(d)?;
        StateMachine::from_value(&value).map_err(serde::de::Error::custom)
    }
}
