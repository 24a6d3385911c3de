//! The execution overlay read from a history.

use serde_json::json;
use sfn_graph::{ExecutionOverlay, Graph, Status, events_from_history};

use crate::support::{graph, machine, overlay};

#[test]
fn caught_error_then_failure() {
    let m = machine("failed");
    let run = overlay("failed", &m).unwrap_or_else(|| panic!("no history"));
    assert_eq!(run.states["Charge"].status, Status::Caught);
    assert_eq!(run.states["Charge"].retries, 1);
    assert_eq!(run.states["Fallback"].status, Status::Succeeded);
    assert_eq!(run.states["Ship"].status, Status::Failed);
    assert_eq!(run.states["Label"].status, Status::Failed);
    assert_eq!(run.states["Done"].status, Status::NotReached);
    let it = run.states["Ship"].iterations.unwrap_or_default();
    assert_eq!(it.text(), "3/4 succeeded, 1 failed");
    assert!(
        run.caught
            .contains(&("Charge".to_owned(), "Fallback".to_owned()))
    );
    assert!(
        run.taken
            .contains(&("Fallback".to_owned(), "Ship".to_owned()))
    );
    assert_eq!(run.finished.as_deref(), Some("ExecutionFailed"));
}

#[test]
fn overlaid_svg_colours_states_and_counts_iterations() {
    let svg = graph("failed").to_svg();
    assert!(
        svg.contains(r#"class="state task caught" data-id="s0""#),
        "{svg}"
    );
    assert!(svg.contains(r#"class="state map failed""#), "{svg}");
    assert!(
        svg.contains(r#"class="state succeed not-reached""#),
        "{svg}"
    );
    assert!(svg.contains("3/4 succeeded, 1 failed"), "{svg}");
    assert!(
        svg.contains(r#"class="edge catch taken" data-from="s0" data-to="s1""#),
        "{svg}"
    );
    assert!(svg.contains(r#"class="legend""#));
}

#[test]
fn running_execution() {
    let m: sfn_core::StateMachine = r#"{"StartAt":"A","States":{
        "A":{"Type":"Pass","Next":"B"},
        "B":{"Type":"Task","Resource":"arn:aws:states:us-east-1:1:activity:b","Next":"C"},
        "C":{"Type":"Succeed"}}}"#
        .parse()
        .unwrap_or_else(|e| panic!("{e}"));
    let events = events_from_history(&json!({"events": [
        {"id": 1, "previousEventId": 0, "type": "ExecutionStarted"},
        {"id": 2, "previousEventId": 1, "type": "PassStateEntered", "stateEnteredEventDetails": {"name": "A"}},
        {"id": 3, "previousEventId": 2, "type": "PassStateExited", "stateExitedEventDetails": {"name": "A"}},
        {"id": 4, "previousEventId": 3, "type": "TaskStateEntered", "stateEnteredEventDetails": {"name": "B"}},
        {"id": 5, "previousEventId": 4, "type": "ActivityScheduled", "activityScheduledEventDetails": {}}
    ]}))
    .unwrap_or_default();
    let run = ExecutionOverlay::new(&m, &events);
    assert_eq!(run.states["A"].status, Status::Succeeded);
    assert_eq!(run.states["B"].status, Status::Running);
    assert_eq!(run.states["C"].status, Status::NotReached);
    assert_eq!(run.finished, None);
    let g = Graph::from_machine(&m).with_execution(&run);
    let taken: Vec<(&str, &str)> = g
        .scope
        .edges
        .iter()
        .filter(|e| e.taken)
        .map(|e| (e.from.as_str(), e.to.as_str()))
        .collect();
    assert_eq!(taken, vec![("start", "s0"), ("s0", "s1")]);
}

#[test]
fn parallel_branch_failure_caught_by_the_parallel() {
    let m: sfn_core::StateMachine = r#"{"StartAt":"P","States":{
        "P":{"Type":"Parallel","Branches":[
            {"StartAt":"X","States":{"X":{"Type":"Task","Resource":"arn:aws:states:us-east-1:1:activity:x","End":true}}},
            {"StartAt":"Y","States":{"Y":{"Type":"Pass","End":true}}}],
            "Catch":[{"ErrorEquals":["States.ALL"],"Next":"H"}],"Next":"Z"},
        "H":{"Type":"Pass","End":true},
        "Z":{"Type":"Succeed"}}}"#
        .parse()
        .unwrap_or_else(|e| panic!("{e}"));
    let events = events_from_history(&json!([
        {"id": 1, "previousEventId": 0, "type": "ExecutionStarted"},
        {"id": 2, "previousEventId": 1, "type": "ParallelStateEntered", "stateEnteredEventDetails": {"name": "P"}},
        {"id": 3, "previousEventId": 2, "type": "ParallelStateStarted"},
        {"id": 4, "previousEventId": 3, "type": "TaskStateEntered", "stateEnteredEventDetails": {"name": "X"}},
        {"id": 5, "previousEventId": 3, "type": "PassStateEntered", "stateEnteredEventDetails": {"name": "Y"}},
        {"id": 6, "previousEventId": 5, "type": "PassStateExited", "stateExitedEventDetails": {"name": "Y"}},
        {"id": 7, "previousEventId": 4, "type": "ActivityScheduled"},
        {"id": 8, "previousEventId": 7, "type": "ActivityFailed", "activityFailedEventDetails": {"error": "Boom"}},
        {"id": 9, "previousEventId": 8, "type": "ParallelStateFailed", "parallelStateFailedEventDetails": {"error": "Boom"}},
        {"id": 10, "previousEventId": 9, "type": "PassStateEntered", "stateEnteredEventDetails": {"name": "H"}},
        {"id": 11, "previousEventId": 10, "type": "PassStateExited", "stateExitedEventDetails": {"name": "H"}},
        {"id": 12, "previousEventId": 11, "type": "ExecutionSucceeded"}
    ]))
    .unwrap_or_default();
    let run = ExecutionOverlay::new(&m, &events);
    assert_eq!(run.states["P"].status, Status::Caught);
    assert_eq!(run.states["X"].status, Status::Failed);
    assert_eq!(run.states["Y"].status, Status::Succeeded);
    assert_eq!(run.states["H"].status, Status::Succeeded);
    assert_eq!(run.states["Z"].status, Status::NotReached);
    assert!(run.caught.contains(&("P".to_owned(), "H".to_owned())));
}

#[test]
fn running_parallel_with_a_retried_branch() {
    let m = machine("running");
    let run = overlay("running", &m).unwrap_or_else(|| panic!("no history"));
    assert_eq!(run.states["Prepare"].status, Status::Succeeded);
    assert_eq!(run.states["Fan"].status, Status::Running);
    assert_eq!(run.states["Resize"].status, Status::Succeeded);
    assert_eq!(run.states["Approve"].status, Status::Running);
    assert_eq!(run.states["Approve"].retries, 1);
    assert_eq!(run.states["Publish"].status, Status::NotReached);
    assert_eq!(run.finished, None);
}
