//! What the client sends and what it answers: activities, state machines, executions,
//! pages. The same types on both back ends.

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde_json::Value;
use sfn_core::model::ExecutionType;

use super::Error;

/// A resource tag.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Tag {
    /// The key.
    pub key: String,
    /// The value.
    pub value: String,
}

impl Tag {
    /// A tag.
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Self {
        Tag {
            key: key.into(),
            value: value.into(),
        }
    }
}

/// How to read one page of a list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PageRequest {
    /// The most items the page may hold (AWS: 1–1,000; none: the service's default).
    pub max_results: Option<u32>,
    /// Where the previous page ended.
    pub next_token: Option<String>,
}

impl PageRequest {
    /// The first page.
    pub fn first() -> Self {
        PageRequest::default()
    }

    /// The page after the one `next_token` ended.
    pub fn after(next_token: Option<String>) -> Self {
        PageRequest {
            max_results: None,
            next_token,
        }
    }

    /// At most `n` items.
    pub fn max_results(mut self, n: u32) -> Self {
        self.max_results = Some(n);
        self
    }
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The items.
    pub items: Vec<T>,
    /// Where the next page starts; none on the last page.
    pub next_token: Option<String>,
}

impl<T> Page<T> {
    /// A page.
    pub fn new(items: Vec<T>, next_token: Option<String>) -> Self {
        Page { items, next_token }
    }
}

/// An activity.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ActivityInfo {
    /// Its ARN.
    pub activity_arn: String,
    /// Its name.
    pub name: String,
    /// When it was created.
    pub creation_date: DateTime<Utc>,
}

/// The level of a state machine's logging.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum LogLevel {
    /// Every event.
    All,
    /// Errors.
    Error,
    /// Failures of the execution.
    Fatal,
    /// No logging.
    #[default]
    Off,
}

impl LogLevel {
    /// The level as AWS writes it (`ALL`).
    pub fn as_str(self) -> &'static str {
        match self {
            LogLevel::All => "ALL",
            LogLevel::Error => "ERROR",
            LogLevel::Fatal => "FATAL",
            LogLevel::Off => "OFF",
        }
    }

    /// The level AWS writes as `s`.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "ALL" => LogLevel::All,
            "ERROR" => LogLevel::Error,
            "FATAL" => LogLevel::Fatal,
            "OFF" => LogLevel::Off,
            _ => return None,
        })
    }
}

/// A state machine's logging configuration.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct LoggingConfig {
    /// What is logged.
    pub level: LogLevel,
    /// Whether inputs and outputs are logged too.
    pub include_execution_data: bool,
    /// The CloudWatch Logs log groups, by ARN.
    pub destinations: Vec<String>,
}

impl LoggingConfig {
    /// Logging at `level` to the log group `log_group_arn`.
    pub fn new(level: LogLevel, log_group_arn: impl Into<String>) -> Self {
        LoggingConfig {
            level,
            include_execution_data: false,
            destinations: vec![log_group_arn.into()],
        }
    }

    /// Inputs and outputs logged too.
    pub fn include_execution_data(mut self, include: bool) -> Self {
        self.include_execution_data = include;
        self
    }

    /// The configuration as the API writes it (`loggingConfiguration`).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "level": self.level.as_str(),
            "includeExecutionData": self.include_execution_data,
            "destinations": self.destinations.iter()
                .map(|d| serde_json::json!({"cloudWatchLogsLogGroup": {"logGroupArn": d}}))
                .collect::<Vec<_>>(),
        })
    }
}

/// A state machine, as `DescribeStateMachine` tells.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct StateMachineInfo {
    /// Its ARN.
    pub state_machine_arn: String,
    /// Its name.
    pub name: String,
    /// `ACTIVE` or `DELETING`.
    pub status: Option<String>,
    /// Its definition, in the Amazon States Language.
    pub definition: String,
    /// The IAM role its executions run as.
    pub role_arn: String,
    /// Standard or Express.
    pub machine_type: ExecutionType,
    /// When it was created.
    pub creation_date: DateTime<Utc>,
    /// Its logging.
    pub logging: LoggingConfig,
    /// Whether X-Ray tracing is on.
    pub tracing: bool,
    /// The revision of its definition and settings, when it has been updated.
    pub revision_id: Option<String>,
    /// The description of the version, for a version's ARN.
    pub description: Option<String>,
}

/// A state machine in a list.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct StateMachineSummary {
    /// Its ARN.
    pub state_machine_arn: String,
    /// Its name.
    pub name: String,
    /// Standard or Express.
    pub machine_type: ExecutionType,
    /// When it was created.
    pub creation_date: DateTime<Utc>,
}

