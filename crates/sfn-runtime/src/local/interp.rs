//! The interpreter: runs a compiled scope state by state.
//!
//! Pure states (Pass, Choice, Succeed, Fail, and Wait on a virtual clock) are stepped
//! synchronously in a loop: no task, channel or await per transition. Tasks, Waits on a
//! real clock, Parallel and Map suspend. Parallel branches and Map iterations run
//! concurrently on the execution's own task.

use std::{
    borrow::Cow,
    collections::HashMap,
    future::Future,
    pin::Pin,
    sync::{Arc, Mutex, PoisonError, atomic::Ordering},
    time::Duration,
};

use chrono::{DateTime, SecondsFormat, Utc};
use futures_util::{StreamExt, stream, stream::FuturesUnordered};
use serde_json::{Map, Value};
use sfn_core::{
    StatesError,
    error::states,
    eval::{
        Env, choice, io,
        jsonata::{self as ja, JsonataEnv},
        limits, retry, template,
        wait::parse_timestamp,
    },
    model::{
        Catcher, FailState, IntOrExpr, IntegrationPattern, MapState, NullablePath, NumberOrExpr,
        ParallelState, PassState, ResourceKind, Retrier, State, StringOrExpr, TaskState, Template,
        WaitState,
    },
    path::JsonPath,
};
use tokio_util::sync::CancellationToken;

use crate::activity::TaskFailure;

use super::{
    clock::Clock,
    history::{EventDetails, EventType, History},
    lock,
    mock::{MockResponse, Mocks},
    plan::{ContextUse, ScopePlan, StatePlan},
    task::{TaskHandler, TaskRequest, Tasks, TokenOutcome, TokenWait},
};

/// The most iterations an inline Map runs at a time.
const INLINE_MAP_CONCURRENCY: usize = 40;

/// The child executions a distributed Map without `MaxConcurrency` runs at a time.
const DISTRIBUTED_MAP_CONCURRENCY: usize = 10_000;

type BoxFut<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Why a scope stopped without an output.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Failure {
    /// An error `Retry` and `Catch` may handle (unless it is `States.Runtime` or
    /// `States.DataLimitExceeded`, which `ErrorName::matches` keeps from `States.ALL`).
    Error {
        error: String,
        cause: Option<String>,
    },
    /// The execution was stopped.
    Aborted,
    /// The history is full.
    HistoryFull,
    /// The machine's `TimeoutSeconds` passed (seen by a Wait on a virtual clock).
    TimedOut,
}

impl Failure {
    pub(crate) fn new(error: impl Into<String>, cause: Option<String>) -> Self {
        Failure::Error {
            error: error.into(),
            cause,
        }
    }

    /// Whether `Retry` and `Catch` may see it: evaluation errors named `States.Runtime`
    /// end the execution, as AWS does, even under an explicit `States.Runtime` catcher.
    fn handleable(&self) -> Option<(&str, Option<&str>)> {
        match self {
            Failure::Error { error, cause } if error != states::RUNTIME => {
                Some((error, cause.as_deref()))
            }
            _ => None,
        }
    }
}

/// Whether an execution was stopped: its own flag, then its parents' (a distributed
/// Map's Map Run, the parent execution), read without a lock on every transition.
#[derive(Debug, Default)]
pub(crate) struct StopFlag {
    set: std::sync::atomic::AtomicBool,
    parent: Option<Arc<StopFlag>>,
}

impl StopFlag {
    /// A flag that is also set when `parent` is.
    pub(crate) fn child(parent: Arc<StopFlag>) -> Self {
        StopFlag {
            set: std::sync::atomic::AtomicBool::new(false),
            parent: Some(parent),
        }
    }

    /// Sets the flag.
    pub(crate) fn set(&self) {
        self.set.store(true, std::sync::atomic::Ordering::Release);
    }

    /// Whether the flag or a parent's is set.
    pub(crate) fn is_set(&self) -> bool {
        let mut flag = self;
        loop {
            if flag.set.load(std::sync::atomic::Ordering::Acquire) {
                return true;
            }
            match &flag.parent {
                Some(p) => flag = p,
                None => return false,
            }
        }
    }
}

/// Everything one execution shares between its branches.
pub(crate) struct Run {
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) handlers: Arc<std::sync::RwLock<HashMap<String, Arc<dyn TaskHandler>>>>,
    pub(crate) tasks: Arc<Tasks>,
    pub(crate) mocks: Option<Arc<Mocks>>,
    /// Calls per mocked state, shared with the child executions of distributed Maps.
    pub(crate) mock_counts: Arc<Mutex<HashMap<Arc<str>, u64>>>,
    pub(crate) cancel: CancellationToken,
    /// Set with `cancel`, read without a lock on every transition.
    pub(crate) stopped: Arc<StopFlag>,
    pub(crate) execution_arn: Arc<str>,
    /// The engine: where distributed Maps register their Map Runs and child executions.
    pub(crate) engine: Arc<super::Inner>,
    /// The machine's name, which child executions' ARNs carry.
    pub(crate) machine_name: Arc<str>,
    pub(crate) role_arn: Arc<str>,
    /// `$$.Execution` without `Input`, and `$$.StateMachine`: shared, and small, since
    /// the input is added per state, only the part the state reads.
    pub(crate) context_base: Arc<Map<String, Value>>,
    pub(crate) input: Arc<Value>,
    /// When the machine's `TimeoutSeconds` runs out.
    pub(crate) deadline: Option<DateTime<Utc>>,
}

/// One thread of the execution: where it records, what it sees.
pub(crate) struct Frame {
    pub(crate) history: Arc<Mutex<History>>,
    pub(crate) last: u64,
    pub(crate) vars: Map<String, Value>,
    pub(crate) map_item: Option<(usize, Value)>,
    /// The last value found within the payload limit. A state whose output is this very
    /// value (`Arc::ptr_eq`: its input passed through) is not measured again.
    pub(crate) verified: Option<Arc<Value>>,
}

/// What answers a Task state.
enum Answerer {
    Mock,
    Handler(Arc<dyn TaskHandler>),
    Activity,
    Nothing,
}

/// One call of a Task state's resource.
struct Call<'a> {
    params: Arc<Value>,
    timeout: Option<u64>,
    heartbeat: Option<u64>,
    token: &'a str,
    started: EventType,
}

enum Step {
    Next(usize, Arc<Value>),
    End(Arc<Value>),
}

/// What a state needs to know about its own entry.
struct Entry<'a> {
    st: &'a StatePlan,
    event_id: u64,
    time: DateTime<Utc>,
}

impl Run {
    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub(crate) fn record(
        &self,
        frame: &mut Frame,
        ty: EventType,
        details: EventDetails,
    ) -> Result<u64, Failure> {
        self.record_at(frame, self.now(), ty, details)
    }

    /// Records an event; once the execution is stopped, nothing but abort events is
    /// recorded, and the thread unwinds with [`Failure::Aborted`].
    pub(crate) fn record_at(
        &self,
        frame: &mut Frame,
        now: DateTime<Utc>,
        ty: EventType,
        details: EventDetails,
    ) -> Result<u64, Failure> {
        if self.stopped.is_set() {
            return Err(Failure::Aborted);
        }
        let id = lock(&frame.history)
            .push(frame.last, now, ty, details)
            .map_err(|_| Failure::HistoryFull)?;
        frame.last = id;
        Ok(id)
    }

    /// Records the abort of something in flight (a state, an iteration, a Map Run) in a
    /// stopped execution.
    pub(crate) fn record_abort(&self, frame: &mut Frame, ty: EventType, details: EventDetails) {
        let now = self.now();
        if let Ok(id) = lock(&frame.history).push(frame.last, now, ty, details) {
            frame.last = id;
        }
    }

    /// An error raised while evaluating the state, with AWS's prefix.
    fn state_error(&self, entry: &Entry<'_>, e: StatesError) -> Failure {
        Failure::new(
            e.error,
            Some(format!(
                "An error occurred while executing the state '{}' (entered at the event id #{}). {}",
                entry.st.name, entry.event_id, e.cause
            )),
        )
    }

    /// The context object a state sees: the base, the part of the execution input that
    /// `uses` reads, `$$.State`, and `$$.Task` and `$$.Map.Item` when given.
    fn context(
        &self,
        entry: &Entry<'_>,
        uses: &ContextUse,
        retry_count: u64,
        map_item: Option<(usize, &Value)>,
        token: Option<&str>,
    ) -> Value {
        let mut ctx = Map::clone(&self.context_base);
        if let Some(input) = uses.input.select(&self.input)
            && let Some(Value::Object(exec)) = ctx.get_mut("Execution")
        {
            exec.insert("Input".into(), input);
        }
        let mut state = Map::with_capacity(3);
        state.insert(
            "EnteredTime".into(),
            Value::String(entry.time.to_rfc3339_opts(SecondsFormat::Millis, true)),
        );
        state.insert("Name".into(), Value::String(entry.st.name.to_string()));
        state.insert("RetryCount".into(), Value::from(retry_count));
        ctx.insert("State".into(), Value::Object(state));
        if let Some(token) = token {
            let mut task = Map::new();
            task.insert("Token".into(), Value::String(token.to_owned()));
            ctx.insert("Task".into(), Value::Object(task));
        }
        if let Some((index, value)) = map_item {
            let mut item = Map::new();
            item.insert("Index".into(), Value::from(index));
            item.insert("Value".into(), value.clone());
            let mut map = Map::new();
            map.insert("Item".into(), Value::Object(item));
            ctx.insert("Map".into(), Value::Object(map));
        }
        Value::Object(ctx)
    }

