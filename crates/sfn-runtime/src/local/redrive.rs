//! Redrive (`RedriveExecution`): a failed, timed-out or stopped Standard execution runs
//! again from the states that did not succeed, under the same ARN, its history going on.
//!
//! As AWS documents (<https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html>):
//! the successful states keep their results and are not run again; the state that failed
//! (or was in flight) runs again on the input it had; inside a Parallel or an inline Map,
//! only the branches and iterations that did not succeed run again, each from its own
//! failed state; the machine's `TimeoutSeconds` counts from the redrive. An execution can
//! be redriven within 14 days of its end, unless its history is full, it has been open
//! for more than a year, or it started before AWS launched redrive (2023-11-15); a child
//! execution of a distributed Map runs again when its parent is redriven.
//!
//! While an execution runs, each thread (the execution, a branch, an iteration) keeps in
//! its [`Slot`] the state it is in; when it stops without an output, that becomes a
//! [`Checkpoint`], and a failed Parallel or Map adds how each of its branches ended. A
//! redrive hands the checkpoint back to the interpreter, which starts there.
//!
//! Limits: a branch or an iteration still running when a sibling failed (the first
//! failure ends the others) runs again from its first state; a Parallel or Map in flight
//! when the execution timed out runs again whole; a distributed Map runs a new Map Run
//! (where AWS redrives the same one) in which the items whose child execution succeeded
//! keep their output and start none, and the others start a new child execution from its
//! first state.

use std::{
    collections::{HashMap, VecDeque},
    sync::{Arc, Mutex},
};

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};
use tokio_util::sync::CancellationToken;

use sfn_core::model::ExecutionType;

use super::{
    Error, EventDetails, EventType, Execution, ExecutionDescription, ExecutionStatus, LocalEngine,
    MAX_HISTORY_EVENTS, Mocks,
    engine::MachineEntry,
    execution::{ExecutionEntry, NewExecution},
    interp::{Failure, Frame, Run},
    lock,
    plan::ScopePlan,
};

/// How long after its end an execution can be redriven.
const REDRIVABLE_DAYS: i64 = 14;

/// The longest an execution may stay open, redrives included.
const MAX_OPEN_DAYS: i64 = 365;

/// When AWS launched redrive (2023-11-15T00:00:00Z, in seconds): executions started
/// before cannot be redriven.
const REDRIVE_LAUNCH: i64 = 1_700_006_400;

/// The client tokens of this many last redrives are remembered.
const CLIENT_TOKENS: usize = 10;

/// How long a client token keeps answering with its redrive.
const CLIENT_TOKEN_MINUTES: i64 = 15;

/// Whether an execution can be redriven now (`redriveStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RedriveStatus {
    /// [`LocalEngine::redrive_execution`] would redrive it.
    Redrivable,
    /// It cannot be redriven; `redrive_status_reason` says why.
    NotRedrivable,
    /// A child execution of a distributed Map that did not succeed: it runs again when
    /// its parent execution is redriven.
    RedrivableByMapRun,
}

impl RedriveStatus {
    /// The status as AWS writes it (`REDRIVABLE`).
    pub fn as_str(self) -> &'static str {
        match self {
            RedriveStatus::Redrivable => "REDRIVABLE",
            RedriveStatus::NotRedrivable => "NOT_REDRIVABLE",
            RedriveStatus::RedrivableByMapRun => "REDRIVABLE_BY_MAP_RUN",
        }
    }
}

impl std::fmt::Display for RedriveStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which executions a listing keeps by their redrives (`ListExecutions`'
/// `redriveFilter`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RedriveFilter {
    /// Those redriven at least once.
    Redriven,
    /// Those never redriven.
    NotRedriven,
}

impl RedriveFilter {
    /// The filter as AWS writes it (`REDRIVEN`).
    pub fn as_str(self) -> &'static str {
        match self {
            RedriveFilter::Redriven => "REDRIVEN",
            RedriveFilter::NotRedriven => "NOT_REDRIVEN",
        }
    }

    /// Whether an execution redriven `count` times passes.
    pub(crate) fn keeps(self, count: u32) -> bool {
        match self {
            RedriveFilter::Redriven => count > 0,
            RedriveFilter::NotRedriven => count == 0,
        }
    }
}

