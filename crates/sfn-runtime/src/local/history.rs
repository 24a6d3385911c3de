//! Execution history, with AWS's event types, ids and details.
//!
//! Events are cheap to record: inputs and outputs are shared (`Arc<Value>`), names are
//! interned, and nothing is serialized until the history is read.

use std::sync::Arc;

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Value, json};

/// The most events a Standard execution's history may hold.
pub const MAX_HISTORY_EVENTS: usize = 25_000;

macro_rules! event_types {
    ($($(#[$doc:meta])* $name:ident,)*) => {
        /// The type of a history event, as AWS names it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum EventType {
            $($(#[$doc])* $name,)*
        }

        impl EventType {
            /// The name AWS gives the type (`TaskStateEntered`).
            pub fn as_str(self) -> &'static str {
                match self { $(EventType::$name => stringify!($name),)* }
            }
        }
    };
}

event_types! {
    /// The execution started.
    ExecutionStarted,
    /// The execution succeeded.
    ExecutionSucceeded,
    /// The execution failed.
    ExecutionFailed,
    /// The execution was stopped.
    ExecutionAborted,
    /// The execution ran longer than the machine's `TimeoutSeconds`.
    ExecutionTimedOut,
    /// The execution was redriven: it resumes from the states that did not succeed.
    ExecutionRedriven,
    /// A Pass state was entered.
    PassStateEntered,
    /// A Pass state was exited.
    PassStateExited,
    /// A Task state was entered.
    TaskStateEntered,
    /// A Task state was exited.
    TaskStateExited,
    /// A Choice state was entered.
    ChoiceStateEntered,
    /// A Choice state was exited.
    ChoiceStateExited,
    /// A Wait state was entered.
    WaitStateEntered,
    /// A Wait state was exited.
    WaitStateExited,
    /// A Succeed state was entered.
    SucceedStateEntered,
    /// A Succeed state was exited.
    SucceedStateExited,
    /// A Fail state was entered.
    FailStateEntered,
    /// A Parallel state was entered.
    ParallelStateEntered,
    /// A Parallel state started its branches.
    ParallelStateStarted,
    /// Every branch of a Parallel state succeeded.
    ParallelStateSucceeded,
    /// A Parallel state failed: a branch failed, and no retrier takes the error. As on
    /// AWS, without details.
    ParallelStateFailed,
    /// A Parallel state was exited.
    ParallelStateExited,
    /// A Map state was entered.
    MapStateEntered,
    /// A Map state started its iterations.
    MapStateStarted,
    /// Every iteration of a Map state succeeded.
    MapStateSucceeded,
    /// A Map state failed, and no retrier takes the error. As on AWS, without details.
    MapStateFailed,
    /// A Map state was exited.
    MapStateExited,
    /// A Map iteration started.
    MapIterationStarted,
    /// A Map iteration succeeded.
    MapIterationSucceeded,
    /// A Map iteration failed.
    MapIterationFailed,
    /// A Map iteration was stopped.
    MapIterationAborted,
    /// A distributed Map started its child executions.
    MapRunStarted,
    /// A distributed Map's child executions succeeded.
    MapRunSucceeded,
    /// A distributed Map's Map Run failed: its child executions, or its `ItemReader`.
    MapRunFailed,
    /// A distributed Map's Map Run was stopped.
    MapRunAborted,
    /// A Task state in flight was stopped.
    TaskStateAborted,
    /// A Wait state in flight was stopped.
    WaitStateAborted,
    /// A Map state in flight was stopped.
    MapStateAborted,
    /// A Parallel state in flight was stopped.
    ParallelStateAborted,
    /// A task was scheduled.
    TaskScheduled,
    /// A task started.
    TaskStarted,
    /// A `.waitForTaskToken` task's call went out; it now waits for its token.
    TaskSubmitted,
    /// A task succeeded.
    TaskSucceeded,
    /// A task failed.
    TaskFailed,
    /// A task ran longer than its timeout or heartbeat.
    TaskTimedOut,
    /// An activity task was scheduled.
    ActivityScheduled,
    /// A worker took the activity task.
    ActivityStarted,
    /// The activity task succeeded.
    ActivitySucceeded,
    /// The activity task failed.
    ActivityFailed,
    /// The activity task timed out.
    ActivityTimedOut,
    /// A Lambda function was scheduled.
    LambdaFunctionScheduled,
    /// The Lambda function started.
    LambdaFunctionStarted,
    /// The Lambda function succeeded.
    LambdaFunctionSucceeded,
    /// The Lambda function failed.
    LambdaFunctionFailed,
    /// The Lambda function timed out.
    LambdaFunctionTimedOut,
}

impl std::fmt::Display for EventType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The details of an event.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum EventDetails {
    /// None.
    None,
    /// `ExecutionStarted`.
    ExecutionStarted {
        /// The execution input.
        input: Arc<Value>,
        /// The input as it was sent, when it was sent as JSON text: AWS keeps the text
        /// and gives it back as it came (none: the JSON of `input`).
        input_text: Option<Arc<str>>,
        /// The role.
        role_arn: Arc<str>,
        /// The version the execution runs, when started through a version or an alias.
        state_machine_version_arn: Option<Arc<str>>,
        /// The alias the execution was started through.
        state_machine_alias_arn: Option<Arc<str>>,
    },
    /// `ExecutionSucceeded`.
    ExecutionSucceeded {
        /// The execution output.
        output: Arc<Value>,
    },
    /// A state entered: its name and input.
    StateEntered {
        /// The state.
        name: Arc<str>,
        /// The state's input.
        input: Arc<Value>,
    },
    /// A state exited: its name and output, and the variables it assigned.
    StateExited {
        /// The state.
        name: Arc<str>,
        /// The state's output.
        output: Arc<Value>,
        /// The variables its `Assign` set (`assignedVariables`), when it has one.
        assigned_variables: Option<Map<String, Value>>,
    },
    /// A failure (execution, task, Map, Parallel) or an abort.
    Failure {
        /// The error name.
        error: Option<String>,
        /// The cause.
        cause: Option<String>,
    },
    /// A task scheduled.
    TaskScheduled {
        /// `lambda`, `activity`, `sqs`, …
        resource_type: Arc<str>,
        /// The resource as AWS's task events name it: an activity's or another ARN, or a
        /// service integration's action, what follows its service in the ARN (`invoke`,
        /// `sendMessage.waitForTaskToken`); the other task events name it alike.
        resource: Arc<str>,
        /// The engine's region, which a service integration's event gives.
        region: Arc<str>,
        /// The task's input.
        parameters: Arc<Value>,
        /// `TimeoutSeconds`, if set.
        timeout_seconds: Option<u64>,
        /// `HeartbeatSeconds`, if set.
        heartbeat_seconds: Option<u64>,
    },
    /// A task started.
    TaskStarted {
        /// The resource type.
        resource_type: Arc<str>,
        /// The resource.
        resource: Arc<str>,
    },
    /// A task succeeded.
    TaskSucceeded {
        /// The resource type.
        resource_type: Arc<str>,
        /// The resource.
        resource: Arc<str>,
        /// The task's result.
        output: Arc<Value>,
    },
    /// A task failed or timed out.
    TaskFailed {
        /// The resource type.
        resource_type: Arc<str>,
        /// The resource.
        resource: Arc<str>,
        /// The error name.
        error: Option<String>,
        /// The cause.
        cause: Option<String>,
    },
    /// A worker took an activity task.
    ActivityStarted {
        /// The name the worker gave when it polled, if any.
        worker_name: Option<String>,
    },
    /// A Map state started.
    MapStateStarted {
        /// The number of iterations: the items given, or 0 when an `ItemReader` reads
        /// them (the Map Run reads and counts them), as AWS records it.
        length: usize,
    },
    /// `ExecutionRedriven`: how many times the execution has been redriven, this one
    /// included.
    ExecutionRedriven {
        /// The redrive count.
        redrive_count: u32,
    },
    /// `MapRunStarted`: the Map Run's ARN.
    MapRunStarted {
        /// The Map Run.
        map_run_arn: Arc<str>,
    },
    /// A Map iteration event.
    MapIteration {
        /// The Map state.
        name: Arc<str>,
        /// The iteration.
        index: usize,
    },
}

/// One history event.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct HistoryEvent {
    /// The event's id, from 1.
    pub id: u64,
    /// The id of the event before it in the same thread of the execution (0: none).
    pub previous_event_id: u64,
    /// When it happened.
    pub timestamp: DateTime<Utc>,
    /// What happened.
    pub event_type: EventType,
    /// The details.
    pub details: EventDetails,
}

fn payload(v: &Value) -> Value {
    Value::String(v.to_string())
}

impl HistoryEvent {
    /// The event as the AWS API returns it (`GetExecutionHistory`).
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert(
            "timestamp".into(),
            Value::String(self.timestamp.to_rfc3339_opts(SecondsFormat::Millis, true)),
        );
        m.insert(
            "type".into(),
            Value::String(self.event_type.as_str().to_owned()),
        );
        m.insert("id".into(), json!(self.id));
        m.insert("previousEventId".into(), json!(self.previous_event_id));
        let key = details_key(self.event_type);
        let details = match &self.details {
            EventDetails::None => None,
            EventDetails::ExecutionStarted {
                input,
                input_text,
                role_arn,
                state_machine_version_arn,
                state_machine_alias_arn,
            } => {
                let input = match input_text {
                    Some(text) => Value::String(text.to_string()),
                    None => payload(input),
                };
                let mut details = json!({
                    "input": input, "inputDetails": {"truncated": false}, "roleArn": &**role_arn
                });
                if let Value::Object(m) = &mut details {
                    if let Some(alias) = state_machine_alias_arn {
                        m.insert("stateMachineAliasArn".into(), json!(&**alias));
                    }
                    if let Some(version) = state_machine_version_arn {
                        m.insert("stateMachineVersionArn".into(), json!(&**version));
                    }
                }
                Some(details)
            }
            EventDetails::ExecutionSucceeded { output } => {
                Some(json!({"output": payload(output), "outputDetails": {"truncated": false}}))
            }
            EventDetails::StateEntered { name, input } => Some(
                json!({"name": &**name, "input": payload(input), "inputDetails": {"truncated": false}}),
            ),
            EventDetails::StateExited {
                name,
                output,
                assigned_variables,
            } => {
                let mut d = json!({"name": &**name, "output": payload(output), "outputDetails": {"truncated": false}});
                if let (Some(vars), Value::Object(m)) = (assigned_variables, &mut d) {
                    // As AWS gives them: each value as JSON text.
                    let texts = vars.iter().map(|(k, v)| (k.clone(), payload(v))).collect();
                    m.insert("assignedVariables".into(), Value::Object(texts));
                    m.insert(
                        "assignedVariablesDetails".into(),
                        json!({"truncated": false}),
                    );
                }
                Some(d)
            }
            EventDetails::Failure { error, cause } => {
                let mut d = Map::new();
                if let Some(e) = error {
                    d.insert("error".into(), Value::String(e.clone()));
                }
                if let Some(c) = cause {
                    d.insert("cause".into(), Value::String(c.clone()));
                }
                Some(Value::Object(d))
            }
            EventDetails::TaskScheduled {
                resource_type,
                resource,
                region,
                parameters,
                timeout_seconds,
                heartbeat_seconds,
            } => {
                let mut d = Map::new();
                let service = !matches!(
                    self.event_type,
                    EventType::ActivityScheduled | EventType::LambdaFunctionScheduled
                );
                if service {
                    d.insert(
                        "resourceType".into(),
                        Value::String(resource_type.to_string()),
                    );
                }
                d.insert("resource".into(), Value::String(resource.to_string()));
                if service {
                    d.insert("region".into(), Value::String(region.to_string()));
                    d.insert("parameters".into(), payload(parameters));
                } else {
                    d.insert("input".into(), payload(parameters));
                    d.insert("inputDetails".into(), json!({"truncated": false}));
                }
                if let Some(t) = timeout_seconds {
                    d.insert("timeoutInSeconds".into(), json!(t));
                }
                if let Some(h) = heartbeat_seconds
                    && self.event_type != EventType::LambdaFunctionScheduled
                {
                    d.insert("heartbeatInSeconds".into(), json!(h));
                }
                Some(Value::Object(d))
            }
            EventDetails::TaskStarted {
                resource_type,
                resource,
            } => Some(json!({"resourceType": &**resource_type, "resource": &**resource})),
            EventDetails::TaskSucceeded {
                resource_type,
                resource,
                output,
            } => Some(if is_task_event(self.event_type) {
                json!({
                    "resourceType": &**resource_type, "resource": &**resource,
                    "output": payload(output), "outputDetails": {"truncated": false}
                })
            } else {
                json!({"output": payload(output), "outputDetails": {"truncated": false}})
            }),
            EventDetails::TaskFailed {
                resource_type,
                resource,
                error,
                cause,
            } => {
                let mut d = Map::new();
                if is_task_event(self.event_type) {
                    d.insert(
                        "resourceType".into(),
                        Value::String(resource_type.to_string()),
                    );
                    d.insert("resource".into(), Value::String(resource.to_string()));
                }
                if let Some(e) = error {
                    d.insert("error".into(), Value::String(e.clone()));
                }
                if let Some(c) = cause {
                    d.insert("cause".into(), Value::String(c.clone()));
                }
                Some(Value::Object(d))
            }
            EventDetails::ActivityStarted { worker_name } => Some(match worker_name {
                Some(w) => json!({"workerName": w}),
                None => json!({}),
            }),
            EventDetails::MapStateStarted { length } => Some(json!({"length": length})),
            EventDetails::MapIteration { name, index } => {
                Some(json!({"name": &**name, "index": index}))
            }
            EventDetails::MapRunStarted { map_run_arn } => {
                Some(json!({"mapRunArn": &**map_run_arn}))
            }
            EventDetails::ExecutionRedriven { redrive_count } => {
                Some(json!({"redriveCount": redrive_count}))
            }
        };
        if let (Some(key), Some(details)) = (key, details) {
            m.insert(key.into(), details);
        }
        Value::Object(m)
    }
}