    /// The state's context object, when it reads it; `null` otherwise.
    fn context_if_needed(&self, entry: &Entry<'_>, frame: &Frame) -> Value {
        if entry.st.context.any {
            let item = frame.map_item.as_ref().map(|(i, v)| (*i, v));
            self.context(entry, &entry.st.context, 0, item, None)
        } else {
            Value::Null
        }
    }

    /// Runs a scope from its start state to its end.
    pub(crate) fn run_scope<'a>(
        &'a self,
        scope: &'a ScopePlan,
        input: Arc<Value>,
        frame: &'a mut Frame,
    ) -> BoxFut<'a, Result<Arc<Value>, Failure>> {
        Box::pin(async move {
            let mut idx = scope.start;
            let mut data = input;
            loop {
                if self.stopped.is_set() {
                    return Err(Failure::Aborted);
                }
                let st = scope
                    .states
                    .get(idx)
                    .ok_or_else(|| Failure::new(states::RUNTIME, Some("no such state".into())))?;
                let time = self.now();
                let event_id = self.record_at(
                    frame,
                    time,
                    entered_type(&st.def),
                    EventDetails::StateEntered {
                        name: st.name.clone(),
                        input: data.clone(),
                    },
                )?;
                let entry = Entry { st, event_id, time };
                let step = match &st.def {
                    State::Pass(p) => self.pass(&entry, p, data, frame),
                    State::Choice(_) => self.choice(&entry, data, frame),
                    State::Succeed(_) => self.succeed(&entry, data, frame),
                    State::Fail(f) => Err(self.fail(&entry, f, &data, frame)),
                    State::Wait(w) => self.wait(&entry, w, data, frame).await,
                    State::Task(t) => self.task(&entry, t, data, frame).await,
                    State::Parallel(p) => self.parallel(&entry, p, data, frame).await,
                    State::Map(m) => self.map(&entry, m, data, frame).await,
                };
                let step = match step {
                    Err(Failure::Aborted) => {
                        if let Some(ty) = aborted_type(&st.def) {
                            frame.last = frame.last.max(event_id);
                            self.record_abort(frame, ty, EventDetails::None);
                        }
                        return Err(Failure::Aborted);
                    }
                    other => other?,
                };
                let exited = exited_type(&st.def);
                match step {
                    Step::Next(next, out) => {
                        if let Some(ty) = exited {
                            self.record(
                                frame,
                                ty,
                                EventDetails::StateExited {
                                    name: st.name.clone(),
                                    output: out.clone(),
                                },
                            )?;
                        }
                        idx = next;
                        data = out;
                    }
                    Step::End(out) => {
                        if let Some(ty) = exited {
                            self.record(
                                frame,
                                ty,
                                EventDetails::StateExited {
                                    name: st.name.clone(),
                                    output: out.clone(),
                                },
                            )?;
                        }
                        return Ok(out);
                    }
                }
            }
        })
    }

    /// The step to the next state, once `out` is known to be within the payload limit.
    /// Serializing a large payload on every transition is what a loop over it would
    /// spend its time on, so an output that is the value already measured (the input
    /// passed through unchanged) is not measured again.
    fn transition(
        &self,
        entry: &Entry<'_>,
        out: Arc<Value>,
        frame: &mut Frame,
    ) -> Result<Step, Failure> {
        let known = frame
            .verified
            .as_ref()
            .is_some_and(|v| Arc::ptr_eq(v, &out));
        if !known {
            if over_limit(&out) {
                return Err(Failure::new(
                    states::DATA_LIMIT_EXCEEDED,
                    Some(format!(
                        "The state/task '{}' returned a result with a size exceeding the maximum number of bytes service limit.",
                        entry.st.name
                    )),
                ));
            }
            frame.verified = Some(out.clone());
        }
        Ok(match entry.st.next {
            Some(n) => Step::Next(n, out),
            None => Step::End(out),
        })
    }

    fn jsonata_scope<'v>(
        &self,
        input: &'v Value,
        ctx: &'v Value,
        vars: &'v Map<String, Value>,
    ) -> JsonataEnv<'v> {
        // `$now()` and `$millis()` read the engine's clock.
        JsonataEnv::new(input, ctx, vars).with_now(self.now().timestamp_millis())
    }

    // ---- Pass ------------------------------------------------------------------------

    fn pass(
        &self,
        entry: &Entry<'_>,
        p: &PassState,
        input: Arc<Value>,
        frame: &mut Frame,
    ) -> Result<Step, Failure> {
        let err = |e| self.state_error(entry, e);
        if entry.st.jsonata {
            let ctx = self.context_if_needed(entry, frame);
            let js = self.jsonata_scope(&input, &ctx, &frame.vars);
            let assigned = p
                .assign
                .as_ref()
                .map(|a| template::evaluate_assign(a, &Env::new(&input), Some(&js)))
                .transpose()
                .map_err(err)?;
            let out = match &p.output {
                Some(o) => Arc::new(template::evaluate_jsonata(o, "Output", &js).map_err(err)?),
                None => input,
            };
            assign(frame, assigned);
            return self.transition(entry, out, frame);
        }
        if p.input_path.is_none()
            && p.parameters.is_none()
            && p.result.is_none()
            && p.result_path.is_none()
            && p.output_path.is_none()
            && p.assign.is_none()
        {
            // Nothing changes: the input passes through, already within the limits.
            return Ok(match entry.st.next {
                Some(n) => Step::Next(n, input),
                None => Step::End(input),
            });
        }
        let ctx = self.context_if_needed(entry, frame);
        let (result, assigned) = {
            let scope = Env {
                input: &input,
                context: &ctx,
                variables: &frame.vars,
            };
            let effective = io::effective_input(p.input_path.as_ref(), &scope).map_err(err)?;
            // `Parameters` is the input of the virtual task, `Result` its output: with
            // both, the parameters are evaluated (and fail as they would) and the result
            // is `Result`.
            let params = p
                .parameters
                .as_ref()
                .map(|params| {
                    template::evaluate(
                        params,
                        &Env {
                            input: &effective,
                            ..scope
                        },
                    )
                })
                .transpose()
                .map_err(err)?;
            let result = match (&p.result, params) {
                (Some(r), _) => r.clone(),
                (None, Some(params)) => params,
                (None, None) => effective.into_owned(),
            };
            let assigned = p
                .assign
                .as_ref()
                .map(|a| {
                    template::evaluate_assign(
                        a,
                        &Env {
                            input: &result,
                            ..scope
                        },
                        None,
                    )
                })
                .transpose()
                .map_err(err)?;
            (result, assigned)
        };
        let out = self.finish_jsonpath(
            entry,
            input,
            result,
            p.result_path.as_ref(),
            p.output_path.as_ref(),
            &ctx,
            frame,
        )?;
        assign(frame, assigned);
        self.transition(entry, out, frame)
    }

    /// `ResultPath` then `OutputPath`.
    #[allow(clippy::too_many_arguments)]
    fn finish_jsonpath(
        &self,
        entry: &Entry<'_>,
        raw_input: Arc<Value>,
        result: Value,
        result_path: Option<&NullablePath>,
        output_path: Option<&NullablePath>,
        ctx: &Value,
        frame: &Frame,
    ) -> Result<Arc<Value>, Failure> {
        let err = |e| self.state_error(entry, e);
        let combined = match result_path {
            None => Arc::new(result),
            // The input passes through: shared, not copied.
            Some(NullablePath::Null) => raw_input,
            Some(rp) => Arc::new(
                io::apply_result_path(Some(rp), Arc::unwrap_or_clone(raw_input), result)
                    .map_err(err)?,
            ),
        };
        match output_path {
            None => Ok(combined),
            Some(op) => io::apply_path(
                op,
                &Env {
                    input: &combined,
                    context: ctx,
                    variables: &frame.vars,
                },
            )
            .map(Arc::new)
            .map_err(err),
        }
    }

    // ---- Choice, Succeed, Fail ---------------------------------------------------------

    fn choice(
        &self,
        entry: &Entry<'_>,
        input: Arc<Value>,
        frame: &mut Frame,
    ) -> Result<Step, Failure> {
        let State::Choice(c) = &entry.st.def else {
            return Err(Failure::new(states::RUNTIME, None));
        };
        let err = |e| self.state_error(entry, e);
        let ctx = self.context_if_needed(entry, frame);
        if entry.st.jsonata {
            let js = self.jsonata_scope(&input, &ctx, &frame.vars);
            let scope = Env {
                input: &input,
                context: &ctx,
                variables: &frame.vars,
            };
            let rule = choice::choose(&c.choices, &scope, Some(&js)).map_err(err)?;
            let (next, assign_t, output_t) = match rule {
                Some(r) => {
                    let i = rule_index(&c.choices, r);
                    (
                        entry.st.choice_next.get(i).copied(),
                        r.assign.as_ref().or(c.assign.as_ref()),
                        r.output.as_ref().or(c.output.as_ref()),
                    )
                }
                None => (entry.st.default_next, c.assign.as_ref(), c.output.as_ref()),
            };
            let Some(next) = next else {
                return Err(no_choice(entry));
            };
            let assigned = assign_t
                .map(|a| template::evaluate_assign(a, &scope, Some(&js)))
                .transpose()
                .map_err(err)?;
            let out = match output_t {
                Some(o) => Arc::new(template::evaluate_jsonata(o, "Output", &js).map_err(err)?),
                None => input.clone(),
            };
            assign(frame, assigned);
            return Ok(Step::Next(next, out));
        }
        let scope = Env {
            input: &input,
            context: &ctx,
            variables: &frame.vars,
        };
        let effective = io::effective_input(c.input_path.as_ref(), &scope).map_err(err)?;
        let escope = Env {
            input: &effective,
            ..scope
        };
        let rule = choice::choose(&c.choices, &escope, None).map_err(err)?;
        let (next, assign_t) = match rule {
            Some(r) => (
                entry.st.choice_next.get(rule_index(&c.choices, r)).copied(),
                r.assign.as_ref().or(c.assign.as_ref()),
            ),
            None => (entry.st.default_next, c.assign.as_ref()),
        };
        let Some(next) = next else {
            return Err(no_choice(entry));
        };
        let assigned = assign_t
            .map(|a| template::evaluate_assign(a, &escope, None))
            .transpose()
            .map_err(err)?;
        let out = match (&c.output_path, effective) {
            (None, Cow::Borrowed(_)) => input.clone(),
            (None, Cow::Owned(v)) => Arc::new(v),
            (Some(op), eff) => Arc::new(
                io::apply_path(
                    op,
                    &Env {
                        input: &eff,
                        ..scope
                    },
                )
                .map_err(err)?,
            ),
        };
        assign(frame, assigned);
        Ok(Step::Next(next, out))
    }

    fn succeed(
        &self,
        entry: &Entry<'_>,
        input: Arc<Value>,
        frame: &mut Frame,
    ) -> Result<Step, Failure> {
        let State::Succeed(s) = &entry.st.def else {
            return Err(Failure::new(states::RUNTIME, None));
        };
        let err = |e| self.state_error(entry, e);
        let ctx = self.context_if_needed(entry, frame);
        if entry.st.jsonata {
            let out = match &s.output {
                Some(o) => {
                    let js = self.jsonata_scope(&input, &ctx, &frame.vars);
                    Arc::new(template::evaluate_jsonata(o, "Output", &js).map_err(err)?)
                }
                None => input,
            };
            return Ok(Step::End(out));
        }
        if s.input_path.is_none() && s.output_path.is_none() {
            return Ok(Step::End(input));
        }
        let scope = Env {
            input: &input,
            context: &ctx,
            variables: &frame.vars,
        };
        let effective = match &s.input_path {
            None => (*input).clone(),
            Some(path) => io::apply_path(path, &scope).map_err(err)?,
        };
        let out = match &s.output_path {
            None => effective,
            Some(op) => io::apply_path(
                op,
                &Env {
                    input: &effective,
                    ..scope
                },
            )
            .map_err(err)?,
        };
        Ok(Step::End(Arc::new(out)))
    }

    fn fail(&self, entry: &Entry<'_>, f: &FailState, input: &Value, frame: &Frame) -> Failure {
        let ctx = self.context_if_needed(entry, frame);
        let scope = Env {
            input,
            context: &ctx,
            variables: &frame.vars,
        };
        let js = entry
            .st
            .jsonata
            .then(|| self.jsonata_scope(input, &ctx, &frame.vars));
        let text = |v: Option<&StringOrExpr>, field: &str| -> Result<Option<String>, StatesError> {
            match v {
                None => Ok(None),
                Some(StringOrExpr::String(s)) => Ok(Some(s.clone())),
                // AWS refuses a value that is not a string rather than writing it out.
                Some(StringOrExpr::Jsonata(expr)) => match &js {
                    Some(js) => match ja::evaluate(expr, field, js)? {
                        Value::String(s) => Ok(Some(s)),
                        other => Err(ja::unexpected_type(expr, field, "string", &other)),
                    },
                    None => Ok(Some(expr.as_str().to_owned())),
                },
            }
        };
        let path = |p: Option<&sfn_core::model::PathExpr>,
                    field: &str|
         -> Result<Option<String>, StatesError> {
            match p {
                None => Ok(None),
                Some(p) => match template::evaluate_dynamic(p, field, &scope)? {
                    Value::String(s) => Ok(Some(s)),
                    other => Ok(Some(other.to_string())),
                },
            }
        };
        let error = match (
            text(f.error.as_ref(), "Error"),
            path(f.error_path.as_ref(), "ErrorPath"),
        ) {
            (Ok(a), Ok(b)) => a.or(b),
            (Err(e), _) | (_, Err(e)) => return self.state_error(entry, e),
        };
        let cause = match (
            text(f.cause.as_ref(), "Cause"),
            path(f.cause_path.as_ref(), "CausePath"),
        ) {
            (Ok(a), Ok(b)) => a.or(b),
            (Err(e), _) | (_, Err(e)) => return self.state_error(entry, e),
        };
        Failure::Error {
            error: error.unwrap_or_default(),
            cause,
        }
    }

    // ---- Wait --------------------------------------------------------------------------

    async fn wait(
        &self,
        entry: &Entry<'_>,
        w: &WaitState,
        input: Arc<Value>,
        frame: &mut Frame,
    ) -> Result<Step, Failure> {
        let err = |e| self.state_error(entry, e);
        let ctx = self.context_if_needed(entry, frame);
        let (delay, out, assigned) = if entry.st.jsonata {
            let js = self.jsonata_scope(&input, &ctx, &frame.vars);
            let delay = match (&w.seconds, &w.timestamp) {
                (Some(IntOrExpr::Int(s)), _) => Duration::from_secs(*s),
                (Some(IntOrExpr::Jsonata(expr)), _) => {
                    let v = ja::evaluate(expr, "Seconds", &js).map_err(err)?;
                    match io::as_integer(&v) {
                        Some(s) if s >= 0 => Duration::from_secs(s.unsigned_abs()),
                        _ => return Err(err(ja::unexpected_type(expr, "Seconds", "integer", &v))),
                    }
                }
                (None, Some(ts)) => {
                    let text = match ts {
                        StringOrExpr::String(s) => s.clone(),
                        StringOrExpr::Jsonata(expr) => {
                            match ja::evaluate(expr, "Timestamp", &js).map_err(err)? {
                                Value::String(s) => s,
                                other => other.to_string(),
                            }
                        }
                    };
                    let Some(t) = parse_timestamp(&text) else {
                        return Err(err(StatesError::query_evaluation(format!(
                            "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: {text}"
                        ))));
                    };
                    until(t.with_timezone(&Utc), self.now())
                }
                (None, None) => Duration::ZERO,
            };
            let assigned = w
                .assign
                .as_ref()
                .map(|a| template::evaluate_assign(a, &Env::new(&input), Some(&js)))
                .transpose()
                .map_err(err)?;
            let out = match &w.output {
                Some(o) => Arc::new(template::evaluate_jsonata(o, "Output", &js).map_err(err)?),
                None => input.clone(),
            };
            (delay, out, assigned)
        } else {
            let scope = Env {
                input: &input,
                context: &ctx,
                variables: &frame.vars,
            };
            let effective = io::effective_input(w.input_path.as_ref(), &scope).map_err(err)?;
            let escope = Env {
                input: &effective,
                ..scope
            };
            let delay = if let Some(IntOrExpr::Int(s)) = &w.seconds {
                Duration::from_secs(*s)
            } else if let Some(path) = &w.seconds_path {
                let v = io::select(path, &escope).map_err(err)?;
                match io::as_integer(&v).filter(|s| *s >= 0) {
                    Some(s) if v.as_i64().is_some() || v.as_u64().is_some() => {
                        Duration::from_secs(s.unsigned_abs())
                    }
                    _ => {
                        return Err(err(StatesError::runtime(format!(
                            "The SecondsPath parameter cannot be parsed as a long value: {path} == {v}"
                        ))));
                    }
                }
            } else if let Some(StringOrExpr::String(ts)) = &w.timestamp {
                match parse_timestamp(ts) {
                    Some(t) => until(t.with_timezone(&Utc), self.now()),
                    None => {
                        return Err(err(StatesError::runtime(format!(
                            "The Timestamp parameter is not a valid ISO-8601 extended offset date-time format string: {ts}"
                        ))));
                    }
                }
            } else if let Some(path) = &w.timestamp_path {
                let v = io::select(path, &escope).map_err(err)?;
                match v.as_str().and_then(parse_timestamp) {
                    Some(t) => until(t.with_timezone(&Utc), self.now()),
                    None => {
                        let shown = match &v {
                            Value::String(s) => s.clone(),
                            other => other.to_string(),
                        };
                        return Err(err(StatesError::runtime(format!(
                            "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: {path} == {shown}"
                        ))));
                    }
                }
            } else {
                Duration::ZERO
            };
            let assigned = w
                .assign
                .as_ref()
                .map(|a| template::evaluate_assign(a, &escope, None))
                .transpose()
                .map_err(err)?;
            let out = match (&w.output_path, effective) {
                (None, Cow::Borrowed(_)) => input.clone(),
                (None, Cow::Owned(v)) => Arc::new(v),
                (Some(op), eff) => Arc::new(
                    io::apply_path(
                        op,
                        &Env {
                            input: &eff,
                            ..scope
                        },
                    )
                    .map_err(err)?,
                ),
            };
            (delay, out, assigned)
        };
        self.sleep(delay).await?;
        assign(frame, assigned);
        self.transition(entry, out, frame)
    }

    /// Waits on the clock; a virtual clock just moves, up to the execution's deadline.
    async fn sleep(&self, delay: Duration) -> Result<(), Failure> {
        if delay.is_zero() {
            return Ok(());
        }
        if self.clock.is_virtual() {
            if let Some(deadline) = self.deadline {
                let left = until(deadline, self.now());
                if delay >= left {
                    self.clock.advance(left);
                    return Err(Failure::TimedOut);
                }
            }
            self.clock.advance(delay);
            return Ok(());
        }
        tokio::select! {
            _ = self.cancel.cancelled() => Err(Failure::Aborted),
            _ = self.clock.sleep(delay) => Ok(()),
        }
    }

    // ---- Task --------------------------------------------------------------------------

    async fn task(
        &self,
        entry: &Entry<'_>,
        t: &TaskState,
        input: Arc<Value>,
        frame: &mut Frame,
    ) -> Result<Step, Failure> {
        let mut retry = RetryState::new(t.retry.as_deref().unwrap_or_default());
        loop {
            let mut origin = retry::Origin::State;
            // Every attempt has its own token (`$$.Task.Token`, the activity task's
            // token): an answer to an earlier attempt gets `TaskTimedOut`.
            let token = uuid::Uuid::new_v4().to_string();
            let attempt = self
                .task_attempt(entry, t, &input, frame, retry.count, &token, &mut origin)
                .await;
            self.tasks.forget_token(&token);
            match self.settle(&mut retry, attempt, origin).await? {
                Settled::Done(step) => return Ok(step),
                Settled::Retry => continue,
                Settled::Catch(error) => {
                    let catchers = t.catch.as_deref().unwrap_or_default();
                    return self.catch(entry, catchers, &entry.st.catch_next, input, error, frame);
                }
            }
        }
    }

    /// What follows an attempt: its step, a retry after the policy's delay, or the error
    /// for the state's catchers. Errors no retrier or catcher may take are returned.
    async fn settle(
        &self,
        retry: &mut RetryState<'_>,
        attempt: Result<Step, Failure>,
        origin: retry::Origin,
    ) -> Result<Settled, Failure> {
        let failure = match attempt {
            Ok(step) => return Ok(Settled::Done(step)),
            Err(f) => f,
        };
        let Some((error, cause)) = failure.handleable() else {
            return Err(failure);
        };
        if let Some(delay) = retry.next_delay(error, origin) {
            self.sleep(delay).await?;
            return Ok(Settled::Retry);
        }
        Ok(Settled::Catch((
            error.to_owned(),
            cause.map(str::to_owned),
            origin,
        )))
    }

    /// One attempt: input processing, the call, result processing.
    #[allow(clippy::too_many_arguments)]
    async fn task_attempt(
        &self,
        entry: &Entry<'_>,
        t: &TaskState,
        input: &Arc<Value>,
        frame: &mut Frame,
        retry_count: u64,
        token: &str,
        origin: &mut retry::Origin,
    ) -> Result<Step, Failure> {
        let st = entry.st;
        let err = |e| self.state_error(entry, e);
        let ctx = if st.context.any {
            let item = frame.map_item.as_ref().map(|(i, v)| (*i, v));
            self.context(entry, &st.context, retry_count, item, Some(token))
        } else {
            Value::Null
        };
        let (params, timeout, heartbeat) = {
            let scope = Env {
                input,
                context: &ctx,
                variables: &frame.vars,
            };
            if st.jsonata {
                let js = self.jsonata_scope(input, &ctx, &frame.vars);
                let params = match &t.arguments {
                    Some(a) => {
                        Arc::new(template::evaluate_jsonata(a, "Arguments", &js).map_err(err)?)
                    }
                    None => input.clone(),
                };
                let timeout = int_field(
                    t.timeout_seconds.as_ref(),
                    None,
                    "TimeoutSeconds",
                    &scope,
                    Some(&js),
                )
                .map_err(err)?;
                let heartbeat = int_field(
                    t.heartbeat_seconds.as_ref(),
                    None,
                    "HeartbeatSeconds",
                    &scope,
                    Some(&js),
                )
                .map_err(err)?;
                (params, timeout, heartbeat)
            } else {
                let effective = io::effective_input(t.input_path.as_ref(), &scope).map_err(err)?;
                let escope = Env {
                    input: &effective,
                    ..scope
                };
                let timeout = int_field(
                    t.timeout_seconds.as_ref(),
                    t.timeout_seconds_path.as_ref(),
                    "TimeoutSecondsPath",
                    &escope,
                    None,
                )
                .map_err(err)?;
                let heartbeat = int_field(
                    t.heartbeat_seconds.as_ref(),
                    t.heartbeat_seconds_path.as_ref(),
                    "HeartbeatSecondsPath",
                    &escope,
                    None,
                )
                .map_err(err)?;
                let params = match (&t.parameters, effective) {
                    (Some(p), eff) => Arc::new(
                        template::evaluate(
                            p,
                            &Env {
                                input: &eff,
                                ..scope
                            },
                        )
                        .map_err(err)?,
                    ),
                    (None, Cow::Borrowed(_)) => input.clone(),
                    (None, Cow::Owned(v)) => Arc::new(v),
                };
                (params, timeout, heartbeat)
            }
        };
        let answer = self.answerer(t, &st.name);
        if let Answerer::Activity = answer
            && !self.tasks.activity_exists(t.resource.as_str())
        {
            return Err(err(StatesError::runtime(format!(
                "The activity {} does not exist.",
                t.resource
            ))));
        }
        let (scheduled, started, succeeded, failed, timed_out) = task_events(t);
        self.record(
            frame,
            scheduled,
            EventDetails::TaskScheduled {
                resource_type: st.resource_type.clone(),
                resource: st.resource.clone(),
                parameters: params.clone(),
                timeout_seconds: timeout,
                heartbeat_seconds: heartbeat,
            },
        )?;
        let outcome = self
            .invoke(
                entry,
                t,
                answer,
                Call {
                    params,
                    timeout,
                    heartbeat,
                    token,
                    started,
                },
                frame,
            )
            .await;
        let outcome = outcome.and_then(|v| {
            if over_limit(&v) {
                Err(Failure::new(
                    states::DATA_LIMIT_EXCEEDED,
                    Some(format!(
                        "The state/task '{}' returned a result with a size exceeding the maximum number of bytes service limit.",
                        st.resource
                    )),
                ))
            } else {
                Ok(v)
            }
        });
        let result = match outcome {
            Ok(v) => v,
            Err(Failure::Error { error, cause }) => {
                let ty = if error == states::TIMEOUT || error == states::HEARTBEAT_TIMEOUT {
                    timed_out
                } else {
                    failed
                };
                self.record(
                    frame,
                    ty,
                    EventDetails::TaskFailed {
                        resource_type: st.resource_type.clone(),
                        resource: st.resource.clone(),
                        error: Some(error.clone()),
                        cause: cause.clone(),
                    },
                )?;
                *origin = retry::Origin::Task;
                return Err(Failure::Error { error, cause });
            }
            Err(other) => return Err(other),
        };
        let result = Arc::new(result);
        // Measured above: a result that becomes the output as it is is not measured again.
        frame.verified = Some(result.clone());
        self.record(
            frame,
            succeeded,
            EventDetails::TaskSucceeded {
                resource_type: st.resource_type.clone(),
                resource: st.resource.clone(),
                output: result.clone(),
            },
        )?;
        self.finish_result(
            entry,
            input.clone(),
            result,
            &ctx,
            frame,
            t.result_selector.as_ref(),
            t.result_path.as_ref(),
            t.output_path.as_ref(),
            t.output.as_ref(),
            t.assign.as_ref(),
        )
    }

    /// `ResultSelector`, `Assign`, `ResultPath`, `OutputPath` (JSONPath) or `Assign`,
    /// `Output` (JSONata) of a Task, Parallel or Map.
    #[allow(clippy::too_many_arguments)]
    fn finish_result(
        &self,
        entry: &Entry<'_>,
        input: Arc<Value>,
        result: Arc<Value>,
        ctx: &Value,
        frame: &mut Frame,
        result_selector: Option<&Template>,
        result_path: Option<&NullablePath>,
        output_path: Option<&NullablePath>,
        output: Option<&Template>,
        assign_t: Option<&Template>,
    ) -> Result<Step, Failure> {
        let err = |e| self.state_error(entry, e);
        if entry.st.jsonata {
            let js = self
                .jsonata_scope(&input, ctx, &frame.vars)
                .with_result(&result);
            let assigned = assign_t
                .map(|a| template::evaluate_assign(a, &Env::new(&input), Some(&js)))
                .transpose()
                .map_err(err)?;
            let out = match output {
                Some(o) => Arc::new(template::evaluate_jsonata(o, "Output", &js).map_err(err)?),
                None => result,
            };
            assign(frame, assigned);
            return self.transition(entry, out, frame);
        }
        if result_selector.is_none()
            && result_path.is_none()
            && output_path.is_none()
            && assign_t.is_none()
        {
            // The result is the output, as it is.
            return self.transition(entry, result, frame);
        }
        let selected = match result_selector {
            Some(rs) => template::evaluate(
                rs,
                &Env {
                    input: &result,
                    context: ctx,
                    variables: &frame.vars,
                },
            )
            .map_err(err)?,
            None => Arc::unwrap_or_clone(result),
        };
        let assigned = assign_t
            .map(|a| {
                template::evaluate_assign(
                    a,
                    &Env {
                        input: &selected,
                        context: ctx,
                        variables: &frame.vars,
                    },
                    None,
                )
            })
            .transpose()
            .map_err(err)?;
        let out =
            self.finish_jsonpath(entry, input, selected, result_path, output_path, ctx, frame)?;
        assign(frame, assigned);
        self.transition(entry, out, frame)
    }

    /// Applies the first matching catcher, or gives the failure back.
    #[allow(clippy::too_many_arguments)]
    fn catch(
        &self,
        entry: &Entry<'_>,
        catchers: &[Catcher],
        targets: &[usize],
        input: Arc<Value>,
        (error, cause, origin): (String, Option<String>, retry::Origin),
        frame: &mut Frame,
    ) -> Result<Step, Failure> {
        let Some(catcher) = retry::catcher_for_origin(catchers, &error, origin) else {
            return Err(Failure::Error { error, cause });
        };
        let i = catchers
            .iter()
            .position(|c| std::ptr::eq(c, catcher))
            .unwrap_or(0);
        let Some(&next) = targets.get(i) else {
            return Err(Failure::Error { error, cause });
        };
        let err = |e| self.state_error(entry, e);
        let error_output = retry::error_output(&error, cause.as_deref());
        let ctx = self.context_if_needed(entry, frame);
        let (out, assigned) = if entry.st.jsonata {
            let js = self
                .jsonata_scope(&input, &ctx, &frame.vars)
                .with_error_output(&error_output);
            let assigned = catcher
                .assign
                .as_ref()
                .map(|a| template::evaluate_assign(a, &Env::new(&input), Some(&js)))
                .transpose()
                .map_err(err)?;
            let out = match &catcher.output {
                Some(o) => template::evaluate_jsonata(o, "Output", &js).map_err(err)?,
                None => error_output,
            };
            (out, assigned)
        } else {
            let scope = Env {
                input: &error_output,
                context: &ctx,
                variables: &frame.vars,
            };
            let assigned = catcher
                .assign
                .as_ref()
                .map(|a| template::evaluate_assign(a, &scope, None))
                .transpose()
                .map_err(err)?;
            let out = io::apply_result_path(
                catcher.result_path.as_ref(),
                Arc::unwrap_or_clone(input),
                error_output,
            )
            .map_err(err)?;
            (out, assigned)
        };
        assign(frame, assigned);
        Ok(Step::Next(next, Arc::new(out)))
    }

    /// What answers a Task state: its mocked responses, then a handler registered for
    /// its resource (or for the resource without its `.sync`/`.waitForTaskToken`
    /// suffix), then, for an activity, the activity's queue.
    fn answerer(&self, t: &TaskState, state: &str) -> Answerer {
        if self.mocks.as_ref().is_some_and(|m| m.get(state).is_some()) {
            return Answerer::Mock;
        }
        let handlers = self.handlers.read().unwrap_or_else(PoisonError::into_inner);
        let resource = t.resource.as_str();
        if let Some(h) = handlers.get(resource) {
            return Answerer::Handler(h.clone());
        }
        if let ResourceKind::Service { pattern, .. } = t.resource.kind()
            && pattern != IntegrationPattern::RequestResponse
        {
            let base = [".sync:2", ".sync", ".waitForTaskToken"]
                .iter()
                .find_map(|suffix| resource.strip_suffix(suffix));
            if let Some(h) = base.and_then(|b| handlers.get(b)) {
                return Answerer::Handler(h.clone());
            }
        }
        if let ResourceKind::Activity { .. } = t.resource.kind() {
            return Answerer::Activity;
        }
        Answerer::Nothing
    }

    /// Calls the task's resource; with its timeout and heartbeat.
    async fn invoke(
        &self,
        entry: &Entry<'_>,
        t: &TaskState,
        answer: Answerer,
        call: Call<'_>,
        frame: &mut Frame,
    ) -> Result<Value, Failure> {
        let st = entry.st;
        let started_details = || EventDetails::TaskStarted {
            resource_type: st.resource_type.clone(),
            resource: st.resource.clone(),
        };
        let timeout = call.timeout.map(Duration::from_secs);
        let heartbeat = call.heartbeat.map(Duration::from_secs);
        let pattern = match t.resource.kind() {
            ResourceKind::Service { pattern, .. } => pattern,
            _ => IntegrationPattern::RequestResponse,
        };
        match answer {
            Answerer::Mock => {
                let Some(responses) = self.mocks.as_ref().and_then(|m| m.get(&st.name)) else {
                    return Err(Failure::new(states::RUNTIME, None));
                };
                let n = {
                    let mut counts = lock(&self.mock_counts);
                    let c = counts.entry(st.name.clone()).or_insert(0);
                    *c += 1;
                    *c - 1
                };
                self.record(frame, call.started, started_details())?;
                match responses.response(n) {
                    Some(MockResponse::Return(v)) => Ok(v.clone()),
                    Some(MockResponse::Throw { error, cause }) => {
                        Err(Failure::new(error.clone(), cause.clone()))
                    }
                    None => Err(Failure::new(
                        states::TASK_FAILED,
                        Some(format!(
                            "The mock for the state '{}' has no responses",
                            st.name
                        )),
                    )),
                }
            }
            Answerer::Handler(handler) => {
                // A handler serving an activity (`LocalEngine::serve_activity`) works as a
                // worker in the same process: its token takes heartbeats, and
                // `HeartbeatSeconds` holds.
                let activity = matches!(t.resource.kind(), ResourceKind::Activity { .. });
                let started = if activity {
                    EventDetails::ActivityStarted { worker_name: None }
                } else {
                    started_details()
                };
                self.record(frame, call.started, started)?;
                let wait_for_token = pattern == IntegrationPattern::WaitForTaskToken;
                let mut wait = (wait_for_token || activity)
                    .then(|| self.tasks.register_token(call.token, &self.cancel));
                let beats = wait.as_ref().map(|w| w.heartbeat.clone());
                let request = TaskRequest {
                    resource: t.resource.to_string(),
                    state_name: st.name.to_string(),
                    execution_arn: self.execution_arn.to_string(),
                    input: (*call.params).clone(),
                    task_token: Some(call.token.to_owned()),
                    integration_pattern: pattern,
                };
                let history = frame.history.clone();
                // The events recorded while the call is out follow this thread's own
                // last event, not whatever a sibling branch recorded last.
                let last = std::sync::atomic::AtomicU64::new(frame.last);
                let run = async {
                    let call = handler.call(request);
                    let direct = match (&beats, activity) {
                        (Some(beats), true) => self.with_heartbeat(call, beats, heartbeat).await,
                        _ => call.await,
                    }
                    .map_err(|f| Failure::new(f.error, f.cause))?;
                    if !wait_for_token {
                        return Ok(direct);
                    }
                    let Some(wait) = wait.as_mut() else {
                        return Ok(direct);
                    };
                    // The call went out; now the task waits for its token.
                    {
                        if self.stopped.is_set() {
                            return Err(Failure::Aborted);
                        }
                        let now = self.now();
                        let id = lock(&history)
                            .push(
                                last.load(Ordering::Acquire),
                                now,
                                EventType::TaskSubmitted,
                                EventDetails::TaskSucceeded {
                                    resource_type: st.resource_type.clone(),
                                    resource: st.resource.clone(),
                                    output: Arc::new(direct),
                                },
                            )
                            .map_err(|_| Failure::HistoryFull)?;
                        last.store(id, Ordering::Release);
                    }
                    self.wait_for_token(wait, heartbeat).await
                };
                let r = self.with_timeout(run, timeout).await;
                frame.last = last.load(Ordering::Acquire);
                r
            }
            Answerer::Activity => {
                let arn = t.resource.as_str();
                let mut wait = self.tasks.register_token(call.token, &self.cancel);
                if !self.tasks.enqueue(
                    arn,
                    super::task::ActivityTask {
                        task_token: call.token.to_owned(),
                        input: (*call.params).clone(),
                    },
                ) {
                    return Err(self.state_error(
                        entry,
                        StatesError::runtime(format!("The activity {arn} does not exist.")),
                    ));
                }
                let history = frame.history.clone();
                let last = std::sync::atomic::AtomicU64::new(frame.last);
                let run = async {
                    // Wait for a worker to take it, then for its answer.
                    let worker_name = match (&mut wait.started).await {
                        Ok(name) => name,
                        Err(_) => {
                            return Err(Failure::new(
                                states::TASK_FAILED,
                                Some("The activity task was dropped".into()),
                            ));
                        }
                    };
                    {
                        if self.stopped.is_set() {
                            return Err(Failure::Aborted);
                        }
                        let now = self.now();
                        let id = lock(&history)
                            .push(
                                last.load(Ordering::Acquire),
                                now,
                                call.started,
                                EventDetails::ActivityStarted { worker_name },
                            )
                            .map_err(|_| Failure::HistoryFull)?;
                        last.store(id, Ordering::Release);
                    }
                    self.wait_for_token(&mut wait, heartbeat).await
                };
                let r = self.with_timeout(run, timeout).await;
                frame.last = last.load(Ordering::Acquire);
                r
            }
            Answerer::Nothing => Err(Failure::new(
                states::RUNTIME,
                Some(format!(
                    "An error occurred while executing the state '{}' (entered at the event id #{}). No mock, handler or activity answers the resource '{}'.",
                    st.name, entry.event_id, t.resource
                )),
            )),
        }
    }

    /// Waits for a token's answer; `HeartbeatSeconds` without a heartbeat fails it with
    /// `States.HeartbeatTimeout`.
    async fn wait_for_token(
        &self,
        wait: &mut TokenWait,
        heartbeat: Option<Duration>,
    ) -> Result<Value, Failure> {
        loop {
            let beat = wait.heartbeat.notified();
            let hb = async {
                match heartbeat {
                    Some(h) => self.clock.sleep(h).await,
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                biased;
                r = &mut wait.outcome => return match r {
                    Ok(TokenOutcome::Success(v)) => Ok(v),
                    Ok(TokenOutcome::Failure(TaskFailure { error, cause })) => {
                        Err(Failure::new(error, cause))
                    }
                    Err(_) => Err(Failure::new(
                        states::TASK_FAILED,
                        Some("The task token was dropped".into()),
                    )),
                },
                _ = beat => continue,
                _ = hb => return Err(Failure::new(states::HEARTBEAT_TIMEOUT, None)),
            }
        }
    }

    /// Runs a handler's call; `HeartbeatSeconds` without a heartbeat on its token fails
    /// it with `States.HeartbeatTimeout`.
    async fn with_heartbeat(
        &self,
        call: crate::activity::BoxFuture<'static, Result<Value, TaskFailure>>,
        beats: &tokio::sync::Notify,
        heartbeat: Option<Duration>,
    ) -> Result<Value, TaskFailure> {
        tokio::pin!(call);
        loop {
            let beat = beats.notified();
            let hb = async {
                match heartbeat {
                    Some(h) => self.clock.sleep(h).await,
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                biased;
                r = &mut call => return r,
                _ = beat => continue,
                _ = hb => return Err(TaskFailure { error: states::HEARTBEAT_TIMEOUT.to_owned(), cause: None }),
            }
        }
    }

    async fn with_timeout<F>(&self, fut: F, timeout: Option<Duration>) -> Result<Value, Failure>
    where
        F: Future<Output = Result<Value, Failure>>,
    {
        let timer = async {
            match timeout {
                Some(d) => self.clock.sleep(d).await,
                None => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            biased;
            r = fut => r,
            _ = self.cancel.cancelled() => Err(Failure::Aborted),
            _ = timer => Err(Failure::new(states::TIMEOUT, None)),
        }
    }

    // ---- Parallel ----------------------------------------------------------------------

    async fn parallel(
        &self,
        entry: &Entry<'_>,
        p: &ParallelState,
        input: Arc<Value>,
        frame: &mut Frame,
    ) -> Result<Step, Failure> {
        let mut retry = RetryState::new(p.retry.as_deref().unwrap_or_default());
        loop {
            let attempt = self.parallel_attempt(entry, p, &input, frame).await;
            match self
                .settle(&mut retry, attempt, retry::Origin::State)
                .await?
            {
                Settled::Done(step) => return Ok(step),
                Settled::Retry => continue,
                Settled::Catch(error) => {
                    let catchers = p.catch.as_deref().unwrap_or_default();
                    return self.catch(entry, catchers, &entry.st.catch_next, input, error, frame);
                }
            }
        }
    }

    async fn parallel_attempt(
        &self,
        entry: &Entry<'_>,
        p: &ParallelState,
        input: &Arc<Value>,
        frame: &mut Frame,
    ) -> Result<Step, Failure> {
        let st = entry.st;
        let err = |e| self.state_error(entry, e);
        let ctx = self.context_if_needed(entry, frame);
        let branch_input = if st.jsonata {
            match &p.arguments {
                Some(a) => {
                    let js = self.jsonata_scope(input, &ctx, &frame.vars);
                    Arc::new(template::evaluate_jsonata(a, "Arguments", &js).map_err(err)?)
                }
                None => input.clone(),
            }
        } else {
            let scope = Env {
                input,
                context: &ctx,
                variables: &frame.vars,
            };
            let effective = io::effective_input(p.input_path.as_ref(), &scope).map_err(err)?;
            match (&p.parameters, effective) {
                (Some(t), eff) => Arc::new(
                    template::evaluate(
                        t,
                        &Env {
                            input: &eff,
                            ..scope
                        },
                    )
                    .map_err(err)?,
                ),
                (None, Cow::Borrowed(_)) => input.clone(),
                (None, Cow::Owned(v)) => Arc::new(v),
            }
        };
        let started = self.record(frame, EventType::ParallelStateStarted, EventDetails::None)?;
        let mut branches: FuturesUnordered<_> = st
            .nested
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let mut f = Frame {
                    history: frame.history.clone(),
                    last: started,
                    vars: frame.vars.clone(),
                    map_item: None,
                    verified: frame
                        .verified
                        .clone()
                        .filter(|v| Arc::ptr_eq(v, &branch_input)),
                };
                let data = branch_input.clone();
                async move {
                    let r = self.run_scope(b, data, &mut f).await;
                    (i, r, f.last)
                }
            })
            .collect();
        // The first failure ends the branches; a stop lets every branch record its
        // aborts first. The state's closing event follows the latest event its own
        // branches recorded.
        let mut outputs: Vec<Option<Arc<Value>>> = vec![None; st.nested.len()];
        let mut failure = None;
        let mut last = started;
        while let Some((i, r, branch_last)) = branches.next().await {
            last = last.max(branch_last);
            match r {
                Ok(out) => {
                    if let Some(slot) = outputs.get_mut(i) {
                        *slot = Some(out);
                    }
                }
                Err(Failure::Aborted) => failure = Some(Failure::Aborted),
                Err(f) => {
                    failure = Some(f);
                    break;
                }
            }
        }
        drop(branches);
        frame.last = last;
        let results = match failure {
            None => outputs.into_iter().flatten().collect::<Vec<_>>(),
            Some(f) => {
                if let Failure::Error { error, cause } = &f {
                    self.record(
                        frame,
                        EventType::ParallelStateFailed,
                        EventDetails::Failure {
                            error: Some(error.clone()),
                            cause: cause.clone(),
                        },
                    )?;
                }
                return Err(f);
            }
        };
        self.record(frame, EventType::ParallelStateSucceeded, EventDetails::None)?;
        let result = Arc::new(Value::Array(
            results.into_iter().map(Arc::unwrap_or_clone).collect(),
        ));
        self.finish_result(
            entry,
            input.clone(),
            result,
            &ctx,
            frame,
            p.result_selector.as_ref(),
            p.result_path.as_ref(),
            p.output_path.as_ref(),
            p.output.as_ref(),
            p.assign.as_ref(),
        )
    }

    // ---- Map ---------------------------------------------------------------------------

    async fn map(
        &self,
        entry: &Entry<'_>,
        m: &MapState,
        input: Arc<Value>,
        frame: &mut Frame,
    ) -> Result<Step, Failure> {
        let mut retry = RetryState::new(m.retry.as_deref().unwrap_or_default());
        loop {
            let attempt = self.map_attempt(entry, m, &input, frame).await;
            match self
                .settle(&mut retry, attempt, retry::Origin::State)
                .await?
            {
                Settled::Done(step) => return Ok(step),
                Settled::Retry => continue,
                Settled::Catch(error) => {
                    let catchers = m.catch.as_deref().unwrap_or_default();
                    return self.catch(entry, catchers, &entry.st.catch_next, input, error, frame);
                }
            }
        }
    }

    async fn map_attempt(
        &self,
        entry: &Entry<'_>,
        m: &MapState,
        input: &Arc<Value>,
        frame: &mut Frame,
    ) -> Result<Step, Failure> {
        let st = entry.st;
        let err = |e| self.state_error(entry, e);
        let ctx = self.context_if_needed(entry, frame);
        let distributed = m.processor().is_some_and(|p| p.is_distributed());
        let Some(processor) = st.nested.first() else {
            return Err(err(StatesError::runtime(
                "The Map state has no ItemProcessor",
            )));
        };
        if let Some(reader) = &m.item_reader {
            return Err(Failure::new(
                states::ITEM_READER_FAILED,
                Some(format!(
                    "The local engine has no data store to read items from with '{}'; give the items in the input instead.",
                    reader.resource
                )),
            ));
        }
        let vars = frame.vars.clone();
        let (inputs, _count, max_concurrency, tolerated_count, tolerated_pct, run_started, sizes) = {
            let scope = Env {
                input,
                context: &ctx,
                variables: &vars,
            };
            let js = st.jsonata.then(|| self.jsonata_scope(input, &ctx, &vars));
            // The effective input, the items, and the numbers that shape the run.
            let effective: Cow<'_, Value> = match (&js, &m.input_path) {
                (None, Some(path)) => Cow::Owned(io::apply_path(path, &scope).map_err(err)?),
                _ => Cow::Borrowed(&**input),
            };
            let escope = Env {
                input: &effective,
                ..scope
            };
            let items: Vec<Value> = match &js {
                Some(js) => match &m.items {
                    Some(Template::Jsonata(expr)) => match ja::evaluate(expr, "Items", js)
                        .map_err(err)?
                    {
                        Value::Array(a) => a,
                        other => {
                            return Err(err(ja::unexpected_type(expr, "Items", "array", &other)));
                        }
                    },
                    Some(t) => match template::evaluate_jsonata(t, "Items", js).map_err(err)? {
                        Value::Array(a) => a,
                        other => {
                            return Err(err(StatesError::query_evaluation(format!(
                                "Map state input must be an array but was: {other}"
                            ))));
                        }
                    },
                    None => match &**input {
                        Value::Array(a) => a.clone(),
                        other => {
                            return Err(err(StatesError::query_evaluation(format!(
                                "Map state input must be an array but was: {other}"
                            ))));
                        }
                    },
                },
                None => {
                    let v = match &m.items_path {
                        Some(p) => io::select(p, &escope).map_err(err)?,
                        None => effective.clone().into_owned(),
                    };
                    match v {
                        Value::Array(a) => a,
                        other => {
                            return Err(err(StatesError::runtime(format!(
                                "Map state input must be an array but was: {other}"
                            ))));
                        }
                    }
                }
            };
            let max_concurrency = int_field(
                m.max_concurrency.as_ref(),
                m.max_concurrency_path.as_ref(),
                "MaxConcurrencyPath",
                &escope,
                js.as_ref(),
            )
            .map_err(err)?
            .unwrap_or(0);
            let tolerated_count = match int_field_signed(
                m.tolerated_failure_count.as_ref(),
                m.tolerated_failure_count_path.as_ref(),
                "ToleratedFailureCountPath",
                &escope,
                js.as_ref(),
            )
            .map_err(err)?
            {
                Some(n) if n < 0 => {
                    return Err(err(StatesError::runtime(
                        "ToleratedFailureCount cannot be negative.",
                    )));
                }
                n => n.map(|n| n.unsigned_abs()),
            };
            let tolerated_pct = number_field(
                m.tolerated_failure_percentage.as_ref(),
                m.tolerated_failure_percentage_path.as_ref(),
                "ToleratedFailurePercentagePath",
                &escope,
                js.as_ref(),
            )
            .map_err(err)?;
            if let Some(p) = tolerated_pct
                && !(0.0..=100.0).contains(&p)
            {
                return Err(err(StatesError::runtime(
                    "ToleratedFailurePercentage must be between 0 and 100.",
                )));
            }
            // Batches.
            let items = match &m.item_batcher {
                Some(b) => {
                    let per_batch = int_field(
                        b.max_items_per_batch.as_ref(),
                        b.max_items_per_batch_path.as_ref(),
                        "MaxItemsPerBatchPath",
                        &escope,
                        js.as_ref(),
                    )
                    .map_err(err)?
                    .unwrap_or(0);
                    let batch_input = match (&b.batch_input, &js) {
                        (Some(t), Some(js)) => {
                            Some(template::evaluate_jsonata(t, "BatchInput", js).map_err(err)?)
                        }
                        (Some(t), None) => Some(template::evaluate(t, &escope).map_err(err)?),
                        (None, _) => None,
                    };
                    let size = if per_batch == 0 {
                        items.len().max(1)
                    } else {
                        usize::try_from(per_batch).unwrap_or(usize::MAX)
                    };
                    let batches: Vec<Value> = items
                        .chunks(size)
                        .map(|chunk| {
                            let mut o = Map::new();
                            if let Some(bi) = &batch_input {
                                o.insert("BatchInput".into(), bi.clone());
                            }
                            o.insert("Items".into(), Value::Array(chunk.to_vec()));
                            Value::Object(o)
                        })
                        .collect();
                    let sizes = items.chunks(size).map(<[Value]>::len).collect();
                    (batches, Some(sizes))
                }
                None => (items, None),
            };
            let (items, sizes): (Vec<Value>, Option<Vec<usize>>) = items;
            let count = items.len();
            let run_started = self.record(
                frame,
                EventType::MapStateStarted,
                EventDetails::MapStateStarted { length: count },
            )?;
            // Each iteration's input.
            let selector = m.item_selector.as_ref().or(m.parameters.as_ref());
            let mut inputs = Vec::with_capacity(count);
            for (index, item) in items.into_iter().enumerate() {
                let v = match selector {
                    None => item,
                    Some(sel) => {
                        // Each item's context object, only when the selector reads it.
                        let ictx = if st.selector_context.any {
                            self.context(entry, &st.selector_context, 0, Some((index, &item)), None)
                        } else {
                            Value::Null
                        };
                        match &js {
                            Some(_) => {
                                let ijs = self.jsonata_scope(input, &ictx, &vars);
                                template::evaluate_jsonata(sel, "ItemSelector", &ijs)
                                    .map_err(err)?
                            }
                            None => template::evaluate(
                                sel,
                                &Env {
                                    input: &effective,
                                    context: &ictx,
                                    variables: &vars,
                                },
                            )
                            .map_err(err)?,
                        }
                    }
                };
                inputs.push(v);
            }
            (
                inputs,
                count,
                max_concurrency,
                tolerated_count,
                tolerated_pct,
                run_started,
                sizes,
            )
        };
        // An inline Map runs at most 40 iterations at a time whatever its MaxConcurrency
        // ("the Map state supports up to 40 concurrent iterations",
        // https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html); a
        // distributed Map without MaxConcurrency runs 10,000 child executions at a time
        // (https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html).
        let limit = match (max_concurrency, distributed) {
            (0, false) => INLINE_MAP_CONCURRENCY,
            (n, false) => {
                usize::try_from(n).map_or(INLINE_MAP_CONCURRENCY, |n| n.min(INLINE_MAP_CONCURRENCY))
            }
            (0, true) => DISTRIBUTED_MAP_CONCURRENCY,
            (n, true) => usize::try_from(n).unwrap_or(usize::MAX),
        };
        let item_in_context = scope_needs_context(processor);
        let outputs = if distributed {
            let settings = MapRunSettings {
                processor,
                label: m.label.as_deref().unwrap_or(&st.name),
                express: m
                    .processor()
                    .and_then(|p| p.processor_config.as_ref())
                    .and_then(|c| c.execution_type)
                    == Some(sfn_core::model::ExecutionType::Express),
                max_concurrency,
                limit,
                tolerated_count,
                tolerated_pct,
                item_in_context,
                result_writer: m.result_writer.is_some(),
            };
            self.map_run(settings, inputs, sizes, frame).await?
        } else {
            let writer = m.result_writer.is_some();
            let shape = (limit, item_in_context, writer);
            self.inline_iterations(st, processor, inputs, shape, run_started, frame)
                .await?
        };
        let result = Arc::new(Value::Array(outputs));
        self.finish_result(
            entry,
            input.clone(),
            result,
            &ctx,
            frame,
            m.result_selector.as_ref(),
            m.result_path.as_ref(),
            m.output_path.as_ref(),
            m.output.as_ref(),
            m.assign.as_ref(),
        )
    }
}

