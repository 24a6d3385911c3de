//! Reading a definition: JSON → [`StateMachine`], with every field-level problem reported
//! as a [`Diagnostic`] located by JSON Pointer.
//!
//! The reader never stops at the first problem: it reports everything it can see in one
//! pass and builds as much of the model as the definition allows. Checks that need the
//! whole machine (transition targets, reachability, duplicate names) are in
//! [`mod@crate::validate`].
//!
//! The reader is split by what it reads: `fields` holds the object being read and the
//! readers of single fields (strings, integers, paths, templates), `scope` the machine and
//! the `StartAt`/`States` of every scope, `state` what every state shares and the simple
//! state types, `retry` `Retry` and `Catch`, `choice` the Choice rules and `map` the Map
//! state with its processor, reader, batcher and writer. Text that is not JSON is
//! described by `json_syntax` (the message and the location in the text, as AWS gives
//! them), whose wording of the fault comes from [`jackson`], which execution input
//! shares.

mod choice;
mod fields;
pub mod jackson;
mod json_syntax;
mod map;
mod retry;
mod scope;
mod state;
#[cfg(test)]
mod tests;

use std::fmt;

use serde_json::Value;

use crate::{
    diagnostic::{Diagnostic, DiagnosticCode as Code, Diagnostics},
    model::StateMachine,
};
use fields::Parser;

/// The largest definition AWS accepts, in characters.
pub const MAX_DEFINITION_CHARS: usize = 1_048_576;

/// A definition that could not be read, with every diagnostic found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ParseError {
    /// Everything found (at least one error).
    pub diagnostics: Diagnostics,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let errors: Vec<_> = self.diagnostics.errors().collect();
        match errors.as_slice() {
            [] => f.write_str("invalid state machine definition"),
            [one] => write!(
                f,
                "invalid state machine definition: {}: {}",
                one.location(),
                one.message
            ),
            [first, rest @ ..] => write!(
                f,
                "invalid state machine definition: {}: {} (and {} more)",
                first.location(),
                first.message,
                rest.len()
            ),
        }
    }
}

/// What reading a definition produced: the model when the definition could be read, and
/// every diagnostic found on the way.
#[derive(Debug, Clone)]
pub struct ParseOutcome {
    /// The model, unless a problem made one impossible to build. A model is present
    /// whenever `diagnostics` holds no error, and may be present when it does.
    pub machine: Option<StateMachine>,
    /// The field-level diagnostics.
    pub diagnostics: Diagnostics,
}

impl ParseOutcome {
    /// The model, or every diagnostic when there is any error.
    pub fn into_result(self) -> Result<StateMachine, ParseError> {
        match self.machine {
            Some(m) if self.diagnostics.is_valid() => Ok(m),
            _ => Err(ParseError {
                diagnostics: self.diagnostics,
            }),
        }
    }
}

/// Reads a definition from text.
pub fn parse_str(text: &str) -> ParseOutcome {
    match read_json(text) {
        Ok(v) => parse_value(&v),
        Err(diagnostic) => ParseOutcome {
            machine: None,
            diagnostics: Diagnostics(vec![diagnostic]),
        },
    }
}

/// The definition's text as JSON, or the diagnostic that says why it is not a
/// definition at all (empty, too large, not JSON).
pub(crate) fn read_json(text: &str) -> Result<Value, Diagnostic> {
    if text.trim().is_empty() {
        return Err(Diagnostic::error(
            Code::SchemaValidationFailed,
            "",
            "Definition must be a valid JSON object",
        )
        .about_text());
    }
    let chars = text.chars().count();
    if chars > MAX_DEFINITION_CHARS {
        return Err(Diagnostic::error(
            Code::DefinitionTooLarge,
            "",
            format!(
                "The definition is {chars} characters long; at most {MAX_DEFINITION_CHARS} are allowed"
            ),
        ));
    }
    serde_json::from_str::<Value>(text).map_err(|e| {
        // Located, as AWS locates it, in the text rather than by a JSON Pointer.
        let (message, location) = json_syntax::describe(text, &e);
        Diagnostic::error(Code::InvalidJsonDescription, location, message)
    })
}

/// Reads a definition from a JSON value.
pub fn parse_value(value: &Value) -> ParseOutcome {
    let mut p = Parser::default();
    let machine = match value {
        Value::Object(map) => p.machine(map),
        // The same answer as for blank text, without a location.
        _ => {
            p.diags.push(
                Diagnostic::error(
                    Code::SchemaValidationFailed,
                    "",
                    "Definition must be a valid JSON object",
                )
                .about_text(),
            );
            None
        }
    };
    ParseOutcome {
        machine,
        diagnostics: Diagnostics(p.diags),
    }
}
