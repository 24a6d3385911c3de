//! The graph of a [`StateMachine`]: one node per state, one edge per transition.

use indexmap::IndexMap;
use sfn_core::{
    StateMachine,
    model::{Catcher, State, StateName, StateType},
};

use crate::{
    graph::{Edge, EdgeKind, Graph, Node, NodeKind, Region, RetryBadge, Scope},
    label,
};

/// The id of the start marker.
pub const START_ID: &str = "start";
/// The id of the end marker.
pub const END_ID: &str = "stop";

impl Graph {
    /// The graph of `machine`: a node per state (nested ones in their state's regions),
    /// an edge per `Next`, Choice rule, `Default` and `Catch`, and start and end markers
    /// around the top-level states.
    pub fn from_machine(machine: &StateMachine) -> Graph {
        let mut ids = NameIds::default();
        let mut scope = Builder { ids: &mut ids }.scope(&machine.start_at, &machine.states);
        let first = scope
            .nodes
            .iter()
            .find(|n| n.name == machine.start_at.as_str())
            .map(|n| n.id.clone());
        let mut ends = Vec::new();
        for (node, (_, state)) in scope.nodes.iter().zip(&machine.states) {
            if state.is_terminal() {
                ends.push(node.id.clone());
            }
        }
        scope.start = Some(START_ID.to_owned());
        scope
            .nodes
            .insert(0, marker(NodeKind::Start, START_ID, "Start"));
        scope.nodes.push(marker(NodeKind::End, END_ID, "End"));
        if let Some(first) = first {
            scope
                .edges
                .insert(0, edge(START_ID, &first, EdgeKind::Next, None));
        }
        for id in ends {
            scope.edges.push(edge(&id, END_ID, EdgeKind::Next, None));
        }
        Graph {
            comment: machine.comment.clone(),
            scope,
            overlaid: false,
        }
    }
}

/// Gives node ids in the order states are met, depth first: `s0`, `s1`, ….
#[derive(Default)]
struct NameIds {
    next: usize,
}

impl NameIds {
    fn next(&mut self) -> String {
        let id = format!("s{}", self.next);
        self.next += 1;
        id
    }
}

struct Builder<'a> {
    ids: &'a mut NameIds,
}

impl Builder<'_> {
    fn scope(&mut self, start: &StateName, states: &IndexMap<StateName, State>) -> Scope {
        let mut nodes = Vec::new();
        for (name, state) in states {
            nodes.push(self.node(name, state));
        }
        let id_of = |name: &StateName| {
            nodes
                .iter()
                .find(|n: &&Node| n.name == name.as_str())
                .map(|n| n.id.clone())
        };
        let mut edges = Vec::new();
        for (node, state) in nodes.iter().zip(states.values()) {
            let from = &node.id;
            match state {
                State::Choice(c) => {
                    for r in &c.choices {
                        if let Some(to) = r.next.as_ref().and_then(id_of) {
                            edges.push(edge(from, &to, EdgeKind::Choice, Some(label::rule(r))));
                        }
                    }
                    if let Some(to) = c.default.as_ref().and_then(id_of) {
                        edges.push(edge(from, &to, EdgeKind::Default, Some("Default".into())));
                    }
                }
                _ => {
                    if let Some(sfn_core::model::Transition::Next(next)) = state.transition() {
                        if let Some(to) = id_of(next) {
                            edges.push(edge(from, &to, EdgeKind::Next, None));
                        }
                    }
                }
            }
            for c in state.catchers() {
                if let Some(to) = id_of(&c.next) {
                    edges.push(edge(from, &to, EdgeKind::Catch, Some(catch_label(c))));
                }
            }
        }
        let start = id_of(start);
        Scope {
            start,
            nodes,
            edges,
        }
    }

    fn node(&mut self, name: &StateName, state: &State) -> Node {
        let id = self.ids.next();
        let ty = state.state_type();
        let detail = match state {
            State::Task(t) => Some(label::resource(&t.resource)),
            State::Wait(w) => Some(label::wait(w)).filter(|s| !s.is_empty()),
            State::Fail(f) => {
                label::fail_error(f.error.as_ref(), f.error_path.as_ref().map(|p| p.as_str()))
            }
            _ => None,
        };
        let retry = state
            .retriers()
            .iter()
            .map(|r| RetryBadge {
                max_attempts: r.max_attempts.unwrap_or(3),
                errors: r
                    .error_equals
                    .iter()
                    .map(|e| e.as_str().to_owned())
                    .collect(),
            })
            .collect();
        let mut distributed = false;
        let regions = match state {
            State::Parallel(p) => p
                .branches
                .iter()
                .enumerate()
                .map(|(i, b)| Region {
                    id: format!("{id}_b{i}"),
                    title: format!("Branch {}", i + 1),
                    scope: self.scope(&b.start_at, &b.states),
                })
                .collect(),
            State::Map(m) => match m.processor() {
                Some(p) => {
                    distributed = p.is_distributed();
                    vec![Region {
                        id: format!("{id}_items"),
                        title: if distributed {
                            "Item processor (distributed)".to_owned()
                        } else {
                            "Item processor".to_owned()
                        },
                        scope: self.scope(&p.start_at, &p.states),
                    }]
                }
                None => Vec::new(),
            },
            _ => Vec::new(),
        };
        let detail = match (ty, distributed) {
            (StateType::Map, true) => Some("Distributed".to_owned()),
            _ => detail,
        };
        Node {
            id,
            kind: NodeKind::State(ty),
            name: name.as_str().to_owned(),
            detail,
            retry,
            regions,
            distributed,
            status: None,
            note: None,
        }
    }
}

fn catch_label(c: &Catcher) -> String {
    let errors: Vec<&str> = c.error_equals.iter().map(|e| e.as_str()).collect();
    label::shorten(&format!("Catch: {}", errors.join(", ")), label::MAX_LABEL)
}

fn marker(kind: NodeKind, id: &str, name: &str) -> Node {
    Node {
        id: id.to_owned(),
        kind,
        name: name.to_owned(),
        detail: None,
        retry: Vec::new(),
        regions: Vec::new(),
        distributed: false,
        status: None,
        note: None,
    }
}

fn edge(from: &str, to: &str, kind: EdgeKind, label: Option<String>) -> Edge {
    Edge {
        from: from.to_owned(),
        to: to.to_owned(),
        kind,
        label,
        taken: false,
    }
}
