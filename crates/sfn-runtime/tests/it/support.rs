//! Helpers of the engine's integration tests, written once: engines on a virtual clock,
//! waiting for the engine in real time, running a machine, reading a history, and the Map
//! machines several files run. The conformance corpus and the rule for its absence are
//! shared with the other crates that read it.

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use serde_json::{Value, json};
use sfn_runtime::local::{
    Clock, EventType, ExecutionDescription, History, HistoryEvent, LocalEngine, StartExecution,
    TaskRequest, VirtualClock,
};

#[path = "../../../../tests/support/shared.rs"]
mod shared;

#[path = "../../../../tests/support/conformance.rs"]
mod conformance;

pub(crate) use conformance::{cases, corpus};

/// An engine on an automatic virtual clock: Waits and timeouts pass at once.
pub(crate) fn engine() -> LocalEngine {
    virtual_engine().0
}

/// An engine on an automatic virtual clock, and the clock.
pub(crate) fn virtual_engine() -> (LocalEngine, Arc<VirtualClock>) {
    let clock = Arc::new(VirtualClock::default());
    (LocalEngine::with_clock(clock.clone()), clock)
}

/// An engine on a manual clock: time moves only when the test advances it.
pub(crate) fn manual_engine() -> (LocalEngine, Arc<VirtualClock>) {
    let clock = Arc::new(VirtualClock::manual(chrono::Utc::now()));
    (LocalEngine::with_clock(clock.clone()), clock)
}

/// Lets the engine's tasks run until they are parked (real time, a few milliseconds).
pub(crate) async fn settle() {
    tokio::time::sleep(Duration::from_millis(20)).await;
}

/// Waits (in real time, briefly) until `cond` holds.
pub(crate) async fn until(mut cond: impl FnMut() -> bool) {
    for _ in 0..500 {
        if cond() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    panic!("the condition never held");
}

/// Creates the machine `name` from the definition `def`, runs it on `input` and returns
/// the execution once it has ended.
pub(crate) async fn run(
    engine: &LocalEngine,
    name: &str,
    def: &str,
    input: Value,
) -> ExecutionDescription {
    let arn = engine
        .create_state_machine_json(name, def)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let run = engine
        .start_execution(&arn, StartExecution::new(input))
        .await
        .unwrap_or_else(|e| panic!("start: {e}"));
    run.wait().await.unwrap_or_else(|e| panic!("wait: {e}"))
}

/// The history of the execution `arn`.
pub(crate) fn history(engine: &LocalEngine, arn: &str) -> History {
    engine
        .get_execution_history(arn)
        .unwrap_or_else(|e| panic!("history of {arn}: {e}"))
}

/// The types of the events of `history`, in order.
pub(crate) fn types(history: &History) -> Vec<&'static str> {
    history
        .events()
        .iter()
        .map(|e| e.event_type.as_str())
        .collect()
}

/// Each event of `history` as its id, the id of the event it follows, and its type.
pub(crate) fn chain(history: &History) -> Vec<(u64, u64, &'static str)> {
    history
        .events()
        .iter()
        .map(|e| (e.id, e.previous_event_id, e.event_type.as_str()))
        .collect()
}

/// The first event of type `ty` in `history`.
pub(crate) fn find(history: &History, ty: EventType) -> &HistoryEvent {
    history
        .events()
        .iter()
        .find(|e| e.event_type == ty)
        .unwrap_or_else(|| panic!("no {ty:?} in {history:?}"))
}

/// A machine whose one state is a Map over `$.items` in `mode` (`INLINE` or
/// `DISTRIBUTED`), with `extra` fields and `processor` as its item processor.
pub(crate) fn map_machine(mode: &str, extra: &str, processor: &str) -> String {
    format!(
        r#"{{"StartAt": "Each", "States": {{"Each": {{"Type": "Map", "ItemsPath": "$.items", {extra}
            "ItemProcessor": {{"ProcessorConfig": {{"Mode": "{mode}", "ExecutionType": "STANDARD"}}, {processor}}},
            "End": true}}}}}}"#
    )
}

/// An item processor whose one state is a Task calling `resource`.
pub(crate) fn task_processor(resource: &str) -> String {
    format!(
        r#""StartAt": "Work", "States": {{"Work": {{"Type": "Task", "Resource": "{resource}", "End": true}}}}"#
    )
}

/// An item processor that fails the items with `"fail": true`.
pub(crate) const FAIL_SOME: &str = r#""StartAt": "Check", "States": {
    "Check": {"Type": "Choice", "Choices": [{"Variable": "$.fail", "BooleanEquals": true, "Next": "Boom"}], "Default": "Ok"},
    "Boom": {"Type": "Fail", "Error": "Boom", "Cause": "this item fails"},
    "Ok": {"Type": "Pass", "End": true}}"#;

/// Four items for [`FAIL_SOME`], one of which fails: 25 %.
pub(crate) fn one_in_four() -> Value {
    json!({"items": [{"fail": false}, {"fail": true}, {"fail": false}, {"fail": false}]})
}

/// The Lambda function whose calls [`counting_engine`] counts.
pub(crate) const WORK: &str = "arn:aws:lambda:us-east-1:123456789012:function:work";

/// An engine on an automatic virtual clock whose [`WORK`] handler takes 10 seconds and
/// answers with its input, and the most calls it had in flight at once.
pub(crate) fn counting_engine() -> (LocalEngine, Arc<AtomicUsize>) {
    let (engine, clock) = virtual_engine();
    let in_flight = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    {
        let most = most.clone();
        engine.register_handler(WORK, move |req: TaskRequest| {
            let (clock, in_flight, most) = (clock.clone(), in_flight.clone(), most.clone());
            async move {
                let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                clock.sleep(Duration::from_secs(10)).await;
                in_flight.fetch_sub(1, Ordering::SeqCst);
                Ok(req.input)
            }
        });
    }
    (engine, most)
}

/// The variable `scripts/test.sh` sets to the URL of the moto server it starts.
#[cfg(feature = "tools-aws")]
pub(crate) const MOTO_URL: &str = "SFN_TEST_MOTO_URL";

/// The URL of the moto server (DynamoDB and S3) the tests may use; `None`, once it is
/// said that the test is skipped, when `SFN_TEST_MOTO_URL` is unset (a failure under
/// `CI=true`).
#[cfg(feature = "tools-aws")]
pub(crate) fn moto_url() -> Option<String> {
    match std::env::var(MOTO_URL) {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ => {
            shared::missing(
                "moto (DynamoDB and S3)",
                &format!("{MOTO_URL} is unset; scripts/test.sh starts moto and sets it"),
            );
            None
        }
    }
}
