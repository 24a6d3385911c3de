//! What an expression sees when it is evaluated: the state's input, the context object
//! (`$$`) and the variables in scope.

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

/// The data an expression is evaluated against.
#[derive(Clone, Copy)]
pub struct Scope<'a> {
    /// `$`: the value paths without a prefix select from.
    pub input: &'a Value,
    /// `$$`: the context object.
    pub context: &'a Value,
    /// `$name`: the variables in scope.
    pub variables: &'a dyn Variables,
}

impl<'a> Scope<'a> {
    /// A scope with the given input, an empty context object and no variables.
    pub fn new(input: &'a Value) -> Self {
        static NULL: Value = Value::Null;
        Scope { input, context: &NULL, variables: &NoVariables }
    }

    /// The same scope with another context object.
    pub fn with_context(self, context: &'a Value) -> Self {
        Scope { context, ..self }
    }

    /// The same scope with other variables.
    pub fn with_variables(self, variables: &'a dyn Variables) -> Self {
        Scope { variables, ..self }
    }
}

impl std::fmt::Debug for Scope<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scope").field("input", self.input).field("context", self.context).finish_non_exhaustive()
    }
}
