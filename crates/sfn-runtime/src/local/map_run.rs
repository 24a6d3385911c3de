//! Distributed Map: a Map Run and its child executions.
//!
//! As on AWS, a distributed Map state starts a Map Run, and each item (or `ItemBatcher`
//! batch: `{"BatchInput": …, "Items": […]}`) runs as a child execution of the engine:
//! listed with [`LocalEngine::list_executions`](super::LocalEngine::list_executions),
//! described, with its own history. The parent's history records the Map Run
//! (`MapRunStarted`, then `MapRunSucceeded`, `MapRunFailed` or `MapRunAborted`), not the
//! children's states. At most `MaxConcurrency` children run at a time; failed children
//! count against `ToleratedFailureCount`/`ToleratedFailurePercentage`, and once the
//! threshold is passed the Map Run fails with `States.ExceedToleratedFailureThreshold`,
//! stopping the children still running and starting no more.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use futures_util::{StreamExt, stream::FuturesOrdered};
use serde_json::{Value, json};
use sfn_core::error::states;
use tokio_util::sync::CancellationToken;

use super::{
    Error, ExecutionStatus,
    clock::Clock,
    execution::{ExecutionEntry, NewExecution, Via},
    history::{EventDetails, EventType},
    interp::{
        ContextIds, DISTRIBUTED_MAP_CONCURRENCY, Failure, Frame, MapRunSettings, Run, StopFlag,
        TOLERANCE_EXCEEDED,
    },
    lock,
    plan::ScopePlan,
    redrive::{Branch, Slot, branches_after},
};

/// The status of a Map Run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MapRunStatus {
    /// Its child executions are running.
    Running,
    /// Every child execution succeeded, or the failures stayed within the tolerance.
    Succeeded,
    /// The failures passed the tolerance, or the results could not be written.
    Failed,
    /// The parent execution was stopped (or timed out).
    Aborted,
}

impl MapRunStatus {
    /// The status as AWS writes it (`SUCCEEDED`).
    pub fn as_str(self) -> &'static str {
        match self {
            MapRunStatus::Running => "RUNNING",
            MapRunStatus::Succeeded => "SUCCEEDED",
            MapRunStatus::Failed => "FAILED",
            MapRunStatus::Aborted => "ABORTED",
        }
    }
}

impl std::fmt::Display for MapRunStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How many items, or child executions, a Map Run has in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct MapRunCounts {
    /// Not started yet (or never started, once the Map Run failed or was stopped).
    pub pending: u64,
    /// Running.
    pub running: u64,
    /// Succeeded.
    pub succeeded: u64,
    /// Failed.
    pub failed: u64,
    /// Timed out.
    pub timed_out: u64,
    /// Stopped.
    pub aborted: u64,
    /// All of them.
    pub total: u64,
    /// Those whose results were written out, once the Map Run succeeded: the results of
    /// the children that succeeded, gathered in the Map state's output or written by its
    /// `ResultWriter` (AWS counts them either way).
    pub results_written: u64,
}

impl MapRunCounts {
    /// The counts as `DescribeMapRun` returns them.
    pub fn to_json(&self) -> Value {
        json!({
            "pending": self.pending,
            "running": self.running,
            "succeeded": self.succeeded,
            "failed": self.failed,
            "timedOut": self.timed_out,
            "aborted": self.aborted,
            "total": self.total,
            "resultsWritten": self.results_written,
            "failuresNotRedrivable": 0,
            "pendingRedrive": 0,
        })
    }

    fn start(&mut self, n: u64) {
        self.pending = self.pending.saturating_sub(n);
        self.running += n;
    }

    fn end(&mut self, n: u64, status: ExecutionStatus) {
        self.running = self.running.saturating_sub(n);
        match status {
            ExecutionStatus::Succeeded => self.succeeded += n,
            ExecutionStatus::Failed => self.failed += n,
            ExecutionStatus::TimedOut => self.timed_out += n,
            ExecutionStatus::Aborted => self.aborted += n,
            ExecutionStatus::Running
            | ExecutionStatus::PendingRedrive
            | ExecutionStatus::Unknown => self.running += n,
        }
    }
}

