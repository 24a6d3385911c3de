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
    // B is cut off by the missing target: named in its note, and unreachable, as AWS
    // reports it.
    assert!(text.contains("note: this cuts off 'B'"), "{text}");
    assert!(
        text.contains(&format!(
            "{name}: /States/B: error MISSING_TRANSITION_TARGET: State \"B\" is not reachable."
        )),
        "{text}"
    );
}

#[test]
fn the_root_cause_comes_first_and_names_what_it_cuts_off() {
    let dir = TempDir::new("cascade");
    let f = dir.write(
        "m.json",
        r#"{
  "StartAt": "Start",
  "States": {
    "Start": {"Type": "Pass", "Next": "IsBgi"},
    "IsBig": {
      "Type": "Choice",
      "Choices": [{"Variable": "$.n", "NumericGreaterThan": 100, "Next": "Big"}],
      "Default": "Small"
    },
    "Big": {"Type": "Pass", "Next": "Done"},
    "Small": {"Type": "Pass", "Nxt": "Done"},
    "Done": {"Type": "Succeed"}
  }
}"#,
    );
    let out = validate(["--no-warnings", path(&f)]);
    assert_eq!(out.status.code(), Some(1));
    let name = f.display().to_string();
    let expected = format!(
        "{name}: /States/Small/Nxt: error SCHEMA_VALIDATION_FAILED: Field 'Nxt' is not a known field of a Pass state; did you mean 'Next'?
{name}: /States/Start/Next: error MISSING_TRANSITION_TARGET: Missing 'Next' target: IsBgi
    note: did you mean 'IsBig'?
    note: this cuts off 'IsBig', 'Small', 'Big', 'Done', which nothing else leads to
{name}: /States/IsBig: error MISSING_TRANSITION_TARGET: State \"IsBig\" is not reachable.
    note: so are the states it leads to: 'Small', 'Big', 'Done'
{name}: invalid (3 errors, 0 warnings)
"
    );
    assert_eq!(stdout(&out), expected);
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
