//! Retention: how many finished executions the engine keeps, and for how long, so that an
//! engine serving for days stays bounded. AWS keeps a finished execution 90 days
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/limits-overview.html>); the
//! engine keeps it as long, and at most [`Retention::max_finished`] of them. The oldest
//! finished are evicted first, with their history and their Map Runs; a running execution
//! is never evicted.

use std::{
    collections::{HashSet, VecDeque},
    sync::{Arc, Mutex, Weak},
    time::Duration,
};

use chrono::{DateTime, Utc};

use super::{ExecutionStatus, LocalEngine, engine::Inner, execution::ExecutionEntry, lock};

/// How many finished executions an engine keeps, and for how long
/// ([`LocalEngineBuilder::retention`](super::LocalEngineBuilder::retention)).
///
/// Executions past the count are evicted in batches of a sixteenth of it, when the next
/// execution starts: the engine holds at most `max_finished + max_finished / 16` finished
/// executions. Those older than `max_age` (since they ended) go when the next execution
/// starts, or at [`LocalEngine::evict_finished`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Retention {
    /// The most finished executions kept (10,000 by default).
    pub max_finished: usize,
    /// How long a finished execution is kept (90 days by default, as AWS keeps them).
    pub max_age: Duration,
}

impl Default for Retention {
    fn default() -> Self {
        Retention {
            max_finished: 10_000,
            max_age: Duration::from_secs(90 * 24 * 60 * 60),
        }
    }
}

impl Retention {
    /// Keeps at most `max_finished` finished executions, for at most `max_age`.
    pub fn new(max_finished: usize, max_age: Duration) -> Self {
        Retention {
            max_finished,
            max_age,
        }
    }
}

/// The finished executions, in the order they ended, and the bound on them.
pub(crate) struct Retained {
    bound: Retention,
    finished: Mutex<VecDeque<(DateTime<Utc>, Weak<ExecutionEntry>)>>,
}

impl Retained {
    pub(crate) fn new(bound: Retention) -> Self {
        Retained {
            bound,
            finished: Mutex::default(),
        }
    }
}

impl Inner {
    /// Notes that a kept execution ended at `now`.
    pub(crate) fn note_finished(&self, entry: &Arc<ExecutionEntry>, now: DateTime<Utc>) {
        lock(&self.retention.finished).push_back((now, Arc::downgrade(entry)));
    }
}

impl LocalEngine {
    /// Evicts the finished executions past the engine's [`Retention`]: the oldest
    /// finished first, with their histories and Map Runs. Running executions stay.
    /// Returns how many were evicted. Starting an execution does this too.
    pub fn evict_finished(&self) -> usize {
        self.evict(0)
    }

    /// Evicts past the bound, once it is passed by more than a sixteenth.
    pub(super) fn retain(&self) {
        let slack = self.inner.retention.bound.max_finished / 16;
        self.evict(slack);
    }

    fn evict(&self, slack: usize) -> usize {
        let bound = self.inner.retention.bound;
        let now = self.inner.clock.now();
        let oldest = chrono::Duration::from_std(bound.max_age)
            .ok()
            .and_then(|age| now.checked_sub_signed(age));
        let candidates: Vec<Weak<ExecutionEntry>> = {
            let mut queue = lock(&self.inner.retention.finished);
            let mut out = Vec::new();
            if queue.len() > bound.max_finished.saturating_add(slack) {
                while queue.len() > bound.max_finished {
                    if let Some((_, e)) = queue.pop_front() {
                        out.push(e);
                    }
                }
            }
            while let Some((at, _)) = queue.front()
                && oldest.is_some_and(|o| *at <= o)
            {
                if let Some((_, e)) = queue.pop_front() {
                    out.push(e);
                }
            }
            out
        };
        // Still finished (a redriven execution is a new entry, which stays). Entries are
        // told apart by address: hashing a pointer costs far less than hashing an ARN
        // for every execution kept.
        let gone: Vec<Arc<ExecutionEntry>> = candidates
            .iter()
            .filter_map(Weak::upgrade)
            .filter(|e| lock(&e.state).status != ExecutionStatus::Running)
            .collect();
        if gone.is_empty() {
            return 0;
        }
        let addresses: HashSet<usize> = gone.iter().map(|e| Arc::as_ptr(e) as usize).collect();
        let mut evicted = 0;
        // The Map Runs go with their execution, unless a newer entry of the same ARN (a
        // redrive) is still kept.
        let arns: HashSet<&str> = {
            let mut executions = lock(&self.inner.executions);
            executions.retain(|_, e| {
                let go = addresses.contains(&(Arc::as_ptr(e) as usize));
                evicted += usize::from(go);
                !go
            });
            gone.iter()
                .map(|e| e.arn.as_str())
                .filter(|arn| !executions.contains_key(*arn))
                .collect()
        };
        lock(&self.inner.map_runs).retain(|_, r| !arns.contains(r.execution_arn()));
        evicted
    }
}
