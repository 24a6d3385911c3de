//! Payload templates: JSON values with dynamic parts.
//!
//! In JSONPath states (`Parameters`, `ResultSelector`, `ItemSelector`, `Assign`, …) a key
//! ending in `.$` takes its value from a path or an intrinsic function call. In JSONata
//! states (`Arguments`, `Output`, `Assign`, …) any string of the form `{% expression %}`
//! is a JSONata expression. Both are parsed once, into a [`Template`], which serializes
//! back to exactly the JSON it was read from.

use std::fmt;

use serde::{Serialize, Serializer};
use serde_json::Value;

pub(crate) use crate::diagnostic::push_pointer_token as push_pointer;
use crate::{
    diagnostic::DiagnosticCode,
    intrinsic::IntrinsicCall,
    jsonata::{Expression, JsonataError},
    path::JsonPath,
};

/// The query language of a state: how its dynamic values are written.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Default,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[non_exhaustive]
pub enum QueryLanguage {
    /// JSONPath, intrinsic functions and `.$` keys (the default).
    #[default]
    JSONPath,
    /// JSONata expressions in `{% … %}` strings.
    JSONata,
}

impl fmt::Display for QueryLanguage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            QueryLanguage::JSONPath => "JSONPath",
            QueryLanguage::JSONata => "JSONata",
        })
    }
}

/// A string of the form `{% expression %}`, holding a parsed JSONata expression.
#[derive(Clone)]
pub struct JsonataString {
    raw: String,
    expr: Expression,
    /// What the expression reads, worked out on first evaluation and kept.
    reads: std::sync::OnceLock<ExpressionReads>,
}

/// What a JSONata expression may read, so an evaluation builds only that.
#[derive(Debug, Clone)]
pub(crate) struct ExpressionReads {
    /// The parts of `$states` it may read.
    pub(crate) states: crate::eval::reads::Reads,
    /// Whether it may read the context item `$`.
    pub(crate) context_item: bool,
}

impl PartialEq for JsonataString {
    fn eq(&self, other: &Self) -> bool {
        self.raw == other.raw
    }
}

impl JsonataString {
    /// Whether `s` is written as a JSONata expression (`{%` … `%}`).
    pub fn is_expression(s: &str) -> bool {
        s.len() >= 4 && s.starts_with("{%") && s.ends_with("%}")
    }

    /// Parses `{% expression %}`. `None` when `s` is not written as an expression.
    pub fn parse(s: &str) -> Option<Result<Self, JsonataError>> {
        if !Self::is_expression(s) {
            return None;
        }
        let inner = &s[2..s.len() - 2];
        Some(Expression::parse(inner).map(|expr| JsonataString {
            raw: s.to_owned(),
            expr,
            reads: std::sync::OnceLock::new(),
        }))
    }

    /// The string as written, delimiters included.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// The expression.
    pub fn expression(&self) -> &Expression {
        &self.expr
    }

    /// What the expression may read, analysed once.
    pub(crate) fn reads(&self) -> &ExpressionReads {
        self.reads.get_or_init(|| {
            let text = self.expr.as_str();
            ExpressionReads {
                states: crate::eval::reads::Reads::of_jsonata(text, "states"),
                context_item: crate::eval::reads::jsonata_reads_context_item(text),
            }
        })
    }
}

impl fmt::Debug for JsonataString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Jsonata({:?})", self.raw)
    }
}

impl Serialize for JsonataString {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.raw)
    }
}

/// A path or an intrinsic function call: the value of a `.$` key, or of `ErrorPath`.
#[derive(Debug, Clone, PartialEq)]
pub enum PathExpr {
    /// A JSONPath.
    Path(JsonPath),
    /// An intrinsic function call.
    Intrinsic(IntrinsicCall),
}

