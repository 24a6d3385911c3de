//! AWS SAM: an `AWS::Serverless::StateMachine` with the activities and parameters of the
//! CloudFormation template (YAML).
//!
//! Source: the AWS SAM Developer Guide, `AWS::Serverless::StateMachine` (`Definition`,
//! `DefinitionSubstitutions`, `Name`, `Role`, `Type`; `Ref` returns the ARN).

use super::{
    ExportError,
    cloudformation::{ROLE_PARAMETER, description, intrinsic_key, parts},
    render::Machine,
    yaml::Node,
};

/// The SAM template.
pub(super) fn template(m: &Machine<'_>) -> Result<String, ExportError> {
    if let Some((key, pointer)) = intrinsic_key(&m.asl.definition, "") {
        return Err(ExportError::IntrinsicKey { key, pointer });
    }
    let p = parts(m);
    let mut properties = vec![
        ("Name", Node::str(m.name)),
        ("Type", Node::str(m.machine_type.as_str())),
        ("Role", Node::reference(ROLE_PARAMETER)),
        ("Definition", Node::json(&m.asl.definition)),
    ];
    if let Some(s) = p.substitutions {
        properties.push(("DefinitionSubstitutions", s));
    }
    let mut resources = p.activities;
    resources.push((
        p.machine_id,
        Node::map([
            ("Type", Node::str("AWS::Serverless::StateMachine")),
            ("Properties", Node::map(properties)),
        ]),
    ));
    Ok(Node::map([
        ("AWSTemplateFormatVersion", Node::str("2010-09-09")),
        ("Transform", Node::str("AWS::Serverless-2016-10-31")),
        ("Description", description(m)),
        ("Parameters", p.parameters),
        ("Resources", Node::Map(resources)),
        ("Outputs", p.outputs),
    ])
    .to_document())
}
