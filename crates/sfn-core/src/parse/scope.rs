//! The machine, and the `StartAt` and `States` of every scope (the machine, a Parallel
//! branch, a Map's item processor).

use indexmap::IndexMap;
use serde_json::{Map, Value};

use super::fields::{Obj, Parser};
use crate::{
    diagnostic::{DiagnosticCode as Code, value_kind as kind},
    model::*,
    names,
    template::push_pointer,
};

impl Parser {
    pub(super) fn machine(&mut self, map: &Map<String, Value>) -> Option<StateMachine> {
        let mut obj = Obj::new(map, "");
        let comment = self.string(&mut obj, "Comment");
        let query_language = self.query_language(&mut obj);
        self.machine_ql = query_language;
        let version = self.string(&mut obj, "Version");
        if let Some(v) = &version
            && v != "1.0"
        {
            let at = obj.at("Version");
            self.error(
                &at,
                format!("The field 'Version' must be \"1.0\", not \"{v}\""),
            );
        }
        let timeout_seconds = self.uint(&mut obj, "TimeoutSeconds", 1, Some(99_999_999));
        let ql = query_language.unwrap_or_default();
        let body = self.scope_body(&mut obj, ql);
        self.finish(obj, "a state machine");
        let (start_at, states) = body?;
        Some(StateMachine {
            comment,
            query_language,
            start_at,
            states,
            version,
            timeout_seconds,
        })
    }

    /// `StartAt` and `States` of a machine, branch or processor.
    pub(super) fn scope_body(
        &mut self,
        obj: &mut Obj<'_>,
        ql: QueryLanguage,
    ) -> Option<(StateName, IndexMap<StateName, State>)> {
        // In AWS's order: `These fields are required: [States, StartAt]`.
        let missing: Vec<&str> = ["States", "StartAt"]
            .into_iter()
            .filter(|f| !obj.has(f))
            .collect();
        if !missing.is_empty() {
            let ptr = obj.ptr.clone();
            self.error(
                &ptr,
                format!("These fields are required: [{}]", missing.join(", ")),
            );
        }
        let start_at = self.string(obj, "StartAt");
        let states = match obj.get("States") {
            Some(Value::Object(m)) => {
                let at = obj.at("States");
                if m.is_empty() {
                    self.error(&at, "The field 'States' must hold at least one state");
                }
                let mut states = IndexMap::with_capacity(m.len());
                for (name, v) in m {
                    let ptr = {
                        let mut p = at.clone();
                        push_pointer(&mut p, name);
                        p
                    };
                    if let Err(e) = names::check_state_name(name) {
                        self.error_code(
                            Code::InvalidStateName,
                            &ptr,
                            format!("Invalid state name '{name}': {e}"),
                        );
                    }
                    if let Some(state) = self.state(v, &ptr, ql) {
                        states.insert(StateName::new(name.clone()), state);
                    }
                }
                Some(states)
            }
            Some(v) => {
                let at = obj.at("States");
                self.error(
                    &at,
                    format!("The field 'States' must be an object, not {}", kind(v)),
                );
                None
            }
            None => None,
        };
        Some((StateName::new(start_at?), states?))
    }
}
