//! Task: input processing, the call (a mock, a Rust handler, an activity's queue, a task
//! token), its timeout and heartbeat, and the result.

use std::{
    borrow::Cow,
    future::Future,
    sync::{Arc, atomic::Ordering},
    time::Duration,
};

use serde_json::Value;
use sfn_core::{
    StatesError,
    error::states,
    eval::{Env, io, retry, task_params, template},
    model::{IntegrationPattern, ResourceKind, TaskState},
    resources::{self, Pattern, Recognized},
};

use super::{
    Entry, Failure, Frame, Run, Step, events::task_events, int_field, nested::Via,
    output::ResultFields, over_limit, retry::RetryState,
};
use crate::{
    activity::TaskFailure,
    local::{
        handlers::{TaskHandler, TaskRequest},
        history::{EventDetails, EventType},
        lock,
        mock::MockResponse,
        tokens::{ActivityTask, TokenOutcome, TokenWait},
    },
};

/// What answers a Task state.
enum Answerer {
    Mock,
    Handler(Arc<dyn TaskHandler>),
    /// `states:startExecution` (or `aws-sdk:sfn:startExecution`): a child execution on
    /// the same engine.
    Nested(Pattern, Via),
    Activity,
    Nothing,
}

/// One attempt of a Task state.
struct Attempt<'a> {
    /// The retries before it (`$$.State.RetryCount`).
    retry_count: u64,
    /// Its task token (`$$.Task.Token`, the activity task's token).
    token: &'a str,
    /// Where its failure came from: the state's own processing, or the task's resource
    /// (set when the resource fails).
    origin: retry::Origin,
}

/// One call of a Task state's resource.
pub(super) struct Call<'a> {
    pub(super) params: Arc<Value>,
    pub(super) timeout: Option<u64>,
    pub(super) heartbeat: Option<u64>,
    pub(super) token: &'a str,
    pub(super) started: EventType,
}

impl Run {
    pub(super) async fn task(
        &self,
        entry: &Entry<'_>,
        t: &TaskState,
        input: Arc<Value>,
        frame: &mut Frame,
    ) -> Result<Step, Failure> {
        let mut retry = RetryState::new(t.retry.as_deref(), t.catch.as_deref());
        loop {
            // Every attempt has its own token (`$$.Task.Token`, the activity task's
            // token): an answer to an earlier attempt gets `TaskTimedOut`.
            let token = uuid::Uuid::new_v4().to_string();
            let mut attempt = Attempt {
                retry_count: retry.count,
                token: &token,
                origin: retry::Origin::State,
            };
            let outcome = self
                .task_attempt(entry, t, &input, frame, &mut attempt)
                .await;
            self.tasks.forget_token(&token);
            let attempt = (outcome, attempt.origin);
            if let Some(step) = self
                .settle(entry, &mut retry, attempt, &input, frame)
                .await?
            {
                return Ok(step);
            }
        }
    }

