//! The values JSONata computes with: JSON plus `undefined`, sequences and functions.

use std::fmt::Write as _;
use std::rc::Rc;
use std::sync::Arc;

use indexmap::IndexMap;

use super::ast::{LambdaDef, RegexLit, TransformDef};
use super::evaluator::Env;
use super::signature::Signature;

/// Flags jsonata-js keeps on arrays.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Flags {
    pub(crate) sequence: bool,
    pub(crate) keep_singleton: bool,
    pub(crate) cons: bool,
    pub(crate) outer_wrapper: bool,
    pub(crate) tuple_stream: bool,
}

impl Flags {
    pub(crate) const NONE: Flags = Flags {
        sequence: false,
        keep_singleton: false,
        cons: false,
        outer_wrapper: false,
        tuple_stream: false,
    };
    pub(crate) const SEQ: Flags = Flags {
        sequence: true,
        keep_singleton: false,
        cons: false,
        outer_wrapper: false,
        tuple_stream: false,
    };
}

/// An object: insertion-ordered keys.
pub(crate) type Map = IndexMap<String, Value>;

/// A JSONata value.
#[derive(Debug, Clone)]
pub(crate) enum Value {
    Undefined,
    Null,
    Bool(bool),
    Number(f64),
    String(Rc<str>),
    Array(Rc<Vec<Value>>, Flags),
    Object(Rc<Map>),
    Lambda(Rc<Lambda>),
    Native(Rc<Native>),
    Regex(Arc<RegexLit>),
}

/// The body of a user-visible function value.
#[derive(Debug)]
pub(crate) enum LambdaBody {
    /// A `function(...) {...}` definition.
    Expr(Arc<LambdaDef>),
    /// A transform expression's function.
    Transform(Arc<TransformDef>),
    /// A native function wrapped for partial application (parameters named by position).
    Native(Rc<Native>),
    /// A partially applied native function: all parameter names, in order.
    NativePartial(Vec<String>, Rc<Native>),
    /// `f ~> g` for two functions: `function($x){ g(f($x)) }`.
    Chain(Value, Value),
}

/// A closure.
#[derive(Debug)]
pub(crate) struct Lambda {
    pub(crate) params: Vec<String>,
    pub(crate) body: LambdaBody,
    pub(crate) signature: Option<Arc<Signature>>,
    pub(crate) input: Value,
    pub(crate) env: Env,
    pub(crate) thunk: bool,
}

/// The implementation of a built-in function.
pub(crate) type NativeFn = fn(
    &mut super::evaluator::Evaluator<'_>,
    &[Value],
    &Value,
    &Env,
) -> super::errors::Result<Value>;

/// A built-in function.
pub(crate) struct Native {
    pub(crate) name: &'static str,
    pub(crate) arity: usize,
    pub(crate) signature: Option<Arc<Signature>>,
    pub(crate) f: NativeFn,
}

impl std::fmt::Debug for Native {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Native({})", self.name)
    }
}

impl Value {
    pub(crate) fn str(s: &str) -> Value {
        Value::String(Rc::from(s))
    }

    pub(crate) fn string(s: String) -> Value {
        Value::String(Rc::from(s))
    }

    pub(crate) fn seq(items: Vec<Value>) -> Value {
        Value::Array(Rc::new(items), Flags::SEQ)
    }

    pub(crate) fn array(items: Vec<Value>) -> Value {
        Value::Array(Rc::new(items), Flags::NONE)
    }

    pub(crate) fn object(map: Map) -> Value {
        Value::Object(Rc::new(map))
    }

    pub(crate) fn is_undefined(&self) -> bool {
        matches!(self, Value::Undefined)
    }

    pub(crate) fn is_function(&self) -> bool {
        matches!(self, Value::Lambda(_) | Value::Native(_) | Value::Regex(_))
    }

    pub(crate) fn is_array(&self) -> bool {
        matches!(self, Value::Array(..))
    }

    pub(crate) fn is_sequence(&self) -> bool {
        matches!(self, Value::Array(_, f) if f.sequence)
    }

    pub(crate) fn flags(&self) -> Flags {
        match self {
            Value::Array(_, f) => *f,
            _ => Flags::NONE,
        }
    }

    pub(crate) fn with_flags(self, flags: Flags) -> Value {
        match self {
            Value::Array(a, _) => Value::Array(a, flags),
            other => other,
        }
    }

    pub(crate) fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The members if this is an array, or the value as a one-member slice.
    pub(crate) fn members(&self) -> Vec<Value> {
        match self {
            Value::Array(a, _) => a.as_ref().clone(),
            Value::Undefined => vec![],
            other => vec![other.clone()],
        }
    }

