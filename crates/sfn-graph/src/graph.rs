//! The graph model: what the renderers draw.
//!
//! A [`Graph`] is a tree of scopes. The machine is the root [`Scope`]; a Parallel state's
//! branches and a Map state's item processor are [`Region`]s of their state's [`Node`],
//! each with its own scope. Transitions never leave their scope in the States Language,
//! so every [`Edge`] joins two nodes of the same scope.

use sfn_core::model::StateType;

use crate::overlay::Status;

/// A state machine as a graph.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Graph {
    /// The machine's `Comment`.
    pub comment: Option<String>,
    /// The top-level states, with a start and an end marker.
    pub scope: Scope,
    /// Whether an execution is overlaid (node statuses and taken edges are meaningful).
    pub overlaid: bool,
}

/// The nodes and edges of one scope: the machine, a branch or an item processor.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct Scope {
    /// The id of the node the scope starts at.
    pub start: Option<String>,
    /// The nodes, in the order the states were written (start marker first, end marker
    /// last at the top level).
    pub nodes: Vec<Node>,
    /// The transitions between the nodes.
    pub edges: Vec<Edge>,
}

/// What a node stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum NodeKind {
    /// The start marker.
    Start,
    /// The end marker.
    End,
    /// A state of this type.
    State(StateType),
}

/// One node: a state or a marker.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Node {
    /// An identifier unique in the graph, safe in Mermaid, DOT and XML (`s0`, `start`).
    pub id: String,
    /// What it stands for.
    pub kind: NodeKind,
    /// The state's name (`Start`, `End` for the markers).
    pub name: String,
    /// A second line: the resource of a Task, the time of a Wait, the error of a Fail.
    pub detail: Option<String>,
    /// The Retry policies, one badge each.
    pub retry: Vec<RetryBadge>,
    /// A Parallel's branches or a Map's item processor.
    pub regions: Vec<Region>,
    /// A Map whose items run as child executions.
    pub distributed: bool,
    /// With an execution overlaid: what became of the state.
    pub status: Option<Status>,
    /// With an execution overlaid: a note (Map iterations, `3/4 succeeded`; retries).
    pub note: Option<String>,
}

impl Node {
    /// Whether the node is a state of this type.
    pub fn is(&self, ty: StateType) -> bool {
        self.kind == NodeKind::State(ty)
    }

    /// Whether the node holds regions (a Parallel or a Map).
    pub fn is_compound(&self) -> bool {
        !self.regions.is_empty()
    }
}

/// One `Retry` policy, drawn on its state.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryBadge {
    /// `MaxAttempts` (3 when not written).
    pub max_attempts: u64,
    /// `ErrorEquals`.
    pub errors: Vec<String>,
}

impl RetryBadge {
    /// The badge's text: `↻ 3× States.Timeout, States.TaskFailed`.
    pub fn text(&self) -> String {
        format!("↻ {}× {}", self.max_attempts, self.errors.join(", "))
    }
}

/// A nested scope drawn as a box inside its state: a branch or an item processor.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Region {
    /// An identifier unique in the graph (`s3_b0`, `s5_items`).
    pub id: String,
    /// The title: `Branch 1`, `Item processor`, `Item processor (distributed)`.
    pub title: String,
    /// The states.
    pub scope: Scope,
}

/// What a transition is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum EdgeKind {
    /// `Next`, or the start marker to the first state, or a last state to the end marker.
    Next,
    /// A Choice rule; its label is the rule in short form.
    Choice,
    /// A Choice's `Default`.
    Default,
    /// A `Catch`; its label names the errors. Drawn dashed.
    Catch,
}

/// One transition.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Edge {
    /// The id of the node it leaves.
    pub from: String,
    /// The id of the node it reaches.
    pub to: String,
    /// What it is.
    pub kind: EdgeKind,
    /// The label: a Choice rule, `Default`, `Catch: States.ALL`.
    pub label: Option<String>,
    /// With an execution overlaid: whether the execution went this way.
    pub taken: bool,
}

impl Graph {
    /// Every node of the graph, nested ones included, parents before their children.
    pub fn all_nodes(&self) -> Vec<&Node> {
        fn walk<'a>(scope: &'a Scope, out: &mut Vec<&'a Node>) {
            for n in &scope.nodes {
                out.push(n);
                for r in &n.regions {
                    walk(&r.scope, out);
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.scope, &mut out);
        out
    }

    /// Calls `f` on every node, nested ones included, parents first.
    pub(crate) fn for_each_node_mut(&mut self, f: &mut impl FnMut(&mut Node)) {
        fn walk(scope: &mut Scope, f: &mut impl FnMut(&mut Node)) {
            for n in &mut scope.nodes {
                f(n);
                for r in &mut n.regions {
                    walk(&mut r.scope, f);
                }
            }
        }
        walk(&mut self.scope, f);
    }

    /// Calls `f` on every scope, nested ones included, parents first.
    pub(crate) fn for_each_scope_mut(&mut self, f: &mut impl FnMut(&mut Scope)) {
        fn walk(scope: &mut Scope, f: &mut impl FnMut(&mut Scope)) {
            f(scope);
            for n in &mut scope.nodes {
                for r in &mut n.regions {
                    walk(&mut r.scope, f);
                }
            }
        }
        walk(&mut self.scope, f);
    }
}
