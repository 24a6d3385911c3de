//! The parsed form of a JSONPath: a root and a list of steps.

use serde_json::{Number, Value};

/// One step of a path: a selector, applied either to the current nodes (`.a`, `[0]`) or to
/// the current nodes and all their descendants (`..a`, `..[0]`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Step {
    /// `..`: apply the selector to every descendant too.
    pub(crate) deep: bool,
    /// What the step selects.
    pub(crate) selector: Selector,
}

/// What one step selects.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Selector {
    /// `.name`, `['name']`
    Name(Box<str>),
    /// `[3]`, `[-1]`
    Index(i64),
    /// `.*`, `[*]`
    Wildcard,
    /// `['a','b']`: merged into one object at the end of a path, iterated elsewhere.
    Names(Vec<Box<str>>),
    /// `[0,2]`
    Indices(Vec<i64>),
    /// `[1:3]`, `[:2]`, `[-2:]`
    Slice {
        start: Option<i64>,
        end: Option<i64>,
    },
    /// `[?(…)]`
    Filter(Box<Filter>),
}

/// The steps after the root, and whether the path ends in `.length()`.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Body {
    pub(crate) steps: Vec<Step>,
    pub(crate) length: bool,
}

impl Body {
    /// Jayway's notion of a definite path: only single names, single indices, and a merged
    /// multi-name selection as the last step.
    pub(crate) fn is_definite(&self) -> bool {
        let last = self.steps.len().saturating_sub(1);
        self.steps.iter().enumerate().all(|(i, step)| {
            !step.deep
                && match &step.selector {
                    Selector::Name(_) | Selector::Index(_) => true,
                    Selector::Names(_) => i == last,
                    _ => false,
                }
        })
    }

    /// Only single names and single indices, no function.
    pub(crate) fn is_reference(&self) -> bool {
        !self.length
            && self
                .steps
                .iter()
                .all(|s| !s.deep && matches!(s.selector, Selector::Name(_) | Selector::Index(_)))
    }
}

/// A filter expression, `?(…)`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Filter {
    Or(Vec<Filter>),
    And(Vec<Filter>),
    Not(Box<Filter>),
    /// `@.a`: true when the path selects something.
    Exists(Operand),
    Compare(Operand, CompareOp, Operand),
}

/// A comparison operator in a filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CompareOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    Nin,
}

/// One side of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Operand {
    /// `@…`: relative to the node being tested.
    Current(Body),
    /// `$…`: relative to the document being queried.
    Root(Body),
    /// A string, number, boolean, null or array literal.
    Literal(Value),
}

/// A number for comparisons: exact for integers, `f64` otherwise.
pub(crate) fn compare_numbers(a: &Number, b: &Number) -> Option<std::cmp::Ordering> {
    if let (Some(x), Some(y)) = (a.as_i64(), b.as_i64()) {
        return Some(x.cmp(&y));
    }
    if let (Some(x), Some(y)) = (a.as_u64(), b.as_u64()) {
        return Some(x.cmp(&y));
    }
    a.as_f64()?.partial_cmp(&b.as_f64()?)
}
