//! `GetExecutionHistory` events as the client reads them: the members of each event's
//! `…EventDetails` object written back as AWS's JSON names them, so that an event from
//! AWS equals the embedded engine's event of the same run.

use std::collections::HashMap;

use aws_sdk_sfn::types as sdk;
use serde_json::{Map, Value};

use super::convert::date;
use crate::client::HistoryEvent;

/// The client's event for the SDK's `event`.
pub(super) fn event_of(event: &sdk::HistoryEvent) -> HistoryEvent {
    HistoryEvent::new(
        event.id(),
        event.previous_event_id(),
        date(event.timestamp()),
        event.r#type().as_str(),
        details_of(event),
    )
}

/// The members of the event's one `…EventDetails` object; empty when it has none.
fn details_of(e: &sdk::HistoryEvent) -> Map<String, Value> {
    macro_rules! first_of {
        ($($accessor:ident),* $(,)?) => {
            $(if let Some(d) = e.$accessor() {
                return d.members();
            })*
        };
    }
    first_of!(
        activity_failed_event_details,
        activity_schedule_failed_event_details,
        activity_scheduled_event_details,
        activity_started_event_details,
        activity_succeeded_event_details,
        activity_timed_out_event_details,
        task_failed_event_details,
        task_scheduled_event_details,
        task_start_failed_event_details,
        task_started_event_details,
        task_submit_failed_event_details,
        task_submitted_event_details,
        task_succeeded_event_details,
        task_timed_out_event_details,
        execution_failed_event_details,
        execution_started_event_details,
        execution_succeeded_event_details,
        execution_aborted_event_details,
        execution_timed_out_event_details,
        execution_redriven_event_details,
        map_state_started_event_details,
        map_iteration_started_event_details,
        map_iteration_succeeded_event_details,
        map_iteration_failed_event_details,
        map_iteration_aborted_event_details,
        lambda_function_failed_event_details,
        lambda_function_schedule_failed_event_details,
        lambda_function_scheduled_event_details,
        lambda_function_start_failed_event_details,
        lambda_function_succeeded_event_details,
        lambda_function_timed_out_event_details,
        state_entered_event_details,
        state_exited_event_details,
        map_run_started_event_details,
        map_run_failed_event_details,
        map_run_redriven_event_details,
        evaluation_failed_event_details,
    );
    Map::new()
}

/// A details object: its members as AWS's JSON names them.
trait Details {
    fn members(&self) -> Map<String, Value>;
}

/// A member's value as AWS's JSON writes it; none for a member left out.
trait Member {
    fn json(&self) -> Option<Value>;
}

impl Member for String {
    fn json(&self) -> Option<Value> {
        Some(Value::String(self.clone()))
    }
}

impl Member for i32 {
    fn json(&self) -> Option<Value> {
        Some(Value::from(*self))
    }
}

impl Member for i64 {
    fn json(&self) -> Option<Value> {
        Some(Value::from(*self))
    }
}

impl Member for bool {
    fn json(&self) -> Option<Value> {
        Some(Value::Bool(*self))
    }
}

impl<T: Member> Member for Option<T> {
    fn json(&self) -> Option<Value> {
        self.as_ref().and_then(Member::json)
    }
}

/// `assignedVariables`: names to JSON text, in name order.
impl Member for HashMap<String, String> {
    fn json(&self) -> Option<Value> {
        let mut names: Vec<_> = self.iter().collect();
        names.sort();
        Some(Value::Object(
            names
                .into_iter()
                .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                .collect(),
        ))
    }
}

/// Writes, for each type, its members: `"jsonName" => field`.
macro_rules! details {
    ($($ty:ident { $($member:literal => $field:ident),* $(,)? })*) => {
        $(impl Details for sdk::$ty {
            fn members(&self) -> Map<String, Value> {
                #[allow(unused_mut)]
                let mut m = Map::new();
                $(if let Some(v) = self.$field.json() {
                    m.insert($member.to_owned(), v);
                })*
                m
            }
        }
        impl Member for sdk::$ty {
            fn json(&self) -> Option<Value> {
                Some(Value::Object(self.members()))
            }
        })*
    };
}

