//! What an expression may read of a value, found from its text, so that an engine copies
//! only that part (of the execution input into `$$.Execution.Input`, of the state's input
//! into `$states.input`) instead of the whole value.
//!
//! The analysis is conservative: a path it cannot follow to the end counts as reading
//! everything below the point where it stopped. [`StateReads`] applies it to every field
//! of a state, for the context object.
//!
//! ```
//! use serde_json::json;
//! use sfn_core::eval::reads::Reads;
//!
//! let reads = Reads::of_jsonata("$states.input.a.b + $count($states.context.Map)", "states");
//! assert!(reads.below("context").below("Execution").is_nothing());
//! let input = json!({"a": {"b": 1, "c": 2}, "d": 3});
//! assert_eq!(reads.below("input").select(&input), Some(json!({"a": {"b": 1}})));
//! ```

use serde_json::{Map, Value};

use crate::{
    intrinsic::{Arg, IntrinsicCall},
    model::{
        Catcher, ChoiceRule, ChoiceState, Condition, FailState, IntOrExpr, ItemBatcher, ItemReader,
        MapState, NullablePath, NumberOrExpr, Operand, ParallelState, PassState, ResultWriter,
        State, StringOrExpr, SucceedState, TaskState, Template, WaitState,
    },
    path::{JsonPath, PathRoot},
    template::{JsonataString, PathExpr},
};

/// The parts of a JSON value an expression may read: key paths from the value's root. No
/// path reads nothing; the empty path reads the whole value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reads {
    paths: Vec<Vec<String>>,
}

impl Reads {
    /// Reads nothing.
    pub fn nothing() -> Self {
        Reads::default()
    }

    /// Reads the whole value.
    pub fn everything() -> Self {
        Reads {
            paths: vec![Vec::new()],
        }
    }

    /// Whether nothing is read.
    pub fn is_nothing(&self) -> bool {
        self.paths.is_empty()
    }

    /// Whether the whole value may be read.
    pub fn is_everything(&self) -> bool {
        self.paths.iter().any(Vec::is_empty)
    }

    /// Adds the value at `path` (keys from the root) and everything below it.
    pub fn add(&mut self, path: Vec<String>) {
        if self.is_everything() {
            return;
        }
        if path.is_empty() {
            self.paths = vec![path];
        } else if !self.paths.contains(&path) {
            self.paths.push(path);
        }
    }

    /// Adds everything `other` reads.
    pub fn merge(&mut self, other: Reads) {
        for p in other.paths {
            self.add(p);
        }
    }

    /// What is read of the member `key`.
    pub fn below(&self, key: &str) -> Reads {
        if self.is_everything() {
            return Reads::everything();
        }
        Reads {
            paths: self
                .paths
                .iter()
                .filter(|p| p.first().is_some_and(|k| k == key))
                .map(|p| p[1..].to_vec())
                .collect(),
        }
    }

    /// [`Reads::below`]`(key).`[`select`](Reads::select)`(value)`, without building the
    /// intermediate `Reads`.
    pub fn select_below(&self, key: &str, value: &Value) -> Option<Value> {
        let mut paths: Vec<&[String]> = Vec::new();
        for p in &self.paths {
            match p.split_first() {
                None => return Some(value.clone()),
                Some((k, rest)) if k == key => paths.push(rest),
                Some(_) => {}
            }
        }
        (!paths.is_empty()).then(|| select(value, &paths))
    }

    /// A copy of the parts of `value` that are read, keys in `value`'s order; `None` when
    /// nothing is read. Only objects are pruned: below an array or a scalar, everything
    /// is kept (a JSONata path maps over an array's items).
    pub fn select(&self, value: &Value) -> Option<Value> {
        if self.is_nothing() {
            return None;
        }
        let paths: Vec<&[String]> = self.paths.iter().map(Vec::as_slice).collect();
        Some(select(value, &paths))
    }

