//! The interpreter: runs a compiled scope state by state.
//!
//! Pure states (Pass, Choice, Succeed, Fail, and Wait on a virtual clock) are stepped
//! synchronously in a loop: no task, channel or await per transition. Tasks, Waits on a
//! real clock, Parallel and Map suspend. Parallel branches and Map iterations run
//! concurrently on the execution's own task.
//!
//! This file holds the run loop and what every state shares (the context object, the
//! step to the next state); each state kind has its own file:
//!
//! | file | what it runs |
//! |---|---|
//! | `flow.rs` | Pass, Choice, Succeed, Fail |
//! | `wait.rs` | Wait, and every sleep on the engine's clock |
//! | `task.rs` | Task: mocks, handlers, activities, task tokens, timeouts, heartbeats |
//! | `nested.rs` | Task on `states:startExecution`: a child execution on the same engine |
//! | `parallel.rs` | Parallel |
//! | `map.rs` | Map, inline (distributed: `local/map_run.rs`) |
//! | `items.rs` | a distributed Map's `ItemReader` and `ResultWriter` on the engine's object store |
//! | `retry.rs` | `Retry` and `Catch` of Task, Parallel and Map |
//! | `output.rs` | a result into the state's output: `ResultSelector`, `ResultPath`, `OutputPath`, `Output`, `Assign` |
//! | `events.rs` | history event recording |
//! | `probe.rs` | what TestState notes of a state's steps, and the circumstances it pretends |

mod events;
mod flow;
mod items;
mod map;
mod nested;
mod output;
mod parallel;
mod probe;
mod retry;
mod task;
mod wait;

use std::{
    collections::HashMap,
    future::Future,
    pin::Pin,
    sync::{Arc, Mutex},
};

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Value};
use sfn_core::{
    StatesError,
    error::states,
    eval::{
        Env, io,
        jsonata::{self as ja, JsonataEnv},
        limits,
    },
    model::{IntOrExpr, NumberOrExpr, State},
    path::JsonPath,
};
use tokio_util::sync::CancellationToken;

use super::{
    clock::Clock,
    engine::Inner,
    handlers::Handlers,
    history::{EventDetails, EventType, History},
    mock::Mocks,
    plan::{ContextUse, ScopePlan, StatePlan},
    redrive::Slot,
    tokens::Tasks,
};

pub(crate) use events::StateEvents;
pub(crate) use map::{DISTRIBUTED_MAP_CONCURRENCY, MapRunSettings, TOLERANCE_EXCEEDED};
pub(crate) use probe::{Probe, TESTED_STATE};

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

    /// The error name as the history and the API carry it: none for a failure without
    /// one (a Fail state without `Error`, a task failed without an error name), which AWS
    /// leaves out rather than answering an empty name. Within a run, such a failure's
    /// name is the empty string, which `Retry` and `Catch` match as AWS does.
    pub(crate) fn reported(error: &str) -> Option<String> {
        Some(error.to_owned()).filter(|e| !e.is_empty())
    }

    /// The error's name, when it is an error.
    pub(crate) fn error_name(&self) -> Option<&str> {
        match self {
            Failure::Error { error, .. } => Some(error),
            _ => None,
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
    pub(crate) handlers: Arc<Handlers>,
    pub(crate) tasks: Arc<Tasks>,
    pub(crate) mocks: Option<Arc<Mocks>>,
    /// Calls per mocked state, shared with the child executions of distributed Maps.
    pub(crate) mock_counts: Arc<Mutex<HashMap<Arc<str>, u64>>>,
    pub(crate) cancel: CancellationToken,
    /// Set with `cancel`, read without a lock on every transition.
    pub(crate) stopped: Arc<StopFlag>,
    pub(crate) execution_arn: Arc<str>,
    /// The engine: where distributed Maps register their Map Runs and child executions.
    pub(crate) engine: Arc<Inner>,
    /// The machine's name, which child executions' ARNs carry.
    pub(crate) machine_name: Arc<str>,
    /// The machine whose deletion fails the run at its next state transition, as on
    /// AWS: a Standard execution's; none for an Express or child execution, or a
    /// tested state.
    pub(crate) deletable: Option<Arc<str>>,
    /// The revision of the machine it runs (`MachineEntry::revision`), which the child
    /// executions of distributed Maps record as their own (0 for a tested state).
    pub(crate) revision: u64,
    pub(crate) role_arn: Arc<str>,
    /// `$$.Execution` without `Input`, and `$$.StateMachine`: shared, and small, since
    /// the input is added per state, only the part the state reads.
    pub(crate) context_base: Arc<Map<String, Value>>,
    pub(crate) input: Arc<Value>,
    /// When the machine's `TimeoutSeconds` runs out.
    pub(crate) deadline: Option<DateTime<Utc>>,
    /// TestState's probe, when the run tests one state.
    pub(crate) probe: Option<Arc<Probe>>,
}

/// Who runs: what `$$.Execution` (without `Input`) and `$$.StateMachine` say.
pub(crate) struct ContextIds<'a> {
    pub(crate) execution_arn: &'a str,
    pub(crate) execution_name: &'a str,
    pub(crate) role_arn: &'a str,
    pub(crate) start: DateTime<Utc>,
    pub(crate) machine_arn: &'a str,
    pub(crate) machine_name: &'a str,
    /// `$$.Execution.RedriveCount`, which an execution has (a tested state has not).
    pub(crate) redrive_count: Option<u64>,
    /// `$$.Execution.RedriveTime`, once the execution was redriven.
    pub(crate) redrive_time: Option<DateTime<Utc>>,
}

