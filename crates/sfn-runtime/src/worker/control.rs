//! How a running task reaches its worker: [`TaskControl`] over the back end.

use std::sync::Arc;

use tokio_util::sync::CancellationToken;

use super::{shared::Shared, stats::bump};
use crate::{
    activity::{BoxFuture, HeartbeatError, TaskControl},
    client::Error,
};

/// One task's link to its worker: heartbeats on its token, the worker's stop, and
/// whether the task is over.
pub(super) struct WorkerControl {
    pub(super) shared: Arc<Shared>,
    pub(super) token: Arc<str>,
    /// Cancelled when the task is over: the service said so, or the worker answered it.
    pub(super) gone: CancellationToken,
}

/// Whether an answer to a call on a task token means the task is over: `TaskTimedOut`,
/// `TaskDoesNotExist`, or `InvalidToken` (a token the service no longer knows).
pub(super) fn is_over(e: &Error) -> bool {
    e.is_task_gone() || matches!(e, Error::InvalidToken { .. })
}

impl WorkerControl {
    /// Sends a heartbeat; a task found over cancels [`gone`](Self::gone).
    pub(super) async fn send_heartbeat(&self) -> Result<(), HeartbeatError> {
        match self
            .shared
            .sfn
            .backend()
            .send_task_heartbeat(&self.token)
            .await
        {
            Ok(()) => {
                bump(&self.shared.counters.heartbeats);
                Ok(())
            }
            Err(e) if is_over(&e) => {
                tracing::info!(error = %e, "the task is over: cancelling its handler");
                self.gone.cancel();
                Err(HeartbeatError::TaskGone(e.to_string()))
            }
            Err(e) => {
                bump(&self.shared.counters.heartbeat_errors);
                tracing::warn!(error = %e, retryable = e.is_retryable(), "heartbeat not delivered");
                Err(HeartbeatError::Unavailable(e.to_string()))
            }
        }
    }
}

impl TaskControl for WorkerControl {
    fn heartbeat(&self) -> BoxFuture<'_, Result<(), HeartbeatError>> {
        Box::pin(self.send_heartbeat())
    }

    fn is_stopping(&self) -> bool {
        self.shared.shutdown.stop.is_cancelled() || self.gone.is_cancelled()
    }

    fn stopping(&self) -> BoxFuture<'_, ()> {
        Box::pin(async {
            tokio::select! {
                _ = self.shared.shutdown.stop.cancelled() => {}
                _ = self.gone.cancelled() => {}
            }
        })
    }

    fn is_cancelled(&self) -> bool {
        self.gone.is_cancelled()
    }

    #[cfg(feature = "tools")]
    fn stop_execution<'a>(
        &'a self,
        execution_arn: &'a str,
        error: Option<&'a str>,
        cause: Option<&'a str>,
        wait: std::time::Duration,
    ) -> BoxFuture<'a, Result<(), crate::activity::StopError>> {
        Box::pin(async move {
            crate::tools::ClientStopper::new(self.shared.sfn.clone())
                .stop(execution_arn, error, cause, wait)
                .await
        })
    }

    fn cancelled(&self) -> BoxFuture<'_, ()> {
        Box::pin(self.gone.cancelled())
    }
}
