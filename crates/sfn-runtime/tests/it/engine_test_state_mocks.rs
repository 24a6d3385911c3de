//! TestState's checks of a mock, each with the answer AWS gives: the states that take a
//! mock or need one, a Map's or Parallel's mocked result, and a service integration's
//! mocked result against the API's output shape (`fieldValidationMode`).

use serde_json::{Value, json};
use sfn_runtime::local::{
    Error, FieldValidationMode, MockResponse, StateConfiguration, TestStateOutput,
    TestStateRequest, TestStatus,
};

use crate::support::engine;

/// A Map over `$.items` whose iterations pass their item on.
fn map() -> Value {
    json!({"Type": "Map", "ItemsPath": "$.items", "End": true,
        "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}})
}

/// A Parallel of `n` branches.
fn parallel(n: usize) -> Value {
    let branch = json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}});
    json!({"Type": "Parallel", "End": true, "Branches": vec![branch; n]})
}

/// A task calling `resource` with the state's input.
fn task(resource: &str) -> Value {
    json!({"Type": "Task", "Resource": resource, "End": true})
}

fn returning(definition: &Value, result: Value) -> TestStateRequest {
    TestStateRequest::new(definition.to_string()).mock(MockResponse::Return(result))
}

/// The message of the `ValidationException` the request gets.
async fn refusal(request: TestStateRequest) -> String {
    match engine().test_state(request).await {
        Err(Error::Validation { message }) => message,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

async fn tested(request: TestStateRequest) -> TestStateOutput {
    match engine().test_state(request).await {
        Ok(out) => out,
        Err(e) => panic!("{e}"),
    }
}

#[tokio::test]
async fn only_tasks_maps_and_parallels_take_a_mock() {
    let states = [
        ("Pass", json!({"Type": "Pass", "Next": "N"})),
        ("Fail", json!({"Type": "Fail", "Error": "E"})),
        ("Succeed", json!({"Type": "Succeed"})),
        ("Wait", json!({"Type": "Wait", "Seconds": 1, "End": true})),
        (
            "Choice",
            json!({"Type": "Choice", "Default": "N",
                "Choices": [{"Variable": "$.a", "IsPresent": true, "Next": "N"}]}),
        ),
    ];
    for (kind, def) in states {
        let thrown = TestStateRequest::new(def.to_string()).mock(MockResponse::Throw {
            error: "E".into(),
            cause: None,
        });
        for request in [returning(&def, json!({"a": 1})), thrown] {
            assert_eq!(
                refusal(request).await,
                format!("State type '{kind}' is not supported when a mock is specified")
            );
        }
    }
}

#[tokio::test]
async fn a_map_or_parallel_without_a_mock_is_not_run() {
    for def in [map(), parallel(2)] {
        let r = engine()
            .test_state(TestStateRequest::new(def.to_string()).input(r#"{"items": [1]}"#))
            .await;
        let Err(Error::TestStateUnsupported { message }) = r else {
            panic!("{r:?}")
        };
        assert_eq!(
            message,
            "TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]"
        );
    }
}

#[tokio::test]
async fn map_iteration_failure_count_needs_a_mock_with_as_many_iterations() {
    let config = |n| StateConfiguration::new().map_iteration_failure_count(n);
    // Checked before the Map's need of a mock.
    let unmocked = TestStateRequest::new(map().to_string())
        .input(r#"{"items": [1, 2]}"#)
        .state_configuration(config(0));
    assert_eq!(
        refusal(unmocked).await,
        "TestState does not support MapIterationFailureCount when a mock is not specified."
    );
    let over = returning(&map(), json!([1, 2]))
        .input(r#"{"items": [1, 2]}"#)
        .state_configuration(config(3));
    assert_eq!(
        refusal(over).await,
        "Map iteration failure count must be less than or equal to the number of Map iterations"
    );
    let mut tolerant = map();
    tolerant["ToleratedFailureCount"] = json!(2);
    let within = returning(&tolerant, json!([1, 2]))
        .input(r#"{"items": [1, 2]}"#)
        .state_configuration(config(2));
    assert_eq!(tested(within).await.output, Some(json!([1, 2])));
}

#[tokio::test]
async fn reveal_secrets_does_not_go_with_a_mock() {
    let request =
        returning(&task("arn:aws:states:::lambda:invoke"), json!({})).reveal_secrets(true);
    assert_eq!(
        refusal(request).await,
        "TestState does not support RevealSecrets when a mock is specified."
    );
}

#[tokio::test]
async fn a_mock_takes_a_result_or_an_error_not_both() {
    let wire = json!({
        "definition": task("arn:aws:states:::lambda:invoke").to_string(),
        "mock": {"result": "{}", "errorOutput": {"error": "E", "cause": "C"}},
    });
    let r = TestStateRequest::from_json(&wire);
    let Err(Error::Validation { message }) = r else {
        panic!("{r:?}")
    };
    assert_eq!(
        message,
        "A test mock should have only one of the following fields: [result, errorOutput]."
    );
}

#[tokio::test]
async fn a_map_or_parallel_result_must_fit_the_state() {
    assert_eq!(
        refusal(returning(&map(), json!({"one": 1})).input(r#"{"items": [1]}"#)).await,
        "Mocked result must be an array."
    );
    let mut writing = map();
    writing["ResultWriter"] = json!({"Resource": "arn:aws:states:::s3:putObject",
        "Parameters": {"Bucket": "b", "Prefix": "p"}});
    assert_eq!(
        refusal(returning(&writing, json!([1])).input(r#"{"items": [1]}"#)).await,
        "Mocked result must be a JSON object."
    );
    // With a ResultWriter, the mocked object stands for what the writer reports.
    let written = json!({"ResultWriterDetails": {"Bucket": "b", "Key": "p/manifest.json"}});
    let out = tested(returning(&writing, written.clone()).input(r#"{"items": [1]}"#)).await;
    assert_eq!(out.output, Some(written));

    assert_eq!(
        refusal(returning(&parallel(2), json!({"a": 1}))).await,
        "Mocked result must be an array."
    );
    assert_eq!(
        refusal(returning(&parallel(2), json!([1]))).await,
        "Mocked result must contain the same number of items as number of Parallel branches."
    );
    let out = tested(returning(&parallel(2), json!([1, 2]))).await;
    assert_eq!(out.output, Some(json!([1, 2])));
}

/// The message of the refusal of `result` mocked for `resource` in `mode`.
async fn shape_refusal(resource: &str, result: Value, mode: FieldValidationMode) -> String {
    refusal(returning(&task(resource), result).field_validation_mode(mode)).await
}

#[tokio::test]
async fn a_strict_mock_result_must_have_the_apis_required_fields() {
    const START: &str = "arn:aws:states:::states:startExecution";
    let strict = FieldValidationMode::Strict;
    // Field names are the API's, first letter capitalized, and compared exactly.
    for result in [json!({}), json!({"executionArn": "a", "startDate": "d"})] {
        assert_eq!(
            shape_refusal(START, result, strict).await,
            "Mock result schema validation error: Required field 'ExecutionArn' is missing"
        );
    }
    let started = json!({"ExecutionArn": "arn", "StartDate": "2025-01-01T00:00:00Z"});
    let out = tested(returning(&task(START), started.clone())).await;
    assert_eq!(out.output, Some(started));
    // PRESENT checks only the fields given; NONE checks nothing.
    let present = returning(&task(START), json!({"startDate": 1}))
        .field_validation_mode(FieldValidationMode::Present);
    assert_eq!(tested(present).await.status, TestStatus::Succeeded);
    assert_eq!(
        shape_refusal(
            START,
            json!({"ExecutionArn": 7}),
            FieldValidationMode::Present
        )
        .await,
        "Mock result schema validation error: Field 'ExecutionArn' must be a string"
    );
    let none = returning(&task(START), json!({"StartDate": true}))
        .field_validation_mode(FieldValidationMode::None);
    assert_eq!(tested(none).await.output, Some(json!({"StartDate": true})));
}

#[tokio::test]
async fn a_mock_result_field_must_have_the_apis_type() {
    let cases = [
        // A list, and each of its items, wherever the wrong one is.
        (
            "arn:aws:states:::events:putEvents",
            json!({"Entries": {"EventId": "e"}}),
            "Field 'Entries' must be an array",
        ),
        (
            "arn:aws:states:::events:putEvents",
            json!({"Entries": [{"EventId": "e1"}, {"EventId": 2}]}),
            "Field 'EventId' must be a string",
        ),
        // Integers, longs and doubles are numbers; timestamps and blobs strings.
        (
            "arn:aws:states:::lambda:invoke",
            json!({"StatusCode": "202"}),
            "Field 'StatusCode' must be a number",
        ),
        (
            "arn:aws:states:::dynamodb:putItem",
            json!({"ConsumedCapacity": {"TableName": "t", "CapacityUnits": "1"}}),
            "Field 'CapacityUnits' must be a number",
        ),
        (
            "arn:aws:states:::aws-sdk:s3:getObject",
            json!({"ContentLength": "12"}),
            "Field 'ContentLength' must be a number",
        ),
        (
            "arn:aws:states:::aws-sdk:s3:getObject",
            json!({"LastModified": 1_700_000_000}),
            "Field 'LastModified' must be a string",
        ),
        (
            "arn:aws:states:::aws-sdk:kms:encrypt",
            json!({"CiphertextBlob": 42}),
            "Field 'CiphertextBlob' must be a string",
        ),
        // Enumerations, lengths and ranges.
        (
            "arn:aws:states:::aws-sdk:s3:getObject",
            json!({"StorageClass": "CLAY_TABLET"}),
            "Field 'StorageClass' is not an expected value",
        ),
        (
            "arn:aws:states:::aws-sdk:kms:encrypt",
            json!({"CiphertextBlob": ""}),
            "Field 'CiphertextBlob' is smaller than the minimum length",
        ),
        (
            "arn:aws:states:::aws-sdk:lambda:getFunction",
            json!({"Configuration": {"MemorySize": 64}}),
            "Field 'MemorySize' is less than the minimum value",
        ),
        (
            "arn:aws:states:::aws-sdk:lambda:getFunction",
            json!({"Configuration": {"MemorySize": 20480}}),
            "Field 'MemorySize' exceeds the maximum value",
        ),
    ];
    for mode in [FieldValidationMode::Strict, FieldValidationMode::Present] {
        for (resource, result, problem) in &cases {
            assert_eq!(
                shape_refusal(resource, result.clone(), mode).await,
                format!("Mock result schema validation error: {problem}"),
                "{resource} {result}"
            );
        }
    }
}

#[tokio::test]
async fn fields_and_apis_the_shapes_do_not_know_are_accepted() {
    // Fields the API's output does not have.
    let extra = json!({"Entries": [{"EventId": "e"}], "Extra": {"any": ["thing"]}});
    let out = tested(returning(
        &task("arn:aws:states:::events:putEvents"),
        extra.clone(),
    ))
    .await;
    assert_eq!(out.output, Some(extra));
    // Integrations whose API is not among the engine's shapes, activities and Lambda
    // functions called directly, and tasks that wait for a job.
    for resource in [
        "arn:aws:states:::apigateway:invoke",
        "arn:aws:states:::aws-sdk:sqs:sendMessage",
        "arn:aws:lambda:us-east-1:123456789012:function:f",
        "arn:aws:states:::states:startExecution.sync:2",
    ] {
        let out = tested(returning(&task(resource), json!({"StatusCode": "x"}))).await;
        assert_eq!(out.status, TestStatus::Succeeded, "{resource}");
    }
}

#[tokio::test]
async fn a_mocked_result_must_be_json_whatever_the_mode() {
    let wire = json!({
        "definition": task("arn:aws:states:::lambda:invoke").to_string(),
        "mock": {"result": "not JSON", "fieldValidationMode": "NONE"},
    });
    let r = TestStateRequest::from_json(&wire);
    let Err(Error::Validation { message }) = r else {
        panic!("{r:?}")
    };
    assert_eq!(message, "Mocked result must be valid JSON");
}
