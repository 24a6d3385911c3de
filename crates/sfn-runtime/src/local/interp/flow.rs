//! The states that only move data and choose the way: Pass, Choice, Succeed and Fail.

use std::sync::Arc;

use serde_json::Value;
use sfn_core::{
    StatesError,
    error::states,
    eval::{Env, choice, io, jsonata as ja, template},
    model::{ChoiceRule, FailState, PassState, State, StringOrExpr},
};

use super::{
    Entry, Failure, Frame, Run, Step,
    output::{OutputPaths, assign, effective_output},
};

impl Run {
    pub(super) fn pass(
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
        if !self.probing()
            && p.input_path.is_none()
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
                (Some(r), _) => {
                    self.note(|d| d.result = Some(r.clone()));
                    r.clone()
                }
                (None, params) => {
                    self.note(|d| d.after_input_path = Some(effective.clone().into_owned()));
                    let after = params.unwrap_or_else(|| effective.into_owned());
                    self.note(|d| d.after_parameters = Some(after.clone()));
                    after
                }
            };
            self.note(|d| d.after_result_selector = Some(result.clone()));
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
        let paths = OutputPaths {
            result_path: p.result_path.as_ref(),
            output_path: p.output_path.as_ref(),
        };
        let out = self.finish_jsonpath(entry, paths, input, result, &ctx, frame)?;
        assign(frame, assigned);
        self.transition(entry, out, frame)
    }

    pub(super) fn choice(
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
        self.note(|d| d.after_input_path = Some(effective.clone().into_owned()));
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
        let out =
            effective_output(c.output_path.as_ref(), effective, &input, scope).map_err(err)?;
        assign(frame, assigned);
        Ok(Step::Next(next, out))
    }

    pub(super) fn succeed(
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
            self.note(|d| d.after_input_path = Some((*input).clone()));
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
        self.note(|d| d.after_input_path = Some(effective.clone()));
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

    pub(super) fn fail(
        &self,
        entry: &Entry<'_>,
        f: &FailState,
        input: &Value,
        frame: &Frame,
    ) -> Failure {
        if !entry.st.jsonata {
            // A Fail state has no `InputPath`: its effective input is its input.
            self.note(|d| d.after_input_path = Some(input.clone()));
        }
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
}

fn rule_index(rules: &[ChoiceRule], rule: &ChoiceRule) -> usize {
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
