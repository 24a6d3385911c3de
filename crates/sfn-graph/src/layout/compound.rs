//! Scopes inside states, laid out from the innermost out: a Parallel or Map state is a
//! box whose header shows the state and whose body holds its regions side by side, each
//! region a box around its own scope's layout.

use super::{
    layered::{self, Item, Link},
    measure::{self, PAD_Y},
};
use crate::graph::{Node, NodeKind, Scope};

/// Space between regions, and around them inside their state.
const REGION_GAP: f64 = 16.0;
/// Padding inside a region, around its scope.
const REGION_PAD: f64 = 14.0;
/// The height of a region's title.
const REGION_TITLE: f64 = 20.0;

/// A scope laid out; coordinates from its top left.
#[derive(Debug, Clone, Default)]
pub(crate) struct ScopeLayout {
    /// The nodes, as in the scope.
    pub(crate) nodes: Vec<NodeLayout>,
    /// The edges, as in the scope.
    pub(crate) edges: Vec<EdgeLayout>,
    pub(crate) width: f64,
    pub(crate) height: f64,
}

/// A node's box (top left, size), and its regions.
#[derive(Debug, Clone, Default)]
pub(crate) struct NodeLayout {
    pub(crate) x: f64,
    pub(crate) y: f64,
    pub(crate) w: f64,
    pub(crate) h: f64,
    pub(crate) regions: Vec<RegionLayout>,
}

/// A region's box, from its node's top left, and its scope, from the region's top left.
#[derive(Debug, Clone, Default)]
pub(crate) struct RegionLayout {
    pub(crate) x: f64,
    pub(crate) y: f64,
    pub(crate) w: f64,
    pub(crate) h: f64,
    pub(crate) inner_x: f64,
    pub(crate) inner_y: f64,
    pub(crate) scope: ScopeLayout,
}

/// An edge's points, its ends on the boxes of its nodes, and its label's centre.
#[derive(Debug, Clone, Default)]
pub(crate) struct EdgeLayout {
    pub(crate) points: Vec<(f64, f64)>,
    pub(crate) label: Option<(f64, f64)>,
}

/// Lays out `scope`, its states' regions first.
pub(crate) fn layout_scope(scope: &Scope) -> ScopeLayout {
    let mut nodes: Vec<NodeLayout> = scope.nodes.iter().map(size_node).collect();
    let index = |id: &str| scope.nodes.iter().position(|n| n.id == id);
    let mut links = Vec::new();
    let mut kept = Vec::new();
    for (k, e) in scope.edges.iter().enumerate() {
        if let (Some(from), Some(to)) = (index(&e.from), index(&e.to)) {
            links.push(Link {
                from,
                to,
                label: e.label.as_deref().map(measure::label_size),
            });
            kept.push(k);
        }
    }
    let items: Vec<Item> = nodes.iter().map(|n| Item { w: n.w, h: n.h }).collect();
    let roots: Vec<usize> = scope.start.as_deref().and_then(index).into_iter().collect();
    let placed = layered::layout(&items, &links, &roots);
    for (n, &(cx, cy)) in nodes.iter_mut().zip(&placed.centers) {
        n.x = cx - n.w / 2.0;
        n.y = cy - n.h / 2.0;
    }
    let mut edges = vec![EdgeLayout::default(); scope.edges.len()];
    for ((link, route), k) in links.iter().zip(&placed.routes).zip(kept) {
        let from = &nodes[link.from];
        let to = &nodes[link.to];
        let first = route.points.first().copied().unwrap_or(center(to));
        let last = route.points.last().copied().unwrap_or(center(from));
        let mut points = vec![boundary(from, &scope.nodes[link.from], first)];
        points.extend(route.points.iter().copied());
        points.push(boundary(to, &scope.nodes[link.to], last));
        edges[k] = EdgeLayout {
            points,
            label: route.label,
        };
    }
    ScopeLayout {
        nodes,
        edges,
        width: placed.width,
        height: placed.height,
    }
}

