//! The renderers: SVG laid out here, Mermaid, DOT.
//!
//! | file | what it holds |
//! |---|---|
//! | `format.rs` | [`Format`] and [`Graph::render`] |
//! | `style.rs` | colours by state type and by status, edge colours, shared by all three |
//! | `svg.rs` | [`Graph::to_svg`]: a standalone SVG document |
//! | `mermaid.rs` | [`Graph::to_mermaid`]: a Mermaid flowchart with subgraphs |
//! | `dot.rs` | [`Graph::to_dot`]: a Graphviz digraph with clusters |

mod dot;
mod format;
mod mermaid;
mod style;
mod svg;

pub use format::Format;
