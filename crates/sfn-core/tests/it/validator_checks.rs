//! One test per validator check: the diagnostic's code and location.

use serde_json::{Value, json};
use sfn_core::{
    DiagnosticCode as C, Severity,
    model::ExecutionType,
    validate::{ValidateOptions, validate_value, validate_value_with},
};

fn machine(states: Value) -> Value {
    let start = states
        .as_object()
        .and_then(|m| m.keys().next().cloned())
        .unwrap_or_default();
    json!({"StartAt": start, "States": states})
}

#[track_caller]
fn has(def: &Value, code: C, pointer: &str) {
    let d = validate_value(def);
    assert!(
        d.iter().any(|x| x.code == code && x.pointer == pointer),
        "expected {code} at {pointer:?}; got:\n{d}"
    );
}

#[track_caller]
fn error(def: &Value, pointer: &str) {
    let d = validate_value(def);
    assert!(
        d.errors().any(|x| x.pointer == pointer),
        "expected an error at {pointer:?}; got:\n{d}"
    );
}

#[track_caller]
fn valid(def: &Value) {
    let d = validate_value(def);
    assert!(d.is_valid(), "expected valid; got:\n{d}");
}

#[test]
fn required_fields() {
    has(
        &json!({"States": {"A": {"Type": "Pass", "End": true}}}),
        C::SchemaValidationFailed,
        "",
    );
    has(&json!({"StartAt": "A"}), C::SchemaValidationFailed, "");
    error(
        &machine(json!({"A": {"Type": "Task", "End": true}})),
        "/States/A",
    );
    error(&machine(json!({"A": {"End": true}})), "/States/A");
    error(
        &machine(json!({"A": {"Type": "Choice", "Default": "A"}})),
        "/States/A",
    );
}

#[test]
fn not_an_object() {
    has(&json!([1]), C::SchemaValidationFailed, "");
    let d = sfn_core::validate_str("");
    assert!(!d.is_valid());
    let d = sfn_core::validate_str("{");
    assert!(d.iter().any(|x| x.code == C::InvalidJsonDescription));
}

#[test]
fn unknown_and_misplaced_fields() {
    error(
        &machine(json!({"A": {"Type": "Pass", "End": true, "Bogus": 1}})),
        "/States/A/Bogus",
    );
    error(
        &machine(json!({"A": {"Type": "Succeed", "Next": "A"}})),
        "/States/A/Next",
    );
    error(
        &machine(json!({"A": {"Type": "Fail", "ResultPath": "$.x"}})),
        "/States/A/ResultPath",
    );
    error(
        &json!({"StartAt": "A", "Extra": 1, "States": {"A": {"Type": "Succeed"}}}),
        "/Extra",
    );
}

#[test]
fn types_and_ranges() {
    error(
        &machine(json!({"A": {"Type": "Unknown", "End": true}})),
        "/States/A/Type",
    );
    error(
        &machine(
            json!({"A": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f", "TimeoutSeconds": 0, "End": true}}),
        ),
        "/States/A/TimeoutSeconds",
    );
    error(
        &machine(
            json!({"A": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f", "TimeoutSeconds": "5", "End": true}}),
        ),
        "/States/A/TimeoutSeconds",
    );
    error(
        &machine(json!({"A": {"Type": "Wait", "Seconds": -1, "End": true}})),
        "/States/A/Seconds",
    );
    error(
        &machine(
            json!({"A": {"Type": "Map", "MaxConcurrency": -2, "ItemProcessor": {"StartAt": "B", "States": {"B": {"Type": "Succeed"}}}, "End": true}}),
        ),
        "/States/A/MaxConcurrency",
    );
}

#[test]
fn heartbeat_below_timeout() {
    error(
        &machine(
            json!({"A": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f", "TimeoutSeconds": 10, "HeartbeatSeconds": 10, "End": true}}),
        ),
        "/States/A/HeartbeatSeconds",
    );
    error(
        &machine(
            json!({"A": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f", "TimeoutSeconds": 10, "TimeoutSecondsPath": "$.t", "End": true}}),
        ),
        "/States/A",
    );
}

#[test]
fn transitions() {
    has(
        &json!({"StartAt": "X", "States": {"A": {"Type": "Succeed"}}}),
        C::MissingTransitionTarget,
        "/StartAt",
    );
    has(
        &machine(json!({"A": {"Type": "Pass", "Next": "Nope"}})),
        C::MissingTransitionTarget,
        "/States/A/Next",
    );
    has(
        &machine(
            json!({"A": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "Nope"}], "Default": "Gone"}}),
        ),
        C::MissingTransitionTarget,
        "/States/A/Choices/0/Next",
    );
    has(
        &machine(
            json!({"A": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "A"}], "Default": "Gone"}}),
        ),
        C::MissingTransitionTarget,
        "/States/A/Default",
    );
    error(
        &machine(json!({"A": {"Type": "Pass", "Next": "A", "End": true}})),
        "/States/A",
    );
    error(&machine(json!({"A": {"Type": "Pass"}})), "/States/A");
}

#[test]
fn nested_targets_stay_in_their_scope() {
    let def = machine(json!({
        "P": {"Type": "Parallel", "End": true, "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Pass", "Next": "P"}}}]}
    }));
    has(
        &def,
        C::MissingTransitionTarget,
        "/States/P/Branches/0/States/B/Next",
    );
    let def = machine(json!({
        "P": {"Type": "Parallel", "End": true, "Branches": [{"StartAt": "Nope", "States": {"B": {"Type": "Succeed"}}}]}
    }));
    has(
        &def,
        C::MissingTransitionTarget,
        "/States/P/Branches/0/StartAt",
    );
}

