//! DescribeMapRun, ListMapRuns, UpdateMapRun.

use serde_json::json;

use super::{ARN_MAX, Ctx, LONG_ARN_MAX};
use crate::{
    api::{
        error::from_engine,
        protocol::{Input, Key, OpResult, Order, all, check_arn, epoch, page_members},
    },
    local::MapRunUpdate,
};

pub(super) fn describe(ctx: &Ctx, input: &Input) -> OpResult {
    let arn = input.string("mapRunArn", 1, LONG_ARN_MAX)?;
    check_arn(arn, &["mapRun"])?;
    let d = ctx.engine.describe_map_run(arn).map_err(from_engine)?;
    Ok(d.to_json())
}

pub(super) fn list(ctx: &Ctx, input: &Input) -> OpResult {
    let (arn, page_members) = all((
        input.string("executionArn", 1, ARN_MAX),
        page_members(input, 1024),
    ))?;
    check_arn(arn, &["execution"])?;
    let scope = format!("ListMapRuns\n{arn}");
    let page = page_members.resolve(&scope)?;
    let runs = ctx.engine.list_map_runs(arn).map_err(from_engine)?;
    let (items, next) = page.take(runs, &scope, Order::Ascending, |r| {
        Key::dated(r.start_date, &r.map_run_arn)
    });
    let map_runs: Vec<_> = items
        .into_iter()
        .map(|r| {
            let mut item = json!({
                "executionArn": r.execution_arn,
                "mapRunArn": r.map_run_arn,
                "stateMachineArn": r.state_machine_arn,
                "startDate": epoch(r.start_date),
            });
            if let Some(stop) = r.stop_date {
                item["stopDate"] = epoch(stop);
            }
            item
        })
        .collect();
    let mut out = json!({ "mapRuns": map_runs });
    if let Some(t) = next {
        out["nextToken"] = t.into();
    }
    Ok(out)
}

/// `UpdateMapRun`: new `maxConcurrency`, `toleratedFailurePercentage` or
/// `toleratedFailureCount` for a running Map Run
/// ([`LocalEngine::update_map_run`](crate::local::LocalEngine::update_map_run)).
pub(super) fn update(ctx: &Ctx, input: &Input) -> OpResult {
    let (arn, concurrency, percentage, count) = all((
        input.string("mapRunArn", 1, LONG_ARN_MAX),
        input.opt_int("maxConcurrency", 0, i64::from(i32::MAX)),
        input.opt_float("toleratedFailurePercentage", 0.0, 100.0),
        input.opt_int("toleratedFailureCount", 0, i64::MAX),
    ))?;
    check_arn(arn, &["mapRun"])?;
    let mut update = MapRunUpdate::new();
    if let Some(n) = concurrency.and_then(|n| u64::try_from(n).ok()) {
        update = update.max_concurrency(n);
    }
    if let Some(p) = percentage {
        update = update.tolerated_failure_percentage(p);
    }
    if let Some(n) = count.and_then(|n| u64::try_from(n).ok()) {
        update = update.tolerated_failure_count(n);
    }
    ctx.engine
        .update_map_run(arn, update)
        .map_err(from_engine)?;
    Ok(json!({}))
}
