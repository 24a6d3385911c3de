//! DescribeMapRun, ListMapRuns.

use serde_json::json;

use super::{ARN_MAX, Ctx};
use crate::server::{
    error::from_engine,
    protocol::{Input, OpResult, check_arn, epoch, page},
};

pub(super) fn describe(ctx: &Ctx, input: &Input) -> OpResult {
    let arn = input.string("mapRunArn", 1, 2000)?;
    check_arn(arn, &["mapRun"])?;
    let d = ctx.engine.describe_map_run(arn).map_err(from_engine)?;
    Ok(d.to_json())
}

pub(super) fn list(ctx: &Ctx, input: &Input) -> OpResult {
    let arn = input.string("executionArn", 1, ARN_MAX)?;
    check_arn(arn, &["execution"])?;
    let scope = format!("ListMapRuns\n{arn}");
    let page = page(input, &scope, 1024)?;
    let runs = ctx.engine.list_map_runs(arn).map_err(from_engine)?;
    let (items, next) = page.take(runs, &scope);
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
