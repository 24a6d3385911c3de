//! The output formats.

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