#[test]
fn unreachable_and_terminal() {
    has(
        &machine(json!({"A": {"Type": "Succeed"}, "B": {"Type": "Succeed"}})),
        C::UnreachableState,
        "/States/B",
    );
    has(
        &machine(json!({"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "A"}})),
        C::MissingEndState,
        "",
    );
    let d = validate_value(&machine(json!({
        "A": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "L"}], "Default": "E"},
        "L": {"Type": "Pass", "Next": "L"},
        "E": {"Type": "Succeed"}
    })));
    assert!(d.is_valid(), "{d}");
    assert!(
        d.warnings().any(|w| w.code == C::NoTerminalReachable
            && w.pointer == "/States/L"
            && w.message.contains("ends in a loop")),
        "{d}"
    );
    // A state that only leads to a missing target does not loop: its error says it all.
    let d = validate_value(&machine(json!({
        "A": {"Type": "Pass", "Next": "Nowhere"},
        "E": {"Type": "Succeed"}
    })));
    assert!(!d.iter().any(|w| w.code == C::NoTerminalReachable), "{d}");
}

#[test]
fn duplicate_names() {
    has(
        &machine(json!({
            "A": {"Type": "Map", "End": true, "ItemProcessor": {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}}
        })),
        C::DuplicateStateName,
        "/States/A/ItemProcessor/States/A",
    );
    // Sibling branches may repeat a name.
    valid(&machine(json!({
        "P": {"Type": "Parallel", "End": true, "Branches": [
            {"StartAt": "X", "States": {"X": {"Type": "Succeed"}}},
            {"StartAt": "X", "States": {"X": {"Type": "Succeed"}}}
        ]}
    })));
}

#[test]
fn state_names() {
    let long = "n".repeat(81);
    has(
        &json!({"StartAt": long, "States": {long.clone(): {"Type": "Succeed"}}}),
        C::InvalidStateName,
        &format!("/States/{long}"),
    );
}

#[test]
fn paths() {
    has(
        &machine(json!({"A": {"Type": "Pass", "InputPath": "$.a[", "End": true}})),
        C::InvalidJsonPath,
        "/States/A/InputPath",
    );
    error(
        &machine(json!({"A": {"Type": "Pass", "ResultPath": "$.a[*]", "End": true}})),
        "/States/A/ResultPath",
    );
    error(
        &machine(json!({"A": {"Type": "Pass", "ResultPath": "$$.a", "End": true}})),
        "/States/A/ResultPath",
    );
    error(
        &machine(json!({"A": {"Type": "Pass", "Parameters": {"x.$": "nope"}, "End": true}})),
        "/States/A/Parameters/x.$",
    );
    error(
        &machine(json!({"A": {"Type": "Pass", "Parameters": {"x.$": 3}, "End": true}})),
        "/States/A/Parameters/x.$",
    );
    error(
        &machine(json!({"A": {"Type": "Pass", "Parameters": {"x.$": "$.a", "x": 1}, "End": true}})),
        "/States/A/Parameters/x.$",
    );
    valid(&machine(
        json!({"A": {"Type": "Pass", "InputPath": null, "ResultPath": null, "OutputPath": "$$.Execution.Input", "End": true}}),
    ));
}

#[test]
fn intrinsic_functions() {
    error(
        &machine(
            json!({"A": {"Type": "Pass", "Parameters": {"x.$": "States.Nope(1)"}, "End": true}}),
        ),
        "/States/A/Parameters/x.$",
    );
    error(
        &machine(
            json!({"A": {"Type": "Pass", "Parameters": {"x.$": "States.MathAdd(1)"}, "End": true}}),
        ),
        "/States/A/Parameters/x.$",
    );
    error(
        &machine(
            json!({"A": {"Type": "Pass", "Parameters": {"x.$": "States.Format('{} {}', 1)"}, "End": true}}),
        ),
        "/States/A/Parameters/x.$",
    );
    error(
        &machine(json!({"A": {"Type": "Fail", "ErrorPath": "States.MathAdd(1, 2)"}})),
        "/States/A/ErrorPath",
    );
    valid(&machine(
        json!({"A": {"Type": "Fail", "ErrorPath": "States.Format('E{}', $.n)", "CausePath": "$.c"}}),
    ));
}

#[test]
fn query_languages() {
    error(
        &machine(
            json!({"A": {"Type": "Pass", "QueryLanguage": "JSONata", "Parameters": {}, "End": true}}),
        ),
        "/States/A/Parameters",
    );
    error(
        &machine(json!({"A": {"Type": "Pass", "Output": {}, "End": true}})),
        "/States/A/Output",
    );
    error(
        &machine(json!({"A": {"Type": "Pass", "QueryLanguage": "SQL", "End": true}})),
        "/States/A/QueryLanguage",
    );
    error(
        &json!({"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "QueryLanguage": "JSONPath", "End": true}}}),
        "/States/A",
    );
    error(
        &json!({"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsNull": true, "Next": "A"}]}}}),
        "/States/A/Choices/0/Variable",
    );
}

