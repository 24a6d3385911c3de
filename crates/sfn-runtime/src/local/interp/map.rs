//! Map: its items, and its iterations run inline, in the execution's own history. A
//! distributed Map's Map Run and child executions are `local/map_run.rs`.

use std::{borrow::Cow, sync::Arc};

use futures_util::{StreamExt, stream};
use serde_json::{Map, Value};
use sfn_core::{
    StatesError,
    error::states,
    eval::{Env, io, jsonata as ja, retry, template},
    model::{ExecutionType, MapState, Template},
};

use super::{
    Entry, Failure, Frame, Run, Step, int_field, int_field_signed,
    items::{ItemsScope, WriterPlan},
    number_field,
    output::ResultFields,
    retry::RetryState,
};
use crate::local::{
    history::{EventDetails, EventType},
    plan::{ScopePlan, StatePlan},
    redrive::{Branch, Slot, branches_after},
};

/// The most iterations an inline Map runs at a time.
const INLINE_MAP_CONCURRENCY: usize = 40;

/// The child executions a distributed Map without `MaxConcurrency` runs at a time.
pub(crate) const DISTRIBUTED_MAP_CONCURRENCY: usize = 10_000;

/// The cause of `States.ExceedToleratedFailureThreshold`, as AWS words it.
pub(crate) const TOLERANCE_EXCEEDED: &str =
    "The specified tolerated failure threshold was exceeded";