/// Whether the event is one of a service integration's (`Task…`), whose details name the
/// resource; activity and Lambda function events do not.
fn is_task_event(t: EventType) -> bool {
    matches!(
        t,
        EventType::TaskScheduled
            | EventType::TaskStarted
            | EventType::TaskSubmitted
            | EventType::TaskSucceeded
            | EventType::TaskFailed
            | EventType::TaskTimedOut
    )
}

fn details_key(t: EventType) -> Option<&'static str> {
    use EventType::*;
    Some(match t {
        ExecutionStarted => "executionStartedEventDetails",
        ExecutionSucceeded => "executionSucceededEventDetails",
        ExecutionFailed => "executionFailedEventDetails",
        ExecutionAborted => "executionAbortedEventDetails",
        ExecutionTimedOut => "executionTimedOutEventDetails",
        ExecutionRedriven => "executionRedrivenEventDetails",
        PassStateEntered | TaskStateEntered | ChoiceStateEntered | WaitStateEntered
        | SucceedStateEntered | FailStateEntered | ParallelStateEntered | MapStateEntered => {
            "stateEnteredEventDetails"
        }
        PassStateExited | TaskStateExited | ChoiceStateExited | WaitStateExited
        | SucceedStateExited | ParallelStateExited | MapStateExited => "stateExitedEventDetails",
        MapStateStarted => "mapStateStartedEventDetails",
        MapIterationStarted => "mapIterationStartedEventDetails",
        MapIterationSucceeded => "mapIterationSucceededEventDetails",
        MapIterationFailed => "mapIterationFailedEventDetails",
        MapIterationAborted => "mapIterationAbortedEventDetails",
        TaskScheduled => "taskScheduledEventDetails",
        TaskStarted => "taskStartedEventDetails",
        TaskSubmitted => "taskSubmittedEventDetails",
        TaskSucceeded => "taskSucceededEventDetails",
        TaskFailed => "taskFailedEventDetails",
        TaskTimedOut => "taskTimedOutEventDetails",
        ActivityScheduled => "activityScheduledEventDetails",
        ActivityStarted => "activityStartedEventDetails",
        ActivitySucceeded => "activitySucceededEventDetails",
        ActivityFailed => "activityFailedEventDetails",
        ActivityTimedOut => "activityTimedOutEventDetails",
        LambdaFunctionScheduled => "lambdaFunctionScheduledEventDetails",
        LambdaFunctionStarted => return None,
        LambdaFunctionSucceeded => "lambdaFunctionSucceededEventDetails",
        LambdaFunctionFailed => "lambdaFunctionFailedEventDetails",
        LambdaFunctionTimedOut => "lambdaFunctionTimedOutEventDetails",
        MapRunStarted => "mapRunStartedEventDetails",
        MapRunFailed => "mapRunFailedEventDetails",
        MapStateFailed | ParallelStateFailed => "evaluationFailedEventDetails",
        _ => return None,
    })
}

