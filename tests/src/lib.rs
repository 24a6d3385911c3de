//! Cross-crate integration tests of sfn live in `tests/`; this library is empty.
