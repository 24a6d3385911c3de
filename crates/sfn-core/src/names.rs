//! Names: of states, of errors, and the naming rules AWS applies to machines, executions
//! and activities.

use std::{borrow::Borrow, fmt};

use serde::{Deserialize, Serialize};

/// The longest state name AWS accepts, in characters.
pub const MAX_STATE_NAME_LEN: usize = 80;
/// The longest machine, execution or activity name AWS accepts, in characters.
pub const MAX_RESOURCE_NAME_LEN: usize = 80;
/// The longest Map `Label` AWS accepts, in characters.
pub const MAX_MAP_LABEL_LEN: usize = 40;

/// The name of a state, unique within a state machine (nested scopes included).
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct StateName(String);

impl StateName {
    /// Wraps a name. Names are checked by the validator, not here, so that a definition
    /// with a bad name can still be read and reported on.
    pub fn new(name: impl Into<String>) -> Self {
        StateName(name.into())
    }

    /// The name as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for StateName {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for StateName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for StateName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for StateName {
    fn from(s: &str) -> Self {
        StateName(s.to_owned())
    }
}

impl From<String> for StateName {
    fn from(s: String) -> Self {
        StateName(s)
    }
}

impl schemars::JsonSchema for StateName {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "StateName".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "minLength": 1,
            "maxLength": MAX_STATE_NAME_LEN,
            "description": "A state name, unique across the whole state machine."
        })
    }
}

/// An error name as it appears in `ErrorEquals`, `Fail.Error` or a task failure.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ErrorName(String);

impl ErrorName {
    /// Wraps an error name.
    pub fn new(name: impl Into<String>) -> Self {
        ErrorName(name.into())
    }

    /// The name as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this is `States.ALL`.
    pub fn is_all(&self) -> bool {
        self.0 == crate::error::states::ALL
    }

    /// Whether this name is one Step Functions reserves (`States.` prefix).
    pub fn is_reserved(&self) -> bool {
        self.0.starts_with("States.")
    }

    /// Whether this name is reserved but not one Step Functions defines.
    pub fn is_unknown_reserved(&self) -> bool {
        self.is_reserved() && !PREDEFINED_ERRORS.contains(&self.0.as_str())
    }

    /// Whether a raised error named `raised` matches this name in `ErrorEquals`.
    ///
    /// `States.ALL` matches everything but `States.DataLimitExceeded` and
    /// `States.Runtime`, which are terminal; `States.TaskFailed` matches every error but
    /// those and `States.Timeout`, as AWS documents.
    pub fn matches(&self, raised: &str) -> bool {
        use crate::error::states::*;
        if self.0 == raised {
            return true;
        }
        match self.0.as_str() {
            ALL => raised != DATA_LIMIT_EXCEEDED && raised != RUNTIME,
            TASK_FAILED => raised != DATA_LIMIT_EXCEEDED && raised != RUNTIME && raised != TIMEOUT,
            _ => false,
        }
    }
}

impl fmt::Debug for ErrorName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for ErrorName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for ErrorName {
    fn from(s: &str) -> Self {
        ErrorName(s.to_owned())
    }
}

impl schemars::JsonSchema for ErrorName {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ErrorName".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "minLength": 1 })
    }
}

/// The error names Step Functions defines (`States.` prefix), which `ErrorEquals` may use.
pub const PREDEFINED_ERRORS: &[&str] = &[
    "States.ALL",
    "States.HeartbeatTimeout",
    "States.Timeout",
    "States.TaskFailed",
    "States.Permissions",
    "States.ResultPathMatchFailure",
    "States.ParameterPathFailure",
    "States.BranchFailed",
    "States.NoChoiceMatched",
    "States.IntrinsicFailure",
    "States.ExceedToleratedFailureThreshold",
    "States.ItemReaderFailed",
    "States.ResultWriterFailed",
    "States.Runtime",
    "States.DataLimitExceeded",
    "States.QueryEvaluationError",
];

/// Why a name is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    /// The name is empty.
    #[error("the name is empty")]
    Empty,
    /// The name is longer than allowed.
    #[error("the name is {len} characters long; at most {max} are allowed")]
    TooLong {
        /// Its length in characters.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The name holds a character AWS forbids.
    #[error(
        "the name contains {0:?}, which is not allowed (no whitespace, control characters or any of < > {{ }} [ ] ? * \" # % \\ ^ | ~ ` $ & , ; : /)"
    )]
    ForbiddenCharacter(char),
}

