//! [`WorkerBuilder`]: which activities, how many tasks of each at once, and the policies.

use std::{collections::BTreeSet, sync::Arc, time::Duration};

use super::{
    Backoff, WorkerError, WorkerHandle, WorkerStats, name,
    poll::supervise,
    send::SendPolicy,
    shared::{Served, Shared},
    shutdown::{DEFAULT_GRACE, Shutdown, terminated},
};
use crate::{activity::Activity, client::Sfn};

/// What [`WorkerBuilder::activity`] takes: an activity (an `#[activity]` function, a
/// [`BlockingActivity`](super::BlockingActivity), any type implementing [`Activity`]),
/// a `&'static dyn Activity`, or an `Arc<dyn Activity>`.
pub trait IntoActivity {
    /// The activity, shared.
    fn into_activity(self) -> Arc<dyn Activity>;
}

impl<A: Activity> IntoActivity for A {
    fn into_activity(self) -> Arc<dyn Activity> {
        Arc::new(self)
    }
}

impl IntoActivity for Arc<dyn Activity> {
    fn into_activity(self) -> Arc<dyn Activity> {
        self
    }
}

impl IntoActivity for &'static dyn Activity {
    fn into_activity(self) -> Arc<dyn Activity> {
        Arc::new(Static(self))
    }
}

/// A `&'static dyn Activity` as an activity.
struct Static(&'static dyn Activity);

impl Activity for Static {
    fn name(&self) -> &str {
        self.0.name()
    }
    fn description(&self) -> Option<&str> {
        self.0.description()
    }
    fn input_schema(&self) -> serde_json::Value {
        self.0.input_schema()
    }
    fn output_schema(&self) -> serde_json::Value {
        self.0.output_schema()
    }
    fn heartbeat_seconds(&self) -> Option<u64> {
        self.0.heartbeat_seconds()
    }
    fn timeout_seconds(&self) -> Option<u64> {
        self.0.timeout_seconds()
    }
    fn call(
        &self,
        input: serde_json::Value,
        ctx: crate::activity::TaskContext,
    ) -> crate::activity::BoxFuture<'static, Result<serde_json::Value, crate::activity::TaskFailure>>
    {
        self.0.call(input, ctx)
    }
}

/// How many tasks of an activity a worker runs at once: as many polls go out for it while
/// that many slots are free. Zero counts as one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Concurrency(pub usize);

impl Default for Concurrency {
    /// One task at a time.
    fn default() -> Self {
        Concurrency(1)
    }
}

/// How to start a worker: [`Sfn::worker`], then [`activity`](Self::activity) for each
/// activity served, then [`spawn`](Self::spawn) or
/// [`run_until_ctrl_c`](Self::run_until_ctrl_c).
#[must_use]
pub struct WorkerBuilder {
    sfn: Sfn,
    activities: Vec<(Arc<dyn Activity>, Concurrency)>,
    prefix: String,
    name: Option<String>,
    grace: Duration,
    poll_backoff: Backoff,
    send_backoff: Backoff,
    send_deadline: Duration,
    #[cfg(feature = "tools")]
    state_data: Option<crate::tools::StateData>,
}

impl std::fmt::Debug for WorkerBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.activities.iter().map(|(a, _)| a.name()).collect();
        f.debug_struct("WorkerBuilder")
            .field("activities", &names)
            .field("prefix", &self.prefix)
            .field("name", &self.name)
            .field("grace", &self.grace)
            .finish_non_exhaustive()
    }
}

/// How long sends are retried by default.
const DEFAULT_SEND_DEADLINE: Duration = Duration::from_secs(120);

impl Sfn {
    /// A worker for activities on this client's back end.
    ///
    /// ```no_run
    /// use sfn_runtime::{client::Sfn, prelude::*, worker::Concurrency};
    ///
    /// #[derive(Deserialize, JsonSchema)]
    /// struct Numbers { a: i64, b: i64 }
    ///
    /// /// Adds two numbers.
    /// #[activity(name = "add", heartbeat = 20)]
    /// async fn add(input: Numbers, _ctx: &TaskContext) -> Result<i64, TaskError> {
    ///     Ok(input.a + input.b)
    /// }
    ///
    /// # async fn run(sfn: Sfn) -> Result<(), Box<dyn std::error::Error>> {
    /// let worker = sfn.worker().activity_with(add, Concurrency(8)).spawn()?;
    /// // … executions run …
    /// let stats = worker.shutdown().await;
    /// println!("{} tasks succeeded", stats.succeeded);
    /// # Ok(())
    /// # }
    /// ```
    pub fn worker(&self) -> WorkerBuilder {
        WorkerBuilder {
            sfn: self.clone(),
            activities: Vec::new(),
            prefix: String::new(),
            name: None,
            grace: DEFAULT_GRACE,
            poll_backoff: Backoff::POLL,
            send_backoff: Backoff::SEND,
            send_deadline: DEFAULT_SEND_DEADLINE,
            #[cfg(feature = "tools")]
            state_data: None,
        }
    }
}

