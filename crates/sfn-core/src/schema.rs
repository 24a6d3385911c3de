//! (module schema)
