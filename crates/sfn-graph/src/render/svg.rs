//! SVG: a standalone document laid out by [`crate::layout`].
//!
//! Every state is a `<g class="state …">` with `data-id`, `data-name` and its box
//! (`data-x`, `data-y`, `data-w`, `data-h`); every edge a `<g class="edge …">` with
//! `data-from` and `data-to` whose path ends on its target's box.

use std::fmt::Write;

use sfn_core::model::StateType;

use super::style::{self, Paint};
use crate::{
    graph::{Edge, EdgeKind, Graph, Node, NodeKind, Scope},
    layout::{
        NodeLayout, ScopeLayout, layout_scope,
        measure::{self, Line, LineKind, PAD_Y},
    },
    overlay::Status,
};

/// Space around the drawing.
const MARGIN: f64 = 20.0;
/// The legend's height.
const LEGEND: f64 = 28.0;

impl Graph {
    /// The graph as a standalone SVG document, laid out top to bottom; with an execution,
    /// states coloured by status, Map iteration counts shown and a legend added.
    pub fn to_svg(&self) -> String {
        let layout = layout_scope(&self.scope);
        let legend = if self.overlaid { LEGEND } else { 0.0 };
        let legend_w = if self.overlaid { legend_width() } else { 0.0 };
        let width = (layout.width.max(legend_w) + 2.0 * MARGIN).ceil();
        let height = (layout.height + 2.0 * MARGIN + legend).ceil();
        let mut out = String::new();
        let _ = writeln!(
            out,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="Helvetica, Arial, sans-serif" font-size="{fs}">"#,
            w = num(width),
            h = num(height),
            fs = num(measure::SMALL_SIZE)
        );
        let title = self.comment.as_deref().unwrap_or("State machine");
        let _ = writeln!(out, "<title>{}</title>", escape(title));
        out.push_str("<defs>\n");
        for colour in ARROW_COLOURS {
            let _ = writeln!(
                out,
                r#"<marker id="arrow-{id}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>"#,
                id = &colour[1..]
            );
        }
        out.push_str("</defs>\n");
        let _ = writeln!(
            out,
            r##"<rect class="background" x="0" y="0" width="{}" height="{}" fill="#ffffff"/>"##,
            num(width),
            num(height)
        );
        draw_scope(
            &mut out,
            &self.scope,
            &layout,
            (MARGIN, MARGIN),
            self.overlaid,
        );
        if self.overlaid {
            draw_legend(&mut out, MARGIN, MARGIN + layout.height + 12.0);
        }
        out.push_str("</svg>\n");
        out
    }
}

/// The colours arrows come in: one marker each.
const ARROW_COLOURS: [&str; 5] = ["#545b64", "#c45500", "#1d8102", "#ec7211", "#aab7b8"];

fn draw_scope(
    out: &mut String,
    scope: &Scope,
    layout: &ScopeLayout,
    at: (f64, f64),
    overlaid: bool,
) {
    // Compound states first (their contents inside), then edges, then the other states.
    for (n, l) in scope.nodes.iter().zip(&layout.nodes) {
        if n.is_compound() {
            draw_compound(out, n, l, at, overlaid);
        }
    }
    for (e, l) in scope.edges.iter().zip(&layout.edges) {
        draw_edge(out, e, &l.points, at, overlaid, e.from == e.to);
    }
    for (n, l) in scope.nodes.iter().zip(&layout.nodes) {
        if !n.is_compound() {
            draw_node(out, n, l, at);
        }
    }
    for (e, l) in scope.edges.iter().zip(&layout.edges) {
        if let (Some(text), Some((x, y))) = (&e.label, l.label) {
            draw_label(out, text, at.0 + x, at.1 + y, e.kind);
        }
    }
}

fn group_open(out: &mut String, n: &Node, x: f64, y: f64, l: &NodeLayout) {
    let mut class = format!("state {}", style::class(n.kind));
    if n.distributed {
        class.push_str(" distributed");
    }
    if let Some(s) = n.status {
        class.push(' ');
        class.push_str(s.as_str());
    }
    let _ = writeln!(
        out,
        r#"<g class="{class}" data-id="{}" data-name="{}" data-x="{}" data-y="{}" data-w="{}" data-h="{}">"#,
        n.id,
        escape(&n.name),
        num(x),
        num(y),
        num(l.w),
        num(l.h)
    );
    let mut tip = n.name.clone();
    if let Some(s) = n.status {
        tip.push_str(&format!(" ({})", s.title()));
    }
    for r in &n.retry {
        tip.push_str(&format!("\n{}", r.text()));
    }
    let _ = writeln!(out, "<title>{}</title>", escape(&tip));
}

