//! The client's registration and executions, on each back end: registering (created,
//! unchanged, updated, dry runs), deregistering exactly what was registered, starting
//! typed executions, waiting, reading and following histories, stopping.

// The cases are plain functions that each back end's `#[tokio::test]` calls.
#![allow(clippy::unwrap_used)]

use futures_util::{StreamExt, TryStreamExt};
use sfn_runtime::client::{
    Error, ExecutionStatus, LogLevel, LoggingConfig, Outcome, REGISTERED_BY, Sfn, Tag,
};
use sfn_runtime::prelude::*;

use crate::client::{Fixture, on_both};

on_both!(
    registers_then_finds_it_unchanged,
    updates_and_tells_the_difference_first,
    deregisters_only_what_it_created,
    prefixes_activity_names,
    runs_typed_executions,
    a_failed_execution_ends_the_wait,
    follows_events_as_they_happen,
    stops_and_lists_by_status,
    refuses_bad_input_before_sending,
    long_machine_names_make_valid_execution_names,
);

#[derive(Debug, Deserialize, Serialize, JsonSchema)]
pub(crate) struct Numbers {
    pub(crate) a: i64,
    pub(crate) b: i64,
}

#[derive(Debug, Deserialize, PartialEq)]
pub(crate) struct Summed {
    pub(crate) a: i64,
    pub(crate) b: i64,
    pub(crate) sum: i64,
}

/// Adds two numbers.
#[activity(name = "client-add")]
async fn add(input: Numbers) -> Result<i64, TaskError> {
    Ok(input.a + input.b)
}

state_machine! {
    /// Adds two numbers.
    pub(crate) ClientAdding(Numbers) -> Summed {
        start_at: Add,
        states: {
            Add: Task(add) { result_path: "$.sum", next: Sign },
            Sign: Choice {
                rules: [ { variable: "$.sum", numeric_greater_than_equals: 0, next: Done } ],
                default: Negative,
            },
            Done: Succeed,
            Negative: Fail { error: "Negative", cause: "the sum is below zero\nsee the input" },
        }
    }
}

const PASS: &str = r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}"#;
const PASS_2: &str =
    r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": 2, "End": true}}}"#;
const WAITS: &str = r#"{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "Next": "P"}, "P": {"Type": "Pass", "End": true}}}"#;

async fn registers_then_finds_it_unchanged(fx: &Fixture) {
    let first = fx.sfn.register::<ClientAdding>().await.unwrap();
    assert_eq!(first.outcome, Outcome::Created);
    assert_eq!(first.name, "ClientAdding");
    assert_eq!(first.activities.len(), 1);
    assert!(first.activities[0].created);
    assert!(
        first.activities[0]
            .activity_arn
            .ends_with(":activity:client-add")
    );
    let machine = fx.sfn.describe_state_machine("ClientAdding").await.unwrap();
    assert!(
        machine
            .definition
            .contains(&first.activities[0].activity_arn),
        "placeholders resolved: {}",
        machine.definition
    );
    let tags = fx
        .sfn
        .backend()
        .list_tags(&first.activities[0].activity_arn)
        .await
        .unwrap();
    assert_eq!(tags, [Tag::new(REGISTERED_BY, "ClientAdding")]);

    let again = fx.sfn.register::<ClientAdding>().await.unwrap();
    assert_eq!(again.outcome, Outcome::Unchanged);
    assert_eq!(again.state_machine_arn, first.state_machine_arn);
    assert!(!again.activities[0].created);
    let plan = fx.sfn.register::<ClientAdding>().dry_run().await.unwrap();
    assert_eq!(plan.outcome, Outcome::Unchanged);
    assert!(plan.changes.is_empty(), "{plan}");
}