impl WorkerBuilder {
    /// Serves `activity` one task at a time. Takes an `#[activity]` function, a
    /// `&'static dyn Activity`, an `Arc<dyn Activity>`, a [`BlockingActivity`](super::BlockingActivity)…
    pub fn activity(self, activity: impl IntoActivity) -> Self {
        self.activity_with(activity, Concurrency::default())
    }

    /// Serves `activity` with up to `concurrency` tasks at once.
    pub fn activity_with(mut self, activity: impl IntoActivity, concurrency: Concurrency) -> Self {
        self.activities
            .push((activity.into_activity(), concurrency));
        self
    }

    /// A prefix to the activities' names: the worker polls the activity named prefix +
    /// name, as registration with the same prefix creates it (`staging-` for
    /// `staging-add`, say). None by default.
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// The worker's name, reported to Step Functions with each poll (`ActivityStarted`'s
    /// `workerName`); cut to 80 characters. `{hostname}-{8 hex digits}` by default, the
    /// host name from `HOSTNAME` or `/etc/hostname`.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// How long the tasks held may run once a stop is asked before they are answered
    /// `Worker.ShuttingDown` (10 seconds by default). See
    /// [`WorkerHandle::shutdown`](super::WorkerHandle::shutdown).
    pub fn grace(mut self, grace: Duration) -> Self {
        self.grace = grace;
        self
    }

    /// The state-data store the tasks reach through
    /// [`TaskContext::state_data`](crate::activity::TaskContext::state_data).
    #[cfg(feature = "tools")]
    #[cfg_attr(docsrs, doc(cfg(feature = "tools")))]
    pub fn state_data(mut self, state_data: crate::tools::StateData) -> Self {
        self.state_data = Some(state_data);
        self
    }

    /// How failed polls are retried ([`Backoff::POLL`] by default). A poll refused for a
    /// reason that retrying does not fix (`ActivityDoesNotExist`, say) waits the cap.
    pub fn poll_backoff(mut self, backoff: Backoff) -> Self {
        self.poll_backoff = backoff;
        self
    }

    /// How failed sends of results are retried ([`Backoff::SEND`] by default), and for
    /// how long after the first attempt (two minutes by default).
    pub fn send_retries(mut self, backoff: Backoff, deadline: Duration) -> Self {
        self.send_backoff = backoff;
        self.send_deadline = deadline;
        self
    }

    /// Starts the worker in the background.
    ///
    /// # Errors
    ///
    /// [`WorkerError::NoActivities`], [`WorkerError::DuplicateActivity`],
    /// [`WorkerError::InvalidActivityName`], [`WorkerError::NoRuntime`] outside a tokio
    /// runtime.
    pub fn spawn(self) -> Result<WorkerHandle, WorkerError> {
        let runtime = tokio::runtime::Handle::try_current().map_err(|_| WorkerError::NoRuntime)?;
        if self.activities.is_empty() {
            return Err(WorkerError::NoActivities);
        }
        let mut names = BTreeSet::new();
        let mut served = Vec::with_capacity(self.activities.len());
        for (activity, Concurrency(n)) in self.activities {
            let full_name = format!("{}{}", self.prefix, activity.name());
            if !full_name.starts_with("arn:") {
                sfn_core::names::check_resource_name(&full_name).map_err(|reason| {
                    WorkerError::InvalidActivityName {
                        name: full_name.clone(),
                        reason,
                    }
                })?;
            }
            if !names.insert(full_name.clone()) {
                return Err(WorkerError::DuplicateActivity { name: full_name });
            }
            served.push(Arc::new(Served {
                activity,
                full_name,
                concurrency: n.max(1),
            }));
        }
        let worker_name = match self.name {
            Some(n) => name::cut(&n),
            None => name::default_name(),
        };
        let shared = Arc::new(Shared {
            sfn: self.sfn,
            worker_name,
            counters: Arc::default(),
            shutdown: Shutdown::new(self.grace),
            poll_backoff: self.poll_backoff,
            send: SendPolicy {
                backoff: self.send_backoff,
                deadline: self.send_deadline,
            },
            #[cfg(feature = "tools")]
            state_data: self.state_data,
        });
        runtime.spawn(supervise(shared.clone(), served));
        Ok(WorkerHandle::new(shared))
    }

    /// Runs the worker until Ctrl-C or SIGTERM, then stops it: no new polls, the polls
    /// out awaited, the tasks held finished within the [grace](Self::grace) (a second
    /// signal ends the grace at once). For a binary's `main`.
    ///
    /// # Errors
    ///
    /// As [`spawn`](Self::spawn).
    pub async fn run_until_ctrl_c(self) -> Result<WorkerStats, WorkerError> {
        let worker = self.spawn()?;
        tokio::select! {
            _ = terminated() => {}
            _ = worker.wait() => return Ok(worker.stats()),
        }
        tracing::info!(worker = %worker.name(), "signal received: stopping");
        worker.stop();
        tokio::select! {
            _ = worker.wait() => {}
            _ = terminated() => {
                tracing::warn!("second signal: answering the tasks held now");
                worker.stop_with_grace(Duration::ZERO);
                worker.wait().await;
            }
        }
        Ok(worker.stats())
    }
}
