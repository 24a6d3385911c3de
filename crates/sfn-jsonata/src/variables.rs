//! The variables an expression reads (`$name`).

use serde_json::Value;

/// Read access to the variables visible to a state (`$name` in JSONPath and intrinsic
/// functions, `$name` in JSONata).
pub trait Variables {
    /// The value of the variable `name` (without the `$`), if it is in scope.
    fn get(&self, name: &str) -> Option<&Value>;
}

/// No variables at all.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoVariables;

impl Variables for NoVariables {
    fn get(&self, _name: &str) -> Option<&Value> {
        None
    }
}

impl Variables for serde_json::Map<String, Value> {
    fn get(&self, name: &str) -> Option<&Value> {
        serde_json::Map::get(self, name)
    }
}

impl<V: Variables + ?Sized> Variables for &V {
    fn get(&self, name: &str) -> Option<&Value> {
        (**self).get(name)
    }
}
