//! Reading a definition: JSON → [`StateMachine`], with every field-level problem reported
//! as a [`Diagnostic`] located by JSON Pointer.
//!
//! The reader never stops at the first problem: it reports everything it can see in one
//! pass and builds as much of the model as the definition allows. Checks that need the
//! whole machine (transition targets, reachability, duplicate names) are in
//! [`mod@crate::validate`].

use std::fmt;

use indexmap::IndexMap;
use serde_json::{Map, Value};

use crate::{
    diagnostic::{Diagnostic, DiagnosticCode as Code, Diagnostics, value_kind as kind},
    intrinsic::IntrinsicCall,
    model::*,
    names::{self, MAX_MAP_LABEL_LEN},
    path::JsonPath,
    template::{TemplateProblem, push_pointer},
};

/// The largest definition AWS accepts, in characters.
pub const MAX_DEFINITION_CHARS: usize = 1_048_576;

/// A definition that could not be read, with every diagnostic found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ParseError {
    /// Everything found (at least one error).
    pub diagnostics: Diagnostics,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let errors: Vec<_> = self.diagnostics.errors().collect();
        match errors.as_slice() {
            [] => f.write_str("invalid state machine definition"),
            [one] => write!(
                f,
                "invalid state machine definition: {}: {}",
                one.location(),
                one.message
            ),
            [first, rest @ ..] => write!(
                f,
                "invalid state machine definition: {}: {} (and {} more)",
                first.location(),
                first.message,
                rest.len()
            ),
        }
    }
}

/// What reading a definition produced: the model when the definition could be read, and
/// every diagnostic found on the way.
#[derive(Debug, Clone)]
pub struct ParseOutcome {
    /// The model, unless a problem made one impossible to build. A model is present
    /// whenever `diagnostics` holds no error, and may be present when it does.
    pub machine: Option<StateMachine>,
    /// The field-level diagnostics.
    pub diagnostics: Diagnostics,
}

impl ParseOutcome {
    /// The model, or every diagnostic when there is any error.
    pub fn into_result(self) -> Result<StateMachine, ParseError> {
        match self.machine {
            Some(m) if self.diagnostics.is_valid() => Ok(m),
            _ => Err(ParseError {
                diagnostics: self.diagnostics,
            }),
        }
    }
}

/// Reads a definition from text.
pub fn parse_str(text: &str) -> ParseOutcome {
    match read_json(text) {
        Ok(v) => parse_value(&v),
        Err(diagnostic) => ParseOutcome {
            machine: None,
            diagnostics: Diagnostics(vec![diagnostic]),
        },
    }
}

/// The definition's text as JSON, or the diagnostic that says why it is not a
/// definition at all (empty, too large, not JSON).
pub(crate) fn read_json(text: &str) -> Result<Value, Diagnostic> {
    if text.trim().is_empty() {
        return Err(Diagnostic::error(
            Code::SchemaValidationFailed,
            "",
            "Definition must be a valid JSON object",
        ));
    }
    let chars = text.chars().count();
    if chars > MAX_DEFINITION_CHARS {
        return Err(Diagnostic::error(
            Code::DefinitionTooLarge,
            "",
            format!(
                "The definition is {chars} characters long; at most {MAX_DEFINITION_CHARS} are allowed"
            ),
        ));
    }
    serde_json::from_str::<Value>(text).map_err(|e| {
        Diagnostic::error(
            Code::InvalidJsonDescription,
            "",
            format!("The definition is not valid JSON: {e}"),
        )
    })
}

/// Reads a definition from a JSON value.
pub fn parse_value(value: &Value) -> ParseOutcome {
    let mut p = Parser {
        diags: Vec::new(),
        machine_ql: None,
    };
    let machine = match value {
        Value::Object(map) => p.machine(map),
        _ => {
            p.error("", "Definition must be a valid JSON object");
            None
        }
    };
    ParseOutcome {
        machine,
        diagnostics: Diagnostics(p.diags),
    }
}

struct Parser {
    diags: Vec<Diagnostic>,
    /// The machine's own `QueryLanguage`, which nested states may not downgrade.
    machine_ql: Option<QueryLanguage>,
}

/// An object being read: tracks which keys were used so the rest can be reported.
struct Obj<'a> {
    map: &'a Map<String, Value>,
    ptr: String,
    used: Vec<&'a str>,
}

impl<'a> Obj<'a> {
    fn new(map: &'a Map<String, Value>, ptr: &str) -> Self {
        Obj {
            map,
            ptr: ptr.to_owned(),
            used: Vec::with_capacity(map.len()),
        }
    }

    fn get(&mut self, key: &str) -> Option<&'a Value> {
        let (k, v) = self.map.get_key_value(key)?;
        self.used.push(k.as_str());
        Some(v)
    }

    fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    fn at(&self, key: &str) -> String {
        let mut p = self.ptr.clone();
        push_pointer(&mut p, key);
        p
    }

    /// The keys never read.
    fn unused(&self) -> impl Iterator<Item = &'a String> + '_ {
        self.map.keys().filter(|k| !self.used.contains(&k.as_str()))
    }
}

/// Fields of any state, to tell a misplaced field from an unknown one.
const STATE_FIELDS: &[&str] = &[
    "Type",
    "Comment",
    "QueryLanguage",
    "Next",
    "End",
    "InputPath",
    "OutputPath",
    "Parameters",
    "ResultSelector",
    "ResultPath",
    "Result",
    "Retry",
    "Catch",
    "Resource",
    "TimeoutSeconds",
    "TimeoutSecondsPath",
    "HeartbeatSeconds",
    "HeartbeatSecondsPath",
    "Credentials",
    "Choices",
    "Default",
    "Seconds",
    "Timestamp",
    "SecondsPath",
    "TimestampPath",
    "Error",
    "Cause",
    "ErrorPath",
    "CausePath",
    "Branches",
    "ItemProcessor",
    "Iterator",
    "ItemsPath",
    "Items",
    "ItemSelector",
    "ItemReader",
    "ItemBatcher",
    "ResultWriter",
    "MaxConcurrency",
    "MaxConcurrencyPath",
    "ToleratedFailurePercentage",
    "ToleratedFailurePercentagePath",
    "ToleratedFailureCount",
    "ToleratedFailureCountPath",
    "Label",
    "Arguments",
    "Output",
    "Assign",
];

/// Fields only JSONPath states may have.
const JSONPATH_ONLY: &[&str] = &[
    "InputPath",
    "OutputPath",
    "Parameters",
    "ResultSelector",
    "ResultPath",
    "ItemsPath",
    "TimeoutSecondsPath",
    "HeartbeatSecondsPath",
    "SecondsPath",
    "TimestampPath",
    "ErrorPath",
    "CausePath",
    "MaxConcurrencyPath",
    "ToleratedFailurePercentagePath",
    "ToleratedFailureCountPath",
    "Iterator",
    "Result",
];

/// The intrinsic functions whose result is a string, as `ErrorPath`/`CausePath` need.
const STRING_INTRINSICS: &[&str] = &[
    "States.Format",
    "States.JsonToString",
    "States.ArrayGetItem",
    "States.Base64Encode",
    "States.Base64Decode",
    "States.Hash",
    "States.UUID",
];

/// Fields only JSONata states may have.
const JSONATA_ONLY: &[&str] = &["Arguments", "Output", "Items"];

impl Parser {
    fn error(&mut self, ptr: &str, message: impl Into<String>) {
        self.diags.push(Diagnostic::error(
            Code::SchemaValidationFailed,
            ptr,
            message,
        ));
    }

    /// An error about a field being there at all (misplaced, unknown, clashing), as
    /// opposed to about its value.
    fn field_error(&mut self, ptr: &str, message: impl Into<String>) {
        self.diags
            .push(Diagnostic::error(Code::SchemaValidationFailed, ptr, message).about_field());
    }

    fn error_code(&mut self, code: Code, ptr: &str, message: impl Into<String>) {
        self.diags.push(Diagnostic::error(code, ptr, message));
    }

    fn warning(&mut self, code: Code, ptr: &str, message: impl Into<String>) {
        self.diags.push(Diagnostic::warning(code, ptr, message));
    }