    /// One attempt: input processing, the call, result processing.
    async fn task_attempt(
        &self,
        entry: &Entry<'_>,
        t: &TaskState,
        input: &Arc<Value>,
        frame: &mut Frame,
        attempt: &mut Attempt<'_>,
    ) -> Result<Step, Failure> {
        let st = entry.st;
        let token = attempt.token;
        let err = |e| self.state_error(entry, e);
        let ctx = if st.context.any {
            let item = frame.map_item.as_ref().map(|(i, v)| (*i, v));
            // `$$.Task.Token` is there for a task that waits (an activity, a `.sync` or
            // `.waitForTaskToken` integration); AWS gives a request-response task or a
            // Lambda function called directly no `Task`.
            let callback = matches!(
                t.resource.kind(),
                ResourceKind::Activity { .. }
                    | ResourceKind::Service {
                        pattern: IntegrationPattern::WaitForTaskToken | IntegrationPattern::Sync,
                        ..
                    }
            );
            let token = callback.then_some(token);
            self.context(entry, &st.context, attempt.retry_count, item, token)
        } else {
            Value::Null
        };
        let (params, timeout, heartbeat) = {
            let scope = Env {
                input,
                context: &ctx,
                variables: &frame.vars,
            };
            if st.jsonata {
                let js = self.jsonata_scope(input, &ctx, &frame.vars);
                let params = match &t.arguments {
                    Some(a) => {
                        Arc::new(template::evaluate_jsonata(a, "Arguments", &js).map_err(err)?)
                    }
                    None => input.clone(),
                };
                self.note(|d| d.after_arguments = Some((*params).clone()));
                let timeout = int_field(
                    t.timeout_seconds.as_ref(),
                    None,
                    "TimeoutSeconds",
                    &scope,
                    Some(&js),
                )
                .map_err(err)?;
                let heartbeat = int_field(
                    t.heartbeat_seconds.as_ref(),
                    None,
                    "HeartbeatSeconds",
                    &scope,
                    Some(&js),
                )
                .map_err(err)?;
                (params, timeout, heartbeat)
            } else {
                let effective = io::effective_input(t.input_path.as_ref(), &scope).map_err(err)?;
                self.note(|d| d.after_input_path = Some(effective.clone().into_owned()));
                let escope = Env {
                    input: &effective,
                    ..scope
                };
                let timeout = int_field(
                    t.timeout_seconds.as_ref(),
                    t.timeout_seconds_path.as_ref(),
                    "TimeoutSecondsPath",
                    &escope,
                    None,
                )
                .map_err(err)?;
                let heartbeat = int_field(
                    t.heartbeat_seconds.as_ref(),
                    t.heartbeat_seconds_path.as_ref(),
                    "HeartbeatSecondsPath",
                    &escope,
                    None,
                )
                .map_err(err)?;
                let params = match (&t.parameters, effective) {
                    (Some(p), eff) => Arc::new(
                        template::evaluate(
                            p,
                            &Env {
                                input: &eff,
                                ..scope
                            },
                        )
                        .map_err(err)?,
                    ),
                    (None, Cow::Borrowed(_)) => input.clone(),
                    (None, Cow::Owned(v)) => Arc::new(v),
                };
                self.note(|d| d.after_parameters = Some((*params).clone()));
                (params, timeout, heartbeat)
            }
        };
        task_params::check(t.resource.as_str(), &params).map_err(err)?;
        let answer = self.answerer(t, &st.name);
        if let Answerer::Activity = answer
            && !self.tasks.activity_exists(t.resource.as_str())
        {
            return Err(err(StatesError::runtime(format!(
                "The activity {} does not exist.",
                t.resource
            ))));
        }
        let (scheduled, started, succeeded, failed, timed_out) = task_events(t);
        self.record(
            frame,
            scheduled,
            EventDetails::TaskScheduled {
                resource_type: st.resource_type.clone(),
                resource: st.resource.clone(),
                region: self.engine.arns.region().clone(),
                parameters: params.clone(),
                timeout_seconds: timeout,
                heartbeat_seconds: heartbeat,
            },
        )?;
        let outcome = self
            .invoke(
                entry,
                t,
                answer,
                Call {
                    params,
                    timeout,
                    heartbeat,
                    token,
                    started,
                },
                frame,
            )
            .await;
        let outcome = outcome.and_then(|v| {
            if over_limit(&v) {
                // AWS names a service integration by its service (`lambda`), any other
                // resource by its ARN.
                let who = match t.resource.kind() {
                    ResourceKind::Service { .. } => st.resource_type.to_string(),
                    _ => t.resource.to_string(),
                };
                Err(Failure::new(
                    states::DATA_LIMIT_EXCEEDED,
                    Some(format!(
                        "The state/task '{who}' returned a result with a size exceeding the maximum number of bytes service limit."
                    )),
                ))
            } else {
                Ok(v)
            }
        });
        let result = match outcome {
            Ok(v) => v,
            Err(Failure::Error { error, cause }) => {
                let ty = if error == states::TIMEOUT || error == states::HEARTBEAT_TIMEOUT {
                    timed_out
                } else {
                    failed
                };
                self.record(
                    frame,
                    ty,
                    EventDetails::TaskFailed {
                        resource_type: st.resource_type.clone(),
                        resource: st.resource.clone(),
                        error: Failure::reported(&error),
                        cause: cause.clone(),
                    },
                )?;
                attempt.origin = retry::Origin::Task;
                return Err(Failure::Error { error, cause });
            }
            Err(other) => return Err(other),
        };
        self.note(|d| d.result = Some(result.clone()));
        let result = Arc::new(result);
        // Measured above: a result that becomes the output as it is is not measured again.
        frame.verified = Some(result.clone());
        self.record(
            frame,
            succeeded,
            EventDetails::TaskSucceeded {
                resource_type: st.resource_type.clone(),
                resource: st.resource.clone(),
                output: result.clone(),
            },
        )?;
        self.finish_result(
            entry,
            ResultFields::from(t),
            input.clone(),
            result,
            &ctx,
            frame,
        )
    }

