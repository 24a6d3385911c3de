//! The client (`sfn_runtime::client::Sfn`) on both back ends: one suite, run on the
//! embedded engine in-process and on AWS's API as `sfn serve` answers it over HTTP, so
//! that both answer alike, errors and pages included.

use std::{net::SocketAddr, time::Duration};

use futures_util::TryStreamExt;
use serde_json::{Value, json};
use sfn_runtime::{
    client::{
        ActivityInfo, ActivityTask, BackendKind, CreateStateMachine, Error, ExecutionStatus,
        GetHistory, HistoryEvent, ListExecutions, LogLevel, PageRequest, Sfn, StartExecution, Tag,
        UpdateStateMachine,
    },
    local::LocalEngine,
    server::{Server, ServerHandle},
};

const ROLE: &str = "arn:aws:iam::123456789012:role/test";
const PREFIX: &str = "arn:aws:states:us-east-1:123456789012";
const PASS: &str = r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}"#;

/// How long a poll is held when no task comes.
const POLL: Duration = Duration::from_millis(500);

/// An engine whose polls end soon.
fn engine() -> LocalEngine {
    let engine = LocalEngine::new();
    engine.set_activity_poll_timeout(POLL);
    engine
}

/// A client, the engine behind it, and the server it talks to when it talks HTTP.
/// Derefs to the client, so that a case taking `&Sfn` takes `&Fixture`.
pub(crate) struct Fixture {
    pub(crate) sfn: Sfn,
    pub(crate) engine: LocalEngine,
    server: Option<ServerHandle>,
}

impl std::ops::Deref for Fixture {
    type Target = Sfn;

    fn deref(&self) -> &Sfn {
        &self.sfn
    }
}

impl Fixture {
    /// The server's URL, for a client that talks HTTP.
    pub(crate) fn endpoint_url(&self) -> Option<String> {
        self.server.as_ref().map(ServerHandle::endpoint_url)
    }

    /// The embedded engine, in-process.
    pub(crate) fn local() -> Self {
        let engine = engine();
        Fixture {
            sfn: Sfn::with_engine(engine.clone()),
            engine,
            server: None,
        }
    }

    /// A server on a free loopback port, through the AWS back end.
    pub(crate) async fn aws() -> Self {
        let engine = engine();
        let server = Server::builder()
            .engine(engine.clone())
            .bind(SocketAddr::from(([127, 0, 0, 1], 0)))
            .build()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        Fixture {
            sfn: Sfn::with_endpoint(server.endpoint_url()).with_role_arn(ROLE),
            engine,
            server: Some(server),
        }
    }
}

/// Stamps each suite function (taking `&Fixture`, or `&Sfn`) into a test on each back
/// end: `<name>::local`, `<name>::aws`.
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn local() {
                let f = $crate::client::Fixture::local();
                assert_eq!(f.sfn.kind(), sfn_runtime::client::BackendKind::Local);
                super::$name(&f).await;
            }

            #[tokio::test]
            async fn aws() {
                let f = $crate::client::Fixture::aws().await;
                assert_eq!(f.sfn.kind(), sfn_runtime::client::BackendKind::Aws);
                super::$name(&f).await;
            }
        }
    )*};
}
pub(crate) use on_both;

on_both!(
    activities,
    activity_errors,
    machines,
    machine_errors,
    tags,
    executions,
    execution_errors,
    history_pages,
    tasks,
    task_errors,
    empty_poll,
);

/// The value of a call that must succeed.
fn ok<T>(r: Result<T, Error>) -> T {
    r.unwrap_or_else(|e| panic!("{e:?}"))
}

/// The error of a call that must fail.
fn err<T: std::fmt::Debug>(r: Result<T, Error>) -> Error {
    match r {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(e) => e,
    }
}

async fn create_machine(sfn: &Sfn, name: &str, definition: &str) -> String {
    ok(sfn
        .backend()
        .create_state_machine(CreateStateMachine::new(name, definition, ROLE))
        .await)
    .state_machine_arn
}

fn activity_machine(activity_arn: &str) -> String {
    json!({
        "StartAt": "Work",
        "States": {"Work": {
            "Type": "Task", "Resource": activity_arn, "HeartbeatSeconds": 60, "End": true
        }}
    })
    .to_string()
}

/// Polls a task of `activity` (one is on its way).
async fn poll(sfn: &Sfn, activity: &str) -> ActivityTask {
    ok(sfn.backend().get_activity_task(activity, Some("w-1")).await)
        .unwrap_or_else(|| panic!("no task for {activity}"))
}

