//! A layered (Sugiyama-style) layout of one scope, top to bottom.
//!
//! 1. Cycles: a depth-first search from the roots marks the edges that go back to a node
//!    on the search path (loops through a Choice); they are laid out reversed and drawn
//!    back up.
//! 2. Layers by longest path, each edge spanning at least two layers (as dagre does): real
//!    nodes sit on even layers, and every edge has a dummy node on the odd layer below its
//!    source, which carries its label, so labels get room of their own.
//! 3. Long edges are cut into chains of dummy nodes, one per layer.
//! 4. Order within layers: depth-first order from the roots, then barycenter sweeps down
//!    and up, keeping the order with the fewest crossings.
//! 5. X coordinates: each node pulled to the weighted mean of its neighbours (dummy chains
//!    weigh most, which straightens long edges), solved exactly per layer under the
//!    minimum separations by pool-adjacent-violators; alternate sweeps down and up.
//! 6. Y coordinates: layers stacked, each as tall as its tallest node.

/// Space between two nodes of a layer.
const NODE_GAP: f64 = 28.0;
/// Space between a dummy node and its neighbours.
const DUMMY_GAP: f64 = 14.0;
/// Space between two layers (a real layer and the dummy layer below it).
const LAYER_GAP: f64 = 16.0;
/// Space between an edge and its label.
const LABEL_OFFSET: f64 = 6.0;
/// How far a self loop goes right of its node.
const LOOP_WIDTH: f64 = 26.0;

/// A node to place, by its size.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Item {
    pub(crate) w: f64,
    pub(crate) h: f64,
}

/// An edge to route, with the size of its label.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Link {
    pub(crate) from: usize,
    pub(crate) to: usize,
    pub(crate) label: Option<(f64, f64)>,
}

/// The placed scope: node centres, edge waypoints (the ends not included), sizes.
#[derive(Debug, Clone, Default)]
pub(crate) struct Placed {
    pub(crate) centers: Vec<(f64, f64)>,
    pub(crate) routes: Vec<Route>,
    pub(crate) width: f64,
    pub(crate) height: f64,
}

/// The waypoints of one edge between its ends, and where its label's centre goes.
#[derive(Debug, Clone, Default)]
pub(crate) struct Route {
    pub(crate) points: Vec<(f64, f64)>,
    pub(crate) label: Option<(f64, f64)>,
}

#[derive(Debug, Clone)]
struct Vertex {
    w: f64,
    h: f64,
    rank: usize,
    dummy: bool,
    /// For a label's dummy: the label's width.
    label_w: Option<f64>,
}