impl Run {
    /// An inline Map's iterations, in the execution's own history: at most `limit` at a
    /// time; the first failure ends them, a stop lets each record its abort.
    async fn inline_iterations(
        &self,
        st: &StatePlan,
        processor: &ScopePlan,
        inputs: Vec<Value>,
        (limit, item_in_context, result_writer): (usize, bool, bool),
        run_started: u64,
        frame: &mut Frame,
    ) -> Result<Vec<Value>, Failure> {
        let count = inputs.len();
        let name = st.name.clone();
        let runs = inputs.into_iter().enumerate().map(|(index, v)| {
            let mut f = Frame {
                history: frame.history.clone(),
                last: run_started,
                vars: frame.vars.clone(),
                map_item: item_in_context.then(|| (index, v.clone())),
                verified: None,
            };
            let name = name.clone();
            async move {
                if let Err(e) = self.record(
                    &mut f,
                    EventType::MapIterationStarted,
                    EventDetails::MapIteration {
                        name: name.clone(),
                        index,
                    },
                ) {
                    return (Err(e), f.last);
                }
                let r = self.run_scope(processor, Arc::new(v), &mut f).await;
                let details = EventDetails::MapIteration { name, index };
                let recorded = match &r {
                    Ok(_) => self
                        .record(&mut f, EventType::MapIterationSucceeded, details)
                        .map(drop),
                    Err(Failure::Aborted) => {
                        self.record_abort(&mut f, EventType::MapIterationAborted, details);
                        Ok(())
                    }
                    Err(_) => self
                        .record(&mut f, EventType::MapIterationFailed, details)
                        .map(drop),
                };
                (recorded.and(r), f.last)
            }
        });
        // The state's closing event follows the latest event its own iterations recorded.
        let mut results = stream::iter(runs).buffered(limit.max(1));
        let mut outputs = Vec::with_capacity(count);
        let mut aborted = false;
        let mut last = run_started;
        while let Some((r, iteration_last)) = results.next().await {
            last = last.max(iteration_last);
            match r {
                Ok(v) => outputs.push(Arc::unwrap_or_clone(v)),
                // Iterations not yet started see the stop at once and record nothing.
                Err(Failure::Aborted) => aborted = true,
                Err(f @ (Failure::HistoryFull | Failure::TimedOut)) => return Err(f),
                Err(f) => {
                    drop(results);
                    frame.last = last;
                    if let Failure::Error { error, cause } = &f {
                        self.record(
                            frame,
                            EventType::MapStateFailed,
                            EventDetails::Failure {
                                error: Some(error.clone()),
                                cause: cause.clone(),
                            },
                        )?;
                    }
                    return Err(f);
                }
            }
        }
        drop(results);
        frame.last = last;
        if aborted {
            return Err(Failure::Aborted);
        }
        if result_writer {
            return Err(result_writer_failure());
        }
        self.record(frame, EventType::MapStateSucceeded, EventDetails::None)?;
        Ok(outputs)
    }
}

