//! [`AwsBackend`]: each operation of the [`Backend`] trait is the SDK operation of the
//! same name, its answer converted into the client's types.

use aws_sdk_sfn::types as sdk;
use chrono::{DateTime, Utc};

use super::{
    convert::{
        date, logging_of, logging_to_sdk, max_results, opt_date, sdk_error, tags_of, tags_to_sdk,
        tracing_to_sdk, type_of, type_to_sdk,
    },
    history::event_of,
};
use crate::client::{
    ActivityInfo, ActivityTask, Backend, BackendKind, CreateStateMachine, CreatedStateMachine,
    ExecutionInfo, ExecutionStatus, ExecutionSummary, GetHistory, HistoryEvent, ListExecutions,
    Page, PageRequest, Response, StartExecution, StartedExecution, StateMachineInfo,
    StateMachineSummary, Tag, UpdateStateMachine, UpdatedStateMachine,
};

/// AWS Step Functions, or any endpoint that speaks its API (`sfn serve`), as a
/// [`Backend`], over an [`aws_sdk_sfn::Client`].
///
/// The service's exceptions become the same [`Error`](crate::client::Error) variants the
/// embedded engine answers with; a call that does not reach the service, or whose answer
/// cannot be read, is [`Error::Transport`](crate::client::Error::Transport).
#[derive(Debug, Clone)]
pub struct AwsBackend {
    client: aws_sdk_sfn::Client,
}

impl AwsBackend {
    /// The back end over `client`.
    pub fn new(client: aws_sdk_sfn::Client) -> Self {
        AwsBackend { client }
    }

    /// The SDK client, for the operations the [`Backend`] trait does not cover.
    pub fn client(&self) -> &aws_sdk_sfn::Client {
        &self.client
    }
}

impl From<aws_sdk_sfn::Client> for AwsBackend {
    fn from(client: aws_sdk_sfn::Client) -> Self {
        AwsBackend::new(client)
    }
}

/// The text of `s`, or none when it is empty (the SDK reads a missing required member as
/// empty).
fn non_empty(s: Option<&str>) -> Option<String> {
    s.filter(|s| !s.is_empty()).map(str::to_owned)
}

fn activity_info(
    arn: &str,
    name: &str,
    created: &aws_sdk_sfn::primitives::DateTime,
) -> ActivityInfo {
    ActivityInfo {
        activity_arn: arn.to_owned(),
        name: name.to_owned(),
        creation_date: date(created),
    }
}

impl Backend for AwsBackend {
    fn kind(&self) -> BackendKind {
        BackendKind::Aws
    }