/// Which executions [`LocalEngine::list_executions_matching`] lists (`ListExecutions`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ExecutionFilter {
    /// Those of this machine (`stateMachineArn`), or, given a Map Run's ARN, those it
    /// started (`mapRunArn`).
    pub machine_arn: Option<String>,
    /// Those with this status (`statusFilter`).
    pub status: Option<ExecutionStatus>,
    /// Those redriven, or not (`redriveFilter`).
    pub redrive: Option<RedriveFilter>,
}

impl ExecutionFilter {
    /// Every execution.
    pub fn new() -> Self {
        ExecutionFilter::default()
    }

    /// Those of the machine or Map Run `arn`.
    pub fn machine(mut self, arn: impl Into<String>) -> Self {
        self.machine_arn = Some(arn.into());
        self
    }

    /// Those with `status`.
    pub fn status(mut self, status: ExecutionStatus) -> Self {
        self.status = Some(status);
        self
    }

    /// Those redriven, or not.
    pub fn redrive(mut self, redrive: RedriveFilter) -> Self {
        self.redrive = Some(redrive);
        self
    }
}

/// Where a thread of an execution stopped without an output: what a redrive resumes.
#[derive(Debug, Clone)]
pub(crate) struct Checkpoint {
    /// The state that did not succeed, by its index in its scope.
    pub(crate) state: usize,
    /// The input it had.
    pub(crate) input: Arc<Value>,
    /// The thread's variables when it entered the state.
    pub(crate) vars: Map<String, Value>,
    /// For a failed Parallel or inline Map: how each branch or iteration ended.
    pub(crate) inner: Option<Vec<Branch>>,
}

/// How one branch of a Parallel, or one iteration of an inline Map, ended.
#[derive(Debug, Clone)]
pub(crate) enum Branch {
    /// It succeeded: a redrive keeps its output.
    Done(Arc<Value>),
    /// It stopped there: a redrive resumes it.
    Resume(Checkpoint),
    /// It never ran, or was ended by a sibling's failure: a redrive runs it whole.
    Fresh,
}

/// How the branches or iterations `outputs` (by index; `None` where there is none) ended,
/// with the checkpoints of those that `stopped`.
pub(crate) fn branches_after(
    outputs: &[Option<Arc<Value>>],
    stopped: Vec<Option<Checkpoint>>,
) -> Vec<Branch> {
    let mut stopped = stopped.into_iter();
    let mut branches: Vec<Branch> = outputs
        .iter()
        .map(|out| match (out, stopped.next().flatten()) {
            (Some(out), _) => Branch::Done(out.clone()),
            (None, Some(cp)) => Branch::Resume(cp),
            (None, None) => Branch::Fresh,
        })
        .collect();
    branches.extend(stopped.map(|cp| cp.map_or(Branch::Fresh, Branch::Resume)));
    branches
}

/// A thread's redrive bookkeeping: the state it is in, where it stopped, and where a
/// redrive makes it start.
#[derive(Debug, Default)]
pub(crate) struct Slot {
    /// Where the thread starts (taken when its scope starts).
    pub(crate) resume: Option<Checkpoint>,
    /// For the state the thread resumes at, a Parallel or Map: its branches' outcomes.
    pub(crate) resume_inner: Option<Vec<Branch>>,
    /// What a Parallel or Map that failed leaves for its state's checkpoint.
    pub(crate) inner: Option<Vec<Branch>>,
    /// The state the thread is in, and its input.
    at: Option<(usize, Arc<Value>)>,
    /// Where the thread stopped.
    stopped: Option<Checkpoint>,
}

impl Slot {
    /// A thread that starts at `resume`, or at its scope's start.
    pub(crate) fn resuming(resume: Option<Checkpoint>) -> Self {
        Slot {
            resume,
            ..Slot::default()
        }
    }

    /// How the branches or iterations of the state the thread resumes at ended, in
    /// order (none when it does not resume at a Parallel or Map).
    pub(crate) fn prior(&mut self) -> std::vec::IntoIter<Branch> {
        self.resume_inner.take().unwrap_or_default().into_iter()
    }

