//! What single states compute, where AWS documents it: a Pass state with both
//! `Parameters` and `Result`, JSONata `Fail` fields that are not strings, Waits on
//! timestamps that cannot be read, and JSONata's clock.

use serde_json::json;
use sfn_runtime::local::ExecutionStatus;

use crate::support::{engine, run};

#[tokio::test]
async fn a_pass_state_with_parameters_and_result_outputs_the_result() {
    // Parameters is the input of the virtual task, Result its output.
    let def = r#"{"StartAt": "P", "States": {"P": {"Type": "Pass",
        "Parameters": {"from.$": "$.a"}, "Result": {"fixed": true}, "End": true}}}"#;
    let done = run(&engine(), "m", def, json!({"a": 1})).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    assert_eq!(done.output, Some(json!({"fixed": true})));

    // With ResultPath, the result lands in the raw input.
    let def = r#"{"StartAt": "P", "States": {"P": {"Type": "Pass",
        "Parameters": {"from.$": "$.a"}, "Result": "r", "ResultPath": "$.out", "End": true}}}"#;
    let done = run(&engine(), "m", def, json!({"a": 1})).await;
    assert_eq!(done.output, Some(json!({"a": 1, "out": "r"})));

    // Parameters alone is still the result.
    let def = r#"{"StartAt": "P", "States": {"P": {"Type": "Pass",
        "Parameters": {"from.$": "$.a"}, "End": true}}}"#;
    let done = run(&engine(), "m", def, json!({"a": 1})).await;
    assert_eq!(done.output, Some(json!({"from": 1})));
}

#[tokio::test]
async fn a_jsonata_fail_error_or_cause_that_is_not_a_string_is_a_query_evaluation_error() {
    for (field, expr, found) in [
        ("Error", "{% 42 %}", "number"),
        ("Cause", "{% {'a': 1} %}", "object"),
        ("Error", "{% [1, 2] %}", "array"),
    ] {
        let def = format!(
            r#"{{"QueryLanguage": "JSONata", "StartAt": "F", "States": {{"F": {{"Type": "Fail", "{field}": "{expr}"}}}}}}"#
        );
        let done = run(&engine(), "m", &def, json!({})).await;
        assert_eq!(done.status, ExecutionStatus::Failed);
        assert_eq!(
            done.error.as_deref(),
            Some("States.QueryEvaluationError"),
            "{field}: {done:?}"
        );
        let cause = done.cause.unwrap_or_default();
        assert!(
            cause.contains(&format!(
                "specified for the field '{field}' returned an unexpected result type. Expected 'string', but was '{found}'"
            )),
            "{cause}"
        );
    }
    // Strings pass through.
    let def = r#"{"QueryLanguage": "JSONata", "StartAt": "F", "States": {"F": {"Type": "Fail",
        "Error": "{% 'E' & $string(1) %}", "Cause": "{% 'why' %}"}}}"#;
    let done = run(&engine(), "m", def, json!({})).await;
    assert_eq!(done.error.as_deref(), Some("E1"));
    assert_eq!(done.cause.as_deref(), Some("why"));
}

const WAIT_UNTIL: &str = r#"{"StartAt": "W", "States": {
    "W": {"Type": "Wait", "Timestamp": "2016-03-14T01:59:00Z", "Next": "Done"},
    "Done": {"Type": "Succeed"}}}"#;

