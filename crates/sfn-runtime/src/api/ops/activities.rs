//! CreateActivity, DeleteActivity, DescribeActivity, ListActivities.

use serde_json::json;

use super::{ARN_MAX, Ctx};
use crate::api::{
    error::from_engine,
    protocol::{Input, Key, OpResult, Order, all, check_arn, epoch, page},
};

pub(super) fn create(ctx: &Ctx, input: &Input) -> OpResult {
    let (name, tags) = all((input.string("name", 1, 80), input.tags("tags", false)))?;
    let a = ctx
        .engine
        .create_activity_with_tags(name, tags)
        .map_err(from_engine)?;
    Ok(json!({"activityArn": a.activity_arn, "creationDate": epoch(a.creation_date)}))
}

pub(super) fn delete(ctx: &Ctx, input: &Input) -> OpResult {
    let arn = input.string("activityArn", 1, ARN_MAX)?;
    check_arn(arn, &["activity"])?;
    ctx.engine.remove_activity(arn);
    Ok(json!({}))
}

pub(super) fn describe(ctx: &Ctx, input: &Input) -> OpResult {
    let arn = input.string("activityArn", 1, ARN_MAX)?;
    check_arn(arn, &["activity"])?;
    let a = ctx.engine.describe_activity(arn).map_err(from_engine)?;
    Ok(json!({
        "activityArn": a.activity_arn,
        "name": a.name,
        "creationDate": epoch(a.creation_date),
        // Activities are kept under AWS's own key, as AWS reports by default.
        "encryptionConfiguration": {"type": "AWS_OWNED_KEY"},
    }))
}

pub(super) fn list(ctx: &Ctx, input: &Input) -> OpResult {
    const SCOPE: &str = "ListActivities";
    let page = page(input, SCOPE, 1024)?;
    let (items, next) = page.take(
        ctx.engine.list_activity_descriptions(),
        SCOPE,
        Order::Ascending,
        |a| Key::dated(a.creation_date, &a.activity_arn),
    );
    let activities: Vec<_> = items
        .into_iter()
        .map(|a| {
            json!({
                "activityArn": a.activity_arn,
                "name": a.name,
                "creationDate": epoch(a.creation_date),
            })
        })
        .collect();
    let mut out = json!({ "activities": activities });
    if let Some(t) = next {
        out["nextToken"] = t.into();
    }
    Ok(out)
}