/// What `DescribeMapRun` tells about a Map Run.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct MapRunDescription {
    /// The Map Run's ARN: `arn:aws:states:REGION:ACCOUNT:mapRun:MACHINE/LABEL:ID`, where
    /// `LABEL` is the Map state's `Label`, or its name.
    pub map_run_arn: String,
    /// The execution whose Map state started it.
    pub execution_arn: String,
    /// The Map Run's own machine, which its child executions run:
    /// `arn:aws:states:REGION:ACCOUNT:stateMachine:MACHINE/LABEL`, as AWS lists it.
    pub state_machine_arn: String,
    /// Its status.
    pub status: MapRunStatus,
    /// When it started.
    pub start_date: DateTime<Utc>,
    /// When it ended.
    pub stop_date: Option<DateTime<Utc>>,
    /// `MaxConcurrency` (0: no limit set).
    pub max_concurrency: u64,
    /// `ToleratedFailureCount` (0 when not set).
    pub tolerated_failure_count: u64,
    /// `ToleratedFailurePercentage` (0 when not set).
    pub tolerated_failure_percentage: f64,
    /// The items, by the state of the child execution that has them.
    pub item_counts: MapRunCounts,
    /// The child executions, by state.
    pub execution_counts: MapRunCounts,
}

fn epoch_seconds(t: DateTime<Utc>) -> Value {
    json!(t.timestamp_millis() as f64 / 1000.0)
}

impl MapRunDescription {
    /// The description as `DescribeMapRun` returns it (dates in epoch seconds).
    pub fn to_json(&self) -> Value {
        let mut v = json!({
            "mapRunArn": self.map_run_arn,
            "executionArn": self.execution_arn,
            "status": self.status.as_str(),
            "startDate": epoch_seconds(self.start_date),
            "maxConcurrency": self.max_concurrency,
            "toleratedFailurePercentage": self.tolerated_failure_percentage,
            "toleratedFailureCount": self.tolerated_failure_count,
            "itemCounts": self.item_counts.to_json(),
            "executionCounts": self.execution_counts.to_json(),
            "redriveCount": 0,
        });
        if let (Some(stop), Value::Object(m)) = (self.stop_date, &mut v) {
            m.insert("stopDate".into(), epoch_seconds(stop));
        }
        v
    }
}

/// What `UpdateMapRun` changes of a running Map Run; `None` to leave a setting as it is.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
#[non_exhaustive]
pub struct MapRunUpdate {
    /// `maxConcurrency`: the most child executions running at a time (0: no limit).
    pub max_concurrency: Option<u64>,
    /// `toleratedFailurePercentage`, from 0 to 100.
    pub tolerated_failure_percentage: Option<f64>,
    /// `toleratedFailureCount`.
    pub tolerated_failure_count: Option<u64>,
}

impl MapRunUpdate {
    /// An update that changes nothing yet.
    pub fn new() -> Self {
        MapRunUpdate::default()
    }

    /// Sets `maxConcurrency`.
    pub fn max_concurrency(mut self, n: u64) -> Self {
        self.max_concurrency = Some(n);
        self
    }

    /// Sets `toleratedFailurePercentage`.
    pub fn tolerated_failure_percentage(mut self, pct: f64) -> Self {
        self.tolerated_failure_percentage = Some(pct);
        self
    }

    /// Sets `toleratedFailureCount`.
    pub fn tolerated_failure_count(mut self, n: u64) -> Self {
        self.tolerated_failure_count = Some(n);
        self
    }
}

/// A Map Run's settings, which `UpdateMapRun` changes while it runs.
#[derive(Debug, Clone, Copy)]
struct MapRunConfig {
    /// `MaxConcurrency` as given (0: no limit).
    max_concurrency: u64,
    /// The children run at a time.
    limit: usize,
    tolerated_count: Option<u64>,
    tolerated_pct: Option<f64>,
}

struct MapRunState {
    status: MapRunStatus,
    config: MapRunConfig,
    stop_date: Option<DateTime<Utc>>,
    items: MapRunCounts,
    executions: MapRunCounts,
}

