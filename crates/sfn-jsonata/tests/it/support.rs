//! Helpers of the crate's integration tests, written once. The rule for an absent data set
//! is shared with the other crates that read `../shared`.

use std::path::PathBuf;

#[path = "../../../../tests/support/shared.rs"]
mod shared;

/// JSONata's reference suite: the folder `$JSONATA_SUITE` names, else
/// `../shared/jsonata-suite`; `None` when it is absent and the test is to be skipped.
pub(crate) fn jsonata_suite() -> Option<PathBuf> {
    let dir = std::env::var_os("JSONATA_SUITE")
        .map_or_else(|| shared::shared_dir("jsonata-suite"), PathBuf::from);
    shared::present("the JSONata suite", dir, "groups")
}
