//! Diagnostics: what the validator found, where, and how bad it is.

use std::{borrow::Cow, fmt};

use serde::Serialize;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Severity {
    /// AWS accepts the definition, but it is rarely what was meant.
    Warning,
    /// AWS rejects the definition.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// What kind of problem a diagnostic reports. The names are AWS's
/// (`ValidateStateMachineDefinition`) where AWS has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum DiagnosticCode {
    /// The definition is not JSON.
    InvalidJsonDescription,
    /// A field is missing, unknown, misplaced or holds a value of the wrong kind or range.
    SchemaValidationFailed,
    /// A `Next`, `Default` or `StartAt` names a state that does not exist.
    MissingTransitionTarget,
    /// No terminal state exists (no `End`, `Succeed` or `Fail`).
    MissingEndState,
    /// The same state name appears twice, in any scope.
    DuplicateStateName,
    /// A state name breaks the naming rules.
    InvalidStateName,
    /// A state cannot be reached from `StartAt` (AWS's `MISSING_TRANSITION_TARGET`).
    UnreachableState,
    /// The definition exceeds 1,048,576 characters.
    DefinitionTooLarge,
    /// A JSONPath is not valid (AWS's `SCHEMA_VALIDATION_FAILED`).
    InvalidJsonPath,
    /// An intrinsic function call is not valid (AWS's `SCHEMA_VALIDATION_FAILED`).
    InvalidIntrinsicFunction,
    /// A JSONata expression is not valid (AWS's `SCHEMA_VALIDATION_FAILED`).
    InvalidJsonata,
    /// Warning: a field looks like it holds a path but its name has no `.$`.
    NoDollar,
    /// Warning: a Pass state's `Result` holds a path, which is not evaluated.
    PassResultIsStatic,
    /// Warning: no terminal state can be reached from this state.
    NoTerminalReachable,
    /// Warning: a Task has no `TimeoutSeconds`, so it may wait for a year.
    TaskWithoutTimeout,
}

impl DiagnosticCode {
    /// The code as AWS writes it (`SCHEMA_VALIDATION_FAILED`).
    pub fn as_str(self) -> &'static str {
        use DiagnosticCode::*;
        match self {
            InvalidJsonDescription => "INVALID_JSON_DESCRIPTION",
            SchemaValidationFailed => "SCHEMA_VALIDATION_FAILED",
            MissingTransitionTarget => "MISSING_TRANSITION_TARGET",
            MissingEndState => "MISSING_END_STATE",
            DuplicateStateName => "DUPLICATE_STATE_NAME",
            InvalidStateName => "INVALID_STATE_NAME",
            DefinitionTooLarge => "DEFINITION_TOO_LARGE",
            // AWS reports an unreachable state under the code of a missing target.
            UnreachableState => "MISSING_TRANSITION_TARGET",
            // AWS has no codes of their own for these.
            InvalidJsonPath | InvalidIntrinsicFunction | InvalidJsonata => {
                "SCHEMA_VALIDATION_FAILED"
            }
            NoDollar => "NO_DOLLAR",
            PassResultIsStatic => "PASS_RESULT_IS_STATIC",
            NoTerminalReachable => "NO_TERMINAL_REACHABLE",
            TaskWithoutTimeout => "TASK_WITHOUT_TIMEOUT",
        }
    }
}

impl fmt::Display for DiagnosticCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for DiagnosticCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// What a diagnostic is about: a field's value, the field being there at all, the text
/// as a whole, or a payload template's `.$` field; it decides where AWS locates the
/// diagnostic ([`Diagnostic::aws_location`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Subject {
    /// The value at the location is wrong.
    #[default]
    Value,
    /// The field at the location should not be there (unknown, misplaced, or clashing
    /// with another).
    Field,
    /// The text as a whole, which holds no JSON object to point into (it is empty, say):
    /// AWS gives such a diagnostic no location.
    Text,
    /// The value of a `.$` field of a payload template (`Parameters`, `ResultSelector`,
    /// …): AWS locates it at the object that holds the field.
    Entry,
    /// The workflow as a whole (it has no terminal state, say): AWS gives such a
    /// diagnostic no location, and writes `at null` for it in an `InvalidDefinition`
    /// message.
    Workflow,
}