details! {
    HistoryEventExecutionDataDetails { "truncated" => truncated }
    AssignedVariablesDetails { "truncated" => truncated }
    TaskCredentials { "roleArn" => role_arn }

    ActivityFailedEventDetails { "error" => error, "cause" => cause }
    ActivityScheduleFailedEventDetails { "error" => error, "cause" => cause }
    ActivityScheduledEventDetails {
        "resource" => resource, "input" => input, "inputDetails" => input_details,
        "timeoutInSeconds" => timeout_in_seconds, "heartbeatInSeconds" => heartbeat_in_seconds,
    }
    ActivityStartedEventDetails { "workerName" => worker_name }
    ActivitySucceededEventDetails { "output" => output, "outputDetails" => output_details }
    ActivityTimedOutEventDetails { "error" => error, "cause" => cause }

    TaskFailedEventDetails {
        "resourceType" => resource_type, "resource" => resource,
        "error" => error, "cause" => cause,
    }
    TaskScheduledEventDetails {
        "resourceType" => resource_type, "resource" => resource, "region" => region,
        "parameters" => parameters, "timeoutInSeconds" => timeout_in_seconds,
        "heartbeatInSeconds" => heartbeat_in_seconds, "taskCredentials" => task_credentials,
    }
    TaskStartFailedEventDetails {
        "resourceType" => resource_type, "resource" => resource,
        "error" => error, "cause" => cause,
    }
    TaskStartedEventDetails { "resourceType" => resource_type, "resource" => resource }
    TaskSubmitFailedEventDetails {
        "resourceType" => resource_type, "resource" => resource,
        "error" => error, "cause" => cause,
    }
    TaskSubmittedEventDetails {
        "resourceType" => resource_type, "resource" => resource,
        "output" => output, "outputDetails" => output_details,
    }
    TaskSucceededEventDetails {
        "resourceType" => resource_type, "resource" => resource,
        "output" => output, "outputDetails" => output_details,
    }
    TaskTimedOutEventDetails {
        "resourceType" => resource_type, "resource" => resource,
        "error" => error, "cause" => cause,
    }

    ExecutionFailedEventDetails { "error" => error, "cause" => cause }
    ExecutionStartedEventDetails {
        "input" => input, "inputDetails" => input_details, "roleArn" => role_arn,
        "stateMachineAliasArn" => state_machine_alias_arn,
        "stateMachineVersionArn" => state_machine_version_arn,
    }
    ExecutionSucceededEventDetails { "output" => output, "outputDetails" => output_details }
    ExecutionAbortedEventDetails { "error" => error, "cause" => cause }
    ExecutionTimedOutEventDetails { "error" => error, "cause" => cause }
    ExecutionRedrivenEventDetails { "redriveCount" => redrive_count }

    MapStateStartedEventDetails { "length" => length }
    MapIterationEventDetails { "name" => name, "index" => index }
    MapRunStartedEventDetails { "mapRunArn" => map_run_arn }
    MapRunFailedEventDetails { "error" => error, "cause" => cause }
    MapRunRedrivenEventDetails { "mapRunArn" => map_run_arn, "redriveCount" => redrive_count }

    LambdaFunctionFailedEventDetails { "error" => error, "cause" => cause }
    LambdaFunctionScheduleFailedEventDetails { "error" => error, "cause" => cause }
    LambdaFunctionScheduledEventDetails {
        "resource" => resource, "input" => input, "inputDetails" => input_details,
        "timeoutInSeconds" => timeout_in_seconds, "taskCredentials" => task_credentials,
    }
    LambdaFunctionStartFailedEventDetails { "error" => error, "cause" => cause }
    LambdaFunctionSucceededEventDetails { "output" => output, "outputDetails" => output_details }
    LambdaFunctionTimedOutEventDetails { "error" => error, "cause" => cause }

    StateEnteredEventDetails { "name" => name, "input" => input, "inputDetails" => input_details }
    StateExitedEventDetails {
        "name" => name, "output" => output, "outputDetails" => output_details,
        "assignedVariables" => assigned_variables,
        "assignedVariablesDetails" => assigned_variables_details,
    }
    EvaluationFailedEventDetails {
        "error" => error, "cause" => cause, "location" => location, "state" => state,
    }
}

#[cfg(test)]
mod tests {
    use aws_sdk_sfn::primitives::DateTime;
    use serde_json::json;

    use super::*;

    fn event(b: sdk::builders::HistoryEventBuilder) -> HistoryEvent {
        let e = b
            .timestamp(DateTime::from_millis(1_000))
            .id(3)
            .previous_event_id(2)
            .build()
            .map(|e| event_of(&e));
        match e {
            Ok(e) => e,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn details_are_written_as_aws_names_them() {
        let scheduled = sdk::TaskScheduledEventDetails::builder()
            .resource_type("lambda")
            .resource("invoke")
            .region("us-east-1")
            .parameters("{}")
            .timeout_in_seconds(30)
            .task_credentials(sdk::TaskCredentials::builder().role_arn("arn:r").build())
            .build();
        let e = event(
            sdk::HistoryEvent::builder()
                .r#type(sdk::HistoryEventType::TaskScheduled)
                .set_task_scheduled_event_details(scheduled.ok()),
        );
        assert_eq!(e.event_type, "TaskScheduled");
        assert_eq!((e.id, e.previous_event_id), (3, 2));
        assert_eq!(
            Value::Object(e.details),
            json!({
                "resourceType": "lambda", "resource": "invoke", "region": "us-east-1",
                "parameters": "{}", "timeoutInSeconds": 30,
                "taskCredentials": {"roleArn": "arn:r"},
            })
        );
    }

    #[test]
    fn nested_and_map_members_and_unknown_types() {
        let exited = sdk::StateExitedEventDetails::builder()
            .name("S")
            .output("1")
            .output_details(
                sdk::HistoryEventExecutionDataDetails::builder()
                    .truncated(false)
                    .build(),
            )
            .assigned_variables("b", "2")
            .assigned_variables("a", "1")
            .build();
        let e = event(
            sdk::HistoryEvent::builder()
                .r#type(sdk::HistoryEventType::from("SomethingNew"))
                .set_state_exited_event_details(exited.ok()),
        );
        assert_eq!(e.event_type, "SomethingNew");
        assert_eq!(
            serde_json::to_string(&e.details).unwrap_or_default(),
            r#"{"name":"S","output":"1","outputDetails":{"truncated":false},"assignedVariables":{"a":"1","b":"2"}}"#
        );
        let none =
            event(sdk::HistoryEvent::builder().r#type(sdk::HistoryEventType::PassStateEntered));
        assert!(none.details.is_empty());
    }
}
