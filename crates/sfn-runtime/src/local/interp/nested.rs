//! Nested executions: `arn:aws:states:::states:startExecution` (and `.sync`, `.sync:2`,
//! `.waitForTaskToken`), and `arn:aws:states:::aws-sdk:sfn:startExecution` (and
//! `.waitForTaskToken`), start a real child execution on the same engine, the machine
//! named by the arguments' `StateMachineArn`, when no mock or handler answers the state.
//!
//! The shapes are AWS's, as recorded (`conformance/execution/TestTaskServiceSfn_*`,
//! `TestCallback_test_start_execution_sync*`, `TestBaseScenarios_test_sfn_start_execution_sync_*`):
//!
//! - request-response: `{ExecutionArn, StartDate}`, as `StartExecution` answers;
//! - `.sync`: the `DescribeExecution` shape, `Input` and `Output` as JSON text;
//! - `.sync:2`: the same with `Input` and `Output` as JSON, and the redrive fields;
//! - a child that does not succeed fails the task with `States.TaskFailed`, the cause the
//!   same shape (with the child's `Error` and `Cause`, without `Output`) as JSON text;
//! - a refused start fails it with the SDK's exception (`StepFunctions.StateMachineDoesNotExistException`)
//!   and the SDK's message.
//!
//! Dates are epoch milliseconds, as the AWS SDK for Java, which Step Functions runs its
//! integrations on, writes them (the recordings mask them). `.sync` waits for the child;
//! a parent stopped or timed out while waiting stops it. `.waitForTaskToken` starts the
//! child and waits for the token (which the child sends with `SendTaskSuccess`).

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};
use sfn_core::{error::states, resources::Pattern};

use super::{Entry, Failure, Frame, Run, task::Call};
use crate::{
    api::error::from_engine,
    local::{
        Error, LocalEngine,
        execution::{Execution, ExecutionDescription, ExecutionStatus, StartExecution},
        history::{EventDetails, EventType},
    },
};

/// Which integration starts the child: the optimized one, whose errors and dates are the
/// AWS SDK for Java 1.x's (`StepFunctions.…Exception`, epoch milliseconds), or
/// `aws-sdk:sfn:startExecution`, whose are the SDK 2.x's (`Sfn.…Exception`, ISO 8601).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Via {
    /// `arn:aws:states:::states:startExecution[.sync|.sync:2|.waitForTaskToken]`.
    Optimized,
    /// `arn:aws:states:::aws-sdk:sfn:startExecution[.waitForTaskToken]`.
    Sdk,
}

/// Stops a `.sync` child that is still running when its parent stops waiting for it.
struct StopChild(Execution);

impl Drop for StopChild {
    fn drop(&mut self) {
        if self.0.describe().status == ExecutionStatus::Running {
            // A child that ended meanwhile cannot be stopped; nothing is lost.
            let _ = self.0.stop(None, None);
        }
    }
}

impl Run {
    /// Starts the child execution and answers as `pattern` says.
    pub(super) async fn nested(
        &self,
        entry: &Entry<'_>,
        (pattern, via): (Pattern, Via),
        call: Call<'_>,
        frame: &mut Frame,
    ) -> Result<Value, Failure> {
        let st = entry.st;
        self.record(
            frame,
            call.started,
            EventDetails::TaskStarted {
                resource_type: st.resource_type.clone(),
                resource: st.resource.clone(),
            },
        )?;
        let (arn, start) = start_request(&call.params)?;
        // Registered before the child starts, which may answer at once.
        let mut wait = (pattern == Pattern::WaitForTaskToken)
            .then(|| self.tasks.register_token(call.token, &self.cancel));
        let engine = LocalEngine {
            inner: self.engine.clone(),
        };
        let child = engine
            .start_execution(&arn, start)
            .await
            .map_err(|e| sdk_failure(e, via))?;
        let started = child.describe();
        let response = json!({
            "ExecutionArn": started.execution_arn,
            "StartDate": match via {
                Via::Optimized => millis(started.start_date),
                Via::Sdk => iso(started.start_date),
            },
        });
        if pattern == Pattern::RequestResponse {
            return Ok(response);
        }
        self.record(
            frame,
            EventType::TaskSubmitted,
            EventDetails::TaskSucceeded {
                resource_type: st.resource_type.clone(),
                resource: st.resource.clone(),
                output: Arc::new(response),
            },
        )?;
        let timeout = call.timeout.map(std::time::Duration::from_secs);
        if let Some(wait) = wait.as_mut() {
            let heartbeat = call.heartbeat.map(std::time::Duration::from_secs);
            return self
                .with_timeout(self.wait_for_token(wait, heartbeat), timeout)
                .await;
        }
        let v2 = pattern == Pattern::Sync2;
        let child = StopChild(child);
        let run = async {
            let ended = child.0.wait().await.map_err(|e| {
                Failure::new(
                    states::TASK_FAILED,
                    Some(format!(
                        "The child execution {} could not be followed: {e}",
                        child.0.arn()
                    )),
                )
            })?;
            let shape = describe_shape(&ended, if v2 { Shape::SYNC2 } else { Shape::SYNC }, millis);
            if ended.status == ExecutionStatus::Succeeded {
                Ok(shape)
            } else {
                Err(Failure::new(states::TASK_FAILED, Some(shape.to_string())))
            }
        };
        self.with_timeout(run, timeout).await
    }
}