impl ContextIds<'_> {
    /// The shared part of the context object (`Run::context_base`).
    pub(crate) fn context_base(&self) -> Arc<Map<String, Value>> {
        let mut execution = Map::with_capacity(5);
        execution.insert("Id".into(), self.execution_arn.into());
        execution.insert("Name".into(), self.execution_name.into());
        execution.insert("RoleArn".into(), self.role_arn.into());
        execution.insert(
            "StartTime".into(),
            Value::String(self.start.to_rfc3339_opts(SecondsFormat::Millis, true)),
        );
        if let Some(n) = self.redrive_count {
            execution.insert("RedriveCount".into(), n.into());
        }
        if let Some(t) = self.redrive_time {
            execution.insert(
                "RedriveTime".into(),
                Value::String(t.to_rfc3339_opts(SecondsFormat::Millis, true)),
            );
        }
        let mut machine = Map::with_capacity(2);
        machine.insert("Id".into(), self.machine_arn.into());
        machine.insert("Name".into(), self.machine_name.into());
        let mut base = Map::with_capacity(2);
        base.insert("Execution".into(), Value::Object(execution));
        base.insert("StateMachine".into(), Value::Object(machine));
        Arc::new(base)
    }
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
    /// Where a redrive resumes this thread, and where it stopped.
    pub(crate) redrive: Slot,
    /// The event that closes a failed Map or Parallel attempt (`MapStateFailed`,
    /// `ParallelStateFailed`), recorded only once no retrier takes the error.
    pub(crate) closing_failure: Option<EventType>,
    /// What the running state assigned (`Assign`), for its exit event.
    pub(crate) assigned: Option<Map<String, Value>>,
}

