//! The context object a TestState call gives (`context`), checked as AWS checks it.

use serde_json::{Map, Value};
use sfn_core::model::{IntegrationPattern, ResourceKind, State};

use super::request::invalid;
use crate::local::Error;

/// What a field of the context object holds.
#[derive(Clone, Copy)]
enum Kind {
    /// A string.
    Text,
    /// An integer.
    Integer,
    /// Any JSON value.
    Any,
}

/// The members of the context object a request may give, and their fields. `Map` is
/// not among them: AWS builds it from the Map state the tested state runs in.
const MEMBERS: &[(&str, &[(&str, Kind)])] = &[
    (
        "Execution",
        &[
            ("Id", Kind::Text),
            ("Input", Kind::Any),
            ("Name", Kind::Text),
            ("RoleArn", Kind::Text),
            ("StartTime", Kind::Text),
            // Not seen refused by AWS; an execution's context object has them.
            ("RedriveCount", Kind::Integer),
            ("RedriveTime", Kind::Text),
        ],
    ),
    (
        "State",
        &[
            ("EnteredTime", Kind::Text),
            ("Name", Kind::Text),
            ("RetryCount", Kind::Integer),
        ],
    ),
    ("StateMachine", &[("Id", Kind::Text), ("Name", Kind::Text)]),
    ("Task", &[("Token", Kind::Text)]),
];

/// Checks the context object given for the state `state` as AWS does: only the members
/// and fields of an execution's context object, each of its type (a field may be null);
/// no `Map`; and `Task` (the task token) only for a Task that waits for a job or a
/// callback (`.sync`, `.waitForTaskToken`).
///
/// # Errors
///
/// [`Error::Validation`] with AWS's message, `Invalid Context object provided: …`.
pub(super) fn check_context(context: &Map<String, Value>, state: &State) -> Result<(), Error> {
    let fail = |why: String| invalid(format!("Invalid Context object provided: {why}"));
    for (member, value) in context {
        if member == "Map" {
            return Err(fail(
                "'Map' field is not supported when mocking a Context object".into(),
            ));
        }
        let Some((_, fields)) = MEMBERS.iter().find(|(m, _)| m == member) else {
            return Err(fail(format!("Field '{member}' is not allowed")));
        };
        let fields_given = match value {
            Value::Null => continue,
            Value::Object(o) => o,
            _ => return Err(fail(format!("{member} must be an object"))),
        };
        for (field, v) in fields_given {
            let Some((_, kind)) = fields.iter().find(|(f, _)| f == field) else {
                return Err(fail(format!("Field '{field}' is not allowed")));
            };
            let ok = match kind {
                Kind::Any => true,
                Kind::Text => v.is_null() || v.is_string(),
                Kind::Integer => v.is_null() || v.is_i64() || v.is_u64(),
            };
            if !ok {
                let what = match kind {
                    Kind::Integer => "an integer",
                    _ => "a string",
                };
                return Err(fail(format!("{member}.{field} must be {what}")));
            }
        }
    }
    if context.contains_key("Task") && !waits(state) {
        return Err(fail(
            "Context object contains 'Task' when state is not a Task state with a '.sync' or '.waitForTaskToken' service integration pattern".into(),
        ));
    }
    Ok(())
}

/// Whether `state` is a Task that waits for a job or a callback (`.sync`,
/// `.waitForTaskToken`): the only kind whose context object holds a task token, and one
/// TestState runs only with a mock.
pub(super) fn waits(state: &State) -> bool {
    match state {
        State::Task(t) => matches!(
            t.resource.kind(),
            ResourceKind::Service { pattern, .. } if pattern != IntegrationPattern::RequestResponse
        ),
        _ => false,
    }
}