/// `ResultWriter` needs a data store the local engine does not have.
pub(crate) fn result_writer_failure() -> Failure {
    Failure::new(
        states::RESULT_WRITER_FAILED,
        Some("The local engine has no data store to write results to; remove ResultWriter to get the results as the state's output.".into()),
    )
}

/// How a distributed Map runs its Map Run.
pub(crate) struct MapRunSettings<'a> {
    pub(crate) processor: &'a ScopePlan,
    /// `Label`, or the state's name.
    pub(crate) label: &'a str,
    /// Whether the child executions are Express.
    pub(crate) express: bool,
    /// `MaxConcurrency` as given (0: unlimited).
    pub(crate) max_concurrency: u64,
    /// The children run at a time.
    pub(crate) limit: usize,
    pub(crate) tolerated_count: Option<u64>,
    pub(crate) tolerated_pct: Option<f64>,
    pub(crate) item_in_context: bool,
    pub(crate) result_writer: bool,
}

/// Whether `value` is larger than the payload limit.
fn over_limit(value: &Value) -> bool {
    #[cfg(test)]
    tests::MEASURED.with(|n| n.set(n.get() + 1));
    limits::exceeds_limit(value)
}

/// Whether any state of a scope, nested ones included, reads the context object.
fn scope_needs_context(scope: &ScopePlan) -> bool {
    scope
        .states
        .iter()
        .any(|s| s.needs_context() || s.nested.iter().any(scope_needs_context))
}

