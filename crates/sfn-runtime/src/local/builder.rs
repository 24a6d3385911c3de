//! [`LocalEngineBuilder`]: an engine's region, account and clock.

use std::{
    sync::{Arc, Mutex, atomic::AtomicU64},
    time::Duration,
};

use super::{
    Clock, LocalEngine, ObjectStore, Retention, SystemClock, arn::Arns, engine::Inner,
    retention::Retained,
};

/// The region of an engine not told otherwise.
pub const DEFAULT_REGION: &str = "us-east-1";

/// The account of an engine not told otherwise.
pub const DEFAULT_ACCOUNT: &str = "123456789012";

/// How long AWS holds a `GetActivityTask` call.
const ACTIVITY_POLL_TIMEOUT: Duration = Duration::from_secs(60);

/// Builds a [`LocalEngine`]: the region and account its ARNs carry, and its clock.
///
/// ```
/// use std::sync::Arc;
/// use sfn_runtime::local::{LocalEngine, VirtualClock};
///
/// let engine = LocalEngine::builder()
///     .region("eu-west-1")
///     .account("111122223333")
///     .clock(Arc::new(VirtualClock::default()))
///     .build();
/// let arn = engine.create_activity("work")?;
/// assert_eq!(arn, "arn:aws:states:eu-west-1:111122223333:activity:work");
/// # Ok::<(), sfn_runtime::local::Error>(())
/// ```
#[derive(Clone)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct LocalEngineBuilder {
    region: String,
    account: String,
    clock: Arc<dyn Clock>,
    retention: Retention,
    seed: Option<u64>,
    object_store: Option<Arc<dyn ObjectStore>>,
}

impl Default for LocalEngineBuilder {
    fn default() -> Self {
        LocalEngineBuilder {
            region: DEFAULT_REGION.to_owned(),
            account: DEFAULT_ACCOUNT.to_owned(),
            clock: Arc::new(SystemClock),
            retention: Retention::default(),
            seed: None,
            object_store: None,
        }
    }
}

impl std::fmt::Debug for LocalEngineBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalEngineBuilder")
            .field("region", &self.region)
            .field("account", &self.account)
            .field("retention", &self.retention)
            .finish_non_exhaustive()
    }
}

impl LocalEngineBuilder {
    /// A builder with the defaults: region [`DEFAULT_REGION`], account
    /// [`DEFAULT_ACCOUNT`], the real clock.
    pub fn new() -> Self {
        LocalEngineBuilder::default()
    }

    /// The region the engine's ARNs carry (`eu-west-1`), and the region its history
    /// gives for service integrations. Used as given.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = region.into();
        self
    }

    /// The account the engine's ARNs carry (`111122223333`). Used as given.
    pub fn account(mut self, account: impl Into<String>) -> Self {
        self.account = account.into();
        self
    }

    /// The engine's clock ([`VirtualClock`](super::VirtualClock) for instant,
    /// deterministic runs).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// How many finished executions the engine keeps, and for how long (by default
    /// 10,000, for 90 days): see [`Retention`].
    pub fn retention(mut self, retention: Retention) -> Self {
        self.retention = retention;
        self
    }

    /// Seeds the engine's random choices (the version an alias routes an execution to,
    /// revision ids), so that a run can be repeated exactly. Unseeded, they differ from
    /// run to run.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Where distributed Maps read items (`ItemReader`) and write results
    /// (`ResultWriter`) in place of S3: a [`FolderObjectStore`](super::FolderObjectStore), a
    /// [`MemoryObjectStore`](super::MemoryObjectStore), or any [`ObjectStore`]. Without
    /// one, such a Map fails with `States.ItemReaderFailed` or `States.ResultWriterFailed`.
    pub fn object_store(mut self, store: Arc<dyn ObjectStore>) -> Self {
        self.object_store = Some(store);
        self
    }

    /// The engine.
    pub fn build(self) -> LocalEngine {
        let poll_micros = u64::try_from(ACTIVITY_POLL_TIMEOUT.as_micros()).unwrap_or(u64::MAX);
        LocalEngine {
            inner: Arc::new(Inner {
                clock: self.clock,
                arns: Arns::new(Arc::from(self.region), Arc::from(self.account)),
                handlers: Arc::default(),
                tasks: Arc::default(),
                machines: Mutex::default(),
                executions: Mutex::default(),
                map_runs: Mutex::default(),
                activity_poll_micros: AtomicU64::new(poll_micros),
                registry: super::manage::Registry::default(),
                retention: Retained::new(self.retention),
                published: Mutex::default(),
                deleting: super::deletion::Deleting::default(),
                rng: Mutex::new(
                    self.seed
                        .map_or_else(fastrand::Rng::new, fastrand::Rng::with_seed),
                ),
                object_store: self.object_store,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::local::{
        Error, EventDetails, ExecutionStatus, StartExecution, TaskRequest, VirtualClock,
    };

    const IN: &str = "arn:aws:states:eu-west-1:111122223333";

    #[tokio::test]
    async fn arns_carry_the_configured_region_and_account() -> Result<(), Error> {
        let engine = LocalEngine::builder()
            .region("eu-west-1")
            .account("111122223333")
            .clock(Arc::new(VirtualClock::default()))
            .build();
        assert_eq!(engine.region(), "eu-west-1");
        assert_eq!(
            engine.create_activity("work")?,
            format!("{IN}:activity:work")
        );
        engine.register_handler("arn:aws:states:::lambda:invoke", |_: TaskRequest| async {
            Ok(json!([1, 2]))
        });
        let def = r#"{"StartAt": "Call", "States": {
            "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Each"},
            "Each": {"Type": "Map", "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}}}"#;
        let machine = engine.create_state_machine_json("m", def)?;
        assert_eq!(machine, format!("{IN}:stateMachine:m"));
        let run = engine
            .start_execution(&machine, StartExecution::new(json!({})).name("one"))
            .await?;
        assert_eq!(run.arn(), format!("{IN}:execution:m:one"));
        let done = run.wait().await?;
        assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");

        let history = run.history();
        let role = history.events().iter().find_map(|e| match &e.details {
            EventDetails::ExecutionStarted { role_arn, .. } => Some(role_arn.to_string()),
            _ => None,
        });
        assert_eq!(
            role.as_deref(),
            Some("arn:aws:iam::111122223333:role/sfn-local")
        );
        let region = history.events().iter().find_map(|e| match &e.details {
            EventDetails::TaskScheduled { region, .. } => Some(region.to_string()),
            _ => None,
        });
        assert_eq!(region.as_deref(), Some("eu-west-1"));

        let runs = engine.list_map_runs(run.arn())?;
        assert_eq!(runs.len(), 1);
        let map_run = &runs[0].map_run_arn;
        assert!(
            map_run.starts_with(&format!("{IN}:mapRun:m/Each:")),
            "{map_run}"
        );
        let children = engine.list_map_run_executions(map_run)?;
        assert_eq!(children.len(), 2);
        for child in children {
            assert!(
                child
                    .execution_arn
                    .starts_with(&format!("{IN}:execution:m/Each:")),
                "{}",
                child.execution_arn
            );
            assert_eq!(child.state_machine_arn, format!("{IN}:stateMachine:m/Each"));
        }
        Ok(())
    }

    #[test]
    fn the_defaults_are_those_of_new() -> Result<(), Error> {
        let engine = LocalEngine::new();
        assert_eq!(engine.region(), DEFAULT_REGION);
        assert_eq!(
            engine.create_activity("work")?,
            "arn:aws:states:us-east-1:123456789012:activity:work"
        );
        Ok(())
    }
}
