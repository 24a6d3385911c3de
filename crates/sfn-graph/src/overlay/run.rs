//! What became of each state in an execution, read from its history.
//!
//! Each `…StateEntered` event opens an *instance* of its state (a state in a loop or in
//! a Map's processor has several). Events without a state name (`TaskFailed`,
//! `ParallelStateFailed`, …) belong to the instance found by following
//! `previousEventId` back to an entered event of the matching state type, or, when the
//! history has no such links, to the latest open instance of that type. An instance is
//! *succeeded* when it exits cleanly, *caught* when it failed and then a state among its
//! `Catch` targets was entered (or it exited after the failure), *failed* when its
//! failure was never handled (and a Fail state is failed as soon as it is entered),
//! *running* while open in an execution still running, *aborted* when stopped. A state
//! shows the most telling status of its instances: failed, then running, caught,
//! aborted, succeeded; a state never entered is *not reached*.

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use sfn_core::{
    StateMachine,
    model::{State, StateName, StateType},
};

use super::event::HistoryEvent;

/// What became of a state, coloured as AWS's console colours it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Status {
    /// Never entered (grey).
    NotReached,
    /// Passed through successfully (green).
    Succeeded,
    /// Stopped while in flight (grey-brown).
    Aborted,
    /// Failed, and a `Catch` took over (orange).
    Caught,
    /// In progress now (blue).
    Running,
    /// Failed, the failure not handled here (red).
    Failed,
}

impl Status {
    /// The status in lower case, as used in CSS classes: `succeeded`, `not-reached`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::NotReached => "not-reached",
            Status::Succeeded => "succeeded",
            Status::Aborted => "aborted",
            Status::Caught => "caught",
            Status::Running => "running",
            Status::Failed => "failed",
        }
    }

    /// The status for a legend: `Succeeded`, `Not reached`.
    pub fn title(self) -> &'static str {
        match self {
            Status::NotReached => "Not reached",
            Status::Succeeded => "Succeeded",
            Status::Aborted => "Aborted",
            Status::Caught => "Caught error",
            Status::Running => "In progress",
            Status::Failed => "Failed",
        }
    }

    /// Every status, in the legend's order.
    pub const ALL: [Status; 6] = [
        Status::Succeeded,
        Status::Failed,
        Status::Caught,
        Status::Running,
        Status::Aborted,
        Status::NotReached,
    ];
}

/// A Map state's iterations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Iterations {
    /// The number of items, when the history says (`MapStateStarted`'s `length`).
    pub total: Option<u64>,
    /// Iterations started.
    pub started: u64,
    /// Iterations succeeded.
    pub succeeded: u64,
    /// Iterations failed.
    pub failed: u64,
    /// Iterations aborted.
    pub aborted: u64,
}

impl Iterations {
    /// `3/4 succeeded`, with `, 1 failed`, `, 1 running`, `, 1 aborted` when so.
    pub fn text(&self) -> String {
        let total = self.total.unwrap_or(self.started).max(self.started);
        let mut out = format!("{}/{total} succeeded", self.succeeded);
        let running = self
            .started
            .saturating_sub(self.succeeded + self.failed + self.aborted);
        for (n, what) in [
            (self.failed, "failed"),
            (running, "running"),
            (self.aborted, "aborted"),
        ] {
            if n > 0 {
                out.push_str(&format!(", {n} {what}"));
            }
        }
        out
    }
}

/// What became of one state over the execution.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct StateRun {
    /// The most telling status of its instances.
    pub status: Status,
    /// How many times it was entered.
    pub entered: u32,
    /// How many times it was retried.
    pub retries: u32,
    /// The last error it failed with.
    pub error: Option<String>,
    /// For a Map state: its iterations.
    pub iterations: Option<Iterations>,
}

impl StateRun {
    fn not_reached() -> Self {
        StateRun {
            status: Status::NotReached,
            entered: 0,
            retries: 0,
            error: None,
            iterations: None,
        }
    }
}

/// An execution as the graph shows it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ExecutionOverlay {
    /// Every state of the machine, nested ones included, by name.
    pub states: BTreeMap<String, StateRun>,
    /// Transitions the execution took, `(from, to)` by state name, `Catch`es included.
    pub taken: BTreeSet<(String, String)>,
    /// `Catch` transitions the execution took, `(from, to)`.
    pub caught: BTreeSet<(String, String)>,
    /// The event that ended the execution (`ExecutionSucceeded`, `ExecutionFailed`, …),
    /// if it has ended.
    pub finished: Option<String>,
}