/// How to create a state machine (`CreateStateMachine`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CreateStateMachine {
    /// Its name.
    pub name: String,
    /// Its definition.
    pub definition: String,
    /// The IAM role its executions run as.
    pub role_arn: String,
    /// Standard or Express.
    pub machine_type: ExecutionType,
    /// Its logging; none: off.
    pub logging: Option<LoggingConfig>,
    /// Whether X-Ray tracing is on.
    pub tracing: bool,
    /// Its tags.
    pub tags: Vec<Tag>,
    /// Publish a version of it at once.
    pub publish: bool,
    /// The version's description.
    pub version_description: Option<String>,
}

impl CreateStateMachine {
    /// A Standard machine with no logging, tracing or tags.
    pub fn new(
        name: impl Into<String>,
        definition: impl Into<String>,
        role_arn: impl Into<String>,
    ) -> Self {
        CreateStateMachine {
            name: name.into(),
            definition: definition.into(),
            role_arn: role_arn.into(),
            machine_type: ExecutionType::Standard,
            logging: None,
            tracing: false,
            tags: Vec::new(),
            publish: false,
            version_description: None,
        }
    }
}

/// What `CreateStateMachine` answers.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CreatedStateMachine {
    /// The machine's ARN.
    pub state_machine_arn: String,
    /// When it was created.
    pub creation_date: DateTime<Utc>,
    /// The version published, when one was.
    pub state_machine_version_arn: Option<String>,
}

/// How to update a state machine (`UpdateStateMachine`): what is none stays as it is.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct UpdateStateMachine {
    /// The machine's ARN.
    pub state_machine_arn: String,
    /// The new definition.
    pub definition: Option<String>,
    /// The new role.
    pub role_arn: Option<String>,
    /// The new logging.
    pub logging: Option<LoggingConfig>,
    /// The new tracing setting.
    pub tracing: Option<bool>,
    /// Publish a version of the machine as updated.
    pub publish: bool,
    /// The version's description.
    pub version_description: Option<String>,
}

impl UpdateStateMachine {
    /// An update of the machine `state_machine_arn` that changes nothing yet.
    pub fn new(state_machine_arn: impl Into<String>) -> Self {
        UpdateStateMachine {
            state_machine_arn: state_machine_arn.into(),
            ..UpdateStateMachine::default()
        }
    }
}

/// What `UpdateStateMachine` answers.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct UpdatedStateMachine {
    /// When it was updated.
    pub update_date: DateTime<Utc>,
    /// The new revision.
    pub revision_id: Option<String>,
    /// The version published, when one was.
    pub state_machine_version_arn: Option<String>,
}

/// The status of an execution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ExecutionStatus {
    /// Still running.
    Running,
    /// Ended with an output.
    Succeeded,
    /// Ended with an error.
    Failed,
    /// Ran longer than the machine's `TimeoutSeconds`.
    TimedOut,
    /// Stopped.
    Aborted,
    /// Redriven, and not yet running again.
    PendingRedrive,
    /// A status this client does not know (AWS added one).
    Unknown,
}

impl ExecutionStatus {
    /// The status as AWS writes it (`SUCCEEDED`).
    pub fn as_str(self) -> &'static str {
        match self {
            ExecutionStatus::Running => "RUNNING",
            ExecutionStatus::Succeeded => "SUCCEEDED",
            ExecutionStatus::Failed => "FAILED",
            ExecutionStatus::TimedOut => "TIMED_OUT",
            ExecutionStatus::Aborted => "ABORTED",
            ExecutionStatus::PendingRedrive => "PENDING_REDRIVE",
            ExecutionStatus::Unknown => "UNKNOWN",
        }
    }

    /// The status AWS writes as `s` ([`ExecutionStatus::Unknown`] for any other).
    pub fn parse(s: &str) -> Self {
        match s.to_ascii_uppercase().as_str() {
            "RUNNING" => ExecutionStatus::Running,
            "SUCCEEDED" => ExecutionStatus::Succeeded,
            "FAILED" => ExecutionStatus::Failed,
            "TIMED_OUT" => ExecutionStatus::TimedOut,
            "ABORTED" => ExecutionStatus::Aborted,
            "PENDING_REDRIVE" => ExecutionStatus::PendingRedrive,
            _ => ExecutionStatus::Unknown,
        }
    }

    /// Whether the execution has ended (it may still be redriven).
    pub fn is_terminal(self) -> bool {
        !matches!(
            self,
            ExecutionStatus::Running | ExecutionStatus::PendingRedrive
        )
    }
}