/// Why the value of a `.$` field (or `ErrorPath`, `CausePath`) could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathExprError {
    /// It is not a valid JSONPath.
    #[error(transparent)]
    Path(#[from] crate::path::PathError),
    /// It looks like an intrinsic function call, but is not a valid one.
    #[error(transparent)]
    Intrinsic(#[from] crate::intrinsic::IntrinsicParseError),
}

impl PathExprError {
    /// The diagnostic code for this problem.
    pub fn code(&self) -> DiagnosticCode {
        match self {
            PathExprError::Path(_) => DiagnosticCode::InvalidJsonPath,
            PathExprError::Intrinsic(_) => DiagnosticCode::InvalidIntrinsicFunction,
        }
    }
}

impl PathExpr {
    /// Parses a path, or a call when the text looks like one.
    pub fn parse(text: &str) -> Result<Self, PathExprError> {
        if IntrinsicCall::looks_like_call(text) {
            Ok(PathExpr::Intrinsic(IntrinsicCall::parse(text)?))
        } else {
            Ok(PathExpr::Path(JsonPath::parse(text)?))
        }
    }

    /// The text as written.
    pub fn as_str(&self) -> &str {
        match self {
            PathExpr::Path(p) => p.as_str(),
            PathExpr::Intrinsic(c) => c.as_str(),
        }
    }
}

impl Serialize for PathExpr {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A JSON value with dynamic parts.
#[derive(Debug, Clone, PartialEq)]
pub enum Template {
    /// A value with nothing dynamic inside.
    Literal(Value),
    /// An object with at least one dynamic part inside, keys as written (with `.$`).
    Object(Vec<(String, Template)>),
    /// An array with at least one dynamic part inside.
    Array(Vec<Template>),
    /// The value of a `key.$` entry: a path or an intrinsic function call.
    Dynamic(PathExpr),
    /// A `{% … %}` string.
    Jsonata(JsonataString),
}

/// A problem found while reading a template.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TemplateProblem {
    /// What kind of problem.
    pub code: crate::diagnostic::DiagnosticCode,
    /// The JSON Pointer of the offending value, relative to the template.
    pub pointer: String,
    /// What is wrong.
    pub message: String,
    /// Why, in more detail than AWS's message gives.
    pub detail: Option<String>,
    /// What the problem is about: [`Subject::Entry`](crate::diagnostic::Subject::Entry)
    /// for the value of a `.$` field, which AWS locates at the object holding it.
    pub subject: crate::diagnostic::Subject,
}

impl Template {
    /// Reads a template written in `language`, collecting every problem.
    pub fn parse(
        value: &Value,
        language: QueryLanguage,
        problems: &mut Vec<TemplateProblem>,
    ) -> Template {
        let mut pointer = String::new();
        parse_node(value, language, &mut pointer, problems)
    }

    /// Whether anything in the template is evaluated.
    pub fn is_literal(&self) -> bool {
        matches!(self, Template::Literal(_))
    }

    /// The template as JSON, exactly as it was written.
    pub fn to_value(&self) -> Value {
        match self {
            Template::Literal(v) => v.clone(),
            Template::Object(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_value()))
                    .collect(),
            ),
            Template::Array(items) => Value::Array(items.iter().map(Template::to_value).collect()),
            Template::Dynamic(p) => Value::String(p.as_str().to_owned()),
            Template::Jsonata(j) => Value::String(j.as_str().to_owned()),
        }
    }

    /// Every JSONata expression in the template, with its pointer.
    pub fn jsonata_expressions(&self) -> Vec<(String, &JsonataString)> {
        let mut out = Vec::new();
        self.walk(&mut String::new(), &mut |p, t| {
            if let Template::Jsonata(j) = t {
                out.push((p.to_owned(), j));
            }
        });
        out
    }

    /// Every path or intrinsic call in the template, with the pointer of its key.
    pub fn dynamic_parts(&self) -> Vec<(String, &PathExpr)> {
        let mut out = Vec::new();
        self.walk(&mut String::new(), &mut |p, t| {
            if let Template::Dynamic(d) = t {
                out.push((p.to_owned(), d));
            }
        });
        out
    }

    fn walk<'a>(&'a self, pointer: &mut String, f: &mut dyn FnMut(&str, &'a Template)) {
        f(pointer, self);
        let len = pointer.len();
        match self {
            Template::Object(entries) => {
                for (k, v) in entries {
                    push_pointer(pointer, k);
                    v.walk(pointer, f);
                    pointer.truncate(len);
                }
            }
            Template::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    pointer.push('/');
                    pointer.push_str(&i.to_string());
                    v.walk(pointer, f);
                    pointer.truncate(len);
                }
            }
            _ => {}
        }
    }
}