    /// What a JSONata expression (the text between `{%` and `%}`) may read of the variable
    /// `$variable`: for each occurrence, the plain field names that follow it
    /// (`$states.input.a`), up to the first step that is not one (a predicate, a
    /// wildcard, a function call). A bare `$variable`, the parent operator `%` or
    /// `$eval` anywhere read everything.
    pub fn of_jsonata(text: &str, variable: &str) -> Reads {
        let mut reads = Reads::nothing();
        let mut from = 0;
        while let Some(at) = text[from..].find('$') {
            let start = from + at;
            from = start + 1;
            if !text[from..].starts_with(variable) {
                continue;
            }
            let end = from + variable.len();
            let before = text[..start].chars().next_back();
            let after = text[end..].chars().next();
            if before.is_some_and(|c| c == '$' || is_name_char(c))
                || after.is_some_and(is_name_char)
            {
                // Another variable (`$statesX`), or `$$states` (the input's field).
                continue;
            }
            reads.add(jsonata_path(&text[end..]));
            if reads.is_everything() {
                return reads;
            }
        }
        if !reads.is_nothing() && (text.contains('%') || text.contains("$eval")) {
            // `%` (the parent of a step, or the modulo operator) may climb above the
            // path: keep the whole variable.
            return Reads::everything();
        }
        reads
    }

    /// What a JSONPath may read of the value its root (`$`, `$$`, `$name`) stands for,
    /// given the text after the root: the names of a leading run of `.name` steps
    /// (`.Execution.Input` of `$$.Execution.Input`).
    pub fn of_jsonpath(after_root: &str) -> Reads {
        let mut path = Vec::new();
        let mut rest = after_root;
        while let Some(tail) = rest.strip_prefix('.') {
            let len = tail
                .char_indices()
                .find(|&(_, c)| c == '.' || c == '[' || c.is_whitespace() || c == '(')
                .map_or(tail.len(), |(i, _)| i);
            let name = &tail[..len];
            let next = tail[len..].chars().next();
            // A name followed by anything but a step or the end (`.length()`, a
            // filter), or a wildcard: the path stops above it.
            if name.is_empty() || name.contains('*') || !matches!(next, None | Some('.' | '[')) {
                break;
            }
            path.push(name.to_owned());
            rest = &tail[len..];
        }
        Reads { paths: vec![path] }
    }
}

/// What a state's own fields (nested states apart) read of the context object `$$`:
/// JSONPath paths rooted at `$$` (in payload templates, the path fields, choice rules,
/// intrinsic arguments) and JSONata expressions reading `$states.context`. An engine
/// builds only the part of the context object a state reads, and none for a state that
/// reads none of it.
///
/// ```
/// use sfn_core::{StateMachine, eval::reads::StateReads};
///
/// let machine: StateMachine = r#"{"StartAt": "P", "States": {"P": {"Type": "Pass",
///     "Parameters": {"id.$": "$$.Execution.Input.order.id"}, "End": true}}}"#.parse()?;
/// let reads = StateReads::of(&machine.states["P"]);
/// let input = serde_json::json!({"order": {"id": 7, "lines": [1, 2]}, "other": 1});
/// assert_eq!(
///     reads.context.below("Execution").below("Input").select(&input),
///     Some(serde_json::json!({"order": {"id": 7}}))
/// );
/// assert!(reads.item_selector_context.is_nothing());
/// # Ok::<(), sfn_core::ParseError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct StateReads {
    /// What the state's fields read, a Map's `ItemSelector` (or `Parameters`) apart.
    pub context: Reads,
    /// What a Map's `ItemSelector` (or `Parameters`) reads of each item's context object.
    pub item_selector_context: Reads,
}