    pub(crate) fn array_items(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(a, _) => Some(a),
            _ => None,
        }
    }

    /// JSONata's type name as `$type` reports it.
    pub(crate) fn type_name(&self) -> Option<&'static str> {
        Some(match self {
            Value::Undefined => return None,
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(..) => "array",
            Value::Object(_) => "object",
            Value::Lambda(_) | Value::Native(_) | Value::Regex(_) => "function",
        })
    }

    pub(crate) fn from_json(v: &serde_json::Value) -> Value {
        match v {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
            serde_json::Value::String(s) => Value::str(s),
            serde_json::Value::Array(a) => Value::array(a.iter().map(Value::from_json).collect()),
            serde_json::Value::Object(o) => Value::object(
                o.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json(v)))
                    .collect(),
            ),
        }
    }

    /// Converts to JSON; `None` for undefined. Functions become `""` inside structures and
    /// undefined members are dropped, as `JSON.stringify` does.
    pub(crate) fn to_json(&self) -> Option<serde_json::Value> {
        Some(match self {
            Value::Undefined => return None,
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => number_to_json(*n),
            Value::String(s) => serde_json::Value::String(s.to_string()),
            Value::Array(a, _) => serde_json::Value::Array(
                a.iter()
                    .map(|v| v.to_json().unwrap_or(serde_json::Value::Null))
                    .collect(),
            ),
            Value::Object(o) => serde_json::Value::Object(
                o.iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.to_json()?)))
                    .collect(),
            ),
            Value::Lambda(_) | Value::Native(_) | Value::Regex(_) => {
                serde_json::Value::String(String::new())
            }
        })
    }
}

/// A number as JSON: integral values as integers.
pub(crate) fn number_to_json(n: f64) -> serde_json::Value {
    if n.fract() == 0.0 && n.abs() < 9.007_199_254_740_992e15 {
        serde_json::Value::Number(serde_json::Number::from(n as i64))
    } else {
        serde_json::Number::from_f64(n)
            .map(serde_json::Value::Number)
            .unwrap_or(serde_json::Value::Null)
    }
}

/// Formats a number as JavaScript's `Number.prototype.toString` does.
pub(crate) fn format_number(n: f64) -> String {
    if n.is_nan() {
        return "NaN".into();
    }
    if n.is_infinite() {
        return if n > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    if n == 0.0 {
        return "0".into();
    }
    let sci = format!("{:e}", n);
    let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let negative = mant.starts_with('-');
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let k = digits.len() as i32;
    let e = exp + 1; // position of the decimal point relative to the digits
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    if k <= e && e <= 21 {
        out.push_str(&digits);
        for _ in 0..(e - k) {
            out.push('0');
        }
    } else if 0 < e && e <= 21 {
        out.push_str(&digits[..e as usize]);
        out.push('.');
        out.push_str(&digits[e as usize..]);
    } else if -6 < e && e <= 0 {
        out.push_str("0.");
        for _ in 0..(-e) {
            out.push('0');
        }
        out.push_str(&digits);
    } else {
        out.push_str(&digits[..1]);
        if k > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        let _ = write!(out, "{}{}", if e > 0 { "+" } else { "-" }, (e - 1).abs());
    }
    out
}

/// `Number(n.toPrecision(15))`.
pub(crate) fn to_precision_15(n: f64) -> f64 {
    if !n.is_finite() || n == 0.0 {
        return n;
    }
    format!("{:.14e}", n).parse().unwrap_or(n)
}

fn escape_json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// `JSON.stringify` with jsonata's replacer (numbers to 15 significant digits, functions as `""`).
pub(crate) fn stringify(v: &Value, indent: Option<usize>) -> String {
    let mut out = String::new();
    stringify_into(v, indent, 0, &mut out);
    out
}

fn newline(out: &mut String, indent: Option<usize>, level: usize) {
    if let Some(n) = indent {
        out.push('\n');
        for _ in 0..n * level {
            out.push(' ');
        }
    }
}

fn stringify_into(v: &Value, indent: Option<usize>, level: usize, out: &mut String) {
    match v {
        Value::Undefined | Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            if n.is_finite() {
                let n = if n.fract() == 0.0 {
                    *n
                } else {
                    to_precision_15(*n)
                };
                out.push_str(&format_number(n))
            } else {
                out.push_str("null")
            }
        }
        Value::String(s) => escape_json_string(s, out),
        Value::Lambda(_) | Value::Native(_) | Value::Regex(_) => out.push_str("\"\""),
        Value::Array(a, _) => {
            if a.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (i, item) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, indent, level + 1);
                stringify_into(item, indent, level + 1, out);
            }
            newline(out, indent, level);
            out.push(']');
        }
        Value::Object(o) => {
            let members: Vec<_> = o.iter().filter(|(_, v)| !v.is_undefined()).collect();
            if members.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push('{');
            for (i, (k, item)) in members.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, indent, level + 1);
                escape_json_string(k, out);
                out.push(':');
                if indent.is_some() {
                    out.push(' ');
                }
                stringify_into(item, indent, level + 1, out);
            }
            newline(out, indent, level);
            out.push('}');
        }
    }
}

/// Structural equality (`=`), as jsonata's `isDeepEqual`.
pub(crate) fn deep_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Undefined, Value::Undefined) | (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Number(x), Value::Number(y)) => x == y,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Array(x, _), Value::Array(y, _)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| deep_equal(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| deep_equal(v, w)))
        }
        (Value::Lambda(x), Value::Lambda(y)) => Rc::ptr_eq(x, y),
        (Value::Native(x), Value::Native(y)) => Rc::ptr_eq(x, y),
        _ => false,
    }
}

/// Strict equality (`===`): primitives by value, structures by identity.
pub(crate) fn strict_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Array(x, _), Value::Array(y, _)) => Rc::ptr_eq(x, y),
        (Value::Object(x), Value::Object(y)) => Rc::ptr_eq(x, y),
        _ => deep_equal(a, b),
    }
}

/// A short rendering of a value for error messages.
pub(crate) fn describe(v: &Value) -> String {
    match v {
        Value::Undefined => "undefined".into(),
        Value::String(s) => format!("\"{s}\""),
        Value::Number(n) => format_number(*n),
        other => stringify(other, None),
    }
}