fn draw_compound(out: &mut String, n: &Node, l: &NodeLayout, at: (f64, f64), overlaid: bool) {
    let (x, y) = (at.0 + l.x, at.1 + l.y);
    let paint = style::node(n);
    group_open(out, n, x, y, l);
    let dash = if n.distributed {
        r#" stroke-dasharray="8 3""#
    } else {
        ""
    };
    let _ = writeln!(
        out,
        r#"<rect x="{}" y="{}" width="{}" height="{}" rx="6" fill="{}" stroke="{}" stroke-width="{}"{dash}/>"#,
        num(x),
        num(y),
        num(l.w),
        num(l.h),
        paint.fill,
        paint.stroke,
        if n.distributed { "2" } else { "1.4" }
    );
    draw_lines(out, &measure::lines(n), x + l.w / 2.0, y + PAD_Y, paint);
    out.push_str("</g>\n");
    for (r, rl) in n.regions.iter().zip(&l.regions) {
        let (rx, ry) = (x + rl.x, y + rl.y);
        let _ = writeln!(
            out,
            r##"<g class="region" data-id="{}"><rect x="{}" y="{}" width="{}" height="{}" rx="4" fill="#ffffff" stroke="{}" stroke-dasharray="4 3"/><text x="{}" y="{}" fill="{}" font-size="{}">{}</text></g>"##,
            r.id,
            num(rx),
            num(ry),
            num(rl.w),
            num(rl.h),
            style::REGION,
            num(rx + 8.0),
            num(ry + 14.0),
            style::MUTED,
            num(measure::SMALL_SIZE),
            escape(&r.title)
        );
        draw_scope(
            out,
            &r.scope,
            &rl.scope,
            (rx + rl.inner_x, ry + rl.inner_y),
            overlaid,
        );
    }
}

fn draw_node(out: &mut String, n: &Node, l: &NodeLayout, at: (f64, f64)) {
    let (x, y) = (at.0 + l.x, at.1 + l.y);
    let paint = style::node(n);
    group_open(out, n, x, y, l);
    let common = format!(
        r#"fill="{}" stroke="{}" stroke-width="1.4""#,
        paint.fill, paint.stroke
    );
    let (cx, cy) = (x + l.w / 2.0, y + l.h / 2.0);
    match n.kind {
        NodeKind::Start | NodeKind::End => {
            let _ = writeln!(
                out,
                r#"<circle cx="{}" cy="{}" r="{}" {common}/>"#,
                num(cx),
                num(cy),
                num(l.w / 2.0)
            );
            let _ = writeln!(
                out,
                r#"<text x="{}" y="{}" text-anchor="middle" fill="{}" font-weight="bold">{}</text>"#,
                num(cx),
                num(cy + 4.0),
                style::TEXT,
                escape(&n.name)
            );
        }
        NodeKind::State(ty) => {
            match ty {
                StateType::Choice => {
                    let d = l.h / 2.0;
                    let _ = writeln!(
                        out,
                        r#"<polygon points="{},{} {},{} {},{} {},{} {},{} {},{}" {common}/>"#,
                        num(x),
                        num(cy),
                        num(x + d),
                        num(y),
                        num(x + l.w - d),
                        num(y),
                        num(x + l.w),
                        num(cy),
                        num(x + l.w - d),
                        num(y + l.h),
                        num(x + d),
                        num(y + l.h)
                    );
                }
                StateType::Wait => {
                    let d = 8.0;
                    let _ = writeln!(
                        out,
                        r#"<polygon points="{},{} {},{} {},{} {},{}" {common}/>"#,
                        num(x + d),
                        num(y),
                        num(x + l.w),
                        num(y),
                        num(x + l.w - d),
                        num(y + l.h),
                        num(x),
                        num(y + l.h)
                    );
                }
                _ => {
                    let rx = match ty {
                        StateType::Pass | StateType::Succeed | StateType::Fail => l.h / 2.0,
                        _ => 4.0,
                    };
                    let _ = writeln!(
                        out,
                        r#"<rect x="{}" y="{}" width="{}" height="{}" rx="{}" {common}/>"#,
                        num(x),
                        num(y),
                        num(l.w),
                        num(l.h),
                        num(rx.min(18.0))
                    );
                }
            }
            draw_lines(out, &measure::lines(n), cx, y + PAD_Y, paint);
        }
    }
    out.push_str("</g>\n");
}

