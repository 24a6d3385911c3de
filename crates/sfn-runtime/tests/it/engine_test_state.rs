//! TestState on the engine: what the recorded corpus does not cover.

use serde_json::{Value, json};
use sfn_runtime::local::{
    Error, InspectionLevel, MockResponse, StateConfiguration, TaskRequest, TestStateRequest,
    TestStatus,
};

use crate::support::engine;

const ROLE: &str = "arn:aws:iam::123456789012:role/tester";
const LAMBDA: &str = "arn:aws:lambda:us-east-1:123456789012:function:double";

#[tokio::test]
async fn a_task_without_a_mock_calls_its_handler() {
    let engine = engine();
    engine.register_handler(LAMBDA, |req: TaskRequest| async move {
        Ok(json!({"n": req.input["n"].as_i64().unwrap_or(0) * 2}))
    });
    let def = json!({"Type": "Task", "Resource": LAMBDA, "ResultPath": "$.out", "Next": "After"});
    let request = TestStateRequest::new(def.to_string())
        .input(r#"{"n": 21}"#)
        .role_arn(ROLE)
        .inspection_level(InspectionLevel::Debug);
    let tested = engine.test_state(request).await;
    let Ok(tested) = tested else {
        panic!("{tested:?}")
    };
    assert_eq!(tested.status, TestStatus::Succeeded);
    assert_eq!(tested.next_state.as_deref(), Some("After"));
    assert_eq!(tested.output, Some(json!({"n": 21, "out": {"n": 42}})));
    let data = tested.inspection_data.unwrap_or_default();
    assert_eq!(data.result, Some(json!({"n": 42})));
    assert_eq!(data.after_parameters, Some(json!({"n": 21})));
}

#[tokio::test]
async fn an_exhausted_retrier_leaves_the_error_to_the_catchers() {
    let def = json!({
        "Type": "Task", "Resource": LAMBDA, "End": true,
        "Retry": [{"ErrorEquals": ["Boom"], "MaxAttempts": 2}],
        "Catch": [{"ErrorEquals": ["Other"], "Next": "A"}, {"ErrorEquals": ["States.ALL"], "Next": "B", "ResultPath": "$.error"}]
    });
    let mock = || MockResponse::Throw {
        error: "Boom".into(),
        cause: Some("it broke".into()),
    };
    let request = |retries: u64| {
        TestStateRequest::new(def.to_string())
            .input(r#"{"a": 1}"#)
            .inspection_level(InspectionLevel::Trace)
            .mock(mock())
            .state_configuration(StateConfiguration::new().retrier_retry_count(retries))
    };
    let engine = engine();
    let retried = engine.test_state(request(1)).await;
    let Ok(retried) = retried else {
        panic!("{retried:?}")
    };
    assert_eq!(retried.status, TestStatus::Retriable);
    let details = retried.inspection_data.and_then(|d| d.error_details);
    let details = details.unwrap_or_default();
    assert_eq!(details.retry_index, Some(0));
    assert_eq!(details.retry_backoff_interval_seconds, Some(2));

    let caught = engine.test_state(request(2)).await;
    let Ok(caught) = caught else {
        panic!("{caught:?}")
    };
    assert_eq!(caught.status, TestStatus::CaughtError);
    assert_eq!(caught.error.as_deref(), Some("Boom"));
    assert_eq!(caught.next_state.as_deref(), Some("B"));
    assert_eq!(
        caught.output,
        Some(json!({"a": 1, "error": {"Error": "Boom", "Cause": "it broke"}}))
    );
    let details = caught
        .inspection_data
        .as_ref()
        .and_then(|d| d.error_details);
    let details = details.unwrap_or_default();
    assert_eq!(
        (details.retry_index, details.catch_index),
        (Some(0), Some(1))
    );
    // AWS's wire shape: JSON as text.
    let wire = caught.to_json();
    assert_eq!(wire["status"], "CAUGHT_ERROR");
    assert_eq!(
        wire["inspectionData"]["input"],
        Value::String(r#"{"a":1}"#.into())
    );
}

#[tokio::test]
async fn variables_and_assign() {
    let def = json!({
        "QueryLanguage": "JSONata", "Type": "Pass", "End": true,
        "Assign": {"total": "{% $total + $states.input.n %}"},
        "Output": "{% $total %}"
    });
    let request = TestStateRequest::new(def.to_string())
        .input(r#"{"n": 2}"#)
        .variables(r#"{"total": 40}"#)
        .inspection_level(InspectionLevel::Debug);
    let tested = engine().test_state(request).await;
    let Ok(tested) = tested else {
        panic!("{tested:?}")
    };
    // `Output` sees the variables as they were before the state's `Assign`.
    assert_eq!(tested.output, Some(json!(40)));
    let vars = tested.inspection_data.and_then(|d| d.variables);
    assert_eq!(vars, Some(json!({"total": 42})));
}

#[tokio::test]
async fn requests_the_api_refuses() {
    let engine = engine();
    let map = json!({"Type": "Map", "End": true, "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}});
    let refused = engine
        .test_state(TestStateRequest::new(map.to_string()).input("[1]"))
        .await;
    assert!(
        matches!(refused, Err(Error::TestStateUnsupported { .. })),
        "{refused:?}"
    );

    let invalid = engine
        .test_state(TestStateRequest::new(r#"{"Type": "Pass"}"#))
        .await;
    assert!(
        matches!(invalid, Err(Error::InvalidDefinition { .. })),
        "{invalid:?}"
    );

    let not_json = engine.test_state(TestStateRequest::new("{")).await;
    assert!(
        matches!(not_json, Err(Error::InvalidDefinition { .. })),
        "{not_json:?}"
    );

    let machine = r#"{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}"#;
    let missing = engine
        .test_state(TestStateRequest::new(machine).state_name("B"))
        .await;
    assert!(
        matches!(missing, Err(Error::Validation { .. })),
        "{missing:?}"
    );

    let not_an_array = engine
        .test_state(
            TestStateRequest::new(map.to_string())
                .input("[1]")
                .mock(MockResponse::Return(json!({"one": 1}))),
        )
        .await;
    assert!(
        matches!(not_an_array, Err(Error::Validation { .. })),
        "{not_an_array:?}"
    );

    let wire = [
        json!({"input": "{}"}),
        json!({"definition": 1}),
        json!({"definition": "{}", "inspectionLevel": "LOUD"}),
        json!({"definition": "{}", "mock": {"result": "{", "errorOutput": null}}),
        json!({"definition": "{}", "mock": {}}),
        json!({"definition": "{}", "stateConfiguration": {"retrierRetryCount": -1}}),
        json!([]),
    ];
    for request in wire {
        let r = TestStateRequest::from_json(&request);
        assert!(
            matches!(r, Err(Error::Validation { .. })),
            "{request}: {r:?}"
        );
    }

    let bad_input = engine
        .test_state(TestStateRequest::new(machine).state_name("A").input("{"))
        .await;
    assert!(
        matches!(bad_input, Err(Error::Validation { .. })),
        "{bad_input:?}"
    );
}

#[tokio::test]
async fn a_wait_passes_on_the_engines_clock() {
    let (engine, _clock) = crate::support::virtual_engine();
    let def = json!({"Type": "Wait", "Seconds": 60, "Next": "Done"});
    let tested = engine
        .test_state(TestStateRequest::new(def.to_string()).input(r#"{"x": 1}"#))
        .await;
    let Ok(tested) = tested else {
        panic!("{tested:?}")
    };
    assert_eq!(tested.status, TestStatus::Succeeded);
    assert_eq!(tested.output, Some(json!({"x": 1})));
    assert_eq!(tested.next_state.as_deref(), Some("Done"));
    assert_eq!(tested.inspection_data, None);
}

#[tokio::test]
async fn a_state_that_runs_past_five_minutes_times_out() {
    let (engine, _clock) = crate::support::virtual_engine();
    let def = json!({"Type": "Wait", "Seconds": 3600, "Next": "Done"});
    let tested = engine
        .test_state(TestStateRequest::new(def.to_string()).input(r#"{"x": 1}"#))
        .await;
    let Ok(tested) = tested else {
        panic!("{tested:?}")
    };
    assert_eq!(tested.status, TestStatus::Failed);
    assert_eq!(tested.error.as_deref(), Some("States.Timeout"));
    assert_eq!(tested.next_state, None);
}

#[tokio::test]
async fn the_tested_state_sees_the_context_object_aws_builds() {
    // Named within a machine, the state still runs as `StateName`; a Pass state counts
    // no retries; with no role given, the execution has none.
    let machine = json!({"StartAt": "First", "States": {
        "First": {"Type": "Pass", "Next": "Second"},
        "Second": {"QueryLanguage": "JSONata", "Type": "Pass",
                   "Output": "{% $states.context %}", "End": true}}});
    let tested = engine()
        .test_state(TestStateRequest::new(machine.to_string()).state_name("Second"))
        .await;
    let Ok(tested) = tested else {
        panic!("{tested:?}")
    };
    let context = tested.output.unwrap_or_default();
    assert_eq!(context["State"]["Name"], json!("StateName"));
    assert_eq!(context["State"].get("RetryCount"), None, "{context}");
    assert_eq!(context["Execution"]["RoleArn"], Value::Null);

    // A mocked Task with a role counts its retries and has the role.
    let task = json!({"Type": "Task", "Resource": LAMBDA, "End": true,
        "ResultSelector": {"state.$": "$$.State", "role.$": "$$.Execution.RoleArn"}});
    let tested = engine()
        .test_state(
            TestStateRequest::new(task.to_string())
                .role_arn(ROLE)
                .mock(MockResponse::Return(json!({}))),
        )
        .await;
    let Ok(tested) = tested else {
        panic!("{tested:?}")
    };
    let out = tested.output.unwrap_or_default();
    assert_eq!(out["state"]["Name"], json!("StateName"));
    assert_eq!(out["state"]["RetryCount"], json!(0));
    assert_eq!(out["role"], json!(ROLE));
}

fn refusal<T: std::fmt::Debug>(r: Result<T, Error>) -> String {
    match r {
        Err(Error::Validation { message }) => message,
        other => panic!("not refused: {other:?}"),
    }
}

#[tokio::test]
async fn a_given_context_object_is_checked_as_aws_checks_it() {
    let task = json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true});
    let engine = engine();
    let with = |def: &Value, context: Value| {
        TestStateRequest::new(def.to_string())
            .mock(MockResponse::Return(json!({})))
            .context(context.to_string())
    };
    for (context, why) in [
        (
            json!({"Execution": {"Id": 1}}),
            "Execution.Id must be a string",
        ),
        (
            json!({"Map": {}}),
            "'Map' field is not supported when mocking a Context object",
        ),
        (
            json!({"Execution": {"pokemon": "squirtle"}}),
            "Field 'pokemon' is not allowed",
        ),
        (json!({"Pokedex": {}}), "Field 'Pokedex' is not allowed"),
        (
            json!({"State": {"RetryCount": "0"}}),
            "State.RetryCount must be an integer",
        ),
        (
            json!({"Task": {"Token": "abc"}}),
            "Context object contains 'Task' when state is not a Task state with a '.sync' or '.waitForTaskToken' service integration pattern",
        ),
    ] {
        let message = refusal(engine.test_state(with(&task, context)).await);
        assert_eq!(message, format!("Invalid Context object provided: {why}"));
    }

    // A task that waits for its token reads the one given.
    let waits = json!({"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"token.$": "$$.Task.Token"}, "ResultPath": "$.sent", "End": true});
    let context =
        json!({"Task": {"Token": "abc"}, "Execution": {}, "State": {}, "StateMachine": {}});
    let tested = engine.test_state(with(&waits, context)).await;
    let Ok(tested) = tested else {
        panic!("{tested:?}")
    };
    assert_eq!(tested.status, TestStatus::Succeeded);
}

#[tokio::test]
async fn requests_refused_with_awss_words() {
    let engine = engine();
    let task = json!({"Type": "Task", "Resource": LAMBDA, "End": true});
    let unmocked = engine
        .test_state(TestStateRequest::new(task.to_string()))
        .await;
    assert_eq!(
        refusal(unmocked),
        "RoleArn must be specified when testing a Task state"
    );

    let machine = r#"{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}"#;
    let missing = engine
        .test_state(TestStateRequest::new(machine).state_name("B"))
        .await;
    assert_eq!(refusal(missing), "State not found in definition");

    let not_json = TestStateRequest::from_json(&json!({
        "definition": task.to_string(), "mock": {"result": "not json"}
    }));
    assert_eq!(refusal(not_json), "Mocked result must be valid JSON");
}
