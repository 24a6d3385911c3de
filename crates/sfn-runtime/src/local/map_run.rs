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

use chrono::{DateTime, SecondsFormat, Utc};
use futures_util::{StreamExt, stream};
use serde_json::{Value, json};
use sfn_core::error::states;
use tokio_util::sync::CancellationToken;

use super::{
    ExecutionStatus,
    clock::Clock,
    execution::{ExecutionEntry, NewExecution, Via},
    history::{EventDetails, EventType},
    interp::{Failure, Frame, MapRunSettings, Run, StopFlag, result_writer_failure},
    lock,
    plan::ScopePlan,
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
            "resultsWritten": 0,
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
            ExecutionStatus::Running => self.running += n,
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
    /// That execution's machine.
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

struct MapRunState {
    status: MapRunStatus,
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
    max_concurrency: u64,
    tolerated_failure_count: u64,
    tolerated_failure_percentage: f64,
    state: Mutex<MapRunState>,
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
            max_concurrency: self.max_concurrency,
            tolerated_failure_count: self.tolerated_failure_count,
            tolerated_failure_percentage: self.tolerated_failure_percentage,
            item_counts: s.items,
            execution_counts: s.executions,
        }
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
        if status != MapRunStatus::Succeeded {
            for c in [&mut s.items, &mut s.executions] {
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
    Succeeded(Value),
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
fn over_tolerance(failed: u64, total: u64, count: Option<u64>, pct: Option<f64>) -> bool {
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
    /// Runs a distributed Map's items (`inputs`, of `sizes` items each when batched) as
    /// the child executions of a Map Run; returns their outputs in item order.
    pub(crate) async fn map_run(
        &self,
        settings: MapRunSettings<'_>,
        inputs: Vec<Value>,
        sizes: Option<Vec<usize>>,
        frame: &mut Frame,
    ) -> Result<Vec<Value>, Failure> {
        let now = self.now();
        let id = random_uuid();
        let label = format!("{}/{}", self.machine_name, settings.label);
        let arns = &self.engine.arns;
        let arn = arns.states(format_args!("mapRun:{label}:{id}"));
        let count = inputs.len();
        let item_total = sizes.as_ref().map_or(count, |s| s.iter().sum()) as u64;
        let counts = |total: u64| MapRunCounts {
            pending: total,
            total,
            ..MapRunCounts::default()
        };
        let machine_arn = arns.states(format_args!("stateMachine:{}", self.machine_name));
        let run = Arc::new(MapRunEntry {
            arn: arn.clone(),
            execution_arn: self.execution_arn.to_string(),
            state_machine_arn: machine_arn,
            start: now,
            max_concurrency: settings.max_concurrency,
            tolerated_failure_count: settings.tolerated_count.unwrap_or(0),
            tolerated_failure_percentage: settings.tolerated_pct.unwrap_or(0.0),
            state: Mutex::new(MapRunState {
                status: MapRunStatus::Running,
                stop_date: None,
                items: counts(item_total),
                executions: counts(count as u64),
            }),
        });
        lock(&self.engine.map_runs).insert(arn.clone(), run.clone());
        let _guard = MapRunGuard {
            run: run.clone(),
            clock: self.clock.clone(),
        };
        let map_run_arn: Arc<str> = Arc::from(arn.as_str());
        self.record(
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
        let futures = inputs
            .into_iter()
            .enumerate()
            .map(|(index, input)| self.child(&children, index, input, items_of(index)));
        let mut results = stream::iter(futures).buffered(settings.limit.max(1));
        let mut outputs = Vec::with_capacity(count);
        let mut failed_items = 0u64;
        let mut exceeded = false;
        let mut fatal = None;
        while let Some(outcome) = results.next().await {
            match outcome {
                ChildOutcome::Succeeded(v) => outputs.push(v),
                ChildOutcome::Failed(items) => {
                    failed_items += items;
                    if !exceeded
                        && over_tolerance(
                            failed_items,
                            item_total,
                            settings.tolerated_count,
                            settings.tolerated_pct,
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
        if self.stopped.is_set() {
            run.close(now, MapRunStatus::Aborted);
            self.record_abort(frame, EventType::MapRunAborted, EventDetails::None);
            return Err(Failure::Aborted);
        }
        if let Some(f) = fatal {
            run.close(now, MapRunStatus::Aborted);
            return Err(f);
        }
        let failure = if exceeded {
            Some(Failure::new(
                states::EXCEED_TOLERATED_FAILURE_THRESHOLD,
                Some("The specified tolerance threshold was exceeded".into()),
            ))
        } else if settings.result_writer {
            Some(result_writer_failure())
        } else {
            None
        };
        if let Some(Failure::Error { error, cause }) = failure {
            run.close(now, MapRunStatus::Failed);
            let details = || EventDetails::Failure {
                error: Some(error.clone()),
                cause: cause.clone(),
            };
            self.record(frame, EventType::MapRunFailed, details())?;
            self.record(frame, EventType::MapStateFailed, details())?;
            return Err(Failure::Error { error, cause });
        }
        run.close(now, MapRunStatus::Succeeded);
        self.record(frame, EventType::MapRunSucceeded, EventDetails::None)?;
        self.record(frame, EventType::MapStateSucceeded, EventDetails::None)?;
        Ok(outputs)
    }

    /// Runs one child execution to its end, registered with the engine.
    async fn child(
        &self,
        children: &Children<'_>,
        index: usize,
        input: Value,
        items: u64,
    ) -> ChildOutcome {
        if children.flag.is_set() {
            return ChildOutcome::NotStarted;
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
            input: input.clone(),
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
        let context_base = match children.item_in_context.then(|| {
            json!({
                "Execution": {
                    "Id": arn,
                    "Name": name,
                    "RoleArn": &*self.role_arn,
                    "StartTime": now.to_rfc3339_opts(SecondsFormat::Millis, true),
                    "RedriveCount": 0,
                },
                "StateMachine": {"Id": &*children.machine_arn, "Name": children.machine_name},
            })
        }) {
            Some(Value::Object(m)) => Arc::new(m),
            _ => Arc::default(),
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
            role_arn: self.role_arn.clone(),
            context_base,
            input: input.clone(),
            deadline: self.deadline,
        };
        let mut frame = Frame {
            history: entry.history.clone(),
            last: 0,
            vars: children.vars.clone(),
            map_item: children.item_in_context.then(|| (index, (*input).clone())),
            verified: None,
        };
        let result = run.run_scope(children.processor, input, &mut frame).await;
        let now = self.now();
        let (status, outcome) = match result {
            Ok(out) => {
                let value = (*out).clone();
                entry.finish(now, ExecutionStatus::Succeeded, Some(out), None, None);
                (ExecutionStatus::Succeeded, ChildOutcome::Succeeded(value))
            }
            Err(Failure::Error { error, cause }) => {
                let error = Some(error).filter(|e| !e.is_empty());
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
