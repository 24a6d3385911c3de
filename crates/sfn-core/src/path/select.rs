//! Selection with Jayway JsonPath semantics.

use std::borrow::Cow;
use std::cmp::Ordering;

use serde_json::{Map, Value};

use super::ast::{Body, CompareOp, Filter, Operand, Selector, Step, compare_numbers};

/// Follows a definite path of single names and indices, borrowing.
#[inline]
pub(crate) fn follow<'v>(mut node: &'v Value, steps: &[Step]) -> Option<&'v Value> {
    for step in steps {
        node = match &step.selector {
            Selector::Name(name) => node.as_object()?.get(&**name)?,
            Selector::Index(i) => {
                let items = node.as_array()?;
                items.get(resolve_index(*i, items.len())?)?
            }
            _ => return None,
        };
    }
    Some(node)
}

/// An index from the end when negative; `None` when out of bounds.
#[inline]
fn resolve_index(i: i64, len: usize) -> Option<usize> {
    let i = if i < 0 {
        i.checked_add(i64::try_from(len).ok()?)?
    } else {
        i
    };
    let i = usize::try_from(i).ok()?;
    (i < len).then_some(i)
}

/// Evaluates a path body against `node` with Jayway's result shape: the single value for a
/// definite path (or nothing), an array of matches otherwise. `root` is what `$` means inside
/// filters.
pub(crate) fn evaluate<'v>(
    body: &Body,
    node: &'v Value,
    root: &'v Value,
) -> Option<Cow<'v, Value>> {
    let value = if body.is_definite() {
        definite(&body.steps, node)?
    } else {
        let matches = collect(&body.steps, node, root);
        Cow::Owned(Value::Array(
            matches.into_iter().map(Cow::into_owned).collect(),
        ))
    };
    if body.length {
        length(&value).map(Cow::Owned)
    } else {
        Some(value)
    }
}

fn definite<'v>(steps: &[Step], node: &'v Value) -> Option<Cow<'v, Value>> {
    match steps.split_last() {
        Some((
            Step {
                selector: Selector::Names(names),
                ..
            },
            init,
        )) => {
            let node = follow(node, init)?;
            merge_names(names, node).map(Cow::Owned)
        }
        _ => follow(node, steps).map(Cow::Borrowed),
    }
}

fn length(value: &Value) -> Option<Value> {
    match value {
        Value::Array(items) => Some(Value::from(items.len())),
        Value::Object(map) => Some(Value::from(map.len())),
        Value::String(s) => Some(Value::from(s.chars().count())),
        _ => None,
    }
}

/// `['a','b']` at the end of a path: an object with those of the properties that exist.
fn merge_names(names: &[Box<str>], node: &Value) -> Option<Value> {
    let object = node.as_object()?;
    let mut merged = Map::new();
    for name in names {
        if let Some(v) = object.get(&**name) {
            merged.insert(name.to_string(), v.clone());
        }
    }
    Some(Value::Object(merged))
}

/// All matches of an indefinite path, in Jayway's order.
fn collect<'v>(steps: &[Step], node: &'v Value, root: &'v Value) -> Vec<Cow<'v, Value>> {
    let mut current: Vec<&'v Value> = vec![node];
    let last = steps.len().saturating_sub(1);
    for (i, step) in steps.iter().enumerate() {
        if i == last
            && let Selector::Names(names) = &step.selector
        {
            let targets = if step.deep {
                descendants_and_self(&current)
            } else {
                current
            };
            return targets
                .into_iter()
                .filter_map(|n| merge_names(names, n))
                .map(Cow::Owned)
                .collect();
        }
        let mut next = Vec::new();
        if step.deep {
            let visited = descendants_and_self(&current);
            if let Selector::Filter(filter) = &step.selector {
                // Jayway's deep scan tests each object (not each array) against the filter.
                next.extend(
                    visited
                        .into_iter()
                        .filter(|n| n.is_object() && test(filter, n, root)),
                );
            } else {
                for n in visited {
                    apply(&step.selector, n, root, &mut next);
                }
            }
        } else {
            for n in current {
                apply(&step.selector, n, root, &mut next);
            }
        }
        current = next;
    }
    current.into_iter().map(Cow::Borrowed).collect()
}

/// Every node in pre-order: each node before its children.
fn descendants_and_self<'v>(nodes: &[&'v Value]) -> Vec<&'v Value> {
    let mut out = Vec::new();
    let mut stack: Vec<&'v Value> = nodes.iter().rev().copied().collect();
    while let Some(n) = stack.pop() {
        out.push(n);
        match n {
            Value::Object(map) => stack.extend(map.values().rev()),
            Value::Array(items) => stack.extend(items.iter().rev()),
            _ => {}
        }
    }
    out
}

