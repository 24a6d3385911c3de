//! Each state type written with `state_machine!` produces the ASL a person would write.

use serde_json::{Value, json};
use sfn_runtime::prelude::{
    StateMachineDefinition, TaskContext, TaskError, activity, state_machine,
};

fn asl<M: StateMachineDefinition>() -> Value {
    serde_json::from_str(M::ASL).expect("the ASL is JSON")
}

/// Checks the text too: the key order of the emitted JSON is the one in `expected`.
fn assert_asl<M: StateMachineDefinition>(expected: Value) {
    assert_eq!(asl::<M>(), expected);
    assert_eq!(
        M::ASL,
        serde_json::to_string_pretty(&expected).expect("JSON")
    );
    assert!(sfn_runtime::core::validate(&M::definition()).is_valid());
}

#[activity(timeout = 300, heartbeat = 30)]
async fn work(input: Value, _ctx: &TaskContext) -> Result<Value, TaskError> {
    Ok(input)
}

state_machine! {
    Passes {
        start_at: Inject,
        states: {
            /// Injects data.
            Inject: Pass {
                input_path: "$.in",
                parameters: { "x.$": "$.a", "fixed": [1, 2.5, -3, true, null] },
                result_path: "$.out",
                output_path: "$",
                next: "Set vars",
            },
            "Set vars": Pass { result: { "k": "v" }, assign: { "seen": true }, end: true },
        }
    }
}

#[test]
fn pass() {
    assert_asl::<Passes>(json!({
        "StartAt": "Inject",
        "States": {
            "Inject": {
                "Type": "Pass",
                "Comment": "Injects data.",
                "InputPath": "$.in",
                "Parameters": { "x.$": "$.a", "fixed": [1, 2.5, -3, true, null] },
                "ResultPath": "$.out",
                "OutputPath": "$",
                "Next": "Set vars"
            },
            "Set vars": { "Type": "Pass", "Result": { "k": "v" }, "Assign": { "seen": true }, "End": true }
        }
    }));
}

state_machine! {
    Tasks {
        start_at: Activity,
        states: {
            Activity: Task(work) { result_selector: { "r.$": "$" }, next: Lambda },
            Lambda: Task(lambda::invoke) {
                parameters: { "FunctionName": "f", "Payload.$": "$" },
                timeout_seconds: 10,
                retry: [
                    { error_equals: ["Lambda.ServiceException"], interval_seconds: 2, max_attempts: 6, backoff_rate: 2.0, max_delay_seconds: 60, jitter_strategy: Full },
                    { error_equals: ["States.ALL"] },
                ],
                catch: [ { error_equals: ["States.ALL"], result_path: "$.error", next: Failed } ],
                next: Callback,
            },
            Callback: Task(sqs::send_message.wait_for_task_token) {
                parameters: { "QueueUrl": "q", "MessageBody": { "token.$": "$$.Task.Token" } },
                heartbeat_seconds: 60,
                next: Sdk,
            },
            Sdk: Task(aws_sdk::s3::list_buckets) { timeout_seconds: 5, next: Raw },
            Raw: Task("arn:aws:states:::states:startExecution.sync:2") { timeout_seconds: 600, heartbeat_seconds: 60, end: true },
            Failed: Fail { error: "Failed" },
        }
    }
}