/// The events of one execution, in order.
#[derive(Debug, Clone, Default)]
pub struct History {
    events: Vec<HistoryEvent>,
    /// Whether the closing event is recorded: nothing follows it.
    closed: bool,
    /// Told of each new event, once somebody follows the history.
    progress: Option<Arc<tokio::sync::Notify>>,
}

/// The history reached [`MAX_HISTORY_EVENTS`], or is closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct HistoryFull;

impl History {
    pub(crate) fn with_capacity(n: usize) -> Self {
        History {
            events: Vec::with_capacity(n),
            closed: false,
            progress: None,
        }
    }

    /// Appends an event and returns its id. The last of the [`MAX_HISTORY_EVENTS`] is
    /// kept for the closing event: as on AWS, an execution whose 25,000th event would
    /// not be `ExecutionSucceeded` fails with `ExecutionFailed` as that event.
    pub(crate) fn push(
        &mut self,
        previous_event_id: u64,
        timestamp: DateTime<Utc>,
        event_type: EventType,
        details: EventDetails,
    ) -> Result<u64, HistoryFull> {
        if self.closed || self.events.len() + 1 >= MAX_HISTORY_EVENTS {
            return Err(HistoryFull);
        }
        let id = self.events.len() as u64 + 1;
        self.events.push(HistoryEvent {
            id,
            previous_event_id,
            timestamp,
            event_type,
            details,
        });
        self.told();
        Ok(id)
    }

