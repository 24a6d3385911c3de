//! The tree-walking evaluator, following jsonata-js's semantics step by step.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::{Rc, Weak};
use std::sync::Arc;
use std::time::Instant;

use super::ast::{BinOp, Kind, LambdaDef, Node, SortTerm, Stage, TransformDef};
use super::errors::{Error, Result};
use super::functions;
use super::value::{Flags, Lambda, LambdaBody, Map, Value, deep_equal, describe, strict_equal};
use crate::Variables;

/// A scope of variable bindings.
#[derive(Debug, Default)]
pub(crate) struct Frame {
    vars: RefCell<HashMap<String, Value>>,
    parent: Option<Env>,
}

/// A shared scope.
pub(crate) type Env = Rc<Frame>;

impl Frame {
    pub(crate) fn child(parent: &Env) -> Env {
        Rc::new(Frame {
            vars: RefCell::new(HashMap::new()),
            parent: Some(parent.clone()),
        })
    }

    fn lookup_local(&self, name: &str) -> Option<Value> {
        self.vars.borrow().get(name).cloned()
    }

    fn binds(&self, name: &str) -> bool {
        self.vars.borrow().contains_key(name)
    }
}

/// Evaluation state: limits, the caller's bindings and the clock.
pub(crate) struct Evaluator<'a> {
    bindings: &'a dyn Variables,
    depth: usize,
    max_depth: usize,
    deadline: Option<Instant>,
    ticks: u32,
    pub(crate) now_millis: i64,
    pub(crate) rng: u64,
    lambda_frames: Vec<Weak<Frame>>,
    /// The caller's bindings converted for one path (`$states.input.a`): only the part the
    /// path reads, by path node.
    pruned: HashMap<usize, Value>,
    root: Env,
    stack_base: usize,
    stack_budget: usize,
}

/// The address of a local: how deep the native stack is, measured without `unsafe`.
pub(crate) fn stack_address() -> usize {
    let marker = 0u8;
    std::hint::black_box(&marker) as *const u8 as usize
}

fn is_numeric(v: &Value) -> Result<bool> {
    match v {
        Value::Number(n) => {
            if n.is_nan() {
                Ok(false)
            } else if n.is_infinite() {
                Err(Error::new("D1001").value(describe(v)))
            } else {
                Ok(true)
            }
        }
        _ => Ok(false),
    }
}

/// jsonata's `boolean()`: `None` for undefined.
pub(crate) fn to_boolean(v: &Value) -> Option<bool> {
    Some(match v {
        Value::Undefined => return None,
        Value::Array(a, _) => {
            if a.len() == 1 {
                to_boolean(&a[0]).unwrap_or(false)
            } else {
                a.iter().any(|x| to_boolean(x).unwrap_or(false))
            }
        }
        Value::String(s) => !s.is_empty(),
        Value::Number(n) => *n != 0.0 && !n.is_nan(),
        Value::Object(o) => !o.is_empty(),
        Value::Bool(b) => *b,
        Value::Null | Value::Lambda(_) | Value::Native(_) | Value::Regex(_) => false,
    })
}

/// jsonata's `boolize`.
pub(crate) fn boolize(v: &Value) -> bool {
    to_boolean(v).unwrap_or(false)
}

/// jsonata's `append()`.
pub(crate) fn append(a: Value, b: Value) -> Value {
    if a.is_undefined() {
        return b;
    }
    if b.is_undefined() {
        return a;
    }
    let mut items = match a {
        Value::Array(x, _) => Rc::try_unwrap(x).unwrap_or_else(|rc| rc.as_ref().clone()),
        other => vec![other],
    };
    match b {
        Value::Array(y, _) => items.extend(y.iter().cloned()),
        other => items.push(other),
    }
    Value::array(items)
}

/// jsonata's `lookup()` of a field.
pub(crate) fn lookup_field(input: &Value, key: &str) -> Value {
    match input {
        Value::Array(items, _) => {
            let mut out = Vec::new();
            for item in items.iter() {
                match lookup_field(item, key) {
                    Value::Undefined => {}
                    Value::Array(a, _) => out.extend(a.iter().cloned()),
                    v => out.push(v),
                }
            }
            Value::seq(out)
        }
        Value::Object(o) => o.get(key).cloned().unwrap_or(Value::Undefined),
        _ => Value::Undefined,
    }
}

fn tuple_get(t: &Value, key: &str) -> Value {
    match t {
        Value::Object(o) => o.get(key).cloned().unwrap_or(Value::Undefined),
        _ => Value::Undefined,
    }
}

fn tuple_map(t: &Value) -> Map {
    match t {
        Value::Object(o) => o.as_ref().clone(),
        _ => Map::new(),
    }
}

fn tuple_stream(items: Vec<Value>) -> Value {
    Value::Array(
        Rc::new(items),
        Flags {
            sequence: true,
            tuple_stream: true,
            ..Flags::NONE
        },
    )
}

fn flatten_into(v: &Value, out: &mut Vec<Value>) {
    match v {
        Value::Array(a, _) => a.iter().for_each(|x| flatten_into(x, out)),
        other => out.push(other.clone()),
    }
}

impl<'a> Evaluator<'a> {
    pub(crate) fn new(
        bindings: &'a dyn Variables,
        max_depth: usize,
        stack_budget: usize,
        deadline: Option<Instant>,
        now_millis: i64,
    ) -> Self {
        let seed = (now_millis as u64) ^ 0x9e37_79b9_7f4a_7c15;
        Evaluator {
            bindings,
            depth: 0,
            max_depth,
            deadline,
            ticks: 0,
            now_millis,
            rng: seed,
            lambda_frames: Vec::new(),
            pruned: HashMap::new(),
            root: Rc::new(Frame::default()),
            stack_base: stack_address(),
            stack_budget,
        }
    }

    pub(crate) fn root(&self) -> Env {
        self.root.clone()
    }

    /// Breaks the reference cycles closures stored in their own scopes create.
    pub(crate) fn release(&mut self) {
        for w in self.lambda_frames.drain(..) {
            if let Some(f) = w.upgrade() {
                f.vars.borrow_mut().clear();
            }
        }
        self.root.vars.borrow_mut().clear();
    }