impl std::fmt::Display for ExecutionStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How to start an execution (`StartExecution`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct StartExecution {
    /// The machine, version or alias, by ARN.
    pub state_machine_arn: String,
    /// The execution's name; none: the service makes one up.
    pub name: Option<String>,
    /// The input, as JSON text.
    pub input: String,
}

impl StartExecution {
    /// An execution of `state_machine_arn` with the input `input` (JSON text).
    pub fn new(state_machine_arn: impl Into<String>, input: impl Into<String>) -> Self {
        StartExecution {
            state_machine_arn: state_machine_arn.into(),
            name: None,
            input: input.into(),
        }
    }

    /// The execution's name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }
}

/// What `StartExecution` answers.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct StartedExecution {
    /// The execution's ARN.
    pub execution_arn: String,
    /// When it started.
    pub start_date: DateTime<Utc>,
}

/// An execution, as `DescribeExecution` tells.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ExecutionInfo {
    /// Its ARN.
    pub execution_arn: String,
    /// Its machine's ARN.
    pub state_machine_arn: String,
    /// Its name.
    pub name: String,
    /// Its status.
    pub status: ExecutionStatus,
    /// When it started.
    pub start_date: DateTime<Utc>,
    /// When it ended.
    pub stop_date: Option<DateTime<Utc>>,
    /// Its input, as JSON text.
    pub input: Option<String>,
    /// Its output, as JSON text, when it succeeded.
    pub output: Option<String>,
    /// Its error, when it failed, timed out or was stopped.
    pub error: Option<String>,
    /// Its cause.
    pub cause: Option<String>,
    /// How many times it was redriven.
    pub redrive_count: u32,
    /// The version it runs, when started through a version or an alias.
    pub state_machine_version_arn: Option<String>,
    /// The alias it was started through.
    pub state_machine_alias_arn: Option<String>,
    /// For a child execution of a distributed Map: its Map Run.
    pub map_run_arn: Option<String>,
}

impl ExecutionInfo {
    /// The output as JSON (`null` when there is none).
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] when the output is not JSON.
    pub fn output_json(&self) -> Result<Value, Error> {
        self.output_as()
    }

    /// The output, read as a `T`.
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] when the output does not read as a `T`.
    pub fn output_as<T: DeserializeOwned>(&self) -> Result<T, Error> {
        let text = self.output.as_deref().unwrap_or("null");
        serde_json::from_str(text).map_err(|source| Error::Decode {
            what: "execution output",
            source,
        })
    }

    /// The input as JSON (`null` when there is none).
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] when the input is not JSON.
    pub fn input_json(&self) -> Result<Value, Error> {
        let text = self.input.as_deref().unwrap_or("null");
        serde_json::from_str(text).map_err(|source| Error::Decode {
            what: "execution input",
            source,
        })
    }
}

/// An execution in a list.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ExecutionSummary {
    /// Its ARN.
    pub execution_arn: String,
    /// Its machine's ARN.
    pub state_machine_arn: String,
    /// Its name.
    pub name: String,
    /// Its status.
    pub status: ExecutionStatus,
    /// When it started.
    pub start_date: DateTime<Utc>,
    /// When it ended.
    pub stop_date: Option<DateTime<Utc>>,
}

/// Which executions to list (`ListExecutions`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ListExecutions {
    /// The machine, by ARN.
    pub state_machine_arn: String,
    /// Only executions with this status.
    pub status_filter: Option<ExecutionStatus>,
    /// The page.
    pub page: PageRequest,
}

impl ListExecutions {
    /// The executions of `state_machine_arn`, first page.
    pub fn new(state_machine_arn: impl Into<String>) -> Self {
        ListExecutions {
            state_machine_arn: state_machine_arn.into(),
            status_filter: None,
            page: PageRequest::default(),
        }
    }
}

/// Which events of an execution's history to read (`GetExecutionHistory`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GetHistory {
    /// The execution, by ARN.
    pub execution_arn: String,
    /// The newest event first.
    pub reverse_order: bool,
    /// Inputs and outputs included (the default).
    pub include_execution_data: bool,
    /// The page.
    pub page: PageRequest,
}

impl GetHistory {
    /// The history of `execution_arn`, oldest first, with data, first page.
    pub fn new(execution_arn: impl Into<String>) -> Self {
        GetHistory {
            execution_arn: execution_arn.into(),
            reverse_order: false,
            include_execution_data: true,
            page: PageRequest::default(),
        }
    }
}

/// A task an activity worker polled (`GetActivityTask`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ActivityTask {
    /// The token that answers it.
    pub task_token: String,
    /// The input, as JSON text.
    pub input: String,
}