async fn updates_and_tells_the_difference_first(fx: &Fixture) {
    let created = fx
        .sfn
        .register_definition("changing", PASS)
        .tag("team", "a")
        .await
        .unwrap();
    assert_eq!(created.outcome, Outcome::Created);
    let logging = LoggingConfig::new(
        LogLevel::Error,
        "arn:aws:logs:us-east-1:123456789012:log-group:sfn:*",
    );
    let plan = fx
        .sfn
        .register_definition("changing", PASS_2)
        .tag("team", "b")
        .logging(logging.clone())
        .dry_run()
        .await
        .unwrap();
    assert_eq!(plan.outcome, Outcome::Updated);
    let whats: Vec<_> = plan.changes.iter().map(|c| c.what.as_str()).collect();
    assert_eq!(
        whats,
        [
            "definition/States/P/Result",
            "loggingConfiguration",
            "tags/team"
        ],
        "{plan}"
    );
    assert_eq!(plan.changes[0].after, Some(json!(2)));
    // The dry run changed nothing.
    let machine = fx.sfn.describe_state_machine("changing").await.unwrap();
    assert_eq!(machine.definition, PASS);

    let updated = fx
        .sfn
        .register_definition("changing", PASS_2)
        .tag("team", "b")
        .logging(logging.clone())
        .publish(Some("two"))
        .await
        .unwrap();
    assert_eq!(updated.outcome, Outcome::Updated);
    assert!(updated.state_machine_version_arn.is_some());
    let machine = fx.sfn.describe_state_machine("changing").await.unwrap();
    assert_eq!(machine.definition, PASS_2);
    assert_eq!(machine.logging, logging);
    assert!(machine.revision_id.is_some());
    let tags = fx
        .sfn
        .backend()
        .list_tags(&updated.state_machine_arn)
        .await
        .unwrap();
    assert_eq!(tags, [Tag::new("team", "b")]);
    let same = fx
        .sfn
        .register_definition("changing", PASS_2)
        .tag("team", "b")
        .logging(logging)
        .await
        .unwrap();
    assert_eq!(same.outcome, Outcome::Unchanged);

    // Standard cannot become Express.
    let err = fx
        .sfn
        .register_definition("changing", PASS_2)
        .machine_type(sfn_runtime::core::model::ExecutionType::Express)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidArgument(_)), "{err}");
}

async fn deregisters_only_what_it_created(fx: &Fixture) {
    // An activity somebody else made, which the machine also calls.
    let theirs = fx
        .sfn
        .backend()
        .create_activity("shared", &[])
        .await
        .unwrap();
    let unrelated = fx
        .sfn
        .backend()
        .create_activity("unrelated", &[])
        .await
        .unwrap();
    let definition = format!(
        r#"{{"StartAt": "A", "States": {{
            "A": {{"Type": "Task", "Resource": "arn:aws:states:::activity:ours", "Next": "B"}},
            "B": {{"Type": "Task", "Resource": "{theirs}", "End": true}}}}}}"#
    );
    let reg = fx
        .sfn
        .register_definition("tidy", definition)
        .await
        .unwrap();
    assert_eq!(reg.activities.len(), 1, "only placeholders are registered");
    let ours = reg.activities[0].activity_arn.clone();

    let gone = fx.sfn.deregister_machine("tidy").await.unwrap();
    assert_eq!(
        gone.state_machine_arn.as_deref(),
        Some(reg.state_machine_arn.as_str())
    );
    assert_eq!(gone.activities_deleted, std::slice::from_ref(&ours));
    assert_eq!(gone.activities_kept, std::slice::from_ref(&theirs));
    let left: Vec<String> = fx
        .sfn
        .list_activities()
        .map_ok(|a| a.activity_arn)
        .try_collect()
        .await
        .unwrap();
    assert!(
        left.contains(&theirs) && left.contains(&unrelated),
        "{left:?}"
    );
    assert!(!left.contains(&ours));
    assert!(matches!(
        fx.sfn.describe_state_machine("tidy").await.unwrap_err(),
        Error::StateMachineDoesNotExist { .. }
    ));
    // Again: nothing to do, nothing else touched.
    let none = fx.sfn.deregister_machine("tidy").await.unwrap();
    assert_eq!(none.state_machine_arn, None);
    assert!(none.activities_deleted.is_empty());
    assert_eq!(fx.sfn.list_activities().count().await, 2);
}

