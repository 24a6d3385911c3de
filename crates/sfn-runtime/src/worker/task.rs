//! One task, from the poll that brought it to its answer: the handler run with
//! heartbeats, cancelled when the task is over, panics caught, results cut to AWS's
//! limits.

use std::{any::Any, panic::AssertUnwindSafe, sync::Arc};

use futures_util::FutureExt;
use serde_json::Value;
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

use super::{
    control::WorkerControl,
    heartbeat::{beat, heartbeat_interval},
    limits::MAX_OUTPUT_BYTES,
    send::{Answer, Sent, send},
    shared::{Served, Shared},
    shutdown::SHUTTING_DOWN,
    stats::{Running, bump},
};
use crate::{
    activity::{ExecutionInfo, TaskContext, TaskFailure},
    client::{ActivityTask, Error},
};

/// The error name of a task whose handler panicked.
pub const PANIC: &str = "Worker.Panic";

/// The error name of a task whose input is not JSON.
pub const INVALID_INPUT: &str = "Worker.InvalidInput";

/// The error name of a task whose output cannot be written as JSON.
pub const INVALID_OUTPUT: &str = "Worker.InvalidOutput";

/// How a handler ended.
enum Outcome {
    Succeeded(Value),
    Failed(TaskFailure),
    Panicked(String),
    /// The service said the task is over: nothing to send.
    Over,
    /// The grace ended first.
    ShuttingDown,
}

/// Runs `task` of `served` and answers it.
pub(super) async fn run(shared: &Arc<Shared>, served: &Served, task: ActivityTask) {
    let counters = &shared.counters;
    bump(&counters.polled);
    let _running = Running::start(&counters.running);
    let token: Arc<str> = Arc::from(task.task_token);
    let span = tracing::info_span!(
        "task",
        activity = %served.full_name,
        token = %token_prefix(&token),
    );
    async {
        let outcome = if shared.shutdown.abort.is_cancelled() {
            Outcome::ShuttingDown
        } else {
            execute(shared, served, &token, &task.input).await
        };
        answer(shared, &token, outcome).await;
    }
    .instrument(span)
    .await;
}

/// The first characters of a token, enough to tell tasks apart in logs.
fn token_prefix(token: &str) -> &str {
    let end = token.char_indices().nth(12).map_or(token.len(), |(i, _)| i);
    &token[..end]
}

/// Runs the handler until it ends, the task is over, or the grace ends.
async fn execute(shared: &Arc<Shared>, served: &Served, token: &Arc<str>, input: &str) -> Outcome {
    let input: Value = match serde_json::from_str(input) {
        Ok(v) => v,
        Err(e) => {
            return Outcome::Failed(TaskFailure::new(
                INVALID_INPUT,
                format!("the task's input is not JSON: {e}"),
            ));
        }
    };
    let gone = CancellationToken::new();
    // Whatever happens, the task is over for its handler's helpers once this returns.
    let _over = gone.clone().drop_guard();
    let control = Arc::new(WorkerControl {
        shared: shared.clone(),
        token: token.clone(),
        gone: gone.clone(),
    });
    // AWS's activity tasks carry no execution ARN: the input may (`"execution.$":
    // "$$.Execution.Id"` in the state's Parameters).
    let ctx = TaskContext::new(
        &**token,
        served.activity.name(),
        ExecutionInfo::default(),
        control.clone(),
    )
    .with_execution_from_input(&input);
    #[cfg(feature = "tools")]
    let ctx = match &shared.state_data {
        Some(data) => ctx.with_state_data(data.clone()),
        None => ctx,
    };
    let activity = &served.activity;
    let handler = match std::panic::catch_unwind(AssertUnwindSafe(|| activity.call(input, ctx))) {
        Ok(f) => f,
        Err(panic) => return Outcome::Panicked(panic_message(&*panic)),
    };
    let every = heartbeat_interval(activity.heartbeat_seconds());
    tokio::select! {
        biased;
        _ = gone.cancelled() => Outcome::Over,
        r = AssertUnwindSafe(handler).catch_unwind() => match r {
            Ok(Ok(output)) => Outcome::Succeeded(output),
            // The task stopped its own execution: there is nobody to answer.
            Ok(Err(failure)) if failure.is_execution_stopped() => Outcome::Over,
            Ok(Err(failure)) => Outcome::Failed(failure),
            Err(panic) => Outcome::Panicked(panic_message(&*panic)),
        },
        _ = beat(&control, every) => Outcome::Over,
        _ = shared.shutdown.abort.cancelled() => Outcome::ShuttingDown,
    }
}

