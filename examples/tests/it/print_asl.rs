//! `print_asl`, run as its program runs: it prints a machine's ASL, which AWS would accept.
//! And every program of `examples/src/bin` is run by one of these tests.

use std::process::Command;

#[test]
fn prints_asl_that_validates() {
    let out = Command::new(env!("CARGO_BIN_EXE_print_asl"))
        .output()
        .unwrap_or_else(|e| panic!("cannot run print_asl: {e}"));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}\n{text}", out.status);
    let diagnostics = sfn_runtime::core::validate_str(&text);
    assert!(diagnostics.is_valid(), "{diagnostics:?}\n{text}");
    assert!(text.contains("\"StartAt\": \"Add\""), "{text}");
}

/// A new example program needs a test that runs it (`CARGO_BIN_EXE_<name>`): this fails
/// until it has one.
#[test]
fn every_example_program_is_run_by_a_test() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut tests = String::new();
    for entry in std::fs::read_dir(root.join("tests/it")).unwrap_or_else(|e| panic!("{e}")) {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        tests += &std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    }
    let mut programs = Vec::new();
    for entry in std::fs::read_dir(root.join("src/bin")).unwrap_or_else(|e| panic!("{e}")) {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        if let Some(stem) = path.file_stem().and_then(|s| s.to_str()) {
            programs.push(stem.to_owned());
        }
    }
    assert!(programs.len() >= 5, "{programs:?}");
    let unrun: Vec<&String> = programs
        .iter()
        .filter(|p| !tests.contains(&format!("CARGO_BIN_EXE_{p}\"")))
        .collect();
    assert!(unrun.is_empty(), "example programs no test runs: {unrun:?}");
}