impl Run {
    pub(super) async fn map(
        &self,
        entry: &Entry<'_>,
        m: &MapState,
        input: Arc<Value>,
        frame: &mut Frame,
    ) -> Result<Step, Failure> {
        let mut retry = RetryState::new(m.retry.as_deref(), m.catch.as_deref());
        loop {
            let attempt = (
                self.map_attempt(entry, m, &input, frame).await,
                retry::Origin::State,
            );
            if let Some(step) = self
                .settle(entry, &mut retry, attempt, &input, frame)
                .await?
            {
                return Ok(step);
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
        let vars = frame.vars.clone();
        // The reader's and the writer's JSONPath arguments see the effective input, as
        // every other field of the state does.
        let reader_input: Cow<'_, Value> = match (&m.input_path, st.jsonata) {
            (Some(path), false) if m.item_reader.is_some() || m.result_writer.is_some() => {
                let scope = Env {
                    input,
                    context: &ctx,
                    variables: &vars,
                };
                Cow::Owned(io::apply_path(path, &scope).map_err(err)?)
            }
            _ => Cow::Borrowed(&**input),
        };
        let items_scope = ItemsScope {
            input: &reader_input,
            ctx: &ctx,
            vars: &vars,
            jsonata: st.jsonata,
        };
        // A distributed Map starts (`MapStateStarted`) before its Map Run's settings are
        // read, as AWS records it: with a length of 0 when an ItemReader reads the items
        // (the Map Run reads and counts them), or the count of the items it was given.
        let mut started = None;
        if distributed && m.item_reader.is_some() {
            started = Some(self.record(
                frame,
                EventType::MapStateStarted,
                EventDetails::MapStateStarted { length: 0 },
            )?);
        }
        let read = match &m.item_reader {
            Some(reader) => match self.read_items(reader, &items_scope, err).await {
                Ok(items) => Some(items),
                // What the reader could not read fails the Map Run; a setting that
                // cannot be evaluated fails the state before any run.
                Err(f @ Failure::Error { .. })
                    if distributed
                        && self.probe.is_none()
                        && f.error_name() == Some(states::ITEM_READER_FAILED) =>
                {
                    let label = m.label.as_deref().unwrap_or(&st.name);
                    return Err(self.reader_failed_map_run(label, f, frame));
                }
                Err(f) => return Err(f),
            },
            None => None,
        };
        let writer = match (&m.result_writer, distributed) {
            (Some(w), true) => Some(self.writer_plan(w, &items_scope)?),
            _ => None,
        };
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
            if js.is_none() {
                self.note(|d| d.after_input_path = Some(effective.clone().into_owned()));
            }
            let escope = Env {
                input: &effective,
                ..scope
            };
            let items: Vec<Value> = match (read, &js) {
                (Some(items), _) => items,
                (None, Some(js)) => match &m.items {
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
                (None, None) => {
                    let v = match &m.items_path {
                        Some(p) => io::select(p, &escope).map_err(err)?,
                        None => effective.clone().into_owned(),
                    };
                    match (v, &m.items_path) {
                        (Value::Array(a), _) => {
                            self.note(|d| d.after_items_path = Some(Value::Array(a.clone())));
                            a
                        }
                        // AWS names the path as it reads it, `$$` as `$`.
                        (_, Some(p)) => {
                            let path = p.as_str();
                            let shown = path.strip_prefix('$').filter(|r| r.starts_with('$'));
                            return Err(Failure::new(
                                states::RUNTIME,
                                Some(format!(
                                    "Reference path \"{}\" must point to array.",
                                    shown.unwrap_or(path)
                                )),
                            ));
                        }
                        (other, None) => {
                            return Err(err(StatesError::runtime(format!(
                                "Map state input must be an array but was: {other}"
                            ))));
                        }
                    }
                }
            };
            if distributed && started.is_none() {
                started = Some(self.record(
                    frame,
                    EventType::MapStateStarted,
                    EventDetails::MapStateStarted {
                        length: items.len(),
                    },
                )?);
            }
            let max_concurrency = match int_field_signed(
                m.max_concurrency.as_ref(),
                m.max_concurrency_path.as_ref(),
                "MaxConcurrencyPath",
                &escope,
                js.as_ref(),
            )
            .map_err(err)?
            {
                // AWS's words (as LocalStack's AWS-checked tests have them).
                Some(n) if n < 0 => {
                    return Err(err(StatesError::runtime(format!(
                        "Expected non-negative integer for MaxConcurrency, got '{n}' instead."
                    ))));
                }
                n => n.map_or(0, i64::unsigned_abs),
            };
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
            self.note(|d| {
                d.max_concurrency = Some(max_concurrency);
                d.tolerated_failure_count = tolerated_count;
                d.tolerated_failure_percentage = tolerated_pct;
            });
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
            let run_started = match started {
                Some(id) => id,
                None => self.record(
                    frame,
                    EventType::MapStateStarted,
                    EventDetails::MapStateStarted { length: count },
                )?,
            };
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
            if selector.is_some() {
                self.note(|d| d.after_item_selector = Some(Value::Array(inputs.clone())));
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
        let mocked = self.mocked_result(st, Some((inputs.len(), tolerated_count, tolerated_pct)));
        let result = if let Some(mocked) = mocked {
            // TestState: the mocked result stands for the iterations (with a
            // ResultWriter, for what the writer reports).
            match mocked? {
                v if v.is_array() || m.result_writer.is_some() => v,
                other => Value::Array(vec![other]),
            }
        } else if distributed {
            let settings = MapRunSettings {
                processor,
                label: m.label.as_deref().unwrap_or(&st.name),
                express: m
                    .processor()
                    .and_then(|p| p.processor_config.as_ref())
                    .and_then(|c| c.execution_type)
                    == Some(ExecutionType::Express),
                max_concurrency,
                limit,
                tolerated_count,
                tolerated_pct,
                item_in_context,
                result_writer: writer,
            };
            self.map_run(settings, inputs, sizes, frame).await?
        } else {
            let writer = m.result_writer.is_some();
            let shape = (limit, item_in_context, writer);
            Value::Array(
                self.inline_iterations(st, processor, inputs, shape, run_started, frame)
                    .await?,
            )
        };
        let result = Arc::new(result);
        self.finish_result(
            entry,
            ResultFields::from(m),
            input.clone(),
            result,
            &ctx,
            frame,
        )
    }

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
        // A redrive runs again only the iterations that did not succeed.
        let mut prior = frame.redrive.prior();
        let runs = inputs.into_iter().enumerate().map(|(index, v)| {
            let mut f = Frame {
                history: frame.history.clone(),
                last: run_started,
                vars: frame.vars.clone(),
                map_item: item_in_context.then(|| (index, v.clone())),
                verified: None,
                redrive: Slot::default(),
                closing_failure: None,
                assigned: None,
            };
            let name = name.clone();
            let prior = prior.next().unwrap_or(Branch::Fresh);
            async move {
                if let Branch::Done(out) = prior {
                    return (Ok(out), f.last, None);
                }
                if let Err(e) = self.record(
                    &mut f,
                    EventType::MapIterationStarted,
                    EventDetails::MapIteration {
                        name: name.clone(),
                        index,
                    },
                ) {
                    return (Err(e), f.last, None);
                }
                let r = self.run_thread(processor, Arc::new(v), &mut f, prior).await;
                let stopped = r.is_err().then(|| f.redrive.checkpoint(&f.vars)).flatten();
                let details = EventDetails::MapIteration { name, index };
                let recorded = match &r {
                    Ok(_) => self
                        .record(&mut f, EventType::MapIterationSucceeded, details)
                        .map(drop),
                    Err(Failure::Aborted) => {
                        self.record_abort(&mut f, EventType::MapIterationAborted, details);
                        Ok(())
                    }
                    // As AWS records it, what follows a failed iteration (`MapStateFailed`,
                    // a retry's `MapStateStarted`) follows its last state event.
                    Err(_) => self
                        .record_aside(&mut f, EventType::MapIterationFailed, details)
                        .map(drop),
                };
                (recorded.and(r), f.last, stopped)
            }
        });
        // The state's closing event follows the latest event its own iterations recorded.
        // Results come in item order: the n-th is the iteration n's.
        let mut results = stream::iter(runs).buffered(limit.max(1));
        let mut outputs: Vec<Option<Arc<Value>>> = Vec::with_capacity(count);
        let mut stopped = Vec::with_capacity(count);
        let mut aborted = false;
        let mut last = run_started;
        while let Some((r, iteration_last, cp)) = results.next().await {
            last = last.max(iteration_last);
            stopped.push(cp);
            match r {
                Ok(v) => outputs.push(Some(v)),
                // Iterations not yet started see the stop at once and record nothing.
                Err(Failure::Aborted) => {
                    outputs.push(None);
                    aborted = true;
                }
                Err(f @ (Failure::HistoryFull | Failure::TimedOut)) => return Err(f),
                Err(f) => {
                    drop(results);
                    outputs.push(None);
                    frame.redrive.inner = Some(branches_after(&outputs, stopped));
                    frame.last = last;
                    if let Failure::Error { .. } = &f {
                        frame.closing_failure = Some(EventType::MapStateFailed);
                    }
                    return Err(f);
                }
            }
        }
        drop(results);
        frame.last = last;
        if aborted {
            frame.redrive.inner = Some(branches_after(&outputs, stopped));
            return Err(Failure::Aborted);
        }
        if result_writer {
            return Err(result_writer_failure());
        }
        self.record_aside(frame, EventType::MapStateSucceeded, EventDetails::None)?;
        Ok(outputs
            .into_iter()
            .flatten()
            .map(Arc::unwrap_or_clone)
            .collect())
    }
}

/// An inline Map has no Map Run whose results a `ResultWriter` could write.
fn result_writer_failure() -> Failure {
    Failure::new(
        states::RESULT_WRITER_FAILED,
        Some(
            "ResultWriter writes the results of a distributed Map's Map Run; this Map is inline."
                .into(),
        ),
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
    /// The `ResultWriter`, evaluated.
    pub(crate) result_writer: Option<WriterPlan>,
}

/// Whether any state of a scope, nested ones included, reads the context object.
fn scope_needs_context(scope: &ScopePlan) -> bool {
    scope
        .states
        .iter()
        .any(|s| s.needs_context() || s.nested.iter().any(scope_needs_context))
}
