//! `Retry` and `Catch` of Task, Parallel and Map: what follows a failed attempt.

use std::sync::Arc;

use serde_json::Value;
use sfn_core::{
    eval::{Env, io, retry, template},
    model::{Catcher, Retrier},
};

use super::{Entry, Failure, Frame, Run, Step, output::assign};
use crate::local::history::{EventDetails, EventType};

impl Run {
    /// What follows an attempt of a state with `Retry` and `Catch` (Task, Parallel,
    /// Map): its step; `None`, to try again once the policy's delay has passed; or the
    /// step of the catcher that takes the error. Errors no retrier or catcher takes are
    /// returned. A failed Map or Parallel attempt's closing event (`frame.closing_failure`)
    /// is recorded only when the error is not retried, as AWS records it: before the
    /// catcher's step, or the execution's failure.
    pub(super) async fn settle(
        &self,
        entry: &Entry<'_>,
        retry: &mut RetryState<'_>,
        (attempt, origin): (Result<Step, Failure>, retry::Origin),
        input: &Arc<Value>,
        frame: &mut Frame,
    ) -> Result<Option<Step>, Failure> {
        let closing = frame.closing_failure.take();
        let failure = match attempt {
            Ok(step) => return Ok(Some(step)),
            Err(f) => f,
        };
        let Some((error, cause)) = failure.handleable() else {
            self.close_failed(closing, frame)?;
            return Err(failure);
        };
        if let Some(probe) = &self.probe {
            // TestState: one attempt; a retry is reported, not made.
            if probe.retriable(retry.retriers, error, origin) {
                self.close_failed(closing, frame)?;
                return Err(failure);
            }
        } else if let Some(delay) = retry.next_delay(error, origin) {
            self.sleep(delay).await?;
            return Ok(None);
        }
        self.close_failed(closing, frame)?;
        let error = (error.to_owned(), cause.map(str::to_owned), origin);
        self.catch(entry, retry.catchers, input.clone(), error, frame)
            .map(Some)
    }

    /// Records a failed attempt's closing event, if it has one.
    fn close_failed(&self, closing: Option<EventType>, frame: &mut Frame) -> Result<(), Failure> {
        if let Some(ty) = closing {
            self.record(frame, ty, EventDetails::None)?;
        }
        Ok(())
    }

    /// Applies the first matching catcher, or gives the failure back.
    fn catch(
        &self,
        entry: &Entry<'_>,
        catchers: &[Catcher],
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
        let Some(&next) = entry.st.catch_next.get(i) else {
            return Err(Failure::Error { error, cause });
        };
        if let Some(probe) = &self.probe {
            probe.caught(i, &error, cause.as_deref());
        }
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
}

/// A state's `Retry` and `Catch`, and the retries it has made, per retrier and in all.
pub(super) struct RetryState<'r> {
    retriers: &'r [Retrier],
    catchers: &'r [Catcher],
    per_retrier: Vec<u64>,
    /// Retries so far (`$$.State.RetryCount`).
    pub(super) count: u64,
}

impl<'r> RetryState<'r> {
    pub(super) fn new(retriers: Option<&'r [Retrier]>, catchers: Option<&'r [Catcher]>) -> Self {
        let retriers = retriers.unwrap_or_default();
        RetryState {
            retriers,
            catchers: catchers.unwrap_or_default(),
            per_retrier: vec![0; retriers.len()],
            count: 0,
        }
    }

    /// The delay before the next attempt, if a retrier takes `error` and has attempts
    /// left; counts the retry.
    pub(super) fn next_delay(
        &mut self,
        error: &str,
        origin: retry::Origin,
    ) -> Option<std::time::Duration> {
        let i = retry::retrier_for_origin(self.retriers, error, origin)?;
        let delay = retry::retry_delay(&self.retriers[i], self.per_retrier[i], fastrand::f64())?;
        self.per_retrier[i] += 1;
        self.count += 1;
        Some(delay)
    }
}
