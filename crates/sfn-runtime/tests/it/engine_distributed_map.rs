//! Distributed Map states on the embedded engine: a Map Run whose items run as child
//! executions (listed, described, with their own histories), the parent's Map Run events,
//! `ItemBatcher` batches, failure tolerance, `MaxConcurrency` on the virtual clock,
//! failures and stops.

use std::{sync::atomic::Ordering, time::Duration};

use serde_json::{Value, json};
use sfn_runtime::local::{EventType, ExecutionStatus, History, MapRunStatus, StartExecution};

use crate::support::{
    FAIL_SOME, WORK, counting_engine, find, history, map_machine, one_in_four, run, task_processor,
    types, until, virtual_engine,
};

const PREFIX: &str = "arn:aws:states:us-east-1:123456789012";

const ECHO: &str = r#""StartAt": "Echo", "States": {"Echo": {"Type": "Pass", "End": true}}"#;

/// The ARN of the Map Run `history` started.
fn map_run_arn(history: &History) -> String {
    find(history, EventType::MapRunStarted).to_json()["mapRunStartedEventDetails"]["mapRunArn"]
        .as_str()
        .expect("mapRunArn")
        .to_owned()
}

#[tokio::test]
async fn children_are_listed_and_described_with_their_own_histories() {
    let (engine, _) = virtual_engine();
    let def = map_machine("DISTRIBUTED", r#""Label": "fan","#, ECHO);
    let done = run(&engine, "dm", &def, json!({"items": [1, 2, 3]})).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    assert_eq!(done.output, Some(json!([1, 2, 3])));

    let parent = history(&engine, &done.execution_arn);
    assert_eq!(
        types(&parent),
        [
            "ExecutionStarted",
            "MapStateEntered",
            "MapStateStarted",
            "MapRunStarted",
            "MapRunSucceeded",
            "MapStateSucceeded",
            "MapStateExited",
            "ExecutionSucceeded"
        ]
    );
    // Each event follows the one before it, but MapStateExited, which follows
    // MapRunStarted, as AWS records it.
    for e in &parent.events()[2..] {
        let before = if e.event_type == EventType::MapStateExited {
            e.id - 3
        } else {
            e.id - 1
        };
        assert_eq!(e.previous_event_id, before, "{e:?}");
    }
    let map_run = map_run_arn(&parent);
    assert!(
        map_run.starts_with(&format!("{PREFIX}:mapRun:dm/fan:")),
        "{map_run}"
    );

    let runs = engine.list_map_runs(&done.execution_arn).unwrap();
    assert_eq!(runs.len(), 1);
    let described = engine.describe_map_run(&map_run).unwrap();
    assert_eq!(runs[0], described);
    assert_eq!(described.status, MapRunStatus::Succeeded);
    assert_eq!(described.execution_arn, done.execution_arn);
    // The Map Run's own machine, as AWS lists it: the machine's name and the label.
    assert_eq!(
        described.state_machine_arn,
        format!("{PREFIX}:stateMachine:dm/fan")
    );
    assert_eq!(described.execution_counts.succeeded, 3);
    assert_eq!(described.execution_counts.total, 3);
    assert_eq!(described.item_counts.total, 3);
    assert!(described.stop_date.is_some());
    let json = described.to_json();
    assert_eq!(json["status"], "SUCCEEDED");
    assert_eq!(json["itemCounts"]["succeeded"], 3);

    let children = engine.list_map_run_executions(&map_run).unwrap();
    assert_eq!(children.len(), 3);
    let mut inputs = Vec::new();
    for child in &children {
        assert!(
            child
                .execution_arn
                .starts_with(&format!("{PREFIX}:execution:dm/fan:")),
            "{}",
            child.execution_arn
        );
        assert!(child.execution_arn.ends_with(&child.name));
        assert_eq!(
            child.state_machine_arn,
            format!("{PREFIX}:stateMachine:dm/fan")
        );
        assert_eq!(child.map_run_arn.as_deref(), Some(map_run.as_str()));
        assert_eq!(child.status, ExecutionStatus::Succeeded);
        assert_eq!(child.output.as_ref(), Some(&child.input));
        inputs.push(child.input.clone());
        assert_eq!(
            engine.describe_execution(&child.execution_arn).unwrap(),
            *child
        );
        let history = history(&engine, &child.execution_arn);
        assert_eq!(
            types(&history),
            [
                "ExecutionStarted",
                "PassStateEntered",
                "PassStateExited",
                "ExecutionSucceeded"
            ]
        );
        assert_eq!(history.events()[1].previous_event_id, 0);
    }
    inputs.sort_by_key(|v| v.as_i64());
    assert_eq!(inputs, [json!(1), json!(2), json!(3)]);

    // All executions list the children; the machine's lists the parent; the Map Run's,
    // its children.
    assert_eq!(engine.list_executions(None).len(), 4);
    let machine_arn = format!("{PREFIX}:stateMachine:dm");
    assert_eq!(engine.list_executions(Some(&machine_arn)).len(), 1);
    assert_eq!(engine.list_executions(Some(&map_run)).len(), 3);
    assert!(engine.describe_map_run("arn:nope").is_err());
    assert!(engine.list_map_run_executions("arn:nope").is_err());
}

#[tokio::test]
async fn express_children_and_the_state_name_as_label() {
    let (engine, _) = virtual_engine();
    let def = map_machine("DISTRIBUTED", "", ECHO).replace("STANDARD", "EXPRESS");
    let done = run(&engine, "ex", &def, json!({"items": [1]})).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    let map_run = map_run_arn(&history(&engine, &done.execution_arn));
    let prefix = format!("{PREFIX}:mapRun:ex/Each:");
    let id = map_run
        .strip_prefix(&prefix)
        .expect("the state's name as label");
    let children = engine.list_map_run_executions(&map_run).unwrap();
    assert_eq!(children.len(), 1);
    assert!(
        children[0]
            .execution_arn
            .starts_with(&format!("{PREFIX}:express:ex/Each:{id}:")),
        "{}",
        children[0].execution_arn
    );
}

#[tokio::test]
async fn item_batcher_batches_reach_the_children() {
    let (engine, _) = virtual_engine();
    let def = map_machine(
        "DISTRIBUTED",
        r#""ItemBatcher": {"MaxItemsPerBatch": 2, "BatchInput": {"tag.$": "$.tag"}},"#,
        ECHO,
    );
    let done = run(
        &engine,
        "batch",
        &def,
        json!({"tag": "t", "items": [1, 2, 3, 4, 5]}),
    )
    .await;
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    assert_eq!(
        done.output,
        Some(json!([
            {"BatchInput": {"tag": "t"}, "Items": [1, 2]},
            {"BatchInput": {"tag": "t"}, "Items": [3, 4]},
            {"BatchInput": {"tag": "t"}, "Items": [5]}
        ]))
    );
    let runs = engine.list_map_runs(&done.execution_arn).unwrap();
    let run = &runs[0];
    assert_eq!(run.execution_counts.total, 3);
    assert_eq!(run.item_counts.total, 5);
    assert_eq!(run.item_counts.succeeded, 5);
    let children = engine.list_map_run_executions(&run.map_run_arn).unwrap();
    let mut inputs: Vec<Value> = children.iter().map(|c| c.input.clone()).collect();
    inputs.sort_by_key(|v| v["Items"][0].as_i64());
    assert_eq!(inputs[2], json!({"BatchInput": {"tag": "t"}, "Items": [5]}));
}

#[tokio::test]
async fn failures_within_the_tolerance_let_the_map_succeed() {
    for tolerance in [
        r#""ToleratedFailureCount": 1,"#,
        r#""ToleratedFailurePercentage": 25,"#,
    ] {
        let (engine, _) = virtual_engine();
        let def = map_machine("DISTRIBUTED", tolerance, FAIL_SOME);
        let done = run(&engine, "tolerant", &def, one_in_four()).await;
        assert_eq!(
            done.status,
            ExecutionStatus::Succeeded,
            "{tolerance}: {done:?}"
        );
        let run = &engine.list_map_runs(&done.execution_arn).unwrap()[0];
        assert_eq!(run.status, MapRunStatus::Succeeded);
        assert_eq!(run.execution_counts.failed, 1);
        assert_eq!(run.execution_counts.succeeded, 3);
        let failed: Vec<_> = engine
            .list_map_run_executions(&run.map_run_arn)
            .unwrap()
            .into_iter()
            .filter(|c| c.status == ExecutionStatus::Failed)
            .collect();
        assert_eq!(failed.len(), 1);
        assert_eq!(failed[0].error.as_deref(), Some("Boom"));
        assert_eq!(failed[0].cause.as_deref(), Some("this item fails"));
        let history = history(&engine, &failed[0].execution_arn);
        assert_eq!(types(&history).last(), Some(&"ExecutionFailed"));
    }
}

#[tokio::test]
async fn failures_past_the_tolerance_fail_the_map_run() {
    for tolerance in [
        "",
        r#""ToleratedFailureCount": 0,"#,
        r#""ToleratedFailurePercentage": 20,"#,
    ] {
        let (engine, _) = virtual_engine();
        let def = map_machine(
            "DISTRIBUTED",
            &format!(r#"{tolerance} "MaxConcurrency": 1,"#),
            FAIL_SOME,
        );
        let done = run(&engine, "strict", &def, one_in_four()).await;
        assert_eq!(done.status, ExecutionStatus::Failed, "{tolerance}");
        assert_eq!(
            done.error.as_deref(),
            Some("States.ExceedToleratedFailureThreshold")
        );
        let history = history(&engine, &done.execution_arn);
        let t = types(&history);
        assert_eq!(
            t[3..],
            [
                "MapRunStarted",
                "MapRunFailed",
                "MapStateFailed",
                "ExecutionFailed"
            ]
        );
        let failed = history.events()[4].to_json();
        assert_eq!(
            failed["mapRunFailedEventDetails"]["error"],
            "States.ExceedToleratedFailureThreshold"
        );
        let run = &engine.list_map_runs(&done.execution_arn).unwrap()[0];
        assert_eq!(run.status, MapRunStatus::Failed);
        // One at a time: the second item's failure ends the run; the others never start.
        assert_eq!(run.execution_counts.succeeded, 1);
        assert_eq!(run.execution_counts.failed, 1);
        assert_eq!(run.execution_counts.aborted, 2);
        assert_eq!(run.execution_counts.pending, 0);
        assert_eq!(
            engine
                .list_map_run_executions(&run.map_run_arn)
                .unwrap()
                .len(),
            2
        );
    }
}

#[tokio::test]
async fn a_catcher_takes_the_map_runs_failure() {
    let (engine, _) = virtual_engine();
    let def = r#"{"StartAt": "Each", "States": {
        "Each": {"Type": "Map", "ItemsPath": "$.items",
          "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "Boom", "States": {"Boom": {"Type": "Fail", "Error": "Boom"}}},
          "Catch": [{"ErrorEquals": ["States.ExceedToleratedFailureThreshold"], "Next": "Caught"}],
          "End": true},
        "Caught": {"Type": "Pass", "End": true}}}"#;
    let done = run(&engine, "caught", def, json!({"items": [1]})).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    assert_eq!(
        done.output.as_ref().map(|o| o["Error"].clone()),
        Some(json!("States.ExceedToleratedFailureThreshold"))
    );
}

