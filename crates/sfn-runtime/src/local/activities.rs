//! Activities: created, deleted and listed; their tasks polled by workers and answered
//! with `SendTaskSuccess`, `SendTaskFailure` and `SendTaskHeartbeat`; or served in this
//! process ([`LocalEngine::serve_activity`]).

use std::{
    sync::{Arc, Weak},
    time::Duration,
};

use serde_json::Value;
use sfn_core::{eval::limits, names::NameError};
use tokio_util::sync::CancellationToken;

use super::{
    ActivityTask, Error, ExecutionStatus, LocalEngine, TaskRequest,
    engine::{Inner, check_name},
    lock,
    tokens::{Tasks, TokenOutcome},
};
use crate::activity::{
    Activity, BoxFuture, ExecutionInfo, HeartbeatError, StopError, TaskContext, TaskControl,
    TaskFailure,
};

/// What [`LocalEngine::serve_activity_with`] does to each task's context before the
/// handler gets it.
pub(crate) type ContextHook = Arc<dyn Fn(TaskContext) -> TaskContext + Send + Sync>;

/// How an activity served in-process ([`LocalEngine::serve_activity`]) reaches the
/// engine: heartbeats on its token, and whether its task is over.
struct EngineControl {
    tasks: Arc<Tasks>,
    engine: Weak<Inner>,
    token: String,
    done: CancellationToken,
}

impl TaskControl for EngineControl {
    fn heartbeat(&self) -> BoxFuture<'_, Result<(), HeartbeatError>> {
        let r = self
            .tasks
            .heartbeat(&self.token)
            .map_err(|e| HeartbeatError::TaskGone(e.to_string()));
        Box::pin(std::future::ready(r))
    }

    fn is_stopping(&self) -> bool {
        self.done.is_cancelled()
    }

    fn stopping(&self) -> BoxFuture<'_, ()> {
        Box::pin(self.done.cancelled())
    }

    fn is_cancelled(&self) -> bool {
        self.done.is_cancelled()
    }

    fn cancelled(&self) -> BoxFuture<'_, ()> {
        Box::pin(self.done.cancelled())
    }

    /// Stops the execution on this engine and waits for it to end. A task stopping its
    /// own execution is dropped by the interpreter once the execution is aborted, so the
    /// wait ends there for it.
    fn stop_execution<'a>(
        &'a self,
        execution_arn: &'a str,
        error: Option<&'a str>,
        cause: Option<&'a str>,
        wait: Duration,
    ) -> BoxFuture<'a, Result<(), StopError>> {
        Box::pin(async move {
            let service = |message: String| StopError::Service {
                execution_arn: execution_arn.to_owned(),
                message,
            };
            let Some(inner) = self.engine.upgrade() else {
                return Err(service("the engine is gone".to_owned()));
            };
            let engine = LocalEngine { inner };
            let run = engine.get_execution(execution_arn).map_err(|e| match e {
                Error::ExecutionDoesNotExist { .. } => StopError::ExecutionDoesNotExist {
                    execution_arn: execution_arn.to_owned(),
                    message: e.to_string(),
                },
                e => service(e.to_string()),
            })?;
            if run.describe().status != ExecutionStatus::Running {
                return Ok(());
            }
            run.stop(error.map(str::to_owned), cause.map(str::to_owned))
                .map_err(|e| service(e.to_string()))?;
            match tokio::time::timeout(wait, run.wait()).await {
                Ok(Ok(_)) => Ok(()),
                Ok(Err(e)) => Err(service(e.to_string())),
                Err(_) => Err(StopError::TimedOut {
                    execution_arn: execution_arn.to_owned(),
                    waited: wait,
                }),
            }
        })
    }
}

impl LocalEngine {
    /// Answers the tasks of `activity` in this process: creates the activity (named
    /// [`Activity::name`]) and registers a handler for its ARN that runs
    /// [`Activity::call`] on each task's input. The handler's [`TaskContext`] carries the
    /// task token and the execution; its heartbeats go to this engine
    /// ([`send_task_heartbeat`](Self::send_task_heartbeat)), so `HeartbeatSeconds` holds
    /// as it does for a worker, and it reports stopping once the task is over. Returns
    /// the activity's ARN.
    ///
    /// `#[activity]` functions are activities: `engine.serve_activity(&add)`.
    ///
    /// # Errors
    ///
    /// As [`create_activity`](Self::create_activity).
    pub fn serve_activity(&self, activity: &'static dyn Activity) -> Result<String, Error> {
        self.serve_activity_with(activity, Arc::new(|ctx| ctx))
    }