#[tokio::test]
async fn a_wait_on_a_timestamp_that_cannot_be_read_is_refused_or_fails() {
    use sfn_runtime::core::{StateMachine, model::State, model::StringOrExpr};
    use sfn_runtime::local::Error;
    // A literal that is not a timestamp: a hand-changed model is refused, not run as a
    // Wait of no time.
    let mut machine: StateMachine = WAIT_UNTIL.parse().unwrap();
    match machine.states.get_mut("W") {
        Some(State::Wait(w)) => w.timestamp = Some(StringOrExpr::String("next tuesday".into())),
        other => panic!("not a Wait: {other:?}"),
    }
    let r = engine().create_state_machine("w", machine);
    let Err(Error::InvalidDefinition { diagnostics }) = r else {
        panic!("accepted: {r:?}");
    };
    assert!(
        diagnostics
            .errors()
            .any(|d| d.pointer.starts_with("/States/W")),
        "{diagnostics}"
    );
    // A path to something that is not a timestamp fails the execution.
    let def = r#"{"StartAt": "W", "States": {
        "W": {"Type": "Wait", "TimestampPath": "$.when", "Next": "Done"},
        "Done": {"Type": "Succeed"}}}"#;
    for when in [json!("yesterday"), json!("2016-03-14 01:59:00Z"), json!(12)] {
        let done = run(&engine(), "m", def, json!({ "when": when })).await;
        assert_eq!(done.status, ExecutionStatus::Failed, "{when}");
        assert_eq!(done.error.as_deref(), Some("States.Runtime"), "{when}");
        assert!(
            done.cause.as_deref().is_some_and(|c| c.contains(
                "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: $.when == "
            )),
            "{:?}",
            done.cause
        );
    }
    // A timestamp in the past waits no time.
    let done = run(&engine(), "m", WAIT_UNTIL, json!({})).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded);
}

#[tokio::test]
async fn jsonata_now_and_millis_read_the_engine_clock() {
    // VirtualClock::default() reads 2024-01-01T00:00:00Z; the Wait moves it a minute.
    let def = r#"{"QueryLanguage": "JSONata", "StartAt": "Before", "States": {
        "Before": {"Type": "Pass", "Output": {"now": "{% $now() %}", "millis": "{% $millis() %}"}, "Next": "W"},
        "W": {"Type": "Wait", "Seconds": 60, "Next": "After"},
        "After": {"Type": "Pass", "Output": {"before": "{% $states.input %}", "now": "{% $now() %}", "millis": "{% $millis() %}"}, "End": true}}}"#;
    let done = run(&engine(), "m", def, json!({})).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    assert_eq!(
        done.output,
        Some(json!({
            "before": {"now": "2024-01-01T00:00:00.000Z", "millis": 1_704_067_200_000_i64},
            "now": "2024-01-01T00:01:00.000Z",
            "millis": 1_704_067_260_000_i64
        }))
    );
}

#[tokio::test]
async fn seconds_path_values_aws_refuses() {
    // 1.5 is recorded (TestSfnWait_test_base_wait_seconds_path_1.5); a negative value
    // and a string follow AWS's wording for the same check.
    let def =
        r#"{"StartAt": "W", "States": {"W": {"Type": "Wait", "SecondsPath": "$.s", "End": true}}}"#;
    for (s, cause) in [
        (
            json!(1.5),
            "The SecondsPath parameter cannot be parsed as a long value: $.s == 1.5",
        ),
        (
            json!(-1),
            "The SecondsPath parameter references a negative value: $.s == -1",
        ),
        (
            json!("5"),
            "The SecondsPath parameter cannot be parsed as a long value: $.s == \"5\"",
        ),
        (json!(3_000_000_000u64), "Wait state delay is too long."),
    ] {
        let done = run(&engine(), "m", def, json!({"s": s})).await;
        assert_eq!(done.status, ExecutionStatus::Failed, "{s}");
        assert_eq!(done.error.as_deref(), Some("States.Runtime"));
        let got = done.cause.unwrap_or_default();
        assert!(got.ends_with(cause), "{s}: {got}");
    }
    let done = run(&engine(), "m", def, json!({"s": 0})).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded);
}

#[tokio::test]
async fn a_seconds_path_that_selects_nothing_names_the_path() {
    // AWS's wording when the path finds no value, not the generic invalid-path one.
    let def = r#"{"StartAt": "W", "States": {"W": {"Type": "Wait", "SecondsPath": "$.in.s", "End": true}}}"#;
    let done = run(&engine(), "m", def, json!({})).await;
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some("States.Runtime"));
    assert_eq!(
        done.cause.as_deref(),
        Some(
            "An error occurred while executing the state 'W' (entered at the event id #2). \
             The SecondsPath parameter does not reference an input value: $.in.s"
        )
    );
}