#[test]
fn retry_and_catch() {
    let task = |retry: Value| {
        machine(
            json!({"A": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f", "Retry": retry, "End": true}}),
        )
    };
    error(
        &task(json!([{"ErrorEquals": ["States.ALL"], "BackoffRate": 0.5}])),
        "/States/A/Retry/0/BackoffRate",
    );
    error(
        &task(json!([{"ErrorEquals": ["States.ALL"], "MaxAttempts": -1}])),
        "/States/A/Retry/0/MaxAttempts",
    );
    error(
        &task(json!([{"ErrorEquals": ["States.ALL"], "JitterStrategy": "SOME"}])),
        "/States/A/Retry/0/JitterStrategy",
    );
    error(
        &task(json!([{"ErrorEquals": ["States.ALL", "X"]}])),
        "/States/A/Retry/0/ErrorEquals/0",
    );
    error(
        &task(json!([{"ErrorEquals": []}])),
        "/States/A/Retry/0/ErrorEquals",
    );
    error(
        &task(json!([{"ErrorEquals": ["States.Bogus"]}])),
        "/States/A/Retry/0/ErrorEquals/0",
    );
    error(&task(json!([{"IntervalSeconds": 1}])), "/States/A/Retry/0");
    error(
        &task(json!([{"ErrorEquals": ["States.ALL"]}, {"ErrorEquals": ["X"]}])),
        "/States/A/Retry/0/ErrorEquals",
    );
    valid(&task(
        json!([{"ErrorEquals": ["X"]}, {"ErrorEquals": ["States.ALL"]}]),
    ));
    error(
        &machine(
            json!({"A": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f", "End": true, "Catch": [
                {"ErrorEquals": ["States.ALL"], "Next": "A"}, {"ErrorEquals": ["X"], "Next": "A"}
            ]}}),
        ),
        "/States/A/Catch/0/ErrorEquals",
    );
    error(
        &machine(
            json!({"A": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f", "Catch": [{"ErrorEquals": ["States.ALL"]}], "End": true}}),
        ),
        "/States/A/Catch/0",
    );
}

#[test]
fn choice_rules() {
    let choice = |rule: Value| {
        machine(
            json!({"A": {"Type": "Choice", "Choices": [rule], "Default": "B"}, "B": {"Type": "Succeed"}}),
        )
    };
    error(
        &machine(json!({"A": {"Type": "Choice", "Choices": []}})),
        "/States/A/Choices",
    );
    error(
        &choice(json!({"Variable": "$.x", "NumericEquals": "1", "Next": "B"})),
        "/States/A/Choices/0/NumericEquals",
    );
    error(
        &choice(json!({"Variable": "$.x", "TimestampEquals": "yesterday", "Next": "B"})),
        "/States/A/Choices/0/TimestampEquals",
    );
    error(
        &choice(json!({"Variable": "$.x", "Next": "B"})),
        "/States/A/Choices/0",
    );
    error(
        &choice(json!({"Variable": "$.x", "IsNull": true, "IsString": true, "Next": "B"})),
        "/States/A/Choices/0/IsString",
    );
    error(
        &choice(json!({"Not": {"Variable": "$.x", "IsNull": true, "Next": "B"}, "Next": "B"})),
        "/States/A/Choices/0/Not/Next",
    );
    error(
        &choice(json!({"Variable": "$.x", "IsNull": true})),
        "/States/A/Choices/0",
    );
    valid(&choice(
        json!({"Or": [{"Variable": "$.x", "StringEqualsPath": "$.y"}, {"Variable": "$.x", "StringMatches": "a*"}], "Next": "B"}),
    ));
}

#[test]
fn two_comparison_operators_are_not_unknown_fields() {
    let def = machine(
        json!({"A": {"Type": "Choice", "Choices": [{"Variable": "$.x", "StringEquals": "a", "NumericEquals": 1, "Next": "B"}], "Default": "B"}, "B": {"Type": "Succeed"}}),
    );
    let d = validate_value(&def);
    let errors: Vec<_> = d.errors().collect();
    assert!(
        !errors.is_empty()
            && errors
                .iter()
                .all(|e| e.message.contains("only one comparison operator")),
        "expected only 'one comparison operator' errors; got:\n{d}"
    );
}

#[test]
fn wait_forms() {
    error(
        &machine(json!({"A": {"Type": "Wait", "Seconds": 1, "SecondsPath": "$.s", "End": true}})),
        "/States/A",
    );
    error(
        &machine(json!({"A": {"Type": "Wait", "End": true}})),
        "/States/A",
    );
    error(
        &machine(json!({"A": {"Type": "Wait", "Timestamp": "2016-03-14 01:59:00Z", "End": true}})),
        "/States/A/Timestamp",
    );
    valid(&machine(
        json!({"A": {"Type": "Wait", "Timestamp": "2016-03-14T01:59:00.123+02:00", "End": true}}),
    ));
    // The validator accepts exactly what the engine can wait for: one timestamp reader.
    error(
        &machine(json!({"A": {"Type": "Wait", "Timestamp": "2030-03-14T01:59:00z", "End": true}})),
        "/States/A/Timestamp",
    );
    let choice = machine(json!({"A": {"Type": "Choice", "Choices": [
        {"Variable": "$.t", "TimestampEquals": "2030-03-14T01:59:00z", "Next": "B"}
    ], "Default": "B"}, "B": {"Type": "Succeed"}}));
    error(&choice, "/States/A/Choices/0/TimestampEquals");
}

#[test]
fn fail_fields() {
    error(
        &machine(json!({"A": {"Type": "Fail", "Error": "E", "ErrorPath": "$.e"}})),
        "/States/A",
    );
}

#[test]
fn map_rules() {
    let map = |extra: Value| {
        let mut m = json!({"Type": "Map", "End": true, "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "B", "States": {"B": {"Type": "Succeed"}}}});
        if let (Some(o), Value::Object(e)) = (m.as_object_mut(), extra) {
            o.extend(e);
        }
        machine(json!({"A": m}))
    };
    error(&map(json!({"Label": "l".repeat(41)})), "/States/A/Label");
    error(&map(json!({"Label": "a:b"})), "/States/A/Label");
    error(
        &map(json!({"ToleratedFailurePercentage": 101})),
        "/States/A/ToleratedFailurePercentage",
    );
    error(
        &map(json!({"ItemSelector": {}, "Parameters": {}})),
        "/States/A",
    );
    error(
        &map(
            json!({"ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"MaxItems": 1, "MaxItemsPath": "$.m"}}}),
        ),
        "/States/A/ItemReader/ReaderConfig",
    );
    error(
        &map(json!({"ResultWriter": {"WriterConfig": {}}})),
        "/States/A/ResultWriter",
    );
    error(
        &machine(json!({"A": {"Type": "Map", "End": true}})),
        "/States/A",
    );
    valid(&map(
        json!({"Label": "ok", "ToleratedFailureCount": 3, "ItemBatcher": {"MaxItemsPerBatch": 10}}),
    ));
}

#[test]
fn resources() {
    has(
        &machine(json!({"A": {"Type": "Task", "Resource": "not a uri", "End": true}})),
        C::SchemaValidationFailed,
        "/States/A/Resource",
    );
    valid(&machine(
        json!({"A": {"Type": "Task", "Resource": "${FunctionArn}", "TimeoutSeconds": 1, "End": true}}),
    ));
}

fn task(resource: &str) -> Value {
    machine(json!({"A": {"Type": "Task", "Resource": resource, "TimeoutSeconds": 5, "End": true}}))
}

/// Accepted and refused `Resource` forms, one family at a time, from AWS's service
/// integration pages (the patterns each action supports) and AWS's error for the rest.
#[track_caller]
fn families(accepted: &[&str], refused: &[&str]) {
    for r in accepted {
        valid(&task(r));
    }
    for r in refused {
        let d = validate_value(&task(r));
        assert!(
            d.errors().any(|x| x.code == C::SchemaValidationFailed
                && x.pointer == "/States/A/Resource"
                && x.message == format!("The resource provided {r} is not recognized. The value is not a valid resource ARN, or the resource is not available in this region.")),
            "{r} must be refused as AWS refuses it; got:\n{d}"
        );
    }
}

#[test]
fn resource_lambda() {
    families(
        &[
            "arn:aws:states:::lambda:invoke",
            "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "arn:aws:lambda:us-east-1:123456789012:function:f",
            "arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST",
            "arn:aws:lambda:us-east-1:123456789012:function:f:7",
            "arn:aws:lambda:us-east-1:123456789012:function:f:live",
        ],
        &[
            "arn:aws:states:::lambda:invoke.sync",
            "arn:aws:states:::lambda:call",
            "arn:aws:lambda:us-east-1:123456789012:function:f:$NEXT",
            "arn:aws:lambda:::function:f",
        ],
    );
}

#[test]
fn resource_step_functions() {
    families(
        &[
            "arn:aws:states:::states:startExecution",
            "arn:aws:states:::states:startExecution.sync",
            "arn:aws:states:::states:startExecution.sync:2",
            "arn:aws:states:::states:startExecution.waitForTaskToken",
            "arn:aws:states:us-east-1:123456789012:activity:work",
            "arn:aws:states:::activity:work",
        ],
        &[
            "arn:aws:states:::states:startSyncExecution",
            "arn:aws:states:::states:startExecution.sync:3",
            "arn:aws:states:us-east-1:123456789012:stateMachine:m",
            "arn:aws:states:us-east-1:123456789012:activity:bad/name",
        ],
    );
}

#[test]
fn resource_jobs() {
    families(
        &[
            "arn:aws:states:::batch:submitJob.sync",
            "arn:aws:states:::ecs:runTask.sync",
            "arn:aws:states:::ecs:runTask.waitForTaskToken",
            "arn:aws:states:::glue:startJobRun.sync",
            "arn:aws:states:::athena:startQueryExecution.sync",
            "arn:aws:states:::elasticmapreduce:createCluster.sync",
            "arn:aws:states:::sagemaker:createTrainingJob.sync",
            "arn:aws:states:::codebuild:startBuild.sync",
        ],
        &[
            "arn:aws:states:::batch:submitJob.waitForTaskToken",
            "arn:aws:states:::glue:startCrawler",
            "arn:aws:states:::athena:getQueryResults.sync",
            "arn:aws:states:::sagemaker:createModel.sync",
        ],
    );
}

#[test]
fn resource_messaging_and_data() {
    families(
        &[
            "arn:aws:states:::sqs:sendMessage",
            "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "arn:aws:states:::sns:publish.waitForTaskToken",
            "arn:aws:states:::events:putEvents.waitForTaskToken",
            "arn:aws:states:::apigateway:invoke.waitForTaskToken",
            "arn:aws:states:::dynamodb:updateItem",
            "arn:aws:states:::http:invoke",
            "arn:aws-cn:states:::dynamodb:getItem",
        ],
        &[
            "arn:aws:states:::sqs:sendMessage.sync",
            "arn:aws:states:::dynamodb:query",
            "arn:aws:states:::dynamodb:getItem.waitForTaskToken",
            "arn:aws:states:::sns:publishBatch",
            "arn:aws:states:::http:invoke.waitForTaskToken",
        ],
    );
}

#[test]
fn resource_aws_sdk() {
    families(
        &[
            "arn:aws:states:::aws-sdk:s3:listBuckets",
            "arn:aws:states:::aws-sdk:dynamodb:query",
            "arn:aws:states:::aws-sdk:sfn:startExecution.waitForTaskToken",
        ],
        &[
            "arn:aws:states:::aws-sdk:sfn:startExecution.sync",
            "arn:aws:states:::aws-sdk:s3:ListBuckets",
            "arn:aws:states:::aws-sdk:s3",
        ],
    );
}

#[test]
fn resource_substitutions_and_others() {
    families(
        &[
            "${FunctionArn}",
            "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${Name}",
        ],
        &[
            "${FunctionArn",
            "${}",
            "foo:bar",
            "arn:x",
            "arn:aws:swf:us-east-1:123456789012:task:X",
            "arn:aws:states:::foo:bar",
        ],
    );
}

#[test]
fn reader_and_writer_resources() {
    let map = |reader: &str, writer: &str| {
        machine(json!({"A": {"Type": "Map", "End": true,
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
            "ItemReader": {"Resource": reader, "Parameters": {"Bucket": "b", "Key": "k"}},
            "ResultWriter": {"Resource": writer, "Parameters": {"Bucket": "b", "Prefix": "p"}}}}))
    };
    valid(&map(
        "arn:aws:states:::s3:getObject",
        "arn:aws:states:::s3:putObject",
    ));
    valid(&map(
        "arn:aws:states:::s3:listObjectsV2",
        "arn:aws:states:::s3:putObject",
    ));
    has(
        &map(
            "arn:aws:states:::s3:putObject",
            "arn:aws:states:::s3:putObject",
        ),
        C::SchemaValidationFailed,
        "/States/A/ItemReader/Resource",
    );
    has(
        &map(
            "arn:aws:states:::s3:getObject",
            "arn:aws:states:::s3:getObject",
        ),
        C::SchemaValidationFailed,
        "/States/A/ResultWriter/Resource",
    );
}

#[test]
fn credentials_name_the_role() {
    let with = |ql: &str, credentials: Value| {
        json!({"QueryLanguage": ql, "StartAt": "A", "States": {"A": {"Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke", "TimeoutSeconds": 5,
            "Credentials": credentials, "End": true}}})
    };
    valid(&with(
        "JSONPath",
        json!({"RoleArn": "arn:aws:iam::123456789012:role/r"}),
    ));
    valid(&with("JSONPath", json!({"RoleArn.$": "$.role"})));
    valid(&with(
        "JSONata",
        json!({"RoleArn": "{% $states.input.role %}"}),
    ));
    error(&with("JSONPath", json!({})), "/States/A/Credentials");
    // AWS reports the missing role alone, whatever else the object holds.
    let d = validate_value(&with("JSONPath", json!({"roleArn": "x"})));
    let errors: Vec<_> = d
        .errors()
        .map(|e| (e.location(), e.message.as_str()))
        .collect();
    assert_eq!(
        errors,
        [(
            "/States/A/Credentials",
            "The field 'RoleArn' is required but was missing"
        )]
    );
    error(
        &with(
            "JSONPath",
            json!({"RoleArn": "arn:aws:iam::123456789012:role/r", "roleArn": "x"}),
        ),
        "/States/A/Credentials/roleArn",
    );
    error(
        &with("JSONPath", json!({"RoleArn": "a", "RoleArn.$": "$.r"})),
        "/States/A/Credentials",
    );
    error(
        &with("JSONata", json!({"RoleArn.$": "$.role"})),
        "/States/A/Credentials",
    );
    error(
        &with("JSONPath", json!({"RoleArn": 5})),
        "/States/A/Credentials/RoleArn",
    );
}

#[test]
fn express_restrictions() {
    let def = machine(
        json!({"A": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "End": true}}),
    );
    assert!(validate_value(&def).is_valid());
    let (_, d) = validate_value_with(
        &def,
        ValidateOptions {
            machine_type: ExecutionType::Express,
            ..Default::default()
        },
    );
    assert!(d.errors().any(|e| e.pointer == "/States/A/Resource"), "{d}");
}

#[test]
fn warnings() {
    let d = validate_value(&machine(
        json!({"A": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f", "End": true}}),
    ));
    assert!(d.is_valid());
    assert!(
        d.warnings()
            .any(|w| w.code == C::TaskWithoutTimeout && w.severity == Severity::Warning)
    );
    let d = validate_value(&machine(
        json!({"A": {"Type": "Pass", "Parameters": {"x": "$.y"}, "End": true}}),
    ));
    assert!(
        d.warnings()
            .any(|w| w.code == C::NoDollar && w.pointer == "/States/A/Parameters/x"),
        "{d}"
    );
    let (_, d) = validate_value_with(
        &machine(
            json!({"A": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f", "End": true}}),
        ),
        ValidateOptions {
            warnings: false,
            ..Default::default()
        },
    );
    assert!(d.is_empty());
}

#[test]
fn definition_size_limit() {
    let big = "x".repeat(1_048_577);
    let def = machine(json!({"A": {"Type": "Pass", "Result": big, "End": true}}));
    has(&def, C::DefinitionTooLarge, "");
}

#[test]
fn every_problem_at_once() {
    let d = validate_value(&machine(json!({
        "A": {"Type": "Pass", "InputPath": "bad", "Next": "Nope"},
        "B": {"Type": "Wait", "End": true},
        "C": {"Type": "Fail", "Bogus": 1}
    })));
    // B and C, cut off by the missing target, are named in its note, and reported as
    // unreachable too, as AWS reports them.
    assert!(d.errors().count() >= 4, "{d}");
    let text = d.to_string();
    assert!(text.contains("this cuts off 'B', 'C'"), "{d}");
    assert!(text.contains("State \"B\" is not reachable."), "{d}");
    assert!(text.contains("State \"C\" is not reachable."), "{d}");
}

/// The errors, as `pointer CODE message (notes)`, in the order reported.
fn errors_of(def: &Value) -> Vec<String> {
    let d = validate_value_with(
        def,
        ValidateOptions {
            warnings: false,
            ..ValidateOptions::default()
        },
    )
    .1;
    d.errors()
        .map(|x| format!("{} {} {} {:?}", x.pointer, x.code, x.message, x.notes))
        .collect()
}

#[test]
fn a_misspelled_target_names_what_it_cuts_off_which_is_unreachable() {
    let def = machine(json!({
        "Start": {"Type": "Pass", "Next": "IsBgi"},
        "IsBig": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 100, "Next": "Big"}], "Default": "Small"},
        "Big": {"Type": "Pass", "Next": "Done"},
        "Small": {"Type": "Pass", "Next": "Done"},
        "Done": {"Type": "Succeed"},
    }));
    assert_eq!(
        errors_of(&def),
        [
            "/States/Start/Next MISSING_TRANSITION_TARGET Missing 'Next' target: IsBgi [\"did you mean 'IsBig'?\", \"this cuts off 'IsBig', 'Small', 'Big', 'Done', which nothing else leads to\"]",
            "/States/IsBig MISSING_TRANSITION_TARGET State \"IsBig\" is not reachable. [\"so are the states it leads to: 'Small', 'Big', 'Done'\"]",
        ]
    );
}

#[test]
fn a_target_with_no_likely_meaning_takes_the_cut_off_states() {
    let def = machine(json!({
        "A": {"Type": "Pass", "Next": "Nowhere"},
        "B": {"Type": "Succeed"},
    }));
    assert_eq!(
        errors_of(&def),
        [
            "/States/A/Next MISSING_TRANSITION_TARGET Missing 'Next' target: Nowhere [\"this cuts off 'B', which nothing else leads to\"]",
            "/States/B MISSING_TRANSITION_TARGET State \"B\" is not reachable. []",
        ]
    );
}

#[test]
fn a_choice_without_rules_takes_the_cut_off_states() {
    let def = machine(json!({
        "IsBig": {"Type": "Choice", "Choices": []},
        "Big": {"Type": "Pass", "Next": "Done"},
        "Done": {"Type": "Succeed"},
    }));
    assert_eq!(
        errors_of(&def),
        [
            "/States/IsBig/Choices SCHEMA_VALIDATION_FAILED Value cannot be empty [\"at least one choice rule is needed\", \"this cuts off 'Big', 'Done', which nothing else leads to\"]"
        ]
    );
}

#[test]
fn a_misspelled_next_is_the_one_error() {
    let def = machine(json!({
        "Start": {"Type": "Pass", "Nxt": "Work"},
        "Work": {"Type": "Pass", "Next": "Done"},
        "Done": {"Type": "Succeed"},
    }));
    assert_eq!(
        errors_of(&def),
        [
            "/States/Start/Nxt SCHEMA_VALIDATION_FAILED Field 'Nxt' is not a known field of a Pass state; did you mean 'Next'? [\"this cuts off 'Work', 'Done', which nothing else leads to\"]"
        ]
    );
}

#[test]
fn a_true_orphan_is_still_unreachable() {
    let def = machine(json!({
        "A": {"Type": "Pass", "Next": "Bb"},
        "B": {"Type": "Succeed"},
        "Orphan": {"Type": "Succeed"},
    }));
    let errors = errors_of(&def);
    assert_eq!(errors.len(), 3, "{errors:#?}");
    assert!(errors[0].contains("did you mean 'B'?"), "{errors:#?}");
    assert!(
        errors[1].starts_with("/States/B MISSING_TRANSITION_TARGET State \"B\" is not reachable."),
        "{errors:#?}"
    );
    assert!(
        errors[2].starts_with(
            "/States/Orphan MISSING_TRANSITION_TARGET State \"Orphan\" is not reachable."
        ),
        "{errors:#?}"
    );
}

/// The errors of `text` validated as `machine_type`, as AWS reports them: code, location
/// and message.
fn aws_errors(text: &str, machine_type: ExecutionType) -> Vec<(String, Option<String>, String)> {
    let options = ValidateOptions {
        machine_type,
        warnings: false,
    };
    let (_, d) = sfn_core::validate::validate_str_with(text, options);
    d.errors()
        .map(|e| {
            (
                e.code.to_string(),
                e.aws_location().map(|l| l.into_owned()),
                e.message.clone(),
            )
        })
        .collect()
}

#[track_caller]
fn aws_error(text: &str, machine_type: ExecutionType, location: Option<&str>, message: &str) {
    assert_eq!(
        aws_errors(text, machine_type),
        [(
            "SCHEMA_VALIDATION_FAILED".to_owned(),
            location.map(str::to_owned),
            message.to_owned()
        )]
    );
}

fn task_of(resource: &str) -> String {
    json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": resource, "End": true}}})
        .to_string()
}

#[test]
fn express_restrictions_in_aws_words() {
    let e = ExecutionType::Express;
    aws_error(
        &task_of("arn:aws:states:us-east-1:123456789012:activity:work"),
        e,
        Some("/States/T/Resource"),
        "Express state machine does not support Activity ARN",
    );
    aws_error(
        &task_of("arn:aws:states:::states:startExecution.sync:2"),
        e,
        Some("/States/T/Resource"),
        "Express state machine does not support '.sync' service integration",
    );
    // AWS's message for callbacks ends with a space.
    aws_error(
        &task_of("arn:aws:states:::sqs:sendMessage.waitForTaskToken"),
        e,
        Some("/States/T/Resource"),
        "Express state machine does not support '.waitForTaskToken' service integration ",
    );
}

#[test]
fn schema_errors_in_aws_words() {
    let s = ExecutionType::Standard;
    aws_error(
        "{}",
        s,
        Some("/"),
        "These fields are required: [States, StartAt]",
    );
    aws_error(" \n", s, None, "Definition must be a valid JSON object");
    aws_error("[]", s, None, "Definition must be a valid JSON object");
    aws_error(
        r#"{"StartAt": "X", "States": {"X": {"Type": "Nope", "End": true}}}"#,
        s,
        Some("/States/X/Type"),
        "The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map]",
    );
    aws_error(
        r#"{"StartAt": "P", "States": {"P": {"Type": "Parallel", "Branches": [], "End": true}}}"#,
        s,
        Some("/States/P/Branches"),
        "Value cannot be empty",
    );
    aws_error(
        r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true,
            "Parameters": {"a": {"b.$": "States.Nope()"}}}}}"#,
        s,
        Some("/States/P/Parameters/a"),
        "The value for the field 'b.$' must be a valid JSONPath or a valid intrinsic function call",
    );
    // Whatever else Credentials holds, a missing role is all AWS reports.
    aws_error(
        r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "End": true,
            "Resource": "arn:aws:states:::lambda:invoke", "Credentials": {"Other": 1}}}}"#,
        s,
        Some("/States/T/Credentials"),
        "The field 'RoleArn' is required but was missing",
    );
}