/// One problem found in a definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// What kind of problem.
    pub code: DiagnosticCode,
    /// What is wrong, for a person.
    pub message: String,
    /// Where: a JSON Pointer into the definition (`/States/Add/Next`); empty for the root.
    /// For a definition that is not JSON, where in its text, as AWS writes it
    /// (`[Source: (String)"…"; line: 1, column: 4]`).
    #[serde(rename = "location")]
    pub pointer: String,
    /// How bad.
    pub severity: Severity,
    /// Whether the problem is the value or the field itself; tools that point at source
    /// text use it to mark the key or the value.
    #[serde(skip)]
    pub subject: Subject,
    /// What follows from the problem, or what was likely meant, for a person: the states
    /// a broken transition cuts off, the state a missing target most likely names.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl Diagnostic {
    /// An error.
    pub fn error(
        code: DiagnosticCode,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            message: message.into(),
            pointer: pointer.into(),
            severity: Severity::Error,
            subject: Subject::Value,
            notes: Vec::new(),
        }
    }

    /// A warning.
    pub fn warning(
        code: DiagnosticCode,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            message: message.into(),
            pointer: pointer.into(),
            severity: Severity::Warning,
            subject: Subject::Value,
            notes: Vec::new(),
        }
    }

    /// The same diagnostic, about the field being there rather than its value.
    pub fn about_field(self) -> Self {
        Diagnostic {
            subject: Subject::Field,
            ..self
        }
    }

    /// The same diagnostic, with a note.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The same diagnostic, about the text as a whole: it has no location.
    pub fn about_text(self) -> Self {
        Diagnostic {
            subject: Subject::Text,
            ..self
        }
    }

    /// The same diagnostic, about the workflow as a whole: AWS gives it no location.
    pub fn about_workflow(self) -> Self {
        Diagnostic {
            subject: Subject::Workflow,
            ..self
        }
    }

    /// The location AWS reports, if any: the pointer (`/` for the root); none for a
    /// diagnostic about the text or the workflow as a whole; the object holding the field
    /// for a field of a payload template. AWS's graph checks (missing targets,
    /// unreachable states) write the index of an element of an ASL array in brackets
    /// (`/States/C/Choices[0]/Next`); no answer of AWS's shows its schema checks doing
    /// so, and they keep the pointer's form.
    pub fn aws_location(&self) -> Option<Cow<'_, str>> {
        match self.subject {
            Subject::Text | Subject::Workflow => None,
            Subject::Entry => match self.pointer.rfind('/') {
                Some(0) | None => Some(Cow::Borrowed("/")),
                Some(i) => Some(Cow::Borrowed(&self.pointer[..i])),
            },
            Subject::Value | Subject::Field => match self.code {
                DiagnosticCode::MissingTransitionTarget | DiagnosticCode::UnreachableState => {
                    Some(aws_pointer(self.location()))
                }
                _ => Some(Cow::Borrowed(self.location())),
            },
        }
    }

    /// The pointer as shown to people: `/` for the root.
    pub fn location(&self) -> &str {
        if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} {}: {}",
            self.location(),
            self.severity,
            self.code,
            self.message
        )?;
        for note in &self.notes {
            write!(f, " (note: {note})")?;
        }
        Ok(())
    }
}

/// Every diagnostic found in one definition.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Whether the definition has no errors (warnings allowed).
    pub fn is_valid(&self) -> bool {
        !self.0.iter().any(Diagnostic::is_error)
    }

    /// The errors.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.is_error())
    }

    /// The warnings.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| !d.is_error())
    }

    /// All diagnostics.
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.0.iter()
    }

    /// How many diagnostics there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Adds one.
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    /// The message of the `InvalidDefinition` error AWS answers `CreateStateMachine` (and
    /// `UpdateStateMachine`) with: every error as `CODE: message at location`, joined by
    /// `, `, quoted after `Invalid State Machine Definition: `.
    pub fn invalid_definition_message(&self) -> String {
        let mut message = String::from("Invalid State Machine Definition: '");
        for (i, d) in self.errors().enumerate() {
            if i > 0 {
                message.push_str(", ");
            }
            message.push_str(d.code.as_str());
            message.push_str(": ");
            message.push_str(&d.message);
            // A JSON syntax fault's message already ends by saying where
            // (`… at [Source: …]`), which is not told again; the workflow as a whole is
            // `null`.
            if let Some(location) = d
                .aws_location()
                .filter(|_| d.code != DiagnosticCode::InvalidJsonDescription)
            {
                message.push_str(" at ");
                message.push_str(&location);
            } else if d.subject == Subject::Workflow {
                message.push_str(" at null");
            }
        }
        message.push('\'');
        message
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

/// The ASL fields that hold arrays whose elements a location may point into.
const ARRAY_FIELDS: [&str; 7] = [
    "Branches",
    "Choices",
    "Catch",
    "Retry",
    "And",
    "Or",
    "ErrorEquals",
];

/// A JSON Pointer as AWS writes a location: an index into one of the ASL arrays in
/// brackets (`/States/C/Choices[0]/Next`, not `/States/C/Choices/0/Next`).
fn aws_pointer(pointer: &str) -> Cow<'_, str> {
    let is_index = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let tokens: Vec<&str> = pointer.split('/').collect();
    let bracketed =
        |i: usize| i > 1 && is_index(tokens[i]) && ARRAY_FIELDS.contains(&tokens[i - 1]);
    if !(0..tokens.len()).any(bracketed) {
        return Cow::Borrowed(pointer);
    }
    let mut out = String::with_capacity(pointer.len() + 2);
    for (i, token) in tokens.iter().enumerate().skip(1) {
        if bracketed(i) {
            out.push('[');
            out.push_str(token);
            out.push(']');
        } else {
            out.push('/');
            out.push_str(token);
        }
    }
    Cow::Owned(out)
}

/// Appends one JSON Pointer token (`/key`) to `pointer`, escaped as RFC 6901 says.
pub fn push_pointer_token(pointer: &mut String, key: &str) {
    pointer.push('/');
    for c in key.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

/// A JSON value's kind as a message says it: `null`, `a boolean`, `a number`,
/// `a string`, `an array`, `an object`.
pub fn value_kind(value: &serde_json::Value) -> &'static str {
    use serde_json::Value;
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