fn apply<'v>(selector: &Selector, node: &'v Value, root: &'v Value, out: &mut Vec<&'v Value>) {
    match selector {
        Selector::Name(name) => {
            if let Some(v) = node.as_object().and_then(|m| m.get(&**name)) {
                out.push(v);
            }
        }
        Selector::Index(i) => {
            if let Some(items) = node.as_array()
                && let Some(v) = resolve_index(*i, items.len()).and_then(|i| items.get(i))
            {
                out.push(v);
            }
        }
        Selector::Wildcard => match node {
            Value::Object(map) => out.extend(map.values()),
            Value::Array(items) => out.extend(items.iter()),
            _ => {}
        },
        Selector::Names(names) => {
            if let Some(map) = node.as_object() {
                out.extend(names.iter().filter_map(|n| map.get(&**n)));
            }
        }
        Selector::Indices(indices) => {
            if let Some(items) = node.as_array() {
                out.extend(
                    indices
                        .iter()
                        .filter_map(|i| resolve_index(*i, items.len()).and_then(|i| items.get(i))),
                );
            }
        }
        Selector::Slice { start, end } => {
            if let Some(items) = node.as_array() {
                let len = i64::try_from(items.len()).unwrap_or(i64::MAX);
                let clamp = |i: i64| -> usize {
                    let i = if i < 0 { len.saturating_add(i) } else { i };
                    usize::try_from(i.clamp(0, len)).unwrap_or(0)
                };
                let from = start.map_or(0, clamp);
                let to = end.map_or(items.len(), clamp);
                if from < to {
                    out.extend(&items[from..to]);
                }
            }
        }
        Selector::Filter(filter) => match node {
            Value::Array(items) => out.extend(items.iter().filter(|item| test(filter, item, root))),
            Value::Object(_) if test(filter, node, root) => out.push(node),
            _ => {}
        },
    }
}

fn test(filter: &Filter, current: &Value, root: &Value) -> bool {
    match filter {
        Filter::Or(items) => items.iter().any(|f| test(f, current, root)),
        Filter::And(items) => items.iter().all(|f| test(f, current, root)),
        Filter::Not(inner) => !test(inner, current, root),
        Filter::Exists(operand) => match operand {
            Operand::Current(body) => exists(body, current, root),
            Operand::Root(body) => exists(body, root, root),
            Operand::Literal(_) => true,
        },
        Filter::Compare(left, op, right) => {
            let left = resolve(left, current, root);
            let right = resolve(right, current, root);
            compare(left.as_deref(), *op, right.as_deref())
        }
    }
}

fn exists(body: &Body, node: &Value, root: &Value) -> bool {
    match evaluate(body, node, root) {
        None => false,
        Some(v) if !body.is_definite() && !body.length => {
            v.as_array().is_some_and(|a| !a.is_empty())
        }
        Some(_) => true,
    }
}

fn resolve<'v>(
    operand: &'v Operand,
    current: &'v Value,
    root: &'v Value,
) -> Option<Cow<'v, Value>> {
    match operand {
        Operand::Current(body) => evaluate(body, current, root),
        Operand::Root(body) => evaluate(body, root, root),
        Operand::Literal(v) => Some(Cow::Borrowed(v)),
    }
}

fn compare(left: Option<&Value>, op: CompareOp, right: Option<&Value>) -> bool {
    match op {
        CompareOp::Ne => !compare(left, CompareOp::Eq, right),
        CompareOp::Nin => !compare(left, CompareOp::In, right),
        _ => {
            let (Some(l), Some(r)) = (left, right) else {
                return false;
            };
            match op {
                CompareOp::Eq => values_equal(l, r),
                CompareOp::In => r
                    .as_array()
                    .is_some_and(|items| items.iter().any(|i| values_equal(l, i))),
                CompareOp::Lt => order(l, r) == Some(Ordering::Less),
                CompareOp::Le => matches!(order(l, r), Some(Ordering::Less | Ordering::Equal)),
                CompareOp::Gt => order(l, r) == Some(Ordering::Greater),
                CompareOp::Ge => matches!(order(l, r), Some(Ordering::Greater | Ordering::Equal)),
                CompareOp::Ne | CompareOp::Nin => false,
            }
        }
    }
}

/// Equality as Jayway's filters see it: numbers by value (`1 == 1.0`), everything else
/// structurally.
fn values_equal(l: &Value, r: &Value) -> bool {
    match (l, r) {
        (Value::Number(a), Value::Number(b)) => compare_numbers(a, b) == Some(Ordering::Equal),
        _ => l == r,
    }
}

fn order(l: &Value, r: &Value) -> Option<Ordering> {
    match (l, r) {
        (Value::Number(a), Value::Number(b)) => compare_numbers(a, b),
        (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
        _ => None,
    }
}