#[tokio::test]
async fn a_wait_beyond_24855_days_is_too_long() {
    // TestSfnWait_test_timestamp_too_far_in_future_boundary_24856 records the error (its
    // timestamp masked): 24,856 days ahead is too long; 24,855 days is not.
    let def = r#"{"StartAt": "W", "States": {"W": {"Type": "Wait", "TimestampPath": "$.t", "End": true}}}"#;
    let (e, clock) = crate::support::virtual_engine();
    let ahead = |days: i64| {
        (sfn_runtime::local::Clock::now(&*clock) + chrono::Duration::days(days))
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    };
    let done = run(&e, "m", def, json!({"t": ahead(24_856)})).await;
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert!(
        done.cause
            .unwrap_or_default()
            .ends_with("Wait state delay is too long."),
    );
    let done = run(&e, "m2", def, json!({"t": ahead(24_855)})).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
}

#[tokio::test]
async fn a_negative_max_concurrency_path_is_refused() {
    // AWS's words, as LocalStack's AWS-checked tests record them.
    let def = r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.items",
        "MaxConcurrencyPath": "$.max",
        "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
        "End": true}}}"#;
    let done = run(&engine(), "m", def, json!({"items": [1], "max": -1})).await;
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some("States.Runtime"));
    assert!(
        done.cause
            .unwrap_or_default()
            .ends_with("Expected non-negative integer for MaxConcurrency, got '-1' instead."),
    );
    let done = run(&engine(), "m2", def, json!({"items": [1], "max": 0})).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded);
}

/// Each field that takes a JSONata expression also takes the literal AWS documents for it
/// ("Transforming data with JSONata"): integers for `Seconds`, `MaxConcurrency`,
/// `ToleratedFailureCount`/`Percentage`; a
/// timestamp string for `Timestamp`; an array for `Items`, with `{% %}` strings inside it
/// evaluated; any JSON for `Output`, `Assign` and `ItemSelector`, with `{% %}` strings at any
/// depth evaluated and other values kept as they are.
#[tokio::test]
async fn jsonata_fields_take_their_literal_forms() {
    let def = r#"{"QueryLanguage": "JSONata", "StartAt": "W", "States": {
        "W": {"Type": "Wait", "Seconds": 0, "Next": "W2"},
        "W2": {"Type": "Wait", "Seconds": "{% 0 %}", "Next": "W3"},
        "W3": {"Type": "Wait", "Timestamp": "2020-01-01T00:00:00Z", "Next": "M"},
        "M": {"Type": "Map", "Items": [1, "{% 1 + 1 %}", 3], "MaxConcurrency": 2,
              "ToleratedFailureCount": 0, "ToleratedFailurePercentage": 0,
              "ItemSelector": {"v": "{% $states.context.Map.Item.Value %}", "lit": 5},
              "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "P",
                  "States": {"P": {"Type": "Pass", "Output": "{% $states.input.v * $states.input.lit %}", "End": true}}},
              "Output": {"r": "{% $states.result %}", "x": [true, null, 1.5, "{% 'a' & 'b' %}", "plain"]},
              "Assign": {"z": {"deep": ["{% 40 + 2 %}"]}}, "Next": "Z"},
        "Z": {"Type": "Pass", "Output": "{% $merge([$states.input, {'z': $z}]) %}", "End": true}}}"#;
    let done = run(&engine(), "literals", def, json!({})).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    assert_eq!(
        done.output,
        Some(json!({"r": [5, 10, 15], "x": [true, null, 1.5, "ab", "plain"], "z": {"deep": [42]}}))
    );
}

