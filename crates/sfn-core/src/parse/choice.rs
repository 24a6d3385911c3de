//! The Choice state and its rules: JSONata `Condition`s, JSONPath comparisons and the
//! `And`, `Or` and `Not` combinators.

use serde_json::{Map, Value};

use super::{fields::Obj, state::StateReader};
use crate::{diagnostic::value_kind as kind, fields::ObjectKind, model::*};

impl StateReader<'_, '_> {
    pub(super) fn choice(
        &mut self,
        comment: Option<String>,
        query_language: Option<QueryLanguage>,
    ) -> Option<State> {
        let ptr = self.obj.ptr.clone();
        let (input_path, output_path, output) = self.input_output();
        let assign = self.assign();
        let default = self.p.string(&mut self.obj, "Default").map(StateName::new);
        for f in ["Next", "End"] {
            if self.obj.has(f) {
                let at = self.at(f);
                self.obj.get(f);
                self.p
                    .field_error(&at, format!("A Choice state may not have '{f}'"));
            }
        }
        if !self.obj.has("Choices") {
            self.p.error(&ptr, "These fields are required: [Choices]");
        }
        if matches!(self.obj.map.get("Choices"), Some(Value::Array(a)) if a.is_empty()) {
            let at = self.at("Choices");
            self.p.empty_array(&at, "choice rule");
        }
        let choices = self.list("Choices", |r, m, at| r.rule_object(m, at, true));
        Some(State::Choice(ChoiceState {
            comment,
            query_language,
            input_path,
            output_path,
            choices: choices?,
            default,
            output,
            assign,
        }))
    }

    fn rule(&mut self, v: &Value, ptr: &str, top: bool) -> Option<ChoiceRule> {
        match v {
            Value::Object(map) => self.rule_object(map, ptr, top),
            v => {
                self.p.error(
                    ptr,
                    format!("A choice rule must be an object, not {}", kind(v)),
                );
                None
            }
        }
    }

    fn rule_object(
        &mut self,
        map: &Map<String, Value>,
        ptr: &str,
        top: bool,
    ) -> Option<ChoiceRule> {
        let mut obj = Obj::new(map, ptr);
        let ql = self.ql;
        let comment = self.p.string(&mut obj, "Comment");
        let next = self.p.string(&mut obj, "Next").map(StateName::new);
        let assign = self.p.template(&mut obj, "Assign", ql, true);
        let output = if ObjectKind::ChoiceRule.takes(ql, "Output") {
            self.p.template(&mut obj, "Output", ql, false)
        } else {
            None
        };
        if top && next.is_none() && !obj.has("Next") {
            self.p.error(ptr, "These fields are required: [Next]");
        }
        if !top {
            for (f, present) in [
                ("Next", next.is_some()),
                ("Assign", assign.is_some()),
                ("Output", output.is_some()),
            ] {
                if present {
                    let at = obj.at(f);
                    self.p
                        .field_error(&at, format!("A nested choice rule may not have '{f}'"));
                }
            }
        }
        let condition = match ql {
            QueryLanguage::JSONata => {
                let c = match obj.get("Condition") {
                    Some(Value::String(s)) => {
                        let at = obj.at("Condition");
                        self.p
                            .jsonata_string(s, "Condition", &at)
                            .map(Condition::Jsonata)
                    }
                    // A constant outcome, which AWS accepts.
                    Some(Value::Bool(b)) => Some(Condition::Constant(*b)),
                    Some(v) => {
                        let at = obj.at("Condition");
                        self.p.error(
                            &at,
                            format!(
                                "The field 'Condition' must be a {{% … %}} string or a boolean, not {}",
                                kind(v)
                            ),
                        );
                        None
                    }
                    None => {
                        self.p.error(ptr, "These fields are required: [Condition]");
                        None
                    }
                };
                for f in ["Variable", "And", "Or", "Not"] {
                    if obj.has(f) {
                        let at = obj.at(f);
                        obj.get(f);
                        self.p.field_error(&at, format!("The field '{f}' is only supported in JSONPath states; use 'Condition' in JSONata states"));
                    }
                }
                c
            }
            QueryLanguage::JSONPath => self.jsonpath_condition(&mut obj, ptr),
        };
        self.p.finish(obj, "a choice rule");
        Some(ChoiceRule {
            condition: condition?,
            comment,
            next,
            assign,
            output,
        })
    }