#[tokio::test]
async fn max_concurrency_holds_on_the_virtual_clock() {
    let (engine, most) = counting_engine();
    let processor = task_processor(WORK);
    let def = map_machine("DISTRIBUTED", r#""MaxConcurrency": 2,"#, &processor);
    let done = run(
        &engine,
        "limited",
        &def,
        json!({"items": [1, 2, 3, 4, 5, 6]}),
    )
    .await;
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    assert_eq!(done.output, Some(json!([1, 2, 3, 4, 5, 6])));
    assert_eq!(most.load(Ordering::SeqCst), 2);
    // Three rounds of two 10-second tasks.
    let took = done.stop_date.unwrap() - done.start_date;
    assert_eq!(took, chrono::Duration::seconds(30));
    let run = &engine.list_map_runs(&done.execution_arn).unwrap()[0];
    assert_eq!(run.max_concurrency, 2);
}

#[tokio::test]
async fn stopping_the_parent_aborts_the_map_run_and_its_children() {
    let (engine, _) = virtual_engine();
    let activity = engine.create_activity("work").unwrap();
    let processor = task_processor(&activity);
    let def = map_machine("DISTRIBUTED", r#""MaxConcurrency": 2,"#, &processor);
    let arn = engine.create_state_machine_json("stopped", &def).unwrap();
    let run = engine
        .start_execution(&arn, StartExecution::new(json!({"items": [1, 2, 3]})))
        .await
        .unwrap();
    for _ in 0..2 {
        let task = engine
            .get_activity_task(&activity, Duration::from_secs(5))
            .await
            .unwrap();
        assert!(task.is_some());
    }
    // Both children have recorded that a worker took their task.
    let parent_arn = run.arn().to_owned();
    until(|| {
        let Ok(runs) = engine.list_map_runs(&parent_arn) else {
            return false;
        };
        let Some(map_run) = runs.first() else {
            return false;
        };
        let children = engine
            .list_map_run_executions(&map_run.map_run_arn)
            .unwrap_or_default();
        children.len() == 2
            && children.iter().all(|c| {
                engine
                    .get_execution_history(&c.execution_arn)
                    .is_ok_and(|h| types(&h).contains(&"ActivityStarted"))
            })
    })
    .await;
    run.stop(None, None).unwrap();
    let done = run.wait().await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Aborted);
    let parent = run.history();
    assert_eq!(
        types(&parent),
        [
            "ExecutionStarted",
            "MapStateEntered",
            "MapStateStarted",
            "MapRunStarted",
            "MapRunAborted",
            "MapStateAborted",
            "ExecutionAborted"
        ]
    );
    let ids: Vec<(u64, u64)> = parent
        .events()
        .iter()
        .map(|e| (e.id, e.previous_event_id))
        .collect();
    assert_eq!(ids[4..], [(5, 4), (6, 5), (7, 6)]);

    let map_run = engine.list_map_runs(run.arn()).unwrap().remove(0);
    assert_eq!(map_run.status, MapRunStatus::Aborted);
    assert_eq!(map_run.execution_counts.aborted, 3);
    let children = engine
        .list_map_run_executions(&map_run.map_run_arn)
        .unwrap();
    assert_eq!(children.len(), 2, "the third child never started");
    for child in children {
        assert_eq!(child.status, ExecutionStatus::Aborted);
        let h = history(&engine, &child.execution_arn);
        assert_eq!(
            types(&h),
            [
                "ExecutionStarted",
                "TaskStateEntered",
                "ActivityScheduled",
                "ActivityStarted",
                "TaskStateAborted",
                "ExecutionAborted"
            ]
        );
        let chain: Vec<u64> = h.events().iter().map(|e| e.previous_event_id).collect();
        assert_eq!(chain, [0, 0, 2, 3, 4, 5]);
    }
}

#[tokio::test]
async fn stopping_one_child_counts_as_its_failure() {
    let (engine, _) = virtual_engine();
    let activity = engine.create_activity("work").unwrap();
    let processor = task_processor(&activity);
    let def = map_machine("DISTRIBUTED", r#""ToleratedFailureCount": 1,"#, &processor);
    let arn = engine.create_state_machine_json("one", &def).unwrap();
    let run = engine
        .start_execution(&arn, StartExecution::new(json!({"items": [1, 2]})))
        .await
        .unwrap();
    let mut tasks = Vec::new();
    for _ in 0..2 {
        tasks.push(
            engine
                .get_activity_task(&activity, Duration::from_secs(5))
                .await
                .unwrap()
                .expect("a task"),
        );
    }
    let map_run = engine.list_map_runs(run.arn()).unwrap().remove(0);
    let children = engine
        .list_map_run_executions(&map_run.map_run_arn)
        .unwrap();
    let first = children
        .iter()
        .find(|c| c.input == tasks[0].input)
        .expect("the first task's child");
    engine
        .stop_execution(&first.execution_arn, Some("Halt".into()), None)
        .unwrap();
    engine
        .send_task_success(&tasks[1].task_token, json!("ok"))
        .unwrap();
    let done = run.wait().await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    assert_eq!(done.output, Some(json!(["ok"])));
    let stopped = engine.describe_execution(&first.execution_arn).unwrap();
    assert_eq!(stopped.status, ExecutionStatus::Aborted);
    assert_eq!(stopped.error.as_deref(), Some("Halt"));
    let map_run = engine.describe_map_run(&map_run.map_run_arn).unwrap();
    assert_eq!(map_run.execution_counts.aborted, 1);
    assert_eq!(map_run.execution_counts.succeeded, 1);
}

#[tokio::test]
async fn item_reader_and_result_writer_fail_clearly() {
    let (engine, _) = virtual_engine();
    let reader = map_machine("DISTRIBUTED", 
        r#""ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "Parameters": {"Bucket": "b", "Key": "k"}},"#,
        ECHO,
    )
    .replace(r#""ItemsPath": "$.items","#, "");
    let done = run(&engine, "reader", &reader, json!({})).await;
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some("States.ItemReaderFailed"));

    let writer = map_machine(
        "DISTRIBUTED",
        r#""ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "b", "Prefix": "p"}},"#,
        ECHO,
    );
    let done = run(&engine, "writer", &writer, json!({"items": [1]})).await;
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some("States.ResultWriterFailed"));
    let history = history(&engine, &done.execution_arn);
    assert!(types(&history).contains(&"MapRunFailed"));
    let run = &engine.list_map_runs(&done.execution_arn).unwrap()[0];
    assert_eq!(run.status, MapRunStatus::Failed);
}

#[tokio::test]
async fn a_machine_timeout_aborts_the_children() {
    let (engine, _) = virtual_engine();
    let def = r#"{"StartAt": "Each", "TimeoutSeconds": 5, "States": {
        "Each": {"Type": "Map", "ItemsPath": "$.items",
          "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "Nap", "States": {"Nap": {"Type": "Wait", "Seconds": 60, "End": true}}},
          "End": true}}}"#;
    let done = run(&engine, "late", def, json!({"items": [1, 2]})).await;
    assert_eq!(done.status, ExecutionStatus::TimedOut);
    let run = &engine.list_map_runs(&done.execution_arn).unwrap()[0];
    assert_eq!(run.status, MapRunStatus::Aborted);
    for child in engine.list_map_run_executions(&run.map_run_arn).unwrap() {
        assert_eq!(child.status, ExecutionStatus::Aborted);
    }
}