#[test]
fn text_that_is_not_json_is_described_as_aws_describes_it() {
    let source = "[Source: (String)\"nothing here\"; line: 1, column: 8]";
    assert_eq!(
        aws_errors("nothing here", ExecutionType::Standard),
        [(
            "INVALID_JSON_DESCRIPTION".to_owned(),
            Some(source.to_owned()),
            format!(
                "Unrecognized token 'nothing': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at {source}"
            )
        )]
    );
}

#[test]
fn the_invalid_definition_message_lists_every_error() {
    let d = sfn_core::validate_str(
        r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "C": {"Type": "Nope", "End": true}}}"#,
    );
    let m = d.invalid_definition_message();
    assert!(
        m.starts_with("Invalid State Machine Definition: '") && m.ends_with('\''),
        "{m}"
    );
    assert_eq!(m.matches(" at /States/").count(), d.errors().count(), "{m}");
    assert!(d.errors().count() >= 2, "{m}");
}

#[test]
fn the_invalid_definition_message_says_once_where_text_is_not_json() {
    let m = sfn_core::validate_str("not a definition").invalid_definition_message();
    assert_eq!(m.matches("[Source: ").count(), 1, "{m}");
    assert!(
        m.starts_with(
            "Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: Unrecognized token 'not'"
        ),
        "{m}"
    );
}

