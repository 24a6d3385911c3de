//! (module parse)