/// What the overlay knows of a state from the definition.
struct Info {
    ty: StateType,
    catch: Vec<String>,
}

fn infos(states: &IndexMap<StateName, State>, out: &mut BTreeMap<String, Info>) {
    for (name, state) in states {
        out.insert(
            name.as_str().to_owned(),
            Info {
                ty: state.state_type(),
                catch: state
                    .catchers()
                    .iter()
                    .map(|c| c.next.as_str().to_owned())
                    .collect(),
            },
        );
        for (_, scope) in state.nested() {
            infos(scope.states, out);
        }
    }
}

/// One entry into a state.
struct Instance {
    name: String,
    ty: Option<StateType>,
    status: Option<Status>,
    pending: Option<String>,
    failure_at: usize,
    retries: u32,
}

impl ExecutionOverlay {
    /// What became of each state of `machine` in the execution whose history is `events`
    /// (oldest first; a history still growing is read as an execution still running).
    pub fn new(machine: &StateMachine, events: &[HistoryEvent]) -> Self {
        let mut info = BTreeMap::new();
        infos(&machine.states, &mut info);
        let mut out = ExecutionOverlay {
            states: info
                .keys()
                .map(|k| (k.clone(), StateRun::not_reached()))
                .collect(),
            ..ExecutionOverlay::default()
        };
        let by_id: BTreeMap<i64, usize> = events
            .iter()
            .enumerate()
            .filter(|(_, e)| e.id > 0)
            .map(|(i, e)| (e.id, i))
            .collect();
        // The event before event `i` in its thread: by `previousEventId`, or the one
        // before it in the list when the history has no links.
        let before = |i: usize| -> Option<usize> {
            let e = &events[i];
            if e.previous_event_id > 0 {
                by_id.get(&e.previous_event_id).copied()
            } else {
                i.checked_sub(1)
            }
        };
        let mut instances: Vec<Instance> = Vec::new();
        let mut owner: Vec<Option<usize>> = vec![None; events.len()];
        let mut iterations: BTreeMap<String, Iterations> = BTreeMap::new();
        let mut propagated_after: Option<usize> = None;
        for (i, e) in events.iter().enumerate() {
            let ty = e.event_type.as_str();
            if let Some(name) = e.name.as_deref().filter(|_| ty.ends_with("StateEntered")) {
                let state_ty = info.get(name).map(|s| s.ty);
                // The transition that led here: from the instance of the event before.
                if let Some(p) = before(i) {
                    if let Some(from) = owner[p] {
                        let src = &mut instances[from];
                        let catches = info
                            .get(&src.name)
                            .is_some_and(|s| s.catch.iter().any(|c| c == name));
                        let failed_before =
                            src.pending.is_some() || matches!(src.status, Some(Status::Caught));
                        if failed_before && catches {
                            src.status = Some(Status::Caught);
                            src.pending = None;
                            out.caught.insert((src.name.clone(), name.to_owned()));
                            out.taken.insert((src.name.clone(), name.to_owned()));
                        } else if src.status.is_some() {
                            out.taken.insert((src.name.clone(), name.to_owned()));
                        }
                    }
                }
                instances.push(Instance {
                    name: name.to_owned(),
                    ty: state_ty,
                    status: (state_ty == Some(StateType::Fail)).then_some(Status::Failed),
                    pending: None,
                    failure_at: 0,
                    retries: 0,
                });
                owner[i] = Some(instances.len() - 1);
                if let Some(run) = out.states.get_mut(name) {
                    run.entered += 1;
                }
                continue;
            }
            if let Some(name) = e.name.as_deref().filter(|_| ty.ends_with("StateExited")) {
                if let Some(k) = instances
                    .iter()
                    .rposition(|s| s.name == name && s.status.is_none())
                {
                    let s = &mut instances[k];
                    s.status = Some(if s.pending.take().is_some() {
                        Status::Caught
                    } else {
                        Status::Succeeded
                    });
                    owner[i] = Some(k);
                }
                continue;
            }
            if let Some(rest) = ty.strip_prefix("MapIteration") {
                let name = e.name.clone().unwrap_or_default();
                let it = iterations.entry(name).or_default();
                match rest {
                    "Started" => it.started += 1,
                    "Succeeded" => it.succeeded += 1,
                    "Failed" => {
                        it.failed += 1;
                        propagated_after = Some(i);
                    }
                    "Aborted" => it.aborted += 1,
                    _ => {}
                }
                continue;
            }
            if ty.starts_with("Execution") {
                if matches!(
                    ty,
                    "ExecutionSucceeded"
                        | "ExecutionFailed"
                        | "ExecutionAborted"
                        | "ExecutionTimedOut"
                ) {
                    out.finished = Some(ty.to_owned());
                }
                continue;
            }
            // An event of a state without its name: find the state's instance.
            let Some(want) = owner_type(ty) else { continue };
            let mut found = None;
            let mut p = before(i);
            let mut steps = 0;
            while let (Some(q), true) = (p, steps < events.len()) {
                if let Some(k) = owner[q] {
                    if instances[k].ty == Some(want) && instances[k].status.is_none() {
                        found = Some(k);
                        break;
                    }
                }
                p = before(q);
                steps += 1;
            }
            let found = found.or_else(|| {
                instances
                    .iter()
                    .rposition(|s| s.ty == Some(want) && s.status.is_none())
            });
            let Some(k) = found else { continue };
            owner[i] = Some(k);
            let s = &mut instances[k];
            if ty.ends_with("Failed") || ty.ends_with("TimedOut") {
                s.pending = Some(e.error.clone().unwrap_or_default());
                s.failure_at = i;
                if matches!(ty, "ParallelStateFailed" | "MapStateFailed") {
                    propagated_after = Some(i);
                }
            } else if ty.ends_with("Aborted") {
                s.status = Some(Status::Aborted);
            } else if s.pending.is_some() && (ty.ends_with("Scheduled") || ty.ends_with("Started"))
            {
                s.pending = None;
                s.retries += 1;
            } else if ty == "MapStateStarted" {
                let name = s.name.clone();
                iterations.entry(name).or_default().total = e.length;
            }
        }
        let finished = out.finished.as_deref();
        for s in &instances {
            let status = match (s.status, &s.pending) {
                (Some(st), _) => st,
                (None, _) if finished == Some("ExecutionAborted") => Status::Aborted,
                (None, _) if finished.is_some() && finished != Some("ExecutionSucceeded") => {
                    Status::Failed
                }
                (None, Some(_)) if propagated_after.is_some_and(|p| p > s.failure_at) => {
                    Status::Failed
                }
                (None, Some(_)) if finished.is_some() => Status::Failed,
                (None, _) if finished.is_some() => Status::Succeeded,
                (None, _) => Status::Running,
            };
            let run = out
                .states
                .entry(s.name.clone())
                .or_insert_with(StateRun::not_reached);
            if rank(status) > rank(run.status) {
                run.status = status;
            }
            run.retries += s.retries;
            if let Some(err) = s.pending.as_ref().filter(|e| !e.is_empty()) {
                run.error = Some(err.clone());
            }
        }
        for (name, it) in iterations {
            if let Some(run) = out.states.get_mut(&name) {
                run.iterations = Some(it);
            }
        }
        out
    }
}

/// How telling a status is, to choose one among a state's instances.
fn rank(s: Status) -> u8 {
    match s {
        Status::NotReached => 0,
        Status::Succeeded => 1,
        Status::Aborted => 2,
        Status::Caught => 3,
        Status::Running => 4,
        Status::Failed => 5,
    }
}

/// The type of state an event without a name belongs to.
fn owner_type(ty: &str) -> Option<StateType> {
    let prefixes: [(&str, StateType); 9] = [
        ("Task", StateType::Task),
        ("Activity", StateType::Task),
        ("Lambda", StateType::Task),
        ("MapRun", StateType::Map),
        ("MapState", StateType::Map),
        ("ParallelState", StateType::Parallel),
        ("WaitState", StateType::Wait),
        ("PassState", StateType::Pass),
        ("ChoiceState", StateType::Choice),
    ];
    prefixes
        .iter()
        .find(|(p, _)| ty.starts_with(p))
        .map(|(_, t)| *t)
}