#[test]
fn a_jsonata_condition_may_be_a_constant() {
    valid(
        &json!({"QueryLanguage": "JSONata", "StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [{"Condition": true, "Next": "D"}], "Default": "D"},
        "D": {"Type": "Succeed"}}}),
    );
    error(
        &json!({"QueryLanguage": "JSONata", "StartAt": "C", "States": {
            "C": {"Type": "Choice", "Choices": [{"Condition": 1, "Next": "D"}], "Default": "D"},
            "D": {"Type": "Succeed"}}}),
        "/States/C/Choices/0/Condition",
    );
}

#[test]
fn a_map_label_may_not_be_empty() {
    error(
        &json!({"StartAt": "M", "States": {"M": {"Type": "Map", "Label": "", "End": true,
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}}}),
        "/States/M/Label",
    );
}

#[test]
fn reader_max_items_from_zero_to_a_hundred_million() {
    // AWS accepts MaxItems 0 (no limit) up to 100,000,000.
    let with = |n: i64| {
        machine(json!({"M": {"Type": "Map",
            "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
                "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW", "MaxItems": n},
                "Parameters": {"Bucket": "b", "Key": "k"}},
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
            "End": true}}))
    };
    valid(&with(0));
    valid(&with(100_000_000));
    error(&with(-1), "/States/M/ItemReader/ReaderConfig/MaxItems");
    error(
        &with(100_000_001),
        "/States/M/ItemReader/ReaderConfig/MaxItems",
    );
}

