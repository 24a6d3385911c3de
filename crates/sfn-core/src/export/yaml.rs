//! A small YAML writer for CloudFormation templates: block mappings and sequences, plain
//! scalars where YAML 1.1 and 1.2 both read them as the same string, double quotes
//! otherwise, and the short forms of intrinsic functions (`!Ref X`).
//!
//! Deterministic: entries are written in the order given.

use serde_json::{Number, Value};

/// A YAML node.
#[derive(Debug, Clone)]
pub(super) enum Node {
    /// A scalar, already written (`true`, `12`, `"a: b"`, `!Ref X`).
    Scalar(String),
    /// A mapping, in order.
    Map(Vec<(String, Node)>),
    /// A sequence.
    Seq(Vec<Node>),
}

impl Node {
    /// A string scalar.
    pub(super) fn str(s: &str) -> Node {
        Node::Scalar(scalar(s))
    }

    /// `!Ref NAME`.
    pub(super) fn reference(name: &str) -> Node {
        Node::Scalar(format!("!Ref {}", scalar(name)))
    }

    /// A mapping from pairs.
    pub(super) fn map<'a>(entries: impl IntoIterator<Item = (&'a str, Node)>) -> Node {
        Node::Map(
            entries
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
        )
    }

    /// A JSON value as YAML.
    pub(super) fn json(v: &Value) -> Node {
        match v {
            Value::Null => Node::Scalar("null".into()),
            Value::Bool(b) => Node::Scalar(b.to_string()),
            Value::Number(n) => Node::Scalar(number(n)),
            Value::String(s) => Node::str(s),
            Value::Array(a) => Node::Seq(a.iter().map(Node::json).collect()),
            Value::Object(m) => {
                Node::Map(m.iter().map(|(k, v)| (k.clone(), Node::json(v))).collect())
            }
        }
    }

    /// The node as a YAML document: its lines, each ending with a newline.
    pub(super) fn to_document(&self) -> String {
        let mut out = String::new();
        for line in self.lines() {
            out.push_str(&line);
            out.push('\n');
        }
        out
    }

    /// The node's lines, unindented. A scalar or an empty collection is one line.
    fn lines(&self) -> Vec<String> {
        match self {
            Node::Scalar(s) => vec![s.clone()],
            Node::Map(m) if m.is_empty() => vec!["{}".into()],
            Node::Seq(s) if s.is_empty() => vec!["[]".into()],
            Node::Map(m) => {
                let mut out = Vec::new();
                for (k, v) in m {
                    let key = scalar(k);
                    // An implicit key holds at most 1,024 characters: a longer one is
                    // written in the explicit form, `? key` then `: value`.
                    if key.chars().count() > MAX_IMPLICIT_KEY {
                        out.push(format!("? {key}"));
                        match v {
                            Node::Map(inner) if !inner.is_empty() => {
                                out.push(":".into());
                                out.extend(v.lines().into_iter().map(|l| format!("  {l}")));
                            }
                            Node::Seq(inner) if !inner.is_empty() => {
                                out.push(":".into());
                                out.extend(v.lines().into_iter().map(|l| format!("  {l}")));
                            }
                            _ => out.push(format!(": {}", v.lines().concat())),
                        }
                        continue;
                    }
                    match v {
                        Node::Map(inner) if !inner.is_empty() => {
                            out.push(format!("{key}:"));
                            out.extend(v.lines().into_iter().map(|l| format!("  {l}")));
                        }
                        Node::Seq(inner) if !inner.is_empty() => {
                            out.push(format!("{key}:"));
                            out.extend(v.lines().into_iter().map(|l| format!("  {l}")));
                        }
                        _ => out.push(format!("{key}: {}", v.lines().concat())),
                    }
                }
                out
            }
            Node::Seq(items) => {
                let mut out = Vec::new();
                for item in items {
                    for (i, l) in item.lines().into_iter().enumerate() {
                        out.push(if i == 0 {
                            format!("- {l}")
                        } else {
                            format!("  {l}")
                        });
                    }
                }
                out
            }
        }
    }
}

/// The longest key written in the implicit form (`key: value`); YAML allows 1,024
/// characters there.
const MAX_IMPLICIT_KEY: usize = 1000;

/// A number as YAML 1.1 and 1.2 both read it: integers as they are; floats with a
/// fraction and, when they have an exponent, a signed one (`1.0e+300`).
fn number(n: &Number) -> String {
    let text = n.to_string();
    if n.is_i64() || n.is_u64() {
        return text;
    }
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text.as_str(), None),
    };
    let mut out = mantissa.to_owned();
    if !out.contains('.') {
        out.push_str(".0");
    }
    if let Some(e) = exponent {
        out.push('e');
        if !e.starts_with(['+', '-']) {
            out.push('+');
        }
        out.push_str(e);
    }
    out
}