/// A Map Run, as the engine keeps it.
pub(crate) struct MapRunEntry {
    arn: String,
    execution_arn: String,
    state_machine_arn: String,
    start: DateTime<Utc>,
    state: Mutex<MapRunState>,
    /// Told when the settings change.
    changed: tokio::sync::Notify,
}

impl MapRunEntry {
    pub(crate) fn execution_arn(&self) -> &str {
        &self.execution_arn
    }

    pub(crate) fn describe(&self) -> MapRunDescription {
        let s = lock(&self.state);
        MapRunDescription {
            map_run_arn: self.arn.clone(),
            execution_arn: self.execution_arn.clone(),
            state_machine_arn: self.state_machine_arn.clone(),
            status: s.status,
            start_date: self.start,
            stop_date: s.stop_date,
            max_concurrency: s.config.max_concurrency,
            tolerated_failure_count: s.config.tolerated_count.unwrap_or(0),
            tolerated_failure_percentage: s.config.tolerated_pct.unwrap_or(0.0),
            item_counts: s.items,
            execution_counts: s.executions,
        }
    }

    fn config(&self) -> MapRunConfig {
        lock(&self.state).config
    }

    /// Changes the settings of the running Map Run: its children from now on run under
    /// them.
    pub(crate) fn update(&self, update: MapRunUpdate) -> Result<(), Error> {
        if let Some(p) = update.tolerated_failure_percentage
            && !(0.0..=100.0).contains(&p)
        {
            return Err(Error::Validation {
                message: format!("toleratedFailurePercentage must be between 0 and 100, not {p}"),
            });
        }
        {
            let mut s = lock(&self.state);
            if s.status != MapRunStatus::Running {
                return Err(Error::Validation {
                    message: format!("the Map Run {} is {}, not RUNNING", self.arn, s.status),
                });
            }
            let c = &mut s.config;
            if let Some(n) = update.max_concurrency {
                c.max_concurrency = n;
                c.limit = match n {
                    0 => DISTRIBUTED_MAP_CONCURRENCY,
                    n => usize::try_from(n).unwrap_or(usize::MAX),
                };
            }
            if let Some(n) = update.tolerated_failure_count {
                c.tolerated_count = Some(n);
            }
            if let Some(p) = update.tolerated_failure_percentage {
                c.tolerated_pct = Some(p);
            }
        }
        self.changed.notify_one();
        Ok(())
    }

    /// Items whose child execution succeeded before a redrive: they succeed again
    /// without one.
    fn kept(&self, items: u64) {
        let mut s = lock(&self.state);
        s.items.start(items);
        s.items.end(items, ExecutionStatus::Succeeded);
        s.executions.pending = s.executions.pending.saturating_sub(1);
        s.executions.total = s.executions.total.saturating_sub(1);
    }

    fn child_started(&self, items: u64) {
        let mut s = lock(&self.state);
        s.items.start(items);
        s.executions.start(1);
    }

    fn child_ended(&self, items: u64, status: ExecutionStatus) {
        let mut s = lock(&self.state);
        s.items.end(items, status);
        s.executions.end(1, status);
    }

    /// Ends the Map Run, once. Children never started count as aborted when it did not
    /// succeed.
    fn close(&self, now: DateTime<Utc>, status: MapRunStatus) {
        let mut guard = lock(&self.state);
        let s = &mut *guard;
        if s.status != MapRunStatus::Running {
            return;
        }
        s.status = status;
        s.stop_date = Some(now);
        for c in [&mut s.items, &mut s.executions] {
            if status == MapRunStatus::Succeeded {
                c.results_written = c.succeeded;
            } else {
                c.aborted += c.pending;
                c.pending = 0;
            }
        }
    }
}

/// Ends a Map Run left behind (its Map state dropped on a timeout) as aborted.
struct MapRunGuard {
    run: Arc<MapRunEntry>,
    clock: Arc<dyn Clock>,
}

impl Drop for MapRunGuard {
    fn drop(&mut self) {
        self.run.close(self.clock.now(), MapRunStatus::Aborted);
    }
}