#[test]
fn task() {
    assert_asl::<Tasks>(json!({
        "StartAt": "Activity",
        "States": {
            "Activity": {
                "Type": "Task",
                "Resource": "arn:aws:states:::activity:work",
                "ResultSelector": { "r.$": "$" },
                "TimeoutSeconds": 300,
                "HeartbeatSeconds": 30,
                "Next": "Lambda"
            },
            "Lambda": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": { "FunctionName": "f", "Payload.$": "$" },
                "TimeoutSeconds": 10,
                "Retry": [
                    { "ErrorEquals": ["Lambda.ServiceException"], "IntervalSeconds": 2, "MaxAttempts": 6, "BackoffRate": 2.0, "MaxDelaySeconds": 60, "JitterStrategy": "FULL" },
                    { "ErrorEquals": ["States.ALL"] }
                ],
                "Catch": [ { "ErrorEquals": ["States.ALL"], "Next": "Failed", "ResultPath": "$.error" } ],
                "Next": "Callback"
            },
            "Callback": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters": { "QueueUrl": "q", "MessageBody": { "token.$": "$$.Task.Token" } },
                "HeartbeatSeconds": 60,
                "Next": "Sdk"
            },
            "Sdk": { "Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:listBuckets", "TimeoutSeconds": 5, "Next": "Raw" },
            "Raw": {
                "Type": "Task",
                "Resource": "arn:aws:states:::states:startExecution.sync:2",
                "TimeoutSeconds": 600,
                "HeartbeatSeconds": 60,
                "End": true
            },
            "Failed": { "Type": "Fail", "Error": "Failed" }
        }
    }));
    assert_eq!(Tasks::activities().len(), 1);
}

state_machine! {
    Choices {
        start_at: Route,
        states: {
            Route: Choice {
                rules: [
                    { variable: "$.n", numeric_greater_than_equals: 10, next: Big },
                    { variable: "$.n", numeric_less_than_path: "$.min", next: Small },
                    {
                        and: [
                            { variable: "$.s", is_present: true },
                            { variable: "$.s", string_matches: "a*" },
                            { not: { variable: "$.t", timestamp_equals: "2030-01-01T00:00:00Z" } },
                        ],
                        next: Big,
                    },
                    { or: [ { variable: "$.b", boolean_equals: true }, { variable: "$.s", string_equals_path: "$.other" } ], next: Small },
                ],
                default: Small,
            },
            Big: Succeed,
            Small: Succeed { output_path: "$.n" },
        }
    }
}

#[test]
fn choice() {
    assert_asl::<Choices>(json!({
        "StartAt": "Route",
        "States": {
            "Route": {
                "Type": "Choice",
                "Choices": [
                    { "Variable": "$.n", "NumericGreaterThanEquals": 10, "Next": "Big" },
                    { "Variable": "$.n", "NumericLessThanPath": "$.min", "Next": "Small" },
                    {
                        "And": [
                            { "Variable": "$.s", "IsPresent": true },
                            { "Variable": "$.s", "StringMatches": "a*" },
                            { "Not": { "Variable": "$.t", "TimestampEquals": "2030-01-01T00:00:00Z" } }
                        ],
                        "Next": "Big"
                    },
                    { "Or": [ { "Variable": "$.b", "BooleanEquals": true }, { "Variable": "$.s", "StringEqualsPath": "$.other" } ], "Next": "Small" }
                ],
                "Default": "Small"
            },
            "Big": { "Type": "Succeed" },
            "Small": { "Type": "Succeed", "OutputPath": "$.n" }
        }
    }));
}

state_machine! {
    Waits {
        start_at: Seconds,
        states: {
            Seconds: Wait { seconds: 5, next: Timestamp },
            Timestamp: Wait { timestamp: "2030-01-01T00:00:00Z", next: SecondsPath },
            SecondsPath: Wait { seconds_path: "$.s", next: TimestampPath },
            TimestampPath: Wait { timestamp_path: "$.t", next: Stop },
            Stop: Fail { error_path: "$.error", cause_path: "States.Format('failed: {}', $.why)" },
        }
    }
}