    /// The thread enters the state `state` with `input`; `resume_inner` when it resumes
    /// a Parallel or Map there.
    pub(crate) fn enter(
        &mut self,
        state: usize,
        input: &Arc<Value>,
        resume_inner: Option<Vec<Branch>>,
    ) {
        self.at = Some((state, input.clone()));
        self.inner = None;
        self.resume_inner = resume_inner;
    }

    /// The state the thread is in did not succeed: the thread stops there.
    pub(crate) fn stop(&mut self, vars: &Map<String, Value>) {
        if let Some((state, input)) = self.at.clone() {
            self.stopped = Some(Checkpoint {
                state,
                input,
                vars: vars.clone(),
                inner: self.inner.take(),
            });
        }
    }

    /// Where the thread stopped: where it failed or was stopped, or, when its run was
    /// dropped in flight (a timeout), the state it was in.
    pub(crate) fn checkpoint(&mut self, vars: &Map<String, Value>) -> Option<Checkpoint> {
        self.stopped.take().or_else(|| {
            self.at.take().map(|(state, input)| Checkpoint {
                state,
                input,
                vars: vars.clone(),
                inner: None,
            })
        })
    }
}

/// What an execution runs with, kept for its redrives: its machine (the definition it
/// started with) and its mocks, whose calls go on being counted.
#[derive(Clone)]
pub(crate) struct Launch {
    pub(crate) machine: Arc<MachineEntry>,
    pub(crate) mocks: Option<Arc<Mocks>>,
    pub(crate) mock_counts: Arc<Mutex<HashMap<Arc<str>, u64>>>,
    /// Started by `StartSyncExecution` (no `$$.Execution.RedriveCount`).
    pub(crate) sync: bool,
}

impl Launch {
    /// What an execution of `machine` with `mocks` starts with.
    pub(crate) fn new(machine: Arc<MachineEntry>, mocks: Option<Arc<Mocks>>) -> Self {
        Launch {
            machine,
            mocks,
            mock_counts: Arc::default(),
            sync: false,
        }
    }
}

/// An execution's redrives: how many, the last one's date, where it stopped, and what it
/// needs to run again.
#[derive(Default)]
pub(crate) struct RedriveRecord {
    pub(crate) count: u32,
    pub(crate) date: Option<DateTime<Utc>>,
    pub(crate) checkpoint: Option<Checkpoint>,
    pub(crate) launch: Option<Launch>,
    /// Set when the history filled up: such an execution cannot be redriven.
    pub(crate) history_full: bool,
    /// The last redrives' client tokens, with when each was first used.
    tokens: VecDeque<(String, DateTime<Utc>)>,
}

impl RedriveRecord {
    /// Whether `token` redrove the execution within the last 15 minutes.
    fn knows(&self, token: &str, now: DateTime<Utc>) -> bool {
        self.tokens.iter().any(|(t, at)| {
            t == token && now.signed_duration_since(*at).num_minutes() < CLIENT_TOKEN_MINUTES
        })
    }
}

impl ExecutionEntry {
    /// Whether the execution can be redriven at `now`, and why not.
    pub(crate) fn redrive_status(&self, now: DateTime<Utc>) -> (RedriveStatus, Option<String>) {
        let not = |reason: &str| (RedriveStatus::NotRedrivable, Some(reason.to_owned()));
        let s = lock(&self.state);
        match s.status {
            ExecutionStatus::Running => {
                return not("Execution is RUNNING and cannot be redriven");
            }
            ExecutionStatus::Succeeded => {
                return not("Execution is SUCCEEDED and cannot be redriven");
            }
            _ => {}
        }
        if self.map_run_arn.is_some() {
            return (RedriveStatus::RedrivableByMapRun, None);
        }
        let r = lock(&self.redrive);
        // Room for `ExecutionRedriven` and one event more.
        let full = lock(&self.history).len() + 2 > MAX_HISTORY_EVENTS;
        if r.history_full || full {
            return not("Execution history event limit exceeded");
        }
        if self.start.timestamp() < REDRIVE_LAUNCH {
            return not("Execution was started before the launch of RedriveExecution");
        }
        let open = now.signed_duration_since(self.start).num_days();
        if open >= MAX_OPEN_DAYS {
            return not("Execution has exceeded the max execution time");
        }
        let ended = s.stop_date.unwrap_or(now);
        if now.signed_duration_since(ended).num_days() >= REDRIVABLE_DAYS {
            return not("Execution redrivable period exceeded");
        }
        if r.launch.is_none() {
            return not("Execution cannot be redriven");
        }
        (RedriveStatus::Redrivable, None)
    }
}