    /// What answers a Task state: its mocked responses, then a handler registered for
    /// its resource (or for the resource without its `.sync`/`.waitForTaskToken`
    /// suffix), then, for `states:startExecution`, a child execution, then, for an
    /// activity, the activity's queue.
    fn answerer(&self, t: &TaskState, state: &str) -> Answerer {
        if self.mocks.as_ref().is_some_and(|m| m.get(state).is_some()) {
            return Answerer::Mock;
        }
        if let Some(h) = self.handlers.find(&t.resource) {
            return Answerer::Handler(h);
        }
        match resources::recognize(t.resource.as_str()) {
            Ok(Recognized::Optimized {
                integration,
                pattern,
            }) if (integration.service, integration.action) == ("states", "startExecution") => {
                return Answerer::Nested(pattern, Via::Optimized);
            }
            Ok(Recognized::Sdk {
                service: "sfn",
                action: "startExecution",
                pattern,
            }) => return Answerer::Nested(pattern, Via::Sdk),
            _ => {}
        }
        if let ResourceKind::Activity { .. } = t.resource.kind() {
            return Answerer::Activity;
        }
        Answerer::Nothing
    }

    /// Calls the task's resource; with its timeout and heartbeat.
    async fn invoke(
        &self,
        entry: &Entry<'_>,
        t: &TaskState,
        answer: Answerer,
        call: Call<'_>,
        frame: &mut Frame,
    ) -> Result<Value, Failure> {
        let st = entry.st;
        let started_details = || EventDetails::TaskStarted {
            resource_type: st.resource_type.clone(),
            resource: st.resource.clone(),
        };
        let timeout = call.timeout.map(Duration::from_secs);
        let heartbeat = call.heartbeat.map(Duration::from_secs);
        let pattern = match t.resource.kind() {
            ResourceKind::Service { pattern, .. } => pattern,
            _ => IntegrationPattern::RequestResponse,
        };
        match answer {
            Answerer::Mock => {
                let Some(responses) = self.mocks.as_ref().and_then(|m| m.get(&st.name)) else {
                    return Err(Failure::new(states::RUNTIME, None));
                };
                let n = {
                    let mut counts = lock(&self.mock_counts);
                    let c = counts.entry(st.name.clone()).or_insert(0);
                    *c += 1;
                    *c - 1
                };
                self.record(frame, call.started, started_details())?;
                match responses.response(n) {
                    Some(MockResponse::Return(v)) => Ok(v.clone()),
                    Some(MockResponse::Throw { error, cause }) => {
                        Err(Failure::new(error.clone(), cause.clone()))
                    }
                    None => Err(Failure::new(
                        states::TASK_FAILED,
                        Some(format!(
                            "The mock for the state '{}' has no responses",
                            st.name
                        )),
                    )),
                }
            }
            Answerer::Handler(handler) => {
                // A handler serving an activity (`LocalEngine::serve_activity`) works as a
                // worker in the same process: its token takes heartbeats, and
                // `HeartbeatSeconds` holds.
                let activity = matches!(t.resource.kind(), ResourceKind::Activity { .. });
                let started = if activity {
                    EventDetails::ActivityStarted { worker_name: None }
                } else {
                    started_details()
                };
                self.record(frame, call.started, started)?;
                let wait_for_token = pattern == IntegrationPattern::WaitForTaskToken;
                let mut wait = (wait_for_token || activity)
                    .then(|| self.tasks.register_token(call.token, &self.cancel));
                let beats = wait.as_ref().map(|w| w.heartbeat.clone());
                let request = TaskRequest {
                    resource: t.resource.to_string(),
                    state_name: st.name.to_string(),
                    execution_arn: self.execution_arn.to_string(),
                    input: (*call.params).clone(),
                    task_token: Some(call.token.to_owned()),
                    integration_pattern: pattern,
                };
                let history = frame.history.clone();
                // The events recorded while the call is out follow this thread's own
                // last event, not whatever a sibling branch recorded last.
                let last = std::sync::atomic::AtomicU64::new(frame.last);
                let run = async {
                    let call = handler.call(request);
                    let direct = match (&beats, activity) {
                        (Some(beats), true) => self.with_heartbeat(call, beats, heartbeat).await,
                        _ => call.await,
                    }
                    .map_err(|f| Failure::new(f.error, f.cause))?;
                    if !wait_for_token {
                        return Ok(direct);
                    }
                    let Some(wait) = wait.as_mut() else {
                        return Ok(direct);
                    };
                    // The call went out; now the task waits for its token.
                    {
                        if self.stopped.is_set() {
                            return Err(Failure::Aborted);
                        }
                        let now = self.now();
                        let id = lock(&history)
                            .push(
                                last.load(Ordering::Acquire),
                                now,
                                EventType::TaskSubmitted,
                                EventDetails::TaskSucceeded {
                                    resource_type: st.resource_type.clone(),
                                    resource: st.resource.clone(),
                                    output: Arc::new(direct),
                                },
                            )
                            .map_err(|_| Failure::HistoryFull)?;
                        last.store(id, Ordering::Release);
                    }
                    self.wait_for_token(wait, heartbeat).await
                };
                let r = self.with_timeout(run, timeout).await;
                frame.last = last.load(Ordering::Acquire);
                r
            }
            Answerer::Nested(pattern, via) => self.nested(entry, (pattern, via), call, frame).await,
            Answerer::Activity => {
                let arn = t.resource.as_str();
                let mut wait = self.tasks.register_token(call.token, &self.cancel);
                if !self.tasks.enqueue(
                    arn,
                    ActivityTask {
                        task_token: call.token.to_owned(),
                        input: (*call.params).clone(),
                    },
                ) {
                    return Err(self.state_error(
                        entry,
                        StatesError::runtime(format!("The activity {arn} does not exist.")),
                    ));
                }
                let history = frame.history.clone();
                let last = std::sync::atomic::AtomicU64::new(frame.last);
                let run = async {
                    // Wait for a worker to take it, then for its answer.
                    let worker_name = match (&mut wait.started).await {
                        Ok(name) => name,
                        Err(_) => {
                            return Err(Failure::new(
                                states::TASK_FAILED,
                                Some("The activity task was dropped".into()),
                            ));
                        }
                    };
                    {
                        if self.stopped.is_set() {
                            return Err(Failure::Aborted);
                        }
                        let now = self.now();
                        let id = lock(&history)
                            .push(
                                last.load(Ordering::Acquire),
                                now,
                                call.started,
                                EventDetails::ActivityStarted { worker_name },
                            )
                            .map_err(|_| Failure::HistoryFull)?;
                        last.store(id, Ordering::Release);
                    }
                    self.wait_for_token(&mut wait, heartbeat).await
                };
                let r = self.with_timeout(run, timeout).await;
                frame.last = last.load(Ordering::Acquire);
                r
            }
            Answerer::Nothing => Err(Failure::new(
                states::RUNTIME,
                Some(format!(
                    "An error occurred while executing the state '{}' (entered at the event id #{}). No mock, handler or activity answers the resource '{}'.",
                    st.name, entry.event_id, t.resource
                )),
            )),
        }
    }

