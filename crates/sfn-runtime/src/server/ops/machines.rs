//! CreateStateMachine, UpdateStateMachine, DeleteStateMachine, DescribeStateMachine,
//! DescribeStateMachineForExecution, ListStateMachines.

use serde_json::{Value, json};

use super::{ARN_MAX, Ctx, DEFINITION_MAX};
use sfn_core::model::ExecutionType;

use crate::{
    local::{CreateStateMachine, StateMachineDescription},
    server::{
        error::from_engine,
        protocol::{ApiError, Input, OpResult, check_arn, epoch, page},
    },
};

const TYPES: &[&str] = &["STANDARD", "EXPRESS"];
const INCLUDED_DATA: &[&str] = &["ALL_DATA", "METADATA_ONLY"];

/// Refuses what needs versions, which this endpoint does not serve yet.
fn no_versions(input: &Input) -> Result<(), ApiError> {
    if input.opt_bool("publish")? == Some(true) {
        return Err(ApiError::validation(
            "publish: state machine versions are not supported by this endpoint yet",
        ));
    }
    input.opt_string("versionDescription", 0, 256)?;
    Ok(())
}

pub(super) fn create(ctx: &Ctx, input: &Input) -> OpResult {
    let name = input.string("name", 1, 80)?;
    let definition = input.string("definition", 1, DEFINITION_MAX)?;
    let role = input.string("roleArn", 1, 256)?;
    let machine_type = match input.opt_enum("type", TYPES)? {
        Some("EXPRESS") => ExecutionType::Express,
        _ => ExecutionType::Standard,
    };
    let tags = input.tags("tags", false)?;
    no_versions(input)?;
    let d = ctx
        .engine
        .create_state_machine_from(
            CreateStateMachine::new(name, definition)
                .role_arn(role)
                .machine_type(machine_type)
                .tags(tags),
        )
        .map_err(from_engine)?;
    Ok(json!({
        "stateMachineArn": d.state_machine_arn,
        "creationDate": epoch(d.creation_date),
    }))
}

pub(super) fn update(ctx: &Ctx, input: &Input) -> OpResult {
    let arn = input.string("stateMachineArn", 1, ARN_MAX)?;
    let definition = input.opt_string("definition", 1, DEFINITION_MAX)?;
    let role = input.opt_string("roleArn", 1, 256)?;
    no_versions(input)?;
    check_arn(arn, &["stateMachine"])?;
    let other_settings = [
        "loggingConfiguration",
        "tracingConfiguration",
        "encryptionConfiguration",
    ]
    .iter()
    .any(|k| input.has(k));
    if definition.is_none() && role.is_none() && !other_settings {
        return Err(ApiError::new(
            "MissingRequiredParameter",
            "Either the definition, the roleArn, the loggingConfiguration, the tracingConfiguration or the encryptionConfiguration must be specified",
        ));
    }
    let date = ctx
        .engine
        .update_state_machine(arn, definition, role)
        .map_err(from_engine)?;
    let d = ctx
        .engine
        .describe_state_machine(arn)
        .map_err(from_engine)?;
    Ok(json!({"updateDate": epoch(date), "revisionId": d.revision_id}))
}

pub(super) fn delete(ctx: &Ctx, input: &Input) -> OpResult {
    let arn = input.string("stateMachineArn", 1, ARN_MAX)?;
    check_arn(arn, &["stateMachine"])?;
    ctx.engine.delete_state_machine(arn);
    Ok(json!({}))
}

/// The settings this endpoint keeps at their defaults.
fn defaults(out: &mut Value) {
    out["loggingConfiguration"] = json!({"level": "OFF", "includeExecutionData": false});
    out["tracingConfiguration"] = json!({"enabled": false});
    out["encryptionConfiguration"] = json!({"type": "AWS_OWNED_KEY"});
}

pub(super) fn describe(ctx: &Ctx, input: &Input) -> OpResult {
    let arn = input.string("stateMachineArn", 1, ARN_MAX)?;
    input.opt_enum("includedData", INCLUDED_DATA)?;
    check_arn(arn, &["stateMachine"])?;
    let d = ctx
        .engine
        .describe_state_machine(arn)
        .map_err(from_engine)?;
    let mut out = json!({
        "stateMachineArn": d.state_machine_arn,
        "name": d.name,
        "status": "ACTIVE",
        "definition": d.definition,
        "roleArn": d.role_arn,
        "type": d.machine_type.as_str(),
        "creationDate": epoch(d.creation_date),
        "revisionId": d.revision_id,
    });
    defaults(&mut out);
    Ok(out)
}

pub(super) fn describe_for_execution(ctx: &Ctx, input: &Input) -> OpResult {
    let arn = input.string("executionArn", 1, ARN_MAX)?;
    input.opt_enum("includedData", INCLUDED_DATA)?;
    check_arn(arn, &["execution", "express"])?;
    let d: StateMachineDescription = ctx
        .engine
        .describe_state_machine_for_execution(arn)
        .map_err(from_engine)?;
    let mut out = json!({
        "stateMachineArn": d.state_machine_arn,
        "name": d.name,
        "definition": d.definition,
        "roleArn": d.role_arn,
        "updateDate": epoch(d.update_date),
        "revisionId": d.revision_id,
    });
    if let Ok(e) = ctx.engine.describe_execution(arn)
        && let Some(m) = e.map_run_arn
    {
        out["mapRunArn"] = m.into();
    }
    defaults(&mut out);
    Ok(out)
}

pub(super) fn list(ctx: &Ctx, input: &Input) -> OpResult {
    const SCOPE: &str = "ListStateMachines";
    let page = page(input, SCOPE, 1024)?;
    let (items, next) = page.take(ctx.engine.list_state_machine_descriptions(), SCOPE);
    let machines: Vec<_> = items
        .into_iter()
        .map(|d| {
            json!({
                "stateMachineArn": d.state_machine_arn,
                "name": d.name,
                "type": d.machine_type.as_str(),
                "creationDate": epoch(d.creation_date),
            })
        })
        .collect();
    let mut out = json!({ "stateMachines": machines });
    if let Some(t) = next {
        out["nextToken"] = t.into();
    }
    Ok(out)
}
