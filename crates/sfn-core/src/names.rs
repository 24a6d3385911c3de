//! (module names)