/// Waits until the execution has ended, and returns its status.
async fn ended(sfn: &Sfn, execution: &str) -> ExecutionStatus {
    for _ in 0..500 {
        let status = ok(sfn.backend().describe_execution(execution).await).status;
        if status.is_terminal() {
            return status;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    panic!("{execution} is still running");
}

/// Every event of the history, through the pages of `max_results`.
async fn history(sfn: &Sfn, execution: &str, reverse: bool, max: u32) -> Vec<HistoryEvent> {
    let mut events = Vec::new();
    let mut token = None;
    loop {
        let mut request = GetHistory::new(execution);
        request.reverse_order = reverse;
        request.page = PageRequest::after(token).max_results(max);
        let page = ok(sfn.backend().get_execution_history(request).await);
        assert!(page.items.len() <= max as usize);
        events.extend(page.items);
        match page.next_token {
            Some(t) => token = Some(t),
            None => return events,
        }
    }
}

async fn activities(sfn: &Sfn) {
    let b = sfn.backend();
    let a = ok(b.create_activity("a", &[]).await);
    assert_eq!(a, format!("{PREFIX}:activity:a"));
    assert_eq!(ok(b.create_activity("a", &[]).await), a, "idempotent");
    let c = ok(b.create_activity("c", &[Tag::new("team", "x")]).await);
    let bb = ok(b.create_activity("b", &[]).await);

    let info = ok(b.describe_activity(&a).await);
    assert_eq!(
        (info.activity_arn.as_str(), info.name.as_str()),
        (a.as_str(), "a")
    );
    assert!(info.creation_date.timestamp() > 0);
    assert_eq!(ok(sfn.describe_activity("b").await).activity_arn, bb);
    assert_eq!(ok(sfn.activity_arn("c").await), c);

    // One by one, page after page.
    let mut names = Vec::new();
    let mut token = None;
    let mut pages = 0;
    loop {
        let page = ok(b
            .list_activities(PageRequest::after(token).max_results(1))
            .await);
        assert!(page.items.len() <= 1);
        names.extend(page.items.into_iter().map(|i| i.name));
        pages += 1;
        match page.next_token {
            Some(t) => token = Some(t),
            None => break,
        }
    }
    names.sort();
    assert_eq!(names, ["a", "b", "c"]);
    assert!(pages >= 3);
    let all: Vec<ActivityInfo> = ok(sfn.list_activities().try_collect().await);
    assert_eq!(all.len(), 3);
    assert_eq!(ok(b.list_tags(&c).await), [Tag::new("team", "x")]);

    ok(b.delete_activity(&a).await);
    let all: Vec<ActivityInfo> = ok(sfn.list_activities().try_collect().await);
    let mut names: Vec<_> = all.into_iter().map(|a| a.name).collect();
    names.sort();
    assert_eq!(names, ["b", "c"]);
}

async fn activity_errors(sfn: &Sfn) {
    let b = sfn.backend();
    let missing = format!("{PREFIX}:activity:missing");
    assert!(matches!(
        err(b.describe_activity(&missing).await),
        Error::ActivityDoesNotExist { .. }
    ));
    assert!(matches!(
        err(sfn.describe_activity("missing").await),
        Error::ActivityDoesNotExist { .. }
    ));
    assert!(matches!(
        err(b.describe_activity("not-an-arn").await),
        Error::InvalidArn { .. }
    ));
    assert!(matches!(
        err(b.create_activity("bad name", &[]).await),
        Error::InvalidName { .. }
    ));
    assert!(matches!(
        err(b.get_activity_task(&missing, None).await),
        Error::ActivityDoesNotExist { .. }
    ));
}

async fn machines(sfn: &Sfn) {
    let b = sfn.backend();
    let request = CreateStateMachine::new("m", PASS, ROLE);
    let created = ok(b.create_state_machine(request.clone()).await);
    let arn = created.state_machine_arn.clone();
    assert_eq!(arn, format!("{PREFIX}:stateMachine:m"));
    assert!(created.state_machine_version_arn.is_none());
    let again = ok(b.create_state_machine(request).await);
    assert_eq!(again.state_machine_arn, arn, "same name and definition");

    let info = ok(b.describe_state_machine(&arn).await);
    assert_eq!(info.name, "m");
    assert_eq!(info.definition, PASS);
    assert_eq!(info.role_arn, ROLE);
    assert_eq!(info.status.as_deref(), Some("ACTIVE"));
    // The engine keeps logging and tracing at their defaults.
    assert!(!info.tracing);
    assert_eq!(info.logging.level, LogLevel::Off);
    assert!(info.revision_id.is_none());
    assert_eq!(ok(sfn.state_machine_arn("m").await), arn);

    let changed = r#"{"StartAt": "Q", "States": {"Q": {"Type": "Pass", "End": true}}}"#;
    let mut update = UpdateStateMachine::new(&arn);
    update.definition = Some(changed.to_owned());
    update.tracing = Some(false);
    let updated = ok(b.update_state_machine(update).await);
    assert!(updated.revision_id.is_some());
    let info = ok(b.describe_state_machine(&arn).await);
    assert_eq!(info.definition, changed);
    assert_eq!(info.revision_id, updated.revision_id);
    assert!(!info.tracing);

    let mut publish = UpdateStateMachine::new(&arn);
    publish.role_arn = Some(ROLE.to_owned());
    publish.publish = true;
    publish.version_description = Some("first".into());
    let version = ok(b.update_state_machine(publish).await)
        .state_machine_version_arn
        .unwrap_or_else(|| panic!("no version"));
    assert_eq!(version, format!("{arn}:1"));
    assert_eq!(
        ok(b.describe_state_machine(&version).await)
            .description
            .as_deref(),
        Some("first")
    );

    for name in ["m2", "m3"] {
        create_machine(sfn, name, PASS).await;
    }
    let mut names = Vec::new();
    let mut token = None;
    loop {
        let page = ok(b
            .list_state_machines(PageRequest::after(token).max_results(1))
            .await);
        assert!(page.items.len() <= 1);
        names.extend(page.items.into_iter().map(|m| m.name));
        match page.next_token {
            Some(t) => token = Some(t),
            None => break,
        }
    }
    names.sort();
    assert_eq!(names, ["m", "m2", "m3"]);

    ok(b.delete_state_machine(&arn).await);
    let left: Vec<_> = ok(sfn.list_state_machines().try_collect().await);
    let mut names: Vec<_> = left.into_iter().map(|m| m.name).collect();
    names.sort();
    assert_eq!(names, ["m2", "m3"]);
}

async fn machine_errors(sfn: &Sfn) {
    let b = sfn.backend();
    create_machine(sfn, "m", PASS).await;
    let other = r#"{"StartAt": "Q", "States": {"Q": {"Type": "Pass", "End": true}}}"#;
    assert!(matches!(
        err(b
            .create_state_machine(CreateStateMachine::new("m", other, ROLE))
            .await),
        Error::StateMachineAlreadyExists { .. }
    ));
    let invalid = r#"{"StartAt": "Nowhere", "States": {"P": {"Type": "Pass", "End": true}}}"#;
    assert!(matches!(
        err(b
            .create_state_machine(CreateStateMachine::new("bad", invalid, ROLE))
            .await),
        Error::InvalidDefinition { .. }
    ));
    assert!(matches!(
        err(b
            .describe_state_machine(&format!("{PREFIX}:stateMachine:missing"))
            .await),
        Error::StateMachineDoesNotExist { .. }
    ));
    assert!(matches!(
        err(sfn.describe_state_machine("missing").await),
        Error::StateMachineDoesNotExist { .. }
    ));
}

async fn tags(sfn: &Sfn) {
    let b = sfn.backend();
    let arn = create_machine(sfn, "m", PASS).await;
    assert!(ok(b.list_tags(&arn).await).is_empty());
    ok(
        b.tag_resource(&arn, &[Tag::new("a", "1"), Tag::new("b", "2")])
            .await,
    );
    let mut tags = ok(b.list_tags(&arn).await);
    tags.sort();
    assert_eq!(tags, [Tag::new("a", "1"), Tag::new("b", "2")]);
    ok(b.untag_resource(&arn, &["a".to_owned()]).await);
    assert_eq!(ok(b.list_tags(&arn).await), [Tag::new("b", "2")]);
    assert!(matches!(
        err(b.list_tags(&format!("{PREFIX}:stateMachine:missing")).await),
        Error::ResourceNotFound { .. }
    ));
}

async fn executions(sfn: &Sfn) {
    let b = sfn.backend();
    let activity = ok(b.create_activity("work", &[]).await);
    let machine = create_machine(sfn, "m", &activity_machine(&activity)).await;

    let start = StartExecution::new(&machine, r#"{"n":1}"#).name("e1");
    let started = ok(b.start_execution(start.clone()).await);
    assert_eq!(started.execution_arn, format!("{PREFIX}:execution:m:e1"));
    let again = ok(b.start_execution(start).await);
    assert_eq!(again.execution_arn, started.execution_arn, "idempotent");
    assert!(matches!(
        err(b
            .start_execution(StartExecution::new(&machine, r#"{"n":2}"#).name("e1"))
            .await),
        Error::ExecutionAlreadyExists { .. }
    ));
    let other = ok(b
        .start_execution(StartExecution::new(&machine, "{}").name("e2"))
        .await);

    let info = ok(b.describe_execution(&started.execution_arn).await);
    assert_eq!(info.name, "e1");
    assert_eq!(info.state_machine_arn, machine);
    assert_eq!(info.status, ExecutionStatus::Running);
    assert_eq!(info.input.as_deref(), Some(r#"{"n":1}"#));
    assert!(info.stop_date.is_none());

    let stopped = ok(b
        .stop_execution(&started.execution_arn, Some("Halt"), Some("enough"))
        .await);
    let info = ok(b.describe_execution(&started.execution_arn).await);
    assert_eq!(info.status, ExecutionStatus::Aborted);
    assert_eq!(info.error.as_deref(), Some("Halt"));
    assert_eq!(info.cause.as_deref(), Some("enough"));
    assert_eq!(info.stop_date, Some(stopped));

    let mut running = ListExecutions::new(&machine);
    running.status_filter = Some(ExecutionStatus::Running);
    let page = ok(b.list_executions(running).await);
    let arns: Vec<_> = page
        .items
        .iter()
        .map(|e| e.execution_arn.as_str())
        .collect();
    assert_eq!(arns, [other.execution_arn.as_str()]);
    let mut aborted = ListExecutions::new(&machine);
    aborted.status_filter = Some(ExecutionStatus::Aborted);
    let page = ok(b.list_executions(aborted).await);
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].name, "e1");
    assert_eq!(page.items[0].status, ExecutionStatus::Aborted);
    assert!(page.items[0].stop_date.is_some());

    let mut paged = ListExecutions::new(&machine);
    paged.page = PageRequest::first().max_results(1);
    let first = ok(b.list_executions(paged.clone()).await);
    assert_eq!(first.items.len(), 1);
    paged.page = PageRequest::after(first.next_token.clone()).max_results(1);
    let second = ok(b.list_executions(paged).await);
    assert_eq!(second.items.len(), 1);
    assert_ne!(first.items[0].execution_arn, second.items[0].execution_arn);
    ok(b.stop_execution(&other.execution_arn, None, None).await);
}

async fn execution_errors(sfn: &Sfn) {
    let b = sfn.backend();
    let machine = create_machine(sfn, "m", PASS).await;
    let missing = format!("{PREFIX}:execution:m:missing");
    assert!(matches!(
        err(b.describe_execution(&missing).await),
        Error::ExecutionDoesNotExist { .. }
    ));
    assert!(matches!(
        err(b.stop_execution(&missing, None, None).await),
        Error::ExecutionDoesNotExist { .. }
    ));
    assert!(matches!(
        err(b
            .get_execution_history(GetHistory::new(missing.as_str()))
            .await),
        Error::ExecutionDoesNotExist { .. }
    ));
    assert!(matches!(
        err(b.describe_execution("not-an-arn").await),
        Error::InvalidArn { .. }
    ));
    assert!(matches!(
        err(b
            .start_execution(StartExecution::new(&machine, "not json"))
            .await),
        Error::InvalidExecutionInput { .. }
    ));
    assert!(matches!(
        err(b
            .start_execution(StartExecution::new(
                format!("{PREFIX}:stateMachine:missing"),
                "{}"
            ))
            .await),
        Error::StateMachineDoesNotExist { .. }
    ));
}

async fn history_pages(sfn: &Sfn) {
    let machine = create_machine(sfn, "m", &rich_machine(None)).await;
    let run = ok(sfn
        .backend()
        .start_execution(StartExecution::new(&machine, r#"{"a":1}"#))
        .await);
    assert_eq!(
        ended(sfn, &run.execution_arn).await,
        ExecutionStatus::Succeeded
    );

    let all = history(sfn, &run.execution_arn, false, 1000).await;
    assert!(all.len() > 10, "{all:?}");
    let ids: Vec<_> = all.iter().map(|e| e.id).collect();
    assert_eq!(ids, (1..=all.len() as i64).collect::<Vec<_>>());
    assert_eq!(all[0].event_type, "ExecutionStarted");
    assert_eq!(all[0].input(), Some(r#"{"a":1}"#));
    assert!(all.last().is_some_and(HistoryEvent::is_terminal));

    let paged = history(sfn, &run.execution_arn, false, 3).await;
    assert_eq!(paged, all);
    let mut reversed = history(sfn, &run.execution_arn, true, 4).await;
    reversed.reverse();
    assert_eq!(reversed, all);

    let mut without_data = GetHistory::new(run.execution_arn.as_str());
    without_data.include_execution_data = false;
    let events = ok(sfn.backend().get_execution_history(without_data).await).items;
    assert_eq!(events.len(), all.len());
    assert!(
        events
            .iter()
            .all(|e| e.input().is_none() && e.output().is_none())
    );
}

async fn tasks(sfn: &Sfn) {
    let b = sfn.backend();
    let activity = ok(b.create_activity("work", &[]).await);
    let machine = create_machine(sfn, "m", &activity_machine(&activity)).await;

    let run = ok(b
        .start_execution(StartExecution::new(&machine, r#"{"x":1}"#))
        .await);
    let task = poll(sfn, &activity).await;
    assert_eq!(task.input, r#"{"x":1}"#);
    ok(b.send_task_heartbeat(&task.task_token).await);
    ok(b.send_task_success(&task.task_token, r#"{"done":true}"#)
        .await);
    assert_eq!(
        ended(sfn, &run.execution_arn).await,
        ExecutionStatus::Succeeded
    );
    let info = ok(b.describe_execution(&run.execution_arn).await);
    assert_eq!(ok(info.output_json()), json!({"done": true}));
    // Answered once: the token is spent.
    assert!(err(b.send_task_success(&task.task_token, "{}").await).is_task_gone());

    let run = ok(b.start_execution(StartExecution::new(&machine, "{}")).await);
    let task = poll(sfn, &activity).await;
    ok(
        b.send_task_failure(&task.task_token, Some("Oops"), Some("it broke"))
            .await,
    );
    assert_eq!(
        ended(sfn, &run.execution_arn).await,
        ExecutionStatus::Failed
    );
    let info = ok(b.describe_execution(&run.execution_arn).await);
    assert_eq!(
        (info.error.as_deref(), info.cause.as_deref()),
        (Some("Oops"), Some("it broke"))
    );
    let events = history(sfn, &run.execution_arn, false, 1000).await;
    let started = events
        .iter()
        .find(|e| e.event_type == "ActivityStarted")
        .unwrap_or_else(|| panic!("{events:?}"));
    assert_eq!(started.detail("workerName"), Some("w-1"));
    let failed = events
        .iter()
        .find(|e| e.event_type == "ActivityFailed")
        .unwrap_or_else(|| panic!("{events:?}"));
    assert_eq!(
        (failed.error(), failed.cause()),
        (Some("Oops"), Some("it broke"))
    );
}

async fn task_errors(sfn: &Sfn) {
    let b = sfn.backend();
    let activity = ok(b.create_activity("work", &[]).await);
    let machine = create_machine(sfn, "m", &activity_machine(&activity)).await;
    let run = ok(b.start_execution(StartExecution::new(&machine, "{}")).await);
    let task = poll(sfn, &activity).await;
    ok(b.stop_execution(&run.execution_arn, None, None).await);
    for e in [
        err(b.send_task_heartbeat(&task.task_token).await),
        err(b.send_task_success(&task.task_token, "{}").await),
        err(b.send_task_failure(&task.task_token, None, None).await),
    ] {
        assert!(matches!(e, Error::TaskTimedOut { .. }), "{e:?}");
    }
    for e in [
        err(b.send_task_heartbeat("not a token").await),
        err(b.send_task_success("not a token", "{}").await),
    ] {
        assert!(matches!(e, Error::InvalidToken { .. }), "{e:?}");
    }
}

async fn empty_poll(sfn: &Sfn) {
    let activity = ok(sfn.backend().create_activity("idle", &[]).await);
    let started = std::time::Instant::now();
    let task = ok(sfn.backend().get_activity_task(&activity, None).await);
    assert_eq!(task, None);
    assert!(started.elapsed() >= POLL);
}

/// A machine with many kinds of events: Pass, an inline Map, Wait, activity tasks that
/// succeed and fail (caught), Choice, Succeed or Fail. With no activity, the tasks are left out.
fn rich_machine(activity: Option<&str>) -> String {
    let mut states = json!({
        "Prep": {"Type": "Pass", "Result": [1, 2], "ResultPath": "$.items", "Next": "Each"},
        "Each": {
            "Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 1,
            "ItemProcessor": {"StartAt": "Double", "States": {
                "Double": {"Type": "Pass", "End": true}
            }},
            "ResultPath": "$.mapped", "Next": "Pause"
        },
        "Pause": {"Type": "Wait", "Seconds": 0, "Next": "Check"},
        "Check": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.a", "NumericEquals": 1, "Next": "Done"}],
            "Default": "Bad"
        },
        "Bad": {"Type": "Fail", "Error": "Bad", "Cause": "a is not 1"},
        "Done": {"Type": "Succeed"}
    });
    if let Some(activity) = activity {
        states["Pause"]["Next"] = json!("Work");
        states["Work"] = json!({
            "Type": "Task", "Resource": activity, "TimeoutSeconds": 300,
            "HeartbeatSeconds": 60, "ResultPath": "$.work", "Next": "Flaky"
        });
        states["Flaky"] = json!({
            "Type": "Task", "Resource": activity, "ResultPath": "$.flaky",
            "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.caught", "Next": "Check"}],
            "Next": "Check"
        });
    }
    json!({"StartAt": "Prep", "States": states}).to_string()
}

/// Runs the rich machine with a worker, on `{"a":1}` (it succeeds) and on `{"a":2}`
/// (it fails); the two histories, timestamps aside.
async fn rich_runs(sfn: &Sfn) -> Vec<(i64, i64, String, Value)> {
    let b = sfn.backend();
    let activity = ok(b.create_activity("work", &[]).await);
    let machine = create_machine(sfn, "rich", &rich_machine(Some(&activity))).await;
    let mut events = Vec::new();
    for (a, status) in [
        (1, ExecutionStatus::Succeeded),
        (2, ExecutionStatus::Failed),
    ] {
        let run = ok(b
            .start_execution(
                StartExecution::new(&machine, json!({"a": a}).to_string()).name(format!("run-{a}")),
            )
            .await);
        let task = poll(sfn, &activity).await;
        ok(b.send_task_heartbeat(&task.task_token).await);
        ok(b.send_task_success(&task.task_token, "3").await);
        let task = poll(sfn, &activity).await;
        ok(
            b.send_task_failure(&task.task_token, Some("Oops"), Some("flaky"))
                .await,
        );
        assert_eq!(ended(sfn, &run.execution_arn).await, status);
        events.extend(
            history(sfn, &run.execution_arn, false, 1000)
                .await
                .into_iter()
                .map(|e| {
                    (
                        e.id,
                        e.previous_event_id,
                        e.event_type,
                        Value::Object(e.details),
                    )
                }),
        );
    }
    events
}

#[tokio::test]
async fn the_same_run_gives_the_same_history_on_both_back_ends() {
    let local = Fixture::local();
    let aws = Fixture::aws().await;
    assert_eq!(aws.sfn.kind(), BackendKind::Aws);
    let on_local = rich_runs(&local.sfn).await;
    let on_aws = rich_runs(&aws.sfn).await;
    assert_eq!(on_aws.len(), on_local.len());
    for (a, l) in on_aws.iter().zip(&on_local) {
        assert_eq!(a, l);
    }
    let types: Vec<&str> = on_local.iter().map(|e| e.2.as_str()).collect();
    for t in [
        "ExecutionStarted",
        "PassStateEntered",
        "MapStateStarted",
        "MapIterationStarted",
        "MapIterationSucceeded",
        "ActivityScheduled",
        "ActivityStarted",
        "ActivitySucceeded",
        "ActivityFailed",
        "ChoiceStateEntered",
        "WaitStateEntered",
        "WaitStateExited",
        "SucceedStateEntered",
        "ExecutionSucceeded",
        "FailStateEntered",
        "ExecutionFailed",
    ] {
        assert!(types.contains(&t), "{t} missing from {types:?}");
    }
    // The details are AWS's members, camelCase.
    let scheduled = on_local
        .iter()
        .find(|e| e.2 == "ActivityScheduled")
        .unwrap_or_else(|| panic!("{types:?}"));
    assert_eq!(scheduled.3["timeoutInSeconds"], json!(300));
    assert_eq!(scheduled.3["heartbeatInSeconds"], json!(60));
    assert_eq!(scheduled.3["inputDetails"], json!({"truncated": false}));
}