/// A string scalar: plain when that is safe, double-quoted otherwise.
pub(super) fn scalar(s: &str) -> String {
    if is_plain_safe(s) {
        s.to_owned()
    } else {
        quoted(s)
    }
}

/// Whether `s` written plain reads back as the same string in YAML 1.1 and 1.2 (and in
/// CloudFormation's reader): conservative, ASCII only.
fn is_plain_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if !(first.is_ascii_alphabetic() || first == '_' || first == '$' || first == '/') {
        return false;
    }
    let bytes = s.as_bytes();
    let chars_ok = bytes.iter().enumerate().all(|(i, &b)| match b {
        b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => true,
        b'_' | b'-' | b'.' | b'/' | b'$' | b'(' | b')' | b'+' | b'=' => true,
        // `a::b` is plain; `a: b` and a trailing `:` are not.
        b':' => bytes.get(i + 1).is_some_and(|&n| n != b' '),
        b' ' => i + 1 < bytes.len(),
        _ => false,
    });
    if !chars_ok || s.ends_with(':') || s.contains(": ") || s.contains(" #") {
        return false;
    }
    // Words YAML 1.1 reads as booleans or null.
    const RESERVED: &[&str] = &["y", "n", "yes", "no", "true", "false", "on", "off", "null"];
    !RESERVED.iter().any(|w| s.eq_ignore_ascii_case(w))
}

/// `s` in double quotes, with the escapes YAML defines: `\"`, `\\`, `\n`, `\t`, and `\xXX`,
/// `\uXXXX` for every character YAML does not allow as it is.
pub(super) fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if is_printable(c) => out.push(c),
            c if (c as u32) <= 0xff => out.push_str(&format!("\\x{:02X}", c as u32)),
            c if (c as u32) <= 0xffff => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push_str(&format!("\\U{:08X}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// YAML's printable characters (`c-printable`), less the BOM, NEL and the line and
/// paragraph separators (U+2028, U+2029), which YAML 1.1 readers treat as line breaks or
/// marks.
fn is_printable(c: char) -> bool {
    matches!(c as u32,
        0x20..=0x7e | 0xa0..=0x2027 | 0x202a..=0xd7ff | 0xe000..=0xfefe | 0xff00..=0xfffd
            | 0x1_0000..=0x10_ffff)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn plain_or_quoted() {
        assert_eq!(scalar("Add"), "Add");
        assert_eq!(
            scalar("AWS::StepFunctions::Activity"),
            "AWS::StepFunctions::Activity"
        );
        assert_eq!(scalar("$.sum"), "$.sum");
        assert_eq!(scalar("a: b"), "\"a: b\"");
        assert_eq!(scalar("a:"), "\"a:\"");
        assert_eq!(scalar("yes"), "\"yes\"");
        assert_eq!(scalar("No"), "\"No\"");
        assert_eq!(scalar("12"), "\"12\"");
        assert_eq!(scalar("2010-09-09"), "\"2010-09-09\"");
        assert_eq!(scalar(""), "\"\"");
        assert_eq!(scalar("a #b"), "\"a #b\"");
        assert_eq!(scalar("{% $x %}"), "\"{% $x %}\"");
        assert_eq!(scalar("${ActivityAdd}"), "\"${ActivityAdd}\"");
        assert_eq!(scalar("trailing "), "\"trailing \"");
        assert_eq!(
            scalar("line\n\"q\" \\ é \u{7f} \u{85} \u{feff}"),
            "\"line\\n\\\"q\\\" \\\\ é \\x7F \\x85 \\uFEFF\""
        );
        assert_eq!(scalar("a\u{2028}b \u{2029}"), "\"a\\u2028b \\u2029\"");
    }

    #[test]
    fn a_key_too_long_to_be_implicit_is_explicit() {
        let long = "k".repeat(1100);
        let v = json!({ long.clone(): {"a": 1}, "b": [1], long.clone() + "x": 2 });
        let text = Node::json(&v).to_document();
        assert_eq!(
            text,
            format!("? {long}\n:\n  a: 1\nb:\n  - 1\n? {long}x\n: 2\n")
        );
    }

    #[test]
    fn numbers() {
        let n = |v: Value| Node::json(&v).lines().concat();
        assert_eq!(n(json!(1)), "1");
        assert_eq!(n(json!(-3)), "-3");
        assert_eq!(n(json!(1.5)), "1.5");
        assert_eq!(n(json!(1e300)), "1.0e+300");
        assert_eq!(n(json!(1.5e-7)), "1.5e-7");
    }

    #[test]
    fn blocks() {
        let v = json!({"a": {"b": [1, {"c": "d", "e": []}, [2, 3]], "f": {}}, "g": null});
        assert_eq!(
            Node::json(&v).to_document(),
            "a:\n  b:\n    - 1\n    - c: d\n      e: []\n    - - 2\n      - 3\n  f: {}\ng: null\n"
        );
    }
}
