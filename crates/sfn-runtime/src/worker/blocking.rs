//! Synchronous handlers, run on tokio's blocking threads.

use std::{fmt, sync::Arc};

use serde_json::Value;

use super::task::{PANIC, panic_message};
use crate::activity::{Activity, BoxFuture, TaskContext, TaskFailure};

/// An activity whose handler is a blocking function, run with
/// [`tokio::task::spawn_blocking`] so that it never stalls the worker's polls and
/// heartbeats.
///
/// A blocking handler cannot be dropped midway: when its task is over (a heartbeat
/// answered `TaskTimedOut`), the worker sends nothing and stops waiting, but the thread
/// runs on until the function returns. Check
/// [`TaskContext::is_cancelled`] (or [`is_stopping`](TaskContext::is_stopping)) between
/// steps; send a manual heartbeat with
/// `tokio::runtime::Handle::current().block_on(ctx.heartbeat())`, which works on a
/// blocking thread.
///
/// ```
/// use serde_json::{Value, json};
/// use sfn_runtime::{activity::TaskFailure, worker::BlockingActivity};
///
/// let checksum = BlockingActivity::new("checksum", |input: Value, _ctx| {
///     let text = input["text"].as_str().ok_or_else(|| TaskFailure::new("BadInput", "no text"))?;
///     Ok(json!(text.bytes().map(u64::from).sum::<u64>()))
/// })
/// .heartbeat_seconds(30);
/// # let _ = checksum;
/// ```
pub struct BlockingActivity<F> {
    name: String,
    heartbeat_seconds: Option<u64>,
    timeout_seconds: Option<u64>,
    handler: Arc<F>,
}

impl<F> BlockingActivity<F>
where
    F: Fn(Value, TaskContext) -> Result<Value, TaskFailure> + Send + Sync + 'static,
{
    /// An activity named `name` whose handler is `handler`.
    pub fn new(name: impl Into<String>, handler: F) -> Self {
        BlockingActivity {
            name: name.into(),
            heartbeat_seconds: None,
            timeout_seconds: None,
            handler: Arc::new(handler),
        }
    }

    /// The activity's `HeartbeatSeconds`: the worker beats every third of it.
    pub fn heartbeat_seconds(mut self, seconds: u64) -> Self {
        self.heartbeat_seconds = Some(seconds);
        self
    }

    /// The activity's `TimeoutSeconds`.
    pub fn timeout_seconds(mut self, seconds: u64) -> Self {
        self.timeout_seconds = Some(seconds);
        self
    }
}

impl<F> fmt::Debug for BlockingActivity<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BlockingActivity")
            .field("name", &self.name)
            .field("heartbeat_seconds", &self.heartbeat_seconds)
            .field("timeout_seconds", &self.timeout_seconds)
            .finish_non_exhaustive()
    }
}

impl<F> Activity for BlockingActivity<F>
where
    F: Fn(Value, TaskContext) -> Result<Value, TaskFailure> + Send + Sync + 'static,
{
    fn name(&self) -> &str {
        &self.name
    }

    fn heartbeat_seconds(&self) -> Option<u64> {
        self.heartbeat_seconds
    }

    fn timeout_seconds(&self) -> Option<u64> {
        self.timeout_seconds
    }

    fn call(
        &self,
        input: Value,
        ctx: TaskContext,
    ) -> BoxFuture<'static, Result<Value, TaskFailure>> {
        let handler = self.handler.clone();
        Box::pin(async move {
            match tokio::task::spawn_blocking(move || handler(input, ctx)).await {
                Ok(r) => r,
                Err(e) if e.is_panic() => {
                    Err(TaskFailure::new(PANIC, panic_message(&*e.into_panic())))
                }
                Err(e) => Err(TaskFailure::new(PANIC, e.to_string())),
            }
        })
    }
}
