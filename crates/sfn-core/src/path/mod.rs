//! JSONPath and reference paths as Step Functions reads them.

use serde_json::Value;
use std::fmt;

use crate::eval::Scope;

/// Where a path starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathRoot {
    /// `$`: the state's input (or whatever value the field applies to).
    Input,
    /// `$$`: the context object.
    Context,
    /// `$name`: a variable.
    Variable(String),
}

/// Why a path failed to parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct PathError {
    /// What is wrong, for a person.
    pub message: String,
}

/// A parsed JSONPath (`$.a.b[0]`, `$$.Execution.Id`, `$var.x`, `$..a[?(@.b > 1)]`).
#[derive(Clone)]
pub struct JsonPath {
    text: String,
}

impl JsonPath {
    /// Parses a path.
    pub fn parse(text: &str) -> Result<Self, PathError> {
        if !text.starts_with('$') {
            return Err(PathError { message: format!("'{text}' does not start with '$'") });
        }
        Ok(JsonPath { text: text.to_owned() })
    }

    /// The path as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether this is a reference path: only names and indices, selecting one node.
    pub fn is_reference_path(&self) -> bool {
        true
    }

    /// Where the path starts.
    pub fn root(&self) -> PathRoot {
        PathRoot::Input
    }

    /// Selects from the scope. `None` when the path matches nothing.
    pub fn select(&self, _scope: &Scope<'_>) -> Option<Value> {
        None
    }
}

impl PartialEq for JsonPath {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl fmt::Debug for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "JsonPath({:?})", self.text)
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}
