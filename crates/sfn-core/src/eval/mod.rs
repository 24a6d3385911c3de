//! Evaluation: what an expression sees ([`Env`]: the state's input, the context object
//! `$$` and the variables in scope) and everything a state computes from it.
//!
//! Everything here is pure: the engine in `sfn-runtime` schedules states and records
//! history, and calls these functions for the data each state produces.
//!
//! | module | what it evaluates |
//! |---|---|
//! | [`template`] | payload templates: `Parameters`, `ResultSelector`, `ItemSelector`, `Assign` (JSONPath), `Arguments`, `Output`, `Assign` (JSONata) |
//! | [`io`] | the JSONPath chain: `InputPath`, `ResultPath`, `OutputPath`, integer fields read from paths |
//! | [`items`] | a distributed Map's items read from objects (JSON, JSONL, CSV, listings), and its results as written |
//! | [`jsonata`] | JSONata expressions with `$states` bound |
//! | [`choice`] | choice rules |
//! | [`retry`] | retry and catch selection, retry intervals |
//! | [`wait`] | timestamps |
//! | [`limits`] | payload sizes |
//! | [`task_params`] | what AWS checks of a Task's parameters before it starts the task |
//! | [`reads`] | what an expression, or a state's fields, may read of a value (the context object), so that only that part is copied; the variables each state references (`variableReferences`) |
//!
//! ```
//! use serde_json::json;
//! use sfn_core::eval::{Env, template};
//! use sfn_core::template::{QueryLanguage, Template};
//!
//! let mut problems = Vec::new();
//! let t = Template::parse(&json!({"sum.$": "States.MathAdd($.a, 1)"}), QueryLanguage::JSONPath, &mut problems);
//! let input = json!({"a": 41});
//! assert_eq!(template::evaluate(&t, &Env::new(&input))?, json!({"sum": 42}));
//! # Ok::<(), sfn_core::StatesError>(())
//! ```

pub mod choice;
pub mod io;
pub mod items;
pub mod jsonata;
pub mod limits;
pub mod reads;
pub mod retry;
pub mod task_params;
pub mod template;
pub mod wait;

use serde_json::Value;

pub use sfn_jsonata::{NoVariables, Variables};

/// The variables of a nested scope: its own, then those of the scope around it.
///
/// Parallel branches and Map iterations see the variables of the scope around them but
/// cannot change them; what they assign lives in their own layer.
#[derive(Clone, Copy)]
pub struct LayeredVariables<'a> {
    /// The scope's own variables.
    pub local: &'a serde_json::Map<String, Value>,
    /// The variables of the scope around it.
    pub outer: &'a dyn Variables,
}

impl Variables for LayeredVariables<'_> {
    fn get(&self, name: &str) -> Option<&Value> {
        self.local.get(name).or_else(|| self.outer.get(name))
    }
}

impl std::fmt::Debug for LayeredVariables<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LayeredVariables")
            .field("local", self.local)
            .finish_non_exhaustive()
    }
}

/// The data an expression is evaluated against.
#[derive(Clone, Copy)]
pub struct Env<'a> {
    /// `$`: the value paths without a prefix select from.
    pub input: &'a Value,
    /// `$$`: the context object.
    pub context: &'a Value,
    /// `$name`: the variables in scope.
    pub variables: &'a dyn Variables,
}

impl<'a> Env<'a> {
    /// A scope with the given input, an empty context object and no variables.
    pub fn new(input: &'a Value) -> Self {
        static NULL: Value = Value::Null;
        Env {
            input,
            context: &NULL,
            variables: &NoVariables,
        }
    }

    /// The same scope with another context object.
    pub fn with_context(self, context: &'a Value) -> Self {
        Env { context, ..self }
    }

    /// The same scope with other variables.
    pub fn with_variables(self, variables: &'a dyn Variables) -> Self {
        Env { variables, ..self }
    }
}

impl std::fmt::Debug for Env<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Env")
            .field("input", self.input)
            .field("context", self.context)
            .finish_non_exhaustive()
    }
}
