//! The embedded back end: the engine's AWS API called in-process, through the same
//! operations `sfn serve` serves over HTTP, so that both answer exactly alike.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};
use sfn_core::model::ExecutionType;
use tokio_util::sync::CancellationToken;

use super::{
    ActivityInfo, ActivityTask, Backend, BackendKind, CreateStateMachine, CreatedStateMachine,
    Error, ExecutionInfo, ExecutionStatus, ExecutionSummary, GetHistory, HistoryEvent,
    ListExecutions, LogLevel, LoggingConfig, Page, PageRequest, Response, StartExecution,
    StartedExecution, StateMachineInfo, StateMachineSummary, Tag, UpdateStateMachine,
    UpdatedStateMachine,
};
use crate::{
    activity::BoxFuture,
    api::{
        ops::{Ctx, dispatch},
        protocol::Input,
    },
    local::LocalEngine,
};

/// The embedded engine as a [`Backend`].
#[derive(Clone)]
pub struct LocalBackend {
    ctx: Arc<Ctx>,
}

impl std::fmt::Debug for LocalBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalBackend").finish_non_exhaustive()
    }
}

impl LocalBackend {
    /// The back end over `engine`.
    pub fn new(engine: LocalEngine) -> Self {
        LocalBackend {
            ctx: Arc::new(Ctx {
                engine,
                mock_config: None,
                shutdown: CancellationToken::new(),
            }),
        }
    }

    /// The engine.
    pub fn engine(&self) -> &LocalEngine {
        &self.ctx.engine
    }

    /// Calls `operation` with the request `request` (a JSON object).
    async fn call(&self, operation: &str, request: Value) -> Result<Value, Error> {
        let members = match request {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        dispatch(&self.ctx, operation, &Input::from_members(members))
            .await
            .map_err(|e| Error::from_service(e.kind, e.message))
    }
}

/// A member of an answer, as text.
fn text(v: &Value, member: &str) -> String {
    v[member].as_str().unwrap_or_default().to_owned()
}

/// An optional member of an answer, as text.
fn opt_text(v: &Value, member: &str) -> Option<String> {
    v[member].as_str().map(str::to_owned)
}

/// A timestamp member (epoch seconds).
fn date(v: &Value, member: &str) -> DateTime<Utc> {
    opt_date(v, member).unwrap_or_default()
}

/// An optional timestamp member (epoch seconds).
fn opt_date(v: &Value, member: &str) -> Option<DateTime<Utc>> {
    let secs = v[member].as_f64()?;
    DateTime::from_timestamp_millis((secs * 1000.0).round() as i64)
}

fn machine_type(v: &Value) -> ExecutionType {
    match v["type"].as_str() {
        Some("EXPRESS") => ExecutionType::Express,
        _ => ExecutionType::Standard,
    }
}

fn page_members(request: &mut Value, page: &PageRequest) {
    if let Some(n) = page.max_results {
        request["maxResults"] = json!(n);
    }
    if let Some(t) = &page.next_token {
        request["nextToken"] = json!(t);
    }
}

fn tags_json(tags: &[Tag]) -> Value {
    Value::Array(
        tags.iter()
            .map(|t| json!({"key": t.key, "value": t.value}))
            .collect(),
    )
}

fn logging_of(v: &Value) -> LoggingConfig {
    let l = &v["loggingConfiguration"];
    LoggingConfig {
        level: l["level"]
            .as_str()
            .and_then(LogLevel::parse)
            .unwrap_or_default(),
        include_execution_data: l["includeExecutionData"].as_bool().unwrap_or(false),
        destinations: l["destinations"]
            .as_array()
            .map(|ds| {
                ds.iter()
                    .filter_map(|d| d["cloudWatchLogsLogGroup"]["logGroupArn"].as_str())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default(),
    }
}

fn next_token(v: &Value) -> Option<String> {
    opt_text(v, "nextToken")
}

fn items<'v>(v: &'v Value, member: &str) -> impl Iterator<Item = &'v Value> {
    v[member].as_array().into_iter().flatten()
}

impl Backend for LocalBackend {
    fn kind(&self) -> BackendKind {
        BackendKind::Local
    }

