//! A definition compiled for the interpreter: states by index, transitions resolved,
//! names interned, and what each state needs computed once.

use std::{collections::HashMap, sync::Arc};

use sfn_core::{
    Diagnostic, DiagnosticCode,
    eval::reads::Reads,
    intrinsic::{Arg, IntrinsicCall},
    model::{
        self, Catcher, ChoiceRule, Condition, IntOrExpr, ItemBatcher, ItemReader, MapState,
        NullablePath, NumberOrExpr, Operand, QueryLanguage, ResourceKind, ResultWriter, State,
        StateMachine, StringOrExpr, Template,
    },
    path::{JsonPath, PathRoot},
    template::{JsonataString, PathExpr},
};

/// Why a definition cannot be compiled. The validator refuses such definitions first;
/// this catches a model changed after it was validated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum PlanError {
    /// A `StartAt`, `Next`, `Default` or catcher `Next` names a state not in its scope.
    #[error("the state '{target}' does not exist")]
    NoSuchState {
        /// The name looked for.
        target: String,
        /// Where it is named: a JSON Pointer.
        pointer: String,
    },
    /// A top-level choice rule has no `Next`.
    #[error("a choice rule has no Next")]
    ChoiceRuleWithoutNext {
        /// The rule: a JSON Pointer.
        pointer: String,
    },
}

impl PlanError {
    /// The error as a validator diagnostic.
    pub(crate) fn to_diagnostic(&self) -> Diagnostic {
        match self {
            PlanError::NoSuchState { pointer, .. } => Diagnostic::error(
                DiagnosticCode::MissingTransitionTarget,
                pointer.clone(),
                self.to_string(),
            ),
            PlanError::ChoiceRuleWithoutNext { pointer } => Diagnostic::error(
                DiagnosticCode::SchemaValidationFailed,
                pointer.clone(),
                self.to_string(),
            ),
        }
    }
}

/// A scope (the machine, a branch, an item processor), compiled.
#[derive(Debug)]
pub(crate) struct ScopePlan {
    pub(crate) states: Vec<StatePlan>,
    pub(crate) start: usize,
}

/// One state, compiled.
#[derive(Debug)]
pub(crate) struct StatePlan {
    pub(crate) name: Arc<str>,
    pub(crate) def: State,
    pub(crate) jsonata: bool,
    /// What the state's own fields read of the context object (a Map's `ItemSelector`
    /// apart); `needs_context` when they read any of it.
    pub(crate) context: ContextUse,
    /// What a Map's `ItemSelector` (or `Parameters`) reads of each item's context object.
    pub(crate) selector_context: ContextUse,
    pub(crate) next: Option<usize>,
    pub(crate) choice_next: Vec<usize>,
    pub(crate) default_next: Option<usize>,
    pub(crate) catch_next: Vec<usize>,
    pub(crate) nested: Vec<ScopePlan>,
    pub(crate) resource: Arc<str>,
    pub(crate) resource_type: Arc<str>,
}

impl StatePlan {
    /// Whether anything in the state (nested states apart) reads the context object.
    pub(crate) fn needs_context(&self) -> bool {
        self.context.any || self.selector_context.any
    }
}

/// What a state reads of the context object, as the engine builds it.
#[derive(Debug, Clone, Default)]
pub(crate) struct ContextUse {
    /// Whether it reads anything: when not, no context object is built.
    pub(crate) any: bool,
    /// What it reads of `$$.Execution.Input`: only that part is copied into the context
    /// object.
    pub(crate) input: Reads,
}

impl ContextUse {
    fn new(reads: &Reads) -> Self {
        ContextUse {
            any: !reads.is_nothing(),
            input: reads.below("Execution").below("Input"),
        }
    }
}

/// Compiles a machine. Fails on a transition to a state that does not exist, or a choice
/// rule without `Next`.
pub(crate) fn compile(machine: &StateMachine) -> Result<ScopePlan, PlanError> {
    let jsonata = machine.query_language == Some(QueryLanguage::JSONata);
    compile_scope(machine.scope(), jsonata, "")
}

/// `pointer` extended by one key, escaped as RFC 6901 says.
fn child(pointer: &str, key: &str) -> String {
    format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"))
}

