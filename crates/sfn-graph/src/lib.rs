//! AWS Step Functions state machines drawn as graphs, with an execution overlaid.
//!
//! A [`Graph`] is built from a [`StateMachine`](sfn_core::StateMachine): a node per state,
//! shaped and coloured by its type; an edge per `Next`; Choice rules as labelled edges in
//! short form (`$.sum > 0`, `And(…)`), the `Default` marked; `Catch`es as dashed edges
//! labelled with their errors; `Retry` policies as badges (`↻ 3× States.Timeout`) on their
//! state; Parallel branches and Map processors as boxes nested in their state, a
//! distributed Map marked; start and end markers. It renders as:
//!
//! - SVG ([`Graph::to_svg`]), laid out by this crate (a layered layout, nested scopes laid
//!   out recursively as boxes: see the `layout` module), no browser or `dot` needed;
//! - Mermaid ([`Graph::to_mermaid`]), a flowchart with subgraphs;
//! - DOT ([`Graph::to_dot`]), a Graphviz digraph with clusters.
//!
//! An execution's history (AWS's `GetExecutionHistory` output) overlays it
//! ([`ExecutionOverlay`], [`Graph::with_execution`]): states passed through are green,
//! failed red, caught orange, running blue, never reached grey; a Map state counts its
//! iterations (`3/4 succeeded`).
//!
//! Pure: no I/O; every output is deterministic.
//!
//! ```
//! use sfn_graph::Graph;
//!
//! let machine: sfn_core::StateMachine = r#"{
//!     "StartAt": "Sign",
//!     "States": {
//!         "Sign": { "Type": "Choice",
//!                   "Choices": [{ "Variable": "$.sum", "NumericGreaterThan": 0, "Next": "Positive" }],
//!                   "Default": "Negative" },
//!         "Positive": { "Type": "Succeed" },
//!         "Negative": { "Type": "Fail", "Error": "Negative" }
//!     }
//! }"#.parse()?;
//! let graph = Graph::from_machine(&machine);
//! assert!(graph.to_mermaid().contains(r#"-->|"$.sum #gt; 0"|"#));
//! assert!(graph.to_svg().starts_with("<svg"));
//!
//! let history = serde_json::json!({"events": [
//!     {"id": 1, "previousEventId": 0, "type": "ExecutionStarted"},
//!     {"id": 2, "previousEventId": 1, "type": "ChoiceStateEntered", "stateEnteredEventDetails": {"name": "Sign"}},
//!     {"id": 3, "previousEventId": 2, "type": "ChoiceStateExited", "stateExitedEventDetails": {"name": "Sign"}},
//!     {"id": 4, "previousEventId": 3, "type": "SucceedStateEntered", "stateEnteredEventDetails": {"name": "Positive"}},
//!     {"id": 5, "previousEventId": 4, "type": "SucceedStateExited", "stateExitedEventDetails": {"name": "Positive"}},
//!     {"id": 6, "previousEventId": 5, "type": "ExecutionSucceeded"}
//! ]});
//! let events = sfn_graph::events_from_history(&history)?;
//! let run = sfn_graph::ExecutionOverlay::new(&machine, &events);
//! assert_eq!(run.states["Negative"].status, sfn_graph::Status::NotReached);
//! let svg = graph.with_execution(&run).to_svg();
//! assert!(svg.contains(r#"class="state succeed succeeded""#));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! | module | what it holds |
//! |---|---|
//! | `graph.rs` | the graph model: [`Graph`], [`Scope`], [`Node`], [`Edge`], [`Region`] |
//! | `from_machine.rs` | [`Graph::from_machine`] |
//! | `label.rs` | [`label`]: Choice rules, resources and waits in short form |
//! | `overlay/` | [`HistoryEvent`], [`ExecutionOverlay`], [`Status`]; [`Graph::with_execution`] |
//! | `layout/` | the SVG's layout |
//! | `render/` | SVG, Mermaid, DOT; [`Format`] |

mod from_machine;
mod graph;
pub mod label;
mod layout;
mod overlay;
mod render;

pub use from_machine::{END_ID, START_ID};
pub use graph::{Edge, EdgeKind, Graph, Node, NodeKind, Region, RetryBadge, Scope};
pub use overlay::{
    ExecutionOverlay, HistoryError, HistoryEvent, Iterations, StateRun, Status, events_from_history,
};
pub use render::Format;