    /// [`serve_activity`](Self::serve_activity), `hook` applied to each task's context
    /// (to hand it a state-data store, for one).
    pub(crate) fn serve_activity_with(
        &self,
        activity: &'static dyn Activity,
        hook: ContextHook,
    ) -> Result<String, Error> {
        let arn = self.create_activity(activity.name())?;
        let tasks = Arc::downgrade(&self.inner.tasks);
        let machines = Arc::downgrade(&self.inner);
        self.register_handler(arn.clone(), move |req: TaskRequest| {
            let tasks = tasks.clone();
            let machines = machines.clone();
            let hook = hook.clone();
            async move {
                let token = req.task_token.clone().unwrap_or_default();
                let Some(tasks) = tasks.upgrade() else {
                    return Err(TaskFailure::new(
                        sfn_core::error::states::TASK_FAILED,
                        "the engine is gone",
                    ));
                };
                // A token that is not outstanding is over already.
                let done = tasks.token_done(&token).unwrap_or_else(|| {
                    let t = CancellationToken::new();
                    t.cancel();
                    t
                });
                let execution = ExecutionInfo {
                    state_machine_arn: machines
                        .upgrade()
                        .and_then(|inner| lock(&inner.executions).get(&req.execution_arn).cloned())
                        .map(|e| e.machine_arn.clone()),
                    execution_arn: Some(req.execution_arn),
                    state_name: Some(req.state_name),
                };
                let control = Arc::new(EngineControl {
                    tasks,
                    engine: machines.clone(),
                    token: token.clone(),
                    done,
                });
                let ctx = hook(TaskContext::new(token, activity.name(), execution, control));
                // A task that stopped its own execution (`TaskContext::stop_execution`)
                // reports nothing: the interpreter drops this call once the execution is
                // aborted, before the handler returns.
                activity
                    .call(req.input, ctx)
                    .await
                    .map_err(|f| TaskFailure {
                        cause: f.cause.filter(|c| !c.is_empty()),
                        ..f
                    })
            }
        });
        Ok(arn)
    }

    /// Creates an activity (or finds it) and returns its ARN.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidName`].
    pub fn create_activity(&self, name: &str) -> Result<String, Error> {
        check_name(name)?;
        let arn = self.inner.arns.activity(name);
        self.inner.tasks.create_activity(&arn);
        Ok(arn)
    }

    /// Deletes an activity.
    ///
    /// # Errors
    ///
    /// [`Error::ActivityDoesNotExist`].
    pub fn delete_activity(&self, arn: &str) -> Result<(), Error> {
        if self.inner.tasks.delete_activity(arn) {
            Ok(())
        } else {
            Err(Error::ActivityDoesNotExist {
                arn: arn.to_owned(),
            })
        }
    }

    /// The ARNs of the activities.
    pub fn list_activities(&self) -> Vec<String> {
        self.inner.tasks.activity_arns()
    }

    /// Takes a task from an activity, waiting up to `wait` on the engine's clock.
    /// `None` when no task came.
    ///
    /// # Errors
    ///
    /// [`Error::ActivityDoesNotExist`].
    pub async fn get_activity_task(
        &self,
        activity_arn: &str,
        wait: Duration,
    ) -> Result<Option<ActivityTask>, Error> {
        self.inner
            .tasks
            .poll(activity_arn, None, wait, &*self.inner.clock)
            .await
    }

    /// `GetActivityTask`: takes a task from an activity for the worker `worker_name`
    /// (recorded as `ActivityStarted`'s `workerName`), holding the call up to the
    /// activity poll timeout ([`set_activity_poll_timeout`](Self::set_activity_poll_timeout);
    /// 60 seconds, as on AWS) on the engine's clock. `None` when no task came.
    ///
    /// # Errors
    ///
    /// [`Error::ActivityDoesNotExist`], [`Error::InvalidName`] (a worker name over 80
    /// characters).
    pub async fn poll_activity_task(
        &self,
        activity_arn: &str,
        worker_name: Option<&str>,
    ) -> Result<Option<ActivityTask>, Error> {
        if let Some(w) = worker_name
            && w.chars().count() > 80
        {
            return Err(Error::InvalidName {
                name: w.to_owned(),
                reason: NameError::TooLong {
                    len: w.chars().count(),
                    max: 80,
                },
            });
        }
        let wait = self.activity_poll_timeout();
        self.inner
            .tasks
            .poll(activity_arn, worker_name, wait, &*self.inner.clock)
            .await
    }

