//! The local endpoint (`sfn_runtime::server`) driven by the real `aws-sdk-sfn` client over
//! HTTP on loopback: every operation served, with its errors and pagination; activity
//! flows end to end; and bad requests, sent by hand, answered with AWS-shaped errors.

use std::{
    io::{Read, Write},
    net::{SocketAddr, TcpStream},
    sync::{
        Arc, OnceLock,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use aws_sdk_sfn::{
    Client,
    config::retry::RetryConfig,
    error::ProvideErrorMetadata,
    types::{
        ExecutionRedriveFilter, ExecutionRedriveStatus, ExecutionStatus, HistoryEventType,
        InspectionLevel, RoutingConfigurationListItem, StateMachineType, Tag, TestExecutionStatus,
        ValidateStateMachineDefinitionResultCode, ValidateStateMachineDefinitionSeverity,
    },
};
use proptest::prelude::*;
use serde_json::{Value, json};
use sfn_runtime::{
    activity::TaskFailure,
    local::{LocalEngine, MockConfig, TaskRequest},
    server::{Server, ServerHandle},
};

use crate::support::{WORK, map_machine, task_processor, until};

const ROLE: &str = "arn:aws:iam::123456789012:role/test";
const PREFIX: &str = "arn:aws:states:us-east-1:123456789012";

/// A client for a local endpoint, as `sfn_runtime::aws` configures it, without retries.
fn client(endpoint: &str) -> Client {
    Client::from_conf(
        sfn_runtime::aws::local_config(endpoint)
            .retry_config(RetryConfig::disabled())
            .build(),
    )
}

/// A server on a free loopback port, with held polls of `poll`, and its client.
async fn serve(poll: Duration) -> (ServerHandle, Client) {
    serve_with(Server::builder().activity_poll_timeout(poll)).await
}

async fn serve_with(builder: sfn_runtime::server::ServerBuilder) -> (ServerHandle, Client) {
    let server = builder
        .engine(LocalEngine::new())
        .bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .build()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let client = client(&server.endpoint_url());
    (server, client)
}

/// The exception name of a failed call.
fn code<T: std::fmt::Debug, E: ProvideErrorMetadata + std::fmt::Debug>(r: Result<T, E>) -> String {
    match r {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(e) => e
            .code()
            .map(str::to_owned)
            .unwrap_or_else(|| panic!("no error code: {e:?}")),
    }
}

/// The message of a failed call.
fn message<T: std::fmt::Debug, E: ProvideErrorMetadata + std::fmt::Debug>(
    r: Result<T, E>,
) -> String {
    match r {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(e) => e.message().unwrap_or_default().to_owned(),
    }
}

const PASS: &str = r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}"#;

fn activity_machine(activity_arn: &str, extra: &str) -> String {
    format!(
        r#"{{"StartAt": "Work", "States": {{
            "Work": {{"Type": "Task", "Resource": "{activity_arn}", "HeartbeatSeconds": 30{extra}, "End": true}}}}}}"#
    )
}

async fn create_machine(client: &Client, name: &str, definition: &str) -> String {
    client
        .create_state_machine()
        .name(name)
        .definition(definition)
        .role_arn(ROLE)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{name}: {e:?}"))
        .state_machine_arn()
        .to_owned()
}

async fn start(client: &Client, machine: &str, name: Option<&str>, input: &str) -> String {
    client
        .start_execution()
        .state_machine_arn(machine)
        .set_name(name.map(str::to_owned))
        .input(input)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .execution_arn()
        .to_owned()
}

/// DescribeExecution of `execution`.
async fn describe(
    client: &Client,
    execution: &str,
) -> aws_sdk_sfn::operation::describe_execution::DescribeExecutionOutput {
    client
        .describe_execution()
        .execution_arn(execution)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
}

