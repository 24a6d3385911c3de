//! PublishStateMachineVersion, ListStateMachineVersions, DeleteStateMachineVersion;
//! CreateStateMachineAlias, DescribeStateMachineAlias, UpdateStateMachineAlias,
//! DeleteStateMachineAlias, ListStateMachineAliases. The engine decides; these translate.

use serde_json::{Value, json};

use super::{ARN_MAX, Ctx};
use crate::{
    api::{
        error::from_engine,
        protocol::{
            ApiError, Input, Key, OpResult, Order, all, check_arn, collect, epoch, page_members,
            rename,
        },
    },
    local::{AliasDescription, RoutingConfig},
};

/// The longest description of a version or an alias.
const DESCRIPTION_MAX: usize = 256;

pub(super) fn publish(ctx: &Ctx, input: &Input) -> OpResult {
    let (arn, revision_id, description) = all((
        input.string("stateMachineArn", 1, ARN_MAX),
        input.opt_string("revisionId", 0, usize::MAX),
        input.opt_string("description", 0, DESCRIPTION_MAX),
    ))?;
    check_arn(arn, &["stateMachine"])?;
    let v = ctx
        .engine
        .publish_state_machine_version(arn, revision_id, description)
        .map_err(from_engine)?;
    Ok(json!({
        "stateMachineVersionArn": v.state_machine_version_arn,
        "creationDate": epoch(v.creation_date),
    }))
}

pub(super) fn list_versions(ctx: &Ctx, input: &Input) -> OpResult {
    let (arn, page_members) = all((
        input.string("stateMachineArn", 1, ARN_MAX),
        page_members(input, 1024),
    ))?;
    check_arn(arn, &["stateMachine"])?;
    let scope = format!("ListStateMachineVersions\n{arn}");
    let page = page_members.resolve(&scope)?;
    let versions = ctx
        .engine
        .list_state_machine_versions(arn)
        .map_err(from_engine)?;
    let (items, next) = page.take(versions, &scope, Order::Descending, |v| {
        let arn = &v.state_machine_version_arn;
        let number = arn.rsplit(':').next().and_then(|n| n.parse().ok());
        Key::new(number.unwrap_or(0), arn)
    });
    let items: Vec<Value> = items
        .into_iter()
        .map(|v| {
            json!({
                "stateMachineVersionArn": v.state_machine_version_arn,
                "creationDate": epoch(v.creation_date),
            })
        })
        .collect();
    Ok(with_token(json!({ "stateMachineVersions": items }), next))
}

pub(super) fn delete_version(ctx: &Ctx, input: &Input) -> OpResult {
    let arn = input.string("stateMachineVersionArn", 1, ARN_MAX)?;
    check_arn(arn, &["stateMachine"])?;
    ctx.engine
        .delete_state_machine_version(arn)
        .map_err(from_engine)?;
    Ok(json!({}))
}

/// `routingConfiguration`: a list of `{"stateMachineVersionArn": …, "weight": …}`.
fn routing(input: &Input, required: bool) -> Result<Option<Vec<RoutingConfig>>, ApiError> {
    let items = input.object_list("routingConfiguration", required)?;
    let Some(items) = items else {
        return Ok(None);
    };
    let routes = collect(items.iter().enumerate().map(|(i, item)| {
        let field = format!("routingConfiguration.{}.member", i + 1);
        let arn = item
            .string("stateMachineVersionArn", 1, ARN_MAX)
            .map_err(|e| {
                rename(
                    e,
                    "stateMachineVersionArn",
                    &format!("{field}.stateMachineVersionArn"),
                )
            });
        // The engine words the check of the upper bound, as AWS does.
        let weight = item
            .opt_int("weight", 0, i64::from(u32::MAX))
            .map_err(|e| rename(e, "weight", &format!("{field}.weight")))
            .and_then(|w| {
                w.and_then(|w| u32::try_from(w).ok()).ok_or_else(|| {
                    ApiError::constraint(
                        "null",
                        &format!("{field}.weight"),
                        "Member must not be null",
                    )
                })
            });
        let (arn, weight) = all((arn, weight))?;
        Ok(RoutingConfig::new(arn, weight))
    }))?;
    Ok(Some(routes))
}