    fn create_activity<'a>(&'a self, name: &'a str, tags: &'a [Tag]) -> Response<'a, String> {
        Box::pin(async move {
            let mut request = json!({"name": name});
            if !tags.is_empty() {
                request["tags"] = tags_json(tags);
            }
            let v = self.call("CreateActivity", request).await?;
            Ok(text(&v, "activityArn"))
        })
    }

    fn delete_activity<'a>(&'a self, activity_arn: &'a str) -> Response<'a, ()> {
        Box::pin(async move {
            self.call("DeleteActivity", json!({"activityArn": activity_arn}))
                .await?;
            Ok(())
        })
    }

    fn describe_activity<'a>(&'a self, activity_arn: &'a str) -> Response<'a, ActivityInfo> {
        Box::pin(async move {
            let v = self
                .call("DescribeActivity", json!({"activityArn": activity_arn}))
                .await?;
            Ok(activity_of(&v))
        })
    }

    fn list_activities(&self, page: PageRequest) -> Response<'_, Page<ActivityInfo>> {
        Box::pin(async move {
            let mut request = json!({});
            page_members(&mut request, &page);
            let v = self.call("ListActivities", request).await?;
            Ok(Page::new(
                items(&v, "activities").map(activity_of).collect(),
                next_token(&v),
            ))
        })
    }

    fn create_state_machine(
        &self,
        request: CreateStateMachine,
    ) -> Response<'_, CreatedStateMachine> {
        Box::pin(async move {
            let mut r = json!({
                "name": request.name,
                "definition": request.definition,
                "roleArn": request.role_arn,
                "type": request.machine_type.as_str(),
            });
            if let Some(l) = &request.logging {
                r["loggingConfiguration"] = l.to_json();
            }
            if request.tracing {
                r["tracingConfiguration"] = json!({"enabled": true});
            }
            if !request.tags.is_empty() {
                r["tags"] = tags_json(&request.tags);
            }
            if request.publish {
                r["publish"] = json!(true);
            }
            if let Some(d) = &request.version_description {
                r["versionDescription"] = json!(d);
            }
            let v = self.call("CreateStateMachine", r).await?;
            Ok(CreatedStateMachine {
                state_machine_arn: text(&v, "stateMachineArn"),
                creation_date: date(&v, "creationDate"),
                state_machine_version_arn: opt_text(&v, "stateMachineVersionArn"),
            })
        })
    }

    fn update_state_machine(
        &self,
        request: UpdateStateMachine,
    ) -> Response<'_, UpdatedStateMachine> {
        Box::pin(async move {
            let mut r = json!({"stateMachineArn": request.state_machine_arn});
            if let Some(d) = &request.definition {
                r["definition"] = json!(d);
            }
            if let Some(role) = &request.role_arn {
                r["roleArn"] = json!(role);
            }
            if let Some(l) = &request.logging {
                r["loggingConfiguration"] = l.to_json();
            }
            if let Some(t) = request.tracing {
                r["tracingConfiguration"] = json!({"enabled": t});
            }
            if request.publish {
                r["publish"] = json!(true);
            }
            if let Some(d) = &request.version_description {
                r["versionDescription"] = json!(d);
            }
            let v = self.call("UpdateStateMachine", r).await?;
            Ok(UpdatedStateMachine {
                update_date: date(&v, "updateDate"),
                revision_id: opt_text(&v, "revisionId"),
                state_machine_version_arn: opt_text(&v, "stateMachineVersionArn"),
            })
        })
    }

    fn describe_state_machine<'a>(
        &'a self,
        state_machine_arn: &'a str,
    ) -> Response<'a, StateMachineInfo> {
        Box::pin(async move {
            let v = self
                .call(
                    "DescribeStateMachine",
                    json!({"stateMachineArn": state_machine_arn}),
                )
                .await?;
            Ok(StateMachineInfo {
                state_machine_arn: text(&v, "stateMachineArn"),
                name: text(&v, "name"),
                status: opt_text(&v, "status"),
                definition: text(&v, "definition"),
                role_arn: text(&v, "roleArn"),
                machine_type: machine_type(&v),
                creation_date: date(&v, "creationDate"),
                logging: logging_of(&v),
                tracing: v["tracingConfiguration"]["enabled"]
                    .as_bool()
                    .unwrap_or(false),
                revision_id: opt_text(&v, "revisionId"),
                description: opt_text(&v, "description"),
            })
        })
    }

    fn delete_state_machine<'a>(&'a self, state_machine_arn: &'a str) -> Response<'a, ()> {
        Box::pin(async move {
            self.call(
                "DeleteStateMachine",
                json!({"stateMachineArn": state_machine_arn}),
            )
            .await?;
            Ok(())
        })
    }

    fn list_state_machines(&self, page: PageRequest) -> Response<'_, Page<StateMachineSummary>> {
        Box::pin(async move {
            let mut request = json!({});
            page_members(&mut request, &page);
            let v = self.call("ListStateMachines", request).await?;
            Ok(Page::new(
                items(&v, "stateMachines")
                    .map(|m| StateMachineSummary {
                        state_machine_arn: text(m, "stateMachineArn"),
                        name: text(m, "name"),
                        machine_type: machine_type(m),
                        creation_date: date(m, "creationDate"),
                    })
                    .collect(),
                next_token(&v),
            ))
        })
    }

    fn tag_resource<'a>(&'a self, arn: &'a str, tags: &'a [Tag]) -> Response<'a, ()> {
        Box::pin(async move {
            self.call(
                "TagResource",
                json!({"resourceArn": arn, "tags": tags_json(tags)}),
            )
            .await?;
            Ok(())
        })
    }

    fn untag_resource<'a>(&'a self, arn: &'a str, keys: &'a [String]) -> Response<'a, ()> {
        Box::pin(async move {
            self.call(
                "UntagResource",
                json!({"resourceArn": arn, "tagKeys": keys}),
            )
            .await?;
            Ok(())
        })
    }

    fn list_tags<'a>(&'a self, arn: &'a str) -> Response<'a, Vec<Tag>> {
        Box::pin(async move {
            let v = self
                .call("ListTagsForResource", json!({"resourceArn": arn}))
                .await?;
            Ok(items(&v, "tags")
                .map(|t| Tag::new(text(t, "key"), text(t, "value")))
                .collect())
        })
    }

    fn start_execution(&self, request: StartExecution) -> Response<'_, StartedExecution> {
        Box::pin(async move {
            let mut r = json!({
                "stateMachineArn": request.state_machine_arn,
                "input": request.input,
            });
            if let Some(n) = &request.name {
                r["name"] = json!(n);
            }
            let v = self.call("StartExecution", r).await?;
            Ok(StartedExecution {
                execution_arn: text(&v, "executionArn"),
                start_date: date(&v, "startDate"),
            })
        })
    }

    fn describe_execution<'a>(&'a self, execution_arn: &'a str) -> Response<'a, ExecutionInfo> {
        Box::pin(async move {
            let v = self
                .call("DescribeExecution", json!({"executionArn": execution_arn}))
                .await?;
            Ok(ExecutionInfo {
                execution_arn: text(&v, "executionArn"),
                state_machine_arn: text(&v, "stateMachineArn"),
                name: text(&v, "name"),
                status: ExecutionStatus::parse(v["status"].as_str().unwrap_or_default()),
                start_date: date(&v, "startDate"),
                stop_date: opt_date(&v, "stopDate"),
                input: opt_text(&v, "input"),
                output: opt_text(&v, "output"),
                error: opt_text(&v, "error"),
                cause: opt_text(&v, "cause"),
                redrive_count: v["redriveCount"].as_u64().unwrap_or(0) as u32,
                state_machine_version_arn: opt_text(&v, "stateMachineVersionArn"),
                state_machine_alias_arn: opt_text(&v, "stateMachineAliasArn"),
                map_run_arn: opt_text(&v, "mapRunArn"),
            })
        })
    }

    fn stop_execution<'a>(
        &'a self,
        execution_arn: &'a str,
        error: Option<&'a str>,
        cause: Option<&'a str>,
    ) -> Response<'a, DateTime<Utc>> {
        Box::pin(async move {
            let mut r = json!({"executionArn": execution_arn});
            if let Some(e) = error {
                r["error"] = json!(e);
            }
            if let Some(c) = cause {
                r["cause"] = json!(c);
            }
            let v = self.call("StopExecution", r).await?;
            Ok(date(&v, "stopDate"))
        })
    }

    fn list_executions(&self, request: ListExecutions) -> Response<'_, Page<ExecutionSummary>> {
        Box::pin(async move {
            let mut r = json!({"stateMachineArn": request.state_machine_arn});
            if let Some(s) = request.status_filter {
                r["statusFilter"] = json!(s.as_str());
            }
            page_members(&mut r, &request.page);
            let v = self.call("ListExecutions", r).await?;
            Ok(Page::new(
                items(&v, "executions")
                    .map(|e| ExecutionSummary {
                        execution_arn: text(e, "executionArn"),
                        state_machine_arn: text(e, "stateMachineArn"),
                        name: text(e, "name"),
                        status: ExecutionStatus::parse(e["status"].as_str().unwrap_or_default()),
                        start_date: date(e, "startDate"),
                        stop_date: opt_date(e, "stopDate"),
                    })
                    .collect(),
                next_token(&v),
            ))
        })
    }

    fn get_execution_history(&self, request: GetHistory) -> Response<'_, Page<HistoryEvent>> {
        Box::pin(async move {
            let mut r = json!({
                "executionArn": request.execution_arn,
                "reverseOrder": request.reverse_order,
                "includeExecutionData": request.include_execution_data,
            });
            page_members(&mut r, &request.page);
            let v = self.call("GetExecutionHistory", r).await?;
            Ok(Page::new(
                items(&v, "events").map(event_of).collect(),
                next_token(&v),
            ))
        })
    }

    fn get_activity_task<'a>(
        &'a self,
        activity_arn: &'a str,
        worker_name: Option<&'a str>,
    ) -> Response<'a, Option<ActivityTask>> {
        Box::pin(async move {
            let mut r = json!({"activityArn": activity_arn});
            if let Some(w) = worker_name {
                r["workerName"] = json!(w);
            }
            let v = self.call("GetActivityTask", r).await?;
            Ok(opt_text(&v, "taskToken").map(|task_token| ActivityTask {
                task_token,
                input: text(&v, "input"),
            }))
        })
    }

    fn send_task_success<'a>(&'a self, task_token: &'a str, output: &'a str) -> Response<'a, ()> {
        Box::pin(async move {
            self.call(
                "SendTaskSuccess",
                json!({"taskToken": task_token, "output": output}),
            )
            .await?;
            Ok(())
        })
    }

    fn send_task_failure<'a>(
        &'a self,
        task_token: &'a str,
        error: Option<&'a str>,
        cause: Option<&'a str>,
    ) -> Response<'a, ()> {
        Box::pin(async move {
            let mut r = json!({"taskToken": task_token});
            if let Some(e) = error {
                r["error"] = json!(e);
            }
            if let Some(c) = cause {
                r["cause"] = json!(c);
            }
            self.call("SendTaskFailure", r).await?;
            Ok(())
        })
    }

    fn send_task_heartbeat<'a>(&'a self, task_token: &'a str) -> Response<'a, ()> {
        Box::pin(async move {
            self.call("SendTaskHeartbeat", json!({"taskToken": task_token}))
                .await?;
            Ok(())
        })
    }

    fn watch_execution<'a>(
        &'a self,
        execution_arn: &'a str,
        after_event: i64,
    ) -> Option<BoxFuture<'a, ()>> {
        let run = self.ctx.engine.get_execution(execution_arn).ok()?;
        Some(Box::pin(async move {
            run.changed_after(u64::try_from(after_event).unwrap_or(0))
                .await;
        }))
    }
}

fn activity_of(v: &Value) -> ActivityInfo {
    ActivityInfo {
        activity_arn: text(v, "activityArn"),
        name: text(v, "name"),
        creation_date: date(v, "creationDate"),
    }
}

/// An event as `GetExecutionHistory` writes it: `id`, `previousEventId`, `timestamp`,
/// `type`, and one `…EventDetails` member.
fn event_of(v: &Value) -> HistoryEvent {
    let details = v
        .as_object()
        .and_then(|m| {
            m.iter()
                .find(|(k, _)| k.ends_with("EventDetails"))
                .and_then(|(_, d)| d.as_object().cloned())
        })
        .unwrap_or_default();
    HistoryEvent::new(
        v["id"].as_i64().unwrap_or(0),
        v["previousEventId"].as_i64().unwrap_or(0),
        date(v, "timestamp"),
        text(v, "type"),
        details,
    )
}
