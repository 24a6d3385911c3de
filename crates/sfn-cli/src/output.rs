//! How the management commands print: text (tables, `key: value` lines) or JSON, dates,
//! and standard output written so that a closed pipe (`sfn machines | head`) is no error.

use std::io::Write;

use chrono::{DateTime, SecondsFormat, Utc};
use clap::ValueEnum;
use serde_json::Value;

/// How a management command prints its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// Tables and `key: value` lines, for people.
    Text,
    /// JSON in the shapes of the AWS API's answers (member names as AWS writes them,
    /// dates in RFC 3339).
    Json,
}

/// Writes `text` to standard output as it is.
pub(crate) fn print(text: &str) {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    // A closed pipe is not an error worth reporting.
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// Writes `value` to standard output, pretty-printed, and a newline.
pub(crate) fn print_json(value: &Value) {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    print(&format!("{text}\n"));
}

/// A date as the text output shows it: `2026-11-30 08:30:01 UTC`.
pub(crate) fn date_text(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// A date as the JSON output writes it: `2026-11-30T08:30:01.123Z`.
pub(crate) fn date_json(t: DateTime<Utc>) -> Value {
    Value::String(t.to_rfc3339_opts(SecondsFormat::Millis, true))
}

/// An optional date as the JSON output writes it (`null` when none).
pub(crate) fn opt_date_json(t: Option<DateTime<Utc>>) -> Value {
    t.map_or(Value::Null, date_json)
}

/// JSON text shown compact; text that is not JSON as it is.
pub(crate) fn compact(text: &str) -> String {
    serde_json::from_str::<Value>(text).map_or_else(|_| text.to_owned(), |v| v.to_string())
}

/// A table: a header row and rows, columns padded to their widest cell, the last column
/// not padded.
pub(crate) fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let columns = header.len();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let header: Vec<String> = header.iter().map(|h| (*h).to_owned()).collect();
    for row in std::iter::once(&header).chain(rows) {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate().take(columns) {
            if i + 1 < columns {
                let pad = widths[i].saturating_sub(cell.chars().count());
                line.push_str(cell);
                line.push_str(&" ".repeat(pad + 2));
            } else {
                line.push_str(cell);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// `key: value` lines, the values aligned; the lines after the first of a multi-line
/// value indented under it. Fields with no value are left out.
pub(crate) fn fields(fields: &[(&str, Option<String>)]) -> String {
    let width = fields
        .iter()
        .filter(|(_, v)| v.is_some())
        .map(|(k, _)| k.chars().count() + 1)
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for (key, value) in fields {
        let Some(value) = value else { continue };
        let label = format!("{key}:");
        let mut lines = value.lines();
        let first = lines.next().unwrap_or("");
        out.push_str(format!("{label:<width$} {first}").trim_end());
        out.push('\n');
        for line in lines {
            out.push_str(format!("{:width$} {line}", "").trim_end());
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align_their_columns() {
        let rows = vec![
            vec!["a".to_owned(), "STANDARD".to_owned(), "arn:1".to_owned()],
            vec![
                "longer".to_owned(),
                "EXPRESS".to_owned(),
                "arn:2".to_owned(),
            ],
        ];
        assert_eq!(
            table(&["NAME", "TYPE", "ARN"], &rows),
            "NAME    TYPE      ARN\na       STANDARD  arn:1\nlonger  EXPRESS   arn:2\n"
        );
    }

    #[test]
    fn fields_align_and_skip_missing_values() {
        let text = fields(&[
            ("name", Some("x".into())),
            ("missing", None),
            ("cause", Some("one\ntwo".into())),
        ]);
        assert_eq!(text, "name:  x\ncause: one\n       two\n");
    }
}