    /// Appends a closing event (execution succeeded, failed, …), which may be the last
    /// one the limit allows.
    pub(crate) fn push_final(
        &mut self,
        timestamp: DateTime<Utc>,
        event_type: EventType,
        details: EventDetails,
    ) -> u64 {
        let previous_event_id = self.events.len() as u64;
        self.push_closing(previous_event_id, timestamp, event_type, details)
    }

    /// Appends a closing event after the event `previous_event_id`.
    pub(crate) fn push_closing(
        &mut self,
        previous_event_id: u64,
        timestamp: DateTime<Utc>,
        event_type: EventType,
        details: EventDetails,
    ) -> u64 {
        self.closed = true;
        let id = self.events.len() as u64 + 1;
        self.events.push(HistoryEvent {
            id,
            previous_event_id,
            timestamp,
            event_type,
            details,
        });
        self.told();
        id
    }

    /// Wakes whoever follows the history.
    fn told(&self) {
        if let Some(p) = &self.progress {
            p.notify_waiters();
        }
    }

    /// What tells of each new event, made on first use.
    pub(crate) fn progress(&mut self) -> Arc<tokio::sync::Notify> {
        self.progress
            .get_or_insert_with(|| Arc::new(tokio::sync::Notify::new()))
            .clone()
    }