    fn jsonpath_condition(&mut self, obj: &mut Obj<'_>, ptr: &str) -> Option<Condition> {
        if obj.has("Condition") {
            let at = obj.at("Condition");
            obj.get("Condition");
            self.p.field_error(
                &at,
                "The field 'Condition' is only supported in JSONata states",
            );
        }
        let mut found: Vec<(&str, Condition)> = Vec::new();
        for combinator in ["And", "Or"] {
            if let Some(v) = obj.get(combinator) {
                let at = obj.at(combinator);
                match v {
                    Value::Array(rules) if !rules.is_empty() => {
                        let rules: Vec<_> = rules
                            .iter()
                            .enumerate()
                            .filter_map(|(i, r)| self.rule(r, &format!("{at}/{i}"), false))
                            .collect();
                        found.push((
                            combinator,
                            if combinator == "And" {
                                Condition::And(rules)
                            } else {
                                Condition::Or(rules)
                            },
                        ));
                    }
                    Value::Array(_) => self
                        .p
                        .error(&at, format!("'{combinator}' must hold at least one rule")),
                    v => self.p.error(
                        &at,
                        format!("'{combinator}' must be an array of rules, not {}", kind(v)),
                    ),
                }
            }
        }
        if let Some(v) = obj.get("Not") {
            let at = obj.at("Not");
            if let Some(r) = self.rule(v, &at, false) {
                found.push(("Not", Condition::Not(Box::new(r))));
            }
        }
        let ops: Vec<(&String, ComparisonOp, bool)> = obj
            .map
            .keys()
            .filter_map(|k| ComparisonOp::from_field(k).map(|(op, is_path)| (k, op, is_path)))
            .collect();
        let variable = obj.get("Variable");
        if !ops.is_empty() || variable.is_some() {
            let variable = match variable {
                Some(Value::String(s)) => {
                    let at = obj.at("Variable");
                    self.p.path_at(s, "Variable", &at)
                }
                Some(v) => {
                    let at = obj.at("Variable");
                    self.p.error(
                        &at,
                        format!(
                            "The field 'Variable' must be a JSONPath string, not {}",
                            kind(v)
                        ),
                    );
                    None
                }
                None => {
                    self.p.error(ptr, "A comparison needs the field 'Variable'");
                    None
                }
            };
            match ops.as_slice() {
                [] => self.p.error(ptr, "A choice rule with 'Variable' needs exactly one comparison operator (such as 'StringEquals' or 'IsPresent')"),
                [(key, op, is_path)] => {
                    let at = obj.at(key);
                    let value = obj.get(key).cloned().unwrap_or(Value::Null);
                    if let Some(operand) = self.operand(*op, *is_path, value, key, &at)
                        && let Some(variable) = variable {
                            found.push(("Variable", Condition::Compare { variable, op: *op, operand }));
                        }
                }
                [(first, _, _), rest @ ..] => {
                    // The first operator is a known field, not an unsupported one.
                    obj.get(first);
                    for (key, _, _) in rest {
                        let at = obj.at(key);
                        obj.get(key);
                        self.p.field_error(&at, "A choice rule may hold only one comparison operator");
                    }
                }
            }
        }
        let attempted = obj.has("Variable")
            || obj.has("And")
            || obj.has("Or")
            || obj.has("Not")
            || obj
                .map
                .keys()
                .any(|k| ComparisonOp::from_field(k).is_some());
        match found.len() {
            // A malformed comparison or combinator was reported where it stands.
            0 if attempted => None,
            0 => {
                self.p.error(ptr, "A choice rule needs a comparison ('Variable' and an operator), 'And', 'Or' or 'Not'");
                None
            }
            1 => found.pop().map(|(_, c)| c),
            _ => {
                let names: Vec<_> = found.iter().map(|(n, _)| *n).collect();
                self.p.field_error(ptr, format!("A choice rule may hold only one of 'And', 'Or', 'Not' or a comparison; it holds {}", names.join(", ")));
                None
            }
        }
    }

    fn operand(
        &mut self,
        op: ComparisonOp,
        is_path: bool,
        value: Value,
        key: &str,
        at: &str,
    ) -> Option<Operand> {
        if is_path {
            return match &value {
                Value::String(s) => self.p.path_at(s, key, at).map(Operand::Path),
                v => {
                    self.p.error(
                        at,
                        format!(
                            "The field '{key}' must be a JSONPath string, not {}",
                            kind(v)
                        ),
                    );
                    None
                }
            };
        }
        let ok = match op.operand_kind() {
            OperandKind::String => value.is_string(),
            OperandKind::Number => value.is_number(),
            OperandKind::Boolean => value.is_boolean(),
            OperandKind::Timestamp => match &value {
                Value::String(s) => {
                    if !crate::eval::wait::is_timestamp(s) {
                        self.p.error(
                            at,
                            format!("The field '{key}' must be an RFC 3339 timestamp, not '{s}'"),
                        );
                        return None;
                    }
                    true
                }
                _ => false,
            },
        };
        if !ok {
            let expected = match op.operand_kind() {
                OperandKind::String => "a string",
                OperandKind::Number => "a number",
                OperandKind::Boolean => "a boolean",
                OperandKind::Timestamp => "a timestamp string",
            };
            self.p.error(
                at,
                format!("The field '{key}' must be {expected}, not {}", kind(&value)),
            );
            return None;
        }
        Some(Operand::Literal(value))
    }
}