    /// How long [`poll_activity_task`](Self::poll_activity_task) holds a call when no
    /// task comes.
    pub fn activity_poll_timeout(&self) -> Duration {
        Duration::from_micros(
            self.inner
                .activity_poll_micros
                .load(std::sync::atomic::Ordering::Relaxed),
        )
    }

    /// Sets how long [`poll_activity_task`](Self::poll_activity_task) holds a call when
    /// no task comes (60 seconds by default, as AWS holds `GetActivityTask`).
    pub fn set_activity_poll_timeout(&self, timeout: Duration) {
        let micros = u64::try_from(timeout.as_micros()).unwrap_or(u64::MAX);
        self.inner
            .activity_poll_micros
            .store(micros, std::sync::atomic::Ordering::Relaxed);
    }

    /// Completes a task (activity or `.waitForTaskToken`) with its output.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidToken`], [`Error::TaskTimedOut`], [`Error::InvalidOutput`] (over
    /// 256 KiB).
    pub fn send_task_success(&self, task_token: &str, output: Value) -> Result<(), Error> {
        if limits::exceeds_limit(&output) {
            return Err(Error::InvalidOutput {
                message: format!(
                    "the output is larger than {} bytes",
                    limits::MAX_PAYLOAD_BYTES
                ),
            });
        }
        self.inner
            .tasks
            .complete(task_token, TokenOutcome::Success(output))
    }

    /// Fails a task.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidToken`], [`Error::TaskTimedOut`].
    pub fn send_task_failure(
        &self,
        task_token: &str,
        error: Option<String>,
        cause: Option<String>,
    ) -> Result<(), Error> {
        let failure = TaskFailure {
            error: error.unwrap_or_default(),
            cause,
        };
        self.inner
            .tasks
            .complete(task_token, TokenOutcome::Failure(failure))
    }

    /// Reports that a task is still being worked on.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidToken`].
    pub fn send_task_heartbeat(&self, task_token: &str) -> Result<(), Error> {
        self.inner.tasks.heartbeat(task_token)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::local::{ExecutionStatus, StartExecution};
    #[tokio::test]
    async fn stop_with_an_activity_outstanding() -> Result<(), Error> {
        let engine = LocalEngine::new();
        let activity = engine.create_activity("work")?;
        let def = format!(
            r#"{{"StartAt": "A", "States": {{"A": {{"Type": "Task", "Resource": "{activity}", "End": true}}}}}}"#
        );
        let arn = engine.create_state_machine_json("act", &def)?;
        let run = engine
            .start_execution(&arn, StartExecution::new(json!({"x": 1})).name("one"))
            .await?;
        let task = engine
            .get_activity_task(&activity, Duration::from_secs(5))
            .await?;
        assert!(task.is_some());
        run.stop(Some("Stopped".into()), None)?;
        let done = run.wait().await?;
        assert_eq!(done.status, ExecutionStatus::Aborted);
        assert!(
            engine
                .start_execution(&arn, StartExecution::new(json!({})).name("one"))
                .await
                .is_err()
        );
        Ok(())
    }

    #[tokio::test]
    async fn activity_round_trip() -> Result<(), Error> {
        let engine = LocalEngine::new();
        let activity = engine.create_activity("add")?;
        let def = format!(
            r#"{{"StartAt": "A", "States": {{"A": {{"Type": "Task", "Resource": "{activity}", "HeartbeatSeconds": 5, "End": true}}}}}}"#
        );
        let arn = engine.create_state_machine_json("adder", &def)?;
        let run = engine
            .start_execution(&arn, StartExecution::new(json!({"a": 1, "b": 2})))
            .await?;
        let task = engine
            .get_activity_task(&activity, Duration::from_secs(5))
            .await?
            .ok_or(Error::InvalidToken)?;
        engine.send_task_heartbeat(&task.task_token)?;
        let sum = task.input["a"].as_i64().unwrap_or(0) + task.input["b"].as_i64().unwrap_or(0);
        engine.send_task_success(&task.task_token, json!(sum))?;
        let done = run.wait().await?;
        assert_eq!(done.output, Some(json!(3)));
        let types: Vec<_> = run
            .history()
            .events()
            .iter()
            .map(|e| e.event_type.as_str())
            .collect();
        assert_eq!(
            types,
            [
                "ExecutionStarted",
                "TaskStateEntered",
                "ActivityScheduled",
                "ActivityStarted",
                "ActivitySucceeded",
                "TaskStateExited",
                "ExecutionSucceeded"
            ]
        );
        Ok(())
    }
}
