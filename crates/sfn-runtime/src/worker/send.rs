//! Answering a task: `SendTaskSuccess` or `SendTaskFailure`, tried again on retryable
//! errors with backoff until a deadline, final when the task is over.

use std::time::Duration;

use tokio::time::Instant;

use super::{
    backoff::Backoff,
    control::is_over,
    limits,
    stats::{Counters, bump},
};
use crate::client::{Backend, Error};

/// What to send.
#[derive(Debug)]
pub(super) enum Answer {
    /// `SendTaskSuccess` with this output (JSON text).
    Success(String),
    /// `SendTaskFailure`.
    Failure {
        error: String,
        cause: Option<String>,
    },
}

impl Answer {
    /// A failure, its error name and cause cut to AWS's limits.
    pub(super) fn failure(error: &str, cause: Option<&str>) -> Self {
        Answer::Failure {
            error: limits::error_name(error).into_owned(),
            cause: cause.map(|c| limits::cause(c).into_owned()),
        }
    }
}

/// How a send ended.
#[derive(Debug)]
pub(super) enum Sent {
    /// The service took the answer.
    Delivered,
    /// The task was over (`TaskTimedOut`, `TaskDoesNotExist`, `InvalidToken`).
    Over(Error),
    /// The service refused the answer for another reason.
    Refused(Error),
    /// Retryable errors until the deadline passed.
    GaveUp(Error),
}

/// How sends are retried.
#[derive(Debug, Clone, Copy)]
pub(super) struct SendPolicy {
    pub(super) backoff: Backoff,
    /// No retry starts after this long since the first attempt.
    pub(super) deadline: Duration,
}

/// Sends `answer` for `token`, retrying as `policy` says.
pub(super) async fn send(
    backend: &dyn Backend,
    token: &str,
    answer: &Answer,
    policy: SendPolicy,
    counters: &Counters,
) -> Sent {
    let started = Instant::now();
    let mut attempt: u32 = 0;
    loop {
        let r = match answer {
            Answer::Success(output) => backend.send_task_success(token, output).await,
            Answer::Failure { error, cause } => {
                backend
                    .send_task_failure(token, Some(error), cause.as_deref())
                    .await
            }
        };
        let e = match r {
            Ok(()) => return Sent::Delivered,
            Err(e) if is_over(&e) => return Sent::Over(e),
            Err(e) => e,
        };
        bump(&counters.send_errors);
        if !e.is_retryable() {
            return Sent::Refused(e);
        }
        let delay = policy.backoff.delay(attempt);
        if started.elapsed() + delay > policy.deadline {
            return Sent::GaveUp(e);
        }
        bump(&counters.retries);
        tracing::debug!(error = %e, attempt, delay_ms = delay.as_millis() as u64, "send failed, retrying");
        attempt = attempt.saturating_add(1);
        // Not cut short by a stop: an answer in hand is delivered.
        tokio::time::sleep(delay).await;
    }
}
