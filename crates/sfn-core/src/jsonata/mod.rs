//! JSONata, as Step Functions runs it.

use std::fmt;

/// Why a JSONata expression failed to parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct JsonataError {
    /// JSONata's error code (`S0201`, `T2001`, …).
    pub code: String,
    /// What is wrong, for a person.
    pub message: String,
}

/// A parsed JSONata expression (the text between `{%` and `%}`).
#[derive(Clone)]
pub struct Expression {
    text: String,
}

impl Expression {
    /// Parses an expression.
    pub fn parse(text: &str) -> Result<Self, JsonataError> {
        Ok(Expression { text: text.to_owned() })
    }

    /// The expression as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl PartialEq for Expression {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl fmt::Debug for Expression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Expression({:?})", self.text)
    }
}
