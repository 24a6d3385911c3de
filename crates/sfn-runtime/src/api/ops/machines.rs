//! CreateStateMachine, UpdateStateMachine, DeleteStateMachine, DescribeStateMachine,
//! DescribeStateMachineForExecution, ListStateMachines.

use serde_json::{Map, Value, json};

use super::{ARN_MAX, Ctx, DEFINITION_MAX};
use sfn_core::model::ExecutionType;

use crate::{
    api::{
        error::from_engine,
        protocol::{
            ApiError, Input, Key, OpResult, Order, all, check_arn, collect, epoch, page, rename,
        },
    },
    local::{CreateStateMachine, StateMachineDescription, UpdateStateMachine},
};

const TYPES: &[&str] = &["STANDARD", "EXPRESS"];
const INCLUDED_DATA: &[&str] = &["ALL_DATA", "METADATA_ONLY"];

/// The settings the engine records and reports without acting on them.
const SETTINGS: &[&str] = &[
    "loggingConfiguration",
    "tracingConfiguration",
    "encryptionConfiguration",
];

/// `variableReferences`: the variables each state of the definition references, where
/// any state references one, as AWS describes a machine.
fn variable_references(out: &mut Value, definition: &str) {
    let Some(machine) = sfn_core::parse::parse_str(definition).machine else {
        return;
    };
    let references = sfn_core::eval::reads::variable_references(&machine);
    if !references.is_empty() {
        out["variableReferences"] = json!(references);
    }
}

/// The settings a CreateStateMachine or UpdateStateMachine request holds, each a
/// structure.
fn settings(input: &Input) -> Result<Vec<(&'static str, Value)>, ApiError> {
    let read = SETTINGS.iter().map(|member| {
        let mut v = input.opt_object(member)?;
        if let Some(v) = &mut v
            && *member == "loggingConfiguration"
        {
            logging(v)?;
        }
        Ok(v.map(|v| (*member, v)))
    });
    Ok(collect(read)?.into_iter().flatten().collect())
}

const LOG_LEVELS: &[&str] = &["ALL", "ERROR", "FATAL", "OFF"];

/// Checks a `loggingConfiguration` as AWS does, and completes it with AWS's defaults
/// (`level` `OFF`, `includeExecutionData` false): at most one destination, and exactly
/// one for a level other than `OFF`.
fn logging(config: &mut Value) -> Result<(), ApiError> {
    let Value::Object(members) = config else {
        return Ok(());
    };
    let nested = Input::from_members(members.clone());
    let (level, _, destinations) = all((
        nested
            .opt_enum("level", LOG_LEVELS)
            .map_err(|e| rename(e, "level", "loggingConfiguration.level")),
        nested.opt_bool("includeExecutionData").map_err(|e| {
            rename(
                e,
                "includeExecutionData",
                "loggingConfiguration.includeExecutionData",
            )
        }),
        nested
            .object_list("destinations", false)
            .map_err(|e| rename(e, "destinations", "loggingConfiguration.destinations")),
    ))?;
    let level = level.unwrap_or("OFF");
    let destinations = destinations.map_or(0, |d| d.len());
    if destinations > 1 || (level != "OFF" && destinations == 0) {
        return Err(ApiError::new(
            "InvalidLoggingConfiguration",
            "Invalid Logging Configuration: Must specify exactly one Log Destination.",
        ));
    }
    members.entry("level").or_insert_with(|| Value::from("OFF"));
    members
        .entry("includeExecutionData")
        .or_insert(Value::Bool(false));
    Ok(())
}

/// `publish` and `versionDescription`, which CreateStateMachine and UpdateStateMachine
/// both take.
fn publishing(input: &Input) -> Result<(bool, Option<&str>), ApiError> {
    let (publish, description) = all((
        input.opt_bool("publish"),
        input.opt_string("versionDescription", 0, 256),
    ))?;
    Ok((publish.unwrap_or(false), description))
}

pub(super) fn create(ctx: &Ctx, input: &Input) -> OpResult {
    let (name, definition, role, machine_type, mut sent, tags, (publish, version_description)) =
        all((
            input.string("name", 1, 80),
            input.string("definition", 1, DEFINITION_MAX),
            input.string("roleArn", 1, 256),
            input.opt_enum("type", TYPES),
            settings(input),
            input.tags("tags", false),
            publishing(input),
        ))?;
    let machine_type = match machine_type {
        Some("EXPRESS") => ExecutionType::Express,
        _ => ExecutionType::Standard,
    };
    let mut create = CreateStateMachine::new(name, definition)
        .role_arn(role)
        .machine_type(machine_type)
        .tags(tags)
        .publish(publish);
    if let Some(d) = version_description {
        create = create.version_description(d);
    }
    // Every setting is recorded, at its default when not sent: a machine created again
    // alike but for its settings is another machine, as on AWS.
    for (member, value) in default_settings() {
        if !sent.iter().any(|(m, _)| *m == member) {
            sent.push((member, value));
        }
    }
    for (member, value) in sent {
        create = create.setting(member, value);
    }
    let d = ctx
        .engine
        .create_state_machine_from(create)
        .map_err(from_engine)?;
    let mut out = json!({
        "stateMachineArn": d.state_machine_arn,
        "creationDate": epoch(d.creation_date),
    });
    if let Some(v) = d.state_machine_version_arn {
        out["stateMachineVersionArn"] = v.into();
    }
    Ok(out)
}