impl LocalEngine {
    /// The executions `filter` keeps, in start order (`ListExecutions`).
    ///
    /// # Errors
    ///
    /// [`Error::StateMachineDoesNotExist`] or [`Error::MapRunDoesNotExist`] for an ARN
    /// the engine does not have, [`Error::StateMachineTypeNotSupported`] for an Express
    /// machine, whose executions are not kept.
    pub fn list_executions_matching(
        &self,
        filter: &ExecutionFilter,
    ) -> Result<Vec<ExecutionDescription>, Error> {
        if let Some(arn) = &filter.machine_arn {
            let machine = lock(&self.inner.machines).get(arn).cloned();
            // A version's or an alias's: the revision it runs.
            let machine = match machine {
                Some(m) => Some(m),
                None => self.qualified_machine(arn).transpose()?,
            };
            match machine {
                Some(m) if m.machine_type == ExecutionType::Express => {
                    return Err(Error::StateMachineTypeNotSupported { arn: arn.clone() });
                }
                Some(_) => {}
                None if arn.split(':').nth(5) == Some("mapRun") => {
                    if !lock(&self.inner.map_runs).contains_key(arn) {
                        return Err(Error::MapRunDoesNotExist { arn: arn.clone() });
                    }
                }
                // A distributed Map's children run as `…:stateMachine:MACHINE/LABEL`.
                None if arn.contains('/') => {}
                None => return Err(Error::StateMachineDoesNotExist { arn: arn.clone() }),
            }
        }
        Ok(self
            .list_executions_with_status(filter.machine_arn.as_deref(), filter.status)
            .into_iter()
            .filter(|d| filter.redrive.is_none_or(|r| r.keeps(d.redrive_count)))
            .collect())
    }

