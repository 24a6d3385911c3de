//! [`ClientStopper`]: stopping an execution through the client ([`Sfn`]), for a worker's
//! [`TaskControl`](crate::activity::TaskControl).

use std::time::Duration;

use crate::{
    activity::{BoxFuture, StopError},
    client::{Error, Sfn},
};

/// Stops executions through a client: `StopExecution`, then `DescribeExecution` until the
/// execution reports an end (on the embedded engine without polling, on AWS polling with
/// backoff). A worker's [`TaskControl::stop_execution`](crate::activity::TaskControl::stop_execution)
/// delegates to [`stop`](Self::stop).
#[derive(Debug, Clone)]
pub struct ClientStopper {
    sfn: Sfn,
}

impl ClientStopper {
    /// A stopper calling through `sfn`.
    pub fn new(sfn: Sfn) -> Self {
        ClientStopper { sfn }
    }

    /// Stops `execution_arn` with `error` and `cause` and waits, at most `wait`, until it
    /// has ended; does nothing when it has ended already.
    ///
    /// # Errors
    ///
    /// [`StopError::ExecutionDoesNotExist`], [`StopError::AccessDenied`],
    /// [`StopError::TimedOut`], [`StopError::Service`].
    pub fn stop<'a>(
        &'a self,
        execution_arn: &'a str,
        error: Option<&'a str>,
        cause: Option<&'a str>,
        wait: Duration,
    ) -> BoxFuture<'a, Result<(), StopError>> {
        Box::pin(async move {
            let run = self.sfn.execution(execution_arn);
            let info = run
                .describe()
                .await
                .map_err(|e| stop_error(execution_arn, e))?;
            if info.status.is_terminal() {
                return Ok(());
            }
            run.stop(error, cause)
                .await
                .map_err(|e| stop_error(execution_arn, e))?;
            match run.wait_for(wait).await {
                Ok(_) => Ok(()),
                Err(e) => Err(stop_error(execution_arn, e)),
            }
        })
    }
}

/// The stop error for a client error.
fn stop_error(execution_arn: &str, e: Error) -> StopError {
    let execution_arn = execution_arn.to_owned();
    match e {
        Error::ExecutionDoesNotExist { message } => StopError::ExecutionDoesNotExist {
            execution_arn,
            message,
        },
        Error::Deadline { waited, .. } => StopError::TimedOut {
            execution_arn,
            waited,
        },
        Error::Service { code, message }
            if code == "AccessDeniedException" || code == "AccessDenied" =>
        {
            StopError::AccessDenied {
                execution_arn,
                message,
            }
        }
        e => StopError::Service {
            execution_arn,
            message: e.to_string(),
        },
    }
}