/// The retries a state has made, per retrier and in all.
struct RetryState<'r> {
    retriers: &'r [Retrier],
    per_retrier: Vec<u64>,
    /// Retries so far (`$$.State.RetryCount`).
    count: u64,
}

impl<'r> RetryState<'r> {
    fn new(retriers: &'r [Retrier]) -> Self {
        RetryState {
            retriers,
            per_retrier: vec![0; retriers.len()],
            count: 0,
        }
    }

    /// The delay before the next attempt, if a retrier takes `error` and has attempts
    /// left; counts the retry.
    fn next_delay(&mut self, error: &str, origin: retry::Origin) -> Option<std::time::Duration> {
        let i = retry::retrier_for_origin(self.retriers, error, origin)?;
        let delay = retry::retry_delay(&self.retriers[i], self.per_retrier[i], fastrand::f64())?;
        self.per_retrier[i] += 1;
        self.count += 1;
        Some(delay)
    }
}

/// What follows a state's attempt.
enum Settled {
    /// It completed.
    Done(Step),
    /// Try again (the delay has passed).
    Retry,
    /// No retrier took the error: the catchers get it.
    Catch((String, Option<String>, retry::Origin)),
}

fn assign(frame: &mut Frame, assigned: Option<Map<String, Value>>) {
    if let Some(vars) = assigned {
        for (k, v) in vars {
            frame.vars.insert(k, v);
        }
    }
}

