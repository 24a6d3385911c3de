//! TagResource, UntagResource, ListTagsForResource.

use serde_json::json;

use super::{ARN_MAX, Ctx};
use crate::api::{
    error::resource_not_found,
    protocol::{ApiError, Input, OpResult, all, check_arn},
};

/// The resources that take tags.
const TAGGABLE: &[&str] = &["stateMachine", "activity"];

/// The most tags a resource has.
const MAX_TAGS: usize = 50;

pub(super) fn tag(ctx: &Ctx, input: &Input) -> OpResult {
    let (arn, tags) = all((
        input.string("resourceArn", 1, ARN_MAX),
        input.tags("tags", true),
    ))?;
    check_arn(arn, TAGGABLE)?;
    let existing = ctx
        .engine
        .list_tags_for_resource(arn)
        .map_err(resource_not_found)?;
    let added = tags
        .iter()
        .filter(|(k, _)| !existing.iter().any(|(e, _)| e == k))
        .count();
    if existing.len() + added > MAX_TAGS {
        return Err(ApiError::new(
            "TooManyTags",
            format!("Too many tags: a resource has at most {MAX_TAGS}"),
        ));
    }
    ctx.engine
        .tag_resource(arn, tags)
        .map_err(resource_not_found)?;
    Ok(json!({}))
}

pub(super) fn untag(ctx: &Ctx, input: &Input) -> OpResult {
    let (arn, keys) = all((
        input.string("resourceArn", 1, ARN_MAX),
        input.string_list("tagKeys", true),
    ))?;
    check_arn(arn, TAGGABLE)?;
    ctx.engine
        .untag_resource(arn, &keys)
        .map_err(resource_not_found)?;
    Ok(json!({}))
}

pub(super) fn list(ctx: &Ctx, input: &Input) -> OpResult {
    let arn = input.string("resourceArn", 1, ARN_MAX)?;
    check_arn(arn, TAGGABLE)?;
    let tags = ctx
        .engine
        .list_tags_for_resource(arn)
        .map_err(resource_not_found)?;
    let tags: Vec<_> = tags
        .into_iter()
        .map(|(k, v)| json!({"key": k, "value": v}))
        .collect();
    Ok(json!({ "tags": tags }))
}
