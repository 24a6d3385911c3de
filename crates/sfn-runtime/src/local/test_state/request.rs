//! What a TestState call asks for.

use serde_json::{Map, Value};

use crate::local::{Error, MockResponse};

/// How much TestState reports of the state's data processing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum InspectionLevel {
    /// The status, output, error and next state only.
    #[default]
    Info,
    /// Also [`InspectionData`](super::InspectionData): the data after each step.
    Debug,
    /// As `Debug` (AWS adds the raw HTTP request and response of HTTP Tasks).
    Trace,
}

impl InspectionLevel {
    /// AWS's name: `INFO`, `DEBUG` or `TRACE`.
    pub fn as_str(self) -> &'static str {
        match self {
            InspectionLevel::Info => "INFO",
            InspectionLevel::Debug => "DEBUG",
            InspectionLevel::Trace => "TRACE",
        }
    }

    /// The level AWS names `name`, if any.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "INFO" => Some(InspectionLevel::Info),
            "DEBUG" => Some(InspectionLevel::Debug),
            "TRACE" => Some(InspectionLevel::Trace),
            _ => None,
        }
    }
}

/// How a service integration's mocked result is checked against the API's output
/// shape (`fieldValidationMode`). Fields the API does not have are accepted in every
/// mode, as AWS accepts them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum FieldValidationMode {
    /// The API's required fields must be present, and the fields given of the API's
    /// types, values and bounds (AWS's default).
    #[default]
    Strict,
    /// The fields given must be of the API's types, values and bounds.
    Present,
    /// No check.
    None,
}

impl FieldValidationMode {
    /// The mode AWS names `name` (`STRICT`, `PRESENT`, `NONE`), if any.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "STRICT" => Some(FieldValidationMode::Strict),
            "PRESENT" => Some(FieldValidationMode::Present),
            "NONE" => Some(FieldValidationMode::None),
            _ => None,
        }
    }
}

/// The circumstances the tested state runs in (`stateConfiguration`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct StateConfiguration {
    /// The retries already made by the retrier that takes the mocked error.
    pub retrier_retry_count: Option<u64>,
    /// For a Map or Parallel with a mocked error: the state of its processor or branches
    /// the error comes from.
    pub error_caused_by_state: Option<String>,
    /// For a Map: how many of its iterations failed.
    pub map_iteration_failure_count: Option<u64>,
    /// For a Map with an `ItemReader`: the data it reads, as JSON text.
    pub map_item_reader_data: Option<String>,
}

impl StateConfiguration {
    /// No configuration.
    pub fn new() -> Self {
        StateConfiguration::default()
    }

    /// Sets `retrierRetryCount`.
    pub fn retrier_retry_count(mut self, n: u64) -> Self {
        self.retrier_retry_count = Some(n);
        self
    }

    /// Sets `errorCausedByState`.
    pub fn error_caused_by_state(mut self, state: impl Into<String>) -> Self {
        self.error_caused_by_state = Some(state.into());
        self
    }

    /// Sets `mapIterationFailureCount`.
    pub fn map_iteration_failure_count(mut self, n: u64) -> Self {
        self.map_iteration_failure_count = Some(n);
        self
    }

    /// Sets `mapItemReaderData`.
    pub fn map_item_reader_data(mut self, data: impl Into<String>) -> Self {
        self.map_item_reader_data = Some(data.into());
        self
    }
}

/// A TestState call: the state (or a machine and the name of one of its states), its
/// input, and what to mock. JSON travels as text, as on AWS's wire.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct TestStateRequest {
    /// The state's definition; with [`state_name`](Self::state_name), a whole machine's.
    pub definition: String,
    /// The role the state would assume (`$$.Execution.RoleArn`).
    pub role_arn: Option<String>,
    /// The state's input, as JSON text (`{}` when not given).
    pub input: Option<String>,
    /// How much to report.
    pub inspection_level: InspectionLevel,
    /// Whether secrets in HTTP Tasks' requests and responses are shown (no effect here:
    /// the engine makes no HTTP calls).
    pub reveal_secrets: bool,
    /// The variables the state sees, as a JSON object's text.
    pub variables: Option<String>,
    /// The state to run, within the machine `definition`.
    pub state_name: Option<String>,
    /// The mocked result or error of the state's task, Map or Parallel.
    pub mock: Option<MockResponse>,
    /// How the mocked result of a service integration is checked against the API's
    /// output shape (for the APIs the engine has the shapes of; others are not
    /// checked).
    pub field_validation_mode: FieldValidationMode,
    /// The context object (`$$`), as a JSON object's text; built as an execution's when
    /// not given.
    pub context: Option<String>,
    /// The circumstances the state runs in.
    pub state_configuration: StateConfiguration,
}

impl TestStateRequest {
    /// A request to run the state `definition` on `{}`, at [`InspectionLevel::Info`].
    pub fn new(definition: impl Into<String>) -> Self {
        TestStateRequest {
            definition: definition.into(),
            role_arn: None,
            input: None,
            inspection_level: InspectionLevel::Info,
            reveal_secrets: false,
            variables: None,
            state_name: None,
            mock: None,
            field_validation_mode: FieldValidationMode::Strict,
            context: None,
            state_configuration: StateConfiguration::default(),
        }
    }

    /// Sets the role.
    pub fn role_arn(mut self, arn: impl Into<String>) -> Self {
        self.role_arn = Some(arn.into());
        self
    }

