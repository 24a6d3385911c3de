//! (module builder)