fn parse_node(
    value: &Value,
    language: QueryLanguage,
    pointer: &mut String,
    problems: &mut Vec<TemplateProblem>,
) -> Template {
    let len = pointer.len();
    match value {
        Value::Object(map) => {
            let mut entries = Vec::with_capacity(map.len());
            let mut dynamic = false;
            if language == QueryLanguage::JSONPath {
                for k in map.keys() {
                    if let Some(plain) = k.strip_suffix(".$")
                        && map.contains_key(plain)
                    {
                        push_pointer(pointer, k);
                        problems.push(TemplateProblem {
                            code: DiagnosticCode::SchemaValidationFailed,
                            pointer: pointer.clone(),
                            message: format!(
                                "The fields '{k}' and '{plain}' would both produce '{plain}'"
                            ),
                            detail: None,
                            subject: crate::diagnostic::Subject::Value,
                        });
                        pointer.truncate(len);
                    }
                }
            }
            for (k, v) in map {
                push_pointer(pointer, k);
                let node = if language == QueryLanguage::JSONPath && k.ends_with(".$") {
                    match v {
                        Value::String(s) => match PathExpr::parse(s) {
                            Ok(p) => Template::Dynamic(p),
                            // AWS locates the problem at the object that holds the
                            // field (see `Subject::Entry`), and says why no further.
                            Err(message) => {
                                problems.push(TemplateProblem {
                                    code: message.code(),
                                    pointer: pointer.clone(),
                                    message: format!(
                                        "The value for the field '{k}' must be a valid JSONPath or a valid intrinsic function call"
                                    ),
                                    detail: Some(message.to_string()),
                                    subject: crate::diagnostic::Subject::Entry,
                                });
                                Template::Literal(v.clone())
                            }
                        },
                        _ => {
                            problems.push(TemplateProblem {
                                code: DiagnosticCode::SchemaValidationFailed,
                                pointer: pointer.clone(),
                                message: format!("The value for the field '{k}' must be a STRING that contains a JSONPath or an intrinsic function call"),
                                detail: None,
                                subject: crate::diagnostic::Subject::Entry,
                            });
                            Template::Literal(v.clone())
                        }
                    }
                } else {
                    parse_node(v, language, pointer, problems)
                };
                pointer.truncate(len);
                dynamic |= !node.is_literal();
                entries.push((k.clone(), node));
            }
            if dynamic {
                Template::Object(entries)
            } else {
                Template::Literal(value.clone())
            }
        }
        Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            let mut dynamic = false;
            for (i, v) in items.iter().enumerate() {
                pointer.push('/');
                pointer.push_str(&i.to_string());
                let node = parse_node(v, language, pointer, problems);
                pointer.truncate(len);
                dynamic |= !node.is_literal();
                out.push(node);
            }
            if dynamic {
                Template::Array(out)
            } else {
                Template::Literal(value.clone())
            }
        }
        Value::String(s) if language == QueryLanguage::JSONata => match JsonataString::parse(s) {
            Some(Ok(j)) => Template::Jsonata(j),
            Some(Err(e)) => {
                problems.push(TemplateProblem {
                    code: DiagnosticCode::InvalidJsonata,
                    pointer: pointer.clone(),
                    message: format!("Invalid JSONata expression: {}", e.message),
                    detail: None,
                    subject: crate::diagnostic::Subject::Value,
                });
                Template::Literal(value.clone())
            }
            None => Template::Literal(value.clone()),
        },
        _ => Template::Literal(value.clone()),
    }
}

impl Serialize for Template {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match self {
            Template::Literal(v) => v.serialize(s),
            Template::Object(entries) => {
                let mut m = s.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    m.serialize_entry(k, v)?;
                }
                m.end()
            }
            Template::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for v in items {
                    seq.serialize_element(v)?;
                }
                seq.end()
            }
            Template::Dynamic(p) => p.serialize(s),
            Template::Jsonata(j) => j.serialize(s),
        }
    }
}

impl schemars::JsonSchema for Template {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "PayloadTemplate".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "Any JSON value. In JSONPath states, keys ending in `.$` take a path or an intrinsic function call; in JSONata states, strings `{% … %}` are expressions."
        })
    }
}

impl schemars::JsonSchema for JsonataString {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "JsonataExpression".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "pattern": "^\\{%[\\s\\S]*%\\}$" })
    }
}

impl schemars::JsonSchema for PathExpr {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "PathOrIntrinsic".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "description": "A JSONPath or an intrinsic function call." })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn literal_stays_literal() {
        let v = json!({"a": [1, {"b": "c"}], "d": "{% 1 %}"});
        let mut problems = vec![];
        let t = Template::parse(&v, QueryLanguage::JSONPath, &mut problems);
        assert!(t.is_literal());
        assert!(problems.is_empty());
        assert_eq!(t.to_value(), v);
    }

    #[test]
    fn dynamic_parts_are_found() {
        let v = json!({"a": [1, {"b.$": "$.x"}], "c.$": "States.UUID()"});
        let mut problems = vec![];
        let t = Template::parse(&v, QueryLanguage::JSONPath, &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        let parts: Vec<_> = t
            .dynamic_parts()
            .into_iter()
            .map(|(p, d)| (p, d.as_str().to_owned()))
            .collect();
        assert_eq!(
            parts,
            vec![
                ("/a/1/b.$".to_owned(), "$.x".to_owned()),
                ("/c.$".to_owned(), "States.UUID()".to_owned())
            ]
        );
        assert_eq!(serde_json::to_value(&t).ok(), Some(v));
    }

    #[test]
    fn bad_dynamic_values_are_reported() {
        let v = json!({"a.$": 3, "b": {"c.$": "nope"}});
        let mut problems = vec![];
        Template::parse(&v, QueryLanguage::JSONPath, &mut problems);
        let ptrs: Vec<_> = problems.iter().map(|p| p.pointer.as_str()).collect();
        assert_eq!(ptrs, vec!["/a.$", "/b/c.$"]);
        assert_eq!(
            problems[1].message,
            "The value for the field 'c.$' must be a valid JSONPath or a valid intrinsic function call"
        );
        assert!(problems[1].detail.is_some());
    }

    #[test]
    fn jsonata_strings() {
        let v = json!({"a": "{% $x %}", "b.$": "$.y"});
        let mut problems = vec![];
        let t = Template::parse(&v, QueryLanguage::JSONata, &mut problems);
        assert_eq!(t.jsonata_expressions().len(), 1);
        assert!(t.dynamic_parts().is_empty());
        assert_eq!(t.to_value(), v);
    }
}