fn rule_index(rules: &[sfn_core::model::ChoiceRule], rule: &sfn_core::model::ChoiceRule) -> usize {
    rules
        .iter()
        .position(|r| std::ptr::eq(r, rule))
        .unwrap_or(usize::MAX)
}

fn no_choice(entry: &Entry<'_>) -> Failure {
    Failure::new(
        states::NO_CHOICE_MATCHED,
        Some(format!(
            "An error occurred while executing the state '{}' (entered at the event id #{}). No Matches!",
            entry.st.name, entry.event_id
        )),
    )
}

fn until(t: DateTime<Utc>, now: DateTime<Utc>) -> Duration {
    (t - now).to_std().unwrap_or(Duration::ZERO)
}

/// An integer field given as a literal, a JSONata expression or a path.
fn int_field(
    literal: Option<&IntOrExpr>,
    path: Option<&JsonPath>,
    path_field: &str,
    scope: &Env<'_>,
    js: Option<&JsonataEnv<'_>>,
) -> Result<Option<u64>, StatesError> {
    Ok(int_field_signed(literal, path, path_field, scope, js)?.map(|n| n.max(0).unsigned_abs()))
}

fn int_field_signed(
    literal: Option<&IntOrExpr>,
    path: Option<&JsonPath>,
    path_field: &str,
    scope: &Env<'_>,
    js: Option<&JsonataEnv<'_>>,
) -> Result<Option<i64>, StatesError> {
    match (literal, path) {
        (Some(IntOrExpr::Int(n)), _) => Ok(Some(i64::try_from(*n).unwrap_or(i64::MAX))),
        (Some(IntOrExpr::Jsonata(expr)), _) => {
            let field = path_field.strip_suffix("Path").unwrap_or(path_field);
            let Some(js) = js else { return Ok(None) };
            let v = ja::evaluate(expr, field, js)?;
            io::as_integer(&v)
                .map(Some)
                .ok_or_else(|| ja::unexpected_type(expr, field, "integer", &v))
        }
        (None, Some(p)) => io::integer_from_path(path_field, p, scope).map(Some),
        (None, None) => Ok(None),
    }
}