    fn create_activity<'a>(&'a self, name: &'a str, tags: &'a [Tag]) -> Response<'a, String> {
        Box::pin(async move {
            let mut call = self.client.create_activity().name(name);
            if !tags.is_empty() {
                call = call.set_tags(Some(tags_to_sdk(tags)));
            }
            let out = call.send().await.map_err(sdk_error)?;
            Ok(out.activity_arn().to_owned())
        })
    }

    fn delete_activity<'a>(&'a self, activity_arn: &'a str) -> Response<'a, ()> {
        Box::pin(async move {
            self.client
                .delete_activity()
                .activity_arn(activity_arn)
                .send()
                .await
                .map_err(sdk_error)?;
            Ok(())
        })
    }

    fn describe_activity<'a>(&'a self, activity_arn: &'a str) -> Response<'a, ActivityInfo> {
        Box::pin(async move {
            let out = self
                .client
                .describe_activity()
                .activity_arn(activity_arn)
                .send()
                .await
                .map_err(sdk_error)?;
            Ok(activity_info(
                out.activity_arn(),
                out.name(),
                out.creation_date(),
            ))
        })
    }

    fn list_activities(&self, page: PageRequest) -> Response<'_, Page<ActivityInfo>> {
        Box::pin(async move {
            let out = self
                .client
                .list_activities()
                .set_max_results(max_results(page.max_results))
                .set_next_token(page.next_token)
                .send()
                .await
                .map_err(sdk_error)?;
            Ok(Page::new(
                out.activities()
                    .iter()
                    .map(|a| activity_info(a.activity_arn(), a.name(), a.creation_date()))
                    .collect(),
                non_empty(out.next_token()),
            ))
        })
    }

    fn create_state_machine(
        &self,
        request: CreateStateMachine,
    ) -> Response<'_, CreatedStateMachine> {
        Box::pin(async move {
            let mut call = self
                .client
                .create_state_machine()
                .name(request.name)
                .definition(request.definition)
                .role_arn(request.role_arn)
                .r#type(type_to_sdk(request.machine_type))
                .set_logging_configuration(request.logging.as_ref().map(logging_to_sdk))
                .set_version_description(request.version_description);
            if request.tracing {
                call = call.tracing_configuration(tracing_to_sdk(true));
            }
            if !request.tags.is_empty() {
                call = call.set_tags(Some(tags_to_sdk(&request.tags)));
            }
            if request.publish {
                call = call.publish(true);
            }
            let out = call.send().await.map_err(sdk_error)?;
            Ok(CreatedStateMachine {
                state_machine_arn: out.state_machine_arn().to_owned(),
                creation_date: date(out.creation_date()),
                state_machine_version_arn: non_empty(out.state_machine_version_arn()),
            })
        })
    }

    fn update_state_machine(
        &self,
        request: UpdateStateMachine,
    ) -> Response<'_, UpdatedStateMachine> {
        Box::pin(async move {
            let mut call = self
                .client
                .update_state_machine()
                .state_machine_arn(request.state_machine_arn)
                .set_definition(request.definition)
                .set_role_arn(request.role_arn)
                .set_logging_configuration(request.logging.as_ref().map(logging_to_sdk))
                .set_tracing_configuration(request.tracing.map(tracing_to_sdk))
                .set_version_description(request.version_description);
            if request.publish {
                call = call.publish(true);
            }
            let out = call.send().await.map_err(sdk_error)?;
            Ok(UpdatedStateMachine {
                update_date: date(out.update_date()),
                revision_id: non_empty(out.revision_id()),
                state_machine_version_arn: non_empty(out.state_machine_version_arn()),
            })
        })
    }

    fn describe_state_machine<'a>(
        &'a self,
        state_machine_arn: &'a str,
    ) -> Response<'a, StateMachineInfo> {
        Box::pin(async move {
            let out = self
                .client
                .describe_state_machine()
                .state_machine_arn(state_machine_arn)
                .send()
                .await
                .map_err(sdk_error)?;
            Ok(StateMachineInfo {
                state_machine_arn: out.state_machine_arn().to_owned(),
                name: out.name().to_owned(),
                status: out.status().map(|s| s.as_str().to_owned()),
                definition: out.definition().to_owned(),
                role_arn: out.role_arn().to_owned(),
                machine_type: type_of(out.r#type()),
                creation_date: date(out.creation_date()),
                logging: logging_of(out.logging_configuration()),
                tracing: out.tracing_configuration().is_some_and(|t| t.enabled()),
                revision_id: non_empty(out.revision_id()),
                description: non_empty(out.description()),
            })
        })
    }

    fn delete_state_machine<'a>(&'a self, state_machine_arn: &'a str) -> Response<'a, ()> {
        Box::pin(async move {
            self.client
                .delete_state_machine()
                .state_machine_arn(state_machine_arn)
                .send()
                .await
                .map_err(sdk_error)?;
            Ok(())
        })
    }

    fn list_state_machines(&self, page: PageRequest) -> Response<'_, Page<StateMachineSummary>> {
        Box::pin(async move {
            let out = self
                .client
                .list_state_machines()
                .set_max_results(max_results(page.max_results))
                .set_next_token(page.next_token)
                .send()
                .await
                .map_err(sdk_error)?;
            Ok(Page::new(
                out.state_machines()
                    .iter()
                    .map(|m| StateMachineSummary {
                        state_machine_arn: m.state_machine_arn().to_owned(),
                        name: m.name().to_owned(),
                        machine_type: type_of(m.r#type()),
                        creation_date: date(m.creation_date()),
                    })
                    .collect(),
                non_empty(out.next_token()),
            ))
        })
    }

    fn tag_resource<'a>(&'a self, arn: &'a str, tags: &'a [Tag]) -> Response<'a, ()> {
        Box::pin(async move {
            self.client
                .tag_resource()
                .resource_arn(arn)
                .set_tags(Some(tags_to_sdk(tags)))
                .send()
                .await
                .map_err(sdk_error)?;
            Ok(())
        })
    }

    fn untag_resource<'a>(&'a self, arn: &'a str, keys: &'a [String]) -> Response<'a, ()> {
        Box::pin(async move {
            self.client
                .untag_resource()
                .resource_arn(arn)
                .set_tag_keys(Some(keys.to_vec()))
                .send()
                .await
                .map_err(sdk_error)?;
            Ok(())
        })
    }

    fn list_tags<'a>(&'a self, arn: &'a str) -> Response<'a, Vec<Tag>> {
        Box::pin(async move {
            let out = self
                .client
                .list_tags_for_resource()
                .resource_arn(arn)
                .send()
                .await
                .map_err(sdk_error)?;
            Ok(tags_of(out.tags()))
        })
    }

    fn start_execution(&self, request: StartExecution) -> Response<'_, StartedExecution> {
        Box::pin(async move {
            let out = self
                .client
                .start_execution()
                .state_machine_arn(request.state_machine_arn)
                .set_name(request.name)
                .input(request.input)
                .send()
                .await
                .map_err(sdk_error)?;
            Ok(StartedExecution {
                execution_arn: out.execution_arn().to_owned(),
                start_date: date(out.start_date()),
            })
        })
    }

    fn describe_execution<'a>(&'a self, execution_arn: &'a str) -> Response<'a, ExecutionInfo> {
        Box::pin(async move {
            let out = self
                .client
                .describe_execution()
                .execution_arn(execution_arn)
                .send()
                .await
                .map_err(sdk_error)?;
            Ok(ExecutionInfo {
                execution_arn: out.execution_arn().to_owned(),
                state_machine_arn: out.state_machine_arn().to_owned(),
                name: out.name().unwrap_or_default().to_owned(),
                status: ExecutionStatus::parse(out.status().as_str()),
                start_date: date(out.start_date()),
                stop_date: opt_date(out.stop_date()),
                input: out.input().map(str::to_owned),
                output: out.output().map(str::to_owned),
                error: out.error().map(str::to_owned),
                cause: out.cause().map(str::to_owned),
                redrive_count: out
                    .redrive_count()
                    .and_then(|n| u32::try_from(n).ok())
                    .unwrap_or(0),
                state_machine_version_arn: non_empty(out.state_machine_version_arn()),
                state_machine_alias_arn: non_empty(out.state_machine_alias_arn()),
                map_run_arn: non_empty(out.map_run_arn()),
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
            let out = self
                .client
                .stop_execution()
                .execution_arn(execution_arn)
                .set_error(error.map(str::to_owned))
                .set_cause(cause.map(str::to_owned))
                .send()
                .await
                .map_err(sdk_error)?;
            Ok(date(out.stop_date()))
        })
    }

    fn list_executions(&self, request: ListExecutions) -> Response<'_, Page<ExecutionSummary>> {
        Box::pin(async move {
            let out = self
                .client
                .list_executions()
                .state_machine_arn(request.state_machine_arn)
                .set_status_filter(
                    request
                        .status_filter
                        .map(|s| sdk::ExecutionStatus::from(s.as_str())),
                )
                .set_max_results(max_results(request.page.max_results))
                .set_next_token(request.page.next_token)
                .send()
                .await
                .map_err(sdk_error)?;
            Ok(Page::new(
                out.executions()
                    .iter()
                    .map(|e| ExecutionSummary {
                        execution_arn: e.execution_arn().to_owned(),
                        state_machine_arn: e.state_machine_arn().to_owned(),
                        name: e.name().to_owned(),
                        status: ExecutionStatus::parse(e.status().as_str()),
                        start_date: date(e.start_date()),
                        stop_date: opt_date(e.stop_date()),
                    })
                    .collect(),
                non_empty(out.next_token()),
            ))
        })
    }

    fn get_execution_history(&self, request: GetHistory) -> Response<'_, Page<HistoryEvent>> {
        Box::pin(async move {
            let out = self
                .client
                .get_execution_history()
                .execution_arn(request.execution_arn)
                .reverse_order(request.reverse_order)
                .include_execution_data(request.include_execution_data)
                .set_max_results(max_results(request.page.max_results))
                .set_next_token(request.page.next_token)
                .send()
                .await
                .map_err(sdk_error)?;
            Ok(Page::new(
                out.events().iter().map(event_of).collect(),
                non_empty(out.next_token()),
            ))
        })
    }

    fn get_activity_task<'a>(
        &'a self,
        activity_arn: &'a str,
        worker_name: Option<&'a str>,
    ) -> Response<'a, Option<ActivityTask>> {
        Box::pin(async move {
            let out = self
                .client
                .get_activity_task()
                .activity_arn(activity_arn)
                .set_worker_name(worker_name.map(str::to_owned))
                .send()
                .await
                .map_err(sdk_error)?;
            Ok(non_empty(out.task_token()).map(|task_token| ActivityTask {
                task_token,
                input: out.input().unwrap_or_default().to_owned(),
            }))
        })
    }

    fn send_task_success<'a>(&'a self, task_token: &'a str, output: &'a str) -> Response<'a, ()> {
        Box::pin(async move {
            self.client
                .send_task_success()
                .task_token(task_token)
                .output(output)
                .send()
                .await
                .map_err(sdk_error)?;
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
            self.client
                .send_task_failure()
                .task_token(task_token)
                .set_error(error.map(str::to_owned))
                .set_cause(cause.map(str::to_owned))
                .send()
                .await
                .map_err(sdk_error)?;
            Ok(())
        })
    }

    fn send_task_heartbeat<'a>(&'a self, task_token: &'a str) -> Response<'a, ()> {
        Box::pin(async move {
            self.client
                .send_task_heartbeat()
                .task_token(task_token)
                .send()
                .await
                .map_err(sdk_error)?;
            Ok(())
        })
    }
}
