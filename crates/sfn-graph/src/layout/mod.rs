//! The SVG's layout, computed here: no browser, no `dot`.
//!
//! The crates that lay out graphs were weighed: `layout-rs` (Graphviz-like, no nested
//! clusters), `rust-sugiyama` (layered layout over petgraph, no compound nodes, no node
//! sizes per label) and the young `dagre` port (compound graphs, but a 0.1 release of a
//! large pipeline). None fits better than a small layered layout of our own, because the
//! States Language makes compound layout simple: a transition never leaves its scope, so
//! a Parallel's branches and a Map's processor are laid out first, recursively, and their
//! state becomes one big box in its own scope. Each scope is then laid out on its own by
//! [`layered`].
//!
//! | file | what it holds |
//! |---|---|
//! | `layered.rs` | the layered layout of one scope |
//! | `measure.rs` | text widths, node contents and sizes |
//! | `compound.rs` | scopes inside states, laid out recursively; edge ends on boxes |

mod compound;
mod layered;
pub(crate) mod measure;

pub(crate) use compound::{NodeLayout, ScopeLayout, layout_scope};