/// Lays out `items` joined by `links`; the search for cycles starts at `roots`.
pub(crate) fn layout(items: &[Item], links: &[Link], roots: &[usize]) -> Placed {
    let n = items.len();
    if n == 0 {
        return Placed::default();
    }
    let reversed = back_edges(n, links, roots);
    let ranks = rank(n, links, &reversed);

    // The layered graph: real vertices first (same indexes as items), then dummies.
    let mut vs: Vec<Vertex> = items
        .iter()
        .zip(&ranks)
        .map(|(it, &rank)| Vertex {
            w: it.w,
            h: it.h,
            rank,
            dummy: false,
            label_w: None,
        })
        .collect();
    // Each link's chain of vertices, in its laid-out direction (top to bottom).
    let mut chains: Vec<Vec<usize>> = Vec::with_capacity(links.len());
    let mut label_vertex: Vec<Option<usize>> = vec![None; links.len()];
    let mut vedges: Vec<(usize, usize)> = Vec::new();
    for (k, l) in links.iter().enumerate() {
        if l.from == l.to {
            chains.push(Vec::new());
            continue;
        }
        let (top, bottom) = if reversed[k] {
            (l.to, l.from)
        } else {
            (l.from, l.to)
        };
        let mut chain = vec![top];
        for r in ranks[top] + 1..ranks[bottom] {
            // The label goes on the dummy nearest the edge's source.
            let labelled = if reversed[k] {
                r == ranks[bottom] - 1
            } else {
                r == ranks[top] + 1
            };
            let (w, h, label_w) = match (labelled, l.label) {
                (true, Some((lw, lh))) => (lw + LABEL_OFFSET, lh, Some(lw)),
                _ => (0.0, 0.0, None),
            };
            vs.push(Vertex {
                w,
                h,
                rank: r,
                dummy: true,
                label_w,
            });
            let v = vs.len() - 1;
            if label_w.is_some() {
                label_vertex[k] = Some(v);
            }
            chain.push(v);
        }
        chain.push(bottom);
        for pair in chain.windows(2) {
            vedges.push((pair[0], pair[1]));
        }
        chains.push(chain);
    }
    let layers_n = vs.iter().map(|v| v.rank).max().unwrap_or(0) + 1;
    let mut down: Vec<Vec<usize>> = vec![Vec::new(); vs.len()];
    let mut up: Vec<Vec<usize>> = vec![Vec::new(); vs.len()];
    for &(a, b) in &vedges {
        down[a].push(b);
        up[b].push(a);
    }

    let mut layers = initial_order(&vs, &down, roots, layers_n);
    order(&mut layers, &down, &up, vs.len());
    let xs = coordinates(&vs, &layers, &down, &up);

    // Y: layers stacked.
    let mut heights = vec![0.0f64; layers_n];
    for v in &vs {
        heights[v.rank] = heights[v.rank].max(v.h);
    }
    let mut tops = vec![0.0f64; layers_n];
    for r in 1..layers_n {
        tops[r] = tops[r - 1] + heights[r - 1] + LAYER_GAP;
    }
    let center_y = |v: usize| tops[vs[v].rank] + heights[vs[v].rank] / 2.0;

    let mut placed = Placed {
        centers: (0..n).map(|v| (xs[v], center_y(v))).collect(),
        ..Placed::default()
    };
    for (k, l) in links.iter().enumerate() {
        let mut route = Route::default();
        if l.from == l.to {
            let (cx, cy) = placed.centers[l.from];
            let it = items[l.from];
            let x = cx + it.w / 2.0 + LOOP_WIDTH;
            route.points = vec![(x, cy - it.h / 4.0), (x, cy + it.h / 4.0)];
            if let Some((lw, _)) = l.label {
                route.label = Some((x + LABEL_OFFSET + lw / 2.0, cy));
            }
        } else {
            let chain = &chains[k];
            let inner = chain.get(1..chain.len().saturating_sub(1)).unwrap_or(&[]);
            // Through each layer straight down, from its top to its bottom, so that
            // the curves between layers stay in the gaps, clear of the nodes.
            for &v in inner {
                let x = xs[v] - vs[v].w / 2.0;
                let r = vs[v].rank;
                route.points.push((x, tops[r]));
                if heights[r] > 0.0 {
                    route.points.push((x, tops[r] + heights[r]));
                }
            }
            if reversed[k] {
                route.points.reverse();
            }
            if let Some(v) = label_vertex[k] {
                let lw = vs[v].label_w.unwrap_or(0.0);
                let left = xs[v] - vs[v].w / 2.0;
                route.label = Some((left + LABEL_OFFSET + lw / 2.0, center_y(v)));
            }
        }
        placed.routes.push(route);
    }
    // The extent: nodes, dummies (labels), self loops.
    let mut width = 0.0f64;
    for (v, vert) in vs.iter().enumerate() {
        width = width.max(xs[v] + vert.w / 2.0);
    }
    for (l, r) in links.iter().zip(&placed.routes) {
        if l.from == l.to {
            let extra = l.label.map_or(0.0, |(lw, _)| lw + LABEL_OFFSET);
            width = width.max(r.points.first().map_or(0.0, |p| p.0) + extra);
        }
    }
    placed.width = width;
    placed.height = tops[layers_n - 1] + heights[layers_n - 1];
    placed
}