fn number_field(
    literal: Option<&NumberOrExpr>,
    path: Option<&JsonPath>,
    path_field: &str,
    scope: &Env<'_>,
    js: Option<&JsonataEnv<'_>>,
) -> Result<Option<f64>, StatesError> {
    match (literal, path) {
        (Some(NumberOrExpr::Number(n)), _) => Ok(n.as_f64()),
        (Some(NumberOrExpr::Jsonata(expr)), _) => {
            let field = path_field.strip_suffix("Path").unwrap_or(path_field);
            let Some(js) = js else { return Ok(None) };
            let v = ja::evaluate(expr, field, js)?;
            v.as_f64()
                .map(Some)
                .ok_or_else(|| ja::unexpected_type(expr, field, "number", &v))
        }
        (None, Some(p)) => io::float_from_path(path_field, p, scope).map(Some),
        (None, None) => Ok(None),
    }
}

fn entered_type(s: &State) -> EventType {
    match s {
        State::Pass(_) => EventType::PassStateEntered,
        State::Task(_) => EventType::TaskStateEntered,
        State::Choice(_) => EventType::ChoiceStateEntered,
        State::Wait(_) => EventType::WaitStateEntered,
        State::Succeed(_) => EventType::SucceedStateEntered,
        State::Fail(_) => EventType::FailStateEntered,
        State::Parallel(_) => EventType::ParallelStateEntered,
        State::Map(_) => EventType::MapStateEntered,
    }
}

