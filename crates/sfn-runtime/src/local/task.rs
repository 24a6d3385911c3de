//! What answers a Task state: Rust handlers registered for a resource, and activity
//! queues that workers poll, with task tokens.

use std::{
    collections::{HashMap, VecDeque},
    future::Future,
    pin::Pin,
    sync::{Arc, Mutex},
    time::Duration,
};

use serde_json::Value;
use tokio::sync::{Notify, oneshot};

use super::error::Error;

/// A boxed future, as [`TaskHandler::call`] returns.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

/// What a Task state sends to its resource.
#[derive(Debug, Clone)]
pub struct TaskRequest {
    /// The resource ARN.
    pub resource: String,
    /// The Task state's name.
    pub state_name: String,
    /// The execution's ARN.
    pub execution_arn: String,
    /// The task's input (after `Parameters` or `Arguments`).
    pub input: Value,
    /// The task token, for `.waitForTaskToken` resources.
    pub task_token: Option<String>,
}

/// A task's failure: an error name and a cause, as `Catch` and `Retry` see them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskFailure {
    /// The error name.
    pub error: String,
    /// The cause.
    pub cause: Option<String>,
}

impl TaskFailure {
    /// A failure with an error name and a cause.
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> Self {
        TaskFailure {
            error: error.into(),
            cause: Some(cause.into()),
        }
    }
}

/// Rust code that answers a Task state's resource.
pub trait TaskHandler: Send + Sync + 'static {
    /// Runs the task.
    fn call(&self, request: TaskRequest) -> BoxFuture<Result<Value, TaskFailure>>;
}

impl<F, Fut> TaskHandler for F
where
    F: Fn(TaskRequest) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Value, TaskFailure>> + Send + 'static,
{
    fn call(&self, request: TaskRequest) -> BoxFuture<Result<Value, TaskFailure>> {
        Box::pin(self(request))
    }
}

/// A unit of work a worker took from an activity.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityTask {
    /// The token to answer with.
    pub task_token: String,
    /// The task's input.
    pub input: Value,
}

/// How a task waiting for its token ended.
#[derive(Debug)]
pub(crate) enum TokenOutcome {
    Success(Value),
    Failure(TaskFailure),
}

pub(crate) struct TokenEntry {
    outcome: Option<oneshot::Sender<TokenOutcome>>,
    started: Option<oneshot::Sender<()>>,
    pub(crate) heartbeat: Arc<Notify>,
}

/// Receivers of one outstanding task token.
pub(crate) struct TokenWait {
    pub(crate) outcome: oneshot::Receiver<TokenOutcome>,
    pub(crate) started: oneshot::Receiver<()>,
    pub(crate) heartbeat: Arc<Notify>,
}

#[derive(Default)]
struct Queue {
    tasks: Mutex<VecDeque<ActivityTask>>,
    notify: Notify,
}

/// Activity queues and outstanding task tokens.
#[derive(Default)]
pub(crate) struct Tasks {
    activities: Mutex<HashMap<String, Arc<Queue>>>,
    tokens: Mutex<HashMap<String, TokenEntry>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Tasks {
    pub(crate) fn create_activity(&self, arn: &str) {
        lock(&self.activities).entry(arn.to_owned()).or_default();
    }

    pub(crate) fn delete_activity(&self, arn: &str) -> bool {
        lock(&self.activities).remove(arn).is_some()
    }

    pub(crate) fn activity_exists(&self, arn: &str) -> bool {
        lock(&self.activities).contains_key(arn)
    }

    pub(crate) fn activity_arns(&self) -> Vec<String> {
        let mut v: Vec<String> = lock(&self.activities).keys().cloned().collect();
        v.sort();
        v
    }

    /// Registers a new token and returns what its waiter listens on.
    pub(crate) fn register_token(&self, token: &str) -> TokenWait {
        let (otx, orx) = oneshot::channel();
        let (stx, srx) = oneshot::channel();
        let heartbeat = Arc::new(Notify::new());
        lock(&self.tokens).insert(
            token.to_owned(),
            TokenEntry {
                outcome: Some(otx),
                started: Some(stx),
                heartbeat: heartbeat.clone(),
            },
        );
        TokenWait {
            outcome: orx,
            started: srx,
            heartbeat,
        }
    }

    pub(crate) fn forget_token(&self, token: &str) {
        lock(&self.tokens).remove(token);
    }

    pub(crate) fn enqueue(&self, arn: &str, task: ActivityTask) -> bool {
        let queue = lock(&self.activities).get(arn).cloned();
        match queue {
            Some(q) => {
                lock(&q.tasks).push_back(task);
                q.notify.notify_one();
                true
            }
            None => false,
        }
    }

    /// Takes a task from an activity, waiting up to `wait`.
    pub(crate) async fn poll(
        &self,
        arn: &str,
        wait: Duration,
    ) -> Result<Option<ActivityTask>, Error> {
        let queue = lock(&self.activities).get(arn).cloned().ok_or_else(|| {
            Error::ActivityDoesNotExist {
                arn: arn.to_owned(),
            }
        })?;
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let notified = queue.notify.notified();
            let next = lock(&queue.tasks).pop_front();
            if let Some(task) = next {
                // A token whose waiter is gone (stopped execution) is skipped.
                let mut tokens = lock(&self.tokens);
                if let Some(entry) = tokens.get_mut(&task.task_token) {
                    if let Some(s) = entry.started.take() {
                        let _ = s.send(());
                    }
                    return Ok(Some(task));
                }
                continue;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return Ok(None);
            }
        }
    }

    pub(crate) fn complete(&self, token: &str, outcome: TokenOutcome) -> Result<(), Error> {
        let entry = lock(&self.tokens)
            .remove(token)
            .ok_or(Error::InvalidToken)?;
        match entry.outcome {
            Some(tx) => tx.send(outcome).map_err(|_| Error::TaskTimedOut),
            None => Err(Error::InvalidToken),
        }
    }

    pub(crate) fn heartbeat(&self, token: &str) -> Result<(), Error> {
        let tokens = lock(&self.tokens);
        let entry = tokens.get(token).ok_or(Error::InvalidToken)?;
        entry.heartbeat.notify_one();
        Ok(())
    }
}
