//! The crate's integration tests, in one binary.

mod jsonata_suite;