impl StateReads {
    /// What `state` reads of the context object. Every field of every state type is
    /// named here, so that a field added to the model must be considered.
    pub fn of(state: &State) -> StateReads {
        let mut r = Reads::nothing();
        let mut selector = Reads::nothing();
        match state {
            State::Pass(PassState {
                comment: _,
                query_language: _,
                input_path,
                parameters,
                result: _,
                result_path,
                output_path,
                output,
                assign,
                next: _,
                end: _,
            }) => {
                nullable(&mut r, [input_path, result_path, output_path]);
                templates(&mut r, [parameters, output, assign]);
            }
            State::Task(TaskState {
                comment: _,
                query_language: _,
                resource: _,
                input_path,
                parameters,
                arguments,
                result_selector,
                result_path,
                output_path,
                output,
                assign,
                timeout_seconds,
                timeout_seconds_path,
                heartbeat_seconds,
                heartbeat_seconds_path,
                credentials,
                retry: _,
                catch,
                next: _,
                end: _,
            }) => {
                nullable(&mut r, [input_path, result_path, output_path]);
                templates(
                    &mut r,
                    [
                        parameters,
                        arguments,
                        result_selector,
                        output,
                        assign,
                        credentials,
                    ],
                );
                ints(&mut r, [timeout_seconds, heartbeat_seconds]);
                paths(&mut r, [timeout_seconds_path, heartbeat_seconds_path]);
                catchers(&mut r, catch.as_deref());
            }
            State::Choice(ChoiceState {
                comment: _,
                query_language: _,
                input_path,
                output_path,
                choices,
                default: _,
                output,
                assign,
            }) => {
                nullable(&mut r, [input_path, output_path]);
                templates(&mut r, [output, assign]);
                for rule in choices {
                    choice_rule(&mut r, rule);
                }
            }
            State::Wait(WaitState {
                comment: _,
                query_language: _,
                input_path,
                output_path,
                seconds,
                timestamp,
                seconds_path,
                timestamp_path,
                output,
                assign,
                next: _,
                end: _,
            }) => {
                nullable(&mut r, [input_path, output_path]);
                ints(&mut r, [seconds]);
                strings(&mut r, [timestamp]);
                paths(&mut r, [seconds_path, timestamp_path]);
                templates(&mut r, [output, assign]);
            }
            State::Succeed(SucceedState {
                comment: _,
                query_language: _,
                input_path,
                output_path,
                output,
            }) => {
                nullable(&mut r, [input_path, output_path]);
                templates(&mut r, [output]);
            }
            State::Fail(FailState {
                comment: _,
                query_language: _,
                error,
                cause,
                error_path,
                cause_path,
            }) => {
                strings(&mut r, [error, cause]);
                for p in [error_path, cause_path].into_iter().flatten() {
                    path_expr(&mut r, p);
                }
            }
            State::Parallel(ParallelState {
                comment: _,
                query_language: _,
                branches: _,
                input_path,
                parameters,
                arguments,
                result_selector,
                result_path,
                output_path,
                output,
                assign,
                retry: _,
                catch,
                next: _,
                end: _,
            }) => {
                nullable(&mut r, [input_path, result_path, output_path]);
                templates(
                    &mut r,
                    [parameters, arguments, result_selector, output, assign],
                );
                catchers(&mut r, catch.as_deref());
            }
            State::Map(m) => map_reads(&mut r, &mut selector, m),
        }
        StateReads {
            context: r,
            item_selector_context: selector,
        }
    }
}

