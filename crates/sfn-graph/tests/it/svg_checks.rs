//! Every golden SVG is well-formed XML, names every state, has no two state boxes
//! overlapping (but for states inside a Parallel or Map), and every edge ends on its
//! target's box.

use std::collections::BTreeMap;

use crate::support::{graph, machine, machines};

#[derive(Debug, Clone)]
struct Box_ {
    name: String,
    class: String,
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

impl Box_ {
    fn contains(&self, o: &Box_) -> bool {
        o.x >= self.x
            && o.y >= self.y
            && o.x + o.w <= self.x + self.w
            && o.y + o.h <= self.y + self.h
    }

    fn overlaps(&self, o: &Box_) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }

    fn is_marker(&self) -> bool {
        self.class.contains("start") || self.class.contains("end")
    }
}

fn attr(n: &roxmltree::Node<'_, '_>, name: &str) -> f64 {
    n.attribute(name)
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no number {name} on {n:?}"))
}

fn boxes(doc: &roxmltree::Document<'_>) -> BTreeMap<String, Box_> {
    doc.descendants()
        .filter(|n| {
            n.has_tag_name("g") && n.attribute("class").is_some_and(|c| c.starts_with("state"))
        })
        .map(|n| {
            let id = n.attribute("data-id").unwrap_or_default().to_owned();
            (
                id,
                Box_ {
                    name: n.attribute("data-name").unwrap_or_default().to_owned(),
                    class: n.attribute("class").unwrap_or_default().to_owned(),
                    x: attr(&n, "data-x"),
                    y: attr(&n, "data-y"),
                    w: attr(&n, "data-w"),
                    h: attr(&n, "data-h"),
                },
            )
        })
        .collect()
}

/// The last point of a path's `d`.
fn last_point(d: &str) -> (f64, f64) {
    let nums: Vec<f64> = d
        .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect();
    match nums.as_slice() {
        [.., x, y] => (*x, *y),
        _ => panic!("no points in {d}"),
    }
}

#[test]
fn every_svg_is_xml_and_names_every_state() {
    for name in machines() {
        let svg = graph(&name).to_svg();
        let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{name}: {e}"));
        let b = boxes(&doc);
        let m = machine(&name);
        let mut names = Vec::new();
        fn walk(
            states: &indexmap::IndexMap<sfn_core::model::StateName, sfn_core::model::State>,
            out: &mut Vec<String>,
        ) {
            for (n, s) in states {
                out.push(n.as_str().to_owned());
                for (_, scope) in s.nested() {
                    walk(scope.states, out);
                }
            }
        }
        walk(&m.states, &mut names);
        let texts: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text())
            .collect();
        for n in &names {
            assert!(b.values().any(|x| &x.name == n), "{name}: {n} is not drawn");
            assert!(texts.contains(&n.as_str()), "{name}: {n} is not written");
        }
        assert_eq!(
            b.len(),
            names.len() + 2,
            "{name}: states and the two markers"
        );
    }
}

#[test]
fn no_two_state_boxes_overlap() {
    for name in machines() {
        let svg = graph(&name).to_svg();
        let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{name}: {e}"));
        let b: Vec<Box_> = boxes(&doc).into_values().collect();
        for (i, a) in b.iter().enumerate() {
            for c in &b[i + 1..] {
                if !a.overlaps(c) {
                    continue;
                }
                let nested = (a.contains(c)
                    && (a.class.contains("parallel") || a.class.contains("map")))
                    || (c.contains(a) && (c.class.contains("parallel") || c.class.contains("map")));
                assert!(
                    nested,
                    "{name}: {} and {} overlap: {a:?} {c:?}",
                    a.name, c.name
                );
            }
        }
    }
}

#[test]
fn every_edge_ends_on_its_target() {
    for name in machines() {
        let svg = graph(&name).to_svg();
        let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{name}: {e}"));
        let b = boxes(&doc);
        let mut count = 0;
        for g in doc.descendants().filter(|n| {
            n.has_tag_name("g") && n.attribute("class").is_some_and(|c| c.starts_with("edge "))
        }) {
            let to = g.attribute("data-to").unwrap_or_default();
            let target = b.get(to).unwrap_or_else(|| panic!("{name}: no box {to}"));
            let path = g
                .children()
                .find(|c| c.has_tag_name("path"))
                .unwrap_or_else(|| panic!("{name}: edge without a path"));
            let (x, y) = last_point(path.attribute("d").unwrap_or_default());
            let eps = 0.6;
            let inside = x >= target.x - eps
                && x <= target.x + target.w + eps
                && y >= target.y - eps
                && y <= target.y + target.h + eps;
            assert!(
                inside,
                "{name}: edge to {} ends at ({x}, {y}), off {target:?}",
                target.name
            );
            let on_border = if target.is_marker() {
                let (cx, cy, r) = (
                    target.x + target.w / 2.0,
                    target.y + target.h / 2.0,
                    target.w / 2.0,
                );
                (((x - cx).powi(2) + (y - cy).powi(2)).sqrt() - r).abs() <= eps
            } else {
                [
                    (x - target.x).abs(),
                    (x - target.x - target.w).abs(),
                    (y - target.y).abs(),
                    (y - target.y - target.h).abs(),
                ]
                .into_iter()
                .any(|d| d <= eps)
            };
            assert!(
                on_border,
                "{name}: edge to {} ends inside its box at ({x}, {y})",
                target.name
            );
            count += 1;
        }
        assert!(count > 0, "{name}: no edges");
    }
}