async fn prefixes_activity_names(fx: &Fixture) {
    let reg = fx
        .sfn
        .register::<ClientAdding>()
        .activity_prefix("team-a-")
        .await
        .unwrap();
    assert_eq!(reg.activities[0].name, "team-a-client-add");
    let long = "p".repeat(75);
    let err = fx
        .sfn
        .register::<ClientAdding>()
        .activity_prefix(long)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::InvalidArgument(ref m) if m.contains("80")),
        "{err}"
    );
    let err = fx
        .sfn
        .register::<ClientAdding>()
        .activity_prefix("bad prefix ")
        .dry_run()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidArgument(_)), "{err}");
}

async fn runs_typed_executions(fx: &Fixture) {
    fx.sfn.register::<ClientAdding>().await.unwrap();
    fx.engine.serve_activity(&add).unwrap();
    let run = fx
        .sfn
        .start::<ClientAdding>(&Numbers { a: 3, b: 42 })
        .await
        .unwrap();
    let name = run.arn().rsplit(':').next().unwrap().to_owned();
    assert!(name.starts_with("ClientAdding-20"), "{name}");
    assert_eq!(name.len(), "ClientAdding".len() + 26);
    let out: Summed = run.wait_for_output().await.unwrap();
    assert_eq!(
        out,
        Summed {
            a: 3,
            b: 42,
            sum: 45
        }
    );
    let info = run.describe().await.unwrap();
    assert_eq!(info.status, ExecutionStatus::Succeeded);
    assert_eq!(info.input_json().unwrap(), json!({"a": 3, "b": 42}));
    let history = run.history().await.unwrap();
    let types: Vec<_> = history
        .events
        .iter()
        .map(|e| e.event_type.as_str())
        .collect();
    assert_eq!(types.first(), Some(&"ExecutionStarted"));
    assert_eq!(types.last(), Some(&"ExecutionSucceeded"));
    assert!(types.contains(&"ActivitySucceeded"), "{types:?}");

    // A given name; the same name and input again while it runs is the same execution,
    // with another input it is refused.
    fx.sfn.register_definition("waits", WAITS).await.unwrap();
    let one = fx
        .sfn
        .start_execution("waits")
        .name("fixed")
        .input(json!({"n": 1}))
        .send()
        .await
        .unwrap();
    assert!(one.arn().ends_with(":waits:fixed"));
}

async fn a_failed_execution_ends_the_wait(fx: &Fixture) {
    fx.sfn.register::<ClientAdding>().await.unwrap();
    fx.engine.serve_activity(&add).unwrap();
    let run = fx
        .sfn
        .start::<ClientAdding>(&Numbers { a: 3, b: -42 })
        .await
        .unwrap();
    let err = run.wait_for_output::<Summed>().await.unwrap_err();
    match err {
        Error::ExecutionFailed {
            status,
            error,
            cause,
            ..
        } => {
            assert_eq!(status, ExecutionStatus::Failed);
            assert_eq!(error.as_deref(), Some("Negative"));
            assert_eq!(
                cause.as_deref(),
                Some("the sum is below zero\nsee the input")
            );
        }
        other => panic!("{other}"),
    }
}

async fn follows_events_as_they_happen(fx: &Fixture) {
    let reg = fx.sfn.register::<ClientAdding>().await.unwrap();
    let run = fx
        .sfn
        .start::<ClientAdding>(&Numbers { a: 1, b: 2 })
        .await
        .unwrap();
    // The task is answered a little later, by hand: the stream waits for it.
    let sfn = fx.sfn.clone();
    let activity = reg.activities[0].activity_arn.clone();
    let answer = tokio::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        let task = sfn
            .backend()
            .get_activity_task(&activity, Some("by-hand"))
            .await
            .unwrap()
            .unwrap();
        sfn.backend()
            .send_task_success(&task.task_token, "3")
            .await
            .unwrap();
    });
    let events: Vec<_> = run.events().try_collect().await.unwrap();
    answer.await.unwrap();
    let ids: Vec<i64> = events.iter().map(|e| e.id).collect();
    assert_eq!(
        ids,
        (1..=ids.len() as i64).collect::<Vec<_>>(),
        "each once, in order"
    );
    let types: Vec<_> = events.iter().map(|e| e.event_type.as_str()).collect();
    assert!(types.contains(&"ActivityStarted"), "{types:?}");
    assert_eq!(types.last(), Some(&"ExecutionSucceeded"));
    assert_eq!(run.history().await.unwrap().events, events);
}