/// The event that closes a state a stop caught in flight. A Wait has none: AWS closes it
/// with `ExecutionAborted` alone (`TestSnfApi_test_stop_execution`).
fn aborted_type(s: &State) -> Option<EventType> {
    match s {
        State::Task(_) => Some(EventType::TaskStateAborted),
        State::Parallel(_) => Some(EventType::ParallelStateAborted),
        State::Map(_) => Some(EventType::MapStateAborted),
        _ => None,
    }
}

fn exited_type(s: &State) -> Option<EventType> {
    Some(match s {
        State::Pass(_) => EventType::PassStateExited,
        State::Task(_) => EventType::TaskStateExited,
        State::Choice(_) => EventType::ChoiceStateExited,
        State::Wait(_) => EventType::WaitStateExited,
        State::Succeed(_) => EventType::SucceedStateExited,
        State::Fail(_) => return None,
        State::Parallel(_) => EventType::ParallelStateExited,
        State::Map(_) => EventType::MapStateExited,
    })
}

/// Scheduled, started, succeeded, failed, timed out: by resource kind.
fn task_events(t: &TaskState) -> (EventType, EventType, EventType, EventType, EventType) {
    use EventType::*;
    match t.resource.kind() {
        ResourceKind::Activity { .. } => (
            ActivityScheduled,
            ActivityStarted,
            ActivitySucceeded,
            ActivityFailed,
            ActivityTimedOut,
        ),
        ResourceKind::LambdaFunction { .. } => (
            LambdaFunctionScheduled,
            LambdaFunctionStarted,
            LambdaFunctionSucceeded,
            LambdaFunctionFailed,
            LambdaFunctionTimedOut,
        ),
        _ => (
            TaskScheduled,
            TaskStarted,
            TaskSucceeded,
            TaskFailed,
            TaskTimedOut,
        ),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::cell::Cell;

    use serde_json::json;

    use crate::local::{ExecutionStatus, LocalEngine, StartExecution, VirtualClock};

    thread_local! {
        /// How many payloads this thread measured against the limit.
        pub(crate) static MEASURED: Cell<usize> = const { Cell::new(0) };
    }

    /// A loop of 500 Choice → Wait rounds over a 200 KB input that no state changes.
    const LOOP: &str = r#"{"StartAt": "Init", "States": {
        "Init": {"Type": "Pass", "Result": 0, "ResultPath": "$.n", "Next": "Check"},
        "Check": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThanEquals": 1, "Next": "Done"}], "Default": "Nap"},
        "Nap": {"Type": "Wait", "Seconds": 1, "Next": "Nap2"},
        "Nap2": {"Type": "Wait", "Seconds": 1, "Next": "Count"},
        "Count": {"Type": "Pass", "Parameters": {"big.$": "$.big", "n.$": "States.MathAdd($.n, 1)"}, "Next": "Again"},
        "Again": {"Type": "Wait", "Seconds": 1, "Next": "Check2"},
        "Check2": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThanEquals": 500, "Next": "Done"}], "Default": "Again2"},
        "Again2": {"Type": "Wait", "Seconds": 1, "Next": "Count"},
        "Done": {"Type": "Succeed"}}}"#;

    // A current-thread runtime: the execution runs on this thread, which counts.
    #[tokio::test]
    async fn an_output_that_is_its_input_is_not_measured_again() {
        let engine = LocalEngine::with_clock(std::sync::Arc::new(VirtualClock::default()));
        let arn = engine.create_state_machine_json("loop", LOOP);
        let Ok(arn) = arn else { panic!("{arn:?}") };
        let big = "x".repeat(200_000);
        MEASURED.with(|n| n.set(0));
        let started = std::time::Instant::now();
        let run = engine
            .start_execution(&arn, StartExecution::new(json!({"big": big})))
            .await;
        let Ok(run) = run else { panic!("{run:?}") };
        let done = run.wait().await;
        let Ok(done) = done else { panic!("{done:?}") };
        let elapsed = started.elapsed();
        assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
        let measured = MEASURED.with(Cell::get);
        let transitions = run
            .history()
            .events()
            .iter()
            .filter(|e| e.event_type.as_str().ends_with("StateEntered"))
            .count();
        println!(
            "{transitions} transitions over 200 KB in {elapsed:?}, {measured} payloads measured"
        );
        // Each round measures what it changes: Init's output, then each Count's; the
        // Waits pass their input through, and the Choices are not measured.
        assert_eq!(measured, 1 + 500, "{transitions} transitions");
    }

    // A task's result is measured once, whether it becomes the output as it is or
    // passes through the states after it.
    #[tokio::test]
    async fn a_task_result_is_measured_once() {
        const ECHO: &str = "arn:aws:lambda:us-east-1:123456789012:function:echo";
        let engine = LocalEngine::with_clock(std::sync::Arc::new(VirtualClock::default()));
        engine.register_handler(ECHO, |req: crate::local::TaskRequest| async move {
            Ok(req.input)
        });
        let def = format!(
            r#"{{"StartAt": "T", "States": {{
                "T": {{"Type": "Task", "Resource": "{ECHO}", "Next": "W"}},
                "W": {{"Type": "Wait", "Seconds": 1, "Next": "J"}},
                "J": {{"Type": "Task", "QueryLanguage": "JSONata", "Resource": "{ECHO}", "End": true}}}}}}"#
        );
        let arn = engine.create_state_machine_json("echo", &def);
        let Ok(arn) = arn else { panic!("{arn:?}") };
        MEASURED.with(|n| n.set(0));
        let run = engine
            .start_execution(&arn, StartExecution::new(json!({"big": "x".repeat(1000)})))
            .await;
        let Ok(run) = run else { panic!("{run:?}") };
        let done = run.wait().await;
        let Ok(done) = done else { panic!("{done:?}") };
        assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
        assert_eq!(MEASURED.with(Cell::get), 2, "one per task result");
    }
}