fn map_reads(r: &mut Reads, selector: &mut Reads, m: &MapState) {
    let MapState {
        comment: _,
        query_language: _,
        item_processor: _,
        iterator: _,
        input_path,
        items_path,
        items,
        item_selector,
        parameters,
        item_reader,
        item_batcher,
        result_writer,
        max_concurrency,
        max_concurrency_path,
        tolerated_failure_percentage,
        tolerated_failure_percentage_path,
        tolerated_failure_count,
        tolerated_failure_count_path,
        label: _,
        result_selector,
        result_path,
        output_path,
        output,
        assign,
        retry: _,
        catch,
        next: _,
        end: _,
    } = m;
    nullable(r, [input_path, result_path, output_path]);
    paths(
        r,
        [
            items_path,
            max_concurrency_path,
            tolerated_failure_percentage_path,
            tolerated_failure_count_path,
        ],
    );
    templates(r, [items, result_selector, output, assign]);
    templates(selector, [item_selector, parameters]);
    ints(r, [max_concurrency, tolerated_failure_count]);
    if let Some(NumberOrExpr::Jsonata(e)) = tolerated_failure_percentage {
        jsonata(r, e);
    }
    if let Some(ItemReader {
        resource: _,
        reader_config,
        parameters,
        arguments,
    }) = item_reader
    {
        templates(r, [parameters, arguments]);
        if let Some(c) = reader_config {
            ints(r, [&c.max_items]);
            paths(r, [&c.max_items_path]);
        }
    }
    if let Some(ItemBatcher {
        max_items_per_batch,
        max_items_per_batch_path,
        max_input_bytes_per_batch,
        max_input_bytes_per_batch_path,
        batch_input,
    }) = item_batcher
    {
        ints(r, [max_items_per_batch, max_input_bytes_per_batch]);
        paths(
            r,
            [max_items_per_batch_path, max_input_bytes_per_batch_path],
        );
        templates(r, [batch_input]);
    }
    if let Some(ResultWriter {
        resource: _,
        writer_config: _,
        parameters,
        arguments,
    }) = result_writer
    {
        templates(r, [parameters, arguments]);
    }
    catchers(r, catch.as_deref());
}

/// A JSONPath: what it reads when it starts at `$$`.
fn path(r: &mut Reads, p: &JsonPath) {
    if p.root_ref() == &PathRoot::Context {
        match p.as_str().trim_start().strip_prefix("$$") {
            Some(rest) => r.merge(Reads::of_jsonpath(rest)),
            None => r.merge(Reads::everything()),
        }
    }
}

fn paths<const N: usize>(r: &mut Reads, ps: [&Option<JsonPath>; N]) {
    for p in ps.into_iter().flatten() {
        path(r, p);
    }
}

fn nullable<const N: usize>(r: &mut Reads, ps: [&Option<NullablePath>; N]) {
    for p in ps.into_iter().flatten().filter_map(NullablePath::path) {
        path(r, p);
    }
}

fn path_expr(r: &mut Reads, p: &PathExpr) {
    match p {
        PathExpr::Path(p) => path(r, p),
        PathExpr::Intrinsic(call) => intrinsic(r, call),
    }
}

fn intrinsic(r: &mut Reads, call: &IntrinsicCall) {
    for arg in call.args() {
        match arg {
            Arg::Path(p) => path(r, p),
            Arg::Call(c) => intrinsic(r, c),
            Arg::String(_) | Arg::Number(_) | Arg::Bool(_) | Arg::Null => {}
        }
    }
}

/// A JSONata expression: what it reads of `$states.context`.
fn jsonata(r: &mut Reads, e: &JsonataString) {
    r.merge(Reads::of_jsonata(e.expression().as_str(), "states").below("context"));
}

fn templates<const N: usize>(r: &mut Reads, ts: [&Option<Template>; N]) {
    for t in ts.into_iter().flatten() {
        for (_, p) in t.dynamic_parts() {
            path_expr(r, p);
        }
        for (_, e) in t.jsonata_expressions() {
            jsonata(r, e);
        }
    }
}

fn ints<const N: usize>(r: &mut Reads, vs: [&Option<IntOrExpr>; N]) {
    for v in vs.into_iter().flatten() {
        if let IntOrExpr::Jsonata(e) = v {
            jsonata(r, e);
        }
    }
}

fn strings<const N: usize>(r: &mut Reads, vs: [&Option<StringOrExpr>; N]) {
    for v in vs.into_iter().flatten() {
        if let StringOrExpr::Jsonata(e) = v {
            jsonata(r, e);
        }
    }
}

