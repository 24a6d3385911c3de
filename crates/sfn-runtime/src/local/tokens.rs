//! Task tokens, and the activity queues that hand them to workers: a task waiting for
//! its token (an activity's, or a `.waitForTaskToken` integration's) is answered,
//! heartbeaten or timed out through it.

use std::{
    collections::{HashMap, HashSet, VecDeque},
    sync::{Arc, Mutex},
    time::Duration,
};

use serde_json::Value;
use tokio::sync::{Notify, oneshot};
use tokio_util::sync::CancellationToken;

use super::{clock::Clock, error::Error, lock};
use crate::activity::TaskFailure;

/// A unit of work a worker took from an activity.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
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

struct TokenEntry {
    /// The execution's: once it is cancelled (stopped, timed out), the task is over.
    execution: CancellationToken,
    /// Cancelled when the task is over: answered, timed out, or its execution ended.
    done: CancellationToken,
    outcome: Option<oneshot::Sender<TokenOutcome>>,
    /// Told the worker's name when a worker takes the task (activities).
    started: Option<oneshot::Sender<Option<String>>>,
    heartbeat: Arc<Notify>,
}

/// Receivers of one outstanding task token.
pub(crate) struct TokenWait {
    pub(crate) outcome: oneshot::Receiver<TokenOutcome>,
    pub(crate) started: oneshot::Receiver<Option<String>>,
    pub(crate) heartbeat: Arc<Notify>,
}

#[derive(Default)]
struct Queue {
    tasks: Mutex<VecDeque<ActivityTask>>,
    notify: Notify,
}

/// Tokens of tasks that are over (answered, timed out, stopped), so that a late answer
/// gets `TaskTimedOut` rather than `InvalidToken`, as on AWS. The oldest are forgotten
/// past [`Closed::CAPACITY`].
#[derive(Default)]
struct Closed {
    set: HashSet<String>,
    order: VecDeque<String>,
}

impl Closed {
    const CAPACITY: usize = 100_000;

    fn insert(&mut self, token: String) {
        if self.set.insert(token.clone()) {
            self.order.push_back(token);
            if self.order.len() > Self::CAPACITY
                && let Some(old) = self.order.pop_front()
            {
                self.set.remove(&old);
            }
        }
    }
}

/// Activity queues and outstanding task tokens.
#[derive(Default)]
pub(crate) struct Tasks {
    activities: Mutex<HashMap<String, Arc<Queue>>>,
    tokens: Mutex<HashMap<String, TokenEntry>>,
    closed: Mutex<Closed>,
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
    pub(crate) fn register_token(&self, token: &str, execution: &CancellationToken) -> TokenWait {
        let (otx, orx) = oneshot::channel();
        let (stx, srx) = oneshot::channel();
        let heartbeat = Arc::new(Notify::new());
        lock(&self.tokens).insert(
            token.to_owned(),
            TokenEntry {
                execution: execution.clone(),
                done: execution.child_token(),
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

    /// Closes a token: its task is over. Later answers get `TaskTimedOut`.
    pub(crate) fn forget_token(&self, token: &str) {
        let entry = lock(&self.tokens).remove(token);
        if let Some(entry) = entry {
            entry.done.cancel();
            lock(&self.closed).insert(token.to_owned());
        }
    }

    /// What is cancelled when the task of `token` is over; `None` when it is not
    /// outstanding.
    pub(crate) fn token_done(&self, token: &str) -> Option<CancellationToken> {
        lock(&self.tokens).get(token).map(|e| e.done.clone())
    }

    /// The error for a token that is not outstanding.
    fn not_outstanding(&self, token: &str) -> Error {
        if lock(&self.closed).set.contains(token) {
            Error::TaskTimedOut
        } else {
            Error::InvalidToken
        }
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

    /// Takes a task from an activity for the worker `worker_name`, waiting up to `wait`
    /// on `clock`.
    pub(crate) async fn poll(
        &self,
        arn: &str,
        worker_name: Option<&str>,
        wait: Duration,
        clock: &dyn Clock,
    ) -> Result<Option<ActivityTask>, Error> {
        let queue = lock(&self.activities).get(arn).cloned().ok_or_else(|| {
            Error::ActivityDoesNotExist {
                arn: arn.to_owned(),
            }
        })?;
        let timer = clock.sleep(wait);
        tokio::pin!(timer);
        loop {
            let notified = queue.notify.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            let next = lock(&queue.tasks).pop_front();
            if let Some(task) = next {
                // A token whose waiter is gone (stopped execution, timeout) is skipped.
                let mut tokens = lock(&self.tokens);
                if let Some(entry) = tokens.get_mut(&task.task_token)
                    && !entry.execution.is_cancelled()
                    && let Some(s) = entry.started.take()
                    && s.send(worker_name.map(str::to_owned)).is_ok()
                {
                    return Ok(Some(task));
                }
                continue;
            }
            tokio::select! {
                biased;
                _ = &mut notified => {}
                _ = &mut timer => return Ok(None),
            }
        }
    }

    pub(crate) fn complete(&self, token: &str, outcome: TokenOutcome) -> Result<(), Error> {
        let entry = lock(&self.tokens).remove(token);
        let Some(entry) = entry else {
            return Err(self.not_outstanding(token));
        };
        entry.done.cancel();
        lock(&self.closed).insert(token.to_owned());
        if entry.execution.is_cancelled() {
            // The execution ended (stopped, timed out) before its task was answered.
            return Err(Error::TaskTimedOut);
        }
        match entry.outcome {
            Some(tx) => tx.send(outcome).map_err(|_| Error::TaskTimedOut),
            None => Err(Error::TaskTimedOut),
        }
    }

    pub(crate) fn heartbeat(&self, token: &str) -> Result<(), Error> {
        let tokens = lock(&self.tokens);
        match tokens.get(token) {
            Some(entry) if !entry.execution.is_cancelled() => {
                entry.heartbeat.notify_one();
                Ok(())
            }
            Some(_) => Err(Error::TaskTimedOut),
            None => {
                drop(tokens);
                Err(self.not_outstanding(token))
            }
        }
    }
}