/// Where a state leads: the next state (its index in the scope) with its input, or the
/// end of the scope with its output.
pub(crate) enum Step {
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
    /// `uses` reads, `$$.State` (with `RetryCount` for the states that can retry), and
    /// `$$.Task` and `$$.Map.Item` when given.
    fn context(
        &self,
        entry: &Entry<'_>,
        uses: &ContextUse,
        retry_count: u64,
        map_item: Option<(usize, &Value)>,
        token: Option<&str>,
    ) -> Value {
        if let Some(given) = self.given_context() {
            return given.clone();
        }
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
        // Under TestState the tested state is named `StateName`, also when the request
        // names it within a machine, as on AWS.
        let name = if self.probing() {
            probe::TESTED_STATE
        } else {
            &*entry.st.name
        };
        state.insert("Name".into(), Value::String(name.to_owned()));
        // Only the states that can retry (Task, Parallel, Map) count their retries.
        if matches!(
            entry.st.def,
            State::Task(_) | State::Parallel(_) | State::Map(_)
        ) {
            state.insert("RetryCount".into(), Value::from(retry_count));
        }
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
            // A redrive resumes the thread at the state that did not succeed.
            let mut resume_inner = None;
            if let Some(cp) = frame.redrive.resume.take() {
                idx = cp.state;
                data = cp.input;
                frame.vars = cp.vars;
                resume_inner = cp.inner;
            }
            loop {
                if self.stopped.is_set() {
                    return Err(Failure::Aborted);
                }
                frame.redrive.enter(idx, &data, resume_inner.take());
                let st = scope
                    .states
                    .get(idx)
                    .ok_or_else(|| Failure::new(states::RUNTIME, Some("no such state".into())))?;
                let (event_id, step) = self.run_state(st, data, frame).await?;
                let step = match step {
                    Err(Failure::Aborted) => {
                        if let Some(ty) = st.events.aborted {
                            frame.last = frame.last.max(event_id);
                            self.record_abort(frame, ty, EventDetails::None);
                        }
                        frame.redrive.stop(&frame.vars);
                        return Err(Failure::Aborted);
                    }
                    Err(f) => {
                        frame.redrive.stop(&frame.vars);
                        return Err(f);
                    }
                    Ok(step) => step,
                };
                let (next, out) = match step {
                    Step::Next(next, out) => (Some(next), out),
                    Step::End(out) => (None, out),
                };
                let assigned_variables = frame.assigned.take();
                if let Some(ty) = st.events.exited {
                    self.record(
                        frame,
                        ty,
                        EventDetails::StateExited {
                            name: st.name.clone(),
                            output: out.clone(),
                            assigned_variables,
                        },
                    )?;
                }
                match next {
                    Some(next) => {
                        if let Some(machine) = &self.deletable
                            && self.engine.is_deleting(machine)
                        {
                            return Err(Failure::new(
                                states::RUNTIME,
                                Some(format!(
                                    "State machine {} has been deleted.",
                                    self.machine_name
                                )),
                            ));
                        }
                        idx = next;
                        data = out;
                    }
                    None => return Ok(out),
                }
            }
        })
    }

    /// Enters one state: records its entry, then runs it. Gives the id of its entered
    /// event and its step.
    pub(crate) async fn run_state(
        &self,
        st: &StatePlan,
        data: Arc<Value>,
        frame: &mut Frame,
    ) -> Result<(u64, Result<Step, Failure>), Failure> {
        let time = self.now();
        let event_id = self.record_at(
            frame,
            time,
            st.events.entered,
            EventDetails::StateEntered {
                name: st.name.clone(),
                input: data.clone(),
            },
        )?;
        let entry = Entry { st, event_id, time };
        frame.assigned = None;
        let step = match &st.def {
            State::Pass(p) => self.pass(&entry, p, data, frame),
            State::Choice(_) => self.choice(&entry, data, frame),
            State::Succeed(_) => self.succeed(&entry, data, frame),
            State::Fail(f) => Err(self.fail(&entry, f, &data, frame)),
            State::Wait(w) => self.wait(&entry, w, data, frame).await,
            State::Task(t) => self.task(&entry, t, data, frame).await,
            State::Parallel(p) => self.parallel(&entry, p, data, frame).await,
            State::Map(m) => self.map(&entry, m, data, frame).await,
            // The plan refuses a state kind the engine does not run.
            other => Err(Failure::new(
                states::RUNTIME,
                Some(format!(
                    "The local engine does not run {} states.",
                    other.state_type()
                )),
            )),
        };
        Ok((event_id, step))
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
}

/// Whether `value` is larger than the payload limit.
fn over_limit(value: &Value) -> bool {
    #[cfg(test)]
    tests::MEASURED.with(|n| n.set(n.get() + 1));
    limits::exceeds_limit(value)
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
