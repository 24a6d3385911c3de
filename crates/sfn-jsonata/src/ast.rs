//! The syntax tree the parser produces and the evaluator walks.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use super::signature::Signature;

/// A `%` parent slot: the label its ancestor binds, and how many levels remain to climb.
#[derive(Debug)]
pub(crate) struct Slot {
    pub(crate) label: String,
    pub(crate) level: i32,
}

/// A shared, mutable parent slot (the parser relabels it while resolving ancestry).
///
/// A `Mutex` rather than a `RefCell` keeps the syntax tree `Send + Sync`; the evaluator only
/// reads the label.
pub(crate) type SlotRef = Arc<Mutex<Slot>>;

/// Creates a parent slot.
pub(crate) fn new_slot(label: String) -> SlotRef {
    Arc::new(Mutex::new(Slot { label, level: 1 }))
}

/// Locks a parent slot (a poisoned lock still holds a consistent slot).
pub(crate) fn slot(s: &SlotRef) -> MutexGuard<'_, Slot> {
    s.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A node of the syntax tree with the annotations the post-parse stage adds.
#[derive(Debug)]
pub(crate) struct Node {
    pub(crate) kind: Kind,
    pub(crate) pos: usize,
    pub(crate) keep_array: bool,
    /// Filters applied to the node's value (outside a path).
    pub(crate) predicate: Vec<Node>,
    /// Filters and index bindings applied to a path step.
    pub(crate) stages: Vec<Stage>,
    pub(crate) group: Option<Box<Group>>,
    pub(crate) focus: Option<String>,
    pub(crate) index: Option<String>,
    pub(crate) tuple: bool,
    pub(crate) ancestor: Option<SlotRef>,
    pub(crate) consarray: bool,
    pub(crate) keep_singleton_array: bool,
    pub(crate) seeking_parent: Vec<SlotRef>,
}

/// One stage of a path step.
#[derive(Debug)]
pub(crate) enum Stage {
    Filter(Node),
    Index(String),
}

/// An object constructor applied as a grouping (`path{key: value}`) or literal (`{...}`).
#[derive(Debug)]
pub(crate) struct Group {
    pub(crate) pairs: Vec<(Node, Node)>,
    pub(crate) pos: usize,
}

/// One term of an order-by clause.
#[derive(Debug)]
pub(crate) struct SortTerm {
    pub(crate) descending: bool,
    pub(crate) expr: Node,
}

/// A function definition (`function($x){...}`) or a tail-call thunk.
#[derive(Debug)]
pub(crate) struct LambdaDef {
    pub(crate) params: Vec<String>,
    pub(crate) signature: Option<Arc<Signature>>,
    pub(crate) body: Node,
    pub(crate) thunk: bool,
}

/// A transform expression (`| pattern | update, delete |`).
#[derive(Debug)]
pub(crate) struct TransformDef {
    pub(crate) pattern: Node,
    pub(crate) update: Node,
    pub(crate) delete: Option<Node>,
}

/// A regular expression literal.
#[derive(Debug)]
pub(crate) struct RegexLit {
    pub(crate) source: String,
    pub(crate) regex: regex::Regex,
}

/// Binary operators that survive the post-parse stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Concat,
    And,
    Or,
    Range,
    In,
}

impl BinOp {
    pub(crate) fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Mod => "%",
            BinOp::Eq => "=",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::Concat => "&",
            BinOp::And => "and",
            BinOp::Or => "or",
            BinOp::Range => "..",
            BinOp::In => "in",
        }
    }

    pub(crate) fn from_symbol(s: &str) -> Option<BinOp> {
        Some(match s {
            "+" => BinOp::Add,
            "-" => BinOp::Sub,
            "*" => BinOp::Mul,
            "/" => BinOp::Div,
            "%" => BinOp::Mod,
            "=" => BinOp::Eq,
            "!=" => BinOp::Ne,
            "<" => BinOp::Lt,
            "<=" => BinOp::Le,
            ">" => BinOp::Gt,
            ">=" => BinOp::Ge,
            "&" => BinOp::Concat,
            "and" => BinOp::And,
            "or" => BinOp::Or,
            ".." => BinOp::Range,
            "in" => BinOp::In,
            _ => return None,
        })
    }
}

