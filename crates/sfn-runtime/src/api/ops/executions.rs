//! StartExecution, StartSyncExecution, StopExecution, DescribeExecution, ListExecutions,
//! GetExecutionHistory, RedriveExecution.

use serde_json::{Map, Value, json};

use super::{ARN_MAX, Ctx, LONG_ARN_MAX, until_shutdown};
use crate::{
    api::{
        error::from_engine,
        protocol::{ApiError, Input, Key, OpResult, Order, all, check_arn, epoch, page_members},
    },
    local::{
        ExecutionDescription, ExecutionFilter, ExecutionStatus, RedriveFilter, StartExecution,
    },
};

/// The statuses `statusFilter` takes, in the order AWS lists them.
const STATUSES: &[&str] = &[
    "SUCCEEDED",
    "TIMED_OUT",
    "PENDING_REDRIVE",
    "ABORTED",
    "FAILED",
    "RUNNING",
];

/// The ARN kinds an execution ARN may have (Standard, Express).
const EXECUTION_KINDS: &[&str] = &["execution", "express"];

pub(super) async fn start(ctx: &Ctx, input: &Input) -> OpResult {
    let (target, name, execution_input, _) = all((
        input.string("stateMachineArn", 1, ARN_MAX),
        input.opt_string("name", 1, 80),
        input.opt_string("input", 0, usize::MAX),
        input.opt_string("traceHeader", 0, 256),
    ))?;
    // `<stateMachineArn>#<TestCase>` picks a test case of the mock configuration.
    let (arn, test_case) = match target.split_once('#') {
        Some((arn, case)) => (arn, Some(case)),
        None => (target, None),
    };
    check_arn(arn, &["stateMachine"])?;
    let mut start = StartExecution::from_json(execution_input.unwrap_or("{}"));
    if let Some(n) = name {
        start = start.name(n);
    }
    if let Some(case) = test_case {
        let Some(config) = &ctx.mock_config else {
            return Err(ApiError::validation(format!(
                "test case '{case}' asked for, but no mock configuration is loaded"
            )));
        };
        // The machine's name, also in a version's or an alias's ARN (`…:NAME:PROD`).
        let machine = arn.split(':').nth(6).unwrap_or(arn);
        let mocks = config.mocks(machine, case).map_err(from_engine)?;
        start = start.mocks(mocks);
    }
    let run = ctx
        .engine
        .start_execution(arn, start)
        .await
        .map_err(from_engine)?;
    let d = run.describe();
    Ok(json!({"executionArn": d.execution_arn, "startDate": epoch(d.start_date)}))
}

/// `StartSyncExecution`: runs an Express machine to its end and answers with the result
/// ([`LocalEngine::start_sync_execution`](crate::local::LocalEngine::start_sync_execution)).
pub(super) async fn start_sync(ctx: &Ctx, input: &Input) -> OpResult {
    let (arn, name, execution_input, trace_header, included) = all((
        input.string("stateMachineArn", 1, ARN_MAX),
        input.opt_string("name", 1, 80),
        input.opt_string("input", 0, usize::MAX),
        input.opt_string("traceHeader", 0, 256),
        input.opt_enum("includedData", &["ALL_DATA", "METADATA_ONLY"]),
    ))?;
    check_arn(arn, &["stateMachine"])?;
    let mut start = StartExecution::from_json(execution_input.unwrap_or("{}"));
    if let Some(n) = name {
        start = start.name(n);
    }
    let done = until_shutdown(ctx, ctx.engine.start_sync_execution(arn, start))
        .await?
        .map_err(from_engine)?;
    let status = match done.status {
        ExecutionStatus::Succeeded => "SUCCEEDED",
        ExecutionStatus::TimedOut => "TIMED_OUT",
        _ => "FAILED",
    };
    let data = included != Some("METADATA_ONLY");
    let mut out = Map::new();
    out.insert("executionArn".into(), done.execution_arn.into());
    out.insert("stateMachineArn".into(), done.state_machine_arn.into());
    out.insert("name".into(), done.name.into());
    out.insert("startDate".into(), epoch(done.start_date));
    out.insert("stopDate".into(), epoch(done.stop_date));
    out.insert("status".into(), status.into());
    if let Some(e) = done.error {
        out.insert("error".into(), e.into());
    }
    if let Some(c) = done.cause {
        out.insert("cause".into(), c.into());
    }
    if data {
        let text = done.input_text.unwrap_or_else(|| done.input.to_string());
        out.insert("input".into(), text.into());
    }
    out.insert("inputDetails".into(), json!({"included": data}));
    if let Some(o) = &done.output {
        if data {
            out.insert("output".into(), o.to_string().into());
        }
        out.insert("outputDetails".into(), json!({"included": data}));
    }
    if let Some(t) = trace_header {
        out.insert("traceHeader".into(), t.into());
    }
    let billing = done.billing_details;
    out.insert(
        "billingDetails".into(),
        json!({
            "billedMemoryUsedInMB": billing.billed_memory_used_in_mb,
            "billedDurationInMilliseconds": billing.billed_duration_in_milliseconds,
        }),
    );
    Ok(Value::Object(out))
}