    pub(crate) fn bind(&mut self, env: &Env, name: &str, value: Value) {
        if value.is_function() || matches!(value, Value::Object(_) | Value::Array(..)) {
            self.lambda_frames.push(Rc::downgrade(env));
        }
        env.vars.borrow_mut().insert(name.to_owned(), value);
    }

    pub(crate) fn lookup(&mut self, env: &Env, name: &str) -> Value {
        let mut cur = Some(env.clone());
        while let Some(f) = cur {
            if let Some(v) = f.lookup_local(name) {
                return v;
            }
            cur = f.parent.clone();
        }
        let found = match self.bindings.get(name) {
            Some(v) => Value::from_json(v),
            None => match functions::builtin(name) {
                Some(f) => f,
                None => return Value::Undefined,
            },
        };
        self.root
            .vars
            .borrow_mut()
            .insert(name.to_owned(), found.clone());
        found
    }

    fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > self.max_depth
            || stack_address().abs_diff(self.stack_base) > self.stack_budget
        {
            return Err(Error::new("U1001"));
        }
        if let Some(deadline) = self.deadline {
            self.ticks = self.ticks.wrapping_add(1);
            if self.ticks & 63 == 0 && Instant::now() > deadline {
                return Err(Error::new("U1001")
                    .message("Expression evaluation timeout: Check for infinite loop".to_owned()));
            }
        }
        Ok(())
    }

    pub(crate) fn evaluate(&mut self, expr: &Node, input: &Value, env: &Env) -> Result<Value> {
        let r = match self.enter() {
            Ok(()) => self.evaluate_inner(expr, input, env),
            Err(e) => Err(e),
        };
        self.depth -= 1;
        r
    }

    fn evaluate_inner(&mut self, expr: &Node, input: &Value, env: &Env) -> Result<Value> {
        let mut result = match &expr.kind {
            Kind::Path(steps) => self.evaluate_path(expr, steps, input, env)?,
            Kind::Binary(op, l, r) => self.evaluate_binary(expr, *op, l, r, input, env)?,
            Kind::Negate(e) => {
                let v = self.evaluate(e, input, env)?;
                match v {
                    Value::Undefined => Value::Undefined,
                    Value::Number(n) if is_numeric(&v)? => Value::Number(-n),
                    other => {
                        return Err(Error::new("D1002")
                            .at(expr.pos)
                            .token("-")
                            .value(describe(&other)));
                    }
                }
            }
            Kind::Array(items) => {
                let mut result = Value::array(vec![]);
                for item in items {
                    let v = self.evaluate(item, input, env)?;
                    if v.is_undefined() {
                        continue;
                    }
                    if item.is_array_constructor() {
                        let mut a = match result {
                            Value::Array(a, _) => {
                                Rc::try_unwrap(a).unwrap_or_else(|rc| rc.as_ref().clone())
                            }
                            _ => vec![],
                        };
                        a.push(v);
                        result = Value::array(a);
                    } else {
                        result = append(result, v);
                    }
                }
                if expr.consarray {
                    result = result.with_flags(Flags {
                        cons: true,
                        ..Flags::NONE
                    });
                }
                result
            }
            Kind::Object(pairs) => self.evaluate_group(pairs, expr.pos, input.clone(), env)?,
            Kind::Name(n) => lookup_field(input, n),
            Kind::Str(s) => Value::str(s),
            Kind::Num(n) => Value::Number(*n),
            Kind::Bool(b) => Value::Bool(*b),
            Kind::Null => Value::Null,
            Kind::Wildcard => {
                let mut input = input.clone();
                if let Value::Array(a, f) = &input
                    && f.outer_wrapper
                    && !a.is_empty()
                {
                    input = a[0].clone();
                }
                let mut results = Value::seq(vec![]);
                let values: Vec<Value> = match &input {
                    Value::Object(o) => o.values().cloned().collect(),
                    Value::Array(a, _) => a.as_ref().clone(),
                    _ => vec![],
                };
                {
                    for v in values.iter() {
                        if v.is_array() {
                            let mut flat = Vec::new();
                            flatten_into(v, &mut flat);
                            results = append(results, Value::array(flat));
                        } else {
                            results = match results {
                                Value::Array(a, f) => {
                                    let mut a =
                                        Rc::try_unwrap(a).unwrap_or_else(|rc| rc.as_ref().clone());
                                    a.push(v.clone());
                                    Value::Array(Rc::new(a), f)
                                }
                                other => other,
                            };
                        }
                    }
                }
                results
            }
            Kind::Descendant => {
                if input.is_undefined() {
                    Value::Undefined
                } else {
                    let mut out = Vec::new();
                    recurse_descendants(input, &mut out);
                    if out.len() == 1 {
                        out.pop().unwrap_or(Value::Undefined)
                    } else {
                        Value::seq(out)
                    }
                }
            }
            Kind::Parent(slot) => {
                let label = super::ast::slot(slot).label.clone();
                self.lookup(env, &label)
            }
            Kind::Condition(c, t, e) => {
                let cond = self.evaluate(c, input, env)?;
                if to_boolean(&cond).unwrap_or(false) {
                    self.evaluate(t, input, env)?
                } else if let Some(e) = e {
                    self.evaluate(e, input, env)?
                } else {
                    Value::Undefined
                }
            }
            Kind::Coalesce(l, r) => {
                let v = self.evaluate(l, input, env)?;
                if v.is_undefined() {
                    self.evaluate(r, input, env)?
                } else {
                    v
                }
            }
            Kind::Elvis(l, r) => {
                let v = self.evaluate(l, input, env)?;
                if boolize(&v) {
                    v
                } else {
                    self.evaluate(r, input, env)?
                }
            }
            Kind::Block(exprs) => {
                let frame = Frame::child(env);
                let mut result = Value::Undefined;
                for e in exprs {
                    result = self.evaluate(e, input, &frame)?;
                }
                result
            }
            Kind::Bind(name, rhs) => {
                let v = self.evaluate(rhs, input, env)?;
                self.bind(env, name, v.clone());
                v
            }
            Kind::Regex(r) => Value::Regex(r.clone()),
            Kind::Function(proc, args) => {
                self.evaluate_function(expr.pos, proc, args, input, env, None)?
            }
            Kind::Partial(proc, args) => self.evaluate_partial(expr.pos, proc, args, input, env)?,
            Kind::Variable(name) => {
                if name.is_empty() {
                    match input {
                        Value::Array(a, f) if f.outer_wrapper => {
                            a.first().cloned().unwrap_or(Value::Undefined)
                        }
                        other => other.clone(),
                    }
                } else {
                    self.lookup(env, name)
                }
            }
            Kind::Lambda(def) => self.make_lambda(def, input, env),
            Kind::Apply(l, r) => {
                let v = self.evaluate_apply(expr.pos, l, r, input, env)?;
                if r.keep_array
                    && let Value::Array(_, f) = &v
                    && f.sequence
                {
                    let f = Flags {
                        keep_singleton: true,
                        ..*f
                    };
                    return Ok(v.with_flags(f));
                }
                v
            }
            Kind::Sort(terms) => self.evaluate_sort(expr.pos, terms, input.clone(), env)?,
            Kind::Transform(def) => Value::Lambda(Rc::new(Lambda {
                params: vec!["obj".into()],
                body: LambdaBody::Transform(def.clone()),
                signature: functions::transform_signature(),
                input: input.clone(),
                env: env.clone(),
                thunk: false,
            })),
            Kind::Placeholder => Value::Undefined,
            _ => return Err(Error::new("S0206").at(expr.pos).token(expr.type_name())),
        };

        for p in &expr.predicate {
            result = self.evaluate_filter(p, result, env)?;
        }
        if !matches!(expr.kind, Kind::Path(_))
            && let Some(g) = &expr.group
        {
            result = self.evaluate_group(&g.pairs, g.pos, result, env)?;
        }
        if let Value::Array(a, mut f) = result {
            if f.sequence && !f.tuple_stream {
                if expr.keep_array {
                    f.keep_singleton = true;
                }
                if a.is_empty() {
                    return Ok(Value::Undefined);
                }
                if a.len() == 1 && !f.keep_singleton {
                    return Ok(a[0].clone());
                }
            }
            result = Value::Array(a, f);
        }
        Ok(result)
    }

    fn make_lambda(&mut self, def: &Arc<LambdaDef>, input: &Value, env: &Env) -> Value {
        Value::Lambda(Rc::new(Lambda {
            params: def.params.clone(),
            body: LambdaBody::Expr(def.clone()),
            signature: def.signature.clone(),
            input: input.clone(),
            env: env.clone(),
            thunk: def.thunk,
        }))
    }

    /// For a path that starts with a caller's binding and continues with plain field names
    /// (`$states.input.a`), a scope binding the variable to only the part the names reach,
    /// so that evaluation does not convert the whole of a large input.
    fn pruned_binding(&mut self, expr: &Node, steps: &[Node], env: &Env) -> Option<Env> {
        fn plain(n: &Node) -> bool {
            n.predicate.is_empty()
                && n.stages.is_empty()
                && n.group.is_none()
                && n.focus.is_none()
                && n.index.is_none()
                && n.ancestor.is_none()
                && !n.tuple
                && !n.consarray
        }
        fn prune(json: &serde_json::Value, keys: &[&str]) -> Value {
            match (json, keys.split_first()) {
                (serde_json::Value::Object(o), Some((k, rest))) => {
                    let mut m = Map::new();
                    if let Some(v) = o.get(*k) {
                        m.insert((*k).to_owned(), prune(v, rest));
                    }
                    Value::object(m)
                }
                _ => Value::from_json(json),
            }
        }
        let Kind::Variable(name) = &steps.first()?.kind else {
            return None;
        };
        if expr.tuple
            || !steps.iter().all(|s| s.ancestor.is_none() && !s.tuple)
            || !plain(&steps[0])
        {
            return None;
        }
        let keys: Vec<&str> = steps[1..]
            .iter()
            .map_while(|s| match &s.kind {
                Kind::Name(k) if plain(s) => Some(k.as_str()),
                _ => None,
            })
            .collect();
        if keys.is_empty() {
            return None;
        }
        let mut frame = Some(env.clone());
        while let Some(f) = frame {
            if f.binds(name) {
                return None;
            }
            frame = f.parent.clone();
        }
        let key = expr as *const Node as usize;
        let value = match self.pruned.get(&key) {
            Some(v) => v.clone(),
            None => {
                let v = prune(self.bindings.get(name)?, &keys);
                self.pruned.insert(key, v.clone());
                v
            }
        };
        let child = Frame::child(env);
        // plain JSON holds no closures, so the scope needs no cycle breaking
        child.vars.borrow_mut().insert(name.clone(), value);
        Some(child)
    }

    fn evaluate_path(
        &mut self,
        expr: &Node,
        steps: &[Node],
        input: &Value,
        env: &Env,
    ) -> Result<Value> {
        let first_is_var = steps
            .first()
            .is_some_and(|s| matches!(s.kind, Kind::Variable(_)));
        let mut input_seq = if input.is_array() && !first_is_var {
            input.clone()
        } else {
            Value::seq(vec![input.clone()])
        };
        let mut result_seq = Value::Undefined;
        let mut is_tuple = false;
        let mut tuple_bindings: Option<Value> = None;
        let last = steps.len().saturating_sub(1);
        let pruned_env = self.pruned_binding(expr, steps, env);
        for (ii, step) in steps.iter().enumerate() {
            if step.tuple {
                is_tuple = true;
            }
            if ii == 0
                && let Some(child) = &pruned_env
            {
                result_seq = self.evaluate_step(step, &input_seq, child, ii == last)?;
            } else if ii == 0 && step.consarray {
                result_seq = self.evaluate(step, &input_seq, env)?;
            } else if is_tuple {
                tuple_bindings =
                    Some(self.evaluate_tuple_step(step, &input_seq, tuple_bindings.take(), env)?);
            } else {
                result_seq = self.evaluate_step(step, &input_seq, env, ii == last)?;
            }
            if !is_tuple {
                let empty = match &result_seq {
                    Value::Undefined => true,
                    Value::Array(a, _) => a.is_empty(),
                    _ => false,
                };
                if empty {
                    break;
                }
            }
            if step.focus.is_none() {
                input_seq = result_seq.clone();
            }
        }
        if is_tuple {
            let tb = tuple_bindings
                .take()
                .unwrap_or_else(|| tuple_stream(vec![]));
            if expr.tuple {
                result_seq = tb.clone();
            } else {
                let items = tb
                    .array_items()
                    .map(|a| a.iter().map(|t| tuple_get(t, "@")).collect())
                    .unwrap_or_default();
                result_seq = Value::seq(items);
            }
            tuple_bindings = Some(tb);
        }
        if expr.keep_singleton_array
            && let Value::Array(_, f) = &result_seq
        {
            let f = *f;
            if f.cons && !f.sequence {
                result_seq = Value::seq(vec![result_seq.clone()]);
            }
            let f2 = Flags {
                keep_singleton: true,
                ..result_seq.flags()
            };
            result_seq = result_seq.with_flags(f2);
        }
        if let Some(g) = &expr.group {
            let src = match (is_tuple, tuple_bindings) {
                (true, Some(tb)) => tb,
                _ => result_seq,
            };
            result_seq = self.evaluate_group(&g.pairs, g.pos, src, env)?;
        }
        Ok(result_seq)
    }

    fn evaluate_step(
        &mut self,
        expr: &Node,
        input: &Value,
        env: &Env,
        last_step: bool,
    ) -> Result<Value> {
        if let Kind::Sort(terms) = &expr.kind {
            let mut result = self.evaluate_sort(expr.pos, terms, input.clone(), env)?;
            if !expr.stages.is_empty() {
                result = self.evaluate_stages(&expr.stages, result, env)?;
            }
            return Ok(result);
        }
        let mut results = Vec::new();
        for item in input.members() {
            let mut res = self.evaluate(expr, &item, env)?;
            for stage in &expr.stages {
                if let Stage::Filter(f) = stage {
                    res = self.evaluate_filter(f, res, env)?;
                }
            }
            if !res.is_undefined() {
                results.push(res);
            }
        }
        if last_step && results.len() == 1 && results[0].is_array() && !results[0].is_sequence() {
            return Ok(results.pop().unwrap_or(Value::Undefined));
        }
        let mut out = Vec::new();
        for res in results {
            match &res {
                Value::Array(a, f) if !f.cons => out.extend(a.iter().cloned()),
                _ => out.push(res),
            }
        }
        Ok(Value::seq(out))
    }

    fn evaluate_stages(&mut self, stages: &[Stage], input: Value, env: &Env) -> Result<Value> {
        let mut result = input;
        for stage in stages {
            match stage {
                Stage::Filter(f) => result = self.evaluate_filter(f, result, env)?,
                Stage::Index(name) => {
                    if let Value::Array(a, f) = result {
                        let items = a
                            .iter()
                            .enumerate()
                            .map(|(i, t)| {
                                let mut m = tuple_map(t);
                                m.insert(name.clone(), Value::Number(i as f64));
                                Value::object(m)
                            })
                            .collect();
                        result = Value::Array(Rc::new(items), f);
                    }
                }
            }
        }
        Ok(result)
    }

    fn frame_from_tuple(&mut self, env: &Env, tuple: &Value) -> Env {
        let frame = Frame::child(env);
        if let Value::Object(o) = tuple {
            for (k, v) in o.iter() {
                self.bind(&frame, k, v.clone());
            }
        }
        frame
    }

    fn evaluate_tuple_step(
        &mut self,
        expr: &Node,
        input: &Value,
        tuple_bindings: Option<Value>,
        env: &Env,
    ) -> Result<Value> {
        if let Kind::Sort(terms) = &expr.kind {
            let mut result = if let Some(tb) = tuple_bindings {
                let sorted = self.evaluate_sort(expr.pos, terms, tb, env)?;
                tuple_stream(sorted.members())
            } else {
                let sorted = self.evaluate_sort(expr.pos, terms, input.clone(), env)?;
                let items = sorted
                    .members()
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| {
                        let mut m = Map::new();
                        m.insert("@".into(), v);
                        if let Some(index) = &expr.index {
                            m.insert(index.clone(), Value::Number(i as f64));
                        }
                        Value::object(m)
                    })
                    .collect();
                tuple_stream(items)
            };
            if !expr.stages.is_empty() {
                result = self.evaluate_stages(&expr.stages, result, env)?;
            }
            return Ok(result);
        }
        let tbs: Vec<Value> = match tuple_bindings {
            Some(tb) => tb.members(),
            None => input
                .members()
                .into_iter()
                .map(|item| {
                    let mut m = Map::new();
                    m.insert("@".into(), item);
                    Value::object(m)
                })
                .collect(),
        };
        let mut result = Vec::new();
        for tuple in &tbs {
            let step_env = self.frame_from_tuple(env, tuple);
            let context = tuple_get(tuple, "@");
            let res = self.evaluate(expr, &context, &step_env)?;
            if res.is_undefined() {
                continue;
            }
            let is_stream = res.flags().tuple_stream;
            let items = match &res {
                Value::Array(a, _) => a.as_ref().clone(),
                other => vec![other.clone()],
            };
            for (bb, r) in items.into_iter().enumerate() {
                let mut t = tuple_map(tuple);
                if is_stream {
                    if let Value::Object(o) = &r {
                        for (k, v) in o.iter() {
                            t.insert(k.clone(), v.clone());
                        }
                    }
                } else {
                    if let Some(focus) = &expr.focus {
                        t.insert(focus.clone(), r);
                        t.insert("@".into(), context.clone());
                    } else {
                        t.insert("@".into(), r);
                    }
                    if let Some(index) = &expr.index {
                        t.insert(index.clone(), Value::Number(bb as f64));
                    }
                    if let Some(anc) = &expr.ancestor {
                        let label = super::ast::slot(anc).label.clone();
                        t.insert(label, context.clone());
                    }
                }
                result.push(Value::object(t));
            }
        }
        let mut result = tuple_stream(result);
        if !expr.stages.is_empty() {
            result = self.evaluate_stages(&expr.stages, result, env)?;
        }
        Ok(result)
    }

    fn evaluate_filter(&mut self, predicate: &Node, input: Value, env: &Env) -> Result<Value> {
        let is_stream = input.flags().tuple_stream;
        let items: Vec<Value> = match &input {
            Value::Array(a, _) => a.as_ref().clone(),
            Value::Undefined => vec![],
            other => vec![other.clone()],
        };
        let mut results = Vec::new();
        let flags = Flags {
            sequence: true,
            tuple_stream: is_stream,
            ..Flags::NONE
        };
        if let Kind::Num(n) = predicate.kind {
            let mut index = n.floor();
            if index < 0.0 {
                index += items.len() as f64;
            }
            if index >= 0.0
                && let Some(item) = items.get(index as usize)
            {
                if item.is_array() {
                    return Ok(item.clone());
                }
                results.push(item.clone());
            }
            return Ok(Value::Array(Rc::new(results), flags));
        }
        let len = items.len();
        for (index, item) in items.into_iter().enumerate() {
            let res = if is_stream {
                let frame = self.frame_from_tuple(env, &item);
                self.evaluate(predicate, &tuple_get(&item, "@"), &frame)?
            } else {
                self.evaluate(predicate, &item, env)?
            };
            let nums: Option<Vec<f64>> = if is_numeric(&res)? {
                res.as_f64().map(|n| vec![n])
            } else {
                match &res {
                    Value::Array(a, _) if a.iter().all(|x| matches!(x, Value::Number(_))) => {
                        let mut v = Vec::new();
                        for x in a.iter() {
                            is_numeric(x)?;
                            v.push(x.as_f64().unwrap_or(f64::NAN));
                        }
                        Some(v)
                    }
                    _ => None,
                }
            };
            if let Some(nums) = nums {
                for n in nums {
                    let mut ii = n.floor();
                    if ii < 0.0 {
                        ii += len as f64;
                    }
                    if ii == index as f64 {
                        results.push(item.clone());
                    }
                }
            } else if boolize(&res) {
                results.push(item);
            }
        }
        Ok(Value::Array(Rc::new(results), flags))
    }

    fn evaluate_binary(
        &mut self,
        expr: &Node,
        op: BinOp,
        l: &Node,
        r: &Node,
        input: &Value,
        env: &Env,
    ) -> Result<Value> {
        let lhs = self.evaluate(l, input, env)?;
        let wrap = |e: Error| e.at(expr.pos).token(op.symbol());
        if op == BinOp::And || op == BinOp::Or {
            let lb = boolize(&lhs);
            let res = if op == BinOp::And {
                lb && boolize(&self.evaluate(r, input, env)?)
            } else {
                lb || boolize(&self.evaluate(r, input, env)?)
            };
            return Ok(Value::Bool(res));
        }
        let rhs = self.evaluate(r, input, env)?;
        binary_op(op, &lhs, &rhs).map_err(wrap)
    }

    pub(crate) fn evaluate_group(
        &mut self,
        pairs: &[(Node, Node)],
        pos: usize,
        input: Value,
        env: &Env,
    ) -> Result<Value> {
        let reduce = input.flags().tuple_stream;
        let mut items: Vec<Value> = match &input {
            Value::Array(a, _) => a.as_ref().clone(),
            other => vec![other.clone()],
        };
        if items.is_empty() {
            items.push(Value::Undefined);
        }
        // key -> (data, expression index)
        let mut groups: indexmap::IndexMap<String, (Value, usize)> = indexmap::IndexMap::new();
        for item in &items {
            let item_env = if reduce {
                self.frame_from_tuple(env, item)
            } else {
                env.clone()
            };
            let context = if reduce {
                tuple_get(item, "@")
            } else {
                item.clone()
            };
            for (pi, (kexpr, _)) in pairs.iter().enumerate() {
                let key = self.evaluate(kexpr, &context, &item_env)?;
                match key {
                    Value::Undefined => {}
                    Value::String(k) => {
                        if let Some(entry) = groups.get_mut(k.as_ref()) {
                            if entry.1 != pi {
                                return Err(Error::new("D1009").at(pos).value(format!("\"{k}\"")));
                            }
                            let data = std::mem::replace(&mut entry.0, Value::Undefined);
                            entry.0 = append(data, item.clone());
                        } else {
                            groups.insert(k.to_string(), (item.clone(), pi));
                        }
                    }
                    other => return Err(Error::new("T1003").at(pos).value(describe(&other))),
                }
            }
        }
        let mut result = Map::new();
        for (key, (data, pi)) in groups {
            let (context, genv) = if reduce {
                let tuple = reduce_tuple_stream(&data);
                let ctx = tuple.get("@").cloned().unwrap_or(Value::Undefined);
                let mut t = tuple;
                t.shift_remove("@");
                let frame = self.frame_from_tuple(env, &Value::object(t));
                (ctx, frame)
            } else {
                (data, env.clone())
            };
            let v = self.evaluate(&pairs[pi].1, &context, &genv)?;
            if !v.is_undefined() {
                result.insert(key, v);
            }
        }
        Ok(Value::object(result))
    }

    fn evaluate_sort(
        &mut self,
        pos: usize,
        terms: &[SortTerm],
        input: Value,
        env: &Env,
    ) -> Result<Value> {
        let is_tuple = input.flags().tuple_stream;
        let items = match &input {
            Value::Array(a, _) => a.as_ref().clone(),
            Value::Undefined => return Ok(Value::Undefined),
            other => return Ok(other.clone()),
        };
        if items.len() <= 1 {
            return Ok(input);
        }
        // evaluate sort keys once per item
        let mut keyed = Vec::with_capacity(items.len());
        for item in items {
            let mut keys = Vec::with_capacity(terms.len());
            for term in terms {
                let v = if is_tuple {
                    let frame = self.frame_from_tuple(env, &item);
                    self.evaluate(&term.expr, &tuple_get(&item, "@"), &frame)?
                } else {
                    self.evaluate(&term.expr, &item, env)?
                };
                keys.push(v);
            }
            keyed.push((item, keys));
        }
        let mut cmp =
            |_: &mut Self, a: &(Value, Vec<Value>), b: &(Value, Vec<Value>)| -> Result<bool> {
                let mut comp = 0;
                for (i, term) in terms.iter().enumerate() {
                    if comp != 0 {
                        break;
                    }
                    let aa = &a.1[i];
                    let bb = &b.1[i];
                    if aa.is_undefined() {
                        comp = if bb.is_undefined() { 0 } else { 1 };
                        continue;
                    }
                    if bb.is_undefined() {
                        comp = -1;
                        continue;
                    }
                    let ok = |v: &Value| matches!(v, Value::Number(_) | Value::String(_));
                    if !ok(aa) || !ok(bb) {
                        let bad = if !ok(aa) { aa } else { bb };
                        return Err(Error::new("T2008").at(pos).value(describe(bad)));
                    }
                    comp = match (aa, bb) {
                        (Value::Number(x), Value::Number(y)) => {
                            if x == y {
                                0
                            } else if x < y {
                                -1
                            } else {
                                1
                            }
                        }
                        (Value::String(x), Value::String(y)) => {
                            if x == y {
                                0
                            } else if js_str_lt(x, y) {
                                -1
                            } else {
                                1
                            }
                        }
                        _ => {
                            return Err(Error::new("T2007")
                                .at(pos)
                                .value(describe(aa))
                                .value2(describe(bb)));
                        }
                    };
                    if term.descending {
                        comp = -comp;
                    }
                }
                Ok(comp == 1)
            };
        let sorted = self.merge_sort(keyed, &mut cmp)?;
        let items: Vec<Value> = sorted.into_iter().map(|(v, _)| v).collect();
        Ok(Value::Array(
            Rc::new(items),
            if is_tuple {
                Flags {
                    sequence: true,
                    tuple_stream: true,
                    ..Flags::NONE
                }
            } else {
                Flags::NONE
            },
        ))
    }

    /// Stable merge sort with a fallible "should swap" comparator, as jsonata's `$sort`.
    pub(crate) fn merge_sort<T: Clone>(
        &mut self,
        items: Vec<T>,
        swap: &mut dyn FnMut(&mut Self, &T, &T) -> Result<bool>,
    ) -> Result<Vec<T>> {
        if items.len() <= 1 {
            return Ok(items);
        }
        let mut items = items;
        let right = items.split_off(items.len() / 2);
        let left = self.merge_sort(items, swap)?;
        let right = self.merge_sort(right, swap)?;
        let mut out = Vec::with_capacity(left.len() + right.len());
        let (mut i, mut j) = (0, 0);
        while i < left.len() && j < right.len() {
            if swap(self, &left[i], &right[j])? {
                out.push(right[j].clone());
                j += 1;
            } else {
                out.push(left[i].clone());
                i += 1;
            }
        }
        out.extend_from_slice(&left[i..]);
        out.extend_from_slice(&right[j..]);
        Ok(out)
    }

    fn evaluate_apply(
        &mut self,
        pos: usize,
        l: &Node,
        r: &Node,
        input: &Value,
        env: &Env,
    ) -> Result<Value> {
        let lhs = self.evaluate(l, input, env)?;
        if let Kind::Function(proc, args) = &r.kind {
            return self.evaluate_function(r.pos, proc, args, input, env, Some(lhs));
        }
        let func = self.evaluate(r, input, env)?;
        if !func.is_function() {
            return Err(Error::new("T2006").at(pos).value(describe(&func)));
        }
        if lhs.is_function() {
            return Ok(Value::Lambda(Rc::new(Lambda {
                params: vec!["x".into()],
                body: LambdaBody::Chain(lhs, func),
                signature: None,
                input: Value::Undefined,
                env: env.clone(),
                thunk: false,
            })));
        }
        self.apply(&func, vec![lhs], &Value::Null, env)
    }

    fn evaluate_function(
        &mut self,
        pos: usize,
        proc_node: &Node,
        arg_nodes: &[Node],
        input: &Value,
        env: &Env,
        applyto: Option<Value>,
    ) -> Result<Value> {
        let proc = self.evaluate(proc_node, input, env)?;
        let proc_name = match &proc_node.kind {
            Kind::Path(steps) => match steps.first().map(|s| &s.kind) {
                Some(Kind::Name(n)) => Some(n.clone()),
                _ => None,
            },
            Kind::Variable(v) => Some(v.clone()),
            _ => None,
        };
        if proc.is_undefined()
            && let (Kind::Path(_), Some(name)) = (&proc_node.kind, &proc_name)
            && !self.lookup(env, name).is_undefined()
        {
            return Err(Error::new("T1005").at(pos).token(name.clone()));
        }
        let mut args = Vec::with_capacity(arg_nodes.len() + 1);
        if let Some(a) = applyto {
            args.push(a);
        }
        for a in arg_nodes {
            args.push(self.evaluate(a, input, env)?);
        }
        self.apply(&proc, args, input, env).map_err(|e| {
            let e = e.or_at(pos);
            match &proc_name {
                Some(n) => e.or_token(n),
                None => e,
            }
        })
    }

    /// Applies a function value to arguments (with the tail-call trampoline).
    pub(crate) fn apply(
        &mut self,
        proc: &Value,
        args: Vec<Value>,
        input: &Value,
        env: &Env,
    ) -> Result<Value> {
        let mut result = self.apply_inner(proc, args, input, env)?;
        loop {
            let (def, l_input, l_env) = match &result {
                Value::Lambda(l) if l.thunk => match &l.body {
                    LambdaBody::Expr(def) => (def.clone(), l.input.clone(), l.env.clone()),
                    _ => break,
                },
                _ => break,
            };
            let Kind::Function(proc_node, arg_nodes) = &def.body.kind else {
                break;
            };
            let next = self.evaluate(proc_node, &l_input, &l_env)?;
            let mut args = Vec::with_capacity(arg_nodes.len());
            for a in arg_nodes {
                args.push(self.evaluate(a, &l_input, &l_env)?);
            }
            let name = match &proc_node.kind {
                Kind::Variable(v) => Some(v.clone()),
                Kind::Path(steps) => match steps.first().map(|s| &s.kind) {
                    Some(Kind::Name(n)) => Some(n.clone()),
                    _ => None,
                },
                _ => None,
            };
            result = self.apply_inner(&next, args, input, env).map_err(|e| {
                let e = e.or_at(proc_node.pos);
                match &name {
                    Some(n) => e.or_token(n),
                    None => e,
                }
            })?;
        }
        Ok(result)
    }

    fn apply_inner(
        &mut self,
        proc: &Value,
        args: Vec<Value>,
        input: &Value,
        env: &Env,
    ) -> Result<Value> {
        match proc {
            Value::Lambda(l) => {
                let args = match &l.signature {
                    Some(sig) => sig.validate(&args, input)?,
                    None => args,
                };
                self.apply_procedure(l, args)
            }
            Value::Native(n) => {
                let args = match &n.signature {
                    Some(sig) => sig.validate(&args, input)?,
                    None => args,
                };
                (n.f)(self, &args, input, env).map_err(|e| e.or_token(n.name))
            }
            Value::Regex(r) => {
                let s = args.first().and_then(|a| a.as_str().map(str::to_owned));
                match s {
                    Some(s) => Ok(functions::regex_match_object(r, &s, 0)),
                    None => Ok(Value::Undefined),
                }
            }
            _ => Err(Error::new("T1006")),
        }
    }

    fn apply_procedure(&mut self, l: &Rc<Lambda>, args: Vec<Value>) -> Result<Value> {
        let env = Frame::child(&l.env);
        let mut args = args.into_iter();
        for p in &l.params {
            let v = args.next().unwrap_or(Value::Undefined);
            self.bind(&env, p, v);
        }
        match &l.body {
            LambdaBody::Expr(def) => self.evaluate(&def.body, &l.input, &env),
            LambdaBody::Transform(def) => {
                let obj = self.lookup(&env, "obj");
                self.transform(def, obj, &l.env)
            }
            LambdaBody::Native(n) | LambdaBody::NativePartial(_, n) => {
                let names = match &l.body {
                    LambdaBody::NativePartial(all, _) => all.clone(),
                    _ => l.params.clone(),
                };
                let mut args: Vec<Value> = names.iter().map(|p| self.lookup(&env, p)).collect();
                while args.last().is_some_and(Value::is_undefined) {
                    args.pop();
                }
                let args = match &n.signature {
                    Some(sig) => sig.validate(&args, &Value::Undefined)?,
                    None => args,
                };
                (n.f)(self, &args, &Value::Undefined, &env)
            }
            LambdaBody::Chain(f, g) => {
                let x = self.lookup(&env, "x");
                let inner = self.apply(f, vec![x], &Value::Null, &env)?;
                self.apply(g, vec![inner], &Value::Null, &env)
            }
        }
    }

    fn evaluate_partial(
        &mut self,
        pos: usize,
        proc_node: &Node,
        arg_nodes: &[Node],
        input: &Value,
        env: &Env,
    ) -> Result<Value> {
        let mut args: Vec<Option<Value>> = Vec::new();
        for a in arg_nodes {
            if matches!(a.kind, Kind::Placeholder) {
                args.push(None);
            } else {
                args.push(Some(self.evaluate(a, input, env)?));
            }
        }
        let proc = self.evaluate(proc_node, input, env)?;
        let name = match &proc_node.kind {
            Kind::Path(steps) => match steps.first().map(|s| &s.kind) {
                Some(Kind::Name(n)) => Some(n.clone()),
                _ => None,
            },
            Kind::Variable(v) => Some(v.clone()),
            _ => None,
        };
        if proc.is_undefined()
            && let (Kind::Path(_), Some(n)) = (&proc_node.kind, &name)
            && !self.lookup(env, n).is_undefined()
        {
            return Err(Error::new("T1007").at(pos).token(n.clone()));
        }
        match &proc {
            Value::Lambda(l) => Ok(self.partial_apply(l, args)),
            Value::Native(n) => {
                let l = Rc::new(Lambda {
                    params: (0..n.arity).map(|i| format!(" {i}")).collect(),
                    body: LambdaBody::Native(n.clone()),
                    signature: None,
                    input: Value::Undefined,
                    env: env.clone(),
                    thunk: false,
                });
                Ok(self.partial_apply(&l, args))
            }
            _ => Err(Error::new("T1008").at(pos).token(name.unwrap_or_default())),
        }
    }

    fn partial_apply(&mut self, l: &Rc<Lambda>, args: Vec<Option<Value>>) -> Value {
        let env = Frame::child(&l.env);
        let mut unbound = Vec::new();
        for (i, p) in l.params.iter().enumerate() {
            match args.get(i) {
                Some(None) => unbound.push(p.clone()),
                Some(Some(v)) => self.bind(&env, p, v.clone()),
                None => self.bind(&env, p, Value::Undefined),
            }
        }
        let body = match &l.body {
            LambdaBody::Expr(d) => LambdaBody::Expr(d.clone()),
            LambdaBody::Transform(d) => LambdaBody::Transform(d.clone()),
            LambdaBody::Native(n) => LambdaBody::NativePartial(l.params.clone(), n.clone()),
            LambdaBody::NativePartial(all, n) => LambdaBody::NativePartial(all.clone(), n.clone()),
            LambdaBody::Chain(f, g) => LambdaBody::Chain(f.clone(), g.clone()),
        };
        Value::Lambda(Rc::new(Lambda {
            params: unbound,
            body,
            signature: None,
            input: l.input.clone(),
            env,
            thunk: false,
        }))
    }

    fn transform(&mut self, def: &TransformDef, obj: Value, env: &Env) -> Result<Value> {
        if obj.is_undefined() {
            return Ok(Value::Undefined);
        }
        let clone_fn = self.lookup(env, "clone");
        if !clone_fn.is_function() {
            return Err(Error::new("T2013").at(def.update.pos));
        }
        let result = self.apply(&clone_fn, vec![obj], &Value::Null, env)?;
        let matches = self.evaluate(&def.pattern, &result, env)?;
        if matches.is_undefined() {
            return Ok(result);
        }
        let matches = match matches {
            Value::Array(a, _) => a.as_ref().clone(),
            other => vec![other],
        };
        let mut replacements: HashMap<*const Map, Rc<Map>> = HashMap::new();
        for m in matches {
            let Value::Object(orig) = &m else {
                // only objects can be updated
                let update = self.evaluate(&def.update, &m, env)?;
                if !update.is_undefined() && !matches!(update, Value::Object(_)) {
                    return Err(Error::new("T2011")
                        .at(def.update.pos)
                        .value(describe(&update)));
                }
                continue;
            };
            let key = Rc::as_ptr(orig);
            let current = replacements
                .get(&key)
                .cloned()
                .unwrap_or_else(|| orig.clone());
            let current_val = Value::Object(current.clone());
            let update = self.evaluate(&def.update, &current_val, env)?;
            let mut map = current.as_ref().clone();
            match &update {
                Value::Undefined => {}
                Value::Object(u) => {
                    for (k, v) in u.iter() {
                        map.insert(k.clone(), v.clone());
                    }
                }
                other => {
                    return Err(Error::new("T2011")
                        .at(def.update.pos)
                        .value(describe(other)));
                }
            }
            if let Some(del) = &def.delete {
                let deletions = self.evaluate(del, &current_val, env)?;
                if !deletions.is_undefined() {
                    let list = deletions.members();
                    if !list.iter().all(|v| matches!(v, Value::String(_))) {
                        return Err(Error::new("T2012").at(del.pos).value(describe(&deletions)));
                    }
                    for d in list {
                        if let Value::String(s) = d {
                            map.shift_remove(s.as_ref());
                        }
                    }
                }
            }
            replacements.insert(key, Rc::new(map));
        }
        Ok(rebuild(&result, &replacements, 0))
    }
}