#[test]
fn wait_and_fail() {
    assert_asl::<Waits>(json!({
        "StartAt": "Seconds",
        "States": {
            "Seconds": { "Type": "Wait", "Seconds": 5, "Next": "Timestamp" },
            "Timestamp": { "Type": "Wait", "Timestamp": "2030-01-01T00:00:00Z", "Next": "SecondsPath" },
            "SecondsPath": { "Type": "Wait", "SecondsPath": "$.s", "Next": "TimestampPath" },
            "TimestampPath": { "Type": "Wait", "TimestampPath": "$.t", "Next": "Stop" },
            "Stop": { "Type": "Fail", "ErrorPath": "$.error", "CausePath": "States.Format('failed: {}', $.why)" }
        }
    }));
}

state_machine! {
    Parallels {
        start_at: Both,
        states: {
            Both: Parallel {
                branches: [
                    { start_at: Left, states: { Left: Task(work) { timeout_seconds: 50, end: true } } },
                    { comment: "right", start_at: Right, states: { Right: Pass { end: true } } },
                ],
                result_path: "$.both",
                retry: [ { error_equals: ["States.BranchFailed"], max_attempts: 1 } ],
                end: true,
            },
        }
    }
}

#[test]
fn parallel() {
    assert_asl::<Parallels>(json!({
        "StartAt": "Both",
        "States": {
            "Both": {
                "Type": "Parallel",
                "Branches": [
                    { "StartAt": "Left", "States": { "Left": {
                        "Type": "Task", "Resource": "arn:aws:states:::activity:work", "TimeoutSeconds": 50, "HeartbeatSeconds": 30, "End": true
                    } } },
                    { "Comment": "right", "StartAt": "Right", "States": { "Right": { "Type": "Pass", "End": true } } }
                ],
                "ResultPath": "$.both",
                "Retry": [ { "ErrorEquals": ["States.BranchFailed"], "MaxAttempts": 1 } ],
                "End": true
            }
        }
    }));
}

state_machine! {
    Maps {
        start_at: Inline,
        states: {
            Inline: Map {
                item_processor: { start_at: Each, states: { Each: Pass { end: true } } },
                items_path: "$.items",
                item_selector: { "item.$": "$$.Map.Item.Value" },
                max_concurrency: 5,
                next: Distributed,
            },
            Distributed: Map {
                item_processor: {
                    processor_config: { mode: Distributed, execution_type: Express },
                    start_at: Work,
                    states: { Work: Succeed },
                },
                item_reader: {
                    resource: "arn:aws:states:::s3:getObject",
                    reader_config: { input_type: CSV, csv_header_location: FirstRow },
                    parameters: { "Bucket": "b", "Key": "k.csv" },
                },
                item_batcher: { max_items_per_batch: 10 },
                result_writer: { resource: "arn:aws:states:::s3:putObject", parameters: { "Bucket": "b", "Prefix": "out" } },
                tolerated_failure_percentage: 5,
                label: "rows",
                end: true,
            },
        }
    }
}

#[test]
fn map() {
    assert_asl::<Maps>(json!({
        "StartAt": "Inline",
        "States": {
            "Inline": {
                "Type": "Map",
                "ItemProcessor": { "StartAt": "Each", "States": { "Each": { "Type": "Pass", "End": true } } },
                "ItemsPath": "$.items",
                "ItemSelector": { "item.$": "$$.Map.Item.Value" },
                "MaxConcurrency": 5,
                "Next": "Distributed"
            },
            "Distributed": {
                "Type": "Map",
                "ItemProcessor": {
                    "ProcessorConfig": { "Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS" },
                    "StartAt": "Work",
                    "States": { "Work": { "Type": "Succeed" } }
                },
                "ItemReader": {
                    "Resource": "arn:aws:states:::s3:getObject",
                    "ReaderConfig": { "InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW" },
                    "Parameters": { "Bucket": "b", "Key": "k.csv" }
                },
                "ItemBatcher": { "MaxItemsPerBatch": 10 },
                "ResultWriter": { "Resource": "arn:aws:states:::s3:putObject", "Parameters": { "Bucket": "b", "Prefix": "out" } },
                "ToleratedFailurePercentage": 5,
                "Label": "rows",
                "End": true
            }
        }
    }));
}