    /// Reports the keys of `obj` that were never read.
    fn finish(&mut self, obj: Obj<'_>, what: &str) {
        let unused: Vec<String> = obj.unused().cloned().collect();
        for key in unused {
            let at = obj.at(&key);
            self.field_error(&at, format!("Field '{key}' is not supported in {what}"));
        }
    }

    // ---- scalar readers -------------------------------------------------------------

    fn string(&mut self, obj: &mut Obj<'_>, key: &str) -> Option<String> {
        match obj.get(key)? {
            Value::String(s) => Some(s.clone()),
            v => {
                self.error(
                    &obj.at(key),
                    format!("The field '{key}' must be a string, not {}", kind(v)),
                );
                None
            }
        }
    }

    fn boolean(&mut self, obj: &mut Obj<'_>, key: &str) -> Option<bool> {
        match obj.get(key)? {
            Value::Bool(b) => Some(*b),
            v => {
                self.error(
                    &obj.at(key),
                    format!("The field '{key}' must be a boolean, not {}", kind(v)),
                );
                None
            }
        }
    }

    /// A non-negative integer, with `min` as its lower bound.
    fn uint(&mut self, obj: &mut Obj<'_>, key: &str, min: u64, max: Option<u64>) -> Option<u64> {
        let v = obj.get(key)?;
        let at = obj.at(key);
        self.uint_value(v, key, &at, min, max)
    }

    fn uint_value(
        &mut self,
        v: &Value,
        key: &str,
        at: &str,
        min: u64,
        max: Option<u64>,
    ) -> Option<u64> {
        let n = match v {
            Value::Number(n) => n,
            _ => {
                self.error(
                    at,
                    format!("The field '{key}' must be an integer, not {}", kind(v)),
                );
                return None;
            }
        };
        let Some(i) = n.as_u64() else {
            if n.as_i64().is_some() {
                self.error(
                    at,
                    format!("The field '{key}' must be at least {min}; it is {n}"),
                );
            } else {
                self.error(
                    at,
                    format!("The field '{key}' must be an integer; it is {n}"),
                );
            }
            return None;
        };
        if i < min {
            self.error(
                at,
                format!("The field '{key}' must be at least {min}; it is {i}"),
            );
        }
        if let Some(max) = max.filter(|&m| i > m) {
            self.error(
                at,
                format!("The field '{key}' must be at most {max}; it is {i}"),
            );
        }
        Some(i)
    }

    /// An integer, or in JSONata states a `{% … %}` expression.
    fn int_or_expr(
        &mut self,
        obj: &mut Obj<'_>,
        key: &str,
        ql: QueryLanguage,
        min: u64,
        max: Option<u64>,
    ) -> Option<IntOrExpr> {
        let v = obj.get(key)?;
        let at = obj.at(key);
        if let (QueryLanguage::JSONata, Value::String(s)) = (ql, v) {
            return self.jsonata_string(s, key, &at).map(IntOrExpr::Jsonata);
        }
        self.uint_value(v, key, &at, min, max).map(IntOrExpr::Int)
    }

    fn jsonata_string(&mut self, s: &str, key: &str, at: &str) -> Option<JsonataString> {
        match JsonataString::parse(s) {
            Some(Ok(j)) => Some(j),
            Some(Err(e)) => {
                self.error_code(
                    Code::InvalidJsonata,
                    at,
                    format!(
                        "The field '{key}' holds an invalid JSONata expression: {}",
                        e.message
                    ),
                );
                None
            }
            None => {
                self.error(at, format!("The field '{key}' must be a JSONata expression written as {{% … %}}, or a literal of its type"));
                None
            }
        }
    }

    fn string_or_expr(
        &mut self,
        obj: &mut Obj<'_>,
        key: &str,
        ql: QueryLanguage,
    ) -> Option<StringOrExpr> {
        let s = self.string(obj, key)?;
        if ql == QueryLanguage::JSONata && JsonataString::is_expression(&s) {
            let at = obj.at(key);
            return self.jsonata_string(&s, key, &at).map(StringOrExpr::Jsonata);
        }
        Some(StringOrExpr::String(s))
    }

    fn path_at(&mut self, text: &str, key: &str, at: &str) -> Option<JsonPath> {
        match JsonPath::parse(text) {
            Ok(p) => Some(p),
            Err(e) => {
                self.error_code(
                    Code::InvalidJsonPath,
                    at,
                    format!(
                        "The value for the field '{key}' must be a valid JSONPath: {}",
                        e.message
                    ),
                );
                None
            }
        }
    }

    /// A JSONPath field.
    fn path(&mut self, obj: &mut Obj<'_>, key: &str) -> Option<JsonPath> {
        let v = obj.get(key)?;
        let at = obj.at(key);
        match v {
            Value::String(s) => self.path_at(s, key, &at),
            v => {
                self.error(
                    &at,
                    format!(
                        "The field '{key}' must be a string holding a JSONPath, not {}",
                        kind(v)
                    ),
                );
                None
            }
        }
    }

    /// A reference path field (names and indices only), rooted at `$` unless `any_root`.
    fn reference_path(&mut self, obj: &mut Obj<'_>, key: &str, any_root: bool) -> Option<JsonPath> {
        let at = obj.at(key);
        let p = self.path(obj, key)?;
        self.check_reference(&p, key, &at, any_root);
        Some(p)
    }

    fn check_reference(&mut self, p: &JsonPath, key: &str, at: &str, any_root: bool) {
        if !p.is_reference_path() {
            self.error_code(Code::InvalidJsonPath, at, format!("The value for the field '{key}' must be a valid ReferencePath: '{p}' selects more than one node"));
        } else if !any_root && p.root() != crate::path::PathRoot::Input {
            self.error_code(Code::InvalidJsonPath, at, format!("The value for the field '{key}' must be a path into the state's data starting with '$.': '{p}'"));
        }
    }

    /// `InputPath`, `OutputPath`, `ResultPath`: a path or `null`.
    fn nullable_path(
        &mut self,
        obj: &mut Obj<'_>,
        key: &str,
        reference: bool,
    ) -> Option<NullablePath> {
        match obj.get(key)? {
            Value::Null => Some(NullablePath::Null),
            Value::String(s) => {
                let at = obj.at(key);
                let p = self.path_at(s, key, &at)?;
                if reference {
                    self.check_reference(&p, key, &at, false);
                }
                Some(NullablePath::Path(p))
            }
            v => {
                let at = obj.at(key);
                self.error(
                    &at,
                    format!(
                        "The field '{key}' must be a JSONPath string or null, not {}",
                        kind(v)
                    ),
                );
                None
            }
        }
    }

    fn path_expr(&mut self, obj: &mut Obj<'_>, key: &str) -> Option<PathExpr> {
        let s = self.string(obj, key)?;
        let at = obj.at(key);
        match PathExpr::parse(&s) {
            Ok(p) => Some(p),
            Err(message) => {
                self.error_code(message.code(), &at, format!("The value for the field '{key}' must be a valid JSONPath or a valid intrinsic function call: {message}"));
                None
            }
        }
    }

    fn template(
        &mut self,
        obj: &mut Obj<'_>,
        key: &str,
        ql: QueryLanguage,
        must_be_object: bool,
    ) -> Option<Template> {
        let v = obj.get(key)?;
        let at = obj.at(key);
        if must_be_object && !v.is_object() && !(ql == QueryLanguage::JSONata && v.is_string()) {
            self.error(
                &at,
                format!("The field '{key}' must be an object, not {}", kind(v)),
            );
            return None;
        }
        let mut problems: Vec<TemplateProblem> = Vec::new();
        let t = Template::parse(v, ql, &mut problems);
        for pr in problems {
            self.error_code(pr.code, &format!("{at}{}", pr.pointer), pr.message);
        }
        if ql == QueryLanguage::JSONPath {
            self.no_dollar_warnings(v, &at);
        }
        Some(t)
    }