fn rebuild(v: &Value, reps: &HashMap<*const Map, Rc<Map>>, depth: usize) -> Value {
    if depth > 10_000 {
        return v.clone();
    }
    match v {
        Value::Object(o) => {
            let src = reps
                .get(&Rc::as_ptr(o))
                .cloned()
                .unwrap_or_else(|| o.clone());
            Value::object(
                src.iter()
                    .map(|(k, x)| (k.clone(), rebuild(x, reps, depth + 1)))
                    .collect(),
            )
        }
        Value::Array(a, f) => Value::Array(
            Rc::new(a.iter().map(|x| rebuild(x, reps, depth + 1)).collect()),
            *f,
        ),
        other => other.clone(),
    }
}

fn reduce_tuple_stream(data: &Value) -> Map {
    match data {
        Value::Array(items, _) => {
            let mut result = items.first().map(tuple_map).unwrap_or_default();
            for t in items.iter().skip(1) {
                if let Value::Object(o) = t {
                    for (k, v) in o.iter() {
                        let prev = result.shift_remove(k).unwrap_or(Value::Undefined);
                        result.insert(k.clone(), append(prev, v.clone()));
                    }
                }
            }
            result
        }
        other => tuple_map(other),
    }
}

fn recurse_descendants(v: &Value, out: &mut Vec<Value>) {
    match v {
        Value::Array(a, _) => a.iter().for_each(|m| recurse_descendants(m, out)),
        Value::Object(o) => {
            out.push(v.clone());
            o.values().for_each(|m| recurse_descendants(m, out));
        }
        other => out.push(other.clone()),
    }
}

