//! The object being read and the readers of single fields: strings, integers, paths,
//! templates and JSONata expressions, each reporting a bad value at its JSON Pointer.

use serde_json::{Map, Value};

use crate::{
    diagnostic::{Diagnostic, DiagnosticCode as Code, value_kind as kind},
    fields::ObjectKind,
    intrinsic::IntrinsicCall,
    model::*,
    path::JsonPath,
    template::{TemplateProblem, push_pointer},
};

/// What AWS says of an array that must hold at least one element (`Branches`, `Choices`,
/// `ErrorEquals`) and holds none.
const EMPTY_ARRAY: &str = "Value cannot be empty";

/// The reader's state: the diagnostics found so far.
#[derive(Default)]
pub(super) struct Parser {
    pub(super) diags: Vec<Diagnostic>,
    /// The machine's own `QueryLanguage`, which nested states may not downgrade.
    pub(super) machine_ql: Option<QueryLanguage>,
}

/// An object being read: tracks which keys were used so the rest can be reported.
pub(super) struct Obj<'a> {
    pub(super) map: &'a Map<String, Value>,
    pub(super) ptr: String,
    used: Vec<&'a str>,
}

impl<'a> Obj<'a> {
    pub(super) fn new(map: &'a Map<String, Value>, ptr: &str) -> Self {
        Obj {
            map,
            ptr: ptr.to_owned(),
            used: Vec::with_capacity(map.len()),
        }
    }

    pub(super) fn get(&mut self, key: &str) -> Option<&'a Value> {
        let (k, v) = self.map.get_key_value(key)?;
        self.used.push(k.as_str());
        Some(v)
    }

    pub(super) fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    pub(super) fn at(&self, key: &str) -> String {
        let mut p = self.ptr.clone();
        push_pointer(&mut p, key);
        p
    }

    /// The keys never read.
    pub(super) fn unused(&self) -> impl Iterator<Item = &'a String> + '_ {
        self.map.keys().filter(|k| !self.used.contains(&k.as_str()))
    }
}

impl Parser {
    /// AWS's error for a field whose value is not one of `allowed`, with a note naming the
    /// value (which AWS's message leaves out).
    pub(super) fn not_one_of(&mut self, ptr: &str, key: &str, value: &str, allowed: &[&str]) {
        self.diags.push(
            Diagnostic::error(
                Code::SchemaValidationFailed,
                ptr,
                format!(
                    "The field '{key}' should have one of these values: [{}]",
                    allowed.join(", ")
                ),
            )
            .with_note(format!("'{value}' is not one of them")),
        );
    }

    pub(super) fn error(&mut self, ptr: &str, message: impl Into<String>) {
        self.diags.push(Diagnostic::error(
            Code::SchemaValidationFailed,
            ptr,
            message,
        ));
    }

    /// An error about a field being there at all (misplaced, unknown, clashing), as
    /// opposed to about its value.
    pub(super) fn field_error(&mut self, ptr: &str, message: impl Into<String>) {
        self.diags
            .push(Diagnostic::error(Code::SchemaValidationFailed, ptr, message).about_field());
    }

    pub(super) fn error_code(&mut self, code: Code, ptr: &str, message: impl Into<String>) {
        self.diags.push(Diagnostic::error(code, ptr, message));
    }

    /// AWS's error for an array that must hold at least one element and holds none,
    /// with a note saying what the element is.
    pub(super) fn empty_array(&mut self, ptr: &str, needed: &str) {
        self.diags.push(
            Diagnostic::error(Code::SchemaValidationFailed, ptr, EMPTY_ARRAY)
                .with_note(format!("at least one {needed} is needed")),
        );
    }

    pub(super) fn warning(&mut self, code: Code, ptr: &str, message: impl Into<String>) {
        self.diags.push(Diagnostic::warning(code, ptr, message));
    }

    /// Reports the keys of `obj` that were never read.
    pub(super) fn finish(&mut self, obj: Obj<'_>, what: &str) {
        let unused: Vec<String> = obj.unused().cloned().collect();
        for key in unused {
            let at = obj.at(&key);
            self.field_error(&at, format!("Field '{key}' is not supported in {what}"));
        }
    }

    // ---- scalar readers -------------------------------------------------------------

    pub(super) fn string(&mut self, obj: &mut Obj<'_>, key: &str) -> Option<String> {
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

    pub(super) fn boolean(&mut self, obj: &mut Obj<'_>, key: &str) -> Option<bool> {
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
    pub(super) fn uint(
        &mut self,
        obj: &mut Obj<'_>,
        key: &str,
        min: u64,
        max: Option<u64>,
    ) -> Option<u64> {
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
    pub(super) fn int_or_expr(
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

    pub(super) fn jsonata_string(&mut self, s: &str, key: &str, at: &str) -> Option<JsonataString> {
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

    pub(super) fn string_or_expr(
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

    pub(super) fn path_at(&mut self, text: &str, key: &str, at: &str) -> Option<JsonPath> {
        match JsonPath::parse(text) {
            Ok(p) => Some(p),
            Err(e) => {
                self.diags.push(
                    Diagnostic::error(
                        Code::InvalidJsonPath,
                        at,
                        format!("The value for the field '{key}' must be a valid JSONPath"),
                    )
                    .with_note(e.message),
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
    pub(super) fn reference_path(
        &mut self,
        obj: &mut Obj<'_>,
        key: &str,
        any_root: bool,
    ) -> Option<JsonPath> {
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

    /// A reference path field (`MaxItemsPath`…) of an object of kind `object`, when that
    /// kind takes it in query language `ql`.
    pub(super) fn path_field(
        &mut self,
        obj: &mut Obj<'_>,
        object: ObjectKind,
        ql: QueryLanguage,
        key: &str,
    ) -> Option<JsonPath> {
        if object.takes(ql, key) {
            self.reference_path(obj, key, true)
        } else {
            None
        }
    }

    /// `InputPath`, `OutputPath`, `ResultPath`: a path or `null`.
    pub(super) fn nullable_path(
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

    pub(super) fn path_expr(&mut self, obj: &mut Obj<'_>, key: &str) -> Option<PathExpr> {
        let s = self.string(obj, key)?;
        let at = obj.at(key);
        match PathExpr::parse(&s) {
            Ok(p) => Some(p),
            Err(message) => {
                self.diags.push(
                    Diagnostic::error(
                        message.code(),
                        at,
                        format!("The value for the field '{key}' must be a valid JSONPath or a valid intrinsic function call"),
                    )
                    .with_note(message.to_string()),
                );
                None
            }
        }
    }

    pub(super) fn template(
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
            let mut d = Diagnostic::error(pr.code, format!("{at}{}", pr.pointer), pr.message);
            d.notes.extend(pr.detail);
            d.subject = pr.subject;
            self.diags.push(d);
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

    pub(super) fn query_language(&mut self, obj: &mut Obj<'_>) -> Option<QueryLanguage> {
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
}