    /// AWS's NO_DOLLAR warning: a value that looks like a path under a key without `.$`.
    fn no_dollar_warnings(&mut self, v: &Value, at: &str) {
        match v {
            Value::Object(m) => {
                for (k, v) in m {
                    let mut p = at.to_owned();
                    push_pointer(&mut p, k);
                    if let Value::String(s) = v {
                        if !k.ends_with(".$")
                            && (s.starts_with("$.")
                                || s.starts_with("$$.")
                                || IntrinsicCall::looks_like_call(s))
                        {
                            self.warning(Code::NoDollar, &p, format!("The value of '{k}' looks like a path or an intrinsic function, but '{k}' does not end in '.$', so it is passed as a literal string"));
                        }
                    } else {
                        self.no_dollar_warnings(v, &p);
                    }
                }
            }
            Value::Array(a) => {
                for (i, v) in a.iter().enumerate() {
                    self.no_dollar_warnings(v, &format!("{at}/{i}"));
                }
            }
            _ => {}
        }
    }

    fn query_language(&mut self, obj: &mut Obj<'_>) -> Option<QueryLanguage> {
        let at = obj.at("QueryLanguage");
        match self.string(obj, "QueryLanguage")?.as_str() {
            "JSONPath" => Some(QueryLanguage::JSONPath),
            "JSONata" => Some(QueryLanguage::JSONata),
            other => {
                self.error(
                    &at,
                    format!(
                        "The field 'QueryLanguage' must be 'JSONPath' or 'JSONata', not '{other}'"
                    ),
                );
                None
            }
        }
    }

    // ---- machine and scopes ----------------------------------------------------------

    fn machine(&mut self, map: &Map<String, Value>) -> Option<StateMachine> {
        let mut obj = Obj::new(map, "");
        let comment = self.string(&mut obj, "Comment");
        let query_language = self.query_language(&mut obj);
        self.machine_ql = query_language;
        let version = self.string(&mut obj, "Version");
        if let Some(v) = &version {
            if v != "1.0" {
                let at = obj.at("Version");
                self.error(
                    &at,
                    format!("The field 'Version' must be \"1.0\", not \"{v}\""),
                );
            }
        }
        let timeout_seconds = self.uint(&mut obj, "TimeoutSeconds", 1, Some(99_999_999));
        let ql = query_language.unwrap_or_default();
        let body = self.scope_body(&mut obj, ql);
        self.finish(obj, "a state machine");
        let (start_at, states) = body?;
        Some(StateMachine {
            comment,
            query_language,
            start_at,
            states,
            version,
            timeout_seconds,
        })
    }

    /// `StartAt` and `States` of a machine, branch or processor.
    fn scope_body(
        &mut self,
        obj: &mut Obj<'_>,
        ql: QueryLanguage,
    ) -> Option<(StateName, IndexMap<StateName, State>)> {
        let mut missing = Vec::new();
        if !obj.has("StartAt") {
            missing.push("StartAt");
        }
        if !obj.has("States") {
            missing.push("States");
        }
        if !missing.is_empty() {
            let ptr = obj.ptr.clone();
            self.error(
                &ptr,
                format!("These fields are required: [{}]", missing.join(", ")),
            );
        }
        let start_at = self.string(obj, "StartAt");
        let states = match obj.get("States") {
            Some(Value::Object(m)) => {
                let at = obj.at("States");
                if m.is_empty() {
                    self.error(&at, "The field 'States' must hold at least one state");
                }
                let mut states = IndexMap::with_capacity(m.len());
                for (name, v) in m {
                    let ptr = {
                        let mut p = at.clone();
                        push_pointer(&mut p, name);
                        p
                    };
                    if let Err(e) = names::check_state_name(name) {
                        self.error_code(
                            Code::InvalidStateName,
                            &ptr,
                            format!("Invalid state name '{name}': {e}"),
                        );
                    }
                    if let Some(state) = self.state(v, &ptr, ql) {
                        states.insert(StateName::new(name.clone()), state);
                    }
                }
                Some(states)
            }
            Some(v) => {
                let at = obj.at("States");
                self.error(
                    &at,
                    format!("The field 'States' must be an object, not {}", kind(v)),
                );
                None
            }
            None => None,
        };
        Some((StateName::new(start_at?), states?))
    }

    // ---- states ---------------------------------------------------------------------

    fn state(&mut self, v: &Value, ptr: &str, inherited: QueryLanguage) -> Option<State> {
        let Value::Object(map) = v else {
            self.error(ptr, format!("A state must be an object, not {}", kind(v)));
            return None;
        };
        let mut obj = Obj::new(map, ptr);
        let ty = match obj.get("Type") {
            None => {
                self.error(ptr, "These fields are required: [Type]");
                None
            }
            Some(Value::String(t)) => {
                let ty = StateType::from_name(t);
                if ty.is_none() {
                    let at = obj.at("Type");
                    self.error(&at, format!("The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map], not '{t}'"));
                }
                ty
            }
            Some(v) => {
                let at = obj.at("Type");
                self.error(
                    &at,
                    format!("The field 'Type' must be a string, not {}", kind(v)),
                );
                None
            }
        };
        let comment = self.string(&mut obj, "Comment");
        let own_ql = self.query_language(&mut obj);
        if let (Some(QueryLanguage::JSONPath), Some(QueryLanguage::JSONata)) =
            (own_ql, self.machine_ql)
        {
            self.error(
                ptr,
                "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
            );
        }
        let ql = own_ql.unwrap_or(inherited);
        let Some(ty) = ty else {
            // Read nothing more: the fields cannot be judged without a type.
            return None;
        };
        // Fields that belong to the other query language.
        let (forbidden, other) = match ql {
            QueryLanguage::JSONata => (JSONPATH_ONLY, "JSONPath"),
            QueryLanguage::JSONPath => (JSONATA_ONLY, "JSONata"),
        };
        for &f in forbidden {
            if obj.has(f) {
                let at = obj.at(f);
                obj.get(f);
                self.field_error(&at, format!("The field '{f}' is only supported in {other} states; this state's query language is {ql}"));
            }
        }
        let mut st = StateReader {
            p: self,
            obj,
            ql,
            ty,
        };
        let state = st.read(comment, own_ql);
        let StateReader { p, obj, .. } = st;
        // Report fields that do not belong to this type.
        let unused: Vec<String> = obj.unused().cloned().collect();
        for key in unused {
            let at = obj.at(&key);
            if STATE_FIELDS.contains(&key.as_str()) {
                p.field_error(
                    &at,
                    format!("Field '{key}' is not supported by a {ty} state"),
                );
            } else {
                p.field_error(
                    &at,
                    format!("Field '{key}' is not a known field of a {ty} state"),
                );
            }
        }
        state
    }
}

struct StateReader<'p, 'a> {
    p: &'p mut Parser,
    obj: Obj<'a>,
    ql: QueryLanguage,
    ty: StateType,
}

