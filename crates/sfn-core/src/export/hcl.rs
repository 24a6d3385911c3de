//! A small HCL writer for Terraform configurations: quoted strings with every escape HCL
//! needs (`$${` and `%%{` where `${` and `%{` are literal), JSON values as HCL object
//! and tuple expressions, and attributes aligned on `=` as `terraform fmt` aligns them.

use serde_json::Value;

/// `s` as a quoted HCL string: `\"`, `\\`, `\n`, `\r`, `\t`, `\uXXXX` for the other
/// control characters, and the template sequences `${` and `%{` escaped as `$${` and
/// `%%{` so that they stay literal.
pub(super) fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An attribute or object item: what is left of `=`, and the lines of its value (the
/// first follows `=`, the others are indented as they are to go).
pub(super) type Item = (String, Vec<String>);

/// Items one under the other, indented by `indent` spaces, `=` aligned in each run of
/// consecutive one-line items as `terraform fmt` aligns them: an item whose value spans
/// lines (an object, a tuple of objects) is never aligned and ends the run.
pub(super) fn items(items: &[Item], indent: usize) -> Vec<String> {
    let pad = " ".repeat(indent);
    let mut out = Vec::new();
    let mut run: Vec<&Item> = Vec::new();
    let flush = |run: &mut Vec<&Item>, out: &mut Vec<String>| {
        let width = run
            .iter()
            .map(|(k, _)| k.chars().count())
            .max()
            .unwrap_or(0);
        for (k, lines) in run.drain(..) {
            let gap = " ".repeat(width - k.chars().count());
            for (i, l) in lines.iter().enumerate() {
                out.push(if i == 0 {
                    format!("{pad}{k}{gap} = {l}")
                } else {
                    format!("{pad}{l}")
                });
            }
        }
    };
    for item in items {
        if item.1.len() > 1 {
            flush(&mut run, &mut out);
            run.push(item);
            flush(&mut run, &mut out);
        } else {
            run.push(item);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// A JSON value as an HCL expression, in lines: the first to follow `=`, the others
/// indented relative to the line the value starts on. `reference` gives the expression
/// to write instead of a string, when the string stands for one.
pub(super) fn value(v: &Value, reference: &dyn Fn(&str) -> Option<String>) -> Vec<String> {
    match v {
        Value::Null => vec!["null".into()],
        Value::Bool(b) => vec![b.to_string()],
        Value::Number(n) => vec![n.to_string()],
        Value::String(s) => vec![reference(s).unwrap_or_else(|| string(s))],
        Value::Object(m) if m.is_empty() => vec!["{}".into()],
        Value::Array(a) if a.is_empty() => vec!["[]".into()],
        Value::Object(m) => {
            let list: Vec<Item> = m
                .iter()
                .map(|(k, v)| (string(k), value(v, reference)))
                .collect();
            let mut out = vec!["{".to_owned()];
            out.extend(items(&list, 2));
            out.push("}".into());
            out
        }
        Value::Array(a) if a.iter().all(|v| !v.is_object() && !v.is_array()) => {
            let parts: Vec<String> = a.iter().map(|v| value(v, reference).concat()).collect();
            vec![format!("[{}]", parts.join(", "))]
        }
        Value::Array(a) => {
            let mut out = vec!["[".to_owned()];
            for v in a {
                let mut lines = value(v, reference);
                if let Some(last) = lines.last_mut() {
                    last.push(',');
                }
                out.extend(lines.into_iter().map(|l| format!("  {l}")));
            }
            out.push("]".into());
            out
        }
    }
}

/// A block: `TYPE "LABEL" … {`, its attributes, `}`.
pub(super) fn block(header: &str, attributes: &[Item]) -> String {
    let mut out = format!("{header} {{\n");
    for line in items(attributes, 2) {
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str("}\n");
    out
}

/// An attribute whose value is one line.
pub(super) fn attr(name: &str, value: impl Into<String>) -> Item {
    (name.to_owned(), vec![value.into()])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn escapes() {
        assert_eq!(string("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(
            string("${x} %{y} $$ %% $x {"),
            r#""$${x} %%{y} $$ %% $x {""#
        );
        assert_eq!(string("$${x}"), r#""$$${x}""#);
        assert_eq!(
            string("line\nnext\ttab\u{1}é😀"),
            "\"line\\nnext\\ttab\\u0001é😀\""
        );
    }

    #[test]
    fn values_align_as_terraform_fmt_does() {
        let v = json!({"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "R",
            "Branches": [{"X": 1}], "List": ["a", 2], "End": true}}});
        let refs = |s: &str| (s == "R").then(|| "aws_sfn_activity.add.id".to_owned());
        assert_eq!(
            value(&v, &refs).join("\n"),
            r#"{
  "StartAt" = "A"
  "States" = {
    "A" = {
      "Type"     = "Task"
      "Resource" = aws_sfn_activity.add.id
      "Branches" = [
        {
          "X" = 1
        },
      ]
      "List" = ["a", 2]
      "End"  = true
    }
  }
}"#
        );
    }
}
