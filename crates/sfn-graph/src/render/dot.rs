//! DOT: a Graphviz digraph; a Parallel or Map state is a cluster holding a cluster per
//! region, entered and left through two invisible anchors (`lhead`/`ltail` clip the
//! edges at the cluster's border).

use std::fmt::Write;

use sfn_core::model::StateType;

use super::style;
use crate::{
    graph::{EdgeKind, Graph, Node, NodeKind, Scope},
    layout::measure,
};

const FONT: &str = "Helvetica,Arial,sans-serif";

impl Graph {
    /// The graph as a Graphviz digraph: nodes shaped and coloured by state type (or by
    /// status with an execution), Choice rules and `Catch`es (dashed) as labelled edges,
    /// Parallel branches and Map processors as clusters.
    pub fn to_dot(&self) -> String {
        let mut out = String::from("digraph machine {\n");
        let _ = writeln!(
            out,
            "    graph [compound=true, rankdir=TB, nodesep=0.4, ranksep=0.45, fontname=\"{FONT}\", fontsize=11];"
        );
        let _ = writeln!(
            out,
            "    node [fontname=\"{FONT}\", fontsize=12, style=filled, penwidth=1.2];"
        );
        let _ = writeln!(
            out,
            "    edge [fontname=\"{FONT}\", fontsize=10, arrowsize=0.7];"
        );
        scope(&mut out, &self.scope, 1);
        edges(&mut out, &self.scope, self.overlaid);
        out.push_str("}\n");
        out
    }
}

fn scope(out: &mut String, s: &Scope, depth: usize) {
    let pad = "    ".repeat(depth);
    for n in &s.nodes {
        let paint = style::node(n);
        if n.is_compound() {
            let _ = writeln!(out, "{pad}subgraph cluster_{} {{", n.id);
            let _ = writeln!(
                out,
                "{pad}    label=\"{}\"; style=filled; fillcolor=\"{}\"; color=\"{}\"; fontcolor=\"{}\";",
                label(n),
                paint.fill,
                paint.stroke,
                style::TEXT
            );
            let _ = writeln!(
                out,
                "{pad}    {id}_in [shape=point, style=invis, width=0]; {id}_out [shape=point, style=invis, width=0];",
                id = n.id
            );
            for r in &n.regions {
                let _ = writeln!(out, "{pad}    subgraph cluster_{} {{", r.id);
                let _ = writeln!(
                    out,
                    "{pad}        label=\"{}\"; style=\"dashed,filled\"; fillcolor=\"#ffffff\"; color=\"{}\";",
                    escape(&r.title),
                    style::REGION
                );
                scope(out, &r.scope, depth + 2);
                let _ = writeln!(out, "{pad}    }}");
                // Anchors above and below the region's states.
                if let Some(start) = &r.scope.start {
                    let _ = writeln!(
                        out,
                        "{pad}    {}_in -> {} [style=invis];",
                        n.id,
                        entry(&r.scope, start)
                    );
                }
                for last in exits(&r.scope) {
                    let _ = writeln!(out, "{pad}    {last} -> {}_out [style=invis];", n.id);
                }
            }
            let _ = writeln!(out, "{pad}}}");
        } else {
            let (shape, extra) = shape(n);
            let _ = writeln!(
                out,
                "{pad}{} [label=\"{}\", shape={shape}{extra}, fillcolor=\"{}\", color=\"{}\", fontcolor=\"{}\"];",
                n.id,
                label(n),
                paint.fill,
                paint.stroke,
                style::TEXT
            );
        }
    }
}

/// The node an edge into a scope's start reaches: its anchor when it is compound.
fn entry(s: &Scope, id: &str) -> String {
    match s.nodes.iter().find(|n| n.id == id) {
        Some(n) if n.is_compound() => format!("{id}_in"),
        _ => id.to_owned(),
    }
}

/// The nodes a scope ends at: those that go nowhere else in it.
fn exits(s: &Scope) -> Vec<String> {
    s.nodes
        .iter()
        .filter(|n| {
            !s.edges
                .iter()
                .any(|e| e.from == n.id && e.kind != EdgeKind::Catch)
        })
        .map(|n| {
            if n.is_compound() {
                format!("{}_out", n.id)
            } else {
                n.id.clone()
            }
        })
        .collect()
}

fn edges(out: &mut String, s: &Scope, overlaid: bool) {
    for e in &s.edges {
        let from = s.nodes.iter().find(|n| n.id == e.from);
        let to = s.nodes.iter().find(|n| n.id == e.to);
        let mut attrs = Vec::new();
        let tail = match from {
            Some(n) if n.is_compound() => {
                attrs.push(format!("ltail=cluster_{}", n.id));
                format!("{}_out", n.id)
            }
            _ => e.from.clone(),
        };
        let head = match to {
            Some(n) if n.is_compound() => {
                attrs.push(format!("lhead=cluster_{}", n.id));
                format!("{}_in", n.id)
            }
            _ => e.to.clone(),
        };
        if let Some(l) = &e.label {
            attrs.push(format!("label=\"{}\"", escape(l)));
        }
        if e.kind == EdgeKind::Catch {
            attrs.push("style=dashed".to_owned());
        }
        let (colour, width) = style::edge(e, overlaid);
        attrs.push(format!(
            "color=\"{colour}\", fontcolor=\"{}\"",
            style::MUTED
        ));
        if width > 2.0 {
            attrs.push(format!("penwidth={width}"));
        }
        let _ = writeln!(out, "    {tail} -> {head} [{}];", attrs.join(", "));
    }
    for n in &s.nodes {
        for r in &n.regions {
            edges(out, &r.scope, overlaid);
        }
    }
}

fn shape(n: &Node) -> (&'static str, &'static str) {
    match n.kind {
        NodeKind::Start | NodeKind::End => ("circle", ", width=0.6, fixedsize=true"),
        NodeKind::State(ty) => match ty {
            StateType::Choice => ("diamond", ""),
            StateType::Wait => ("parallelogram", ""),
            StateType::Pass => ("box", ", style=\"rounded,filled\""),
            StateType::Succeed | StateType::Fail => {
                ("box", ", style=\"rounded,filled\", peripheries=2")
            }
            _ => ("box", ""),
        },
    }
}

fn label(n: &Node) -> String {
    measure::lines(n)
        .iter()
        .map(|l| escape(&l.text))
        .collect::<Vec<_>>()
        .join("\\n")
}

/// Text safe inside a quoted DOT string.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}