#[test]
fn a_jsonata_map_may_name_its_processor_iterator() {
    // 'Iterator' is the former name of 'ItemProcessor', not a JSONPath field: AWS lists
    // only the path fields (InputPath, Parameters, ResultSelector, ResultPath,
    // OutputPath, ItemsPath, *Path) as JSONPath-only.
    valid(
        &json!({"QueryLanguage": "JSONata", "StartAt": "M", "States": {"M": {
        "Type": "Map", "Items": "{% [1, 2] %}",
        "Iterator": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
        "End": true}}}),
    );
    error(
        &json!({"QueryLanguage": "JSONata", "StartAt": "M", "States": {"M": {
            "Type": "Map",
            "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
            "Iterator": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
            "End": true}}}),
        "/States/M",
    );
}

/// The errors of a definition as AWS answers them: code, location, message.
fn aws_answer(def: &Value) -> Vec<(String, Option<String>, String)> {
    aws_errors(&def.to_string(), ExecutionType::Standard)
}

fn answer(code: &str, location: Option<&str>, message: &str) -> (String, Option<String>, String) {
    (
        code.to_owned(),
        location.map(str::to_owned),
        message.to_owned(),
    )
}

#[test]
fn a_missing_target_is_answered_as_aws_does() {
    let def = machine(json!({"A": {"Type": "Pass", "Next": "NOPE"}, "B": {"Type": "Succeed"}}));
    assert_eq!(
        aws_answer(&def),
        [
            answer(
                "MISSING_TRANSITION_TARGET",
                Some("/States/A/Next"),
                "Missing 'Next' target: NOPE"
            ),
            answer(
                "MISSING_TRANSITION_TARGET",
                Some("/States/B"),
                "State \"B\" is not reachable."
            ),
        ]
    );
    assert_eq!(
        validate_value(&def).invalid_definition_message(),
        "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: NOPE at /States/A/Next, MISSING_TRANSITION_TARGET: State \"B\" is not reachable. at /States/B'"
    );
}

