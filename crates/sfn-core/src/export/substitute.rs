//! The definition with substitution variables where activities and Lambda functions were.

use serde_json::{Map, Value};

use super::idents::{Taken, function_part, pascal};
use crate::{
    StateMachine,
    definition::placeholder_activity_name,
    resources::{Recognized, recognize},
};

/// What a substitution variable stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SubstitutionKind {
    /// The ARN of an activity the definition named by placeholder
    /// (`arn:aws:states:::activity:NAME`): the templates create it.
    Activity,
    /// A Lambda function: a Task's `Resource` that is a function's ARN, or the literal
    /// `FunctionName` of a `lambda:invoke` Task (a name, `name:qualifier` or an ARN).
    LambdaFunction,
}

/// One substitution variable of an exported definition.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Substitution {
    /// The variable's name, `ActivityAdd` for `${ActivityAdd}`: ASCII letters and digits,
    /// valid as a CloudFormation logical ID and parameter name.
    pub variable: String,
    /// What it stands for.
    pub kind: SubstitutionKind,
    /// For an activity, its name; for a Lambda function, the function as the definition
    /// wrote it.
    pub value: String,
}

impl Substitution {
    /// The variable as written in the definition: `${ActivityAdd}`.
    pub fn placeholder(&self) -> String {
        format!("${{{}}}", self.variable)
    }
}

/// A definition ready for `DefinitionSubstitutions`: the JSON with `${…}` variables, and
/// what each variable stands for.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct AslExport {
    /// The definition, every activity placeholder and Lambda function replaced by its
    /// variable.
    pub definition: Value,
    /// The variables, in the order the definition first uses them.
    pub substitutions: Vec<Substitution>,
}

impl AslExport {
    /// The definition as indented JSON text, ending with a newline.
    pub fn to_json_pretty(&self) -> String {
        // A `Value` always serializes: the fallback is never taken.
        let mut text = serde_json::to_string_pretty(&self.definition).unwrap_or_default();
        text.push('\n');
        text
    }

    /// The substitution a string of the definition is exactly the variable of, if any.
    pub fn substitution_of(&self, text: &str) -> Option<&Substitution> {
        let name = text.strip_prefix("${")?.strip_suffix('}')?;
        self.substitutions.iter().find(|s| s.variable == name)
    }

    /// The definition with every variable replaced by `value(substitution)`, as
    /// CloudFormation, SAM or a deployer does.
    pub fn resolve(&self, mut value: impl FnMut(&Substitution) -> String) -> Value {
        fn walk(v: &mut Value, f: &mut dyn FnMut(&str) -> Option<String>) {
            match v {
                Value::String(s) => {
                    if let Some(r) = f(s) {
                        *s = r;
                    }
                }
                Value::Array(a) => a.iter_mut().for_each(|v| walk(v, f)),
                Value::Object(m) => m.values_mut().for_each(|v| walk(v, f)),
                _ => {}
            }
        }
        let mut definition = self.definition.clone();
        walk(&mut definition, &mut |s| {
            self.substitution_of(s).map(&mut value)
        });
        definition
    }
}

/// The machine's definition with a `${…}` variable for every activity placeholder and
/// every Lambda function, in every scope (Parallel branches, Map item processors).
///
/// Variables are named after what they stand for (`ActivityAdd` for the activity `add`,
/// `LambdaMyFunction` for the function `my-function`), with `2`, `3`, … appended when two
/// would otherwise share a name or a name is one the definition already uses in `${…}`.
///
/// ```
/// use sfn_core::export::{with_substitutions, SubstitutionKind};
///
/// let machine: sfn_core::StateMachine = r#"{"StartAt": "Add", "States": {
///     "Add": {"Type": "Task", "Resource": "arn:aws:states:::activity:add", "End": true}
/// }}"#.parse()?;
/// let asl = with_substitutions(&machine);
/// assert_eq!(asl.definition["States"]["Add"]["Resource"], "${ActivityAdd}");
/// assert_eq!(asl.substitutions[0].kind, SubstitutionKind::Activity);
/// assert_eq!(asl.substitutions[0].value, "add");
/// # Ok::<(), sfn_core::ParseError>(())
/// ```
pub fn with_substitutions(machine: &StateMachine) -> AslExport {
    let mut definition = machine.to_value();
    let mut taken = Taken::default();
    reserve_existing(&definition, &mut taken);
    let mut found = Found {
        taken,
        substitutions: Vec::new(),
    };
    if let Some(states) = definition.get_mut("States").and_then(Value::as_object_mut) {
        found.states(states);
    }
    AslExport {
        definition,
        substitutions: found.substitutions,
    }
}