#[tokio::test]
async fn only_the_states_that_can_retry_count_retries_in_the_context_object() {
    let def = r#"{"StartAt": "P", "States": {
        "P": {"Type": "Pass", "Parameters": {"state.$": "$$.State"}, "ResultPath": "$.pass", "Next": "T"},
        "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:echo",
              "Parameters": {"state.$": "$$.State"}, "ResultPath": "$.task", "End": true}}}"#;
    let engine = engine();
    engine.register_handler(
        "arn:aws:lambda:us-east-1:123456789012:function:echo",
        |req: sfn_runtime::local::TaskRequest| async move { Ok(req.input) },
    );
    let done = run(&engine, "m", def, json!({})).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    let output = done.output.unwrap_or_default();
    let pass = &output["pass"]["state"];
    assert_eq!(pass["Name"], json!("P"));
    assert_eq!(pass.get("RetryCount"), None, "{pass}");
    assert_eq!(output["task"]["state"]["Name"], json!("T"));
    assert_eq!(output["task"]["state"]["RetryCount"], json!(0));
}

#[tokio::test]
async fn an_api_gateway_header_that_is_not_a_list_fails_before_the_task_starts() {
    // AWS refuses the parameters before it schedules the task.
    let def = r#"{"StartAt": "Api", "States": {"Api": {"Type": "Task",
        "Resource": "arn:aws:states:::apigateway:invoke",
        "Parameters": {"ApiEndpoint": "example.com", "Method": "GET", "Headers.$": "$.h"},
        "End": true}}}"#;
    let e = engine();
    let done = run(&e, "m", def, json!({"h": {"custom": "one"}})).await;
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some("States.Runtime"));
    assert_eq!(
        done.cause.as_deref(),
        Some(
            "An error occurred while executing the state 'Api' (entered at the event id #2). \
             The Parameters '{\"ApiEndpoint\":\"example.com\",\"Method\":\"GET\",\"Headers\":{\"custom\":\"one\"}}' \
             could not be used to start the Task: [The value of the field 'Headers' has an invalid format]"
        )
    );
    let types = crate::support::types(&crate::support::history(&e, &done.execution_arn));
    assert_eq!(
        types,
        ["ExecutionStarted", "TaskStateEntered", "ExecutionFailed"]
    );
}

#[tokio::test]
async fn a_jsonata_choice_condition_may_be_a_boolean_literal() {
    // AWS accepts `"Condition": true` (and false) and runs the rule on it.
    for (literal, output) in [
        (true, json!({"took": "yes"})),
        (false, json!({"took": "no"})),
    ] {
        let def = format!(
            r#"{{"QueryLanguage": "JSONata", "StartAt": "C", "States": {{
                "C": {{"Type": "Choice", "Choices": [{{"Condition": {literal}, "Next": "Yes"}}], "Default": "No"}},
                "Yes": {{"Type": "Pass", "Output": {{"took": "yes"}}, "End": true}},
                "No": {{"Type": "Pass", "Output": {{"took": "no"}}, "End": true}}}}}}"#
        );
        let done = run(&engine(), "m", &def, json!({})).await;
        assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
        assert_eq!(done.output, Some(output));
    }
}

#[tokio::test]
async fn a_request_response_task_sees_no_task_token_in_the_context_object() {
    // As AWS records it: `$$` of a `lambda:invoke` task has Execution, StateMachine and
    // State, no `Task` (the token is for `.sync` and `.waitForTaskToken`).
    let engine = engine();
    engine.register_handler(
        "arn:aws:states:::lambda:invoke",
        |req: sfn_runtime::local::TaskRequest| async move { Ok(req.input) },
    );
    let def = r#"{"StartAt": "T", "States": {"T": {"Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "f", "Payload": {"ctx.$": "$$"}}, "End": true}}}"#;
    let done = run(&engine, "m", def, json!({})).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    let ctx = &done.output.unwrap_or_default()["Payload"]["ctx"];
    assert!(ctx["State"]["Name"] == json!("T"), "{ctx}");
    assert!(ctx.get("Task").is_none(), "{ctx}");
}