/// A node's size; for a node with regions, its regions laid out.
fn size_node(node: &Node) -> NodeLayout {
    if !node.is_compound() {
        let (w, h) = measure::simple_size(node);
        return NodeLayout {
            w,
            h,
            ..NodeLayout::default()
        };
    }
    let lines = measure::lines(node);
    let header = (PAD_Y + measure::lines_height(&lines) + PAD_Y).ceil();
    let mut regions = Vec::new();
    let mut x = REGION_GAP;
    let mut body_h: f64 = 0.0;
    for r in &node.regions {
        let scope = layout_scope(&r.scope);
        let title_w = measure::text_width(&r.title, measure::SMALL_SIZE) + 2.0 * REGION_PAD;
        let w = (scope.width + 2.0 * REGION_PAD).max(title_w).ceil();
        let h = (REGION_TITLE + scope.height + REGION_PAD).ceil();
        regions.push(RegionLayout {
            x,
            y: header,
            w,
            h,
            inner_x: ((w - scope.width) / 2.0).floor(),
            inner_y: REGION_TITLE,
            scope,
        });
        x += w + REGION_GAP;
        body_h = body_h.max(h);
    }
    let regions_w = x;
    let header_w = measure::lines_width(&lines) + 2.0 * measure::PAD_X;
    let w = regions_w.max(header_w).max(110.0).ceil();
    // Regions centred when the header is wider.
    let shift = ((w - regions_w) / 2.0).floor();
    for r in &mut regions {
        r.x += shift;
    }
    NodeLayout {
        w,
        h: header + body_h + REGION_GAP,
        regions,
        ..NodeLayout::default()
    }
}

fn center(n: &NodeLayout) -> (f64, f64) {
    (n.x + n.w / 2.0, n.y + n.h / 2.0)
}

/// Where the line from the node's centre towards `toward` crosses its outline.
fn boundary(n: &NodeLayout, node: &Node, toward: (f64, f64)) -> (f64, f64) {
    let (cx, cy) = center(n);
    let (dx, dy) = (toward.0 - cx, toward.1 - cy);
    if matches!(node.kind, NodeKind::Start | NodeKind::End) {
        let len = (dx * dx + dy * dy).sqrt();
        let r = n.w / 2.0;
        if len < 1e-9 {
            return (cx, cy + r);
        }
        return (cx + dx / len * r, cy + dy / len * r);
    }
    let (hw, hh) = (n.w / 2.0, n.h / 2.0);
    if dx.abs() < 1e-9 && dy.abs() < 1e-9 {
        return (cx, cy + hh);
    }
    if dy.abs() * hw > dx.abs() * hh {
        let sy = if dy < 0.0 { -hh } else { hh };
        (cx + sy * dx / dy, cy + sy)
    } else {
        let sx = if dx < 0.0 { -hw } else { hw };
        (cx + sx, cy + sx * dy / dx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Graph;

    fn graph(json: &str) -> Graph {
        let m: sfn_core::StateMachine = json.parse().unwrap_or_else(|e| panic!("{e}"));
        Graph::from_machine(&m)
    }

    #[test]
    fn regions_sit_inside_their_state_side_by_side() {
        let g = graph(
            r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
                {"StartAt":"A","States":{"A":{"Type":"Pass","Next":"A2"},"A2":{"Type":"Pass","End":true}}},
                {"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}}]}}}"#,
        );
        let l = layout_scope(&g.scope);
        let p = &l.nodes[1];
        assert_eq!(p.regions.len(), 2);
        let (r0, r1) = (&p.regions[0], &p.regions[1]);
        assert!(r0.x + r0.w <= r1.x, "side by side");
        for r in [r0, r1] {
            assert!(r.x >= 0.0 && r.y > 0.0, "below the header");
            assert!(r.x + r.w <= p.w && r.y + r.h <= p.h, "inside the state");
            for n in &r.scope.nodes {
                assert!(r.inner_x + n.x + n.w <= r.w + 1e-9);
                assert!(r.inner_y + n.y + n.h <= r.h + 1e-9);
            }
        }
        // The longer branch makes its region taller.
        assert!(r0.h > r1.h);
    }

    #[test]
    fn edge_ends_lie_on_the_outlines() {
        let g = graph(
            r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Succeed"}}}"#,
        );
        let l = layout_scope(&g.scope);
        // start -> A: leaves the circle, reaches A's top.
        let e = &l.edges[0];
        let (start, a) = (&l.nodes[0], &l.nodes[1]);
        let first = e.points[0];
        let (cx, cy) = (start.x + start.w / 2.0, start.y + start.h / 2.0);
        let r = ((first.0 - cx).powi(2) + (first.1 - cy).powi(2)).sqrt();
        assert!((r - start.w / 2.0).abs() < 1e-6);
        let last = e.points[e.points.len() - 1];
        assert!((last.1 - a.y).abs() < 1e-6, "{last:?} {a:?}");
    }
}
