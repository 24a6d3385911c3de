//! ValidateStateMachineDefinition.

use serde_json::json;
use sfn_core::{
    Severity,
    model::ExecutionType,
    validate::{ValidateOptions, validate_str_with},
};

use crate::api::protocol::{Input, OpResult, all};

pub(super) fn validate(input: &Input) -> OpResult {
    let (definition, machine_type, severity, max) = all((
        input.string("definition", 1, super::DEFINITION_MAX),
        input.opt_enum("type", &["STANDARD", "EXPRESS"]),
        input.opt_enum("severity", &["ERROR", "WARNING"]),
        input.opt_int("maxResults", 0, 100),
    ))?;
    let max = match max {
        None | Some(0) => 100,
        Some(n) => usize::try_from(n).unwrap_or(100),
    };
    let options = ValidateOptions {
        machine_type: match machine_type {
            Some("EXPRESS") => ExecutionType::Express,
            _ => ExecutionType::Standard,
        },
        warnings: severity == Some("WARNING"),
    };
    let (_, diagnostics) = validate_str_with(definition, options);
    let result = if diagnostics.is_valid() { "OK" } else { "FAIL" };
    let shown: Vec<_> = diagnostics
        .iter()
        .filter(|d| severity == Some("WARNING") || d.severity == Severity::Error)
        .collect();
    let truncated = shown.len() > max;
    let items: Vec<_> = shown
        .into_iter()
        .take(max)
        .map(|d| {
            let mut item = json!({
                "severity": if d.severity == Severity::Error { "ERROR" } else { "WARNING" },
                "code": d.code.as_str(),
                "message": d.message,
            });
            if let Some(location) = d.aws_location() {
                item["location"] = json!(location);
            }
            item
        })
        .collect();
    Ok(json!({"result": result, "diagnostics": items, "truncated": truncated}))
}