/// Marks the links that close a cycle, found by a depth-first search from the roots,
/// then from every node not yet seen, in order.
fn back_edges(n: usize, links: &[Link], roots: &[usize]) -> Vec<bool> {
    let mut out_links: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (k, l) in links.iter().enumerate() {
        if l.from < n && l.to < n && l.from != l.to {
            out_links[l.from].push(k);
        }
    }
    let mut state = vec![0u8; n]; // 0 unseen, 1 on the path, 2 done
    let mut reversed = vec![false; links.len()];
    let starts = roots.iter().copied().chain(0..n);
    for s in starts {
        if s >= n || state[s] != 0 {
            continue;
        }
        let mut stack = vec![(s, 0usize)];
        state[s] = 1;
        while let Some(&mut (v, ref mut next)) = stack.last_mut() {
            if let Some(&k) = out_links[v].get(*next) {
                *next += 1;
                let w = links[k].to;
                match state[w] {
                    0 => {
                        state[w] = 1;
                        stack.push((w, 0));
                    }
                    1 => reversed[k] = true,
                    _ => {}
                }
            } else {
                state[v] = 2;
                stack.pop();
            }
        }
    }
    reversed
}

/// Longest-path ranks on the graph with the back edges reversed; each edge spans two.
fn rank(n: usize, links: &[Link], reversed: &[bool]) -> Vec<usize> {
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut indegree = vec![0usize; n];
    for (k, l) in links.iter().enumerate() {
        if l.from == l.to || l.from >= n || l.to >= n {
            continue;
        }
        let (a, b) = if reversed[k] {
            (l.to, l.from)
        } else {
            (l.from, l.to)
        };
        succ[a].push(b);
        indegree[b] += 1;
    }
    let mut ranks = vec![0usize; n];
    let mut queue: std::collections::VecDeque<usize> =
        (0..n).filter(|&v| indegree[v] == 0).collect();
    while let Some(v) = queue.pop_front() {
        for &w in &succ[v] {
            ranks[w] = ranks[w].max(ranks[v] + 2);
            indegree[w] -= 1;
            if indegree[w] == 0 {
                queue.push_back(w);
            }
        }
    }
    ranks
}

/// Layers in depth-first order from the roots: nodes written first stay left.
fn initial_order(
    vs: &[Vertex],
    down: &[Vec<usize>],
    roots: &[usize],
    layers_n: usize,
) -> Vec<Vec<usize>> {
    let mut layers = vec![Vec::new(); layers_n];
    let mut seen = vec![false; vs.len()];
    let starts: Vec<usize> = roots.iter().copied().chain(0..vs.len()).collect();
    for s in starts {
        if s >= vs.len() || seen[s] {
            continue;
        }
        let mut stack = vec![s];
        while let Some(v) = stack.pop() {
            if seen[v] {
                continue;
            }
            seen[v] = true;
            layers[vs[v].rank].push(v);
            for &w in down[v].iter().rev() {
                if !seen[w] {
                    stack.push(w);
                }
            }
        }
    }
    layers
}