/// Closes a child execution dropped before its end (its parent timed out) as aborted.
struct ChildGuard {
    entry: Arc<ExecutionEntry>,
    clock: Arc<dyn Clock>,
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        self.entry
            .finish(self.clock.now(), ExecutionStatus::Aborted, None, None, None);
    }
}

/// How a child execution ended, for its Map Run.
enum ChildOutcome {
    Succeeded(Arc<Value>),
    /// Failed, timed out, or stopped by itself: counts against the tolerance.
    Failed(u64),
    /// Stopped with its parent or its Map Run: not counted.
    Stopped,
    /// Never started: the Map Run had already ended.
    NotStarted,
    /// The parent execution timed out.
    Fatal(Failure),
}

/// What every child execution of one Map Run shares.
struct Children<'a> {
    processor: &'a ScopePlan,
    run: &'a MapRunEntry,
    map_run_arn: Arc<str>,
    /// `arn:…:execution:MACHINE/LABEL` or `arn:…:express:MACHINE/LABEL:MAP_RUN_ID`.
    arn_prefix: String,
    /// `arn:…:stateMachine:MACHINE/LABEL`.
    machine_arn: Arc<str>,
    machine_name: String,
    flag: Arc<StopFlag>,
    cancel: CancellationToken,
    vars: serde_json::Map<String, Value>,
    item_in_context: bool,
}

/// A random (version 4) UUID, without a system call.
fn random_uuid() -> uuid::Uuid {
    uuid::Builder::from_random_bytes(fastrand::u128(..).to_le_bytes()).into_uuid()
}

/// Whether `failed` of `total` items passes the tolerance: with neither field, any failure
/// does; with both, exceeding either fails the Map Run, as AWS documents ("If you specify
/// both values, the workflow fails when it exceeds either value",
/// <https://docs.aws.amazon.com/step-functions/latest/dg/maprun-fail-threshold.html>).
pub(crate) fn over_tolerance(
    failed: u64,
    total: u64,
    count: Option<u64>,
    pct: Option<f64>,
) -> bool {
    if failed == 0 {
        return false;
    }
    if count.is_none() && pct.is_none() {
        return true;
    }
    let over_count = count.is_some_and(|c| failed > c);
    let over_pct = pct.is_some_and(|p| (failed as f64) * 100.0 / (total.max(1) as f64) > p);
    over_count || over_pct
}

impl Run {
    /// Registers a running Map Run of `count` children (`item_total` items) for the
    /// state labelled `label`: the run, its label (`machine/label`) and its id.
    fn register_map_run(
        &self,
        label: &str,
        config: MapRunConfig,
        item_total: u64,
        count: usize,
    ) -> (Arc<MapRunEntry>, String, uuid::Uuid) {
        let now = self.now();
        let id = random_uuid();
        let label = format!("{}/{}", self.machine_name, label);
        let arns = &self.engine.arns;
        let arn = arns.states(format_args!("mapRun:{label}:{id}"));
        let counts = |total: u64| MapRunCounts {
            pending: total,
            total,
            ..MapRunCounts::default()
        };
        let machine_arn = arns.states(format_args!("stateMachine:{label}"));
        let run = Arc::new(MapRunEntry {
            arn: arn.clone(),
            execution_arn: self.execution_arn.to_string(),
            state_machine_arn: machine_arn.clone(),
            start: now,
            state: Mutex::new(MapRunState {
                status: MapRunStatus::Running,
                config,
                stop_date: None,
                items: counts(item_total),
                executions: counts(count as u64),
            }),
            changed: tokio::sync::Notify::new(),
        });
        lock(&self.engine.map_runs).insert(arn, run.clone());
        (run, label, id)
    }

