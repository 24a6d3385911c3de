//! The renderers: SVG laid out here, Mermaid, DOT.
//!
//! | file | what it holds |
//! |---|---|
//! | `style.rs` | colours by state type and by status, edge colours, shared by all three |
//! | `svg.rs` | [`Graph::to_svg`]: a standalone SVG document |
//! | `mermaid.rs` | [`Graph::to_mermaid`]: a Mermaid flowchart with subgraphs |
//! | `dot.rs` | [`Graph::to_dot`]: a Graphviz digraph with clusters |

mod dot;
mod mermaid;
mod style;
mod svg;

use crate::Graph;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// A standalone SVG document.
    Svg,
    /// A Mermaid flowchart.
    Mermaid,
    /// A Graphviz digraph.
    Dot,
}

impl Graph {
    /// The graph in `format`.
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Svg => self.to_svg(),
            Format::Mermaid => self.to_mermaid(),
            Format::Dot => self.to_dot(),
        }
    }
}