fn catchers(r: &mut Reads, cs: Option<&[Catcher]>) {
    for Catcher {
        error_equals: _,
        comment: _,
        next: _,
        result_path,
        output,
        assign,
    } in cs.unwrap_or_default()
    {
        nullable(r, [result_path]);
        templates(r, [output, assign]);
    }
}

fn choice_rule(r: &mut Reads, rule: &ChoiceRule) {
    let ChoiceRule {
        condition,
        comment: _,
        next: _,
        assign,
        output,
    } = rule;
    templates(r, [assign, output]);
    match condition {
        Condition::Compare {
            variable,
            op: _,
            operand,
        } => {
            path(r, variable);
            if let Operand::Path(p) = operand {
                path(r, p);
            }
        }
        Condition::And(rules) | Condition::Or(rules) => {
            for rule in rules {
                choice_rule(r, rule);
            }
        }
        Condition::Not(rule) => choice_rule(r, rule),
        Condition::Jsonata(e) => jsonata(r, e),
        Condition::Literal(_) => {}
    }
}

/// Whether a JSONata expression may read its context item, `$` (the state's input in a
/// Step Functions expression): through `$` or `$$`, a path that starts with a name or a
/// wildcard (`a.b`, `*`), a function call (a built-in called with fewer arguments takes
/// the context item as its first), or the parent operator. Conservative: names in
/// predicates or regular expressions count too.
pub fn jsonata_reads_context_item(text: &str) -> bool {
    const KEYWORDS: [&str; 7] = ["and", "or", "in", "true", "false", "null", "function"];
    let mut chars = text.char_indices().peekable();
    // Whether the last token was an operand (so `*` is a multiplication), and whether
    // it was a `.` (so a name or `*` is a step, not the start of a path).
    let mut after_operand = false;
    let mut after_dot = false;
    while let Some((i, c)) = chars.next() {
        match c {
            c if c.is_whitespace() => continue,
            '"' | '\'' => {
                let mut escaped = false;
                for (_, d) in chars.by_ref() {
                    if escaped {
                        escaped = false;
                    } else if d == '\\' {
                        escaped = true;
                    } else if d == c {
                        break;
                    }
                }
                after_operand = true;
                after_dot = false;
                continue;
            }
            '$' => {
                let rest = &text[i + 1..];
                let len = rest
                    .char_indices()
                    .find(|&(_, d)| !is_name_char(d))
                    .map_or(rest.len(), |(j, _)| j);
                if len == 0 {
                    return true; // `$`, `$$`
                }
                let after = rest[len..].trim_start();
                if after.starts_with('(') {
                    return true; // a call
                }
                for _ in 0..rest[..len].chars().count() {
                    chars.next();
                }
                after_operand = true;
                after_dot = false;
                continue;
            }
            '%' => return true,
            '*' => {
                if !after_operand && !after_dot {
                    return true; // a wildcard starting a path
                }
                after_operand = false;
                after_dot = false;
                continue;
            }
            '`' => {
                if !after_dot {
                    return true;
                }
                for (_, d) in chars.by_ref() {
                    if d == '`' {
                        break;
                    }
                }
                after_operand = true;
                after_dot = false;
                continue;
            }
            c if is_name_char(c) => {
                let rest = &text[i..];
                let len = rest
                    .char_indices()
                    .find(|&(_, d)| !is_name_char(d) && d != '.' || d == '.' && !c.is_ascii_digit())
                    .map_or(rest.len(), |(j, _)| j);
                let word = &rest[..len];
                if !after_dot && !c.is_ascii_digit() && !KEYWORDS.contains(&word) {
                    return true; // a name starting a path
                }
                for _ in 0..word.chars().count() - 1 {
                    chars.next();
                }
                after_operand =
                    !KEYWORDS.contains(&word) || matches!(word, "true" | "false" | "null");
                after_dot = false;
                continue;
            }
            '.' => {
                after_dot = true;
                after_operand = false;
                continue;
            }
            ')' | ']' | '}' => {
                after_operand = true;
                after_dot = false;
                continue;
            }
            _ => {
                after_operand = false;
                after_dot = false;
            }
        }
    }
    false
}