    /// Opens a closed history again, for a redrive: events follow its closing event.
    pub(crate) fn reopen(&mut self) {
        self.closed = false;
    }

    /// The id of the last event (0 when empty).
    pub fn last_id(&self) -> u64 {
        self.events.len() as u64
    }

    /// The events.
    pub fn events(&self) -> &[HistoryEvent] {
        &self.events
    }

    /// The number of events.
    pub fn len(&self) -> usize {
        self.events.len()
    }

    /// Whether there are no events.
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// The events as the AWS API returns them.
    pub fn to_json(&self) -> Value {
        Value::Array(self.events.iter().map(HistoryEvent::to_json).collect())
    }

    /// One line per event: id, type, and the state name where there is one.
    pub fn display(&self) -> String {
        let mut out = String::new();
        for e in &self.events {
            let name = match &e.details {
                EventDetails::StateEntered { name, .. }
                | EventDetails::StateExited { name, .. }
                | EventDetails::MapIteration { name, .. } => name.to_string(),
                EventDetails::Failure { error, .. } | EventDetails::TaskFailed { error, .. } => {
                    error.clone().unwrap_or_default()
                }
                _ => String::new(),
            };
            out.push_str(&format!(
                "{:>5} {:<28} {name}\n",
                e.id,
                e.event_type.as_str()
            ));
        }
        out
    }
}