/// The message of a panic: its `&str` or `String` payload.
pub(super) fn panic_message(panic: &(dyn Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "the handler panicked".to_owned()
    }
}

/// Sends what the outcome calls for, and counts it.
async fn answer(shared: &Shared, token: &str, outcome: Outcome) {
    use sfn_core::error::states::DATA_LIMIT_EXCEEDED;
    let counters = &shared.counters;
    let (answer, counter) = match outcome {
        Outcome::Over => {
            bump(&counters.timed_out);
            tracing::info!("task over before it ended: nothing sent");
            return;
        }
        Outcome::Succeeded(output) => match serde_json::to_string(&output) {
            Ok(text) if text.len() <= MAX_OUTPUT_BYTES => {
                (Answer::Success(text), &counters.succeeded)
            }
            Ok(text) => {
                let cause = format!(
                    "the task's output is {} bytes, over the limit of {MAX_OUTPUT_BYTES} bytes",
                    text.len()
                );
                (
                    Answer::failure(DATA_LIMIT_EXCEEDED, Some(&cause)),
                    &counters.failed,
                )
            }
            Err(e) => {
                let cause = format!("the task's output cannot be written as JSON: {e}");
                (
                    Answer::failure(INVALID_OUTPUT, Some(&cause)),
                    &counters.failed,
                )
            }
        },
        Outcome::Failed(f) => (
            Answer::failure(&f.error, f.cause.as_deref()),
            &counters.failed,
        ),
        Outcome::Panicked(message) => {
            tracing::error!(panic = %message, "the handler panicked");
            (Answer::failure(PANIC, Some(&message)), &counters.panicked)
        }
        Outcome::ShuttingDown => (
            Answer::failure(
                SHUTTING_DOWN,
                Some("the worker stopped before the task ended"),
            ),
            &counters.shut_down,
        ),
    };
    let backend = shared.sfn.backend();
    let mut sent = send(backend, token, &answer, shared.send, counters).await;
    let mut counter = counter;
    if let (Sent::Refused(e @ Error::InvalidOutput { .. }), Answer::Success(_)) = (&sent, &answer) {
        // The service refused the output: report that rather than nothing.
        tracing::warn!(error = %e, "output refused: failing the task");
        let failure = Answer::failure(DATA_LIMIT_EXCEEDED, Some(&e.to_string()));
        sent = send(backend, token, &failure, shared.send, counters).await;
        counter = &counters.failed;
    }
    match sent {
        Sent::Delivered => {
            bump(counter);
            tracing::debug!("task answered");
        }
        Sent::Over(e) => {
            bump(&counters.timed_out);
            tracing::info!(error = %e, "task over before its answer: nothing more sent");
        }
        Sent::Refused(e) => {
            bump(&counters.undelivered);
            tracing::error!(error = %e, "answer refused");
        }
        Sent::GaveUp(e) => {
            bump(&counters.undelivered);
            tracing::error!(error = %e, "answer not delivered before the send deadline");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panic_messages_are_read_from_their_payloads() {
        let p = std::panic::catch_unwind(|| panic!("boom {}", 1)).err();
        assert_eq!(p.map(|p| panic_message(&*p)).as_deref(), Some("boom 1"));
        let p = std::panic::catch_unwind(|| std::panic::panic_any(7u8)).err();
        assert_eq!(
            p.map(|p| panic_message(&*p)).as_deref(),
            Some("the handler panicked")
        );
        assert_eq!(token_prefix("abc"), "abc");
        assert_eq!(token_prefix(&"é".repeat(20)).chars().count(), 12);
    }
}
