//! AWS SAM: an `AWS::Serverless::StateMachine` with the activities and parameters of the
//! CloudFormation template (YAML).
//!
//! Source: the AWS SAM Developer Guide, `AWS::Serverless::StateMachine` (`Definition`,
//! `DefinitionSubstitutions`, `Name`, `Role`, `Type`; `Ref` returns the ARN).

use super::{
    ExportError,
    cloudformation::{ROLE_PARAMETER, document, intrinsic_key, parts},
    render::Machine,
    yaml::Node,
};

/// The SAM template.
pub(super) fn template(m: &Machine<'_>) -> Result<String, ExportError> {
    if let Some((key, pointer)) = intrinsic_key(&m.asl.definition, "") {
        return Err(ExportError::IntrinsicKey { key, pointer });
    }
    let properties = vec![
        ("Name", Node::str(m.name)),
        ("Type", Node::str(m.machine_type.as_str())),
        ("Role", Node::reference(ROLE_PARAMETER)),
        ("Definition", Node::json(&m.asl.definition)),
    ];
    Ok(document(
        m,
        parts(m),
        "AWS::Serverless::StateMachine",
        properties,
        Some("AWS::Serverless-2016-10-31"),
    ))
}