async fn stops_and_lists_by_status(fx: &Fixture) {
    fx.sfn.register_definition("waits", WAITS).await.unwrap();
    fx.sfn.register_definition("passes", PASS).await.unwrap();
    let waiting = fx.sfn.start_execution("waits").send().await.unwrap();
    let also = fx.sfn.start_execution("waits").send().await.unwrap();
    let stopped_at = waiting.stop(Some("Enough"), Some("a test")).await.unwrap();
    let info = waiting.wait().await.unwrap();
    assert_eq!(info.status, ExecutionStatus::Aborted);
    assert_eq!(info.stop_date, Some(stopped_at));
    assert_eq!(info.error.as_deref(), Some("Enough"));
    let running: Vec<_> = fx
        .sfn
        .list_executions("waits", Some(ExecutionStatus::Running))
        .map_ok(|e| e.execution_arn)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(running, [also.arn().to_owned()]);
    let all: Vec<_> = fx
        .sfn
        .list_executions("waits", None)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 2);
    let err = fx
        .sfn
        .list_executions("nothing-by-that-name", None)
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::StateMachineDoesNotExist { .. }),
        "{err}"
    );
    // Nobody answers the activity: the wait's deadline passes.
    fx.sfn.register::<ClientAdding>().await.unwrap();
    let stuck = fx
        .sfn
        .start::<ClientAdding>(&Numbers { a: 1, b: 1 })
        .await
        .unwrap();
    let err = stuck
        .wait_for(std::time::Duration::from_millis(30))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Deadline { .. }), "{err}");
}

async fn refuses_bad_input_before_sending(fx: &Fixture) {
    if let Some(url) = fx.endpoint_url() {
        // On AWS a registration needs a role: its own, or the client's.
        let err = Sfn::with_endpoint(url)
            .register_definition("roleless", PASS)
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::InvalidArgument(ref m) if m.contains("role")),
            "{err}"
        );
    }
    let err = fx
        .sfn
        .register_definition("broken", r#"{"StartAt": "Nowhere", "States": {}}"#)
        .await
        .unwrap_err();
    match err {
        Error::InvalidDefinition { diagnostics, .. } => assert!(!diagnostics.is_valid()),
        other => panic!("{other}"),
    }
    let err = fx
        .sfn
        .register_definition("bad name", PASS)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidArgument(_)), "{err}");
    assert_eq!(
        fx.sfn.list_state_machines().count().await,
        0,
        "nothing was sent"
    );
    fx.sfn.register_definition("passes", PASS).await.unwrap();
    let err = fx
        .sfn
        .start_execution("passes")
        .input_text("{not json")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidArgument(_)), "{err}");
    let err = fx
        .sfn
        .start_execution("passes")
        .name("a/b")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidArgument(_)), "{err}");
    let err = fx
        .sfn
        .execution("arn:aws:states:us-east-1:123456789012:execution:passes:none")
        .describe()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::ExecutionDoesNotExist { .. }), "{err}");
}

/// sfini made execution names longer than 80 characters from long machine names.
async fn long_machine_names_make_valid_execution_names(fx: &Fixture) {
    let name = "m".repeat(80);
    fx.register_definition(name.as_str(), PASS).await.unwrap();
    for _ in 0..3 {
        let run = fx.start_execution(name.as_str()).send().await.unwrap();
        let execution = run.arn().rsplit(':').next().unwrap();
        assert_eq!(execution.chars().count(), 80, "{execution}");
        assert!(sfn_runtime::core::names::check_resource_name(execution).is_ok());
        assert_eq!(run.wait().await.unwrap().status, ExecutionStatus::Succeeded);
    }
}