/// A node's lines, centred on `cx`, from `top` down.
fn draw_lines(out: &mut String, lines: &[Line], cx: f64, top: f64, paint: Paint) {
    let mut y = top;
    for line in lines {
        let h = line.height();
        let size = line.size();
        let baseline = y + h / 2.0 + size * 0.35;
        match line.kind {
            LineKind::Badge => {
                let w = line.width();
                let _ = writeln!(
                    out,
                    r##"<g class="retry"><rect x="{}" y="{}" width="{}" height="{}" rx="{}" fill="#ffffff" stroke="{}"/><text x="{}" y="{}" text-anchor="middle" font-size="{}" fill="{}">{}</text></g>"##,
                    num(cx - w / 2.0),
                    num(y + 1.0),
                    num(w),
                    num(h - 2.0),
                    num((h - 2.0) / 2.0),
                    paint.stroke,
                    num(cx),
                    num(baseline),
                    num(size),
                    style::TEXT,
                    escape(&line.text)
                );
            }
            kind => {
                let (weight, colour, italic) = match kind {
                    LineKind::Name => (r#" font-weight="bold""#, style::TEXT, ""),
                    LineKind::Note => ("", style::TEXT, r#" font-style="italic""#),
                    _ => ("", style::MUTED, ""),
                };
                let _ = writeln!(
                    out,
                    r#"<text x="{}" y="{}" text-anchor="middle" font-size="{}" fill="{colour}"{weight}{italic}>{}</text>"#,
                    num(cx),
                    num(baseline),
                    num(size),
                    escape(&line.text)
                );
            }
        }
        y += h;
    }
}

fn draw_edge(
    out: &mut String,
    e: &Edge,
    points: &[(f64, f64)],
    at: (f64, f64),
    overlaid: bool,
    self_loop: bool,
) {
    if points.len() < 2 {
        return;
    }
    let pts: Vec<(f64, f64)> = points.iter().map(|p| (at.0 + p.0, at.1 + p.1)).collect();
    let mut d = format!("M{},{}", num(pts[0].0), num(pts[0].1));
    for w in pts.windows(2) {
        let ((x0, y0), (x1, y1)) = (w[0], w[1]);
        if self_loop {
            let _ = write!(d, " L{},{}", num(x1), num(y1));
        } else {
            let ym = (y0 + y1) / 2.0;
            let _ = write!(
                d,
                " C{},{} {},{} {},{}",
                num(x0),
                num(ym),
                num(x1),
                num(ym),
                num(x1),
                num(y1)
            );
        }
    }
    let (colour, width) = style::edge(e, overlaid);
    let mut class = match e.kind {
        EdgeKind::Next => "edge next",
        EdgeKind::Choice => "edge choice",
        EdgeKind::Default => "edge default",
        EdgeKind::Catch => "edge catch",
    }
    .to_owned();
    if overlaid && e.taken {
        class.push_str(" taken");
    }
    let dash = if e.kind == EdgeKind::Catch {
        r#" stroke-dasharray="6 4""#
    } else {
        ""
    };
    let _ = writeln!(
        out,
        r#"<g class="{class}" data-from="{}" data-to="{}"><path d="{d}" fill="none" stroke="{colour}" stroke-width="{}"{dash} marker-end="url(#arrow-{})"/></g>"#,
        e.from,
        e.to,
        num(width),
        &colour[1..]
    );
}

fn draw_label(out: &mut String, text: &str, cx: f64, cy: f64, kind: EdgeKind) {
    let (w, h) = measure::label_size(text);
    let italic = if kind == EdgeKind::Default {
        r#" font-style="italic""#
    } else {
        ""
    };
    let _ = writeln!(
        out,
        r##"<g class="edge-label"><rect x="{}" y="{}" width="{}" height="{}" rx="3" fill="#ffffff" fill-opacity="0.9"/><text x="{}" y="{}" text-anchor="middle" fill="{}"{italic}>{}</text></g>"##,
        num(cx - w / 2.0),
        num(cy - h / 2.0),
        num(w),
        num(h),
        num(cx),
        num(cy + measure::SMALL_SIZE * 0.35),
        style::MUTED,
        escape(text)
    );
}

const LEGEND_STATUSES: [Status; 5] = [
    Status::Succeeded,
    Status::Failed,
    Status::Caught,
    Status::Running,
    Status::NotReached,
];

fn legend_width() -> f64 {
    LEGEND_STATUSES
        .iter()
        .map(|s| 22.0 + measure::text_width(s.title(), measure::SMALL_SIZE) + 14.0)
        .sum()
}

fn draw_legend(out: &mut String, x0: f64, y: f64) {
    out.push_str("<g class=\"legend\">\n");
    let mut x = x0;
    for s in LEGEND_STATUSES {
        let p = style::by_status(s);
        let _ = writeln!(
            out,
            r#"<rect x="{}" y="{}" width="14" height="14" rx="3" fill="{}" stroke="{}"/><text x="{}" y="{}" fill="{}">{}</text>"#,
            num(x),
            num(y),
            p.fill,
            p.stroke,
            num(x + 20.0),
            num(y + 11.0),
            style::TEXT,
            s.title()
        );
        x += 22.0 + measure::text_width(s.title(), measure::SMALL_SIZE) + 14.0;
    }
    out.push_str("</g>\n");
}

/// A coordinate with at most one decimal.
fn num(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    let r = if r == 0.0 { 0.0 } else { r };
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

/// Text safe in XML content and attributes.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}
