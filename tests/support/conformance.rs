//! The recorded conformance corpus, `../shared/conformance`: where it is and its cases.
//!
//! Included, beside `shared.rs`, by the integration tests of the crates that check
//! themselves against it.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::shared::{present, shared_dir};

/// The conformance corpus, or `None` when it is absent and the test is to be skipped:
/// `SFN_CONFORMANCE_DIR` when set (another corpus of the same layout, such as a larger
/// set run before a release), else `../shared/conformance`.
pub(crate) fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("SFN_CONFORMANCE_DIR")
        .map_or_else(|| shared_dir("conformance"), PathBuf::from);
    present("the conformance corpus", dir, "execution")
}

/// Every case (`*.json`) in the corpus folder `dir`, named by its file stem, in name order.
pub(crate) fn cases(dir: &Path) -> Vec<(String, Value)> {
    let mut out: Vec<(String, Value)> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| {
            entry
                .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
                .path()
        })
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let text =
                std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            let case: Value = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{} is not JSON: {e}", p.display()));
            let name = p
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            (name, case)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}
