//! A state's result into its output: `ResultSelector`, `ResultPath`, `OutputPath`
//! (JSONPath) or `Output` (JSONata), and the variables `Assign` sets.

use std::sync::Arc;

use serde_json::{Map, Value};
use sfn_core::{
    eval::{Env, io, template},
    model::{NullablePath, Template},
};

use super::{Entry, Failure, Frame, Run, Step};

impl Run {
    /// `ResultPath` then `OutputPath`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn finish_jsonpath(
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

    /// `ResultSelector`, `Assign`, `ResultPath`, `OutputPath` (JSONPath) or `Assign`,
    /// `Output` (JSONata) of a Task, Parallel or Map.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn finish_result(
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
}

pub(super) fn assign(frame: &mut Frame, assigned: Option<Map<String, Value>>) {
    if let Some(vars) = assigned {
        for (k, v) in vars {
            frame.vars.insert(k, v);
        }
    }
}
