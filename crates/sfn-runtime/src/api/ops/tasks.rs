//! GetActivityTask, SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat.

use serde_json::{Value, json};

use super::{ARN_MAX, Ctx};
use crate::api::{
    error::from_engine,
    protocol::{ApiError, Input, OpResult, all, check_arn},
};

/// The longest task token.
const TOKEN_MAX: usize = 2048;

pub(super) async fn get_activity_task(ctx: &Ctx, input: &Input) -> OpResult {
    let (arn, worker) = all((
        input.string("activityArn", 1, ARN_MAX),
        input.opt_string("workerName", 1, 80),
    ))?;
    check_arn(arn, &["activity"])?;
    if ctx.shutdown.is_cancelled() {
        return Ok(json!({}));
    }
    // Dropping the poll is safe: a task leaves its queue only in the poll's last,
    // synchronous step, which then returns it.
    let task = tokio::select! {
        biased;
        r = ctx.engine.poll_activity_task(arn, worker) => r.map_err(from_engine)?,
        _ = ctx.shutdown.cancelled() => None,
    };
    Ok(match task {
        Some(t) => json!({"taskToken": t.task_token, "input": t.input.to_string()}),
        None => json!({}),
    })
}

pub(super) fn send_success(ctx: &Ctx, input: &Input) -> OpResult {
    let (token, output) = all((
        input.string("taskToken", 1, TOKEN_MAX),
        input.string("output", 0, usize::MAX),
    ))?;
    if output.len() > sfn_core::eval::limits::MAX_PAYLOAD_BYTES {
        return Err(ApiError::new(
            "InvalidOutput",
            format!(
                "Invalid Output: the output is larger than {} bytes",
                sfn_core::eval::limits::MAX_PAYLOAD_BYTES
            ),
        ));
    }
    let output: Value = serde_json::from_str(output)
        .map_err(|e| ApiError::new("InvalidOutput", format!("Invalid Output: not JSON: {e}")))?;
    ctx.engine
        .send_task_success(token, output)
        .map_err(from_engine)?;
    Ok(json!({}))
}

pub(super) fn send_failure(ctx: &Ctx, input: &Input) -> OpResult {
    let (token, error, cause) = all((
        input.string("taskToken", 1, TOKEN_MAX),
        input.opt_string("error", 0, 256),
        input.opt_string("cause", 0, 32_768),
    ))?;
    ctx.engine
        .send_task_failure(token, error.map(str::to_owned), cause.map(str::to_owned))
        .map_err(from_engine)?;
    Ok(json!({}))
}

pub(super) fn send_heartbeat(ctx: &Ctx, input: &Input) -> OpResult {
    let token = input.string("taskToken", 1, TOKEN_MAX)?;
    ctx.engine.send_task_heartbeat(token).map_err(from_engine)?;
    Ok(json!({}))
}
