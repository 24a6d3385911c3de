//! What a TestState call answers.

use serde_json::{Map, Value};

/// How the tested state ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TestStatus {
    /// It completed: `output`, and `next_state` unless it ends the machine.
    Succeeded,
    /// It failed: `error` and `cause`.
    Failed,
    /// It failed and a catcher took the error: `output` and `next_state` are the
    /// catcher's.
    CaughtError,
    /// It failed and a retrier would try it again
    /// (`inspection_data.error_details.retry_backoff_interval_seconds` later).
    Retriable,
}

impl TestStatus {
    /// AWS's name: `SUCCEEDED`, `FAILED`, `CAUGHT_ERROR` or `RETRIABLE`.
    pub fn as_str(self) -> &'static str {
        match self {
            TestStatus::Succeeded => "SUCCEEDED",
            TestStatus::Failed => "FAILED",
            TestStatus::CaughtError => "CAUGHT_ERROR",
            TestStatus::Retriable => "RETRIABLE",
        }
    }
}

/// Which retrier or catcher took the error, and the retry's delay.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct InspectionErrorDetails {
    /// The index of the catcher that took the error.
    pub catch_index: Option<usize>,
    /// The index of the retrier that took the error.
    pub retry_index: Option<usize>,
    /// The delay before the retry, in seconds.
    pub retry_backoff_interval_seconds: Option<u64>,
}

/// The state's data after each step of its processing (fields the state does not have,
/// or did not reach, are `None`).
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct InspectionData {
    /// The state's input.
    pub input: Option<Value>,
    /// After `Arguments` (JSONata).
    pub after_arguments: Option<Value>,
    /// After `InputPath`.
    pub after_input_path: Option<Value>,
    /// After `Parameters`.
    pub after_parameters: Option<Value>,
    /// The task's (or a Pass state's) result.
    pub result: Option<Value>,
    /// After `ResultSelector`.
    pub after_result_selector: Option<Value>,
    /// After `ResultPath`.
    pub after_result_path: Option<Value>,
    /// A Map's items after `ItemsPath`.
    pub after_items_path: Option<Value>,
    /// A Map's iteration inputs after `ItemSelector`.
    pub after_item_selector: Option<Value>,
    /// The variables after the state's `Assign`.
    pub variables: Option<Value>,
    /// A Map's `MaxConcurrency`.
    pub max_concurrency: Option<u64>,
    /// A Map's `ToleratedFailureCount`.
    pub tolerated_failure_count: Option<u64>,
    /// A Map's `ToleratedFailurePercentage`.
    pub tolerated_failure_percentage: Option<f64>,
    /// Which retrier or catcher took the error.
    pub error_details: Option<InspectionErrorDetails>,
}

impl InspectionData {
    /// The data as AWS sends it: each value as JSON text, the numbers as numbers.
    pub fn to_json(&self) -> Value {
        let mut o = Map::new();
        let texts = [
            ("input", &self.input),
            ("afterArguments", &self.after_arguments),
            ("afterInputPath", &self.after_input_path),
            ("afterParameters", &self.after_parameters),
            ("result", &self.result),
            ("afterResultSelector", &self.after_result_selector),
            ("afterResultPath", &self.after_result_path),
            ("afterItemsPath", &self.after_items_path),
            ("afterItemSelector", &self.after_item_selector),
            ("variables", &self.variables),
        ];
        for (key, value) in texts {
            if let Some(v) = value {
                o.insert(key.into(), Value::String(v.to_string()));
            }
        }
        if let Some(n) = self.max_concurrency {
            o.insert("maxConcurrency".into(), n.into());
        }
        if let Some(n) = self.tolerated_failure_count {
            o.insert("toleratedFailureCount".into(), n.into());
        }
        if let Some(p) = self.tolerated_failure_percentage {
            o.insert("toleratedFailurePercentage".into(), p.into());
        }
        if let Some(d) = &self.error_details {
            let mut e = Map::new();
            if let Some(i) = d.catch_index {
                e.insert("catchIndex".into(), i.into());
            }
            if let Some(i) = d.retry_index {
                e.insert("retryIndex".into(), i.into());
            }
            if let Some(s) = d.retry_backoff_interval_seconds {
                e.insert("retryBackoffIntervalSeconds".into(), s.into());
            }
            o.insert("errorDetails".into(), Value::Object(e));
        }
        Value::Object(o)
    }
}

/// What TestState answers.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct TestStateOutput {
    /// How the state ended.
    pub status: TestStatus,
    /// Its output (or the catcher's), unless it failed.
    pub output: Option<Value>,
    /// The error, when it failed.
    pub error: Option<String>,
    /// The error's cause.
    pub cause: Option<String>,
    /// The state that would run next.
    pub next_state: Option<String>,
    /// The data after each step, at [`InspectionLevel::Debug`](super::InspectionLevel)
    /// and above.
    pub inspection_data: Option<InspectionData>,
}

impl TestStateOutput {
    /// The answer in AWS's `TestState` response shape (`output` as JSON text).
    pub fn to_json(&self) -> Value {
        let mut o = Map::new();
        o.insert("status".into(), self.status.as_str().into());
        if let Some(v) = &self.output {
            o.insert("output".into(), Value::String(v.to_string()));
        }
        if let Some(e) = &self.error {
            o.insert("error".into(), e.as_str().into());
        }
        if let Some(c) = &self.cause {
            o.insert("cause".into(), c.as_str().into());
        }
        if let Some(n) = &self.next_state {
            o.insert("nextState".into(), n.as_str().into());
        }
        if let Some(d) = &self.inspection_data {
            o.insert("inspectionData".into(), d.to_json());
        }
        Value::Object(o)
    }
}