state_machine! {
    // A distributed Map's reader and writer written as `service::action`, as in `Task(…)`.
    MapResources {
        start_at: Each,
        states: {
            Each: Map {
                item_processor: {
                    processor_config: { mode: Distributed, execution_type: Express },
                    start_at: Work,
                    states: { Work: Succeed },
                },
                item_reader: { resource: s3::list_objects_v2, parameters: { "Bucket": "b" } },
                result_writer: { resource: s3::put_object, parameters: { "Bucket": "b", "Prefix": "out" } },
                end: true,
            },
        }
    }
}

#[test]
fn map_resources_as_service_actions() {
    assert_asl::<MapResources>(json!({
        "StartAt": "Each",
        "States": {
            "Each": {
                "Type": "Map",
                "ItemProcessor": {
                    "ProcessorConfig": { "Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS" },
                    "StartAt": "Work",
                    "States": { "Work": { "Type": "Succeed" } }
                },
                "ItemReader": { "Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": { "Bucket": "b" } },
                "ResultWriter": { "Resource": "arn:aws:states:::s3:putObject", "Parameters": { "Bucket": "b", "Prefix": "out" } },
                "End": true
            }
        }
    }));
}

state_machine! {
    /// A JSONata machine.
    Jsonata {
        query_language: JSONata,
        timeout_seconds: 3600,
        start_at: Call,
        states: {
            Call: Task(lambda::invoke) {
                arguments: { "FunctionName": "f", "Payload": "{% $states.input %}" },
                output: "{% $states.result.Payload %}",
                assign: { "count": "{% $count + 1 %}" },
                timeout_seconds: 10,
                next: Check,
            },
            Check: Choice {
                rules: [ { condition: "{% $count > 3 %}", next: Done, output: { "n": "{% $count %}" } } ],
                default: Pause,
            },
            Pause: Wait { seconds: "{% $states.input.delay %}", next: Call },
            Done: Succeed,
        }
    }
}

#[test]
fn jsonata() {
    assert_asl::<Jsonata>(json!({
        "Comment": "A JSONata machine.",
        "QueryLanguage": "JSONata",
        "StartAt": "Call",
        "States": {
            "Call": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Arguments": { "FunctionName": "f", "Payload": "{% $states.input %}" },
                "Output": "{% $states.result.Payload %}",
                "Assign": { "count": "{% $count + 1 %}" },
                "TimeoutSeconds": 10,
                "Next": "Check"
            },
            "Check": {
                "Type": "Choice",
                "Choices": [ { "Condition": "{% $count > 3 %}", "Output": { "n": "{% $count %}" }, "Next": "Done" } ],
                "Default": "Pause"
            },
            "Pause": { "Type": "Wait", "Seconds": "{% $states.input.delay %}", "Next": "Call" },
            "Done": { "Type": "Succeed" }
        },
        "TimeoutSeconds": 3600
    }));
}

#[activity]
fn charge(cents: u64) -> u64 {
    cents
}

state_machine!(Orders = "machines/orders.asl.json", activities { "arn:aws:states:::activity:charge" => charge });

#[test]
fn from_a_file() {
    assert_eq!(Orders::ASL, include_str!("../../machines/orders.asl.json"));
    assert_eq!(Orders::NAME, "Orders");
    assert_eq!(Orders::activities()[0].name(), "charge");
    assert_eq!(
        Orders::definition().comment.as_deref(),
        Some("Charges an order.")
    );
}

#[test]
fn placeholders_resolve_at_registration() {
    let mut m = Tasks::definition();
    sfn_runtime::core::definition::resolve_activity_arns(&mut m, |n| {
        sfn_runtime::core::definition::activity_arn("aws", "eu-west-1", "123456789012", n)
    });
    assert!(
        m.to_json()
            .contains("arn:aws:states:eu-west-1:123456789012:activity:work")
    );
}