/// JavaScript string ordering (UTF-16 code units).
pub(crate) fn js_str_lt(a: &str, b: &str) -> bool {
    a.encode_utf16().lt(b.encode_utf16())
}

fn binary_op(op: BinOp, lhs: &Value, rhs: &Value) -> Result<Value> {
    match op {
        BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Mod => {
            if !lhs.is_undefined() && !is_numeric(lhs)? {
                return Err(Error::new("T2001").value(describe(lhs)));
            }
            if !rhs.is_undefined() && !is_numeric(rhs)? {
                return Err(Error::new("T2002").value(describe(rhs)));
            }
            let (Some(a), Some(b)) = (lhs.as_f64(), rhs.as_f64()) else {
                return Ok(Value::Undefined);
            };
            Ok(Value::Number(match op {
                BinOp::Add => a + b,
                BinOp::Sub => a - b,
                BinOp::Mul => a * b,
                BinOp::Div => a / b,
                _ => a % b,
            }))
        }
        BinOp::Eq | BinOp::Ne => {
            if lhs.is_undefined() || rhs.is_undefined() {
                return Ok(Value::Bool(false));
            }
            let eq = deep_equal(lhs, rhs);
            Ok(Value::Bool(if op == BinOp::Eq { eq } else { !eq }))
        }
        BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
            let comparable =
                |v: &Value| matches!(v, Value::Undefined | Value::String(_) | Value::Number(_));
            if !comparable(lhs) || !comparable(rhs) {
                let bad = if !matches!(lhs, Value::String(_) | Value::Number(_)) {
                    lhs
                } else {
                    rhs
                };
                return Err(Error::new("T2010").value(describe(bad)));
            }
            if lhs.is_undefined() || rhs.is_undefined() {
                return Ok(Value::Undefined);
            }
            let ord = match (lhs, rhs) {
                (Value::Number(a), Value::Number(b)) => a.partial_cmp(b),
                (Value::String(a), Value::String(b)) => {
                    Some(a.encode_utf16().cmp(b.encode_utf16()))
                }
                _ => {
                    return Err(Error::new("T2009")
                        .value(describe(lhs))
                        .value2(describe(rhs)));
                }
            };
            use std::cmp::Ordering::*;
            Ok(Value::Bool(match (op, ord) {
                (_, None) => false,
                (BinOp::Lt, Some(o)) => o == Less,
                (BinOp::Le, Some(o)) => o != Greater,
                (BinOp::Gt, Some(o)) => o == Greater,
                (_, Some(o)) => o != Less,
            }))
        }
        BinOp::Concat => {
            let l = if lhs.is_undefined() {
                String::new()
            } else {
                functions::to_js_string(lhs)?
            };
            let r = if rhs.is_undefined() {
                String::new()
            } else {
                functions::to_js_string(rhs)?
            };
            Ok(Value::string(l + &r))
        }
        BinOp::Range => {
            let is_int =
                |v: &Value| matches!(v, Value::Number(n) if n.fract() == 0.0 && n.is_finite());
            if !lhs.is_undefined() && !is_int(lhs) {
                return Err(Error::new("T2003").value(describe(lhs)));
            }
            if !rhs.is_undefined() && !is_int(rhs) {
                return Err(Error::new("T2004").value(describe(rhs)));
            }
            let (Some(a), Some(b)) = (lhs.as_f64(), rhs.as_f64()) else {
                return Ok(Value::Undefined);
            };
            if a > b {
                return Ok(Value::Undefined);
            }
            let size = b - a + 1.0;
            if size > 1e7 {
                return Err(Error::new("D2014").value(super::value::format_number(size)));
            }
            let (a, b) = (a as i64, b as i64);
            Ok(Value::seq(
                (a..=b).map(|i| Value::Number(i as f64)).collect(),
            ))
        }
        BinOp::In => {
            if lhs.is_undefined() || rhs.is_undefined() {
                return Ok(Value::Bool(false));
            }
            let found = match rhs {
                Value::Array(a, _) => a.iter().any(|x| strict_equal(x, lhs)),
                other => strict_equal(other, lhs),
            };
            Ok(Value::Bool(found))
        }
        BinOp::And | BinOp::Or => Ok(Value::Bool(false)),
    }
}