fn alias_json(a: AliasDescription) -> Value {
    let routes: Vec<Value> = a
        .routing_configuration
        .iter()
        .map(|r| json!({"stateMachineVersionArn": r.state_machine_version_arn, "weight": r.weight}))
        .collect();
    let mut out = json!({
        "stateMachineAliasArn": a.state_machine_alias_arn,
        "name": a.name,
        "routingConfiguration": routes,
        "creationDate": epoch(a.creation_date),
        "updateDate": epoch(a.update_date),
    });
    if let Some(d) = a.description {
        out["description"] = d.into();
    }
    out
}

pub(super) fn create_alias(ctx: &Ctx, input: &Input) -> OpResult {
    let (description, name, routes) = all((
        input.opt_string("description", 0, DESCRIPTION_MAX),
        input.string("name", 1, 80),
        routing(input, true),
    ))?;
    let routes = routes.unwrap_or_default();
    let a = ctx
        .engine
        .create_state_machine_alias(name, description, &routes)
        .map_err(from_engine)?;
    Ok(json!({
        "stateMachineAliasArn": a.state_machine_alias_arn,
        "creationDate": epoch(a.creation_date),
    }))
}

pub(super) fn describe_alias(ctx: &Ctx, input: &Input) -> OpResult {
    let arn = input.string("stateMachineAliasArn", 1, ARN_MAX)?;
    check_arn(arn, &["stateMachine"])?;
    let a = ctx
        .engine
        .describe_state_machine_alias(arn)
        .map_err(from_engine)?;
    Ok(alias_json(a))
}

pub(super) fn update_alias(ctx: &Ctx, input: &Input) -> OpResult {
    let (arn, description, routes) = all((
        input.string("stateMachineAliasArn", 1, ARN_MAX),
        input.opt_string("description", 0, DESCRIPTION_MAX),
        routing(input, false),
    ))?;
    check_arn(arn, &["stateMachine"])?;
    let date = ctx
        .engine
        .update_state_machine_alias(arn, description, routes.as_deref())
        .map_err(from_engine)?;
    Ok(json!({ "updateDate": epoch(date) }))
}

pub(super) fn delete_alias(ctx: &Ctx, input: &Input) -> OpResult {
    let arn = input.string("stateMachineAliasArn", 1, ARN_MAX)?;
    check_arn(arn, &["stateMachine"])?;
    ctx.engine
        .delete_state_machine_alias(arn)
        .map_err(from_engine)?;
    Ok(json!({}))
}

pub(super) fn list_aliases(ctx: &Ctx, input: &Input) -> OpResult {
    let (arn, page_members) = all((
        input.string("stateMachineArn", 1, ARN_MAX),
        page_members(input, 1024),
    ))?;
    check_arn(arn, &["stateMachine"])?;
    let scope = format!("ListStateMachineAliases\n{arn}");
    let page = page_members.resolve(&scope)?;
    let aliases = ctx
        .engine
        .list_state_machine_aliases(arn)
        .map_err(from_engine)?;
    // Oldest first, as the engine gives them and AWS lists them.
    let (items, next) = page.take(aliases, &scope, Order::Ascending, |a| {
        Key::dated(a.creation_date, &a.state_machine_alias_arn)
    });
    let items: Vec<Value> = items
        .into_iter()
        .map(|a| {
            json!({
                "stateMachineAliasArn": a.state_machine_alias_arn,
                "creationDate": epoch(a.creation_date),
            })
        })
        .collect();
    Ok(with_token(json!({ "stateMachineAliases": items }), next))
}

/// A list's answer, with its `nextToken` when there is more.
fn with_token(mut out: Value, next: Option<String>) -> Value {
    if let Some(t) = next {
        out["nextToken"] = t.into();
    }
    out
}
