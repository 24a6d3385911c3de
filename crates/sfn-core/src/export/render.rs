//! The one entry point: a machine in the format asked for.

use super::{
    ExportError, ExportFormat, ExportOptions, cloudformation, sam,
    substitute::{AslExport, with_substitutions},
    terraform,
};
use crate::{StateMachine, model::ExecutionType, names::check_resource_name};

/// The machine `name` (its definition and type) in `format`: a CloudFormation or SAM
/// template, a Terraform configuration, or the definition with its substitution
/// variables. The text ends with a newline.
///
/// # Errors
///
/// [`ExportError::InvalidName`] when AWS would refuse `name`;
/// [`ExportError::IntrinsicKey`] for SAM when the definition has an object with a `Ref`
/// or `Fn::…` key.
pub fn export(
    format: ExportFormat,
    name: &str,
    machine: &StateMachine,
    machine_type: ExecutionType,
    options: &ExportOptions,
) -> Result<String, ExportError> {
    check_resource_name(name).map_err(|reason| ExportError::InvalidName {
        name: name.to_owned(),
        reason,
    })?;
    let asl = with_substitutions(machine);
    let machine = Machine {
        name,
        asl: &asl,
        machine_type,
        options,
    };
    match format {
        ExportFormat::Asl => Ok(asl.to_json_pretty()),
        ExportFormat::CloudFormation => Ok(cloudformation::template(&machine)),
        ExportFormat::Sam => sam::template(&machine),
        ExportFormat::Terraform => Ok(terraform::configuration(&machine)),
    }
}

/// What every format is made from.
pub(super) struct Machine<'a> {
    /// The machine's name.
    pub(super) name: &'a str,
    /// Its definition, with substitution variables.
    pub(super) asl: &'a AslExport,
    /// Standard or Express.
    pub(super) machine_type: ExecutionType,
    /// The options.
    pub(super) options: &'a ExportOptions,
}