    /// A Map Run whose `ItemReader` could not read the items: as AWS records it, the run
    /// starts and fails with the reader's error (`MapRunStarted`, `MapRunFailed`), and the
    /// state fails with it (`MapStateFailed`, recorded once no retrier takes it).
    pub(crate) fn reader_failed_map_run(
        &self,
        label: &str,
        failure: Failure,
        frame: &mut Frame,
    ) -> Failure {
        let Failure::Error { error, cause } = failure else {
            return failure;
        };
        let config = MapRunConfig {
            max_concurrency: 0,
            limit: 1,
            tolerated_count: None,
            tolerated_pct: None,
        };
        let (run, _, _) = self.register_map_run(label, config, 0, 0);
        let started = self.record(
            frame,
            EventType::MapRunStarted,
            EventDetails::MapRunStarted {
                map_run_arn: Arc::from(run.arn.as_str()),
            },
        );
        run.close(self.now(), MapRunStatus::Failed);
        let failed = started.and_then(|_| {
            self.record(
                frame,
                EventType::MapRunFailed,
                EventDetails::Failure {
                    error: Failure::reported(&error),
                    cause: cause.clone(),
                },
            )
        });
        if let Err(f) = failed {
            return f;
        }
        frame.closing_failure = Some(EventType::MapStateFailed);
        Failure::Error { error, cause }
    }

    /// Runs a distributed Map's items (`inputs`, of `sizes` items each when batched) as
    /// the child executions of a Map Run; returns their outputs in item order.
    pub(crate) async fn map_run(
        &self,
        settings: MapRunSettings<'_>,
        inputs: Vec<Value>,
        sizes: Option<Vec<usize>>,
        frame: &mut Frame,
    ) -> Result<Value, Failure> {
        let count = inputs.len();
        let item_total = sizes.as_ref().map_or(count, |s| s.iter().sum()) as u64;
        let config = MapRunConfig {
            max_concurrency: settings.max_concurrency,
            limit: settings.limit.max(1),
            tolerated_count: settings.tolerated_count,
            tolerated_pct: settings.tolerated_pct,
        };
        let (run, label, id) = self.register_map_run(settings.label, config, item_total, count);
        let arns = &self.engine.arns;
        let arn = run.arn.clone();
        let _guard = MapRunGuard {
            run: run.clone(),
            clock: self.clock.clone(),
        };
        let map_run_arn: Arc<str> = Arc::from(arn.as_str());
        let run_started = self.record(
            frame,
            EventType::MapRunStarted,
            EventDetails::MapRunStarted {
                map_run_arn: map_run_arn.clone(),
            },
        )?;
        let arn_prefix = if settings.express {
            arns.states(format_args!("express:{label}:{id}"))
        } else {
            arns.states(format_args!("execution:{label}"))
        };
        let children = Children {
            processor: settings.processor,
            run: &run,
            map_run_arn,
            arn_prefix,
            machine_arn: Arc::from(arns.states(format_args!("stateMachine:{label}"))),
            machine_name: label,
            flag: Arc::new(StopFlag::child(self.stopped.clone())),
            cancel: self.cancel.child_token(),
            vars: frame.vars.clone(),
            item_in_context: settings.item_in_context,
        };
        let items_of = |index: usize| -> u64 {
            sizes
                .as_ref()
                .and_then(|s| s.get(index))
                .map_or(1, |n| *n as u64)
        };
        // A redrive starts no child for an item whose child execution succeeded.
        let mut prior = frame.redrive.prior();
        let mut futures = inputs.into_iter().enumerate().map(|(index, input)| {
            let prior = prior.next().unwrap_or(Branch::Fresh);
            self.child(&children, index, input, items_of(index), prior)
        });
        // The children run in item order, at most the Map Run's limit at a time, which
        // `UpdateMapRun` may change while they run.
        let mut results = FuturesOrdered::new();
        // By item: the output of those that succeeded.
        let mut outputs: Vec<Option<Arc<Value>>> = Vec::with_capacity(count);
        let mut failed_items = 0u64;
        let mut exceeded = false;
        let mut fatal = None;
        loop {
            let config = run.config();
            while results.len() < config.limit {
                match futures.next() {
                    Some(f) => results.push_back(f),
                    None => break,
                }
            }
            let outcome = tokio::select! {
                outcome = results.next() => match outcome {
                    Some(outcome) => outcome,
                    None => break,
                },
                _ = run.changed.notified() => continue,
            };
            outputs.push(match &outcome {
                ChildOutcome::Succeeded(v) => Some(v.clone()),
                _ => None,
            });
            match outcome {
                ChildOutcome::Succeeded(_) => {}
                ChildOutcome::Failed(items) => {
                    failed_items += items;
                    if !exceeded
                        && over_tolerance(
                            failed_items,
                            item_total,
                            config.tolerated_count,
                            config.tolerated_pct,
                        )
                    {
                        // The Map Run fails: the children still running stop, no more
                        // start.
                        exceeded = true;
                        children.flag.set();
                        children.cancel.cancel();
                    }
                }
                ChildOutcome::Stopped | ChildOutcome::NotStarted => {}
                ChildOutcome::Fatal(f) => {
                    fatal.get_or_insert(f);
                    children.flag.set();
                    children.cancel.cancel();
                }
            }
        }
        drop(results);
        let now = self.now();
        let failed = self.stopped.is_set() || fatal.is_some() || exceeded;
        if failed {
            // A redrive keeps what succeeded.
            frame.redrive.inner = Some(branches_after(&outputs, Vec::new()));
        }
        if self.stopped.is_set() {
            run.close(now, MapRunStatus::Aborted);
            self.record_abort(frame, EventType::MapRunAborted, EventDetails::None);
            return Err(Failure::Aborted);
        }
        if let Some(f) = fatal {
            run.close(now, MapRunStatus::Aborted);
            return Err(f);
        }
        // The results are written also when the failures exceed the tolerance, so that
        // what failed can be read ("ResultWriter (Map)").
        let written = match &settings.result_writer {
            Some(plan) => Some(self.write_results(plan, &arn).await),
            None => None,
        };
        let failure = if exceeded {
            Some(Failure::new(
                states::EXCEED_TOLERATED_FAILURE_THRESHOLD,
                Some(TOLERANCE_EXCEEDED.into()),
            ))
        } else if let Some(Err(f)) = &written {
            Some(f.clone())
        } else {
            None
        };
        if let Some(Failure::Error { error, cause }) = failure {
            run.close(now, MapRunStatus::Failed);
            let details = EventDetails::Failure {
                error: Failure::reported(&error),
                cause: cause.clone(),
            };
            self.record(frame, EventType::MapRunFailed, details)?;
            frame.closing_failure = Some(EventType::MapStateFailed);
            return Err(Failure::Error { error, cause });
        }
        run.close(now, MapRunStatus::Succeeded);
        self.record(frame, EventType::MapRunSucceeded, EventDetails::None)?;
        self.record(frame, EventType::MapStateSucceeded, EventDetails::None)?;
        // As AWS records a Map Run that succeeded, `MapStateExited` follows `MapRunStarted`.
        frame.last = run_started;
        match written {
            Some(result) => result,
            None => Ok(Value::Array(
                outputs
                    .into_iter()
                    .flatten()
                    .map(Arc::unwrap_or_clone)
                    .collect(),
            )),
        }
    }