pub(super) fn stop(ctx: &Ctx, input: &Input) -> OpResult {
    let (arn, error, cause) = all((
        input.string("executionArn", 1, ARN_MAX),
        input.opt_string("error", 0, 256),
        input.opt_string("cause", 0, 32_768),
    ))?;
    check_arn(arn, EXECUTION_KINDS)?;
    let date = ctx
        .engine
        .stop_execution(arn, error.map(str::to_owned), cause.map(str::to_owned))
        .map_err(from_engine)?;
    Ok(json!({"stopDate": epoch(date)}))
}

pub(super) fn describe(ctx: &Ctx, input: &Input) -> OpResult {
    let (arn, included) = all((
        input.string("executionArn", 1, ARN_MAX),
        input.opt_enum("includedData", &["ALL_DATA", "METADATA_ONLY"]),
    ))?;
    check_arn(arn, EXECUTION_KINDS)?;
    let d = ctx.engine.describe_execution(arn).map_err(from_engine)?;
    let data = included != Some("METADATA_ONLY");
    let mut out = Map::new();
    out.insert("executionArn".into(), d.execution_arn.into());
    out.insert("stateMachineArn".into(), d.state_machine_arn.into());
    out.insert("name".into(), d.name.into());
    out.insert("status".into(), d.status.as_str().into());
    out.insert("startDate".into(), epoch(d.start_date));
    if let Some(stop) = d.stop_date {
        out.insert("stopDate".into(), epoch(stop));
    }
    if data {
        let text = d.input_text.unwrap_or_else(|| d.input.to_string());
        out.insert("input".into(), text.into());
    }
    out.insert("inputDetails".into(), json!({"included": data}));
    if let Some(o) = &d.output {
        if data {
            out.insert("output".into(), o.to_string().into());
        }
        out.insert("outputDetails".into(), json!({"included": data}));
    }
    if let Some(e) = d.error {
        out.insert("error".into(), e.into());
    }
    if let Some(c) = d.cause {
        out.insert("cause".into(), c.into());
    }
    if let Some(m) = d.map_run_arn {
        out.insert("mapRunArn".into(), m.into());
    }
    if let Some(v) = d.state_machine_version_arn {
        out.insert("stateMachineVersionArn".into(), v.into());
    }
    if let Some(a) = d.state_machine_alias_arn {
        out.insert("stateMachineAliasArn".into(), a.into());
    }
    out.insert("redriveCount".into(), d.redrive_count.into());
    if let Some(date) = d.redrive_date {
        out.insert("redriveDate".into(), epoch(date));
    }
    out.insert("redriveStatus".into(), d.redrive_status.as_str().into());
    if let Some(reason) = d.redrive_status_reason {
        out.insert("redriveStatusReason".into(), reason.into());
    }
    Ok(Value::Object(out))
}

fn list_item(d: ExecutionDescription) -> Value {
    let mut item = json!({
        "executionArn": d.execution_arn,
        "stateMachineArn": d.state_machine_arn,
        "name": d.name,
        "status": d.status.as_str(),
        "startDate": epoch(d.start_date),
    });
    if let Some(stop) = d.stop_date {
        item["stopDate"] = epoch(stop);
    }
    if let Some(m) = d.map_run_arn {
        item["mapRunArn"] = m.into();
    }
    if let Some(v) = d.state_machine_version_arn {
        item["stateMachineVersionArn"] = v.into();
    }
    if let Some(a) = d.state_machine_alias_arn {
        item["stateMachineAliasArn"] = a.into();
    }
    item["redriveCount"] = d.redrive_count.into();
    if let Some(date) = d.redrive_date {
        item["redriveDate"] = epoch(date);
    }
    item
}

