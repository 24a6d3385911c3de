//! Activity workers (`sfn_runtime::worker`) on the embedded engine and, over HTTP, against
//! the local endpoint with faults injected: every task answered exactly once, none lost;
//! held polls, shutdowns with polls out and tasks running, stopped executions, panics,
//! limits.

use std::{
    collections::BTreeMap,
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use chrono::{DateTime, Utc};

use serde_json::{Value, json};
use sfn_runtime::{
    activity::{Activity, BoxFuture, TaskContext, TaskFailure},
    client::{
        ActivityInfo, ActivityTask, Backend, BackendKind, CreateStateMachine, CreatedStateMachine,
        Error, ExecutionInfo, ExecutionSummary, GetHistory, HistoryEvent, ListExecutions, Page,
        PageRequest, Response, Sfn, StartExecution as StartRequest, StartedExecution,
        StateMachineInfo, StateMachineSummary, Tag, UpdateStateMachine, UpdatedStateMachine,
    },
    local::{
        EventType, Execution, ExecutionDescription, ExecutionStatus, LocalEngine, StartExecution,
    },
    prelude::{Deserialize, JsonSchema, TaskError, activity},
    worker::{Backoff, BlockingActivity, Concurrency, SHUTTING_DOWN, WorkerHandle, limits},
};

use crate::support::until;

/// A machine whose one Task is the activity `activity_arn`.
pub(crate) fn machine(
    engine: &LocalEngine,
    name: &str,
    activity_arn: &str,
    heartbeat: Option<u64>,
) -> String {
    let heartbeat = heartbeat.map_or(String::new(), |h| format!(r#""HeartbeatSeconds": {h},"#));
    let def = format!(
        r#"{{"StartAt": "A", "States": {{"A": {{"Type": "Task", "Resource": "{activity_arn}", {heartbeat} "End": true}}}}}}"#
    );
    engine
        .create_state_machine_json(name, &def)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

pub(crate) async fn start(engine: &LocalEngine, machine: &str, input: Value) -> Execution {
    engine
        .start_execution(machine, StartExecution::new(input))
        .await
        .unwrap_or_else(|e| panic!("start: {e}"))
}

pub(crate) async fn wait(run: &Execution) -> ExecutionDescription {
    tokio::time::timeout(Duration::from_secs(20), run.wait())
        .await
        .unwrap_or_else(|_| panic!("{} did not end", run.arn()))
        .unwrap_or_else(|e| panic!("wait: {e}"))
}

/// How many events of type `ty` the execution's history holds.
pub(crate) fn count(run: &Execution, ty: EventType) -> usize {
    run.history()
        .events()
        .iter()
        .filter(|e| e.event_type == ty)
        .count()
}

pub(crate) fn spawn(builder: sfn_runtime::worker::WorkerBuilder) -> WorkerHandle {
    builder.spawn().unwrap_or_else(|e| panic!("spawn: {e}"))
}

#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct Numbers {
    a: i64,
    b: i64,
}

/// Adds two numbers.
#[activity(name = "add", heartbeat = 20)]
pub(crate) async fn add(input: Numbers, _ctx: &TaskContext) -> Result<i64, TaskError> {
    Ok(input.a + input.b)
}

/// Does what its input says: fail with a long name, panic, answer too much, or echo.
#[activity(name = "judge")]
async fn judge(input: Value, _ctx: &TaskContext) -> Result<Value, TaskError> {
    match input["do"].as_str() {
        Some("fail") => Err(TaskError::new("E".repeat(400), "c".repeat(40_000))),
        Some("panic") => panic!("the judge panicked on purpose"),
        Some("huge") => Ok(json!("x".repeat(300_000))),
        _ => Ok(input),
    }
}

/// What a probe saw.
#[derive(Debug, Default)]
pub(crate) struct Seen {
    pub(crate) started: AtomicUsize,
    finished: AtomicUsize,
    /// Handler futures dropped before they finished.
    dropped: AtomicUsize,
    /// Cancellations seen through `TaskContext::cancelled`.
    cancelled: AtomicUsize,
    stopping: AtomicUsize,
}

/// An activity whose handler sleeps `input.ms` milliseconds (forever without), recording
/// what happens to it.
pub(crate) struct Probe {
    name: &'static str,
    heartbeat: Option<u64>,
    seen: Arc<Seen>,
}

/// Counts a handler future dropped before it finished.
struct DropWatch(Arc<Seen>, bool);

impl Drop for DropWatch {
    fn drop(&mut self) {
        if !self.1 {
            self.0.dropped.fetch_add(1, Ordering::SeqCst);
        }
    }
}

impl Activity for Probe {
    fn name(&self) -> &str {
        self.name
    }

    fn heartbeat_seconds(&self) -> Option<u64> {
        self.heartbeat
    }

    fn call(
        &self,
        input: Value,
        ctx: TaskContext,
    ) -> BoxFuture<'static, Result<Value, TaskFailure>> {
        let seen = self.seen.clone();
        Box::pin(async move {
            seen.started.fetch_add(1, Ordering::SeqCst);
            let mut watch = DropWatch(seen.clone(), false);
            let watcher = {
                let (seen, ctx) = (seen.clone(), ctx.clone());
                tokio::spawn(async move {
                    ctx.cancelled().await;
                    seen.cancelled.fetch_add(1, Ordering::SeqCst);
                })
            };
            let stop_watcher = {
                let (seen, ctx) = (seen.clone(), ctx.clone());
                tokio::spawn(async move {
                    ctx.stopping().await;
                    seen.stopping.fetch_add(1, Ordering::SeqCst);
                })
            };
            match input["ms"].as_u64() {
                Some(ms) => tokio::time::sleep(Duration::from_millis(ms)).await,
                None => std::future::pending().await,
            }
            watcher.abort();
            stop_watcher.abort();
            watch.1 = true;
            seen.finished.fetch_add(1, Ordering::SeqCst);
            Ok(json!({"slept": input["ms"]}))
        })
    }
}

pub(crate) fn probe(name: &'static str, heartbeat: Option<u64>) -> (Probe, Arc<Seen>) {
    let seen = Arc::new(Seen::default());
    (
        Probe {
            name,
            heartbeat,
            seen: seen.clone(),
        },
        seen,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_answers_every_task_on_the_embedded_engine() {
    let engine = LocalEngine::new();
    let sfn = Sfn::with_engine(engine.clone());
    let worker = spawn(
        sfn.worker()
            .activity_with(add, Concurrency(4))
            .name("local-test"),
    );
    assert_eq!(worker.name(), "local-test");
    // The worker creates the activity it serves.
    until(|| !engine.list_activities().is_empty()).await;
    let arn = engine.list_activities().remove(0);
    assert!(arn.ends_with(":activity:add"), "{arn}");
    let machine = machine(&engine, "adder", &arn, None);
    let mut runs = Vec::new();
    for i in 0..50 {
        runs.push((
            i,
            start(&engine, &machine, json!({"a": i, "b": 1000})).await,
        ));
    }
    for (i, run) in &runs {
        let done = wait(run).await;
        assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
        assert_eq!(done.output, Some(json!(i + 1000)));
        let started = run
            .history()
            .events()
            .iter()
            .find(|e| e.event_type == EventType::ActivityStarted)
            .map(|e| e.to_json());
        assert_eq!(
            started.map(|e| e["activityStartedEventDetails"]["workerName"].clone()),
            Some(json!("local-test"))
        );
    }
    let stats = tokio::time::timeout(Duration::from_secs(5), worker.shutdown())
        .await
        .unwrap_or_else(|_| panic!("the worker did not stop"));
    assert_eq!(
        (stats.polled, stats.succeeded, stats.failed),
        (50, 50, 0),
        "{stats:?}"
    );
    assert_eq!(stats.running, 0);
    assert!(worker.is_finished());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_panics_and_large_outputs_are_reported_within_aws_limits() {
    let engine = LocalEngine::new();
    let sfn = Sfn::with_engine(engine.clone());
    let arn = engine
        .create_activity("judge")
        .unwrap_or_else(|e| panic!("{e}"));
    let machine = machine(&engine, "judged", &arn, None);
    let worker = spawn(sfn.worker().activity_with(judge, Concurrency(2)));
    let fail = start(&engine, &machine, json!({"do": "fail"})).await;
    let panic = start(&engine, &machine, json!({"do": "panic"})).await;
    let huge = start(&engine, &machine, json!({"do": "huge"})).await;
    let echo = start(&engine, &machine, json!({"do": "echo"})).await;

    let done = wait(&fail).await;
    assert_eq!(done.status, ExecutionStatus::Failed);
    let error = done.error.unwrap_or_default();
    let cause = done.cause.unwrap_or_default();
    assert_eq!(error.chars().count(), limits::MAX_ERROR_CHARS);
    assert!(
        error.starts_with("EEE") && error.ends_with(limits::TRUNCATED),
        "{error}"
    );
    assert_eq!(cause.chars().count(), limits::MAX_CAUSE_CHARS);
    assert!(cause.ends_with(limits::TRUNCATED));

    let done = wait(&panic).await;
    assert_eq!(done.error.as_deref(), Some("Worker.Panic"), "{done:?}");
    assert_eq!(done.cause.as_deref(), Some("the judge panicked on purpose"));

    let done = wait(&huge).await;
    assert_eq!(
        done.error.as_deref(),
        Some("States.DataLimitExceeded"),
        "{done:?}"
    );
    assert!(done.cause.unwrap_or_default().contains("300002 bytes"));

    let done = wait(&echo).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded);

    let stats = worker.shutdown().await;
    assert_eq!(
        (stats.succeeded, stats.failed, stats.panicked),
        (1, 2, 1),
        "{stats:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn blocking_handlers_run_on_blocking_threads() {
    let engine = LocalEngine::new();
    let sfn = Sfn::with_engine(engine.clone());
    let checksum = BlockingActivity::new("checksum", |input: Value, ctx: TaskContext| {
        // A blocking thread may wait on the runtime.
        tokio::runtime::Handle::current()
            .block_on(ctx.heartbeat())
            .map_err(|e| TaskFailure::new("Heartbeat", e.to_string()))?;
        std::thread::sleep(Duration::from_millis(20));
        let text = input["text"]
            .as_str()
            .ok_or_else(|| TaskFailure::new("BadInput", "no text"))?;
        Ok(json!(text.bytes().map(u64::from).sum::<u64>()))
    })
    .heartbeat_seconds(10);
    let broken = BlockingActivity::new(
        "broken",
        |_: Value, _: TaskContext| -> Result<Value, TaskFailure> { panic!("blocking panic") },
    );
    let worker = spawn(
        sfn.worker()
            .prefix("test-")
            .activity_with(checksum, Concurrency(3))
            .activity(broken),
    );
    until(|| engine.list_activities().len() == 2).await;
    let sum = machine(
        &engine,
        "sum",
        "arn:aws:states:us-east-1:123456789012:activity:test-checksum",
        Some(10),
    );
    let broken = machine(
        &engine,
        "broken",
        "arn:aws:states:us-east-1:123456789012:activity:test-broken",
        None,
    );
    let runs = [
        start(&engine, &sum, json!({"text": "ab"})).await,
        start(&engine, &sum, json!({"text": "cd"})).await,
        start(&engine, &sum, json!({})).await,
    ];
    assert_eq!(wait(&runs[0]).await.output, Some(json!(195)));
    assert_eq!(wait(&runs[1]).await.output, Some(json!(199)));
    assert_eq!(wait(&runs[2]).await.error.as_deref(), Some("BadInput"));
    let done = wait(&start(&engine, &broken, json!({})).await).await;
    assert_eq!(done.error.as_deref(), Some("Worker.Panic"));
    assert_eq!(done.cause.as_deref(), Some("blocking panic"));
    let stats = worker.shutdown().await;
    assert_eq!((stats.succeeded, stats.failed), (2, 2), "{stats:?}");
    assert!(stats.heartbeats >= 3, "{stats:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_execution_cancels_its_handler_and_nothing_is_sent() {
    let engine = LocalEngine::new();
    stopped_execution_case(Sfn::with_engine(engine.clone()), &engine).await;
}

/// A handler whose execution is stopped is dropped at its next heartbeat; it sees
/// `TaskContext::cancelled`; nothing is sent.
pub(crate) async fn stopped_execution_case(sfn: Sfn, engine: &LocalEngine) {
    let (p, seen) = probe("stuck", Some(1));
    let arn = engine
        .create_activity("stuck")
        .unwrap_or_else(|e| panic!("{e}"));
    let machine = machine(engine, "stuck", &arn, Some(1));
    let worker = spawn(sfn.worker().activity(p));
    let run = start(engine, &machine, json!({})).await;
    until(|| seen.started.load(Ordering::SeqCst) == 1).await;
    run.stop(Some("Halt".into()), None)
        .unwrap_or_else(|e| panic!("{e}"));
    // The next heartbeat (a third of a second) learns of it.
    for _ in 0..100 {
        if seen.dropped.load(Ordering::SeqCst) == 1 && seen.cancelled.load(Ordering::SeqCst) == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(seen.dropped.load(Ordering::SeqCst), 1);
    assert_eq!(seen.cancelled.load(Ordering::SeqCst), 1);
    assert_eq!(seen.finished.load(Ordering::SeqCst), 0);
    let done = wait(&run).await;
    assert_eq!(done.status, ExecutionStatus::Aborted);
    let stats = worker.shutdown().await;
    assert_eq!(
        (
            stats.timed_out,
            stats.succeeded,
            stats.failed,
            stats.shut_down
        ),
        (1, 0, 0, 0),
        "{stats:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn heartbeats_go_every_third_of_heartbeat_seconds() {
    let engine = LocalEngine::new();
    let sfn = Sfn::with_engine(engine.clone());
    let (p, seen) = probe("beating", Some(1));
    let arn = engine
        .create_activity("beating")
        .unwrap_or_else(|e| panic!("{e}"));
    let machine = machine(&engine, "beating", &arn, Some(1));
    let worker = spawn(sfn.worker().activity(p));
    // 1.5 s of work under a 1 s heartbeat: only the worker's heartbeats keep it alive.
    let done = wait(&start(&engine, &machine, json!({"ms": 1500})).await).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    assert_eq!(seen.finished.load(Ordering::SeqCst), 1);
    let stats = worker.shutdown().await;
    assert!((3..=5).contains(&stats.heartbeats), "{stats:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shutdown_finishes_the_tasks_held_within_the_grace_and_gives_back_the_rest() {
    let engine = LocalEngine::new();
    let sfn = Sfn::with_engine(engine.clone());
    let (p, seen) = probe("sleepy", None);
    let arn = engine
        .create_activity("sleepy")
        .unwrap_or_else(|e| panic!("{e}"));
    let machine = machine(&engine, "sleepy", &arn, None);
    let worker = spawn(sfn.worker().activity_with(p, Concurrency(4)));
    let quick = start(&engine, &machine, json!({"ms": 100})).await;
    let slow = start(&engine, &machine, json!({"ms": 60_000})).await;
    until(|| seen.started.load(Ordering::SeqCst) == 2).await;
    let stats = tokio::time::timeout(
        Duration::from_secs(5),
        worker.shutdown_with_grace(Duration::from_millis(400)),
    )
    .await
    .unwrap_or_else(|_| panic!("the worker did not stop"));
    assert_eq!(seen.stopping.load(Ordering::SeqCst), 2);
    assert_eq!(wait(&quick).await.status, ExecutionStatus::Succeeded);
    let done = wait(&slow).await;
    assert_eq!(done.error.as_deref(), Some(SHUTTING_DOWN), "{done:?}");
    assert_eq!((stats.succeeded, stats.shut_down), (1, 1), "{stats:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_that_cannot_start_says_why() {
    let sfn = Sfn::local();
    let e = sfn.worker().spawn().err().map(|e| e.to_string());
    assert!(e.is_some_and(|e| e.contains("no activity")));
    // An activity by value, as `&'static dyn Activity` or as `Arc<dyn Activity>`.
    let e = sfn
        .worker()
        .activity(add)
        .activity(&add as &'static dyn Activity)
        .activity(Arc::new(add) as Arc<dyn Activity>)
        .spawn()
        .err()
        .map(|e| e.to_string());
    assert!(e.is_some_and(|e| e.contains("given twice")),);
    let e = sfn
        .worker()
        .prefix("bad prefix ")
        .activity(add)
        .spawn()
        .err()
        .map(|e| e.to_string());
    assert!(e.is_some_and(|e| e.contains("not valid")));
}

#[test]
fn a_worker_outside_a_runtime_is_refused() {
    let e = Sfn::local().worker().activity(add).spawn().err();
    assert!(
        matches!(e, Some(sfn_runtime::worker::WorkerError::NoRuntime)),
        "{e:?}"
    );
}

/// Faults a [`Counting`] back end injects itself, on a share of the task calls.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Fault {
    /// None.
    None,
    /// Refused before the call: throttled or a 500, in turn.
    Before(f64),
    /// The call is made, its answer lost: a transport error (sends only).
    LostAnswer(f64),
    /// Every poll refused: `ActivityDoesNotExist`.
    NoActivity,
    /// Every poll throttled.
    Throttled,
}

/// A back end that counts the calls it passes on: per operation, answered and failed
/// (by error code); and injects faults of its own.
pub(crate) struct Counting {
    inner: Arc<dyn Backend>,
    fault: Fault,
    ok: Mutex<BTreeMap<&'static str, usize>>,
    errors: Mutex<BTreeMap<String, usize>>,
    draws: AtomicUsize,
}

impl Counting {
    pub(crate) fn new(inner: Arc<dyn Backend>, fault: Fault) -> Arc<Self> {
        Arc::new(Counting {
            inner,
            fault,
            ok: Mutex::default(),
            errors: Mutex::default(),
            draws: AtomicUsize::new(0),
        })
    }

    fn count<'a, T: Send + 'a>(
        &'a self,
        op: &'static str,
        call: Response<'a, T>,
    ) -> Response<'a, T> {
        Box::pin(async move {
            let n = self.draws.fetch_add(1, Ordering::Relaxed);
            let draw = fastrand::f64();
            let r = match self.fault {
                Fault::Before(p) if draw < p => Err(if n.is_multiple_of(2) {
                    Error::from_service("ThrottlingException", "injected")
                } else {
                    Error::from_service("InternalFailure", "injected")
                }),
                // A poll's lost answer loses its task until it times out: no worker can
                // help that, so only sends lose theirs.
                Fault::LostAnswer(p) if draw < p && op.starts_with("Send") => match call.await {
                    Ok(_) => Err(Error::Transport {
                        message: "injected: answer lost".into(),
                    }),
                    Err(e) => Err(e),
                },
                Fault::Throttled if op == "GetActivityTask" => {
                    Err(Error::from_service("ThrottlingException", "injected"))
                }
                Fault::NoActivity if op == "GetActivityTask" => {
                    Err(Error::from_service("ActivityDoesNotExist", "injected"))
                }
                _ => call.await,
            };
            match &r {
                Ok(_) => {
                    *self
                        .ok
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .entry(op)
                        .or_default() += 1
                }
                Err(e) => {
                    let key = format!("{op}:{}", e.code().unwrap_or("transport"));
                    *self
                        .errors
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .entry(key)
                        .or_default() += 1;
                }
            }
            r
        })
    }

    pub(crate) fn ok(&self, op: &str) -> usize {
        self.ok
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(op)
            .copied()
            .unwrap_or(0)
    }

    pub(crate) fn errors(&self) -> BTreeMap<String, usize> {
        self.errors
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

impl Backend for Counting {
    fn kind(&self) -> BackendKind {
        self.inner.kind()
    }
    fn create_activity<'a>(&'a self, name: &'a str, tags: &'a [Tag]) -> Response<'a, String> {
        self.count("CreateActivity", self.inner.create_activity(name, tags))
    }
    fn delete_activity<'a>(&'a self, arn: &'a str) -> Response<'a, ()> {
        self.inner.delete_activity(arn)
    }
    fn describe_activity<'a>(&'a self, arn: &'a str) -> Response<'a, ActivityInfo> {
        self.inner.describe_activity(arn)
    }
    fn list_activities(&self, page: PageRequest) -> Response<'_, Page<ActivityInfo>> {
        self.inner.list_activities(page)
    }
    fn create_state_machine(&self, r: CreateStateMachine) -> Response<'_, CreatedStateMachine> {
        self.inner.create_state_machine(r)
    }
    fn update_state_machine(&self, r: UpdateStateMachine) -> Response<'_, UpdatedStateMachine> {
        self.inner.update_state_machine(r)
    }
    fn describe_state_machine<'a>(&'a self, arn: &'a str) -> Response<'a, StateMachineInfo> {
        self.inner.describe_state_machine(arn)
    }
    fn delete_state_machine<'a>(&'a self, arn: &'a str) -> Response<'a, ()> {
        self.inner.delete_state_machine(arn)
    }
    fn list_state_machines(&self, page: PageRequest) -> Response<'_, Page<StateMachineSummary>> {
        self.inner.list_state_machines(page)
    }
    fn tag_resource<'a>(&'a self, arn: &'a str, tags: &'a [Tag]) -> Response<'a, ()> {
        self.inner.tag_resource(arn, tags)
    }
    fn untag_resource<'a>(&'a self, arn: &'a str, keys: &'a [String]) -> Response<'a, ()> {
        self.inner.untag_resource(arn, keys)
    }
    fn list_tags<'a>(&'a self, arn: &'a str) -> Response<'a, Vec<Tag>> {
        self.inner.list_tags(arn)
    }
    fn start_execution(&self, r: StartRequest) -> Response<'_, StartedExecution> {
        self.inner.start_execution(r)
    }
    fn describe_execution<'a>(&'a self, arn: &'a str) -> Response<'a, ExecutionInfo> {
        self.inner.describe_execution(arn)
    }
    fn stop_execution<'a>(
        &'a self,
        arn: &'a str,
        error: Option<&'a str>,
        cause: Option<&'a str>,
    ) -> Response<'a, DateTime<Utc>> {
        self.inner.stop_execution(arn, error, cause)
    }
    fn list_executions(&self, r: ListExecutions) -> Response<'_, Page<ExecutionSummary>> {
        self.inner.list_executions(r)
    }
    fn get_execution_history(&self, r: GetHistory) -> Response<'_, Page<HistoryEvent>> {
        self.inner.get_execution_history(r)
    }
    fn get_activity_task<'a>(
        &'a self,
        arn: &'a str,
        worker: Option<&'a str>,
    ) -> Response<'a, Option<ActivityTask>> {
        self.count("GetActivityTask", self.inner.get_activity_task(arn, worker))
    }
    fn send_task_success<'a>(&'a self, token: &'a str, output: &'a str) -> Response<'a, ()> {
        self.count(
            "SendTaskSuccess",
            self.inner.send_task_success(token, output),
        )
    }
    fn send_task_failure<'a>(
        &'a self,
        token: &'a str,
        error: Option<&'a str>,
        cause: Option<&'a str>,
    ) -> Response<'a, ()> {
        self.count(
            "SendTaskFailure",
            self.inner.send_task_failure(token, error, cause),
        )
    }
    fn send_task_heartbeat<'a>(&'a self, token: &'a str) -> Response<'a, ()> {
        self.count("SendTaskHeartbeat", self.inner.send_task_heartbeat(token))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tasks_through_client_side_faults_are_each_answered_exactly_once() {
    const TASKS: usize = 300;
    for fault in [Fault::Before(0.2), Fault::LostAnswer(0.15)] {
        let engine = LocalEngine::new();
        let backend = Counting::new(
            Arc::new(sfn_runtime::client::LocalBackend::new(engine.clone())),
            fault,
        );
        let sfn = Sfn::with_backend(backend.clone());
        let arn = engine
            .create_activity("add")
            .unwrap_or_else(|e| panic!("{e}"));
        let machine = machine(&engine, "adder", &arn, None);
        let mut runs = Vec::new();
        for i in 0..TASKS {
            runs.push((i, start(&engine, &machine, json!({"a": i, "b": 1})).await));
        }
        let worker = spawn(
            sfn.worker()
                .activity_with(add, Concurrency(8))
                .poll_backoff(Backoff::new(
                    Duration::from_millis(1),
                    Duration::from_millis(20),
                ))
                .send_retries(
                    Backoff::new(Duration::from_millis(1), Duration::from_millis(20)),
                    Duration::from_secs(30),
                ),
        );
        for (i, run) in &runs {
            let done = wait(run).await;
            assert_eq!(done.output, Some(json!(i + 1)), "{fault:?}: {done:?}");
            assert_eq!(count(run, EventType::ActivityStarted), 1);
            assert_eq!(count(run, EventType::ActivitySucceeded), 1);
        }
        let stats = worker.shutdown().await;
        let errors = backend.errors();
        println!("{fault:?}: {TASKS} tasks; faults {errors:?}; {stats:?}");
        assert_eq!(stats.polled, TASKS as u64, "{fault:?}: {stats:?}");
        assert_eq!(stats.undelivered, 0, "{fault:?}: {stats:?}");
        assert!(stats.retries > 10, "{fault:?}: {stats:?}");
        match fault {
            // Every answer accepted once.
            Fault::Before(_) => {
                assert_eq!(backend.ok("SendTaskSuccess"), TASKS, "{errors:?}");
                assert_eq!(stats.succeeded, TASKS as u64, "{stats:?}");
            }
            // An answer delivered whose reply was lost is sent again and refused as
            // over: the task is done once all the same.
            _ => assert_eq!(
                stats.succeeded + stats.timed_out,
                TASKS as u64,
                "{stats:?} {errors:?}"
            ),
        }
    }
}

#[tokio::test(start_paused = true)]
async fn a_refused_poll_waits_the_cap_and_the_worker_goes_on() {
    let engine = LocalEngine::new();
    let backend = Counting::new(
        Arc::new(sfn_runtime::client::LocalBackend::new(engine.clone())),
        Fault::NoActivity,
    );
    let sfn = Sfn::with_backend(backend.clone());
    let worker = spawn(sfn.worker().activity(add));
    // On the paused clock: refusals at 0, 20, 40 and 60 s (the cap), nothing in between.
    tokio::time::sleep(Duration::from_secs(65)).await;
    let stats = worker.stats();
    assert_eq!(
        (stats.poll_errors, stats.retries, stats.polls),
        (4, 0, 0),
        "{stats:?}"
    );
    assert!(!worker.is_finished());
    // A stop cuts the backoff short.
    let started = tokio::time::Instant::now();
    worker.shutdown().await;
    assert!(started.elapsed() < Duration::from_secs(1));
}

#[tokio::test(start_paused = true)]
async fn throttled_polls_back_off_exponentially_with_jitter() {
    let engine = LocalEngine::new();
    let backend = Counting::new(
        Arc::new(sfn_runtime::client::LocalBackend::new(engine.clone())),
        Fault::Throttled,
    );
    let sfn = Sfn::with_backend(backend.clone());
    let worker = spawn(sfn.worker().activity(add));
    tokio::time::sleep(Duration::from_secs(60)).await;
    let stats = worker.stats();
    // The first ten waits are at most 50 ms, 100 ms, … 12.8 s, 20 s: 45.55 s in all, so
    // at least eleven polls in a minute; each wait at most 20 s after.
    assert!(stats.poll_errors >= 11, "{stats:?}");
    assert_eq!(stats.retries, stats.poll_errors, "{stats:?}");
    let more = stats.poll_errors;
    tokio::time::sleep(Duration::from_secs(60)).await;
    assert!(
        worker.stats().poll_errors >= more + 3,
        "{:?}",
        worker.stats()
    );
    assert!(!worker.is_finished());
    worker.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn heartbeats_keep_their_cadence_on_a_paused_clock() {
    let engine = LocalEngine::new();
    let backend = Counting::new(
        Arc::new(sfn_runtime::client::LocalBackend::new(engine.clone())),
        Fault::Before(0.0),
    );
    let sfn = Sfn::with_backend(backend.clone());
    let (p, seen) = probe("steady", Some(3));
    let arn = engine
        .create_activity("steady")
        .unwrap_or_else(|e| panic!("{e}"));
    let machine = machine(&engine, "steady", &arn, Some(3));
    let worker = spawn(sfn.worker().activity(p));
    // Ten seconds of work, a heartbeat every second.
    let run = start(&engine, &machine, json!({"ms": 10_000})).await;
    until(|| seen.started.load(Ordering::SeqCst) == 1).await;
    let begun = tokio::time::Instant::now();
    let done = wait(&run).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    assert!(begun.elapsed() >= Duration::from_secs(9));
    assert!(
        (9..=10).contains(&backend.ok("SendTaskHeartbeat")),
        "{}",
        backend.ok("SendTaskHeartbeat")
    );
    worker.shutdown().await;
}