#[test]
fn every_missing_target_is_a_missing_next_with_arrays_indexed_in_brackets() {
    let def = machine(json!({
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "X1"}], "Default": "X2"},
    }));
    let mut def = def;
    def["States"]["T"] = json!({
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "TimeoutSeconds": 5, "End": true,
        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "X3"}],
    });
    def["States"]["C"]["Default"] = json!("T");
    assert_eq!(
        aws_answer(&def),
        [
            answer(
                "MISSING_TRANSITION_TARGET",
                Some("/States/C/Choices[0]/Next"),
                "Missing 'Next' target: X1"
            ),
            answer(
                "MISSING_TRANSITION_TARGET",
                Some("/States/T/Catch[0]/Next"),
                "Missing 'Next' target: X3"
            ),
        ]
    );
    let def = machine(json!({
        "A": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "E"}], "Default": "Gone"},
        "E": {"Type": "Succeed"},
    }));
    assert_eq!(
        aws_answer(&def),
        [answer(
            "MISSING_TRANSITION_TARGET",
            Some("/States/A/Default"),
            "Missing 'Next' target: Gone"
        )]
    );
    // Our own pointers stay JSON Pointers.
    let d = validate_value(&def);
    assert_eq!(
        d.errors().next().map(|e| e.pointer.as_str()),
        Some("/States/A/Default")
    );
}

