//! DESIGN.md's example: the machine and its activity, as a person would write them.

use sfn_runtime::prelude::*;

#[derive(Debug, Deserialize, JsonSchema)]
struct Numbers {
    a: i64,
    b: i64,
}

/// Adds two numbers.
#[activity(name = "add", heartbeat = 20)]
async fn add(input: Numbers, ctx: &TaskContext) -> Result<i64, TaskError> {
    let _ = ctx.task_token();
    Ok(input.a + input.b)
}

state_machine! {
    /// Adds two numbers and reports the sign.
    pub TestAdding {
        start_at: Add,
        states: {
            Add: Task(add) { result_path: "$.sum", next: Sign },
            Sign: Choice {
                rules: [ { variable: "$.sum", numeric_greater_than: 0, next: Positive } ],
                default: Negative,
            },
            Positive: Succeed,
            Negative: Fail { error: "Negative", cause: "the sum is below zero" },
        }
    }
}

const EXPECTED: &str = r#"{
  "Comment": "Adds two numbers and reports the sign.",
  "StartAt": "Add",
  "States": {
    "Add": {
      "Type": "Task",
      "Resource": "arn:aws:states:::activity:add",
      "ResultPath": "$.sum",
      "HeartbeatSeconds": 20,
      "Next": "Sign"
    },
    "Sign": {
      "Type": "Choice",
      "Choices": [
        {
          "Variable": "$.sum",
          "NumericGreaterThan": 0,
          "Next": "Positive"
        }
      ],
      "Default": "Negative"
    },
    "Positive": {
      "Type": "Succeed"
    },
    "Negative": {
      "Type": "Fail",
      "Error": "Negative",
      "Cause": "the sum is below zero"
    }
  }
}"#;

#[test]
fn the_design_example_is_the_asl_a_person_writes() {
    assert_eq!(TestAdding::ASL, EXPECTED);
    assert_eq!(TestAdding::NAME, "TestAdding");
    let model = TestAdding::definition();
    assert!(sfn_runtime::core::validate(&model).is_valid());
    let names: Vec<&str> = TestAdding::activities().iter().map(|a| a.name()).collect();
    assert_eq!(names, ["add"]);
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    let mut f = std::pin::pin!(f);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    loop {
        if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

#[test]
fn the_activity_stays_callable_and_runs_on_json() {
    let ctx = TaskContext::for_test("add");
    let sum = block_on(add(Numbers { a: 3, b: 42 }, &ctx));
    assert_eq!(sum.map_err(|e| e.to_string()), Ok(45));

    let out = block_on(add.call(json!({"a": 3, "b": 42}), ctx.clone()));
    assert_eq!(out, Ok(json!(45)));
    let bad = block_on(add.call(json!({"a": "x"}), ctx)).expect_err("a string is not a number");
    assert_eq!(bad.error, "States.Runtime");

    assert_eq!(add.name(), "add");
    assert_eq!(add.description(), Some("Adds two numbers."));
    assert_eq!(add.heartbeat_seconds(), Some(20));
    assert_eq!(add.timeout_seconds(), None);
    let schema = add.input_schema();
    assert_eq!(schema["properties"]["a"]["type"], "integer");
    assert_eq!(add.output_schema()["type"], "integer");
}