/// Waits until the execution is no longer running and returns its status.
async fn finished(client: &Client, execution: &str) -> ExecutionStatus {
    for _ in 0..500 {
        let d = describe(client, execution).await;
        if *d.status() != ExecutionStatus::Running {
            return d.status().clone();
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("{execution} never finished");
}

async fn poll_task(client: &Client, activity: &str) -> (String, String) {
    let t = client
        .get_activity_task()
        .activity_arn(activity)
        .worker_name("worker-1")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    (
        t.task_token().expect("a task").to_owned(),
        t.input().unwrap_or_default().to_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn activities_are_created_described_listed_in_pages_and_deleted() {
    let (server, client) = serve(Duration::from_millis(100)).await;
    let mut arns = Vec::new();
    for i in 0..5 {
        let out = client
            .create_activity()
            .name(format!("act-{i}"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(out.activity_arn(), format!("{PREFIX}:activity:act-{i}"));
        arns.push(out.activity_arn().to_owned());
    }
    // Idempotent on the name.
    let again = client.create_activity().name("act-0").send().await;
    assert_eq!(
        again.map(|o| o.activity_arn().to_owned()).ok(),
        Some(arns[0].clone())
    );

    let d = client
        .describe_activity()
        .activity_arn(&arns[1])
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(d.name(), "act-1");
    assert!(d.creation_date().secs() > 1_600_000_000);

    // Pages of two: 2, 2, 1, by hand and through the paginator.
    let first = client
        .list_activities()
        .max_results(2)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(first.activities().len(), 2);
    let token = first.next_token().expect("a next page").to_owned();
    let second = client
        .list_activities()
        .max_results(2)
        .next_token(&token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(second.activities().len(), 2);
    let all = client
        .list_activities()
        .max_results(2)
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let names: Vec<&str> = all.iter().map(|a| a.name()).collect();
    assert_eq!(names, ["act-0", "act-1", "act-2", "act-3", "act-4"]);
    let one_page = client.list_activities().max_results(0).send().await;
    assert_eq!(one_page.map(|o| o.activities().len()).ok(), Some(5));

    // Errors.
    let r = client
        .list_activities()
        .next_token("not-a-token")
        .send()
        .await;
    assert_eq!(code(r), "InvalidToken");
    // A token from another operation is refused too.
    let r = client.list_state_machines().next_token(&token).send().await;
    assert_eq!(code(r), "InvalidToken");
    let r = client.list_activities().max_results(1001).send().await;
    assert_eq!(code(r), "ValidationException");
    let r = client.create_activity().name("bad name").send().await;
    assert_eq!(code(r), "InvalidName");
    let r = client
        .describe_activity()
        .activity_arn(format!("{PREFIX}:activity:nope"))
        .send()
        .await;
    assert_eq!(code(r), "ActivityDoesNotExist");
    let r = client
        .describe_activity()
        .activity_arn(format!("{PREFIX}:stateMachine:nope"))
        .send()
        .await;
    assert_eq!(code(r), "InvalidArn");
    let r = client.describe_activity().activity_arn("nope").send().await;
    assert_eq!(code(r), "InvalidArn");

    // Deleting, twice: AWS does not mind.
    for _ in 0..2 {
        let r = client.delete_activity().activity_arn(&arns[4]).send().await;
        assert!(r.is_ok(), "{r:?}");
    }
    let r = client
        .describe_activity()
        .activity_arn(&arns[4])
        .send()
        .await;
    assert_eq!(code(r), "ActivityDoesNotExist");
    let left = client.list_activities().send().await;
    assert_eq!(left.map(|o| o.activities().len()).ok(), Some(4));
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn state_machines_are_created_described_updated_listed_and_deleted() {
    let (server, client) = serve(Duration::from_millis(100)).await;
    let out = client
        .create_state_machine()
        .name("hello")
        .definition(PASS)
        .role_arn(ROLE)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let arn = out.state_machine_arn().to_owned();
    assert_eq!(arn, format!("{PREFIX}:stateMachine:hello"));

    // Same name and definition: the same machine. Another definition: refused.
    let again = client
        .create_state_machine()
        .name("hello")
        .definition(PASS)
        .role_arn("arn:aws:iam::123456789012:role/other")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(again.state_machine_arn(), arn);
    assert_eq!(again.creation_date(), out.creation_date());
    let other = r#"{"StartAt": "Q", "States": {"Q": {"Type": "Pass", "End": true}}}"#;
    let r = client
        .create_state_machine()
        .name("hello")
        .definition(other)
        .role_arn(ROLE)
        .send()
        .await;
    assert_eq!(code(r), "StateMachineAlreadyExists");

    // An invalid definition: the validator's findings in the message.
    let r = client
        .create_state_machine()
        .name("broken")
        .definition(r#"{"StartAt": "Nowhere", "States": {"P": {"Type": "Pass", "End": true}}}"#)
        .role_arn(ROLE)
        .send()
        .await;
    let m = message(r);
    assert!(m.contains("Nowhere") && m.contains("/StartAt"), "{m}");
    let r = client
        .create_state_machine()
        .name("broken")
        .definition("{not json")
        .role_arn(ROLE)
        .send()
        .await;
    assert_eq!(code(r), "InvalidDefinition");
    let r = client
        .create_state_machine()
        .name("bad/name")
        .definition(PASS)
        .role_arn(ROLE)
        .send()
        .await;
    assert_eq!(code(r), "InvalidName");

    let d = client
        .describe_state_machine()
        .state_machine_arn(&arn)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(d.name(), "hello");
    assert_eq!(d.definition(), PASS);
    assert_eq!(d.role_arn(), ROLE);
    assert_eq!(*d.r#type(), StateMachineType::Standard);
    assert_eq!(d.status().map(|s| s.as_str()), Some("ACTIVE"));

    // An execution started before an update still describes the old definition.
    let before = start(&client, &arn, Some("before"), "{}").await;
    assert_eq!(finished(&client, &before).await, ExecutionStatus::Succeeded);
    tokio::time::sleep(Duration::from_millis(5)).await;
    let up = client
        .update_state_machine()
        .state_machine_arn(&arn)
        .definition(other)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(up.revision_id().is_some());
    let d = client
        .describe_state_machine()
        .state_machine_arn(&arn)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(d.definition(), other);
    let after = start(&client, &arn, Some("after"), "{}").await;
    assert_eq!(finished(&client, &after).await, ExecutionStatus::Succeeded);
    let for_before = client
        .describe_state_machine_for_execution()
        .execution_arn(&before)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(for_before.definition(), PASS);
    assert_eq!(for_before.state_machine_arn(), arn);
    let for_after = client
        .describe_state_machine_for_execution()
        .execution_arn(&after)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(for_after.definition(), other);
    let r = client
        .describe_state_machine_for_execution()
        .execution_arn(format!("{PREFIX}:execution:hello:nope"))
        .send()
        .await;
    assert_eq!(code(r), "ExecutionDoesNotExist");

    let r = client
        .update_state_machine()
        .state_machine_arn(&arn)
        .send()
        .await;
    assert_eq!(code(r), "MissingRequiredParameter");
    let r = client
        .update_state_machine()
        .state_machine_arn(&arn)
        .definition("{}")
        .send()
        .await;
    assert_eq!(code(r), "InvalidDefinition");
    let r = client
        .update_state_machine()
        .state_machine_arn(format!("{PREFIX}:stateMachine:nope"))
        .definition(PASS)
        .send()
        .await;
    assert_eq!(code(r), "StateMachineDoesNotExist");

    // Listing in pages.
    for i in 0..4 {
        create_machine(&client, &format!("m{i}"), PASS).await;
    }
    let all = client
        .list_state_machines()
        .max_results(2)
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let names: Vec<&str> = all.iter().map(|m| m.name()).collect();
    assert_eq!(names, ["hello", "m0", "m1", "m2", "m3"]);

    // Deleting: gone, and deleting again is fine.
    for _ in 0..2 {
        let r = client
            .delete_state_machine()
            .state_machine_arn(&arn)
            .send()
            .await;
        assert!(r.is_ok(), "{r:?}");
    }
    let r = client
        .describe_state_machine()
        .state_machine_arn(&arn)
        .send()
        .await;
    assert_eq!(code(r), "StateMachineDoesNotExist");
    let r = client
        .start_execution()
        .state_machine_arn(&arn)
        .send()
        .await;
    assert_eq!(code(r), "StateMachineDoesNotExist");
    let r = client
        .describe_state_machine()
        .state_machine_arn(format!("{PREFIX}:activity:x"))
        .send()
        .await;
    assert_eq!(code(r), "InvalidArn");
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn executions_start_idempotently_are_listed_described_and_stopped() {
    let (server, client) = serve(Duration::from_millis(100)).await;
    let activity = client
        .create_activity()
        .name("hold")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .activity_arn()
        .to_owned();
    let waiting = create_machine(&client, "waiting", &activity_machine(&activity, "")).await;

    // Same name and input while running: the same execution.
    let first = client
        .start_execution()
        .state_machine_arn(&waiting)
        .name("run-1")
        .input(r#"{"a": 1}"#)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let again = client
        .start_execution()
        .state_machine_arn(&waiting)
        .name("run-1")
        .input(r#"{"a": 1}"#)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(again.execution_arn(), first.execution_arn());
    assert_eq!(again.start_date(), first.start_date());
    let r = client
        .start_execution()
        .state_machine_arn(&waiting)
        .name("run-1")
        .input(r#"{"a": 2}"#)
        .send()
        .await;
    assert_eq!(code(r), "ExecutionAlreadyExists");

    let d = client
        .describe_execution()
        .execution_arn(first.execution_arn())
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(*d.status(), ExecutionStatus::Running);
    assert_eq!(d.name(), Some("run-1"));
    // The input as it was sent, as AWS gives it back.
    assert_eq!(d.input(), Some(r#"{"a": 1}"#));
    assert_eq!(d.state_machine_arn(), waiting);

    // Stop it: ABORTED with the error and cause given; then the name is taken.
    let stopped = client
        .stop_execution()
        .execution_arn(first.execution_arn())
        .error("Enough")
        .cause("stopped by the test")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(stopped.stop_date().secs() >= first.start_date().secs());
    assert_eq!(
        finished(&client, first.execution_arn()).await,
        ExecutionStatus::Aborted
    );
    let d = client
        .describe_execution()
        .execution_arn(first.execution_arn())
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(d.error(), Some("Enough"));
    assert_eq!(d.cause(), Some("stopped by the test"));
    assert!(d.stop_date().is_some());
    let r = client
        .start_execution()
        .state_machine_arn(&waiting)
        .name("run-1")
        .input(r#"{"a": 1}"#)
        .send()
        .await;
    assert_eq!(code(r), "ExecutionAlreadyExists");

    // Input checks.
    let r = client
        .start_execution()
        .state_machine_arn(&waiting)
        .input("{not json")
        .send()
        .await;
    assert_eq!(code(r), "InvalidExecutionInput");
    let r = client
        .start_execution()
        .state_machine_arn(&waiting)
        .name("no spaces allowed")
        .send()
        .await;
    assert_eq!(code(r), "InvalidName");

    // Listing: newest first, filtered by status, in pages.
    let pass = create_machine(&client, "pass", PASS).await;
    let mut runs = Vec::new();
    for i in 0..5 {
        runs.push(
            start(
                &client,
                &pass,
                Some(&format!("p{i}")),
                &format!("{{\"i\": {i}}}"),
            )
            .await,
        );
    }
    for r in &runs {
        assert_eq!(finished(&client, r).await, ExecutionStatus::Succeeded);
    }
    let d = client
        .describe_execution()
        .execution_arn(&runs[2])
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(d.output(), Some(r#"{"i":2}"#));
    let meta = client
        .describe_execution()
        .execution_arn(&runs[2])
        .included_data(aws_sdk_sfn::types::IncludedData::MetadataOnly)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(meta.output(), None);
    assert_eq!(meta.input(), None);

    let listed = client
        .list_executions()
        .state_machine_arn(&pass)
        .max_results(2)
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let names: Vec<&str> = listed.iter().map(|e| e.name()).collect();
    assert_eq!(names, ["p4", "p3", "p2", "p1", "p0"]);
    let page = client
        .list_executions()
        .state_machine_arn(&pass)
        .max_results(3)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(page.executions().len(), 3);
    let token = page.next_token().expect("more").to_owned();
    // A token is bound to its filters.
    let r = client
        .list_executions()
        .state_machine_arn(&waiting)
        .next_token(&token)
        .send()
        .await;
    assert_eq!(code(r), "InvalidToken");
    let aborted = client
        .list_executions()
        .state_machine_arn(&waiting)
        .status_filter(ExecutionStatus::Aborted)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(aborted.executions().len(), 1);
    let running = client
        .list_executions()
        .state_machine_arn(&pass)
        .status_filter(ExecutionStatus::Running)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(running.executions().is_empty());
    let r = client
        .list_executions()
        .state_machine_arn(format!("{PREFIX}:stateMachine:nope"))
        .send()
        .await;
    assert_eq!(code(r), "StateMachineDoesNotExist");
    let r = client.list_executions().send().await;
    assert_eq!(code(r), "ValidationException");

    let r = client
        .stop_execution()
        .execution_arn(format!("{PREFIX}:execution:pass:nope"))
        .send()
        .await;
    assert_eq!(code(r), "ExecutionDoesNotExist");
    let r = client
        .describe_execution()
        .execution_arn(&pass)
        .send()
        .await;
    assert_eq!(code(r), "InvalidArn");
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn execution_history_pages_forwards_and_backwards_with_or_without_data() {
    let (server, client) = serve(Duration::from_millis(100)).await;
    let machine = create_machine(
        &client,
        "three",
        r#"{"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Next": "B"},
            "B": {"Type": "Pass", "Next": "C"},
            "C": {"Type": "Pass", "End": true}}}"#,
    )
    .await;
    let run = start(&client, &machine, None, r#"{"x": 1}"#).await;
    assert_eq!(finished(&client, &run).await, ExecutionStatus::Succeeded);

    let all = client
        .get_execution_history()
        .execution_arn(&run)
        .max_results(3)
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let types: Vec<HistoryEventType> = all.iter().map(|e| e.r#type().clone()).collect();
    assert_eq!(types.len(), 8);
    assert_eq!(types[0], HistoryEventType::ExecutionStarted);
    assert_eq!(types[7], HistoryEventType::ExecutionSucceeded);
    let ids: Vec<i64> = all.iter().map(|e| e.id()).collect();
    assert_eq!(ids, (1..=8).collect::<Vec<i64>>());
    assert!(all[0].timestamp().secs() > 1_600_000_000);
    let started = all[0]
        .execution_started_event_details()
        .expect("started details");
    assert_eq!(started.input(), Some(r#"{"x": 1}"#));

    let reversed = client
        .get_execution_history()
        .execution_arn(&run)
        .reverse_order(true)
        .max_results(2)
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let ids: Vec<i64> = reversed.iter().map(|e| e.id()).collect();
    assert_eq!(ids, (1..=8).rev().collect::<Vec<i64>>());

    let bare = client
        .get_execution_history()
        .execution_arn(&run)
        .include_execution_data(false)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let started = bare.events()[0]
        .execution_started_event_details()
        .expect("started details");
    assert_eq!(started.input(), None);
    assert!(started.role_arn().is_some());

    let r = client
        .get_execution_history()
        .execution_arn(format!("{PREFIX}:execution:three:nope"))
        .send()
        .await;
    assert_eq!(code(r), "ExecutionDoesNotExist");
    let r = client
        .get_execution_history()
        .execution_arn(&run)
        .next_token("00")
        .send()
        .await;
    assert_eq!(code(r), "InvalidToken");
    server.shutdown().await;
}

/// The names of one ListExecutions page of `machine`, and its next token.
async fn executions_page(
    client: &Client,
    machine: &str,
    token: Option<String>,
) -> (Vec<String>, Option<String>) {
    let page = client
        .list_executions()
        .state_machine_arn(machine)
        .max_results(2)
        .set_next_token(token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let names = page.executions().iter().map(|e| e.name().to_owned());
    (names.collect(), page.next_token().map(str::to_owned))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_executions_pages_go_on_after_their_last_item_when_executions_start_between() {
    let (server, client) = serve(Duration::from_millis(100)).await;
    let machine = create_machine(&client, "paged", PASS).await;
    for name in ["e1", "e2", "e3"] {
        start(&client, &machine, Some(name), "{}").await;
    }
    let (first, token) = executions_page(&client, &machine, None).await;
    assert_eq!(first, ["e3", "e2"]);
    // A new execution comes first in the list: the next page neither repeats nor skips.
    start(&client, &machine, Some("e4"), "{}").await;
    let (second, token) = executions_page(&client, &machine, token).await;
    assert_eq!((second, token), (vec!["e1".to_owned()], None));
    let (again, token) = executions_page(&client, &machine, None).await;
    assert_eq!(again, ["e4", "e3"]);
    let (rest, _) = executions_page(&client, &machine, token).await;
    assert_eq!(rest, ["e2", "e1"]);
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reversed_history_pages_of_a_running_execution_go_on_after_their_last_event() {
    let (server, client) = serve(Duration::from_millis(100)).await;
    let activity = client
        .create_activity()
        .name("paged-work")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .activity_arn()
        .to_owned();
    let machine = create_machine(&client, "waits", &activity_machine(&activity, "")).await;
    let run = start(&client, &machine, None, "{}").await;
    let history = |token: Option<String>| {
        client
            .get_execution_history()
            .execution_arn(&run)
            .reverse_order(true)
            .max_results(2)
            .set_next_token(token)
            .send()
    };
    // ExecutionStarted, TaskStateEntered, ActivityScheduled: the last two first.
    let mut first = None;
    for _ in 0..500 {
        let page = history(None).await.unwrap_or_else(|e| panic!("{e:?}"));
        if page.events().first().map(|e| e.r#type().clone())
            == Some(HistoryEventType::ActivityScheduled)
        {
            first = Some(page);
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let first = first.expect("the activity scheduled");
    let ids: Vec<i64> = first.events().iter().map(|e| e.id()).collect();
    assert_eq!(ids, [3, 2]);
    let token = first.next_token().expect("a next page").to_owned();
    // The worker takes the task: ActivityStarted comes first in the reversed history.
    poll_task(&client, &activity).await;
    let second = history(Some(token))
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let ids: Vec<i64> = second.events().iter().map(|e| e.id()).collect();
    assert_eq!(ids, [1]);
    assert_eq!(second.next_token(), None);
    let newest = history(None).await.unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(
        newest.events()[0].r#type(),
        &HistoryEventType::ActivityStarted
    );
    client
        .stop_execution()
        .execution_arn(&run)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn version_pages_go_on_after_their_last_version_when_one_is_published_between() {
    let (server, client) = serve(Duration::from_millis(100)).await;
    let pass = |r: usize| {
        format!(
            r#"{{"StartAt": "P", "States": {{"P": {{"Type": "Pass", "Result": {r}, "End": true}}}}}}"#
        )
    };
    let arn = create_machine(&client, "versioned", &pass(0)).await;
    let publish = |n: usize| {
        client
            .update_state_machine()
            .state_machine_arn(&arn)
            .definition(pass(n))
            .publish(true)
            .send()
    };
    for n in 1..=3 {
        publish(n).await.unwrap_or_else(|e| panic!("{e:?}"));
    }
    let versions = |token: Option<String>| {
        client
            .list_state_machine_versions()
            .state_machine_arn(&arn)
            .max_results(2)
            .set_next_token(token)
            .send()
    };
    let numbers = |page: &aws_sdk_sfn::operation::list_state_machine_versions::ListStateMachineVersionsOutput| {
        page.state_machine_versions()
            .iter()
            .map(|v| v.state_machine_version_arn().rsplit(':').next().unwrap_or_default().to_owned())
            .collect::<Vec<_>>()
    };
    let first = versions(None).await.unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(numbers(&first), ["3", "2"]);
    let token = first.next_token().expect("a next page").to_owned();
    publish(4).await.unwrap_or_else(|e| panic!("{e:?}"));
    let second = versions(Some(token))
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(numbers(&second), ["1"]);
    assert_eq!(second.next_token(), None);
    // A token is bound to its machine.
    let other = create_machine(&client, "other", PASS).await;
    let r = client
        .list_state_machine_versions()
        .state_machine_arn(&other)
        .next_token(first.next_token().unwrap_or_default())
        .send()
        .await;
    assert_eq!(code(r), "InvalidToken");
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_activity_is_polled_heartbeated_and_answered_and_a_failure_is_retried_then_caught() {
    let (server, client) = serve(Duration::from_secs(5)).await;
    let activity = client
        .create_activity()
        .name("add")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .activity_arn()
        .to_owned();
    let machine = create_machine(
        &client,
        "adder",
        &activity_machine(
            &activity,
            r#", "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 1, "MaxAttempts": 1}],
                "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.caught", "Next": "Caught"}]"#,
        )
        .replace(r#", "End": true}}"#, r#", "End": true},
            "Caught": {"Type": "Pass", "End": true}}"#),
    )
    .await;

    // Success: poll, heartbeat, answer.
    let run = start(&client, &machine, None, r#"{"a": 3, "b": 4}"#).await;
    let (token, input) = poll_task(&client, &activity).await;
    assert_eq!(
        serde_json::from_str::<Value>(&input).ok(),
        Some(json!({"a": 3, "b": 4}))
    );
    let r = client.send_task_heartbeat().task_token(&token).send().await;
    assert!(r.is_ok(), "{r:?}");
    let r = client
        .send_task_success()
        .task_token(&token)
        .output(r#"{"sum": 7}"#)
        .send()
        .await;
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(finished(&client, &run).await, ExecutionStatus::Succeeded);
    let d = client
        .describe_execution()
        .execution_arn(&run)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(d.output(), Some(r#"{"sum":7}"#));
    // The task is over: answering again is too late.
    let r = client
        .send_task_success()
        .task_token(&token)
        .output("{}")
        .send()
        .await;
    assert_eq!(code(r), "TaskTimedOut");
    let history = client
        .get_execution_history()
        .execution_arn(&run)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let started = history
        .events()
        .iter()
        .find_map(|e| e.activity_started_event_details())
        .expect("ActivityStarted");
    assert_eq!(started.worker_name(), Some("worker-1"));

    // Failure: retried once, failed again, caught.
    let run = start(&client, &machine, None, r#"{"a": 1}"#).await;
    for attempt in 0..2 {
        let (token, _) = poll_task(&client, &activity).await;
        let r = client
            .send_task_failure()
            .task_token(&token)
            .error("Flaky")
            .cause(format!("attempt {attempt}"))
            .send()
            .await;
        assert!(r.is_ok(), "{r:?}");
    }
    assert_eq!(finished(&client, &run).await, ExecutionStatus::Succeeded);
    let d = client
        .describe_execution()
        .execution_arn(&run)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let output: Value = serde_json::from_str(d.output().unwrap_or("null")).unwrap_or_default();
    assert_eq!(
        output["caught"],
        json!({"Error": "Flaky", "Cause": "attempt 1"})
    );

    // Bad answers.
    let r = client
        .send_task_success()
        .task_token("no-such-token")
        .output("{}")
        .send()
        .await;
    assert_eq!(code(r), "InvalidToken");
    let r = client
        .send_task_heartbeat()
        .task_token("no-such-token")
        .send()
        .await;
    assert_eq!(code(r), "InvalidToken");
    let r = client
        .send_task_failure()
        .task_token("t")
        .error("e".repeat(257))
        .send()
        .await;
    assert_eq!(code(r), "ValidationException");
    let run = start(&client, &machine, None, "{}").await;
    let (token, _) = poll_task(&client, &activity).await;
    let r = client
        .send_task_success()
        .task_token(&token)
        .output("{not json")
        .send()
        .await;
    assert_eq!(code(r), "InvalidOutput");
    let r = client.stop_execution().execution_arn(&run).send().await;
    assert!(r.is_ok(), "{r:?}");

    let r = client
        .get_activity_task()
        .activity_arn(format!("{PREFIX}:activity:nope"))
        .send()
        .await;
    assert_eq!(code(r), "ActivityDoesNotExist");
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_workers_share_an_activity_over_http() {
    let (server, client) = serve(Duration::from_millis(300)).await;
    let activity = client
        .create_activity()
        .name("double")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .activity_arn()
        .to_owned();
    let machine = create_machine(&client, "double", &activity_machine(&activity, "")).await;
    const RUNS: usize = 24;
    let workers: Vec<_> = (0..4)
        .map(|w| {
            let client = client.clone();
            let activity = activity.clone();
            tokio::spawn(async move {
                let mut answered = 0;
                let mut idle = 0;
                while idle < 2 {
                    let task = client
                        .get_activity_task()
                        .activity_arn(&activity)
                        .worker_name(format!("w{w}"))
                        .send()
                        .await
                        .map_err(|e| format!("{e:?}"))?;
                    let Some(token) = task.task_token() else {
                        idle += 1;
                        continue;
                    };
                    idle = 0;
                    let n: i64 = serde_json::from_str::<Value>(task.input().unwrap_or("{}"))
                        .ok()
                        .and_then(|v| v["n"].as_i64())
                        .unwrap_or_default();
                    client
                        .send_task_success()
                        .task_token(token)
                        .output(json!({"double": n * 2}).to_string())
                        .send()
                        .await
                        .map_err(|e| format!("{e:?}"))?;
                    answered += 1;
                }
                Ok::<usize, String>(answered)
            })
        })
        .collect();
    let mut runs = Vec::new();
    for n in 0..RUNS {
        runs.push(start(&client, &machine, None, &json!({"n": n}).to_string()).await);
    }
    for (n, run) in runs.iter().enumerate() {
        assert_eq!(finished(&client, run).await, ExecutionStatus::Succeeded);
        let d = client
            .describe_execution()
            .execution_arn(run)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            d.output(),
            Some(json!({"double": n * 2}).to_string().as_str())
        );
    }
    let mut total = 0;
    for w in workers {
        total += w
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    assert_eq!(total, RUNS);
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stopping_an_execution_closes_its_outstanding_task_token() {
    let (server, client) = serve(Duration::from_secs(5)).await;
    let activity = client
        .create_activity()
        .name("slow")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .activity_arn()
        .to_owned();
    let machine = create_machine(&client, "slow", &activity_machine(&activity, "")).await;
    let run = start(&client, &machine, None, "{}").await;
    let (token, _) = poll_task(&client, &activity).await;
    let r = client.stop_execution().execution_arn(&run).send().await;
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(finished(&client, &run).await, ExecutionStatus::Aborted);
    let r = client.send_task_heartbeat().task_token(&token).send().await;
    assert_eq!(code(r), "TaskTimedOut");
    let r = client
        .send_task_success()
        .task_token(&token)
        .output("{}")
        .send()
        .await;
    assert_eq!(code(r), "TaskTimedOut");
    let r = client.send_task_failure().task_token(&token).send().await;
    assert_eq!(code(r), "TaskTimedOut");
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_for_a_timed_out_task_get_task_timed_out() {
    let (server, client) = serve(Duration::from_secs(5)).await;
    let activity = client
        .create_activity()
        .name("late")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .activity_arn()
        .to_owned();
    let machine = create_machine(
        &client,
        "late",
        &activity_machine(&activity, "")
            .replace(r#""HeartbeatSeconds": 30"#, r#""HeartbeatSeconds": 1"#),
    )
    .await;
    let run = start(&client, &machine, None, "{}").await;
    let (token, _) = poll_task(&client, &activity).await;
    assert_eq!(finished(&client, &run).await, ExecutionStatus::Failed);
    let d = client
        .describe_execution()
        .execution_arn(&run)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(d.error(), Some("States.HeartbeatTimeout"));
    let r = client.send_task_heartbeat().task_token(&token).send().await;
    assert_eq!(code(r), "TaskTimedOut");
    let r = client
        .send_task_success()
        .task_token(&token)
        .output("{}")
        .send()
        .await;
    assert_eq!(code(r), "TaskTimedOut");
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn held_polls_end_empty_after_the_timeout_and_at_shutdown() {
    let (server, client) = serve(Duration::from_millis(200)).await;
    let activity = client
        .create_activity()
        .name("idle")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .activity_arn()
        .to_owned();
    let t0 = std::time::Instant::now();
    let out = client
        .get_activity_task()
        .activity_arn(&activity)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(out.task_token(), None);
    assert!(
        t0.elapsed() >= Duration::from_millis(150),
        "{:?}",
        t0.elapsed()
    );
    server.shutdown().await;

    // A long hold, cut short by a shutdown: the poll answers with no task.
    let (server, client) = serve(Duration::from_secs(60)).await;
    let activity = client
        .create_activity()
        .name("idle")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .activity_arn()
        .to_owned();
    let poll = tokio::spawn({
        let client = client.clone();
        async move {
            client
                .get_activity_task()
                .activity_arn(activity)
                .send()
                .await
                .map(|o| o.task_token().map(str::to_owned))
                .map_err(|e| format!("{e:?}"))
        }
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    let t0 = std::time::Instant::now();
    server.shutdown().await;
    assert!(t0.elapsed() < Duration::from_secs(5), "{:?}", t0.elapsed());
    let out = poll.await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out, Ok(None));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tags_are_put_listed_and_removed() {
    let (server, client) = serve(Duration::from_millis(100)).await;
    let tag = |k: &str, v: &str| Tag::builder().key(k).value(v).build();
    let activity = client
        .create_activity()
        .name("tagged")
        .tags(tag("team", "a"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .activity_arn()
        .to_owned();
    let machine = client
        .create_state_machine()
        .name("tagged")
        .definition(PASS)
        .role_arn(ROLE)
        .tags(tag("env", "test"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .state_machine_arn()
        .to_owned();
    let list = |arn: String| {
        let client = client.clone();
        async move {
            client
                .list_tags_for_resource()
                .resource_arn(arn)
                .send()
                .await
                .unwrap_or_else(|e| panic!("{e:?}"))
                .tags()
                .iter()
                .map(|t| {
                    (
                        t.key().unwrap_or("").to_owned(),
                        t.value().unwrap_or("").to_owned(),
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        list(activity.clone()).await,
        [("team".to_owned(), "a".to_owned())]
    );
    assert_eq!(
        list(machine.clone()).await,
        [("env".to_owned(), "test".to_owned())]
    );

    let r = client
        .tag_resource()
        .resource_arn(&machine)
        .tags(tag("env", "prod"))
        .tags(tag("owner", "me"))
        .send()
        .await;
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(
        list(machine.clone()).await,
        [
            ("env".to_owned(), "prod".to_owned()),
            ("owner".to_owned(), "me".to_owned())
        ]
    );
    let r = client
        .untag_resource()
        .resource_arn(&machine)
        .tag_keys("env")
        .send()
        .await;
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(
        list(machine.clone()).await,
        [("owner".to_owned(), "me".to_owned())]
    );

    let r = client
        .list_tags_for_resource()
        .resource_arn(format!("{PREFIX}:stateMachine:nope"))
        .send()
        .await;
    assert_eq!(code(r), "ResourceNotFound");
    let r = client
        .tag_resource()
        .resource_arn(format!("{PREFIX}:activity:nope"))
        .tags(tag("a", "b"))
        .send()
        .await;
    assert_eq!(code(r), "ResourceNotFound");
    let mut many = client.tag_resource().resource_arn(&activity);
    for i in 0..50 {
        many = many.tags(tag(&format!("k{i}"), "v"));
    }
    assert_eq!(code(many.send().await), "TooManyTags");
    let r = client
        .list_tags_for_resource()
        .resource_arn(format!("{PREFIX}:execution:a:b"))
        .send()
        .await;
    assert_eq!(code(r), "InvalidArn");
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn definitions_are_validated_with_diagnostics() {
    let (server, client) = serve(Duration::from_millis(100)).await;
    let ok = client
        .validate_state_machine_definition()
        .definition(PASS)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(*ok.result(), ValidateStateMachineDefinitionResultCode::Ok);
    assert!(ok.diagnostics().is_empty());

    let broken = r#"{"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Next": "Nowhere"},
        "B": {"Type": "Pass", "Next": "Elsewhere"}}}"#;
    let fail = client
        .validate_state_machine_definition()
        .definition(broken)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(
        *fail.result(),
        ValidateStateMachineDefinitionResultCode::Fail
    );
    assert!(fail.diagnostics().len() >= 2, "{:?}", fail.diagnostics());
    let target = fail
        .diagnostics()
        .iter()
        .find(|d| d.location() == Some("/States/A/Next"))
        .unwrap_or_else(|| panic!("{:?}", fail.diagnostics()));
    assert_eq!(
        *target.severity(),
        ValidateStateMachineDefinitionSeverity::Error
    );
    assert_eq!(target.code(), "MISSING_TRANSITION_TARGET");
    assert!(target.message().contains("Nowhere"), "{}", target.message());
    assert_eq!(fail.truncated(), Some(false));

    let one = client
        .validate_state_machine_definition()
        .definition(broken)
        .max_results(1)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(one.diagnostics().len(), 1);
    assert_eq!(one.truncated(), Some(true));

    // Warnings only when asked for.
    let warned = r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}"#;
    let errors_only = client
        .validate_state_machine_definition()
        .definition(warned)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(
        errors_only.diagnostics().is_empty(),
        "{:?}",
        errors_only.diagnostics()
    );
    let with_warnings = client
        .validate_state_machine_definition()
        .definition(warned)
        .severity(ValidateStateMachineDefinitionSeverity::Warning)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(
        *with_warnings.result(),
        ValidateStateMachineDefinitionResultCode::Ok
    );
    assert!(
        with_warnings
            .diagnostics()
            .iter()
            .all(|d| *d.severity() == ValidateStateMachineDefinitionSeverity::Warning),
        "{:?}",
        with_warnings.diagnostics()
    );

    let r = client
        .validate_state_machine_definition()
        .definition(PASS)
        .max_results(101)
        .send()
        .await;
    assert_eq!(code(r), "ValidationException");
    server.shutdown().await;
}

/// The answers AWS gives, word for word: CreateStateMachine's `InvalidDefinition` message
/// and ValidateStateMachineDefinition's diagnostics.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_definitions_are_answered_in_aws_words() {
    let (server, client) = serve(Duration::from_millis(100)).await;
    let express = r#"{"StartAt": "T", "States": {"T": {"Type": "Task",
        "Resource": "arn:aws:states:::states:startExecution.sync", "End": true}}}"#;
    let r = client
        .create_state_machine()
        .name("express-sync")
        .definition(express)
        .role_arn(ROLE)
        .r#type(StateMachineType::Express)
        .send()
        .await;
    assert_eq!(
        message(r),
        "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Express state machine does not support '.sync' service integration at /States/T/Resource'"
    );
    let r = client
        .create_state_machine()
        .name("no-states")
        .definition(r#"{"StartAt": "P"}"#)
        .role_arn(ROLE)
        .send()
        .await;
    assert_eq!(
        message(r),
        "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [States] at /'"
    );

    let diagnostics = |definition: &'static str| {
        let client = client.clone();
        async move {
            let answer = client
                .validate_state_machine_definition()
                .definition(definition)
                .send()
                .await
                .unwrap_or_else(|e| panic!("{e:?}"));
            assert_eq!(
                *answer.result(),
                ValidateStateMachineDefinitionResultCode::Fail
            );
            answer
                .diagnostics()
                .iter()
                .map(|d| {
                    (
                        d.code().to_owned(),
                        d.location().map(str::to_owned),
                        d.message().to_owned(),
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    // Blank text has no location; text that is not JSON is located in the text.
    assert_eq!(
        diagnostics(" ").await,
        [(
            "SCHEMA_VALIDATION_FAILED".to_owned(),
            None,
            "Definition must be a valid JSON object".to_owned()
        )]
    );
    let source = "[Source: (String)\"nope\"; line: 1, column: 5]";
    assert_eq!(
        diagnostics("nope").await,
        [(
            "INVALID_JSON_DESCRIPTION".to_owned(),
            Some(source.to_owned()),
            format!(
                "Unrecognized token 'nope': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at {source}"
            )
        )]
    );
    // A bad field of a payload template is located at the object that holds it.
    assert_eq!(
        diagnostics(
            r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"x.$": "States.Nope()"}, "End": true}}}"#
        )
        .await,
        [(
            "SCHEMA_VALIDATION_FAILED".to_owned(),
            Some("/States/P/Parameters".to_owned()),
            "The value for the field 'x.$' must be a valid JSONPath or a valid intrinsic function call".to_owned()
        )]
    );
    server.shutdown().await;
}

/// DescribeStateMachine lists the variables each state references, as AWS does, and
/// leaves the member out when no state references one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn described_machines_list_their_variable_references() {
    let (server, client) = serve(Duration::from_millis(100)).await;
    let definition = r#"{"StartAt": "Set", "States": {
        "Set": {"Type": "Pass", "Assign": {"errorVar": "E", "causeVar": "C"}, "Next": "Fail"},
        "Fail": {"Type": "Fail", "ErrorPath": "$errorVar", "CausePath": "$causeVar"}}}"#;
    let arn = create_machine(&client, "references", definition).await;
    let d = client
        .describe_state_machine()
        .state_machine_arn(&arn)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let refs = d
        .variable_references()
        .unwrap_or_else(|| panic!("no variableReferences: {d:?}"));
    assert_eq!(refs.len(), 1, "{refs:?}");
    assert_eq!(
        refs.get("Fail").map(Vec::as_slice),
        Some(&["causeVar".to_owned(), "errorVar".to_owned()][..])
    );
    let arn = create_machine(&client, "no-references", PASS).await;
    let d = client
        .describe_state_machine()
        .state_machine_arn(&arn)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(d.variable_references().is_none(), "{d:?}");
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn map_runs_are_described_and_listed_with_their_child_executions() {
    let (server, client) = serve(Duration::from_millis(100)).await;
    let machine = create_machine(
        &client,
        "fanout",
        r#"{"StartAt": "Each", "States": {"Each": {"Type": "Map", "ItemsPath": "$.items",
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
              "StartAt": "Echo", "States": {"Echo": {"Type": "Pass", "End": true}}},
            "End": true}}}"#,
    )
    .await;
    let run = start(&client, &machine, None, r#"{"items": [1, 2, 3]}"#).await;
    assert_eq!(finished(&client, &run).await, ExecutionStatus::Succeeded);
    let runs = client
        .list_map_runs()
        .execution_arn(&run)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(runs.map_runs().len(), 1);
    // The Map Run's machine is named after the machine and the Map's label, as on AWS.
    assert_eq!(
        runs.map_runs()[0].state_machine_arn(),
        format!("{PREFIX}:stateMachine:fanout/Each")
    );
    let map_run = runs.map_runs()[0].map_run_arn().to_owned();
    assert!(
        map_run.starts_with(&format!("{PREFIX}:mapRun:fanout/Each:")),
        "{map_run}"
    );
    let d = client
        .describe_map_run()
        .map_run_arn(&map_run)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(d.status().as_str(), "SUCCEEDED");
    assert_eq!(d.item_counts().map(|c| c.succeeded()), Some(3));
    // Without a ResultWriter too, AWS counts the results gathered as written.
    assert_eq!(d.item_counts().map(|c| c.results_written()), Some(3));
    assert_eq!(d.execution_counts().map(|c| c.results_written()), Some(3));
    let children = client
        .list_executions()
        .map_run_arn(&map_run)
        .max_results(2)
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(children.len(), 3);
    assert!(
        children
            .iter()
            .all(|c| c.map_run_arn() == Some(map_run.as_str()))
    );
    let child = client
        .describe_state_machine_for_execution()
        .execution_arn(children[0].execution_arn())
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(child.map_run_arn(), Some(map_run.as_str()));

    let r = client
        .describe_map_run()
        .map_run_arn(format!("{PREFIX}:mapRun:fanout/Each:nope"))
        .send()
        .await;
    assert_eq!(code(r), "ResourceNotFound");
    let r = client
        .list_executions()
        .map_run_arn(format!("{PREFIX}:mapRun:fanout/Each:nope"))
        .send()
        .await;
    assert_eq!(code(r), "ResourceNotFound");
    let r = client
        .list_map_runs()
        .execution_arn(format!("{PREFIX}:execution:fanout:nope"))
        .send()
        .await;
    assert_eq!(code(r), "ExecutionDoesNotExist");
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_test_case_of_the_mock_configuration_is_picked_by_the_arn_suffix() {
    let config = MockConfig::from_value(&json!({
        "StateMachines": {"mocked": {"TestCases": {"Happy": {"Call": "Ok"}, "Sad": {"Call": "Boom"}}}},
        "MockedResponses": {
            "Ok": {"0": {"Return": {"answer": 42}}},
            "Boom": {"0": {"Throw": {"Error": "Broken", "Cause": "mocked"}}}
        }
    }))
    .unwrap_or_else(|e| panic!("{e}"));
    let (server, client) = serve_with(Server::builder().mock_config(config)).await;
    let machine = create_machine(
        &client,
        "mocked",
        r#"{"StartAt": "Call", "States": {"Call": {"Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}"#,
    )
    .await;
    let happy = start(&client, &format!("{machine}#Happy"), None, "{}").await;
    assert_eq!(finished(&client, &happy).await, ExecutionStatus::Succeeded);
    let d = client
        .describe_execution()
        .execution_arn(&happy)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(d.output(), Some(r#"{"answer":42}"#));
    let sad = start(&client, &format!("{machine}#Sad"), None, "{}").await;
    assert_eq!(finished(&client, &sad).await, ExecutionStatus::Failed);
    let r = client
        .start_execution()
        .state_machine_arn(format!("{machine}#Missing"))
        .send()
        .await;
    assert_eq!(code(r), "ValidationException");
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn express_machines_run_synchronously() {
    let (server, client) = serve(Duration::from_millis(100)).await;
    let express = client
        .create_state_machine()
        .name("quick")
        .definition(
            r#"{"StartAt": "Check", "States": {
                "Check": {"Type": "Choice", "Choices": [{"Variable": "$.ok", "BooleanEquals": true, "Next": "Done"}], "Default": "Boom"},
                "Done": {"Type": "Pass", "Result": {"done": true}, "End": true},
                "Boom": {"Type": "Fail", "Error": "Nope", "Cause": "not ok"}}}"#,
        )
        .role_arn(ROLE)
        .r#type(StateMachineType::Express)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .state_machine_arn()
        .to_owned();
    let d = client
        .describe_state_machine()
        .state_machine_arn(&express)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(*d.r#type(), StateMachineType::Express);

    // A name may repeat: each run is its own.
    for _ in 0..2 {
        let ok = client
            .start_sync_execution()
            .state_machine_arn(&express)
            .name("same")
            .input(r#"{"ok": true}"#)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(ok.status().as_str(), "SUCCEEDED");
        assert_eq!(ok.output(), Some(r#"{"done":true}"#));
        assert_eq!(ok.name(), Some("same"));
        assert!(
            ok.execution_arn()
                .starts_with(&format!("{PREFIX}:express:quick:same:")),
            "{}",
            ok.execution_arn()
        );
        assert!(ok.stop_date().secs() >= ok.start_date().secs());
        assert!(ok.billing_details().is_some());
    }
    let failed = client
        .start_sync_execution()
        .state_machine_arn(&express)
        .input(r#"{"ok": false}"#)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(failed.status().as_str(), "FAILED");
    assert_eq!(
        (failed.error(), failed.cause()),
        (Some("Nope"), Some("not ok"))
    );

    let standard = create_machine(&client, "standard", PASS).await;
    let r = client
        .start_sync_execution()
        .state_machine_arn(&standard)
        .send()
        .await;
    assert_eq!(code(r), "StateMachineTypeNotSupported");
    let r = client
        .start_sync_execution()
        .state_machine_arn(&express)
        .input("{oops")
        .send()
        .await;
    assert_eq!(code(r), "InvalidExecutionInput");
    let r = client
        .list_executions()
        .state_machine_arn(&express)
        .send()
        .await;
    assert_eq!(code(r), "StateMachineTypeNotSupported");

    // Started asynchronously, an Express execution has its own ARN and is not kept.
    let run = start(&client, &express, Some("async"), r#"{"ok": true}"#).await;
    assert!(
        run.starts_with(&format!("{PREFIX}:express:quick:async:")),
        "{run}"
    );
    let r = client.describe_execution().execution_arn(&run).send().await;
    assert_eq!(code(r), "InvalidArn");
    let r = client
        .get_execution_history()
        .execution_arn(&run)
        .send()
        .await;
    assert_eq!(code(r), "InvalidArn");
    let r = client.stop_execution().execution_arn(&run).send().await;
    let m = message(r);
    assert!(m.contains("express"), "{m}");
    let r = client.redrive_execution().execution_arn(&run).send().await;
    assert_eq!(code(r), "InvalidArn");
    server.shutdown().await;
}

/// The Lambda function the redrive test registers: it fails its first call.
const FLAKY: &str = "arn:aws:lambda:us-east-1:123456789012:function:flaky";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_execution_is_redriven_and_reports_its_redrive() {
    let (server, client) = serve(Duration::from_millis(100)).await;
    let calls = Arc::new(AtomicUsize::new(0));
    {
        let calls = calls.clone();
        server
            .engine()
            .register_handler(FLAKY, move |req: TaskRequest| {
                let first = calls.fetch_add(1, Ordering::SeqCst) == 0;
                async move {
                    if first {
                        Err(TaskFailure::new("Flaky.Error", "not this time"))
                    } else {
                        Ok(json!({"ok": req.input}))
                    }
                }
            });
    }
    let machine = create_machine(
        &client,
        "flaky",
        &format!(
            r#"{{"StartAt": "Prepare", "States": {{
                "Prepare": {{"Type": "Pass", "Result": {{"n": 1}}, "Next": "Call"}},
                "Call": {{"Type": "Task", "Resource": "{FLAKY}", "End": true}}}}}}"#
        ),
    )
    .await;
    let failed = start(&client, &machine, Some("first"), "{}").await;
    assert_eq!(finished(&client, &failed).await, ExecutionStatus::Failed);
    let d = describe(&client, &failed).await;
    assert_eq!(d.redrive_count(), Some(0));
    assert_eq!(d.redrive_date(), None);
    assert_eq!(
        d.redrive_status(),
        Some(&ExecutionRedriveStatus::Redrivable)
    );
    assert_eq!(d.redrive_status_reason(), None);

    let redriven = client
        .redrive_execution()
        .execution_arn(&failed)
        .client_token("redrive-1")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let redrive_date = *redriven.redrive_date();
    assert!(redrive_date.secs() >= d.start_date().secs());
    assert_eq!(finished(&client, &failed).await, ExecutionStatus::Succeeded);
    let d = describe(&client, &failed).await;
    assert_eq!(d.output(), Some(r#"{"ok":{"n":1}}"#));
    assert_eq!(d.redrive_count(), Some(1));
    assert_eq!(d.redrive_date(), Some(&redrive_date));
    assert_eq!(
        d.redrive_status(),
        Some(&ExecutionRedriveStatus::NotRedrivable)
    );
    let reason = d.redrive_status_reason().unwrap_or_default();
    assert!(reason.contains("SUCCEEDED"), "{reason}");
    // The Pass state kept its result; only the Task ran again.
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    let history = client
        .get_execution_history()
        .execution_arn(&failed)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(
        history
            .events()
            .iter()
            .any(|e| *e.r#type() == HistoryEventType::ExecutionRedriven),
        "{history:?}"
    );

    // The same client token answers with the same redrive; without it, a succeeded
    // execution is refused.
    let again = client
        .redrive_execution()
        .execution_arn(&failed)
        .client_token("redrive-1")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(*again.redrive_date(), redrive_date);
    let r = client
        .redrive_execution()
        .execution_arn(&failed)
        .send()
        .await;
    assert_eq!(code(r), "ExecutionNotRedrivable");

    let second = start(&client, &machine, Some("second"), "{}").await;
    assert_eq!(finished(&client, &second).await, ExecutionStatus::Succeeded);
    let listed = |filter: ExecutionRedriveFilter| {
        let (client, machine) = (client.clone(), machine.clone());
        async move {
            client
                .list_executions()
                .state_machine_arn(machine)
                .redrive_filter(filter)
                .send()
                .await
                .unwrap_or_else(|e| panic!("{e:?}"))
                .executions()
                .iter()
                .map(|e| {
                    (
                        e.name().to_owned(),
                        e.redrive_count(),
                        e.redrive_date().is_some(),
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        listed(ExecutionRedriveFilter::Redriven).await,
        [("first".to_owned(), Some(1), true)]
    );
    assert_eq!(
        listed(ExecutionRedriveFilter::NotRedriven).await,
        [("second".to_owned(), Some(0), false)]
    );

    let r = client
        .redrive_execution()
        .execution_arn(format!("{PREFIX}:execution:flaky:nope"))
        .send()
        .await;
    assert_eq!(code(r), "ExecutionDoesNotExist");
    let r = client
        .redrive_execution()
        .execution_arn(format!("{PREFIX}:stateMachine:flaky"))
        .send()
        .await;
    assert_eq!(code(r), "InvalidArn");
    let r = client
        .redrive_execution()
        .execution_arn(&failed)
        .client_token("with space")
        .send()
        .await;
    assert_eq!(code(r), "ValidationException");
    server.shutdown().await;
}

/// Sends TestState with the members the pinned SDK models, plus `extra`, added to the
/// JSON body: the members (`stateName`, `mock`, `context`, `stateConfiguration`) that
/// the pinned `aws-sdk-sfn` does not model yet.
async fn test_state(
    client: &Client,
    definition: &Value,
    input: &str,
    level: InspectionLevel,
    extra: Value,
) -> Result<
    aws_sdk_sfn::operation::test_state::TestStateOutput,
    aws_sdk_sfn::error::SdkError<aws_sdk_sfn::operation::test_state::TestStateError>,
> {
    client
        .test_state()
        .definition(definition.to_string())
        .role_arn(ROLE)
        .input(input)
        .inspection_level(level)
        .customize()
        .mutate_request(move |request| {
            let sent = request.body().bytes().unwrap_or(b"{}");
            let Ok(Value::Object(mut body)) = serde_json::from_slice::<Value>(sent) else {
                return;
            };
            if let Value::Object(extra) = &extra {
                body.extend(extra.clone());
            }
            let bytes = serde_json::to_vec(&body).unwrap_or_default();
            request
                .headers_mut()
                .insert("content-length", bytes.len().to_string());
            *request.body_mut() = bytes.into();
        })
        .send()
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_state_runs_one_state_at_each_inspection_level() {
    let (server, client) = serve(Duration::from_millis(100)).await;
    let pass = json!({"Type": "Pass", "InputPath": "$.a", "ResultPath": "$.kept", "Next": "After"});
    let info = test_state(
        &client,
        &pass,
        r#"{"a": {"b": 1}}"#,
        InspectionLevel::Info,
        json!({}),
    )
    .await
    .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(info.status(), Some(&TestExecutionStatus::Succeeded));
    assert_eq!(info.output(), Some(r#"{"a":{"b":1},"kept":{"b":1}}"#));
    assert_eq!(info.next_state(), Some("After"));
    assert!(info.inspection_data().is_none(), "{info:?}");
    for level in [InspectionLevel::Debug, InspectionLevel::Trace] {
        let out = test_state(
            &client,
            &pass,
            r#"{"a": {"b": 1}}"#,
            level.clone(),
            json!({}),
        )
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
        let data = out
            .inspection_data()
            .unwrap_or_else(|| panic!("{level:?}: no inspection data"));
        assert_eq!(data.input(), Some(r#"{"a":{"b":1}}"#));
        assert_eq!(data.after_input_path(), Some(r#"{"b":1}"#));
        assert_eq!(
            data.after_result_path(),
            Some(r#"{"a":{"b":1},"kept":{"b":1}}"#)
        );
    }

    // Variables, and a state named within a whole definition.
    let jsonata =
        json!({"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% $x + 1 %}", "End": true});
    let out = client
        .test_state()
        .definition(jsonata.to_string())
        .role_arn(ROLE)
        .variables(r#"{"x": 41}"#)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(out.output(), Some("42"));
    let machine = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Next": "B"},
        "B": {"Type": "Pass", "Parameters": {"id.$": "$$.Execution.Id", "in.$": "$.v"}, "Next": "C"},
        "C": {"Type": "Succeed"}}});
    let out = test_state(
        &client,
        &machine,
        r#"{"v": 7}"#,
        InspectionLevel::Info,
        json!({"stateName": "B", "context": r#"{"Execution": {"Id": "exec-1"}}"#}),
    )
    .await
    .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(out.output(), Some(r#"{"id":"exec-1","in":7}"#));
    assert_eq!(out.next_state(), Some("C"));

    // A failing task, answered by a registered handler, then mocked.
    server
        .engine()
        .register_handler(FLAKY, |_req: TaskRequest| async {
            Err::<Value, _>(TaskFailure::new("Boom", "it broke"))
        });
    let task = json!({"Type": "Task", "Resource": FLAKY, "End": true,
        "Retry": [{"ErrorEquals": ["Boom"], "MaxAttempts": 1, "IntervalSeconds": 3}],
        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Recover", "ResultPath": "$.error"}]});
    let retried = test_state(&client, &task, "{}", InspectionLevel::Debug, json!({}))
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(retried.status(), Some(&TestExecutionStatus::Retriable));
    assert_eq!(
        (retried.error(), retried.cause()),
        (Some("Boom"), Some("it broke"))
    );
    let mock = json!({"mock": {"errorOutput": {"error": "Boom", "cause": "mocked"}}});
    let retried = test_state(&client, &task, "{}", InspectionLevel::Info, mock.clone())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(retried.status(), Some(&TestExecutionStatus::Retriable));
    assert_eq!(retried.cause(), Some("mocked"));
    let mut exhausted = mock.clone();
    exhausted["stateConfiguration"] = json!({"retrierRetryCount": 1});
    let caught = test_state(
        &client,
        &task,
        r#"{"a": 1}"#,
        InspectionLevel::Info,
        exhausted,
    )
    .await
    .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(caught.status(), Some(&TestExecutionStatus::CaughtError));
    assert_eq!(caught.next_state(), Some("Recover"));
    assert_eq!(
        caught.output(),
        Some(r#"{"a":1,"error":{"Error":"Boom","Cause":"mocked"}}"#)
    );
    let mocked = test_state(
        &client,
        &task,
        "{}",
        InspectionLevel::Info,
        json!({"mock": {"result": r#"{"mocked": true}"#}}),
    )
    .await
    .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(mocked.status(), Some(&TestExecutionStatus::Succeeded));
    assert_eq!(mocked.output(), Some(r#"{"mocked":true}"#));

    // What the API refuses.
    let r = test_state(
        &client,
        &json!({"Type": "Pass"}),
        "{}",
        InspectionLevel::Info,
        json!({}),
    )
    .await;
    assert_eq!(code(r), "InvalidDefinition");
    let map = json!({"Type": "Map", "End": true,
        "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}});
    let r = test_state(&client, &map, "[1]", InspectionLevel::Info, json!({})).await;
    assert_eq!(code(r), "InvalidDefinition");
    let r = test_state(
        &client,
        &machine,
        "{}",
        InspectionLevel::Info,
        json!({"stateName": "Z"}),
    )
    .await;
    assert_eq!(code(r), "ValidationException");
    let r = test_state(&client, &pass, "{", InspectionLevel::Info, json!({})).await;
    assert_eq!(code(r), "ValidationException");
    let r = test_state(
        &client,
        &pass,
        "{}",
        InspectionLevel::Info,
        json!({"mock": {}}),
    )
    .await;
    assert_eq!(code(r), "ValidationException");
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn update_map_run_changes_a_running_distributed_map() {
    let (server, client) = serve(Duration::from_millis(100)).await;
    let in_flight = Arc::new(AtomicUsize::new(0));
    let (release, released) = tokio::sync::watch::channel(false);
    {
        let in_flight = in_flight.clone();
        server
            .engine()
            .register_handler(WORK, move |req: TaskRequest| {
                let (in_flight, mut released) = (in_flight.clone(), released.clone());
                async move {
                    in_flight.fetch_add(1, Ordering::SeqCst);
                    let _ = released.wait_for(|r| *r).await;
                    Ok(req.input)
                }
            });
    }
    let machine = create_machine(
        &client,
        "throttled",
        &map_machine(
            "DISTRIBUTED",
            r#""MaxConcurrency": 1,"#,
            &task_processor(WORK),
        ),
    )
    .await;
    let run = start(&client, &machine, None, r#"{"items": [1, 2, 3, 4, 5]}"#).await;
    let engine = server.engine().clone();
    until(|| engine.list_map_runs(&run).is_ok_and(|r| r.len() == 1)).await;
    until(|| in_flight.load(Ordering::SeqCst) == 1).await;
    let map_run = client
        .list_map_runs()
        .execution_arn(&run)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .map_runs()[0]
        .map_run_arn()
        .to_owned();

    let r = client
        .update_map_run()
        .map_run_arn(&map_run)
        .max_concurrency(3)
        .tolerated_failure_count(2)
        .tolerated_failure_percentage(50.0)
        .send()
        .await;
    assert!(r.is_ok(), "{r:?}");
    let d = client
        .describe_map_run()
        .map_run_arn(&map_run)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(d.max_concurrency(), 3);
    assert_eq!(d.tolerated_failure_count(), 2);
    assert_eq!(d.tolerated_failure_percentage(), 50.0);
    assert_eq!(d.redrive_count(), Some(0));
    // Two more children start at once: three run.
    until(|| in_flight.load(Ordering::SeqCst) == 3).await;

    let r = client
        .update_map_run()
        .map_run_arn(&map_run)
        .tolerated_failure_percentage(101.0)
        .send()
        .await;
    assert_eq!(code(r), "ValidationException");
    let r = client
        .update_map_run()
        .map_run_arn(&map_run)
        .max_concurrency(-1)
        .send()
        .await;
    assert_eq!(code(r), "ValidationException");
    let _ = release.send(true);
    assert_eq!(finished(&client, &run).await, ExecutionStatus::Succeeded);
    let r = client
        .update_map_run()
        .map_run_arn(&map_run)
        .max_concurrency(1)
        .send()
        .await;
    assert_eq!(code(r), "ValidationException");

    let r = client
        .update_map_run()
        .map_run_arn(format!("{PREFIX}:mapRun:throttled/Each:nope"))
        .max_concurrency(1)
        .send()
        .await;
    assert_eq!(code(r), "ResourceNotFound");
    let r = client
        .update_map_run()
        .map_run_arn(&run)
        .max_concurrency(1)
        .send()
        .await;
    assert_eq!(code(r), "InvalidArn");
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn versions_and_aliases_are_published_routed_and_deleted() {
    let (server, client) = serve(Duration::from_millis(100)).await;
    let pass = |r: &str| {
        format!(
            r#"{{"StartAt": "P", "States": {{"P": {{"Type": "Pass", "Result": "{r}", "End": true}}}}}}"#
        )
    };
    let created = client
        .create_state_machine()
        .name("v")
        .definition(pass("one"))
        .role_arn(ROLE)
        .publish(true)
        .version_description("first")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let arn = created.state_machine_arn().to_owned();
    let v1 = format!("{arn}:1");
    assert_eq!(created.state_machine_version_arn(), Some(v1.as_str()));
    let r = client
        .create_state_machine()
        .name("w")
        .definition(pass("one"))
        .role_arn(ROLE)
        .version_description("no")
        .send()
        .await;
    assert_eq!(code(r), "ValidationException");

    let updated = client
        .update_state_machine()
        .state_machine_arn(&arn)
        .definition(pass("two"))
        .publish(true)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let v2 = format!("{arn}:2");
    assert_eq!(updated.state_machine_version_arn(), Some(v2.as_str()));
    let revision = updated.revision_id().unwrap_or_default().to_owned();
    assert!(!revision.is_empty());
    // Publishing the latest revision again gives its version.
    let again = client
        .publish_state_machine_version()
        .state_machine_arn(&arn)
        .revision_id(&revision)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(again.state_machine_version_arn(), v2);
    let r = client
        .publish_state_machine_version()
        .state_machine_arn(&arn)
        .revision_id("INITIAL")
        .send()
        .await;
    assert_eq!(code(r), "ConflictException");
    let versions = client
        .list_state_machine_versions()
        .state_machine_arn(&arn)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let listed: Vec<&str> = versions
        .state_machine_versions()
        .iter()
        .map(|v| v.state_machine_version_arn())
        .collect();
    assert_eq!(listed, [v2.as_str(), v1.as_str()]);
    let d = client
        .describe_state_machine()
        .state_machine_arn(&v1)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(d.state_machine_arn(), v1);
    assert_eq!(d.definition(), pass("one"));
    assert_eq!(d.description(), Some("first"));

    let r = client
        .create_state_machine_alias()
        .name("PROD")
        .routing_configuration(
            RoutingConfigurationListItem::builder()
                .state_machine_version_arn(&v1)
                .weight(70)
                .build()
                .unwrap_or_else(|e| panic!("{e}")),
        )
        .send()
        .await;
    assert_eq!(code(r), "ValidationException");
    let route = |v: &str, weight: i32| {
        RoutingConfigurationListItem::builder()
            .state_machine_version_arn(v)
            .weight(weight)
            .build()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let alias = client
        .create_state_machine_alias()
        .name("PROD")
        .description("production")
        .routing_configuration(route(&v1, 100))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .state_machine_alias_arn()
        .to_owned();
    assert_eq!(alias, format!("{arn}:PROD"));
    client
        .update_state_machine_alias()
        .state_machine_alias_arn(&alias)
        .routing_configuration(route(&v1, 0))
        .routing_configuration(route(&v2, 100))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let described = client
        .describe_state_machine_alias()
        .state_machine_alias_arn(&alias)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(described.name(), Some("PROD"));
    assert_eq!(described.description(), Some("production"));
    assert_eq!(described.routing_configuration().len(), 2);
    let aliases = client
        .list_state_machine_aliases()
        .state_machine_arn(&v2)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(aliases.state_machine_aliases().len(), 1);

    // Through the alias: version 2, both recorded.
    let execution = start(&client, &alias, Some("through"), "{}").await;
    assert_eq!(
        finished(&client, &execution).await,
        ExecutionStatus::Succeeded
    );
    let e = client
        .describe_execution()
        .execution_arn(&execution)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(e.state_machine_arn(), arn);
    assert_eq!(e.state_machine_version_arn(), Some(v2.as_str()));
    assert_eq!(e.state_machine_alias_arn(), Some(alias.as_str()));
    assert_eq!(e.output(), Some(r#""two""#));
    let listed = client
        .list_executions()
        .state_machine_arn(&alias)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(listed.executions().len(), 1);
    assert_eq!(
        listed.executions()[0].state_machine_alias_arn(),
        Some(alias.as_str())
    );

    let r = client
        .delete_state_machine_version()
        .state_machine_version_arn(&v2)
        .send()
        .await;
    assert_eq!(code(r), "ConflictException");
    client
        .delete_state_machine_alias()
        .state_machine_alias_arn(&alias)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let r = client
        .describe_state_machine_alias()
        .state_machine_alias_arn(&alias)
        .send()
        .await;
    assert_eq!(code(r), "ResourceNotFound");
    client
        .delete_state_machine_version()
        .state_machine_version_arn(&v2)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let r = client
        .describe_state_machine()
        .state_machine_arn(&v2)
        .send()
        .await;
    assert_eq!(code(r), "StateMachineDoesNotExist");
    server.shutdown().await;
}

// Bad requests, sent by hand.

/// A server for the hand-made requests, on its own runtime, shared by the tests.
fn raw_server() -> SocketAddr {
    static SERVER: OnceLock<SocketAddr> = OnceLock::new();
    *SERVER.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .unwrap_or_else(|e| panic!("{e}"));
            rt.block_on(async move {
                let server = Server::builder()
                    .bind(SocketAddr::from(([127, 0, 0, 1], 0)))
                    .activity_poll_timeout(Duration::from_millis(50))
                    .build()
                    .await
                    .unwrap_or_else(|e| panic!("{e}"));
                let _ = tx.send(server.local_addr());
                // Serve for as long as the test binary runs.
                std::future::pending::<()>().await;
                drop(server);
            });
        });
        rx.recv().unwrap_or_else(|e| panic!("{e}"))
    })
}

/// Sends one request by hand; returns the status and the body as JSON.
fn send_raw(headers: &[(&str, &str)], body: &[u8]) -> (u16, Value) {
    let addr = raw_server();
    let mut stream = TcpStream::connect(addr).unwrap_or_else(|e| panic!("{e}"));
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut request = format!(
        "POST / HTTP/1.1\r\nHost: sync-localhost\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str("\r\n");
    let _ = stream.write_all(request.as_bytes());
    let _ = stream.write_all(body);
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {text:?}"));
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    let json = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body:?}"));
    (status, json)
}

fn target(op: &str) -> String {
    format!("AWSStepFunctions.{op}")
}

#[test]
fn bad_requests_get_aws_shaped_errors() {
    let ct = ("Content-Type", "application/x-amz-json-1.0");
    let create = target("CreateActivity");
    let t = ("X-Amz-Target", create.as_str());

    let (status, body) = send_raw(&[ct, t], b"{not json");
    assert_eq!(
        (status, body["__type"].as_str()),
        (400, Some("ValidationException"))
    );

    let (status, body) = send_raw(&[ct, t], br#"{"name": 42}"#);
    assert_eq!(
        (status, body["__type"].as_str()),
        (400, Some("ValidationException"))
    );
    assert!(
        body["message"].as_str().unwrap_or("").contains("'name'"),
        "{body}"
    );

    let (_, body) = send_raw(&[ct, t], b"{}");
    assert_eq!(body["__type"], "ValidationException");
    assert!(
        body["message"].as_str().unwrap_or("").contains("'name'"),
        "{body}"
    );

    let (_, body) = send_raw(&[ct, t], b"[1, 2]");
    assert_eq!(body["__type"], "ValidationException");

    let (_, body) = send_raw(&[ct, t], br#"{"name": "x", "tags": [{"key": 1}]}"#);
    assert_eq!(body["__type"], "ValidationException");
    assert!(
        body["message"]
            .as_str()
            .unwrap_or("")
            .contains("tags.1.member.key"),
        "{body}"
    );

    let (status, body) = send_raw(
        &[ct, ("X-Amz-Target", "AWSStepFunctions.Frobnicate")],
        b"{}",
    );
    assert_eq!(
        (status, body["__type"].as_str()),
        (400, Some("UnknownOperationException"))
    );
    let (_, body) = send_raw(&[ct, ("X-Amz-Target", "DynamoDB_20120810.GetItem")], b"{}");
    assert_eq!(body["__type"], "UnknownOperationException");
    let (_, body) = send_raw(&[ct], b"{}");
    assert_eq!(body["__type"], "UnknownOperationException");

    let big = vec![b' '; 1024 * 1024 + 1];
    let (status, body) = send_raw(&[ct, t], &big);
    assert_eq!(status, 413);
    assert!(body["__type"].is_string(), "{body}");

    // Any credentials, any host: a well-formed request succeeds.
    let (status, body) = send_raw(
        &[
            ct,
            t,
            (
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=whoever/20260101/us-east-1/states/aws4_request, SignedHeaders=host, Signature=00",
            ),
        ],
        br#"{"name": "raw"}"#,
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["activityArn"], format!("{PREFIX}:activity:raw"));
    assert!(
        body["creationDate"].is_f64() || body["creationDate"].is_u64(),
        "{body}"
    );
}

/// Sends `body` to the operation `op` of the shared raw server.
fn raw(op: &str, body: Value) -> (u16, Value) {
    let target = target(op);
    send_raw(
        &[
            ("Content-Type", "application/x-amz-json-1.0"),
            ("X-Amz-Target", target.as_str()),
        ],
        body.to_string().as_bytes(),
    )
}

/// The exception and message of a raw call that failed.
fn raw_error(op: &str, body: Value) -> (String, String) {
    let (status, answer) = raw(op, body);
    assert_eq!(status, 400, "{op}: {answer}");
    (
        answer["__type"].as_str().unwrap_or_default().to_owned(),
        answer["message"].as_str().unwrap_or_default().to_owned(),
    )
}

fn pair(kind: &str, message: &str) -> (String, String) {
    (kind.to_owned(), message.to_owned())
}

#[test]
fn errors_are_worded_as_aws_words_them() {
    for (op, member) in [
        ("DescribeStateMachine", "stateMachineArn"),
        ("ListExecutions", "stateMachineArn"),
        ("PublishStateMachineVersion", "stateMachineArn"),
        ("DescribeExecution", "executionArn"),
        ("GetExecutionHistory", "executionArn"),
        ("DescribeActivity", "activityArn"),
        ("GetActivityTask", "activityArn"),
    ] {
        assert_eq!(
            raw_error(op, json!({ member: "not_a_valid_arn" })),
            pair(
                "InvalidArn",
                "Invalid Arn: 'Invalid ARN prefix: not_a_valid_arn'"
            ),
            "{op}"
        );
    }
    for name in [
        "activity name",
        "activity<name",
        "activity:name",
        "\u{0}activity",
    ] {
        assert_eq!(
            raw_error("CreateActivity", json!({ "name": name })),
            pair("InvalidName", &format!("Invalid Name: '{name}'"))
        );
    }
    let (_, created) = raw(
        "CreateStateMachine",
        json!({"name": "worded", "definition": PASS, "roleArn": ROLE}),
    );
    let machine = created["stateMachineArn"].as_str().unwrap_or_default();
    let invalid_input = |input: &str| {
        raw_error(
            "StartExecution",
            json!({"stateMachineArn": machine, "input": input}),
        )
    };
    assert_eq!(
        invalid_input("not some json"),
        pair(
            "InvalidExecutionInput",
            "Invalid State Machine Execution Input: 'Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')'"
        )
    );
    assert_eq!(
        invalid_input("{'not': 'json'"),
        pair(
            "InvalidExecutionInput",
            "Invalid State Machine Execution Input: 'Unexpected character (''' (code 39)): was expecting double-quote to start field name'"
        )
    );
    assert_eq!(
        invalid_input(""),
        pair(
            "InvalidExecutionInput",
            "Invalid State Machine Execution Input: 'Invalid execution input.'"
        )
    );
    assert_eq!(
        raw_error("UpdateStateMachine", json!({ "stateMachineArn": machine })),
        pair(
            "MissingRequiredParameter",
            "Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified"
        )
    );
    assert_eq!(
        raw_error(
            "ListExecutions",
            json!({"stateMachineArn": machine, "statusFilter": "succeeded"})
        ),
        pair(
            "ValidationException",
            "1 validation error detected: Value 'succeeded' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [SUCCEEDED, TIMED_OUT, PENDING_REDRIVE, ABORTED, FAILED, RUNNING]"
        )
    );
    assert_eq!(
        raw_error(
            "ListStateMachineAliases",
            json!({"stateMachineArn": machine, "nextToken": "InvalidToken"})
        ),
        pair("InvalidToken", "Invalid Token: 'Invalid token'")
    );
    // A value is quoted whole, however long.
    let token = "x".repeat(3097);
    assert_eq!(
        raw_error(
            "ListExecutions",
            json!({"stateMachineArn": machine, "nextToken": token})
        ),
        pair(
            "ValidationException",
            &format!(
                "1 validation error detected: Value '{token}' at 'nextToken' failed to satisfy constraint: Member must have length less than or equal to 3096"
            )
        )
    );
    let (_, activity) = raw("CreateActivity", json!({"name": "described-activity"}));
    let (_, described) = raw(
        "DescribeActivity",
        json!({"activityArn": activity["activityArn"]}),
    );
    assert_eq!(
        described["encryptionConfiguration"],
        json!({"type": "AWS_OWNED_KEY"})
    );
}

/// DeleteStateMachine while an execution runs, as on AWS: the machine is described as
/// `DELETING` and refuses new executions with `StateMachineDeleting` until the execution
/// ends, then it is gone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_machine_deleted_while_it_runs_answers_as_deleting() {
    let (server, client) = serve(Duration::from_secs(5)).await;
    let activity = client
        .create_activity()
        .name("deleting-work")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .activity_arn()
        .to_owned();
    let machine = create_machine(&client, "deleting", &activity_machine(&activity, "")).await;
    let execution = start(&client, &machine, None, "{}").await;
    let (token, _) = poll_task(&client, &activity).await;
    client
        .delete_state_machine()
        .state_machine_arn(&machine)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let described = client
        .describe_state_machine()
        .state_machine_arn(&machine)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(
        described.status(),
        Some(&aws_sdk_sfn::types::StateMachineStatus::Deleting)
    );
    let refused = client
        .start_execution()
        .state_machine_arn(&machine)
        .send()
        .await;
    assert_eq!(code(refused), "StateMachineDeleting");
    client
        .send_task_success()
        .task_token(token)
        .output("{}")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(
        finished(&client, &execution).await,
        ExecutionStatus::Succeeded
    );
    let mut gone = String::new();
    for _ in 0..500 {
        let r = client
            .describe_state_machine()
            .state_machine_arn(&machine)
            .send()
            .await;
        if r.is_err() {
            gone = code(r);
            break;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    assert_eq!(gone, "StateMachineDoesNotExist");
    server.shutdown().await;
}

/// An execution's input is kept as the text it was sent as, as AWS keeps it:
/// DescribeExecution, the `ExecutionStarted` event and StartSyncExecution give the text
/// back, spacing and all, while the states see its value.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_execution_input_is_given_back_as_it_was_sent() {
    let (server, client) = serve(Duration::from_millis(100)).await;
    let text = "{\"n\": 1,  \"list\": [1, 2]}";
    let machine = create_machine(&client, "echoed", PASS).await;
    let execution = start(&client, &machine, None, text).await;
    assert_eq!(
        finished(&client, &execution).await,
        ExecutionStatus::Succeeded
    );
    let d = describe(&client, &execution).await;
    assert_eq!(d.input(), Some(text));
    // The states had its value: the output is the value's JSON.
    assert_eq!(d.output(), Some(r#"{"n":1,"list":[1,2]}"#));
    let history = client
        .get_execution_history()
        .execution_arn(&execution)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let started = history.events()[0]
        .execution_started_event_details()
        .and_then(|d| d.input());
    assert_eq!(started, Some(text));
    let express = client
        .create_state_machine()
        .name("echoed-express")
        .definition(PASS)
        .role_arn(ROLE)
        .r#type(StateMachineType::Express)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .state_machine_arn()
        .to_owned();
    let done = client
        .start_sync_execution()
        .state_machine_arn(&express)
        .input(text)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(done.input(), Some(text));
    server.shutdown().await;
}

/// Every constraint a request breaks is named, in the order of the request's members, as
/// AWS names them: "N validation errors detected: …; …".
#[tokio::test]
async fn every_broken_constraint_of_a_request_is_named() {
    let (server, client) = serve(Duration::from_secs(1)).await;
    let machine = create_machine(&client, "constrained", PASS).await;
    let long_name = "n".repeat(81);
    let trace = "t".repeat(257);
    let r = client
        .start_execution()
        .state_machine_arn(&machine)
        .name(&long_name)
        .trace_header(&trace)
        .send()
        .await;
    assert_eq!(
        message(r),
        format!(
            "2 validation errors detected: Value '{long_name}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 80; Value '{trace}' at 'traceHeader' failed to satisfy constraint: Member must have length less than or equal to 256"
        )
    );
    // One alone is one error.
    let r = client
        .start_execution()
        .state_machine_arn(&machine)
        .name(&long_name)
        .send()
        .await;
    assert_eq!(
        message(r),
        format!(
            "1 validation error detected: Value '{long_name}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 80"
        )
    );
    // An enum and a bound, before the request as a whole is looked at.
    let r = client
        .list_executions()
        .status_filter(ExecutionStatus::from("succeeded"))
        .max_results(1001)
        .send()
        .await;
    let m = message(r);
    assert_eq!(
        m,
        "2 validation errors detected: Value 'succeeded' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [SUCCEEDED, TIMED_OUT, PENDING_REDRIVE, ABORTED, FAILED, RUNNING]; Value '1001' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000"
    );
    let r = client
        .tag_resource()
        .resource_arn("not_an_arn")
        .tags(Tag::builder().key("").value("v".repeat(257)).build())
        .tags(Tag::builder().key("k").build())
        .tags(Tag::builder().key("k".repeat(129)).build())
        .send()
        .await;
    let m = message(r);
    assert!(m.starts_with("3 validation errors detected: Value '' at 'tags.1.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1; Value '"), "{m}");
    assert!(m.contains("' at 'tags.1.member.value' failed to satisfy constraint: Member must have length less than or equal to 256; Value '"), "{m}");
    assert!(m.ends_with("' at 'tags.3.member.key' failed to satisfy constraint: Member must have length less than or equal to 128"), "{m}");
    server.shutdown().await;
}

#[test]
fn logging_configurations_are_checked_completed_and_revised_as_on_aws() {
    let group = json!({"cloudWatchLogsLogGroup": {
        "logGroupArn": "arn:aws:logs:us-east-1:123456789012:log-group:sfn:*"}});
    let create = |name: &str, logging: Value| {
        raw(
            "CreateStateMachine",
            json!({"name": name, "definition": PASS, "roleArn": ROLE,
                   "loggingConfiguration": logging}),
        )
    };
    for (i, logging) in [
        json!({"level": "ALL"}),
        json!({"level": "ERROR", "destinations": []}),
        json!({"level": "ALL", "destinations": [group, group]}),
    ]
    .into_iter()
    .enumerate()
    {
        let (status, answer) = create(&format!("badly-logged-{i}"), logging);
        assert_eq!(status, 400);
        assert_eq!(answer["__type"], "InvalidLoggingConfiguration");
        assert_eq!(
            answer["message"],
            "Invalid Logging Configuration: Must specify exactly one Log Destination."
        );
    }
    let logging_of = |arn: &Value| {
        let (_, d) = raw("DescribeStateMachine", json!({"stateMachineArn": arn}));
        (d["loggingConfiguration"].clone(), d["revisionId"].clone())
    };
    let (_, created) = create("logged-incompletely", json!({"destinations": []}));
    assert_eq!(
        logging_of(&created["stateMachineArn"]).0,
        json!({"level": "OFF", "includeExecutionData": false, "destinations": []})
    );
    let mut logging = json!({"level": "ALL", "includeExecutionData": true,
                             "destinations": [group]});
    let (_, created) = create("logged", logging.clone());
    let machine = created["stateMachineArn"].clone();
    logging["level"] = json!("FATAL");
    let update = |logging: &Value| {
        raw(
            "UpdateStateMachine",
            json!({"stateMachineArn": machine, "loggingConfiguration": logging}),
        )
    };
    let (status, updated) = update(&logging);
    assert_eq!(status, 200, "{updated}");
    let (now, first) = logging_of(&machine);
    assert_eq!(now, logging);
    assert!(first.is_string(), "a new revision: {first}");
    assert_eq!(updated["revisionId"], first);
    // The same again is no new revision; a change is.
    update(&logging);
    assert_eq!(logging_of(&machine).1, first);
    logging["includeExecutionData"] = json!(false);
    update(&logging);
    let (now, second) = logging_of(&machine);
    assert_eq!(now, logging);
    assert!(second.is_string() && second != first, "{second}");
    let (status, answer) = update(&json!({"level": "ALL"}));
    assert_eq!(
        (status, answer["__type"].as_str()),
        (400, Some("InvalidLoggingConfiguration"))
    );
    // Created again alike, it is the same machine; with other settings, another.
    let (status, again) = create("logged", logging.clone());
    assert_eq!(
        (status, &again["stateMachineArn"]),
        (200, &machine),
        "{again}"
    );
    let (status, again) = create("logged", json!({"level": "OFF"}));
    assert_eq!(
        (status, again["__type"].as_str()),
        (400, Some("StateMachineAlreadyExists"))
    );
    let plain = |name: &str| {
        raw(
            "CreateStateMachine",
            json!({"name": name, "definition": PASS, "roleArn": ROLE}),
        )
    };
    let (status, _) = plain("logged");
    assert_eq!(status, 400);
    let (_, first) = plain("unlogged");
    let (status, again) = create("unlogged", json!({}));
    assert_eq!(
        (status, &again["stateMachineArn"]),
        (200, &first["stateMachineArn"])
    );
}

#[test]
fn routing_configurations_are_quoted_as_aws_quotes_them() {
    let (_, created) = raw(
        "CreateStateMachine",
        json!({"name": "routed-words", "definition": PASS, "roleArn": ROLE, "publish": true}),
    );
    let machine = created["stateMachineArn"].clone();
    let mut versions = vec![
        created["stateMachineVersionArn"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    ];
    for comment in ["two", "three"] {
        let definition = format!(
            r#"{{"Comment": "{comment}", "StartAt": "P", "States": {{"P": {{"Type": "Pass", "End": true}}}}}}"#
        );
        let (_, updated) = raw(
            "UpdateStateMachine",
            json!({"stateMachineArn": machine, "definition": definition, "publish": true}),
        );
        versions.push(
            updated["stateMachineVersionArn"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        );
    }
    let routes: Vec<Value> = versions
        .iter()
        .zip([50, 30, 20])
        .map(|(v, w)| json!({"stateMachineVersionArn": v, "weight": w}))
        .collect();
    assert_eq!(
        raw_error(
            "CreateStateMachineAlias",
            json!({"name": "too-many", "routingConfiguration": routes}),
        ),
        pair(
            "ValidationException",
            &format!(
                "1 validation error detected: Value '[RoutingConfigurationListItem(stateMachineVersionArn={}, weight=50), RoutingConfigurationListItem(stateMachineVersionArn={}, weight=30), RoutingConfigurationListItem(stateMachineVersionArn={}, weight=20)]' at 'routingConfiguration' failed to satisfy constraint: Member must have length less than or equal to 2",
                versions[0], versions[1], versions[2]
            )
        )
    );
    let (_, message) = raw_error(
        "CreateStateMachineAlias",
        json!({"name": "negative", "routingConfiguration":
               [{"stateMachineVersionArn": versions[0], "weight": -1}]}),
    );
    assert_eq!(
        message,
        "1 validation error detected: Value '-1' at 'routingConfiguration.1.member.weight' failed to satisfy constraint: Member must have value greater than or equal to 0"
    );
    // Aliases are listed oldest first, whatever their names.
    for name in ["zz-older", "aa-newer"] {
        let (status, answer) = raw(
            "CreateStateMachineAlias",
            json!({"name": name, "routingConfiguration":
                   [{"stateMachineVersionArn": versions[0], "weight": 100}]}),
        );
        assert_eq!(status, 200, "{answer}");
    }
    let (_, listed) = raw(
        "ListStateMachineAliases",
        json!({"stateMachineArn": machine, "maxResults": 1}),
    );
    let (_, rest) = raw(
        "ListStateMachineAliases",
        json!({"stateMachineArn": machine, "nextToken": listed["nextToken"]}),
    );
    let names: Vec<String> = [&listed, &rest]
        .iter()
        .flat_map(|page| {
            page["stateMachineAliases"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .filter_map(|a| a["stateMachineAliasArn"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(
        names,
        [
            format!("{}:zz-older", machine.as_str().unwrap_or_default()),
            format!("{}:aa-newer", machine.as_str().unwrap_or_default())
        ]
    );
}

#[test]
fn state_machines_are_listed_by_name() {
    for name in ["by-name-2", "by-name-10", "by-name-1"] {
        raw(
            "CreateStateMachine",
            json!({"name": name, "definition": PASS, "roleArn": ROLE}),
        );
    }
    let (_, listed) = raw("ListStateMachines", json!({"maxResults": 1000}));
    let names: Vec<&str> = listed["stateMachines"]
        .as_array()
        .map(|m| m.iter().filter_map(|m| m["name"].as_str()).collect())
        .unwrap_or_default();
    let ours: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| n.starts_with("by-name-"))
        .collect();
    assert_eq!(ours, ["by-name-1", "by-name-10", "by-name-2"]);
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted);
}

#[test]
fn test_state_answers_in_aws_shape() {
    let ct = ("Content-Type", "application/x-amz-json-1.0");
    let op = target("TestState");
    let t = ("X-Amz-Target", op.as_str());
    let task = json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
        "Retry": [{"ErrorEquals": ["Boom"], "IntervalSeconds": 2, "BackoffRate": 3.0}]});
    let request = json!({
        "definition": task.to_string(),
        "inspectionLevel": "TRACE",
        "mock": {"errorOutput": {"error": "Boom", "cause": "mocked"}},
        "stateConfiguration": {"retrierRetryCount": 1},
    });
    let (status, body) = send_raw(&[ct, t], request.to_string().as_bytes());
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "RETRIABLE", "{body}");
    assert_eq!(
        body["inspectionData"]["errorDetails"],
        json!({"retryIndex": 0, "retryBackoffIntervalSeconds": 6}),
        "{body}"
    );

    let (status, body) = send_raw(&[ct, t], br#"{"definition": "{}", "stateName": ""}"#);
    assert_eq!(
        (status, body["__type"].as_str()),
        (400, Some("ValidationException"))
    );
    assert!(
        body["message"]
            .as_str()
            .unwrap_or("")
            .contains("'stateName'"),
        "{body}"
    );
    let (_, body) = send_raw(&[ct, t], br#"{"definition": "{}", "mock": []}"#);
    assert_eq!(body["__type"], "ValidationException", "{body}");

    // A mocked result that does not fit the API's output, and a Map without a mock.
    let mocked = json!({
        "definition": json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}).to_string(),
        "mock": {"result": r#"{"StatusCode": "200"}"#},
    });
    let (status, body) = send_raw(&[ct, t], mocked.to_string().as_bytes());
    assert_eq!(
        (status, &body["__type"], &body["message"]),
        (
            400,
            &json!("ValidationException"),
            &json!("Mock result schema validation error: Field 'StatusCode' must be a number")
        ),
        "{body}"
    );
    let map = json!({"Type": "Map", "End": true,
        "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}});
    let unmocked = json!({"definition": map.to_string()});
    let (status, body) = send_raw(&[ct, t], unmocked.to_string().as_bytes());
    assert_eq!(
        (status, &body["__type"], &body["message"]),
        (
            400,
            &json!("InvalidDefinition"),
            &json!(
                "TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]"
            )
        ),
        "{body}"
    );
}

/// What a random request is made of.
fn any_target() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(vec![
            "CreateActivity",
            "DescribeActivity",
            "ListActivities",
            "GetActivityTask",
            "SendTaskSuccess",
            "CreateStateMachine",
            "StartExecution",
            "ListExecutions",
            "GetExecutionHistory",
            "ValidateStateMachineDefinition",
            "TagResource",
            "TestState",
            "RedriveExecution",
            "UpdateMapRun",
        ])
        .prop_map(target),
        "[ -~]{0,40}",
    ]
}

fn any_body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..256),
        r#"[{}\[\]":, 0-9a-zA-Z.\-#$]{0,200}"#.prop_map(String::into_bytes),
        proptest::collection::btree_map(
            proptest::sample::select(vec![
                "name",
                "activityArn",
                "stateMachineArn",
                "executionArn",
                "definition",
                "roleArn",
                "input",
                "output",
                "taskToken",
                "maxResults",
                "nextToken",
                "tags",
                "resourceArn",
                "reverseOrder",
                "statusFilter",
                "severity",
                "mapRunArn",
                "clientToken",
                "mock",
                "stateName",
                "stateConfiguration",
            ]),
            prop_oneof![
                Just(Value::Null),
                any::<bool>().prop_map(Value::from),
                any::<i64>().prop_map(Value::from),
                "[ -~]{0,30}".prop_map(Value::from),
                Just(json!([{"key": 1}])),
                Just(json!({"a": []})),
            ],
            0..5,
        )
        .prop_map(|m| serde_json::to_vec(&m).unwrap_or_default()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn random_requests_never_break_the_server(
        target in any_target(),
        content_type in "[ -~]{0,30}",
        extra in "[A-Za-z][A-Za-z0-9-]{0,10}",
        extra_value in "[ -~]{0,30}",
        body in any_body(),
    ) {
        // Headers that frame the message are the HTTP layer's business, not the API's.
        let framing = ["host", "connection", "expect", "upgrade", "te", "trailer", "keep-alive"];
        prop_assume!(!framing.contains(&extra.to_ascii_lowercase().as_str()));
        let headers = [
            ("X-Amz-Target", target.trim()),
            ("Content-Type", content_type.trim()),
            (extra.as_str(), extra_value.trim()),
        ];
        let (status, json) = send_raw(&headers, &body);
        prop_assert!(status == 200 || status == 400 || status == 413, "{status} {json}");
        prop_assert!(json.is_object(), "{json}");
        if status != 200 {
            prop_assert!(json["__type"].is_string(), "{json}");
            prop_assert!(json["message"].is_string(), "{json}");
        }
    }
}

/// A server whose faults are `spec`, drawn from a fixed seed.
async fn serve_faults(spec: &str) -> (ServerHandle, Client) {
    let faults = spec
        .parse::<sfn_runtime::server::Faults>()
        .unwrap_or_else(|e| panic!("{e}"));
    serve_with(
        Server::builder()
            .activity_poll_timeout(Duration::from_millis(100))
            .faults(faults)
            .faults_seed(1),
    )
    .await
}

/// The HTTP status of a failed call.
fn status<T: std::fmt::Debug, E: std::fmt::Debug>(
    r: &Result<T, aws_sdk_sfn::error::SdkError<E, aws_sdk_sfn::config::http::HttpResponse>>,
) -> u16 {
    match r {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(e) => e
            .raw_response()
            .map(|r| r.status().as_u16())
            .unwrap_or_else(|| panic!("no response: {e:?}")),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_throttle_fault_answers_throttling_before_the_operation_runs() {
    let (server, client) = serve_faults("StartExecution:throttle=1.0").await;
    let machine = create_machine(&client, "pass", PASS).await;
    let r = client
        .start_execution()
        .state_machine_arn(&machine)
        .name("throttled")
        .send()
        .await;
    assert_eq!(status(&r), 400);
    assert_eq!(code(r), "ThrottlingException");
    // The throttled request had no effect; other operations are served.
    let listed = client
        .list_executions()
        .state_machine_arn(&machine)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(listed.executions().is_empty());
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_error_fault_answers_500() {
    let (server, client) = serve_faults("CreateActivity:error=1").await;
    let r = client.create_activity().name("a").send().await;
    assert_eq!(status(&r), 500);
    assert_eq!(code(r), "InternalFailure");
    let listed = client
        .list_activities()
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(listed.activities().is_empty());
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delay_fault_holds_the_answer() {
    let (server, client) = serve_faults("ListActivities:delay=1@2s").await;
    // A client that gives up long before the delay ends sees its call time out…
    let impatient = Client::from_conf(
        sfn_runtime::aws::local_config(server.endpoint_url())
            .retry_config(RetryConfig::disabled())
            .timeout_config(
                aws_sdk_sfn::config::timeout::TimeoutConfig::builder()
                    .operation_attempt_timeout(Duration::from_millis(100))
                    .build(),
            )
            .build(),
    );
    let r = impatient.list_activities().send().await;
    assert!(
        matches!(r, Err(aws_sdk_sfn::error::SdkError::TimeoutError(_))),
        "{r:?}"
    );
    // …while operations without the fault answer, and the delayed one answers in the end.
    assert!(impatient.create_activity().name("a").send().await.is_ok());
    let listed = client
        .list_activities()
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(listed.activities().len(), 1);
    server.shutdown().await;
}