/// The keys of the plain `.name` steps at the start of `text` (what follows a variable).
fn jsonata_path(text: &str) -> Vec<String> {
    let mut path = Vec::new();
    let mut rest = text;
    loop {
        let Some(tail) = rest.trim_start().strip_prefix('.') else {
            return path;
        };
        let tail = tail.trim_start();
        let (name, after) = if let Some(quoted) = tail.strip_prefix('`') {
            match quoted.find('`') {
                Some(i) => (&quoted[..i], &quoted[i + 1..]),
                None => return path,
            }
        } else {
            let len = tail
                .char_indices()
                .find(|&(_, c)| !is_name_char(c))
                .map_or(tail.len(), |(i, _)| i);
            (&tail[..len], &tail[len..])
        };
        // A step that is not a plain name (`.*`, `.(…)`, `.$x`), or a name that runs on
        // into characters this scan does not read as JSONata operators: stop above it.
        let ends = after
            .chars()
            .next()
            .is_none_or(|c| c.is_whitespace() || ".[]{}(),@#;:?+-*/%|=<>^&!~\"'`".contains(c));
        // A name cannot start with a digit (`.0` is a number).
        if name.is_empty()
            || !ends
            || (!quoted(tail) && name.starts_with(|c: char| c.is_ascii_digit()))
        {
            return path;
        }
        path.push(name.to_owned());
        rest = after;
    }
}

/// Whether a step's text starts with a backquoted name.
fn quoted(step: &str) -> bool {
    step.starts_with('`')
}