    /// Redrives an execution (`RedriveExecution`): a failed, timed-out or stopped
    /// Standard execution runs again from the states that did not succeed, under the same
    /// ARN; its history goes on with `ExecutionRedriven`. Returns the handle on the
    /// redriven execution (its description gives `redrive_date` and `redrive_count`); a
    /// handle taken before the redrive goes on describing the run before it, while
    /// [`describe_execution`](Self::describe_execution) and the listings follow the ARN.
    ///
    /// With a `client_token` already used for a redrive of this execution in the last 15
    /// minutes (the last ten are kept), nothing is redriven again and the handle is
    /// returned as it is.
    ///
    /// # Errors
    ///
    /// [`Error::ExecutionDoesNotExist`], [`Error::InvalidArn`] (an Express execution),
    /// [`Error::ExecutionNotRedrivable`] with AWS's reason (running, succeeded, ended more
    /// than 14 days ago, history full, a child execution of a distributed Map).
    pub async fn redrive_execution(
        &self,
        arn: &str,
        client_token: Option<&str>,
    ) -> Result<Execution, Error> {
        let current = self.execution(arn)?;
        // A stopped execution is aborted at once; its run unwinds before it is closed.
        let stopping = {
            let s = lock(&current.state);
            s.status != ExecutionStatus::Running && !s.closed
        };
        if stopping {
            let mut done = current.done.subscribe();
            let _ = done.wait_for(|d| *d).await;
        }
        let now = self.inner.clock.now();
        let (entry, launch, checkpoint, previous) = {
            let mut executions = lock(&self.inner.executions);
            let current =
                executions
                    .get(arn)
                    .cloned()
                    .ok_or_else(|| Error::ExecutionDoesNotExist {
                        arn: arn.to_owned(),
                    })?;
            if let Some(token) = client_token
                && lock(&current.redrive).knows(token, now)
            {
                return Ok(Execution {
                    engine: self.clone(),
                    entry: current,
                });
            }
            match current.redrive_status(now) {
                (RedriveStatus::Redrivable, _) => {}
                (RedriveStatus::RedrivableByMapRun, _) => {
                    return Err(Error::ExecutionNotRedrivable {
                        arn: arn.to_owned(),
                        reason: "Execution was started by a Map Run: redrive its parent execution"
                            .to_owned(),
                    });
                }
                (_, reason) => {
                    return Err(Error::ExecutionNotRedrivable {
                        arn: arn.to_owned(),
                        reason: reason.unwrap_or_default(),
                    });
                }
            }
            let mut old = lock(&current.redrive);
            let Some(launch) = old.launch.clone() else {
                return Err(Error::ExecutionNotRedrivable {
                    arn: arn.to_owned(),
                    reason: "Execution cannot be redriven".to_owned(),
                });
            };
            let mut entry = ExecutionEntry::new(NewExecution {
                arn: current.arn.clone(),
                name: current.name.clone(),
                machine_arn: current.machine_arn.clone(),
                map_run_arn: None,
                via: current.via.clone(),
                revision: current.revision,
                input: current.input.clone(),
                input_text: current.input_text.clone(),
                start: current.start,
                cancel: CancellationToken::new(),
                stopped: Arc::default(),
                history_capacity: 0,
            });
            entry.history = current.history.clone();
            {
                let record = entry.redrive.get_mut().unwrap_or_else(|e| e.into_inner());
                record.count = old.count + 1;
                record.date = Some(now);
                record.tokens = std::mem::take(&mut old.tokens);
                if let Some(token) = client_token {
                    record.tokens.push_back((token.to_owned(), now));
                    if record.tokens.len() > CLIENT_TOKENS {
                        record.tokens.pop_front();
                    }
                }
            }
            let checkpoint = old.checkpoint.take();
            let previous = old.count;
            drop(old);
            let entry = Arc::new(entry);
            executions.insert(arn.to_owned(), entry.clone());
            (entry, launch, checkpoint, previous)
        };
        {
            let mut h = lock(&entry.history);
            h.reopen();
            let last = h.last_id();
            let _ = h.push(
                last,
                now,
                EventType::ExecutionRedriven,
                EventDetails::ExecutionRedriven {
                    redrive_count: previous + 1,
                },
            );
        }
        Ok(self.launch(entry, launch, checkpoint))
    }
}

impl Run {
    /// Runs a branch or an iteration as it ended before a redrive: one that succeeded
    /// gives its output again; one that stopped resumes where it stopped.
    pub(crate) async fn run_thread(
        &self,
        scope: &ScopePlan,
        input: Arc<Value>,
        frame: &mut Frame,
        prior: Branch,
    ) -> Result<Arc<Value>, Failure> {
        match prior {
            Branch::Done(out) => Ok(out),
            Branch::Resume(cp) => {
                frame.redrive.resume = Some(cp);
                self.run_scope(scope, input, frame).await
            }
            Branch::Fresh => self.run_scope(scope, input, frame).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use serde_json::{Map, json};

    use super::{Branch, Checkpoint, branches_after};

    #[test]
    fn branches_keep_outputs_resume_checkpoints_and_run_the_rest_anew() {
        let cp = |state| Checkpoint {
            state,
            input: Arc::new(json!(state)),
            vars: Map::new(),
            inner: None,
        };
        let outputs = [Some(Arc::new(json!("a"))), None, None];
        let branches = branches_after(&outputs, vec![None, Some(cp(1)), None, Some(cp(3))]);
        let kinds: Vec<String> = branches
            .iter()
            .map(|b| match b {
                Branch::Done(v) => format!("done {v}"),
                Branch::Resume(c) => format!("resume {}", c.state),
                Branch::Fresh => "fresh".to_owned(),
            })
            .collect();
        assert_eq!(kinds, ["done \"a\"", "resume 1", "fresh", "resume 3"]);
    }
}