    /// Runs one child execution to its end, registered with the engine.
    async fn child(
        &self,
        children: &Children<'_>,
        index: usize,
        input: Value,
        items: u64,
        prior: Branch,
    ) -> ChildOutcome {
        if children.flag.is_set() {
            return ChildOutcome::NotStarted;
        }
        if let Branch::Done(out) = prior {
            children.run.kept(items);
            return ChildOutcome::Succeeded(out);
        }
        let name = random_uuid().to_string();
        let arn = format!("{}:{name}", children.arn_prefix);
        let input = Arc::new(input);
        let now = self.now();
        let flag = Arc::new(StopFlag::child(children.flag.clone()));
        let cancel = children.cancel.child_token();
        let entry = Arc::new(ExecutionEntry::new(NewExecution {
            arn: arn.clone(),
            name: name.clone(),
            machine_arn: children.machine_arn.to_string(),
            map_run_arn: Some(children.map_run_arn.clone()),
            via: Via::default(),
            revision: self.revision,
            input: input.clone(),
            input_text: None,
            start: now,
            cancel: cancel.clone(),
            stopped: flag.clone(),
            history_capacity: 8,
        }));
        let _ = lock(&entry.history).push(
            0,
            now,
            EventType::ExecutionStarted,
            EventDetails::ExecutionStarted {
                input: input.clone(),
                input_text: None,
                role_arn: self.role_arn.clone(),
                state_machine_version_arn: None,
                state_machine_alias_arn: None,
            },
        );
        lock(&self.engine.executions).insert(arn.clone(), entry.clone());
        let _guard = ChildGuard {
            entry: entry.clone(),
            clock: self.clock.clone(),
        };
        children.run.child_started(items);
        let context_base = if children.item_in_context {
            ContextIds {
                execution_arn: &arn,
                execution_name: &name,
                role_arn: &self.role_arn,
                start: now,
                machine_arn: &children.machine_arn,
                machine_name: &children.machine_name,
                redrive_count: Some(0),
                redrive_time: None,
            }
            .context_base()
        } else {
            Arc::default()
        };
        let run = Run {
            clock: self.clock.clone(),
            handlers: self.handlers.clone(),
            tasks: self.tasks.clone(),
            mocks: self.mocks.clone(),
            mock_counts: self.mock_counts.clone(),
            cancel,
            stopped: flag,
            execution_arn: Arc::from(arn.as_str()),
            engine: self.engine.clone(),
            machine_name: self.machine_name.clone(),
            deletable: None,
            revision: self.revision,
            role_arn: self.role_arn.clone(),
            context_base,
            input: input.clone(),
            deadline: self.deadline,
            probe: None,
        };
        let mut frame = Frame {
            history: entry.history.clone(),
            last: 0,
            vars: children.vars.clone(),
            map_item: children.item_in_context.then(|| (index, (*input).clone())),
            verified: None,
            redrive: Slot::default(),
            closing_failure: None,
            assigned: None,
        };
        let result = run.run_scope(children.processor, input, &mut frame).await;
        let now = self.now();
        let (status, outcome) = match result {
            Ok(out) => {
                entry.finish(
                    now,
                    ExecutionStatus::Succeeded,
                    Some(out.clone()),
                    None,
                    None,
                );
                (ExecutionStatus::Succeeded, ChildOutcome::Succeeded(out))
            }
            Err(Failure::Error { error, cause }) => {
                let error = Failure::reported(&error);
                entry.finish(now, ExecutionStatus::Failed, None, error, cause);
                (ExecutionStatus::Failed, ChildOutcome::Failed(items))
            }
            Err(Failure::HistoryFull) => {
                entry.finish(
                    now,
                    ExecutionStatus::Failed,
                    None,
                    Some(states::RUNTIME.to_owned()),
                    Some(format!(
                        "The execution reached the maximum number of history events ({}).",
                        super::MAX_HISTORY_EVENTS
                    )),
                );
                (ExecutionStatus::Failed, ChildOutcome::Failed(items))
            }
            Err(Failure::Aborted) => {
                entry.finish(now, ExecutionStatus::Aborted, None, None, None);
                let outcome = if children.flag.is_set() {
                    ChildOutcome::Stopped
                } else {
                    ChildOutcome::Failed(items)
                };
                (ExecutionStatus::Aborted, outcome)
            }
            Err(f @ Failure::TimedOut) => {
                entry.finish(now, ExecutionStatus::Aborted, None, None, None);
                (ExecutionStatus::Aborted, ChildOutcome::Fatal(f))
            }
        };
        children.run.child_ended(items, status);
        self.engine.note_finished(&entry, now);
        outcome
    }
}

#[cfg(test)]
mod tests {
    use super::over_tolerance;

    #[test]
    fn tolerance_fails_when_either_threshold_is_exceeded() {
        // Neither field: the first failure fails the Map Run.
        assert!(!over_tolerance(0, 10, None, None));
        assert!(over_tolerance(1, 10, None, None));
        // One field.
        assert!(!over_tolerance(2, 10, Some(2), None));
        assert!(over_tolerance(3, 10, Some(2), None));
        assert!(!over_tolerance(5, 10, None, Some(50.0)));
        assert!(over_tolerance(6, 10, None, Some(50.0)));
        // Both: exceeding the count alone, or the percentage alone, is enough.
        assert!(over_tolerance(3, 10, Some(2), Some(90.0)));
        assert!(over_tolerance(3, 10, Some(100), Some(20.0)));
        assert!(!over_tolerance(2, 10, Some(2), Some(20.0)));
    }
}