impl<'a> StateReader<'_, 'a> {
    fn at(&self, key: &str) -> String {
        self.obj.at(key)
    }

    fn jsonpath(&self) -> bool {
        self.ql == QueryLanguage::JSONPath
    }

    fn input_output(&mut self) -> (Option<NullablePath>, Option<NullablePath>, Option<Template>) {
        let input = if self.jsonpath() {
            self.p.nullable_path(&mut self.obj, "InputPath", false)
        } else {
            None
        };
        let output_path = if self.jsonpath() {
            self.p.nullable_path(&mut self.obj, "OutputPath", false)
        } else {
            None
        };
        let output = if self.jsonpath() {
            None
        } else {
            self.p.template(&mut self.obj, "Output", self.ql, false)
        };
        (input, output_path, output)
    }

    fn result_path(&mut self) -> Option<NullablePath> {
        if self.jsonpath() {
            self.p.nullable_path(&mut self.obj, "ResultPath", true)
        } else {
            None
        }
    }

    fn jsonpath_template(&mut self, key: &str) -> Option<Template> {
        if self.jsonpath() {
            self.p.template(&mut self.obj, key, self.ql, false)
        } else {
            None
        }
    }

    fn jsonata_template(&mut self, key: &str) -> Option<Template> {
        if self.jsonpath() {
            None
        } else {
            self.p.template(&mut self.obj, key, self.ql, false)
        }
    }

    fn assign(&mut self) -> Option<Template> {
        self.p.template(&mut self.obj, "Assign", self.ql, true)
    }

    /// `Next` / `End`: exactly one.
    fn transition(&mut self) -> (Option<StateName>, Option<bool>) {
        let next = self.p.string(&mut self.obj, "Next").map(StateName::new);
        let end = self.p.boolean(&mut self.obj, "End");
        let ptr = self.obj.ptr.clone();
        match (&next, end) {
            (Some(_), Some(true)) => self
                .p
                .field_error(&ptr, "A state may have 'Next' or 'End', not both"),
            (None, None | Some(false)) if !self.obj.has("Next") && !self.obj.has("End") => self
                .p
                .error(&ptr, "A state must have 'Next' or 'End: true'"),
            (None, Some(false)) => self
                .p
                .error(&ptr, "'End' must be true when there is no 'Next'"),
            _ => {}
        }
        (next, end)
    }

    fn read(
        &mut self,
        comment: Option<String>,
        query_language: Option<QueryLanguage>,
    ) -> Option<State> {
        Some(match self.ty {
            StateType::Pass => {
                let (input_path, output_path, output) = self.input_output();
                let parameters = self.jsonpath_template("Parameters");
                let result = if self.jsonpath() {
                    self.obj.get("Result").cloned()
                } else {
                    None
                };
                if let Some(Value::String(s)) = &result {
                    if s.starts_with('$') {
                        let at = self.at("Result");
                        self.p.warning(Code::PassResultIsStatic, &at, "'Result' holds a path, which is not evaluated: the result is the string itself");
                    }
                }
                let result_path = self.result_path();
                let assign = self.assign();
                let (next, end) = self.transition();
                State::Pass(PassState {
                    comment,
                    query_language,
                    input_path,
                    parameters,
                    result,
                    result_path,
                    output_path,
                    output,
                    assign,
                    next,
                    end,
                })
            }
            StateType::Task => self.task(comment, query_language)?,
            StateType::Choice => self.choice(comment, query_language)?,
            StateType::Wait => self.wait(comment, query_language),
            StateType::Succeed => {
                let (input_path, output_path, output) = self.input_output();
                State::Succeed(SucceedState {
                    comment,
                    query_language,
                    input_path,
                    output_path,
                    output,
                })
            }
            StateType::Fail => self.fail(comment, query_language),
            StateType::Parallel => self.parallel(comment, query_language)?,
            StateType::Map => self.map(comment, query_language)?,
        })
    }

    fn retry_catch(&mut self) -> (Option<Vec<Retrier>>, Option<Vec<Catcher>>) {
        let retry = self.list("Retry", Self::retrier);
        let catch = self.list("Catch", Self::catcher);
        let retry_all = retry.as_deref().map(|r| {
            r.iter()
                .map(|x| x.error_equals.iter().any(ErrorName::is_all))
                .collect()
        });
        let catch_all = catch.as_deref().map(|c| {
            c.iter()
                .map(|x| x.error_equals.iter().any(ErrorName::is_all))
                .collect()
        });
        for (key, all) in [("Retry", retry_all), ("Catch", catch_all)] {
            let all: Vec<bool> = all.unwrap_or_default();
            for (i, _) in all
                .iter()
                .enumerate()
                .filter(|(i, a)| **a && i + 1 < all.len())
            {
                let at = format!("{}/{i}/ErrorEquals", self.at(key));
                let what = if key == "Retry" { "retrier" } else { "catcher" };
                self.p.error(&at, format!("'States.ALL' must appear in the last {what} only; the {what}s after it can never match"));
            }
        }
        (retry, catch)
    }

    fn list<T>(
        &mut self,
        key: &str,
        mut item: impl FnMut(&mut Self, &Map<String, Value>, &str) -> Option<T>,
    ) -> Option<Vec<T>> {
        let v = self.obj.get(key)?;
        let at = self.at(key);
        let Value::Array(items) = v else {
            self.p.error(
                &at,
                format!("The field '{key}' must be an array, not {}", kind(v)),
            );
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, v) in items.iter().enumerate() {
            let ptr = format!("{at}/{i}");
            match v {
                Value::Object(m) => out.extend(item(self, m, &ptr)),
                v => self.p.error(
                    &ptr,
                    format!("Each element of '{key}' must be an object, not {}", kind(v)),
                ),
            }
        }
        Some(out)
    }

    fn error_equals(&mut self, obj: &mut Obj<'_>) -> Option<Vec<ErrorName>> {
        let at = obj.at("ErrorEquals");
        let Some(v) = obj.get("ErrorEquals") else {
            let ptr = obj.ptr.clone();
            self.p
                .error(&ptr, "These fields are required: [ErrorEquals]");
            return None;
        };
        let Value::Array(items) = v else {
            self.p.error(
                &at,
                format!(
                    "The field 'ErrorEquals' must be an array of strings, not {}",
                    kind(v)
                ),
            );
            return None;
        };
        if items.is_empty() {
            self.p
                .error(&at, "The field 'ErrorEquals' must name at least one error");
        }
        let mut names = Vec::with_capacity(items.len());
        for (i, v) in items.iter().enumerate() {
            match v {
                Value::String(s) => names.push(ErrorName::new(s.clone())),
                v => self.p.error(
                    &format!("{at}/{i}"),
                    format!("Error names must be strings, not {}", kind(v)),
                ),
            }
        }
        if let Some(i) = names.iter().position(ErrorName::is_all) {
            if names.len() > 1 {
                self.p.error(
                    &format!("{at}/{i}"),
                    "'States.ALL' must appear alone in 'ErrorEquals'",
                );
            }
        }
        for (i, n) in names.iter().enumerate() {
            if n.is_unknown_reserved() {
                self.p.error(&format!("{at}/{i}"), format!("'{n}' is not an error Step Functions defines; names starting with 'States.' are reserved"));
            }
        }
        Some(names)
    }

    fn retrier(&mut self, map: &Map<String, Value>, ptr: &str) -> Option<Retrier> {
        let mut obj = Obj::new(map, ptr);
        let error_equals = self.error_equals(&mut obj);
        let comment = self.p.string(&mut obj, "Comment");
        let interval_seconds = self
            .p
            .uint(&mut obj, "IntervalSeconds", 1, Some(99_999_999));
        let max_attempts = self.p.uint(&mut obj, "MaxAttempts", 0, Some(99_999_999));
        let max_delay_seconds = self
            .p
            .uint(&mut obj, "MaxDelaySeconds", 1, Some(31_622_400));
        let backoff_rate = match obj.get("BackoffRate") {
            None => None,
            Some(Value::Number(n)) => {
                if n.as_f64().is_some_and(|f| f < 1.0) {
                    let at = obj.at("BackoffRate");
                    self.p.error(
                        &at,
                        format!("The field 'BackoffRate' must be at least 1.0; it is {n}"),
                    );
                }
                Some(n.clone())
            }
            Some(v) => {
                let at = obj.at("BackoffRate");
                self.p.error(
                    &at,
                    format!("The field 'BackoffRate' must be a number, not {}", kind(v)),
                );
                None
            }
        };
        let jitter_at = obj.at("JitterStrategy");
        let jitter_strategy = match self.p.string(&mut obj, "JitterStrategy").as_deref() {
            None => None,
            Some("FULL") => Some(JitterStrategy::Full),
            Some("NONE") => Some(JitterStrategy::None),
            Some(other) => {
                self.p.error(
                    &jitter_at,
                    format!("The field 'JitterStrategy' must be 'FULL' or 'NONE', not '{other}'"),
                );
                None
            }
        };
        self.p.finish(obj, "a retrier");
        Some(Retrier {
            error_equals: error_equals?,
            comment,
            interval_seconds,
            max_attempts,
            backoff_rate,
            max_delay_seconds,
            jitter_strategy,
        })
    }

    fn catcher(&mut self, map: &Map<String, Value>, ptr: &str) -> Option<Catcher> {
        let mut obj = Obj::new(map, ptr);
        let error_equals = self.error_equals(&mut obj);
        let comment = self.p.string(&mut obj, "Comment");
        if !obj.has("Next") {
            self.p.error(ptr, "These fields are required: [Next]");
        }
        let next = self.p.string(&mut obj, "Next").map(StateName::new);
        let ql = self.ql;
        let result_path = if ql == QueryLanguage::JSONPath {
            self.p.nullable_path(&mut obj, "ResultPath", true)
        } else {
            None
        };
        let output = if ql == QueryLanguage::JSONata {
            self.p.template(&mut obj, "Output", ql, false)
        } else {
            None
        };
        let assign = self.p.template(&mut obj, "Assign", ql, true);
        let other = if ql == QueryLanguage::JSONata {
            "ResultPath"
        } else {
            "Output"
        };
        if obj.has(other) {
            let at = obj.at(other);
            obj.get(other);
            self.p.field_error(
                &at,
                format!("The field '{other}' of a catcher is not supported in {ql} states"),
            );
        }
        self.p.finish(obj, "a catcher");
        Some(Catcher {
            error_equals: error_equals?,
            comment,
            next: next?,
            result_path,
            output,
            assign,
        })
    }

    fn timeout_pair(&mut self, key: &str, path_key: &str) -> (Option<IntOrExpr>, Option<JsonPath>) {
        let value = self
            .p
            .int_or_expr(&mut self.obj, key, self.ql, 1, Some(99_999_999));
        let path = if self.jsonpath() {
            self.p.reference_path(&mut self.obj, path_key, true)
        } else {
            None
        };
        if value.is_some() && path.is_some() {
            let ptr = self.obj.ptr.clone();
            self.p.field_error(
                &ptr,
                format!("A state may have '{key}' or '{path_key}', not both"),
            );
        }
        (value, path)
    }

    fn task(
        &mut self,
        comment: Option<String>,
        query_language: Option<QueryLanguage>,
    ) -> Option<State> {
        let ptr = self.obj.ptr.clone();
        if !self.obj.has("Resource") {
            self.p.error(&ptr, "These fields are required: [Resource]");
        }
        let resource = self.p.string(&mut self.obj, "Resource").map(Resource::new);
        let (input_path, output_path, output) = self.input_output();
        let parameters = self.jsonpath_template("Parameters");
        let arguments = self.jsonata_template("Arguments");
        let result_selector = self.jsonpath_template("ResultSelector");
        let result_path = self.result_path();
        let assign = self.assign();
        let (timeout_seconds, timeout_seconds_path) =
            self.timeout_pair("TimeoutSeconds", "TimeoutSecondsPath");
        let (heartbeat_seconds, heartbeat_seconds_path) =
            self.timeout_pair("HeartbeatSeconds", "HeartbeatSecondsPath");
        if let (Some(IntOrExpr::Int(t)), Some(IntOrExpr::Int(h))) =
            (&timeout_seconds, &heartbeat_seconds)
        {
            if h >= t {
                let at = self.at("HeartbeatSeconds");
                self.p.error(
                    &at,
                    format!("'HeartbeatSeconds' ({h}) must be smaller than 'TimeoutSeconds' ({t})"),
                );
            }
        }
        let credentials = self.p.template(&mut self.obj, "Credentials", self.ql, true);
        let (retry, catch) = self.retry_catch();
        let (next, end) = self.transition();
        Some(State::Task(TaskState {
            comment,
            query_language,
            resource: resource?,
            input_path,
            parameters,
            arguments,
            result_selector,
            result_path,
            output_path,
            output,
            assign,
            timeout_seconds,
            timeout_seconds_path,
            heartbeat_seconds,
            heartbeat_seconds_path,
            credentials,
            retry,
            catch,
            next,
            end,
        }))
    }

    fn choice(
        &mut self,
        comment: Option<String>,
        query_language: Option<QueryLanguage>,
    ) -> Option<State> {
        let ptr = self.obj.ptr.clone();
        let (input_path, output_path, output) = self.input_output();
        let assign = self.assign();
        let default = self.p.string(&mut self.obj, "Default").map(StateName::new);
        for f in ["Next", "End"] {
            if self.obj.has(f) {
                let at = self.at(f);
                self.obj.get(f);
                self.p
                    .field_error(&at, format!("A Choice state may not have '{f}'"));
            }
        }
        if !self.obj.has("Choices") {
            self.p.error(&ptr, "These fields are required: [Choices]");
        }
        if matches!(self.obj.map.get("Choices"), Some(Value::Array(a)) if a.is_empty()) {
            let at = self.at("Choices");
            self.p.error(
                &at,
                "A Choice state must have at least one rule in 'Choices'",
            );
        }
        let choices = self.list("Choices", |r, m, at| r.rule_object(m, at, true));
        Some(State::Choice(ChoiceState {
            comment,
            query_language,
            input_path,
            output_path,
            choices: choices?,
            default,
            output,
            assign,
        }))
    }

    fn rule(&mut self, v: &Value, ptr: &str, top: bool) -> Option<ChoiceRule> {
        match v {
            Value::Object(map) => self.rule_object(map, ptr, top),
            v => {
                self.p.error(
                    ptr,
                    format!("A choice rule must be an object, not {}", kind(v)),
                );
                None
            }
        }
    }

    fn rule_object(
        &mut self,
        map: &Map<String, Value>,
        ptr: &str,
        top: bool,
    ) -> Option<ChoiceRule> {
        let mut obj = Obj::new(map, ptr);
        let ql = self.ql;
        let comment = self.p.string(&mut obj, "Comment");
        let next = self.p.string(&mut obj, "Next").map(StateName::new);
        let assign = self.p.template(&mut obj, "Assign", ql, true);
        let output = if ql == QueryLanguage::JSONata {
            self.p.template(&mut obj, "Output", ql, false)
        } else {
            None
        };
        if top && next.is_none() && !obj.has("Next") {
            self.p.error(ptr, "These fields are required: [Next]");
        }
        if !top {
            for (f, present) in [
                ("Next", next.is_some()),
                ("Assign", assign.is_some()),
                ("Output", output.is_some()),
            ] {
                if present {
                    let at = obj.at(f);
                    self.p
                        .field_error(&at, format!("A nested choice rule may not have '{f}'"));
                }
            }
        }
        let condition = match ql {
            QueryLanguage::JSONata => {
                let c = match obj.get("Condition") {
                    Some(Value::String(s)) => {
                        let at = obj.at("Condition");
                        self.p
                            .jsonata_string(s, "Condition", &at)
                            .map(Condition::Jsonata)
                    }
                    Some(v) => {
                        let at = obj.at("Condition");
                        self.p.error(
                            &at,
                            format!(
                                "The field 'Condition' must be a {{% … %}} string, not {}",
                                kind(v)
                            ),
                        );
                        None
                    }
                    None => {
                        self.p.error(ptr, "These fields are required: [Condition]");
                        None
                    }
                };
                for f in ["Variable", "And", "Or", "Not"] {
                    if obj.has(f) {
                        let at = obj.at(f);
                        obj.get(f);
                        self.p.field_error(&at, format!("The field '{f}' is only supported in JSONPath states; use 'Condition' in JSONata states"));
                    }
                }
                c
            }
            QueryLanguage::JSONPath => self.jsonpath_condition(&mut obj, ptr),
        };
        self.p.finish(obj, "a choice rule");
        Some(ChoiceRule {
            condition: condition?,
            comment,
            next,
            assign,
            output,
        })
    }

    fn jsonpath_condition(&mut self, obj: &mut Obj<'_>, ptr: &str) -> Option<Condition> {
        if obj.has("Condition") {
            let at = obj.at("Condition");
            obj.get("Condition");
            self.p.field_error(
                &at,
                "The field 'Condition' is only supported in JSONata states",
            );
        }
        let mut found: Vec<(&str, Condition)> = Vec::new();
        for combinator in ["And", "Or"] {
            if let Some(v) = obj.get(combinator) {
                let at = obj.at(combinator);
                match v {
                    Value::Array(rules) if !rules.is_empty() => {
                        let rules: Vec<_> = rules
                            .iter()
                            .enumerate()
                            .filter_map(|(i, r)| self.rule(r, &format!("{at}/{i}"), false))
                            .collect();
                        found.push((
                            combinator,
                            if combinator == "And" {
                                Condition::And(rules)
                            } else {
                                Condition::Or(rules)
                            },
                        ));
                    }
                    Value::Array(_) => self
                        .p
                        .error(&at, format!("'{combinator}' must hold at least one rule")),
                    v => self.p.error(
                        &at,
                        format!("'{combinator}' must be an array of rules, not {}", kind(v)),
                    ),
                }
            }
        }
        if let Some(v) = obj.get("Not") {
            let at = obj.at("Not");
            if let Some(r) = self.rule(v, &at, false) {
                found.push(("Not", Condition::Not(Box::new(r))));
            }
        }
        let ops: Vec<(&String, ComparisonOp, bool)> = obj
            .map
            .keys()
            .filter_map(|k| ComparisonOp::from_field(k).map(|(op, is_path)| (k, op, is_path)))
            .collect();
        let variable = obj.get("Variable");
        if !ops.is_empty() || variable.is_some() {
            let variable = match variable {
                Some(Value::String(s)) => {
                    let at = obj.at("Variable");
                    self.p.path_at(s, "Variable", &at)
                }
                Some(v) => {
                    let at = obj.at("Variable");
                    self.p.error(
                        &at,
                        format!(
                            "The field 'Variable' must be a JSONPath string, not {}",
                            kind(v)
                        ),
                    );
                    None
                }
                None => {
                    self.p.error(ptr, "A comparison needs the field 'Variable'");
                    None
                }
            };
            match ops.as_slice() {
                [] => self.p.error(ptr, "A choice rule with 'Variable' needs exactly one comparison operator (such as 'StringEquals' or 'IsPresent')"),
                [(key, op, is_path)] => {
                    let at = obj.at(key);
                    let value = obj.get(key).cloned().unwrap_or(Value::Null);
                    if let Some(operand) = self.operand(*op, *is_path, value, key, &at) {
                        if let Some(variable) = variable {
                            found.push(("Variable", Condition::Compare { variable, op: *op, operand }));
                        }
                    }
                }
                [_, rest @ ..] => {
                    for (key, _, _) in rest {
                        let at = obj.at(key);
                        obj.get(key);
                        self.p.field_error(&at, "A choice rule may hold only one comparison operator");
                    }
                }
            }
        }
        let attempted = obj.has("Variable")
            || obj.has("And")
            || obj.has("Or")
            || obj.has("Not")
            || obj
                .map
                .keys()
                .any(|k| ComparisonOp::from_field(k).is_some());
        match found.len() {
            // A malformed comparison or combinator was reported where it stands.
            0 if attempted => None,
            0 => {
                self.p.error(ptr, "A choice rule needs a comparison ('Variable' and an operator), 'And', 'Or' or 'Not'");
                None
            }
            1 => found.pop().map(|(_, c)| c),
            _ => {
                let names: Vec<_> = found.iter().map(|(n, _)| *n).collect();
                self.p.field_error(ptr, format!("A choice rule may hold only one of 'And', 'Or', 'Not' or a comparison; it holds {}", names.join(", ")));
                None
            }
        }
    }

    fn operand(
        &mut self,
        op: ComparisonOp,
        is_path: bool,
        value: Value,
        key: &str,
        at: &str,
    ) -> Option<Operand> {
        if is_path {
            return match &value {
                Value::String(s) => self.p.path_at(s, key, at).map(Operand::Path),
                v => {
                    self.p.error(
                        at,
                        format!(
                            "The field '{key}' must be a JSONPath string, not {}",
                            kind(v)
                        ),
                    );
                    None
                }
            };
        }
        let ok = match op.operand_kind() {
            OperandKind::String => value.is_string(),
            OperandKind::Number => value.is_number(),
            OperandKind::Boolean => value.is_boolean(),
            OperandKind::Timestamp => match &value {
                Value::String(s) => {
                    if !crate::eval::wait::is_timestamp(s) {
                        self.p.error(
                            at,
                            format!("The field '{key}' must be an RFC 3339 timestamp, not '{s}'"),
                        );
                        return None;
                    }
                    true
                }
                _ => false,
            },
        };
        if !ok {
            let expected = match op.operand_kind() {
                OperandKind::String => "a string",
                OperandKind::Number => "a number",
                OperandKind::Boolean => "a boolean",
                OperandKind::Timestamp => "a timestamp string",
            };
            self.p.error(
                at,
                format!("The field '{key}' must be {expected}, not {}", kind(&value)),
            );
            return None;
        }
        Some(Operand::Literal(value))
    }

    fn wait(&mut self, comment: Option<String>, query_language: Option<QueryLanguage>) -> State {
        let ptr = self.obj.ptr.clone();
        let (input_path, output_path, output) = self.input_output();
        let assign = self.assign();
        let seconds = self
            .p
            .int_or_expr(&mut self.obj, "Seconds", self.ql, 0, Some(99_999_999));
        let timestamp = self.p.string_or_expr(&mut self.obj, "Timestamp", self.ql);
        if let Some(StringOrExpr::String(s)) = &timestamp {
            if !crate::eval::wait::is_timestamp(s) {
                let at = self.at("Timestamp");
                self.p.error(&at, "String does not match RFC3339 timestamp");
            }
        }
        let seconds_path = if self.jsonpath() {
            self.p.reference_path(&mut self.obj, "SecondsPath", true)
        } else {
            None
        };
        let timestamp_path = if self.jsonpath() {
            self.p.reference_path(&mut self.obj, "TimestampPath", true)
        } else {
            None
        };
        let count = ["Seconds", "Timestamp", "SecondsPath", "TimestampPath"]
            .iter()
            .filter(|f| self.obj.has(f))
            .count();
        if count != 1 {
            self.p.error(&ptr, "A Wait state must have exactly one of 'Seconds', 'Timestamp', 'SecondsPath' or 'TimestampPath'");
        }
        let (next, end) = self.transition();
        State::Wait(WaitState {
            comment,
            query_language,
            input_path,
            output_path,
            seconds,
            timestamp,
            seconds_path,
            timestamp_path,
            output,
            assign,
            next,
            end,
        })
    }

    fn fail(&mut self, comment: Option<String>, query_language: Option<QueryLanguage>) -> State {
        let ptr = self.obj.ptr.clone();
        let error = self.p.string_or_expr(&mut self.obj, "Error", self.ql);
        let cause = self.p.string_or_expr(&mut self.obj, "Cause", self.ql);
        let (error_path, cause_path) = if self.jsonpath() {
            (
                self.p.path_expr(&mut self.obj, "ErrorPath"),
                self.p.path_expr(&mut self.obj, "CausePath"),
            )
        } else {
            (None, None)
        };
        for (key, value) in [("ErrorPath", &error_path), ("CausePath", &cause_path)] {
            if let Some(PathExpr::Intrinsic(call)) = value {
                let name = call.as_str().split('(').next().unwrap_or_default();
                if !STRING_INTRINSICS.contains(&name) {
                    let at = self.at(key);
                    self.p.error_code(Code::InvalidIntrinsicFunction, &at, format!("The intrinsic function {name} does not return a string, so it cannot be used in '{key}'; use one of: {}", STRING_INTRINSICS.join(", ")));
                }
            }
        }
        for (a, b) in [("Error", "ErrorPath"), ("Cause", "CausePath")] {
            if self.obj.has(a) && self.obj.has(b) {
                self.p.field_error(
                    &ptr,
                    format!("A Fail state may have '{a}' or '{b}', not both"),
                );
            }
        }
        State::Fail(FailState {
            comment,
            query_language,
            error,
            cause,
            error_path,
            cause_path,
        })
    }

    fn parallel(
        &mut self,
        comment: Option<String>,
        query_language: Option<QueryLanguage>,
    ) -> Option<State> {
        let ptr = self.obj.ptr.clone();
        let (input_path, output_path, output) = self.input_output();
        let parameters = self.jsonpath_template("Parameters");
        let arguments = self.jsonata_template("Arguments");
        let result_selector = self.jsonpath_template("ResultSelector");
        let result_path = self.result_path();
        let assign = self.assign();
        let (retry, catch) = self.retry_catch();
        let (next, end) = self.transition();
        let ql = self.ql;
        if !self.obj.has("Branches") {
            self.p.error(&ptr, "These fields are required: [Branches]");
        }
        let branches = self.list("Branches", |r, m, at| {
            let mut obj = Obj::new(m, at);
            let comment = r.p.string(&mut obj, "Comment");
            let own = r.p.query_language(&mut obj);
            let body = r.p.scope_body(&mut obj, own.unwrap_or(ql));
            r.p.finish(obj, "a branch");
            let (start_at, states) = body?;
            Some(Branch {
                comment,
                query_language: own,
                start_at,
                states,
            })
        });
        Some(State::Parallel(ParallelState {
            comment,
            query_language,
            branches: branches?,
            input_path,
            parameters,
            arguments,
            result_selector,
            result_path,
            output_path,
            output,
            assign,
            retry,
            catch,
            next,
            end,
        }))
    }

    fn processor(&mut self, key: &str) -> Option<ItemProcessor> {
        let v = self.obj.get(key)?;
        let at = self.at(key);
        let Value::Object(m) = v else {
            self.p.error(
                &at,
                format!("The field '{key}' must be an object, not {}", kind(v)),
            );
            return None;
        };
        let mut obj = Obj::new(m, &at);
        let comment = self.p.string(&mut obj, "Comment");
        let own = self.p.query_language(&mut obj);
        let processor_config = match obj.get("ProcessorConfig") {
            None => None,
            Some(Value::Object(pm)) => {
                let pat = obj.at("ProcessorConfig");
                let mut pobj = Obj::new(pm, &pat);
                let mode_at = pobj.at("Mode");
                let mode = match self.p.string(&mut pobj, "Mode").as_deref() {
                    None => None,
                    Some("INLINE") => Some(ProcessorMode::Inline),
                    Some("DISTRIBUTED") => Some(ProcessorMode::Distributed),
                    Some(o) => {
                        self.p.error(
                            &mode_at,
                            format!(
                                "The field 'Mode' must be 'INLINE' or 'DISTRIBUTED', not '{o}'"
                            ),
                        );
                        None
                    }
                };
                let et_at = pobj.at("ExecutionType");
                let execution_type = match self.p.string(&mut pobj, "ExecutionType").as_deref() {
                    None => None,
                    Some("STANDARD") => Some(ExecutionType::Standard),
                    Some("EXPRESS") => Some(ExecutionType::Express),
                    Some(o) => {
                        self.p.error(&et_at, format!("The field 'ExecutionType' must be 'STANDARD' or 'EXPRESS', not '{o}'"));
                        None
                    }
                };
                if mode == Some(ProcessorMode::Distributed) && execution_type.is_none() {
                    self.p.error(&pat, "A distributed Map's 'ProcessorConfig' needs 'ExecutionType' ('STANDARD' or 'EXPRESS')");
                }
                self.p.finish(pobj, "a ProcessorConfig");
                Some(ProcessorConfig {
                    mode,
                    execution_type,
                })
            }
            Some(v) => {
                let pat = obj.at("ProcessorConfig");
                self.p.error(
                    &pat,
                    format!(
                        "The field 'ProcessorConfig' must be an object, not {}",
                        kind(v)
                    ),
                );
                None
            }
        };
        // A distributed processor runs as child executions: a machine of its own, whose
        // states the parent's machine-wide `QueryLanguage` does not bind.
        let distributed = matches!(
            processor_config.as_ref().and_then(|c| c.mode),
            Some(ProcessorMode::Distributed)
        );
        let outer = self.p.machine_ql;
        if distributed {
            self.p.machine_ql = own;
        }
        let body = self.p.scope_body(&mut obj, own.unwrap_or(self.ql));
        self.p.machine_ql = outer;
        self.p.finish(obj, &format!("a Map's {key}"));
        let (start_at, states) = body?;
        Some(ItemProcessor {
            comment,
            processor_config,
            query_language: own,
            start_at,
            states,
        })
    }

    fn map(
        &mut self,
        comment: Option<String>,
        query_language: Option<QueryLanguage>,
    ) -> Option<State> {
        let ptr = self.obj.ptr.clone();
        let ql = self.ql;
        let (input_path, output_path, output) = self.input_output();
        let items_path = if self.jsonpath() {
            self.p.reference_path(&mut self.obj, "ItemsPath", true)
        } else {
            None
        };
        let items = if self.jsonpath() {
            None
        } else {
            let well_formed =
                |v: &Value| v.is_array() || v.as_str().is_some_and(JsonataString::is_expression);
            if let Some(v) = self.obj.map.get("Items").filter(|v| !well_formed(v)) {
                let at = self.at("Items");
                self.p.error(
                    &at,
                    format!(
                        "The field 'Items' must be an array or a JSONata expression, not {}",
                        kind(v)
                    ),
                );
            }
            self.p.template(&mut self.obj, "Items", ql, false)
        };
        let item_selector = self.p.template(&mut self.obj, "ItemSelector", ql, true);
        let parameters = self.jsonpath_template("Parameters");
        if item_selector.is_some() && parameters.is_some() {
            self.p.field_error(
                &ptr,
                "A Map state may have 'ItemSelector' or 'Parameters', not both",
            );
        }
        let item_processor = self.processor("ItemProcessor");
        let iterator = if self.jsonpath() {
            self.processor("Iterator")
        } else {
            None
        };
        match (self.obj.has("ItemProcessor"), self.obj.has("Iterator")) {
            (true, true) => self.p.field_error(
                &ptr,
                "A Map state may have 'ItemProcessor' or 'Iterator', not both",
            ),
            (false, false) => self
                .p
                .error(&ptr, "These fields are required: [ItemProcessor]"),
            _ => {}
        }
        let item_reader = self.item_reader();
        let item_batcher = self.item_batcher();
        let result_writer = self.result_writer();
        let (max_concurrency, max_concurrency_path) = {
            let v = self
                .p
                .int_or_expr(&mut self.obj, "MaxConcurrency", ql, 0, None);
            let p = if self.jsonpath() {
                self.p
                    .reference_path(&mut self.obj, "MaxConcurrencyPath", true)
            } else {
                None
            };
            if v.is_some() && p.is_some() {
                self.p.field_error(
                    &ptr,
                    "A Map state may have 'MaxConcurrency' or 'MaxConcurrencyPath', not both",
                );
            }
            (v, p)
        };
        let tolerated_failure_percentage = match self.obj.get("ToleratedFailurePercentage") {
            None => None,
            Some(Value::Number(n)) => {
                if n.as_f64().is_none_or(|f| !(0.0..=100.0).contains(&f)) {
                    let at = self.at("ToleratedFailurePercentage");
                    self.p.error(&at, format!("The field 'ToleratedFailurePercentage' must be between 0 and 100; it is {n}"));
                }
                Some(NumberOrExpr::Number(n.clone()))
            }
            Some(Value::String(s)) if ql == QueryLanguage::JSONata => {
                let at = self.at("ToleratedFailurePercentage");
                self.p
                    .jsonata_string(s, "ToleratedFailurePercentage", &at)
                    .map(NumberOrExpr::Jsonata)
            }
            Some(v) => {
                let at = self.at("ToleratedFailurePercentage");
                self.p.error(
                    &at,
                    format!(
                        "The field 'ToleratedFailurePercentage' must be a number, not {}",
                        kind(v)
                    ),
                );
                None
            }
        };
        let tolerated_failure_percentage_path = if self.jsonpath() {
            self.p
                .reference_path(&mut self.obj, "ToleratedFailurePercentagePath", true)
        } else {
            None
        };
        let tolerated_failure_count =
            self.p
                .int_or_expr(&mut self.obj, "ToleratedFailureCount", ql, 0, None);
        let tolerated_failure_count_path = if self.jsonpath() {
            self.p
                .reference_path(&mut self.obj, "ToleratedFailureCountPath", true)
        } else {
            None
        };
        for (a, b) in [
            (
                "ToleratedFailurePercentage",
                "ToleratedFailurePercentagePath",
            ),
            ("ToleratedFailureCount", "ToleratedFailureCountPath"),
        ] {
            if self.obj.has(a) && self.obj.has(b) {
                self.p.field_error(
                    &ptr,
                    format!("A Map state may have '{a}' or '{b}', not both"),
                );
            }
        }
        let label = self.p.string(&mut self.obj, "Label");
        if let Some(l) = &label {
            let at = self.at("Label");
            if l.chars().count() > MAX_MAP_LABEL_LEN {
                self.p.error(
                    &at,
                    format!(
                        "The field 'Label' must be at most {MAX_MAP_LABEL_LEN} characters long"
                    ),
                );
            }
            if let Err(names::NameError::ForbiddenCharacter(c)) = names::check_resource_name(l) {
                self.p.error(
                    &at,
                    format!("The field 'Label' contains {c:?}, which is not allowed"),
                );
            }
        }
        let result_selector = self.jsonpath_template("ResultSelector");
        let result_path = self.result_path();
        let assign = self.assign();
        let (retry, catch) = self.retry_catch();
        let (next, end) = self.transition();
        Some(State::Map(MapState {
            comment,
            query_language,
            item_processor,
            iterator,
            input_path,
            items_path,
            items,
            item_selector,
            parameters,
            item_reader,
            item_batcher,
            result_writer,
            max_concurrency,
            max_concurrency_path,
            tolerated_failure_percentage,
            tolerated_failure_percentage_path,
            tolerated_failure_count,
            tolerated_failure_count_path,
            label,
            result_selector,
            result_path,
            output_path,
            output,
            assign,
            retry,
            catch,
            next,
            end,
        }))
    }

    /// The object under `key`, reporting a non-object.
    fn object_field(&mut self, key: &str) -> Option<(&'a Map<String, Value>, String)> {
        let v = self.obj.get(key)?;
        let at = self.at(key);
        match v {
            Value::Object(m) => Some((m, at)),
            v => {
                self.p.error(
                    &at,
                    format!("The field '{key}' must be an object, not {}", kind(v)),
                );
                None
            }
        }
    }

    fn parameters_arguments(&mut self, obj: &mut Obj<'_>) -> (Option<Template>, Option<Template>) {
        let ql = self.ql;
        let parameters = if ql == QueryLanguage::JSONPath {
            self.p.template(obj, "Parameters", ql, true)
        } else {
            None
        };
        let arguments = if ql == QueryLanguage::JSONata {
            self.p.template(obj, "Arguments", ql, false)
        } else {
            None
        };
        (parameters, arguments)
    }

    fn item_reader(&mut self) -> Option<ItemReader> {
        let (m, at) = self.object_field("ItemReader")?;
        let mut obj = Obj::new(m, &at);
        if !obj.has("Resource") {
            self.p.error(&at, "These fields are required: [Resource]");
        }
        let resource = self.p.string(&mut obj, "Resource").map(Resource::new);
        let (parameters, arguments) = self.parameters_arguments(&mut obj);
        let reader_config = match obj.get("ReaderConfig") {
            None => None,
            Some(Value::Object(rm)) => {
                let rat = obj.at("ReaderConfig");
                let mut r = Obj::new(rm, &rat);
                let ql = self.ql;
                let input_type = self.enum_string(
                    &mut r,
                    "InputType",
                    &["CSV", "JSON", "JSONL", "MANIFEST", "PARQUET"],
                );
                let csv_header_location =
                    self.enum_string(&mut r, "CSVHeaderLocation", &["FIRST_ROW", "GIVEN"]);
                let csv_delimiter = self.enum_string(
                    &mut r,
                    "CSVDelimiter",
                    &["COMMA", "PIPE", "SEMICOLON", "SPACE", "TAB"],
                );
                let manifest_type =
                    self.enum_string(&mut r, "ManifestType", &["S3_INVENTORY", "ATHENA_DATA"]);
                let csv_headers = match r.get("CSVHeaders") {
                    None => None,
                    Some(Value::Array(hs)) if hs.iter().all(Value::is_string) => Some(
                        hs.iter()
                            .filter_map(|h| h.as_str().map(str::to_owned))
                            .collect(),
                    ),
                    Some(_) => {
                        let hat = r.at("CSVHeaders");
                        self.p
                            .error(&hat, "The field 'CSVHeaders' must be an array of strings");
                        None
                    }
                };
                let max_items = self
                    .p
                    .int_or_expr(&mut r, "MaxItems", ql, 1, Some(100_000_000));
                let max_items_path = if ql == QueryLanguage::JSONPath {
                    self.p.reference_path(&mut r, "MaxItemsPath", true)
                } else {
                    None
                };
                if r.has("MaxItems") && r.has("MaxItemsPath") {
                    self.p.field_error(
                        &rat,
                        "A ReaderConfig may have 'MaxItems' or 'MaxItemsPath', not both",
                    );
                }
                self.p.finish(r, "a ReaderConfig");
                Some(ReaderConfig {
                    input_type,
                    csv_header_location,
                    csv_headers,
                    csv_delimiter,
                    manifest_type,
                    max_items,
                    max_items_path,
                })
            }
            Some(v) => {
                let rat = obj.at("ReaderConfig");
                self.p.error(
                    &rat,
                    format!(
                        "The field 'ReaderConfig' must be an object, not {}",
                        kind(v)
                    ),
                );
                None
            }
        };
        self.p.finish(obj, "an ItemReader");
        Some(ItemReader {
            resource: resource?,
            reader_config,
            parameters,
            arguments,
        })
    }

    fn enum_string(&mut self, obj: &mut Obj<'_>, key: &str, allowed: &[&str]) -> Option<String> {
        let at = obj.at(key);
        let s = self.p.string(obj, key)?;
        if !allowed.contains(&s.as_str()) {
            self.p.error(
                &at,
                format!(
                    "The field '{key}' should have one of these values: [{}], not '{s}'",
                    allowed.join(", ")
                ),
            );
        }
        Some(s)
    }

    fn item_batcher(&mut self) -> Option<ItemBatcher> {
        let (m, at) = self.object_field("ItemBatcher")?;
        let mut obj = Obj::new(m, &at);
        let ql = self.ql;
        let max_items_per_batch = self
            .p
            .int_or_expr(&mut obj, "MaxItemsPerBatch", ql, 1, None);
        let max_input_bytes_per_batch =
            self.p
                .int_or_expr(&mut obj, "MaxInputBytesPerBatch", ql, 1, Some(262_144));
        let (max_items_per_batch_path, max_input_bytes_per_batch_path) =
            if ql == QueryLanguage::JSONPath {
                (
                    self.p
                        .reference_path(&mut obj, "MaxItemsPerBatchPath", true),
                    self.p
                        .reference_path(&mut obj, "MaxInputBytesPerBatchPath", true),
                )
            } else {
                (None, None)
            };
        for (a, b) in [
            ("MaxItemsPerBatch", "MaxItemsPerBatchPath"),
            ("MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath"),
        ] {
            if obj.has(a) && obj.has(b) {
                self.p.field_error(
                    &at,
                    format!("An ItemBatcher may have '{a}' or '{b}', not both"),
                );
            }
        }
        let batch_input = self.p.template(&mut obj, "BatchInput", ql, true);
        self.p.finish(obj, "an ItemBatcher");
        Some(ItemBatcher {
            max_items_per_batch,
            max_items_per_batch_path,
            max_input_bytes_per_batch,
            max_input_bytes_per_batch_path,
            batch_input,
        })
    }

    fn result_writer(&mut self) -> Option<ResultWriter> {
        let (m, at) = self.object_field("ResultWriter")?;
        let mut obj = Obj::new(m, &at);
        let resource = self.p.string(&mut obj, "Resource").map(Resource::new);
        let (parameters, arguments) = self.parameters_arguments(&mut obj);
        let writer_config = match obj.get("WriterConfig") {
            None => None,
            Some(Value::Object(wm)) => {
                let wat = obj.at("WriterConfig");
                let mut w = Obj::new(wm, &wat);
                let output_type = self.enum_string(&mut w, "OutputType", &["JSON", "JSONL"]);
                let transformation =
                    self.enum_string(&mut w, "Transformation", &["NONE", "COMPACT", "FLATTEN"]);
                self.p.finish(w, "a WriterConfig");
                Some(WriterConfig {
                    output_type,
                    transformation,
                })
            }
            Some(v) => {
                let wat = obj.at("WriterConfig");
                self.p.error(
                    &wat,
                    format!(
                        "The field 'WriterConfig' must be an object, not {}",
                        kind(v)
                    ),
                );
                None
            }
        };
        let empty_config = writer_config
            .as_ref()
            .is_none_or(|w| w.output_type.is_none() && w.transformation.is_none());
        if resource.is_none() && empty_config {
            self.p.error(&at, "A ResultWriter needs a 'Resource', or a 'WriterConfig' with 'OutputType' or 'Transformation'");
        }
        self.p.finish(obj, "a ResultWriter");
        Some(ResultWriter {
            resource,
            writer_config,
            parameters,
            arguments,
        })
    }
}
