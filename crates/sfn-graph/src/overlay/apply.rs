//! The overlay drawn on the graph: statuses on nodes, notes, taken edges.

use super::run::{ExecutionOverlay, Status};
use crate::{
    from_machine::{END_ID, START_ID},
    graph::{EdgeKind, Graph, NodeKind},
};

impl Graph {
    /// The graph with `execution` overlaid: each state's status, Map iteration counts
    /// and retries as notes, the transitions taken marked.
    pub fn with_execution(mut self, execution: &ExecutionOverlay) -> Graph {
        let mut names = std::collections::BTreeMap::new();
        self.for_each_node_mut(&mut |node| {
            names.insert(node.id.clone(), node.name.clone());
            if node.kind != NodeKind::End && node.kind != NodeKind::Start {
                let run = execution.states.get(&node.name);
                node.status = Some(run.map_or(Status::NotReached, |r| r.status));
                let mut notes = Vec::new();
                if let Some(run) = run {
                    if let Some(it) = &run.iterations {
                        notes.push(it.text());
                    }
                    if run.retries > 0 {
                        notes.push(format!("retried {}×", run.retries));
                    }
                    if let (Some(e), Status::Failed | Status::Caught) = (&run.error, run.status) {
                        notes.push(crate::label::shorten(e, crate::label::MAX_LABEL));
                    }
                }
                node.note = (!notes.is_empty()).then(|| notes.join(" · "));
            }
        });
        let status_of = |graph: &Graph, id: &str| {
            graph
                .all_nodes()
                .into_iter()
                .find(|n| n.id == id)
                .and_then(|n| n.status)
        };
        let reached = |s: Option<Status>| s.is_some_and(|s| s != Status::NotReached);
        self.for_each_scope_mut(&mut |scope| {
            for e in &mut scope.edges {
                let name = |id: &str| names.get(id).cloned().unwrap_or_default();
                let pair = (name(&e.from), name(&e.to));
                e.taken = if e.kind == EdgeKind::Catch {
                    execution.caught.contains(&pair)
                } else {
                    execution.taken.contains(&pair) && !execution.caught.contains(&pair)
                };
            }
        });
        let finished = execution.finished.is_some();
        // The markers: the start edge when the first state was reached, the end edges
        // of the states that ended the execution.
        let statuses: Vec<(String, Option<Status>)> = self
            .scope
            .edges
            .iter()
            .map(|e| {
                let id = if e.from == START_ID { &e.to } else { &e.from };
                (id.clone(), status_of(&self, id))
            })
            .collect();
        for (e, (_, status)) in self.scope.edges.iter_mut().zip(statuses) {
            if e.from == START_ID {
                e.taken = reached(status);
            } else if e.to == END_ID {
                e.taken = finished && matches!(status, Some(Status::Succeeded | Status::Failed));
            }
        }
        self.overlaid = true;
        self
    }
}
