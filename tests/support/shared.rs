//! The data sets in `../shared` beside the checkout (the conformance corpus, JSONata's
//! reference suite), and the one rule for the absence of what a test needs (a data set,
//! a server such as moto): the test says it is skipped and passes, except under
//! `CI=true`, where the absence fails.
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
    missing(what, &format!("it is not at {}", dir.display()));
    None
}

/// Says that the tests needing `what` are skipped, since `why`; panics instead under
/// `CI=true`.
pub(crate) fn missing(what: &str, why: &str) {
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{what} is missing ({why}); under CI=true it must be there");
    }
    eprintln!("skipped: {what} is missing ({why})");
}
