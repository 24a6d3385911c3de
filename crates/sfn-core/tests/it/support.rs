//! Helpers of the crate's integration tests, written once. The conformance corpus and the
//! rule for its absence are shared with the other crates that read it.

#[path = "../../../../tests/support/shared.rs"]
mod shared;

#[path = "../../../../tests/support/conformance.rs"]
mod conformance;

pub(crate) use conformance::{cases, corpus};

/// The variable `scripts/test.sh` sets to the path of the `cfn-lint` it installs.
pub(crate) const CFN_LINT: &str = "SFN_TEST_CFN_LINT";

/// The `cfn-lint` program the tests may run; `None`, once it is said that the test is
/// skipped, when `SFN_TEST_CFN_LINT` is unset (a failure under `CI=true`).
pub(crate) fn cfn_lint() -> Option<std::path::PathBuf> {
    match std::env::var_os(CFN_LINT) {
        Some(p) if !p.is_empty() => Some(p.into()),
        _ => {
            shared::missing(
                "cfn-lint",
                &format!("{CFN_LINT} is unset; scripts/test.sh installs cfn-lint and sets it"),
            );
            None
        }
    }
}

/// The folder of the export fixtures and their golden files.
pub(crate) fn export_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/export")
}

/// Compares `actual` with the golden file `path`; `UPDATE_GOLDEN=1` rewrites it instead.
/// A difference is described by the lines that differ, `-` expected, `+` actual.
pub(crate) fn check_golden(path: &std::path::Path, actual: &str) -> Result<(), String> {
    if std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        std::fs::write(path, actual).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        return Ok(());
    }
    let expected = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "{}: {e} (run with UPDATE_GOLDEN=1 to write it)",
            path.display()
        )
    })?;
    if expected == actual {
        return Ok(());
    }
    let (old, new): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let head = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let tail = old[head..]
        .iter()
        .rev()
        .zip(new[head..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let mut diff = format!(
        "{} differs from line {} (UPDATE_GOLDEN=1 rewrites it):\n",
        path.display(),
        head + 1
    );
    for l in &old[head..old.len() - tail] {
        diff.push_str(&format!("-{l}\n"));
    }
    for l in &new[head..new.len() - tail] {
        diff.push_str(&format!("+{l}\n"));
    }
    Err(diff)
}