    /// Sets the input (JSON text).
    pub fn input(mut self, input: impl Into<String>) -> Self {
        self.input = Some(input.into());
        self
    }

    /// Sets the inspection level.
    pub fn inspection_level(mut self, level: InspectionLevel) -> Self {
        self.inspection_level = level;
        self
    }

    /// Sets `revealSecrets`.
    pub fn reveal_secrets(mut self, reveal: bool) -> Self {
        self.reveal_secrets = reveal;
        self
    }

    /// Sets the variables (a JSON object's text).
    pub fn variables(mut self, variables: impl Into<String>) -> Self {
        self.variables = Some(variables.into());
        self
    }

    /// Names the state to run within the machine `definition`.
    pub fn state_name(mut self, name: impl Into<String>) -> Self {
        self.state_name = Some(name.into());
        self
    }

    /// Mocks the state's result or error.
    pub fn mock(mut self, mock: MockResponse) -> Self {
        self.mock = Some(mock);
        self
    }

    /// Sets how the mocked result is checked.
    pub fn field_validation_mode(mut self, mode: FieldValidationMode) -> Self {
        self.field_validation_mode = mode;
        self
    }

    /// Sets the context object (a JSON object's text).
    pub fn context(mut self, context: impl Into<String>) -> Self {
        self.context = Some(context.into());
        self
    }

    /// Sets the state configuration.
    pub fn state_configuration(mut self, configuration: StateConfiguration) -> Self {
        self.state_configuration = configuration;
        self
    }
}

impl TestStateRequest {
    /// Reads a request in AWS's `TestState` shape (`definition`, `roleArn`, `input`,
    /// `inspectionLevel`, `revealSecrets`, `variables`, `stateName`, `mock`, `context`,
    /// `stateConfiguration`; JSON values as text).
    ///
    /// # Errors
    ///
    /// [`Error::Validation`] naming the field that is missing or of the wrong type.
    pub fn from_json(request: &Value) -> Result<Self, Error> {
        let fields = object(request, "the request")?;
        let definition =
            text(fields, "definition")?.ok_or_else(|| invalid("definition is required"))?;
        let mut r = TestStateRequest::new(definition);
        r.role_arn = text(fields, "roleArn")?;
        r.input = text(fields, "input")?;
        r.variables = text(fields, "variables")?;
        r.state_name = text(fields, "stateName")?;
        r.context = text(fields, "context")?;
        if let Some(level) = text(fields, "inspectionLevel")? {
            r.inspection_level = InspectionLevel::from_name(&level)
                .ok_or_else(|| invalid("inspectionLevel must be INFO, DEBUG or TRACE"))?;
        }
        match fields.get("revealSecrets") {
            None | Some(Value::Null) => {}
            Some(Value::Bool(b)) => r.reveal_secrets = *b,
            Some(_) => return Err(invalid("revealSecrets must be a boolean")),
        }
        if let Some(mock) = fields.get("mock").filter(|m| !m.is_null()) {
            let mock = object(mock, "mock")?;
            if let Some(mode) = text(mock, "fieldValidationMode")? {
                r.field_validation_mode =
                    FieldValidationMode::from_name(&mode).ok_or_else(|| {
                        invalid("mock.fieldValidationMode must be STRICT, PRESENT or NONE")
                    })?;
            }
            let error = mock.get("errorOutput").filter(|e| !e.is_null());
            r.mock = match (text(mock, "result")?, error) {
                (Some(_), Some(_)) => {
                    return Err(invalid(
                        "A test mock should have only one of the following fields: [result, errorOutput].",
                    ));
                }
                (Some(result), None) => Some(MockResponse::Return(
                    serde_json::from_str(&result)
                        .map_err(|_| invalid("Mocked result must be valid JSON"))?,
                )),
                (None, Some(e)) => {
                    let e = object(e, "mock.errorOutput")?;
                    Some(MockResponse::Throw {
                        error: text(e, "error")?.unwrap_or_default(),
                        cause: text(e, "cause")?,
                    })
                }
                (None, None) => return Err(invalid("mock needs result or errorOutput")),
            };
        }
        if let Some(c) = fields.get("stateConfiguration").filter(|c| !c.is_null()) {
            let c = object(c, "stateConfiguration")?;
            r.state_configuration = StateConfiguration {
                retrier_retry_count: count(c, "retrierRetryCount")?,
                error_caused_by_state: text(c, "errorCausedByState")?,
                map_iteration_failure_count: count(c, "mapIterationFailureCount")?,
                map_item_reader_data: text(c, "mapItemReaderData")?,
            };
        }
        Ok(r)
    }
}

/// [`Error::Validation`] with `message`.
pub(super) fn invalid(message: impl Into<String>) -> Error {
    Error::Validation {
        message: message.into(),
    }
}

fn object<'v>(value: &'v Value, what: &str) -> Result<&'v Map<String, Value>, Error> {
    value
        .as_object()
        .ok_or_else(|| invalid(format!("{what} must be a JSON object")))
}

/// A string field, absent when missing or null.
fn text(fields: &Map<String, Value>, key: &str) -> Result<Option<String>, Error> {
    match fields.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(invalid(format!("{key} must be a string"))),
    }
}

/// A count field (an integer from 0), absent when missing or null.
fn count(fields: &Map<String, Value>, key: &str) -> Result<Option<u64>, Error> {
    match fields.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_u64()
            .map(Some)
            .ok_or_else(|| invalid(format!("{key} must be an integer from 0"))),
    }
}
