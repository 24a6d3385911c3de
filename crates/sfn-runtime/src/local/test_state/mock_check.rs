//! What AWS checks of a TestState request's mock before it runs the state: the states
//! that take one (and the Map and Parallel states that need one), the shape of a Map's
//! or Parallel's mocked result, and a task's mocked result against its service API's
//! output shape ([`FieldValidationMode`]). Each refusal is worded as AWS words it.

use serde_json::{Map, Value};
use sfn_core::model::{IntegrationPattern, ResourceKind, State};

use super::{
    FieldValidationMode, TestStateRequest,
    api_shapes::{self, ApiModel, Shape},
    context::waits,
    request::invalid,
};
use crate::local::{Error, MockResponse, plan::StatePlan};

/// AWS's answer (`InvalidDefinition`) to a Map or Parallel state tested without a mock.
const NEEDS_MOCK: &str = "TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]";

/// Checks `request`'s mock and state configuration against the tested state `st`, in
/// AWS's order.
///
/// # Errors
///
/// [`Error::Validation`] with AWS's message (a `ValidationException`), or
/// [`Error::TestStateUnsupported`] for a Map or Parallel state without a mock.
pub(super) fn check_mock(st: &StatePlan, request: &TestStateRequest) -> Result<(), Error> {
    check_configuration(request)?;
    let Some(mock) = &request.mock else {
        return check_unmocked(st);
    };
    let state_type = st.def.state_type();
    if !matches!(st.def, State::Task(_) | State::Map(_) | State::Parallel(_)) {
        return Err(invalid(format!(
            "State type '{state_type}' is not supported when a mock is specified"
        )));
    }
    if request.reveal_secrets {
        return Err(invalid(
            "TestState does not support RevealSecrets when a mock is specified.",
        ));
    }
    let MockResponse::Return(result) = mock else {
        return Ok(());
    };
    match &st.def {
        // A Map's result is one output per iteration; with a ResultWriter, the writer's
        // description of what it wrote.
        State::Map(m) if m.result_writer.is_some() && !result.is_object() => {
            Err(invalid("Mocked result must be a JSON object."))
        }
        State::Map(m) if m.result_writer.is_none() && !result.is_array() => {
            Err(invalid("Mocked result must be an array."))
        }
        State::Parallel(p) => match result {
            Value::Array(outputs) if outputs.len() == p.branches.len() => Ok(()),
            Value::Array(_) => Err(invalid(
                "Mocked result must contain the same number of items as number of Parallel branches.",
            )),
            _ => Err(invalid("Mocked result must be an array.")),
        },
        State::Task(t) => match t.resource.kind() {
            ResourceKind::Service {
                service,
                action,
                pattern: IntegrationPattern::RequestResponse,
            } => check_api_output(service, action, result, request.field_validation_mode),
            // An activity's or a Lambda function's result is whatever it returns; the
            // outputs of `.sync` and `.waitForTaskToken` tasks are not checked.
            _ => Ok(()),
        },
        _ => Ok(()),
    }
}

/// `mapIterationFailureCount` needs a mock, and no more failures than the mocked
/// iterations.
fn check_configuration(request: &TestStateRequest) -> Result<(), Error> {
    let Some(failures) = request.state_configuration.map_iteration_failure_count else {
        return Ok(());
    };
    match &request.mock {
        None => Err(invalid(
            "TestState does not support MapIterationFailureCount when a mock is not specified.",
        )),
        Some(MockResponse::Return(Value::Array(items)))
            if usize::try_from(failures)
                .ok()
                .is_none_or(|n| n > items.len()) =>
        {
            Err(invalid(
                "Map iteration failure count must be less than or equal to the number of Map iterations",
            ))
        }
        Some(_) => Ok(()),
    }
}

/// AWS runs Map and Parallel states, activities and tasks that wait for a callback or a
/// job only with a mock.
fn check_unmocked(st: &StatePlan) -> Result<(), Error> {
    let needs = match &st.def {
        State::Map(_) | State::Parallel(_) => {
            return Err(Error::TestStateUnsupported {
                message: NEEDS_MOCK.to_owned(),
            });
        }
        State::Task(t) if matches!(t.resource.kind(), ResourceKind::Activity { .. }) => {
            Some("activities")
        }
        def if waits(def) => Some("tasks that wait for a callback or a job"),
        _ => None,
    };
    match needs {
        Some(what) => Err(invalid(format!("TestState runs {what} only with a mock"))),
        None => Ok(()),
    }
}

/// Checks a service integration's mocked result against the API operation's output
/// shape. An integration whose API is not in [`api_shapes`] is not checked.
fn check_api_output(
    service: &str,
    action: &str,
    result: &Value,
    mode: FieldValidationMode,
) -> Result<(), Error> {
    if mode == FieldValidationMode::None {
        return Ok(());
    }
    let Some((model, output)) = api_output(service, action) else {
        return Ok(());
    };
    let check = ShapeCheck {
        model,
        strict: mode == FieldValidationMode::Strict,
    };
    match (model.shape(output), result) {
        (Some(Shape::Structure { members, required }), Value::Object(fields)) => {
            check.structure(members, required, fields)
        }
        (Some(Shape::Structure { .. }), _) => Err(ShapeError::NotObject),
        _ => Ok(()),
    }
    .map_err(|e| invalid(format!("Mock result schema validation error: {e}")))
}

