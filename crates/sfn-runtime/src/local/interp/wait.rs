//! Wait, and every sleep on the engine's clock (retry intervals too).

use std::{sync::Arc, time::Duration};

use chrono::{DateTime, Utc};
use serde_json::Value;
use sfn_core::{
    StatesError,
    eval::{Env, io, jsonata as ja, template, wait::parse_timestamp},
    model::{IntOrExpr, StringOrExpr, WaitState},
};

use super::{Entry, Failure, Frame, Run, Step, output::assign, output::effective_output};

/// The longest delay a Wait state takes, in seconds (`i32::MAX`, 24,855 days and a bit).
const MAX_WAIT_SECONDS: u64 = i32::MAX as u64;

impl Run {
    pub(super) async fn wait(
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
                // A path that selects nothing has its own wording, not the generic
                // invalid-path one.
                let Some(v) = path.select(&escope) else {
                    return Err(err(StatesError::runtime(format!(
                        "The SecondsPath parameter does not reference an input value: {path}"
                    ))));
                };
                match v.as_i64().or_else(|| v.as_u64().map(|_| i64::MAX)) {
                    Some(s) if s >= 0 => Duration::from_secs(s.unsigned_abs()),
                    // AWS's wording for a negative delay (as LocalStack's tests, checked
                    // against AWS, record it).
                    Some(_) => {
                        return Err(err(StatesError::runtime(format!(
                            "The SecondsPath parameter references a negative value: {path} == {v}"
                        ))));
                    }
                    None => {
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
            let out =
                effective_output(w.output_path.as_ref(), effective, &input, scope).map_err(err)?;
            (delay, out, assigned)
        };
        // AWS keeps a Wait's delay in 32 bits of seconds: a Timestamp 24,856 days ahead
        // fails (TestSfnWait_test_timestamp_too_far_in_future_boundary_24856).
        if delay.as_secs() > MAX_WAIT_SECONDS {
            return Err(err(StatesError::runtime("Wait state delay is too long.")));
        }
        self.sleep(delay).await?;
        assign(frame, assigned);
        self.transition(entry, out, frame)
    }

    /// Waits on the clock; a virtual clock just moves, up to the execution's deadline.
    pub(super) async fn sleep(&self, delay: Duration) -> Result<(), Failure> {
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
}

fn until(t: DateTime<Utc>, now: DateTime<Utc>) -> Duration {
    (t - now).to_std().unwrap_or(Duration::ZERO)
}