pub(super) fn list(ctx: &Ctx, input: &Input) -> OpResult {
    let (machine, status, page_members, map_run, redrive) = all((
        input.opt_string("stateMachineArn", 1, ARN_MAX),
        input.opt_enum("statusFilter", STATUSES),
        page_members(input, 3096),
        input.opt_string("mapRunArn", 1, LONG_ARN_MAX),
        input.opt_enum("redriveFilter", &["REDRIVEN", "NOT_REDRIVEN"]),
    ))?;
    let scope = format!(
        "ListExecutions\n{}\n{}\n{}\n{}",
        machine.unwrap_or(""),
        map_run.unwrap_or(""),
        status.unwrap_or(""),
        redrive.unwrap_or("")
    );
    let page = page_members.resolve(&scope)?;
    let mut filter = match (machine, map_run) {
        (Some(_), Some(_)) => {
            return Err(ApiError::validation(
                "Specify either a stateMachineArn or a mapRunArn, not both",
            ));
        }
        (None, None) => {
            return Err(ApiError::validation(
                "Must specify either a stateMachineArn or a mapRunArn",
            ));
        }
        (Some(arn), None) => {
            check_arn(arn, &["stateMachine"])?;
            ExecutionFilter::new().machine(arn)
        }
        (None, Some(arn)) => {
            check_arn(arn, &["mapRun"])?;
            ExecutionFilter::new().machine(arn)
        }
    };
    if let Some(status) = status {
        filter = filter.status(ExecutionStatus::parse(status));
    }
    match redrive {
        Some("REDRIVEN") => filter = filter.redrive(RedriveFilter::Redriven),
        Some("NOT_REDRIVEN") => filter = filter.redrive(RedriveFilter::NotRedriven),
        _ => {}
    }
    let mut all = ctx
        .engine
        .list_executions_matching(&filter)
        .map_err(from_engine)?;
    // A redrive is never pending here: the engine redrives at once.
    if status == Some("PENDING_REDRIVE") {
        all.clear();
    }
    // Newest first, as AWS lists them.
    let (items, next) = page.take(all, &scope, Order::Descending, |d| {
        Key::dated(d.start_date, &d.execution_arn)
    });
    let mut out = json!({"executions": items.into_iter().map(list_item).collect::<Vec<_>>()});
    if let Some(t) = next {
        out["nextToken"] = t.into();
    }
    Ok(out)
}

/// `RedriveExecution`: a failed, timed-out or aborted Standard execution runs again from
/// the states that did not succeed
/// ([`LocalEngine::redrive_execution`](crate::local::LocalEngine::redrive_execution)).
pub(super) async fn redrive(ctx: &Ctx, input: &Input) -> OpResult {
    let client_token = || match input.opt_string("clientToken", 1, 64)? {
        Some(t) if !t.chars().all(|c| c.is_ascii_graphic()) => Err(ApiError::constraint(
            &format!("'{t}'"),
            "clientToken",
            "Member must satisfy regular expression pattern: [!-~]+",
        )),
        token => Ok(token),
    };
    let (arn, token) = all((input.string("executionArn", 1, ARN_MAX), client_token()))?;
    check_arn(arn, EXECUTION_KINDS)?;
    let run = ctx
        .engine
        .redrive_execution(arn, token)
        .await
        .map_err(from_engine)?;
    let d = run.describe();
    Ok(json!({"redriveDate": epoch(d.redrive_date.unwrap_or(d.start_date))}))
}

/// The members of event details that carry execution data.
const DATA_MEMBERS: &[&str] = &[
    "input",
    "inputDetails",
    "output",
    "outputDetails",
    "parameters",
];

pub(super) fn history(ctx: &Ctx, input: &Input) -> OpResult {
    let (arn, page_members, reverse, data) = all((
        input.string("executionArn", 1, ARN_MAX),
        page_members(input, 1024),
        input.opt_bool("reverseOrder"),
        input.opt_bool("includeExecutionData"),
    ))?;
    let (reverse, data) = (reverse.unwrap_or(false), data.unwrap_or(true));
    check_arn(arn, EXECUTION_KINDS)?;
    let scope = format!("GetExecutionHistory\n{arn}\n{reverse}");
    let page = page_members.resolve(&scope)?;
    let history = ctx.engine.get_execution_history(arn).map_err(from_engine)?;
    let events: Vec<Value> = history
        .events()
        .iter()
        .map(|e| {
            let mut v = e.to_json();
            if let Value::Object(m) = &mut v {
                m.insert("timestamp".into(), epoch(e.timestamp));
                if !data {
                    for details in m.values_mut() {
                        if let Value::Object(d) = details {
                            for k in DATA_MEMBERS {
                                d.remove(*k);
                            }
                        }
                    }
                }
            }
            v
        })
        .collect();
    let order = if reverse {
        Order::Descending
    } else {
        Order::Ascending
    };
    let (items, next) = page.take(events, &scope, order, |e| {
        Key::new(e["id"].as_i64().unwrap_or(0), "")
    });
    let mut out = json!({ "events": items });
    if let Some(t) = next {
        out["nextToken"] = t.into();
    }
    Ok(out)
}