/// What a node is.
#[derive(Debug)]
pub(crate) enum Kind {
    // ---- raw forms, removed by the post-parse stage ----
    /// An infix operator as parsed (`.`, `+`, `:=`, `~>`, ...).
    Infix(String, Box<Node>, Box<Node>),
    /// `lhs[rhs]`.
    Filter(Box<Node>, Box<Node>),
    /// `lhs{...}`.
    GroupBy(Box<Node>, Vec<(Node, Node)>),
    /// `lhs^(...)`.
    OrderBy(Box<Node>, Vec<SortTerm>),
    /// `lhs@$v`.
    FocusBind(Box<Node>, String),
    /// `lhs#$v`.
    IndexBind(Box<Node>, String),
    /// `and`, `or`, `in` used where a name is expected.
    OperatorName(String),
    /// `%` before ancestry resolution.
    ParentRaw,

    // ---- processed forms ----
    Path(Vec<Node>),
    Binary(BinOp, Box<Node>, Box<Node>),
    Negate(Box<Node>),
    Array(Vec<Node>),
    Object(Vec<(Node, Node)>),
    Name(String),
    Str(String),
    Num(f64),
    Bool(bool),
    Null,
    Wildcard,
    Descendant,
    Parent(SlotRef),
    Condition(Box<Node>, Box<Node>, Option<Box<Node>>),
    Coalesce(Box<Node>, Box<Node>),
    Elvis(Box<Node>, Box<Node>),
    Block(Vec<Node>),
    Bind(String, Box<Node>),
    Regex(Arc<RegexLit>),
    Function(Box<Node>, Vec<Node>),
    Partial(Box<Node>, Vec<Node>),
    Placeholder,
    Variable(String),
    Lambda(Arc<LambdaDef>),
    Apply(Box<Node>, Box<Node>),
    Sort(Vec<SortTerm>),
    Transform(Arc<TransformDef>),
}

impl Node {
    pub(crate) fn new(kind: Kind, pos: usize) -> Node {
        Node {
            kind,
            pos,
            keep_array: false,
            predicate: Vec::new(),
            stages: Vec::new(),
            group: None,
            focus: None,
            index: None,
            tuple: false,
            ancestor: None,
            consarray: false,
            keep_singleton_array: false,
            seeking_parent: Vec::new(),
        }
    }

    /// The type name jsonata-js uses for this node (for error tokens).
    pub(crate) fn type_name(&self) -> &'static str {
        match &self.kind {
            Kind::Path(_) => "path",
            Kind::Binary(..) | Kind::Infix(..) | Kind::Filter(..) => "binary",
            Kind::Negate(_) | Kind::Array(_) | Kind::Object(_) => "unary",
            Kind::Name(_) => "name",
            Kind::Str(_) => "string",
            Kind::Num(_) => "number",
            Kind::Bool(_) | Kind::Null => "value",
            Kind::Wildcard => "wildcard",
            Kind::Descendant => "descendant",
            Kind::Parent(_) | Kind::ParentRaw => "parent",
            Kind::Condition(..) => "condition",
            Kind::Coalesce(..) => "coalesce",
            Kind::Elvis(..) => "elvis",
            Kind::Block(_) => "block",
            Kind::Bind(..) => "bind",
            Kind::Regex(_) => "regex",
            Kind::Function(..) => "function",
            Kind::Partial(..) => "partial",
            Kind::Placeholder => "operator",
            Kind::Variable(_) => "variable",
            Kind::Lambda(_) => "lambda",
            Kind::Apply(..) => "apply",
            Kind::Sort(_) => "sort",
            Kind::Transform(_) => "transform",
            _ => "operator",
        }
    }

    pub(crate) fn is_array_constructor(&self) -> bool {
        matches!(self.kind, Kind::Array(_))
    }
}
