//! A state's result into its output: `ResultSelector`, `ResultPath`, `OutputPath`
//! (JSONPath) or `Output` (JSONata), and the variables `Assign` sets.

use std::{borrow::Cow, sync::Arc};

use serde_json::{Map, Value};
use sfn_core::{
    StatesError,
    eval::{Env, io, template},
    model::{MapState, NullablePath, ParallelState, TaskState, Template},
};

use super::{Entry, Failure, Frame, Run, Step};

/// The output of a state whose output is its effective input (Choice, Wait):
/// `OutputPath` applied to it, or, without one, the effective input itself, still shared
/// with the state's input when `InputPath` took all of it.
pub(super) fn effective_output(
    output_path: Option<&NullablePath>,
    effective: Cow<'_, Value>,
    input: &Arc<Value>,
    scope: Env<'_>,
) -> Result<Arc<Value>, StatesError> {
    Ok(match (output_path, effective) {
        (None, Cow::Borrowed(_)) => input.clone(),
        (None, Cow::Owned(v)) => Arc::new(v),
        (Some(op), eff) => Arc::new(io::apply_path(
            op,
            &Env {
                input: &eff,
                ..scope
            },
        )?),
    })
}

/// `ResultPath` and `OutputPath` (JSONPath): where a state's result goes in its input,
/// and what of that the state outputs.
#[derive(Clone, Copy)]
pub(super) struct OutputPaths<'a> {
    pub(super) result_path: Option<&'a NullablePath>,
    pub(super) output_path: Option<&'a NullablePath>,
}

/// The fields of a Task, Parallel or Map that turn its result into its output.
#[derive(Clone, Copy)]
pub(super) struct ResultFields<'a> {
    /// `ResultSelector` (JSONPath).
    pub(super) result_selector: Option<&'a Template>,
    /// `ResultPath` and `OutputPath` (JSONPath).
    pub(super) paths: OutputPaths<'a>,
    /// `Output` (JSONata).
    pub(super) output: Option<&'a Template>,
    /// `Assign`.
    pub(super) assign: Option<&'a Template>,
}

macro_rules! result_fields_of {
    ($($state:ty),*) => {$(
        impl<'a> From<&'a $state> for ResultFields<'a> {
            fn from(s: &'a $state) -> Self {
                ResultFields {
                    result_selector: s.result_selector.as_ref(),
                    paths: OutputPaths {
                        result_path: s.result_path.as_ref(),
                        output_path: s.output_path.as_ref(),
                    },
                    output: s.output.as_ref(),
                    assign: s.assign.as_ref(),
                }
            }
        }
    )*};
}

result_fields_of!(TaskState, ParallelState, MapState);

impl Run {
    /// `ResultPath` then `OutputPath`: `result` into `raw_input`, the state's input.
    pub(super) fn finish_jsonpath(
        &self,
        entry: &Entry<'_>,
        paths: OutputPaths<'_>,
        raw_input: Arc<Value>,
        result: Value,
        ctx: &Value,
        frame: &Frame,
    ) -> Result<Arc<Value>, Failure> {
        let err = |e| self.state_error(entry, e);
        let OutputPaths {
            result_path,
            output_path,
        } = paths;
        let combined = match result_path {
            None => Arc::new(result),
            // The input passes through: shared, not copied.
            Some(NullablePath::Null) => raw_input,
            Some(rp) => Arc::new(
                io::apply_result_path(Some(rp), Arc::unwrap_or_clone(raw_input), result)
                    .map_err(err)?,
            ),
        };
        self.note(|d| d.after_result_path = Some((*combined).clone()));
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
    pub(super) fn finish_result(
        &self,
        entry: &Entry<'_>,
        fields: ResultFields<'_>,
        input: Arc<Value>,
        result: Arc<Value>,
        ctx: &Value,
        frame: &mut Frame,
    ) -> Result<Step, Failure> {
        let err = |e| self.state_error(entry, e);
        let ResultFields {
            result_selector,
            paths,
            output,
            assign: assign_t,
        } = fields;
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
        if !self.probing()
            && result_selector.is_none()
            && paths.result_path.is_none()
            && paths.output_path.is_none()
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
        self.note(|d| d.after_result_selector = Some(selected.clone()));
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
        let out = self.finish_jsonpath(entry, paths, input, selected, ctx, frame)?;
        assign(frame, assigned);
        self.transition(entry, out, frame)
    }
}

/// Sets the variables an `Assign` evaluated to.
pub(super) fn assign(frame: &mut Frame, assigned: Option<Map<String, Value>>) {
    if let Some(vars) = assigned {
        for (k, v) in &vars {
            frame.vars.insert(k.clone(), v.clone());
        }
        frame.assigned = Some(vars);
    }
}