/// A character a JSONata name may continue with (conservatively: letters, digits, `_`).
fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn select(value: &Value, paths: &[&[String]]) -> Value {
    if paths.iter().any(|p| p.is_empty()) {
        return value.clone();
    }
    let Value::Object(o) = value else {
        return value.clone();
    };
    let mut out = Map::new();
    for (k, v) in o {
        let below: Vec<&[String]> = paths
            .iter()
            .filter(|p| p.first() == Some(k))
            .map(|p| &p[1..])
            .collect();
        if !below.is_empty() {
            out.insert(k.clone(), select(v, &below));
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn paths(r: &Reads) -> Vec<Vec<&str>> {
        r.paths
            .iter()
            .map(|p| p.iter().map(String::as_str).collect())
            .collect()
    }

    #[test]
    fn jsonata_paths() {
        let r = Reads::of_jsonata("$states.input.count + 1", "states");
        assert_eq!(paths(&r), [["input", "count"]]);
        let r = Reads::of_jsonata("$states . context .`Map`.Item[0]", "states");
        assert_eq!(paths(&r), [["context", "Map", "Item"]]);
        let r = Reads::of_jsonata("$states.input.(a)", "states");
        assert_eq!(paths(&r), [["input"]]);
        let r = Reads::of_jsonata("$keys($states)", "states");
        assert!(r.is_everything());
        let r = Reads::of_jsonata("$statesX.a + $$states.b", "states");
        assert!(r.is_nothing());
        let r = Reads::of_jsonata("$states.input.a.%.b", "states");
        assert!(r.is_everything());
        let r = Reads::of_jsonata("$states.input.aé$x", "states");
        assert_eq!(paths(&r), [["input"]]);
        let r = Reads::of_jsonata("1 + 2", "states");
        assert!(r.is_nothing());
    }

    #[test]
    fn context_item() {
        for reads in [
            "a.b",
            "$",
            "$$.a",
            "*.a",
            "$string()",
            "$states.input.items[n > 1]",
            "`a b`",
            "1 + x",
            "{'k': v}",
            "$states.input.a.%.b",
        ] {
            assert!(jsonata_reads_context_item(reads), "{reads}");
        }
        for not in [
            "$states.input.a.b",
            "$states.context.Map.Item.Value.n + 1.5",
            "$states.input.count * 2",
            "'a.b' & \"c\"",
            "$x.`a b`.*",
            "true and $v or null",
            "[1, 2.5e3][0]",
            "",
        ] {
            assert!(!jsonata_reads_context_item(not), "{not}");
        }
    }

    #[test]
    fn jsonpath_paths() {
        assert_eq!(
            paths(&Reads::of_jsonpath(".Execution.Input")),
            [["Execution", "Input"]]
        );
        assert_eq!(
            paths(&Reads::of_jsonpath(".Execution['Input']")),
            [["Execution"]]
        );
        assert_eq!(paths(&Reads::of_jsonpath(".a.length()")), [["a"]]);
        assert!(Reads::of_jsonpath("..Input").is_everything());
        assert!(Reads::of_jsonpath(".*.Input").is_everything());
        assert!(Reads::of_jsonpath("").is_everything());
    }

    #[test]
    fn state_reads() {
        let machine: crate::StateMachine = r#"{"StartAt": "M", "States": {
            "M": {"Type": "Map", "ItemsPath": "$.items",
                "ItemSelector": {"i.$": "$$.Map.Item.Index"},
                "ItemProcessor": {"StartAt": "C", "States": {
                    "C": {"Type": "Choice", "Choices": [
                        {"Not": {"Variable": "$$.Execution.Name", "StringEquals": "x"}, "Next": "T"}],
                        "Default": "T"},
                    "T": {"Type": "Task", "QueryLanguage": "JSONata",
                        "Resource": "arn:aws:states:::lambda:invoke",
                        "Arguments": {"n": "{% $states.context.Execution.Input.n %}"},
                        "TimeoutSeconds": "{% $states.context.State.RetryCount + 1 %}",
                        "End": true}}},
                "Catch": [{"ErrorEquals": ["States.ALL"], "Assign": {"who.$": "$$.State.Name"}, "Next": "Done"}],
                "Next": "Done"},
            "Done": {"Type": "Succeed"}}}"#
            .parse()
            .unwrap_or_else(|e| panic!("{e}"));
        let map = StateReads::of(&machine.states["M"]);
        assert_eq!(paths(&map.context), [["State", "Name"]]);
        assert_eq!(
            paths(&map.item_selector_context),
            [["Map", "Item", "Index"]]
        );
        let Some(State::Map(m)) = machine.states.get("M") else {
            panic!("no Map");
        };
        let Some(processor) = m.processor() else {
            panic!("no processor");
        };
        let choice = StateReads::of(&processor.states["C"]);
        assert_eq!(paths(&choice.context), [["Execution", "Name"]]);
        let task = StateReads::of(&processor.states["T"]);
        assert_eq!(
            paths(&task.context),
            [vec!["Execution", "Input", "n"], vec!["State", "RetryCount"]]
        );
        assert!(StateReads::of(&machine.states["Done"]).context.is_nothing());
    }

    #[test]
    fn selection() {
        let mut r = Reads::nothing();
        assert_eq!(r.select(&json!(1)), None);
        r.add(vec!["a".into(), "b".into()]);
        r.add(vec!["c".into()]);
        let v = json!({"c": [1, 2], "a": {"b": {"x": 1}, "z": 2}, "d": 4});
        assert_eq!(
            r.select(&v),
            Some(json!({"c": [1, 2], "a": {"b": {"x": 1}}}))
        );
        assert_eq!(r.below("a").select(&v["a"]), Some(json!({"b": {"x": 1}})));
        assert!(r.below("d").is_nothing());
        let arr = json!([{"b": 1, "q": 2}]);
        assert_eq!(r.below("a").select(&arr), Some(arr.clone()));
        r.add(Vec::new());
        assert!(r.is_everything());
        assert_eq!(r.below("q"), Reads::everything());
    }
}
