//! Reading a state: what every state shares (`Type`, `QueryLanguage`, fields of the
//! other query language, fields its type does not take), the input and output fields,
//! the transition, and the state types without a file of their own: Pass, Task, Wait,
//! Succeed, Fail and Parallel.

use serde_json::{Map, Value};

use super::fields::{Obj, Parser};
use crate::{
    diagnostic::{DiagnosticCode as Code, value_kind as kind},
    fields::{self, ObjectKind},
    model::*,
    path::JsonPath,
    template::push_pointer,
};

/// The intrinsic functions whose result is a string, as `ErrorPath`/`CausePath` need.
const STRING_INTRINSICS: &[&str] = &[
    "States.Format",
    "States.JsonToString",
    "States.ArrayGetItem",
    "States.Base64Encode",
    "States.Base64Decode",
    "States.Hash",
    "States.UUID",
];

impl Parser {
    pub(super) fn state(
        &mut self,
        v: &Value,
        ptr: &str,
        inherited: QueryLanguage,
    ) -> Option<State> {
        let Value::Object(map) = v else {
            self.error(ptr, format!("A state must be an object, not {}", kind(v)));
            return None;
        };
        let mut obj = Obj::new(map, ptr);
        let ty = match obj.get("Type") {
            None => {
                self.error(ptr, "These fields are required: [Type]");
                None
            }
            Some(Value::String(t)) => {
                let ty = StateType::from_name(t);
                if ty.is_none() {
                    let at = obj.at("Type");
                    self.not_one_of(
                        &at,
                        "Type",
                        t,
                        &[
                            "Task", "Wait", "Pass", "Succeed", "Fail", "Choice", "Parallel", "Map",
                        ],
                    );
                }
                ty
            }
            Some(v) => {
                let at = obj.at("Type");
                self.error(
                    &at,
                    format!("The field 'Type' must be a string, not {}", kind(v)),
                );
                None
            }
        };
        let comment = self.string(&mut obj, "Comment");
        let own_ql = self.query_language(&mut obj);
        if let (Some(QueryLanguage::JSONPath), Some(QueryLanguage::JSONata)) =
            (own_ql, self.machine_ql)
        {
            self.error(
                ptr,
                "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
            );
        }
        let ql = own_ql.unwrap_or(inherited);
        let Some(ty) = ty else {
            // Read nothing more: the fields cannot be judged without a type.
            return None;
        };
        // Fields of the other query language, in the order they are written.
        let foreign: Vec<(&String, QueryLanguage)> = obj
            .map
            .keys()
            .filter_map(|k| Some((k, fields::state_field(k)?.only_in.filter(|&l| l != ql)?)))
            .collect();
        for (f, only) in foreign {
            let at = obj.at(f);
            obj.get(f);
            self.field_error(&at, format!("The field '{f}' is only supported in {only} states; this state's query language is {ql}"));
        }
        let mut st = StateReader {
            p: self,
            obj,
            ql,
            ty,
        };
        let state = st.read(comment, own_ql);
        let StateReader { p, obj, .. } = st;
        // Report fields that do not belong to this type.
        let unused: Vec<String> = obj.unused().cloned().collect();
        for key in unused {
            let at = obj.at(&key);
            if fields::state_field(&key).is_some() {
                p.field_error(
                    &at,
                    format!("Field '{key}' is not supported by a {ty} state"),
                );
            } else {
                p.field_error(
                    &at,
                    format!("Field '{key}' is not a known field of a {ty} state"),
                );
            }
        }
        state
    }
}

pub(super) struct StateReader<'p, 'a> {
    pub(super) p: &'p mut Parser,
    pub(super) obj: Obj<'a>,
    pub(super) ql: QueryLanguage,
    ty: StateType,
}