/// Reserves every name the definition already writes as `${NAME}`.
fn reserve_existing(v: &Value, taken: &mut Taken) {
    match v {
        Value::String(s) => {
            let mut rest = s.as_str();
            while let Some(open) = rest.find("${") {
                rest = &rest[open + 2..];
                if let Some(close) = rest.find('}') {
                    taken.reserve(&rest[..close]);
                    rest = &rest[close + 1..];
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|v| reserve_existing(v, taken)),
        Value::Object(m) => {
            for (k, v) in m {
                reserve_existing(&Value::String(k.clone()), taken);
                reserve_existing(v, taken);
            }
        }
        _ => {}
    }
}

struct Found {
    taken: Taken,
    substitutions: Vec<Substitution>,
}

impl Found {
    fn states(&mut self, states: &mut Map<String, Value>) {
        for state in states.values_mut() {
            let Some(state) = state.as_object_mut() else {
                continue;
            };
            match state.get("Type").and_then(Value::as_str) {
                Some("Task") => self.task(state),
                Some("Parallel") => {
                    if let Some(branches) = state.get_mut("Branches").and_then(Value::as_array_mut)
                    {
                        for b in branches {
                            self.scope(b);
                        }
                    }
                }
                Some("Map") => {
                    for key in ["ItemProcessor", "Iterator"] {
                        if let Some(p) = state.get_mut(key) {
                            self.scope(p);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn scope(&mut self, scope: &mut Value) {
        if let Some(states) = scope.get_mut("States").and_then(Value::as_object_mut) {
            self.states(states);
        }
    }

    fn task(&mut self, state: &mut Map<String, Value>) {
        let Some(Value::String(resource)) = state.get_mut("Resource") else {
            return;
        };
        let invoke = match recognize(resource) {
            Ok(Recognized::Activity) => {
                if let Some(name) = placeholder_activity_name(resource) {
                    let name = name.to_owned();
                    *resource = self.variable(SubstitutionKind::Activity, &name);
                }
                false
            }
            Ok(Recognized::LambdaFunction) => {
                let arn = resource.clone();
                *resource = self.variable(SubstitutionKind::LambdaFunction, &arn);
                false
            }
            Ok(Recognized::Optimized { integration, .. }) => {
                integration.service == "lambda" && integration.action == "invoke"
            }
            _ => false,
        };
        if !invoke {
            return;
        }
        for key in ["Parameters", "Arguments"] {
            let Some(Value::String(function)) = state
                .get_mut(key)
                .and_then(Value::as_object_mut)
                .and_then(|args| args.get_mut("FunctionName"))
            else {
                continue;
            };
            let jsonata = function.starts_with("{%") && function.ends_with("%}");
            let literal = !(function.is_empty() || function.contains("${") || jsonata);
            if literal {
                let f = function.clone();
                *function = self.variable(SubstitutionKind::LambdaFunction, &f);
            }
        }
    }

    /// The placeholder of the variable for `value`, a new one the first time it is met.
    fn variable(&mut self, kind: SubstitutionKind, value: &str) -> String {
        if let Some(s) = self
            .substitutions
            .iter()
            .find(|s| s.kind == kind && s.value == value)
        {
            return s.placeholder();
        }
        let base = match kind {
            SubstitutionKind::Activity => format!("Activity{}", pascal(value)),
            SubstitutionKind::LambdaFunction => format!("Lambda{}", pascal(function_part(value))),
        };
        let s = Substitution {
            variable: self.taken.unique(&base, ""),
            kind,
            value: value.to_owned(),
        };
        let placeholder = s.placeholder();
        self.substitutions.push(s);
        placeholder
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn machine(states: &str) -> StateMachine {
        format!(r#"{{"StartAt": "A", "States": {states}}}"#)
            .parse()
            .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn activities_and_functions_in_every_scope() {
        let m = machine(
            r#"{
            "A": {"Type": "Task", "Resource": "arn:aws:states:::activity:add-numbers", "Next": "P"},
            "P": {"Type": "Parallel", "Next": "M", "Branches": [{"StartAt": "B", "States": {
                "B": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:my-fn:prod", "End": true}}}]},
            "M": {"Type": "Map", "Next": "L", "ItemProcessor": {"StartAt": "C", "States": {
                "C": {"Type": "Task", "Resource": "arn:aws:states:::activity:add-numbers", "End": true}}}},
            "L": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "my-fn", "Payload.$": "$"}, "Next": "K"},
            "K": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName.$": "$.fn"}, "Next": "E"},
            "E": {"Type": "Task", "Resource": "arn:aws:states:us-east-1:123456789012:activity:kept", "End": true}
        }"#,
        );
        let asl = with_substitutions(&m);
        let d = &asl.definition["States"];
        assert_eq!(d["A"]["Resource"], "${ActivityAddNumbers}");
        assert_eq!(
            d["P"]["Branches"][0]["States"]["B"]["Resource"],
            "${LambdaMyFnProd}"
        );
        assert_eq!(
            d["M"]["ItemProcessor"]["States"]["C"]["Resource"],
            "${ActivityAddNumbers}"
        );
        assert_eq!(d["L"]["Parameters"]["FunctionName"], "${LambdaMyFn}");
        assert_eq!(d["K"]["Parameters"]["FunctionName.$"], "$.fn");
        assert_eq!(
            d["E"]["Resource"],
            "arn:aws:states:us-east-1:123456789012:activity:kept"
        );
        let vars: Vec<_> = asl.substitutions.iter().map(|s| &s.variable).collect();
        assert_eq!(vars, ["ActivityAddNumbers", "LambdaMyFnProd", "LambdaMyFn"]);
        let resolved = asl.resolve(|s| s.value.clone());
        assert_eq!(resolved["States"]["A"]["Resource"], "add-numbers");
    }

    #[test]
    fn names_already_used_are_not_reused() {
        let m = machine(
            r#"{
            "A": {"Type": "Pass", "Result": "${ActivityAdd}", "Next": "B"},
            "B": {"Type": "Task", "Resource": "arn:aws:states:::activity:add", "Next": "C"},
            "C": {"Type": "Task", "Resource": "arn:aws:states:::activity:Add", "End": true}
        }"#,
        );
        let asl = with_substitutions(&m);
        assert_eq!(asl.definition["States"]["A"]["Result"], "${ActivityAdd}");
        assert_eq!(asl.definition["States"]["B"]["Resource"], "${ActivityAdd2}");
        assert_eq!(asl.definition["States"]["C"]["Resource"], "${ActivityAdd3}");
    }

    #[test]
    fn jsonata_function_names_are_left_alone() {
        let m = machine(
            r#"{"A": {"Type": "Task", "QueryLanguage": "JSONata", "Resource": "arn:aws:states:::lambda:invoke",
                "Arguments": {"FunctionName": "{% $states.input.fn %}"}, "End": true}}"#,
        );
        let asl = with_substitutions(&m);
        assert!(asl.substitutions.is_empty());
    }
}