#[test]
fn a_missing_start_at_is_a_missing_next_and_what_nothing_names_is_unreachable() {
    let def = json!({"StartAt": "Not sure", "States": {
        "Pass One": {"Type": "Pass", "Next": "Success"},
        "Success": {"Type": "Succeed"},
    }});
    assert_eq!(
        validate_value(&def).invalid_definition_message(),
        "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: Not sure at /StartAt, MISSING_TRANSITION_TARGET: State \"Pass One\" is not reachable. at /States/Pass One'"
    );
}

#[test]
fn an_unreachable_state_is_answered_as_aws_does() {
    let def = machine(json!({
        "A": {"Type": "Pass", "Next": "B"},
        "B": {"Type": "Succeed"},
        "X": {"Type": "Pass", "Next": "B"},
    }));
    assert_eq!(
        aws_answer(&def),
        [answer(
            "MISSING_TRANSITION_TARGET",
            Some("/States/X"),
            "State \"X\" is not reachable."
        )]
    );
    let d = validate_value(&def);
    assert_eq!(d.errors().next().map(|e| e.code), Some(C::UnreachableState));
    // A loop nothing leads to is reported once, at its first state.
    let def = machine(json!({
        "A": {"Type": "Succeed"},
        "L1": {"Type": "Pass", "Next": "L2"},
        "L2": {"Type": "Pass", "Next": "L1"},
    }));
    assert_eq!(
        aws_answer(&def),
        [answer(
            "MISSING_TRANSITION_TARGET",
            Some("/States/L1"),
            "State \"L1\" is not reachable."
        )]
    );
}

#[test]
fn no_terminal_state_is_answered_as_aws_does() {
    let def =
        machine(json!({"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "A"}}));
    assert_eq!(
        aws_answer(&def),
        [answer(
            "MISSING_END_STATE",
            None,
            "Workflow has no terminal state"
        )]
    );
    assert_eq!(
        validate_value(&def).invalid_definition_message(),
        "Invalid State Machine Definition: 'MISSING_END_STATE: Workflow has no terminal state at null'"
    );
    // It suppresses the unreachable states.
    let def = machine(json!({
        "A": {"Type": "Pass", "Next": "A"},
        "X": {"Type": "Pass", "Next": "A"},
    }));
    assert_eq!(
        aws_answer(&def),
        [answer(
            "MISSING_END_STATE",
            None,
            "Workflow has no terminal state"
        )]
    );
    // An unreachable terminal state is a terminal state.
    let def = machine(json!({
        "A": {"Type": "Pass", "Next": "B"},
        "B": {"Type": "Pass", "Next": "A"},
        "C": {"Type": "Pass", "End": true},
    }));
    assert_eq!(
        aws_answer(&def),
        [answer(
            "MISSING_TRANSITION_TARGET",
            Some("/States/C"),
            "State \"C\" is not reachable."
        )]
    );
    // With a missing target, both, the missing target first.
    let def =
        machine(json!({"A": {"Type": "Pass", "Next": "NOPE"}, "X": {"Type": "Pass", "Next": "A"}}));
    assert_eq!(
        validate_value(&def).invalid_definition_message(),
        "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: NOPE at /States/A/Next, MISSING_END_STATE: Workflow has no terminal state at null'"
    );
}

#[test]
fn a_graph_fault_in_a_branch_is_located_with_the_branch_index_in_brackets() {
    let def = machine(json!({
        "P": {"Type": "Parallel", "End": true, "Branches": [
            {"StartAt": "B", "States": {"B": {"Type": "Succeed"}}},
            {"StartAt": "Y", "States": {"Y": {"Type": "Pass", "Next": "Nowhere"}, "Z": {"Type": "Succeed"}}},
        ]},
    }));
    assert_eq!(
        aws_answer(&def),
        [
            answer(
                "MISSING_TRANSITION_TARGET",
                Some("/States/P/Branches[1]/States/Y/Next"),
                "Missing 'Next' target: Nowhere"
            ),
            answer(
                "MISSING_TRANSITION_TARGET",
                Some("/States/P/Branches[1]/States/Z"),
                "State \"Z\" is not reachable."
            ),
        ]
    );
}

#[test]
fn a_schema_error_inside_an_array_keeps_the_pointer_form() {
    // Only AWS's graph checks are known to write array indexes in brackets.
    let def = json!({"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "StringEquals": 1, "Next": "D"}],
            "Default": "D"},
        "D": {"Type": "Succeed"}}});
    let errors = aws_errors(&def.to_string(), ExecutionType::Standard);
    assert!(!errors.is_empty());
    for (code, location, _) in &errors {
        assert_eq!(code, "SCHEMA_VALIDATION_FAILED");
        let location = location.as_deref().unwrap_or_default();
        assert!(location.starts_with("/States/C/Choices/0"), "{errors:?}");
    }
}
