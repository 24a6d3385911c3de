//! Rust code that answers Task states: a [`TaskHandler`] registered for a resource, and
//! the [`TaskRequest`] it gets.

use std::{
    collections::HashMap,
    future::Future,
    sync::{Arc, PoisonError, RwLock},
};

use serde_json::Value;
use sfn_core::model::{IntegrationPattern, Resource, ResourceKind};

use crate::activity::{BoxFuture, TaskFailure};

/// What a Task state sends to its resource.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct TaskRequest {
    /// The resource ARN.
    pub resource: String,
    /// The Task state's name.
    pub state_name: String,
    /// The execution's ARN.
    pub execution_arn: String,
    /// The task's input (after `Parameters` or `Arguments`).
    pub input: Value,
    /// The task token (`$$.Task.Token`): the handler of a `.waitForTaskToken` resource
    /// hands it to whoever answers with `send_task_success` or `send_task_failure`.
    pub task_token: Option<String>,
    /// How Step Functions waits: the handler's result is the response
    /// (request-response), the finished job's result (`.sync`), or ignored while the
    /// task waits for its token (`.waitForTaskToken`).
    pub integration_pattern: IntegrationPattern,
}

/// Rust code that answers a Task state's resource.
///
/// A handler registered for a service integration without a pattern suffix
/// (`arn:aws:states:::lambda:invoke`) also answers its `.sync`, `.sync:2` and
/// `.waitForTaskToken` forms, unless a handler is registered for that exact form;
/// [`TaskRequest::integration_pattern`] tells which.
pub trait TaskHandler: Send + Sync + 'static {
    /// Runs the task.
    fn call(&self, request: TaskRequest) -> BoxFuture<'static, Result<Value, TaskFailure>>;
}

impl<F, Fut> TaskHandler for F
where
    F: Fn(TaskRequest) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Value, TaskFailure>> + Send + 'static,
{
    fn call(&self, request: TaskRequest) -> BoxFuture<'static, Result<Value, TaskFailure>> {
        Box::pin(self(request))
    }
}

/// The handlers registered with an engine, by resource.
#[derive(Default)]
pub(crate) struct Handlers {
    by_resource: RwLock<HashMap<String, Arc<dyn TaskHandler>>>,
}

impl Handlers {
    /// Answers `resource` with `handler` from now on.
    pub(crate) fn register(&self, resource: String, handler: Arc<dyn TaskHandler>) {
        self.by_resource
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(resource, handler);
    }

    /// The handler for `resource`: the one registered for it, or, for a `.sync`,
    /// `.sync:2` or `.waitForTaskToken` integration, the one registered for the
    /// resource without its suffix.
    pub(crate) fn find(&self, resource: &Resource) -> Option<Arc<dyn TaskHandler>> {
        let handlers = self
            .by_resource
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        let arn = resource.as_str();
        if let Some(h) = handlers.get(arn) {
            return Some(h.clone());
        }
        if let ResourceKind::Service { pattern, .. } = resource.kind()
            && pattern != IntegrationPattern::RequestResponse
        {
            let base = [".sync:2", ".sync", ".waitForTaskToken"]
                .iter()
                .find_map(|suffix| arn.strip_suffix(suffix));
            if let Some(h) = base.and_then(|b| handlers.get(b)) {
                return Some(h.clone());
            }
        }
        None
    }
}