impl<'a> StateReader<'_, 'a> {
    pub(super) fn at(&self, key: &str) -> String {
        self.obj.at(key)
    }

    /// Whether this state's type takes the field `key` in its query language.
    pub(super) fn takes(&self, key: &str) -> bool {
        ObjectKind::State(self.ty).takes(self.ql, key)
    }

    pub(super) fn input_output(
        &mut self,
    ) -> (Option<NullablePath>, Option<NullablePath>, Option<Template>) {
        let input = if self.takes("InputPath") {
            self.p.nullable_path(&mut self.obj, "InputPath", false)
        } else {
            None
        };
        let output_path = if self.takes("OutputPath") {
            self.p.nullable_path(&mut self.obj, "OutputPath", false)
        } else {
            None
        };
        let output = self.template("Output");
        (input, output_path, output)
    }

    pub(super) fn result_path(&mut self) -> Option<NullablePath> {
        if self.takes("ResultPath") {
            self.p.nullable_path(&mut self.obj, "ResultPath", true)
        } else {
            None
        }
    }

    /// A template field (`Parameters`, `Arguments`, `Output`…), when this state takes it
    /// in its query language.
    pub(super) fn template(&mut self, key: &str) -> Option<Template> {
        if self.takes(key) {
            self.p.template(&mut self.obj, key, self.ql, false)
        } else {
            None
        }
    }

    /// A reference path field (`SecondsPath`, `ItemsPath`…), when this state takes it in
    /// its query language.
    pub(super) fn reference_path(&mut self, key: &str) -> Option<JsonPath> {
        let object = ObjectKind::State(self.ty);
        self.p.path_field(&mut self.obj, object, self.ql, key)
    }

    pub(super) fn assign(&mut self) -> Option<Template> {
        self.p.template(&mut self.obj, "Assign", self.ql, true)
    }

    /// `Next` / `End`: exactly one.
    pub(super) fn transition(&mut self) -> (Option<StateName>, Option<bool>) {
        let next = self.p.string(&mut self.obj, "Next").map(StateName::new);
        let end = self.p.boolean(&mut self.obj, "End");
        let ptr = self.obj.ptr.clone();
        match (&next, end) {
            (Some(_), Some(true)) => self
                .p
                .field_error(&ptr, "A state may have 'Next' or 'End', not both"),
            (None, None | Some(false)) if !self.obj.has("Next") && !self.obj.has("End") => self
                .p
                .error(&ptr, "A state must have 'Next' or 'End: true'"),
            (None, Some(false)) => self
                .p
                .error(&ptr, "'End' must be true when there is no 'Next'"),
            _ => {}
        }
        (next, end)
    }

    fn read(
        &mut self,
        comment: Option<String>,
        query_language: Option<QueryLanguage>,
    ) -> Option<State> {
        Some(match self.ty {
            StateType::Pass => {
                let (input_path, output_path, output) = self.input_output();
                let parameters = self.template("Parameters");
                let result = if self.takes("Result") {
                    self.obj.get("Result").cloned()
                } else {
                    None
                };
                if let Some(Value::String(s)) = &result
                    && s.starts_with('$')
                {
                    let at = self.at("Result");
                    self.p.warning(Code::PassResultIsStatic, &at, "'Result' holds a path, which is not evaluated: the result is the string itself");
                }
                let result_path = self.result_path();
                let assign = self.assign();
                let (next, end) = self.transition();
                State::Pass(PassState {
                    comment,
                    query_language,
                    input_path,
                    parameters,
                    result,
                    result_path,
                    output_path,
                    output,
                    assign,
                    next,
                    end,
                })
            }
            StateType::Task => self.task(comment, query_language)?,
            StateType::Choice => self.choice(comment, query_language)?,
            StateType::Wait => self.wait(comment, query_language),
            StateType::Succeed => {
                let (input_path, output_path, output) = self.input_output();
                State::Succeed(SucceedState {
                    comment,
                    query_language,
                    input_path,
                    output_path,
                    output,
                })
            }
            StateType::Fail => self.fail(comment, query_language),
            StateType::Parallel => self.parallel(comment, query_language)?,
            StateType::Map => self.map(comment, query_language)?,
        })
    }

    pub(super) fn list<T>(
        &mut self,
        key: &str,
        mut item: impl FnMut(&mut Self, &Map<String, Value>, &str) -> Option<T>,
    ) -> Option<Vec<T>> {
        let v = self.obj.get(key)?;
        let at = self.at(key);
        let Value::Array(items) = v else {
            self.p.error(
                &at,
                format!("The field '{key}' must be an array, not {}", kind(v)),
            );
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, v) in items.iter().enumerate() {
            let ptr = format!("{at}/{i}");
            match v {
                Value::Object(m) => out.extend(item(self, m, &ptr)),
                v => self.p.error(
                    &ptr,
                    format!("Each element of '{key}' must be an object, not {}", kind(v)),
                ),
            }
        }
        Some(out)
    }

    fn timeout_pair(&mut self, key: &str, path_key: &str) -> (Option<IntOrExpr>, Option<JsonPath>) {
        let value = self
            .p
            .int_or_expr(&mut self.obj, key, self.ql, 1, Some(99_999_999));
        let path = self.reference_path(path_key);
        if value.is_some() && path.is_some() {
            let ptr = self.obj.ptr.clone();
            self.p.field_error(
                &ptr,
                format!("A state may have '{key}' or '{path_key}', not both"),
            );
        }
        (value, path)
    }

    /// `Credentials` names the role to assume and nothing else: `RoleArn` (or, in
    /// JSONPath states, `RoleArn.$`), as AWS requires ("Credentials", Task state, AWS Step
    /// Functions Developer Guide).
    fn credentials_role(&mut self) {
        let Some(Value::Object(fields)) = self.obj.get("Credentials") else {
            return;
        };
        let at = self.at("Credentials");
        let keys: &[&str] = match self.ql {
            QueryLanguage::JSONPath => &["RoleArn", "RoleArn.$"],
            _ => &["RoleArn"],
        };
        let present: Vec<&str> = keys
            .iter()
            .copied()
            .filter(|k| fields.contains_key(*k))
            .collect();
        match present.as_slice() {
            // AWS reports the missing role alone, whatever else the object holds.
            [] => {
                self.p
                    .error(&at, "The field 'RoleArn' is required but was missing");
                return;
            }
            [_, _] => self.p.field_error(
                &at,
                "The field 'Credentials' may have 'RoleArn' or 'RoleArn.$', not both",
            ),
            _ => {}
        }
        for key in fields.keys() {
            if !keys.contains(&key.as_str()) {
                let mut p = at.clone();
                push_pointer(&mut p, key);
                self.p
                    .field_error(&p, format!("Field '{key}' is not supported in Credentials"));
            }
        }
        if let Some(v) = fields.get("RoleArn")
            && !v.is_string()
        {
            self.p.error(
                &format!("{at}/RoleArn"),
                "The field 'RoleArn' must be a string",
            );
        }
    }

    fn task(
        &mut self,
        comment: Option<String>,
        query_language: Option<QueryLanguage>,
    ) -> Option<State> {
        let ptr = self.obj.ptr.clone();
        if !self.obj.has("Resource") {
            self.p.error(&ptr, "These fields are required: [Resource]");
        }
        let resource = self.p.string(&mut self.obj, "Resource").map(Resource::new);
        let (input_path, output_path, output) = self.input_output();
        let parameters = self.template("Parameters");
        let arguments = self.template("Arguments");
        let result_selector = self.template("ResultSelector");
        let result_path = self.result_path();
        let assign = self.assign();
        let (timeout_seconds, timeout_seconds_path) =
            self.timeout_pair("TimeoutSeconds", "TimeoutSecondsPath");
        let (heartbeat_seconds, heartbeat_seconds_path) =
            self.timeout_pair("HeartbeatSeconds", "HeartbeatSecondsPath");
        if let (Some(IntOrExpr::Int(t)), Some(IntOrExpr::Int(h))) =
            (&timeout_seconds, &heartbeat_seconds)
            && h >= t
        {
            let at = self.at("HeartbeatSeconds");
            self.p.error(
                &at,
                format!("'HeartbeatSeconds' ({h}) must be smaller than 'TimeoutSeconds' ({t})"),
            );
        }
        let credentials = self.p.template(&mut self.obj, "Credentials", self.ql, true);
        self.credentials_role();
        let (retry, catch) = self.retry_catch();
        let (next, end) = self.transition();
        Some(State::Task(TaskState {
            comment,
            query_language,
            resource: resource?,
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
            retry,
            catch,
            next,
            end,
        }))
    }

    fn wait(&mut self, comment: Option<String>, query_language: Option<QueryLanguage>) -> State {
        let ptr = self.obj.ptr.clone();
        let (input_path, output_path, output) = self.input_output();
        let assign = self.assign();
        let seconds = self
            .p
            .int_or_expr(&mut self.obj, "Seconds", self.ql, 0, Some(99_999_999));
        let timestamp = self.p.string_or_expr(&mut self.obj, "Timestamp", self.ql);
        if let Some(StringOrExpr::String(s)) = &timestamp
            && !crate::eval::wait::is_timestamp(s)
        {
            let at = self.at("Timestamp");
            self.p.error(&at, "String does not match RFC3339 timestamp");
        }
        let seconds_path = self.reference_path("SecondsPath");
        let timestamp_path = self.reference_path("TimestampPath");
        let count = ["Seconds", "Timestamp", "SecondsPath", "TimestampPath"]
            .iter()
            .filter(|f| self.obj.has(f))
            .count();
        if count != 1 {
            self.p.error(&ptr, "A Wait state must have exactly one of 'Seconds', 'Timestamp', 'SecondsPath' or 'TimestampPath'");
        }
        let (next, end) = self.transition();
        State::Wait(WaitState {
            comment,
            query_language,
            input_path,
            output_path,
            seconds,
            timestamp,
            seconds_path,
            timestamp_path,
            output,
            assign,
            next,
            end,
        })
    }

    fn fail(&mut self, comment: Option<String>, query_language: Option<QueryLanguage>) -> State {
        let ptr = self.obj.ptr.clone();
        let error = self.p.string_or_expr(&mut self.obj, "Error", self.ql);
        let cause = self.p.string_or_expr(&mut self.obj, "Cause", self.ql);
        let [error_path, cause_path] = ["ErrorPath", "CausePath"].map(|key| {
            if self.takes(key) {
                self.p.path_expr(&mut self.obj, key)
            } else {
                None
            }
        });
        for (key, value) in [("ErrorPath", &error_path), ("CausePath", &cause_path)] {
            if let Some(PathExpr::Intrinsic(call)) = value {
                let name = call.as_str().split('(').next().unwrap_or_default();
                if !STRING_INTRINSICS.contains(&name) {
                    let at = self.at(key);
                    self.p.error_code(Code::InvalidIntrinsicFunction, &at, format!("The intrinsic function {name} does not return a string, so it cannot be used in '{key}'; use one of: {}", STRING_INTRINSICS.join(", ")));
                }
            }
        }
        for (a, b) in [("Error", "ErrorPath"), ("Cause", "CausePath")] {
            if self.obj.has(a) && self.obj.has(b) {
                self.p.field_error(
                    &ptr,
                    format!("A Fail state may have '{a}' or '{b}', not both"),
                );
            }
        }
        State::Fail(FailState {
            comment,
            query_language,
            error,
            cause,
            error_path,
            cause_path,
        })
    }

    fn parallel(
        &mut self,
        comment: Option<String>,
        query_language: Option<QueryLanguage>,
    ) -> Option<State> {
        let ptr = self.obj.ptr.clone();
        let (input_path, output_path, output) = self.input_output();
        let parameters = self.template("Parameters");
        let arguments = self.template("Arguments");
        let result_selector = self.template("ResultSelector");
        let result_path = self.result_path();
        let assign = self.assign();
        let (retry, catch) = self.retry_catch();
        let (next, end) = self.transition();
        let ql = self.ql;
        if !self.obj.has("Branches") {
            self.p.error(&ptr, "These fields are required: [Branches]");
        }
        if matches!(self.obj.map.get("Branches"), Some(Value::Array(a)) if a.is_empty()) {
            let at = self.at("Branches");
            self.p.empty_array(&at, "branch");
        }
        let branches = self.list("Branches", |r, m, at| {
            let mut obj = Obj::new(m, at);
            let comment = r.p.string(&mut obj, "Comment");
            let own = r.p.query_language(&mut obj);
            let body = r.p.scope_body(&mut obj, own.unwrap_or(ql));
            r.p.finish(obj, "a branch");
            let (start_at, states) = body?;
            Some(Branch {
                comment,
                query_language: own,
                start_at,
                states,
            })
        });
        Some(State::Parallel(ParallelState {
            comment,
            query_language,
            branches: branches?,
            input_path,
            parameters,
            arguments,
            result_selector,
            result_path,
            output_path,
            output,
            assign,
            retry,
            catch,
            next,
            end,
        }))
    }
}