/// Checks a state machine, execution or activity name against AWS's rules: 1 to 80
/// characters, no whitespace, no control characters, none of ``<>{}[]?*"#%\^|~`$&,;:/``.
pub fn check_resource_name(name: &str) -> Result<(), NameError> {
    if name.is_empty() {
        return Err(NameError::Empty);
    }
    let len = name.chars().count();
    if len > MAX_RESOURCE_NAME_LEN {
        return Err(NameError::TooLong {
            len,
            max: MAX_RESOURCE_NAME_LEN,
        });
    }
    if let Some(c) = name.chars().find(|&c| is_forbidden_in_resource_name(c)) {
        return Err(NameError::ForbiddenCharacter(c));
    }
    Ok(())
}

fn is_forbidden_in_resource_name(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || ('\u{7f}'..='\u{9f}').contains(&c)
        || "<>{}[]?*\"#%\\^|~`$&,;:/".contains(c)
}

/// Checks a state name: 1 to 80 characters.
pub fn check_state_name(name: &str) -> Result<(), NameError> {
    if name.is_empty() {
        return Err(NameError::Empty);
    }
    let len = name.chars().count();
    if len > MAX_STATE_NAME_LEN {
        return Err(NameError::TooLong {
            len,
            max: MAX_STATE_NAME_LEN,
        });
    }
    if let Some(c) = name.chars().find(|c| c.is_control()) {
        return Err(NameError::ForbiddenCharacter(c));
    }
    Ok(())
}

/// The option closest to `name` (ignoring case), when it is close enough to be the name
/// that was meant: for "did you mean …?" hints.
pub fn closest<'a>(name: &str, options: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = name.to_lowercase();
    options
        .into_iter()
        .filter(|o| *o != name)
        .map(|o| (edit_distance(&lower, &o.to_lowercase()), o))
        .filter(|(d, o)| *d <= (o.chars().count() / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, o)| o)
}

/// The edit distance between two names, in characters: the fewest insertions, deletions,
/// substitutions and swaps of two adjacent characters that turn `a` into `b` (optimal
/// string alignment), so that `IsBgi` is one edit from `IsBig`.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Three rows: the one before the previous (for swaps), the previous, the current.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut row: Vec<usize> = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        row[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j - 1] + cost).min(prev[j] + 1).min(row[j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            row[j] = d;
        }
        std::mem::swap(&mut before, &mut prev);
        std::mem::swap(&mut prev, &mut row);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    #[test]
    fn closest_names() {
        let names = ["Negative", "Positive", "Sign"];
        assert_eq!(super::closest("Negativ", names), Some("Negative"));
        assert_eq!(super::closest("positive", names), Some("Positive"));
        assert_eq!(super::closest("Elsewhere", names), None);
        assert_eq!(super::closest("Sign", names), None);
        assert_eq!(super::closest("IsBgi", ["IsBig", "Small"]), Some("IsBig"));
        assert_eq!(super::closest("Nxt", ["Next", "End"]), Some("Next"));
    }

    #[test]
    fn edit_distances() {
        use super::edit_distance as d;
        assert_eq!(d("", ""), 0);
        assert_eq!(d("abc", ""), 3);
        assert_eq!(d("", "abc"), 3);
        assert_eq!(d("IsBig", "IsBig"), 0);
        // A swap of two adjacent characters is one edit, not two.
        assert_eq!(d("IsBgi", "IsBig"), 1);
        assert_eq!(d("ab", "ba"), 1);
        assert_eq!(d("Nxet", "Next"), 1);
        assert_eq!(d("kitten", "sitting"), 3);
        assert_eq!(d("Negativ", "Negative"), 1);
        assert_eq!(d("Sucess", "Success"), 1);
        // Optimal string alignment: a swapped pair is not edited again.
        assert_eq!(d("ca", "abc"), 3);
        // Characters, not bytes.
        assert_eq!(d("é", "e"), 1);
    }

    use super::*;

    #[test]
    fn resource_names() {
        assert!(check_resource_name("orders-2024_v1.x").is_ok());
        assert_eq!(check_resource_name(""), Err(NameError::Empty));
        assert_eq!(
            check_resource_name("a b"),
            Err(NameError::ForbiddenCharacter(' '))
        );
        assert_eq!(
            check_resource_name("a:b"),
            Err(NameError::ForbiddenCharacter(':'))
        );
        assert!(matches!(
            check_resource_name(&"x".repeat(81)),
            Err(NameError::TooLong { len: 81, .. })
        ));
        assert!(check_resource_name(&"x".repeat(80)).is_ok());
    }

    #[test]
    fn error_matching() {
        let all = ErrorName::from("States.ALL");
        assert!(all.matches("Custom"));
        assert!(all.matches("States.Timeout"));
        assert!(!all.matches("States.Runtime"));
        assert!(!all.matches("States.DataLimitExceeded"));
        let tf = ErrorName::from("States.TaskFailed");
        assert!(tf.matches("Lambda.ServiceException"));
        assert!(!tf.matches("States.Timeout"));
        assert!(ErrorName::from("X").matches("X"));
        assert!(!ErrorName::from("X").matches("Y"));
    }
}
