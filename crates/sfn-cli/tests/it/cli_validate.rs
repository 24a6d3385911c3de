//! `sfn validate`, run as a user runs it.

use std::{path::PathBuf, process::Command};

fn sfn() -> Command {
    Command::new(env!("CARGO_BIN_EXE_sfn"))
}

fn write(dir: &std::path::Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    p
}

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sfn-cli-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    dir
}

#[test]
fn valid_definition_exits_zero() {
    let dir = tempdir("valid");
    let f = write(
        &dir,
        "ok.asl.json",
        r#"{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}"#,
    );
    let out = sfn().arg("validate").arg(&f).output().expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("valid (0 errors"));
}

#[test]
fn invalid_definition_lists_every_problem_and_exits_one() {
    let dir = tempdir("invalid");
    let f = write(
        &dir,
        "bad.json",
        r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Nowhere"},"B":{"Type":"Wait","End":true}}}"#,
    );
    let out = sfn().arg("validate").arg(&f).output().expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
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
    let dir = tempdir("json");
    let f = write(
        &dir,
        "bad.json",
        r#"{"States":{"A":{"Type":"Pass","End":true}}}"#,
    );
    let out = sfn()
        .args(["validate", "--format", "json"])
        .arg(&f)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json output");
    assert_eq!(v[0]["valid"], false);
    assert_eq!(v[0]["diagnostics"][0]["code"], "SCHEMA_VALIDATION_FAILED");
    assert_eq!(
        v[0]["diagnostics"][0]["message"],
        "These fields are required: [StartAt]"
    );
}

#[test]
fn unreadable_file_exits_two() {
    let out = sfn()
        .args(["validate", "/nonexistent/definition.json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn not_json_is_reported() {
    let dir = tempdir("notjson");
    let f = write(&dir, "x.json", "{ nope");
    let out = sfn().arg("validate").arg(&f).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("INVALID_JSON_DESCRIPTION"));
}
