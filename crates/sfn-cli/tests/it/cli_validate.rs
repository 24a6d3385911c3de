//! `sfn validate`, run as a user runs it.

use crate::support::{TempDir, json_of, path, stdout, validate};

#[test]
fn valid_definition_exits_zero() {
    let dir = TempDir::new("valid");
    let f = dir.write(
        "ok.asl.json",
        r#"{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}"#,
    );
    let out = validate([path(&f)]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("valid (0 errors"));
}

#[test]
fn invalid_definition_lists_every_problem_and_exits_one() {
    let dir = TempDir::new("invalid");
    let f = dir.write(
        "bad.json",
        r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Nowhere"},"B":{"Type":"Wait","End":true}}}"#,
    );
    let out = validate([path(&f)]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let name = f.display().to_string();
    assert!(
        text.contains(&format!(
            "{name}: /States/A/Next: error MISSING_TRANSITION_TARGET"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!("{name}: /States/B: error")),
        "{text}"
    );
    assert!(text.contains("UNREACHABLE_STATE"), "{text}");
}

#[test]
fn json_format() {
    let dir = TempDir::new("json");
    let f = dir.write("bad.json", r#"{"States":{"A":{"Type":"Pass","End":true}}}"#);
    let out = validate(["--format", "json", path(&f)]);
    assert_eq!(out.status.code(), Some(1));
    let v = json_of(&out);
    assert_eq!(v[0]["valid"], false);
    assert_eq!(v[0]["diagnostics"][0]["code"], "SCHEMA_VALIDATION_FAILED");
    assert_eq!(
        v[0]["diagnostics"][0]["message"],
        "These fields are required: [StartAt]"
    );
}

#[test]
fn unreadable_file_exits_two() {
    let out = validate(["/nonexistent/definition.json"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn not_json_is_reported() {
    let dir = TempDir::new("notjson");
    let f = dir.write("x.json", "{ nope");
    let out = validate([path(&f)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("INVALID_JSON_DESCRIPTION"));
}
