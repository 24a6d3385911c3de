//! Mermaid: a flowchart, top to bottom; a Parallel or Map state is a subgraph holding a
//! subgraph per region, and its transitions join the subgraph.

use std::fmt::Write;

use sfn_core::model::StateType;

use super::style;
use crate::{
    graph::{EdgeKind, Graph, Node, NodeKind, Scope},
    layout::measure,
};

impl Graph {
    /// The graph as a Mermaid flowchart (`flowchart TD`): nodes shaped by state type,
    /// Choice rules and `Catch`es (dashed) as labelled edges, Parallel branches and Map
    /// processors as subgraphs; with an execution, nodes coloured by status and the
    /// transitions taken drawn thick.
    pub fn to_mermaid(&self) -> String {
        let mut out = String::from("flowchart TD\n");
        let mut styles = Vec::new();
        nodes(&mut out, &self.scope, 1, &mut styles);
        let mut index = 0;
        let mut link_styles = Vec::new();
        edges(
            &mut out,
            &self.scope,
            self.overlaid,
            &mut index,
            &mut link_styles,
        );
        for s in styles.iter().chain(&link_styles) {
            let _ = writeln!(out, "    {s}");
        }
        out
    }
}

fn nodes(out: &mut String, scope: &Scope, depth: usize, styles: &mut Vec<String>) {
    let pad = "    ".repeat(depth);
    for n in &scope.nodes {
        let paint = style::node(n);
        if n.is_compound() {
            let _ = writeln!(out, "{pad}subgraph {}[\"{}\"]", n.id, label(n));
            let _ = writeln!(out, "{pad}    direction TB");
            for r in &n.regions {
                let _ = writeln!(out, "{pad}    subgraph {}[\"{}\"]", r.id, escape(&r.title));
                let _ = writeln!(out, "{pad}        direction TB");
                nodes(out, &r.scope, depth + 2, styles);
                let _ = writeln!(out, "{pad}    end");
                styles.push(format!(
                    "style {} fill:#ffffff,stroke:{},stroke-dasharray:4 3",
                    r.id,
                    style::REGION
                ));
            }
            let _ = writeln!(out, "{pad}end");
        } else {
            let (open, close) = shape(n);
            let _ = writeln!(out, "{pad}{}{open}\"{}\"{close}", n.id, label(n));
        }
        styles.push(format!(
            "style {} fill:{},stroke:{},color:{}",
            n.id,
            paint.fill,
            paint.stroke,
            style::TEXT
        ));
    }
}

fn edges(
    out: &mut String,
    scope: &Scope,
    overlaid: bool,
    index: &mut usize,
    link_styles: &mut Vec<String>,
) {
    for e in &scope.edges {
        let arrow = if e.kind == EdgeKind::Catch {
            "-.->"
        } else {
            "-->"
        };
        match &e.label {
            Some(l) => {
                let _ = writeln!(out, "    {} {arrow}|\"{}\"| {}", e.from, escape(l), e.to);
            }
            None => {
                let _ = writeln!(out, "    {} {arrow} {}", e.from, e.to);
            }
        }
        let (colour, width) = style::edge(e, overlaid);
        if overlaid || e.kind == EdgeKind::Catch {
            link_styles.push(format!(
                "linkStyle {index} stroke:{colour},stroke-width:{width}px"
            ));
        }
        *index += 1;
    }
    for n in &scope.nodes {
        for r in &n.regions {
            edges(out, &r.scope, overlaid, index, link_styles);
        }
    }
}

/// The brackets of a node's shape.
fn shape(n: &Node) -> (&'static str, &'static str) {
    match n.kind {
        NodeKind::Start | NodeKind::End => ("((", "))"),
        NodeKind::State(ty) => match ty {
            StateType::Pass => ("(", ")"),
            StateType::Choice => ("{", "}"),
            StateType::Wait => ("[/", "/]"),
            StateType::Succeed | StateType::Fail => ("([", "])"),
            _ => ("[", "]"),
        },
    }
}

/// A node's lines, joined by `<br/>`.
fn label(n: &Node) -> String {
    measure::lines(n)
        .iter()
        .map(|l| escape(&l.text))
        .collect::<Vec<_>>()
        .join("<br/>")
}

/// Text safe inside a quoted Mermaid label.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '#' => out.push_str("#35;"),
            '|' => out.push_str("#124;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}