    /// Waits for a token's answer; `HeartbeatSeconds` without a heartbeat fails it with
    /// `States.HeartbeatTimeout`.
    pub(super) async fn wait_for_token(
        &self,
        wait: &mut TokenWait,
        heartbeat: Option<Duration>,
    ) -> Result<Value, Failure> {
        loop {
            let beat = wait.heartbeat.notified();
            let hb = async {
                match heartbeat {
                    Some(h) => self.clock.sleep(h).await,
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                biased;
                r = &mut wait.outcome => return match r {
                    Ok(TokenOutcome::Success(v)) => Ok(v),
                    Ok(TokenOutcome::Failure(TaskFailure { error, cause })) => {
                        Err(Failure::new(error, cause))
                    }
                    Err(_) => Err(Failure::new(
                        states::TASK_FAILED,
                        Some("The task token was dropped".into()),
                    )),
                },
                _ = beat => continue,
                _ = hb => return Err(Failure::new(states::HEARTBEAT_TIMEOUT, None)),
            }
        }
    }

    /// Runs a handler's call; `HeartbeatSeconds` without a heartbeat on its token fails
    /// it with `States.HeartbeatTimeout`.
    async fn with_heartbeat(
        &self,
        call: crate::activity::BoxFuture<'static, Result<Value, TaskFailure>>,
        beats: &tokio::sync::Notify,
        heartbeat: Option<Duration>,
    ) -> Result<Value, TaskFailure> {
        tokio::pin!(call);
        loop {
            let beat = beats.notified();
            let hb = async {
                match heartbeat {
                    Some(h) => self.clock.sleep(h).await,
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                biased;
                r = &mut call => return r,
                _ = beat => continue,
                _ = hb => return Err(TaskFailure { error: states::HEARTBEAT_TIMEOUT.to_owned(), cause: None }),
            }
        }
    }

    pub(super) async fn with_timeout<F>(
        &self,
        fut: F,
        timeout: Option<Duration>,
    ) -> Result<Value, Failure>
    where
        F: Future<Output = Result<Value, Failure>>,
    {
        let timer = async {
            match timeout {
                Some(d) => self.clock.sleep(d).await,
                None => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            biased;
            r = fut => r,
            _ = self.cancel.cancelled() => Err(Failure::Aborted),
            _ = timer => Err(Failure::new(states::TIMEOUT, None)),
        }
    }
}