/// Barycenter sweeps, keeping the order with the fewest crossings.
fn order(layers: &mut [Vec<usize>], down: &[Vec<usize>], up: &[Vec<usize>], nv: usize) {
    let mut pos = vec![0.0f64; nv];
    let set_pos = |layers: &[Vec<usize>], pos: &mut [f64]| {
        for layer in layers {
            for (i, &v) in layer.iter().enumerate() {
                pos[v] = i as f64;
            }
        }
    };
    set_pos(layers, &mut pos);
    let mut best = layers.to_vec();
    let mut best_crossings = crossings(layers, down, &pos);
    for iter in 0..16 {
        let downward = iter % 2 == 0;
        let range: Vec<usize> = if downward {
            (1..layers.len()).collect()
        } else {
            (0..layers.len().saturating_sub(1)).rev().collect()
        };
        for r in range {
            let neighbours = if downward { up } else { down };
            let mut keyed: Vec<(f64, usize)> = layers[r]
                .iter()
                .map(|&v| {
                    let ns = &neighbours[v];
                    let b = if ns.is_empty() {
                        pos[v]
                    } else {
                        ns.iter().map(|&u| pos[u]).sum::<f64>() / ns.len() as f64
                    };
                    (b, v)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
            layers[r] = keyed.into_iter().map(|(_, v)| v).collect();
            for (i, &v) in layers[r].iter().enumerate() {
                pos[v] = i as f64;
            }
        }
        let c = crossings(layers, down, &pos);
        if c < best_crossings {
            best_crossings = c;
            best = layers.to_vec();
        }
    }
    layers.clone_from_slice(&best);
}

/// The number of edge crossings between successive layers.
fn crossings(layers: &[Vec<usize>], down: &[Vec<usize>], pos: &[f64]) -> usize {
    let mut total = 0;
    for layer in layers {
        let mut segs: Vec<(f64, f64)> = Vec::new();
        for &v in layer {
            for &w in &down[v] {
                segs.push((pos[v], pos[w]));
            }
        }
        for i in 0..segs.len() {
            for j in i + 1..segs.len() {
                let (a, b) = (segs[i], segs[j]);
                if (a.0 - b.0) * (a.1 - b.1) < 0.0 {
                    total += 1;
                }
            }
        }
    }
    total
}

/// X coordinates of the vertices' centres.
fn coordinates(
    vs: &[Vertex],
    layers: &[Vec<usize>],
    down: &[Vec<usize>],
    up: &[Vec<usize>],
) -> Vec<f64> {
    let sep = |a: usize, b: usize| {
        let gap = if vs[a].dummy || vs[b].dummy {
            DUMMY_GAP
        } else {
            NODE_GAP
        };
        (vs[a].w + vs[b].w) / 2.0 + gap
    };
    let weight = |a: usize, b: usize| match (vs[a].dummy, vs[b].dummy) {
        (true, true) => 8.0,
        (false, false) => 1.0,
        _ => 2.0,
    };
    let mut xs = vec![0.0f64; vs.len()];
    for layer in layers {
        let mut x = 0.0;
        for (i, &v) in layer.iter().enumerate() {
            if i > 0 {
                x += sep(layer[i - 1], v);
            }
            xs[v] = x;
        }
    }
    let sweeps: Vec<usize> = (0..layers.len()).chain((0..layers.len()).rev()).collect();
    for _ in 0..8 {
        for &r in &sweeps {
            let layer = &layers[r];
            let mut desired = Vec::with_capacity(layer.len());
            let mut weights = Vec::with_capacity(layer.len());
            for &v in layer {
                let (mut sum, mut wsum) = (0.0, 0.0);
                for &u in up[v].iter().chain(&down[v]) {
                    let w = weight(u, v);
                    sum += w * xs[u];
                    wsum += w;
                }
                if wsum > 0.0 {
                    desired.push(sum / wsum);
                    weights.push(wsum);
                } else {
                    desired.push(xs[v]);
                    weights.push(0.01);
                }
            }
            let seps: Vec<f64> = layer.windows(2).map(|p| sep(p[0], p[1])).collect();
            let placed = place(&desired, &weights, &seps);
            for (&v, x) in layer.iter().zip(placed) {
                xs[v] = x;
            }
        }
    }
    let min = vs
        .iter()
        .enumerate()
        .map(|(v, vert)| xs[v] - vert.w / 2.0)
        .fold(f64::INFINITY, f64::min);
    if min.is_finite() {
        for x in &mut xs {
            *x -= min;
        }
    }
    xs
}

/// The positions nearest (weighted least squares) to `desired`, in the given order, with
/// at least `seps[i]` between positions `i` and `i + 1`: isotonic regression by
/// pool-adjacent-violators on the positions less their minimum offsets.
pub(crate) fn place(desired: &[f64], weights: &[f64], seps: &[f64]) -> Vec<f64> {
    let mut offsets = Vec::with_capacity(desired.len());
    let mut acc = 0.0;
    for i in 0..desired.len() {
        if i > 0 {
            acc += seps.get(i - 1).copied().unwrap_or(0.0);
        }
        offsets.push(acc);
    }
    // Blocks of (weight, weighted sum, count).
    let mut blocks: Vec<(f64, f64, usize)> = Vec::new();
    for i in 0..desired.len() {
        let w = weights.get(i).copied().unwrap_or(1.0).max(1e-6);
        blocks.push((w, w * (desired[i] - offsets[i]), 1));
        while blocks.len() > 1 {
            let last = blocks[blocks.len() - 1];
            let prev = blocks[blocks.len() - 2];
            if prev.1 / prev.0 > last.1 / last.0 {
                blocks.pop();
                blocks.pop();
                blocks.push((prev.0 + last.0, prev.1 + last.1, prev.2 + last.2));
            } else {
                break;
            }
        }
    }
    let mut out = Vec::with_capacity(desired.len());
    for (w, s, count) in blocks {
        for _ in 0..count {
            let i = out.len();
            out.push(s / w + offsets[i]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item() -> Item {
        Item { w: 100.0, h: 40.0 }
    }

    fn link(from: usize, to: usize) -> Link {
        Link {
            from,
            to,
            label: None,
        }
    }

    #[test]
    fn a_chain_goes_down() {
        let p = layout(&[item(), item(), item()], &[link(0, 1), link(1, 2)], &[0]);
        assert!(p.centers[0].1 < p.centers[1].1);
        assert!(p.centers[1].1 < p.centers[2].1);
        // A straight chain stays straight.
        assert!((p.centers[0].0 - p.centers[2].0).abs() < 1e-6);
    }

    #[test]
    fn a_loop_is_drawn_back_up() {
        let p = layout(
            &[item(), item(), item()],
            &[link(0, 1), link(1, 2), link(2, 0)],
            &[0],
        );
        assert!(p.centers[0].1 < p.centers[2].1);
        let back = &p.routes[2];
        assert!(!back.points.is_empty());
        // From the bottom node up: the waypoints climb.
        let ys: Vec<f64> = back.points.iter().map(|p| p.1).collect();
        assert!(ys.windows(2).all(|w| w[0] >= w[1]), "{ys:?}");
    }

    #[test]
    fn siblings_do_not_overlap() {
        let items = [item(), item(), item(), item()];
        let p = layout(&items, &[link(0, 1), link(0, 2), link(0, 3)], &[0]);
        let mut xs: Vec<f64> = (1..4).map(|i| p.centers[i].0).collect();
        xs.sort_by(f64::total_cmp);
        assert!(xs.windows(2).all(|w| w[1] - w[0] >= 100.0));
        // The parent sits above the middle child.
        assert!((p.centers[0].0 - xs[1]).abs() < 1.0);
    }

    #[test]
    fn labels_get_their_own_room() {
        let p = layout(
            &[item(), item()],
            &[Link {
                from: 0,
                to: 1,
                label: Some((60.0, 14.0)),
            }],
            &[0],
        );
        let (lx, ly) = p.routes[0].label.unwrap_or_default();
        assert!(ly > p.centers[0].1 + 20.0 && ly < p.centers[1].1 - 20.0);
        assert!(lx > p.routes[0].points[0].0);
    }

    #[test]
    fn placement_keeps_order_and_separation() {
        let xs = place(&[10.0, 10.0, 10.0], &[1.0, 1.0, 1.0], &[20.0, 20.0]);
        assert_eq!(xs, vec![-10.0, 10.0, 30.0]);
        let xs = place(&[0.0, 100.0], &[1.0, 1.0], &[20.0]);
        assert_eq!(xs, vec![0.0, 100.0]);
    }
}