pub(super) fn update(ctx: &Ctx, input: &Input) -> OpResult {
    let (arn, definition, role, sent, (publish, version_description)) = all((
        input.string("stateMachineArn", 1, ARN_MAX),
        input.opt_string("definition", 1, DEFINITION_MAX),
        input.opt_string("roleArn", 1, 256),
        settings(input),
        publishing(input),
    ))?;
    check_arn(arn, &["stateMachine"])?;
    let other_settings = SETTINGS.iter().any(|k| input.has(k));
    if definition.is_none() && role.is_none() && !other_settings {
        return Err(ApiError::new(
            "MissingRequiredParameter",
            "Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified",
        ));
    }
    let mut update = UpdateStateMachine::new().publish(publish);
    if let Some(d) = definition {
        update = update.definition(d);
    }
    if let Some(r) = role {
        update = update.role_arn(r);
    }
    if let Some(d) = version_description {
        update = update.version_description(d);
    }
    for (member, value) in sent {
        update = update.setting(member, value);
    }
    let u = ctx
        .engine
        .update_state_machine(arn, update)
        .map_err(from_engine)?;
    let mut out = json!({"updateDate": epoch(u.update_date)});
    if let Some(r) = u.revision_id {
        out["revisionId"] = r.into();
    }
    if let Some(v) = u.state_machine_version_arn {
        out["stateMachineVersionArn"] = v.into();
    }
    Ok(out)
}

pub(super) fn delete(ctx: &Ctx, input: &Input) -> OpResult {
    let arn = input.string("stateMachineArn", 1, ARN_MAX)?;
    check_arn(arn, &["stateMachine"])?;
    ctx.engine.delete_state_machine(arn);
    Ok(json!({}))
}

/// Each setting at AWS's default.
fn default_settings() -> [(&'static str, Value); 3] {
    [
        (
            "loggingConfiguration",
            json!({"level": "OFF", "includeExecutionData": false}),
        ),
        ("tracingConfiguration", json!({"enabled": false})),
        ("encryptionConfiguration", json!({"type": "AWS_OWNED_KEY"})),
    ]
}

/// The settings a machine reports: those recorded, each other at AWS's default.
fn report_settings(out: &mut Value, recorded: Map<String, Value>) {
    for (member, value) in default_settings() {
        out[member] = value;
    }
    for (member, value) in recorded {
        out[member.as_str()] = value;
    }
}

pub(super) fn describe(ctx: &Ctx, input: &Input) -> OpResult {
    let (arn, _) = all((
        input.string("stateMachineArn", 1, ARN_MAX),
        input.opt_enum("includedData", INCLUDED_DATA),
    ))?;
    check_arn(arn, &["stateMachine"])?;
    let d = ctx
        .engine
        .describe_state_machine(arn)
        .map_err(from_engine)?;
    let mut out = json!({
        "stateMachineArn": d.state_machine_arn,
        "name": d.name,
        "status": d.status.as_str(),
        "definition": d.definition,
        "roleArn": d.role_arn,
        "type": d.machine_type.as_str(),
        "creationDate": epoch(d.creation_date),
    });
    if let Some(r) = d.revision_id {
        out["revisionId"] = r.into();
    }
    variable_references(&mut out, &d.definition);
    if let Some(description) = d.description {
        out["description"] = description.into();
    }
    report_settings(&mut out, d.settings);
    Ok(out)
}

pub(super) fn describe_for_execution(ctx: &Ctx, input: &Input) -> OpResult {
    let (arn, _) = all((
        input.string("executionArn", 1, ARN_MAX),
        input.opt_enum("includedData", INCLUDED_DATA),
    ))?;
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
    });
    if let Some(r) = d.revision_id {
        out["revisionId"] = r.into();
    }
    variable_references(&mut out, &d.definition);
    if let Ok(e) = ctx.engine.describe_execution(arn)
        && let Some(m) = e.map_run_arn
    {
        out["mapRunArn"] = m.into();
    }
    report_settings(&mut out, d.settings);
    Ok(out)
}

pub(super) fn list(ctx: &Ctx, input: &Input) -> OpResult {
    const SCOPE: &str = "ListStateMachines";
    let page = page(input, SCOPE, 1024)?;
    // By name, as AWS lists them.
    let (items, next) = page.take(
        ctx.engine.list_state_machine_descriptions(),
        SCOPE,
        Order::Ascending,
        |d| Key::new(0, &d.name),
    );
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
