//! Intrinsic functions (`States.Format`, `States.MathAdd`, …): parsing and evaluation.

use serde_json::Value;
use std::fmt;

use crate::{error::StatesError, eval::Scope};

/// Why an intrinsic function call failed to parse or check.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct IntrinsicParseError {
    /// What is wrong, for a person.
    pub message: String,
}

/// A parsed intrinsic function call, such as `States.Format('{}', $.name)`.
#[derive(Clone)]
pub struct IntrinsicCall {
    text: String,
}

impl IntrinsicCall {
    /// Whether `text` looks like an intrinsic function call rather than a path.
    pub fn looks_like_call(text: &str) -> bool {
        text.starts_with("States.")
    }

    /// Parses and checks a call (function name, arity, argument syntax).
    pub fn parse(text: &str) -> Result<Self, IntrinsicParseError> {
        Ok(IntrinsicCall { text: text.to_owned() })
    }

    /// The call as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Evaluates the call.
    pub fn evaluate(&self, _scope: &Scope<'_>) -> Result<Value, StatesError> {
        Err(StatesError::intrinsic("intrinsic functions are not available"))
    }
}

impl PartialEq for IntrinsicCall {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl fmt::Debug for IntrinsicCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IntrinsicCall({:?})", self.text)
    }
}
