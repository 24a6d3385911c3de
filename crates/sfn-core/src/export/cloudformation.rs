//! AWS CloudFormation: an `AWS::StepFunctions::StateMachine`, an
//! `AWS::StepFunctions::Activity` for each activity, the role and the Lambda functions as
//! parameters (YAML).
//!
//! Source: the CloudFormation Template Reference, `AWS::StepFunctions::StateMachine`
//! (`Definition`, `DefinitionString`, `DefinitionSubstitutions`, `RoleArn`,
//! `StateMachineName`, `StateMachineType`; `Ref` returns the ARN) and
//! `AWS::StepFunctions::Activity` (`Name`; `Ref` returns the ARN).

use serde_json::Value;

use super::{
    idents::{Taken, pascal},
    render::Machine,
    substitute::SubstitutionKind,
    yaml::Node,
};

/// The parts CloudFormation and SAM templates share.
pub(super) struct Parts {
    /// The machine's logical ID.
    pub(super) machine_id: String,
    /// `Parameters`.
    pub(super) parameters: Node,
    /// The activities' resources.
    pub(super) activities: Vec<(String, Node)>,
    /// `DefinitionSubstitutions`, if any.
    pub(super) substitutions: Option<Node>,
    /// `Outputs`.
    pub(super) outputs: Node,
}

/// The logical ID of the role parameter.
pub(super) const ROLE_PARAMETER: &str = "RoleArn";

/// The template's description.
pub(super) fn description(m: &Machine<'_>) -> Node {
    Node::str(&format!(
        "The state machine {} and the activities it calls.",
        m.name
    ))
}

/// The parts of a template: logical IDs are the substitution variables (ASCII letters
/// and digits), the machine's `NameStateMachine`.
pub(super) fn parts(m: &Machine<'_>) -> Parts {
    let mut taken = Taken::default();
    taken.reserve(ROLE_PARAMETER);
    for s in &m.asl.substitutions {
        taken.reserve(s.variable.clone());
    }
    let machine_id = taken.unique(&format!("{}StateMachine", pascal(m.name)), "");

    let mut role = vec![
        ("Type", Node::str("String")),
        (
            "Description",
            Node::str(&format!(
                "The ARN of the IAM role the executions of the state machine {} run as.",
                m.name
            )),
        ),
    ];
    if let Some(arn) = &m.options.role_arn {
        role.push(("Default", Node::str(arn)));
    }
    let mut parameters = vec![(ROLE_PARAMETER.to_owned(), Node::map(role))];
    let mut activities = Vec::new();
    let mut substitutions = Vec::new();
    let mut outputs = vec![(
        format!("{machine_id}Arn"),
        Node::map([
            (
                "Description",
                Node::str(&format!("The ARN of the state machine {}.", m.name)),
            ),
            ("Value", Node::reference(&machine_id)),
        ]),
    )];
    for s in &m.asl.substitutions {
        match s.kind {
            SubstitutionKind::Activity => {
                activities.push((
                    s.variable.clone(),
                    Node::map([
                        ("Type", Node::str("AWS::StepFunctions::Activity")),
                        ("Properties", Node::map([("Name", Node::str(&s.value))])),
                    ]),
                ));
                outputs.push((
                    format!("{}Arn", s.variable),
                    Node::map([
                        (
                            "Description",
                            Node::str(&format!("The ARN of the activity {}.", s.value)),
                        ),
                        ("Value", Node::reference(&s.variable)),
                    ]),
                ));
            }
            SubstitutionKind::LambdaFunction => {
                parameters.push((
                    s.variable.clone(),
                    Node::map([
                        ("Type", Node::str("String")),
                        (
                            "Description",
                            Node::str(&format!(
                                "The Lambda function the definition names {}.",
                                s.value
                            )),
                        ),
                        ("Default", Node::str(&s.value)),
                    ]),
                ));
            }
        }
        substitutions.push((s.variable.clone(), Node::reference(&s.variable)));
    }
    Parts {
        machine_id,
        parameters: Node::Map(parameters),
        activities,
        substitutions: (!substitutions.is_empty()).then_some(Node::Map(substitutions)),
        outputs: Node::Map(outputs),
    }
}

/// The first object of the definition with a key CloudFormation reads as an intrinsic
/// function (`Ref`, `Fn::…`): the key and the object's JSON Pointer.
pub(super) fn intrinsic_key(v: &Value, pointer: &str) -> Option<(String, String)> {
    match v {
        Value::Object(m) => {
            if let Some(k) = m.keys().find(|k| *k == "Ref" || k.starts_with("Fn::")) {
                return Some((k.clone(), pointer.to_owned()));
            }
            m.iter().find_map(|(k, v)| {
                let escaped = k.replace('~', "~0").replace('/', "~1");
                intrinsic_key(v, &format!("{pointer}/{escaped}"))
            })
        }
        Value::Array(a) => a
            .iter()
            .enumerate()
            .find_map(|(i, v)| intrinsic_key(v, &format!("{pointer}/{i}"))),
        _ => None,
    }
}

/// The CloudFormation template.
pub(super) fn template(m: &Machine<'_>) -> String {
    let p = parts(m);
    let mut properties = vec![
        ("StateMachineName", Node::str(m.name)),
        ("StateMachineType", Node::str(m.machine_type.as_str())),
        ("RoleArn", Node::reference(ROLE_PARAMETER)),
    ];
    if intrinsic_key(&m.asl.definition, "").is_some() {
        // A `Value` always serializes: the fallback is never taken.
        let text = serde_json::to_string_pretty(&m.asl.definition).unwrap_or_default();
        properties.push(("DefinitionString", Node::str(&text)));
    } else {
        properties.push(("Definition", Node::json(&m.asl.definition)));
    }
    document(m, p, "AWS::StepFunctions::StateMachine", properties, None)
}

/// A whole template: the machine's resource of type `resource_type` with `properties`
/// (and the definition substitutions), its activities, parameters and outputs;
/// `transform` for SAM's.
pub(super) fn document(
    m: &Machine<'_>,
    p: Parts,
    resource_type: &str,
    mut properties: Vec<(&str, Node)>,
    transform: Option<&str>,
) -> String {
    if let Some(s) = p.substitutions {
        properties.push(("DefinitionSubstitutions", s));
    }
    let mut resources = p.activities;
    resources.push((
        p.machine_id,
        Node::map([
            ("Type", Node::str(resource_type)),
            ("Properties", Node::map(properties)),
        ]),
    ));
    let mut top = vec![("AWSTemplateFormatVersion", Node::str("2010-09-09"))];
    if let Some(t) = transform {
        top.push(("Transform", Node::str(t)));
    }
    top.extend([
        ("Description", description(m)),
        ("Parameters", p.parameters),
        ("Resources", Node::Map(resources)),
        ("Outputs", p.outputs),
    ]);
    Node::map(top).to_document()
}