fn compile_scope(
    scope: model::Scope<'_>,
    inherited_jsonata: bool,
    at: &str,
) -> Result<ScopePlan, PlanError> {
    let jsonata_default = match scope.query_language {
        Some(q) => q == QueryLanguage::JSONata,
        None => inherited_jsonata,
    };
    let index: HashMap<&str, usize> = scope
        .states
        .keys()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    let find = |name: &model::StateName, pointer: String| -> Result<usize, PlanError> {
        index
            .get(name.as_str())
            .copied()
            .ok_or_else(|| PlanError::NoSuchState {
                target: name.to_string(),
                pointer,
            })
    };
    let states_at = child(at, "States");
    let mut states = Vec::with_capacity(scope.states.len());
    for (name, def) in scope.states {
        let here = child(&states_at, name.as_str());
        let jsonata = match def.query_language() {
            Some(q) => q == QueryLanguage::JSONata,
            None => jsonata_default,
        };
        let next = match def.transition() {
            Some(model::Transition::Next(n)) => Some(find(n, child(&here, "Next"))?),
            _ => None,
        };
        let (choice_next, default_next) = match &def {
            State::Choice(c) => (
                c.choices
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        let rule = format!("{here}/Choices/{i}");
                        match &r.next {
                            Some(n) => find(n, child(&rule, "Next")),
                            None => Err(PlanError::ChoiceRuleWithoutNext { pointer: rule }),
                        }
                    })
                    .collect::<Result<Vec<_>, _>>()?,
                c.default
                    .as_ref()
                    .map(|d| find(d, child(&here, "Default")))
                    .transpose()?,
            ),
            _ => (Vec::new(), None),
        };
        let catch_next = def
            .catchers()
            .iter()
            .enumerate()
            .map(|(i, c)| find(&c.next, format!("{here}/Catch/{i}/Next")))
            .collect::<Result<Vec<_>, _>>()?;
        let nested = def
            .nested()
            .into_iter()
            .map(|(p, s)| compile_scope(s, jsonata, &format!("{here}{p}")))
            .collect::<Result<Vec<_>, _>>()?;
        let (context, selector_context) = context_reads(def);
        let (resource, resource_type) = match &def {
            State::Task(t) => {
                let kind: Arc<str> = match t.resource.kind() {
                    ResourceKind::Activity { .. } => "activity".into(),
                    ResourceKind::LambdaFunction { .. } => "lambda".into(),
                    ResourceKind::Service { service, .. } => service.into(),
                    ResourceKind::Other => "task".into(),
                };
                (Arc::from(t.resource.as_str()), kind)
            }
            _ => (Arc::from(""), Arc::from("")),
        };
        states.push(StatePlan {
            name: Arc::from(name.as_str()),
            def: def.clone(),
            jsonata,
            context: ContextUse::new(&context),
            selector_context: ContextUse::new(&selector_context),
            next,
            choice_next,
            default_next,
            catch_next,
            nested,
            resource,
            resource_type,
        });
    }
    let start = find(scope.start_at, child(at, "StartAt"))?;
    Ok(ScopePlan { states, start })
}

/// What a state's own fields (nested states apart) read of the context object: JSONPath
/// paths rooted at `$$` (in templates, the path fields, choice rules, intrinsic
/// arguments) and JSONata expressions reading `$states.context`. The second value is what
/// a Map's `ItemSelector` (or `Parameters`) reads, apart. Every field is named, so that
/// a field added to the model must be considered here.
fn context_reads(def: &State) -> (Reads, Reads) {
    let mut r = Reads::nothing();
    let mut selector = Reads::nothing();
    match def {
        State::Pass(model::PassState {
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
        State::Task(model::TaskState {
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
        State::Choice(model::ChoiceState {
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
        State::Wait(model::WaitState {
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
        State::Succeed(model::SucceedState {
            comment: _,
            query_language: _,
            input_path,
            output_path,
            output,
        }) => {
            nullable(&mut r, [input_path, output_path]);
            templates(&mut r, [output]);
        }
        State::Fail(model::FailState {
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
        State::Parallel(model::ParallelState {
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
    (r, selector)
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
    }
}