/// The model and output shape of the API an integration calls: an optimized
/// integration's (`states:startExecution`) or an SDK integration's
/// (`aws-sdk:s3:getObject`); the operation is the action, first letter capitalized.
fn api_output(service: &str, action: &str) -> Option<(&'static ApiModel, &'static str)> {
    let service = service.strip_prefix("aws-sdk:").unwrap_or(service);
    let service = match service {
        "states" | "sfn" => "stepfunctions",
        "eventbridge" => "events",
        other => other,
    };
    let mut chars = action.chars();
    let operation: String = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    let model = api_shapes::model(service)?;
    Some((model, model.output(&operation)?))
}

/// Why a mocked result does not fit the API's output shape, as AWS words it (after
/// "Mock result schema validation error: ").
#[derive(Debug, Clone, thiserror::Error)]
enum ShapeError {
    #[error("Mock result must be a JSON object")]
    NotObject,
    #[error("Required field '{0}' is missing")]
    Missing(&'static str),
    #[error("Field '{0}' must be {1}")]
    Type(String, &'static str),
    #[error("Field '{0}' is not an expected value")]
    NotExpected(String),
    #[error("Field '{0}' is smaller than the minimum length")]
    TooShort(String),
    #[error("Field '{0}' exceeds the maximum length")]
    TooLong(String),
    #[error("Field '{0}' is less than the minimum value")]
    TooSmall(String),
    #[error("Field '{0}' exceeds the maximum value")]
    TooLarge(String),
}

/// One check of a mocked result against a model's shapes.
struct ShapeCheck {
    model: &'static ApiModel,
    /// `STRICT`: required members must be present (`PRESENT` checks only the fields
    /// given).
    strict: bool,
}

impl ShapeCheck {
    /// A structure's fields: its required members present (when strict), and each
    /// member given of its shape, in the model's order. Fields the model does not have
    /// are accepted, as AWS accepts them.
    fn structure(
        &self,
        members: &[(&'static str, &'static str)],
        required: &[&'static str],
        fields: &Map<String, Value>,
    ) -> Result<(), ShapeError> {
        if self.strict
            && let Some(missing) = required.iter().copied().find(|r| !fields.contains_key(*r))
        {
            return Err(ShapeError::Missing(missing));
        }
        for (name, shape) in members {
            if let Some(value) = fields.get(*name) {
                self.value(name, shape, value)?;
            }
        }
        Ok(())
    }

    /// A value of the shape named `shape`, in the field `field` (a list's items and a
    /// map's values are named after their field). A shape the model lacks accepts
    /// anything.
    fn value(&self, field: &str, shape: &str, value: &Value) -> Result<(), ShapeError> {
        let Some(shape) = self.model.shape(shape) else {
            return Ok(());
        };
        let wrong = |what| Err(ShapeError::Type(field.to_owned(), what));
        match (shape, value) {
            (Shape::Structure { members, required }, Value::Object(fields)) => {
                self.structure(members, required, fields)
            }
            (Shape::Map { value: of }, Value::Object(entries)) => {
                entries.values().try_for_each(|v| self.value(field, of, v))
            }
            (Shape::Structure { .. } | Shape::Map { .. }, _) => wrong("an object"),
            (Shape::List { member }, Value::Array(items)) => {
                items.iter().try_for_each(|v| self.value(field, member, v))
            }
            (Shape::List { .. }, _) => wrong("an array"),
            (Shape::String { values, min, max }, Value::String(s)) => {
                if !values.is_empty() && !values.contains(&s.as_str()) {
                    return Err(ShapeError::NotExpected(field.to_owned()));
                }
                length(field, s, *min, *max)
            }
            (Shape::Blob { min, max }, Value::String(s)) => length(field, s, *min, *max),
            (Shape::Timestamp, Value::String(_)) => Ok(()),
            (Shape::String { .. } | Shape::Blob { .. } | Shape::Timestamp, _) => wrong("a string"),
            (Shape::Integer { min, max }, Value::Number(n)) => {
                let below = match (min, n.as_i64(), n.as_f64()) {
                    (Some(min), Some(i), _) => i < *min,
                    (Some(min), None, Some(f)) => f < *min as f64,
                    _ => false,
                };
                let above = match (max, n.as_i64(), n.as_f64()) {
                    (Some(max), Some(i), _) => i > *max,
                    (Some(max), None, Some(f)) => f > *max as f64,
                    _ => false,
                };
                range(field, below, above)
            }
            (Shape::Float { min, max }, Value::Number(n)) => {
                let f = n.as_f64().unwrap_or(0.0);
                range(
                    field,
                    min.is_some_and(|m| f < m),
                    max.is_some_and(|m| f > m),
                )
            }
            (Shape::Integer { .. } | Shape::Float { .. }, _) => wrong("a number"),
            (Shape::Boolean, Value::Bool(_)) => Ok(()),
            (Shape::Boolean, _) => wrong("a boolean"),
        }
    }
}

/// A string's length (in characters) within the shape's bounds.
fn length(field: &str, s: &str, min: Option<u64>, max: Option<u64>) -> Result<(), ShapeError> {
    let n = s.chars().count() as u64;
    if min.is_some_and(|m| n < m) {
        return Err(ShapeError::TooShort(field.to_owned()));
    }
    if max.is_some_and(|m| n > m) {
        return Err(ShapeError::TooLong(field.to_owned()));
    }
    Ok(())
}

/// A number within the shape's bounds.
fn range(field: &str, below: bool, above: bool) -> Result<(), ShapeError> {
    if below {
        Err(ShapeError::TooSmall(field.to_owned()))
    } else if above {
        Err(ShapeError::TooLarge(field.to_owned()))
    } else {
        Ok(())
    }
}