/// The child's machine and start request from the task's arguments: `StateMachineArn`
/// (required), `Input` (JSON, or JSON text; `{}` when absent or null) and `Name`.
fn start_request(params: &Value) -> Result<(String, StartExecution), Failure> {
    let missing = || {
        Failure::new(
            states::RUNTIME,
            Some("The arguments of states:startExecution must be an object with a string 'StateMachineArn'".to_owned()),
        )
    };
    let args = params.as_object().ok_or_else(missing)?;
    let arn = args
        .get("StateMachineArn")
        .and_then(Value::as_str)
        .ok_or_else(missing)?;
    let mut start = match args.get("Input") {
        None | Some(Value::Null) => StartExecution::new(Value::Object(Map::new())),
        Some(Value::String(text)) => StartExecution::from_json(text.clone()),
        Some(v) => StartExecution::new(v.clone()),
    };
    if let Some(name) = args.get("Name").and_then(Value::as_str) {
        start = start.name(name);
    }
    Ok((arn.to_owned(), start))
}

/// A refused start as the AWS SDK reports it: `StepFunctions.<Code>Exception` and the
/// SDK 1.x's service details (as recorded: TestTaskServiceSfn_test_start_execution_no_such_arn),
/// or, for `aws-sdk:sfn`, `Sfn.<Code>Exception` and the SDK 2.x's.
fn sdk_failure(e: Error, via: Via) -> Failure {
    let api = from_engine(e);
    let exception = if api.kind.ends_with("Exception") {
        api.kind.to_owned()
    } else {
        format!("{}Exception", api.kind)
    };
    let code = api.kind.trim_end_matches("Exception");
    let request = uuid::Uuid::new_v4();
    let (error, cause) = match via {
        Via::Optimized => (
            format!("StepFunctions.{exception}"),
            format!(
                "{} (Service: AWSStepFunctions; Status Code: {}; Error Code: {code}; Request ID: {request}; Proxy: null)",
                api.message, api.status
            ),
        ),
        Via::Sdk => (
            format!("Sfn.{exception}"),
            format!(
                "{} (Service: Sfn, Status Code: {}, Request ID: {request})",
                api.message, api.status
            ),
        ),
    };
    Failure::new(error, Some(cause))
}

/// Which `DescribeExecution` shape: data as JSON or as JSON text, with or without the
/// redrive fields.
#[derive(Clone, Copy)]
pub(super) struct Shape {
    json: bool,
    redrive: bool,
}

impl Shape {
    /// `.sync`: JSON text, no redrive fields.
    const SYNC: Shape = Shape {
        json: false,
        redrive: false,
    };
    /// `.sync:2`: JSON, the redrive fields.
    const SYNC2: Shape = Shape {
        json: true,
        redrive: true,
    };
    /// A `ResultWriter`'s results file: JSON text, the redrive fields.
    pub(super) const RESULTS: Shape = Shape {
        json: false,
        redrive: true,
    };
}

/// `DescribeExecution`'s shape, keys in AWS's (alphabetical) order, dates as `date`
/// writes them.
pub(super) fn describe_shape(
    d: &ExecutionDescription,
    shape: Shape,
    date: fn(DateTime<Utc>) -> Value,
) -> Value {
    let data = |v: &Value| {
        if shape.json {
            v.clone()
        } else {
            Value::String(v.to_string())
        }
    };
    let mut m = Map::new();
    if d.status != ExecutionStatus::Succeeded {
        if let Some(cause) = &d.cause {
            m.insert("Cause".into(), cause.clone().into());
        }
        if let Some(error) = &d.error {
            m.insert("Error".into(), error.clone().into());
        }
    }
    m.insert("ExecutionArn".into(), d.execution_arn.clone().into());
    m.insert("Input".into(), data(&d.input));
    m.insert("InputDetails".into(), json!({"Included": true}));
    m.insert("Name".into(), d.name.clone().into());
    if let (ExecutionStatus::Succeeded, Some(output)) = (d.status, &d.output) {
        m.insert("Output".into(), data(output));
        m.insert("OutputDetails".into(), json!({"Included": true}));
    }
    if shape.redrive {
        m.insert("RedriveCount".into(), d.redrive_count.into());
        m.insert("RedriveStatus".into(), d.redrive_status.as_str().into());
        if let Some(reason) = &d.redrive_status_reason {
            m.insert("RedriveStatusReason".into(), reason.clone().into());
        }
    }
    m.insert("StartDate".into(), date(d.start_date));
    m.insert("StateMachineArn".into(), d.state_machine_arn.clone().into());
    m.insert("Status".into(), d.status.as_str().into());
    if let Some(stop) = d.stop_date {
        m.insert("StopDate".into(), date(stop));
    }
    Value::Object(m)
}

fn millis(t: DateTime<Utc>) -> Value {
    t.timestamp_millis().into()
}

fn iso(t: DateTime<Utc>) -> Value {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
        .into()
}
