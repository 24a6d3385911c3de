//! Parallel: its branches run concurrently on the execution's own task.

use std::{borrow::Cow, sync::Arc};

use futures_util::{StreamExt, stream::FuturesUnordered};
use serde_json::Value;
use sfn_core::{
    eval::{Env, io, retry, template},
    model::ParallelState,
};

use super::{Entry, Failure, Frame, Run, Step, output::ResultFields, retry::RetryState};
use crate::local::{
    history::{EventDetails, EventType},
    redrive::{Branch, Checkpoint, Slot, branches_after},
};

impl Run {
    pub(super) async fn parallel(
        &self,
        entry: &Entry<'_>,
        p: &ParallelState,
        input: Arc<Value>,
        frame: &mut Frame,
    ) -> Result<Step, Failure> {
        let mut retry = RetryState::new(p.retry.as_deref(), p.catch.as_deref());
        loop {
            let attempt = (
                self.parallel_attempt(entry, p, &input, frame).await,
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
        if let Some(mocked) = self.mocked_result(st, None) {
            // TestState: the mocked result stands for the branches.
            let result = Arc::new(mocked?);
            let fields = ResultFields::from(p);
            return self.finish_result(entry, fields, input.clone(), result, &ctx, frame);
        }
        // A redrive runs again only the branches that did not succeed.
        let mut prior = frame.redrive.prior();
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
                    redrive: Slot::default(),
                    closing_failure: None,
                    assigned: None,
                };
                let data = branch_input.clone();
                let prior = prior.next().unwrap_or(Branch::Fresh);
                async move {
                    let r = self.run_thread(b, data, &mut f, prior).await;
                    let stopped = r.is_err().then(|| f.redrive.checkpoint(&f.vars)).flatten();
                    (i, r, f.last, stopped)
                }
            })
            .collect();
        // The first failure ends the branches; a stop lets every branch record its
        // aborts first. The state's closing event follows the latest event its own
        // branches recorded.
        let mut outputs: Vec<Option<Arc<Value>>> = vec![None; st.nested.len()];
        let mut stopped: Vec<Option<Checkpoint>> = st.nested.iter().map(|_| None).collect();
        let mut failure = None;
        let mut last = started;
        while let Some((i, r, branch_last, cp)) = branches.next().await {
            last = last.max(branch_last);
            if let Some(slot) = stopped.get_mut(i) {
                *slot = cp;
            }
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
                frame.redrive.inner = Some(branches_after(&outputs, stopped));
                if let Failure::Error { .. } = &f {
                    frame.closing_failure = Some(EventType::ParallelStateFailed);
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
            ResultFields::from(p),
            input.clone(),
            result,
            &ctx,
            frame,
        )
    }
}
