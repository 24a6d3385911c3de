//! The data sets in `../shared` beside the checkout (the conformance corpus, JSONata's
//! reference suite), and the one rule for their absence: a test that needs one says it
//! is skipped and passes, except under `CI=true`, where the absence fails.
//!
//! Included by the integration tests of each crate under `crates/` that reads them.

use std::path::PathBuf;

/// `../shared/<name>` beside the checkout.
pub(crate) fn shared_dir(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared")
        .join(name)
}

/// `dir` when it holds the folder `inside`; otherwise `None` once it is said that the
/// tests needing `what` are skipped, or a panic under `CI=true`.
pub(crate) fn present(what: &str, dir: PathBuf, inside: &str) -> Option<PathBuf> {
    if dir.join(inside).is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!(
            "{what} is missing at {}; under CI=true it must be there",
            dir.display()
        );
    }
    eprintln!("skipped: {what} is not at {}", dir.display());
    None
}
