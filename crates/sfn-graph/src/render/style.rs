//! Colours: by state type without an execution, by status with one (as AWS's console
//! colours them: green succeeded, red failed, orange caught, blue running, grey not
//! reached).

use sfn_core::model::StateType;

use crate::{
    graph::{Edge, EdgeKind, Node, NodeKind},
    overlay::Status,
};

/// A fill and a stroke colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Paint {
    pub(crate) fill: &'static str,
    pub(crate) stroke: &'static str,
}

const fn paint(fill: &'static str, stroke: &'static str) -> Paint {
    Paint { fill, stroke }
}

/// The text colour.
pub(crate) const TEXT: &str = "#16191f";
/// The colour of details and notes.
pub(crate) const MUTED: &str = "#545b64";
/// The colour of region borders.
pub(crate) const REGION: &str = "#879596";

/// The colours of a node of this kind, without an execution.
pub(crate) fn by_kind(kind: NodeKind) -> Paint {
    match kind {
        NodeKind::Start | NodeKind::End => paint("#f2f3f3", "#232f3e"),
        NodeKind::State(ty) => match ty {
            StateType::Task => paint("#e8f1fb", "#2e73b8"),
            StateType::Pass => paint("#f4f4f4", "#7d8998"),
            StateType::Choice => paint("#fff4e0", "#c47f00"),
            StateType::Wait => paint("#f1eafa", "#7b4fb3"),
            StateType::Succeed => paint("#e9f6ec", "#1d8102"),
            StateType::Fail => paint("#fdecea", "#d13212"),
            _ => paint("#fafafa", "#545b64"),
        },
    }
}

/// The colours of a status.
pub(crate) fn by_status(status: Status) -> Paint {
    match status {
        Status::Succeeded => paint("#d9f2dc", "#1d8102"),
        Status::Failed => paint("#fbd8d3", "#d13212"),
        Status::Caught => paint("#ffe8cc", "#ec7211"),
        Status::Running => paint("#d6e8fa", "#0972d3"),
        Status::Aborted => paint("#e9ebed", "#5f6b7a"),
        _ => paint("#f2f3f3", "#aab7b8"),
    }
}

/// The colours of a node: by status when an execution is overlaid.
pub(crate) fn node(node: &Node) -> Paint {
    match node.status {
        Some(s) => by_status(s),
        None => by_kind(node.kind),
    }
}

/// An edge's colour and width.
pub(crate) fn edge(edge: &Edge, overlaid: bool) -> (&'static str, f64) {
    match (overlaid, edge.taken, edge.kind) {
        (true, true, EdgeKind::Catch) => ("#ec7211", 2.2),
        (true, true, _) => ("#1d8102", 2.2),
        (true, false, _) => ("#aab7b8", 1.2),
        (false, _, EdgeKind::Catch) => ("#c45500", 1.2),
        _ => ("#545b64", 1.2),
    }
}

/// A CSS class for a state type.
pub(crate) fn class(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Start => "start",
        NodeKind::End => "end",
        NodeKind::State(ty) => match ty {
            StateType::Task => "task",
            StateType::Pass => "pass",
            StateType::Choice => "choice",
            StateType::Wait => "wait",
            StateType::Succeed => "succeed",
            StateType::Fail => "fail",
            StateType::Parallel => "parallel",
            StateType::Map => "map",
            _ => "state",
        },
    }
}
