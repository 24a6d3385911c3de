//! (module validate)
