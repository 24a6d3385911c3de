//! `sfn run`, run as a user runs it.

use std::time::{Duration, Instant};

use serde_json::json;

use crate::support::{TempDir, examples, json_of, path, run, sfn, stderr, stdout, validate};

const HELLO: &str = r#"{"StartAt": "Greet", "States": {
    "Greet": {"Type": "Pass", "Parameters": {"greeting.$": "States.Format('hello {}', $.name)"}, "End": true}}}"#;

#[test]
fn success_prints_the_output_and_exits_zero() {
    let dir = TempDir::new("success");
    let def = dir.write("hello.asl.json", HELLO);
    let out = run([
        path(&def),
        "--input",
        r#"{"name": "ada"}"#,
        "--output",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        json_of(&out),
        json!({"status": "SUCCEEDED", "output": {"greeting": "hello ada"}})
    );

    let text = run([path(&def), "--input", r#"{"name": "ada"}"#]);
    assert_eq!(text.status.code(), Some(0));
    let s = stdout(&text);
    assert!(s.contains("status: SUCCEEDED"), "{s}");
    assert!(
        s.contains("\"greeting\": \"hello ada\""),
        "pretty-printed: {s}"
    );
}

#[test]
fn input_from_a_file() {
    let dir = TempDir::new("input-file");
    let def = dir.write("hello.json", HELLO);
    let input = dir.write("input.json", r#"{"name": "grace"}"#);
    let at = format!("@{}", path(&input));
    let out = run([path(&def), "--input", &at, "--output", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json_of(&out)["output"], json!({"greeting": "hello grace"}));
    let missing = format!("@{}", path(&dir.join("missing.json")));
    let out = run([path(&def), "--input", &missing]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot read"), "{}", stderr(&out));
}

#[test]
fn failure_prints_error_and_cause_and_exits_one() {
    let dir = TempDir::new("failure");
    let def = dir.write(
        "fails.asl.json",
        r#"{"StartAt": "No", "States": {"No": {"Type": "Fail", "Error": "Nope", "Cause": "not today"}}}"#,
    );
    let out = run([path(&def), "--output", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        json_of(&out),
        json!({"status": "FAILED", "error": "Nope", "cause": "not today"})
    );
    let text = run([path(&def)]);
    assert_eq!(text.status.code(), Some(1));
    let s = stdout(&text);
    assert!(
        s.contains("status: FAILED") && s.contains("Nope") && s.contains("not today"),
        "{s}"
    );
}

#[test]
fn bad_input_json_exits_two() {
    let dir = TempDir::new("bad-input");
    let def = dir.write("hello.asl.json", HELLO);
    let out = run([path(&def), "--input", "{\"name\": "]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(stderr(&out).contains("not valid JSON"), "{}", stderr(&out));
}

#[test]
fn an_invalid_definition_exits_two_with_its_diagnostics() {
    let dir = TempDir::new("invalid");
    let def = dir.write(
        "broken.asl.json",
        r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}}"#,
    );
    let out = run([path(&def)]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("/States/A/Next"), "{err}");
    assert!(err.contains("invalid (2 errors"), "{err}");
    // The same lines as `sfn validate`.
    let validated = validate([path(&def)]);
    let first = stdout(&validated).lines().next().map(str::to_owned);
    assert_eq!(err.lines().next().map(str::to_owned), first);

    let out = run([path(&def), "--output", "json"]);
    assert_eq!(out.status.code(), Some(2));
    let report = json_of(&out);
    assert_eq!(report["valid"], json!(false));
    let locations: Vec<&str> = report["diagnostics"]
        .as_array()
        .map(|d| d.iter().filter_map(|d| d["location"].as_str()).collect())
        .unwrap_or_default();
    assert!(locations.contains(&"/States/A/Next"), "{report}");

    let missing = run([path(&dir.join("missing.asl.json"))]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("cannot read"));
}

const RETRIED: &str = r#"{"StartAt": "Charge", "States": {
    "Charge": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:charge",
      "Retry": [{"ErrorEquals": ["Busy"], "IntervalSeconds": 600, "MaxAttempts": 2}],
      "End": true}}}"#;

const RETRY_MOCKS: &str = r#"{
  "StateMachines": {"charge": {"TestCases": {
    "Retried": {"Charge": "BusyThenCharged"},
    "GivesUp": {"Charge": "AlwaysBusy"}
  }}},
  "MockedResponses": {
    "BusyThenCharged": {
      "0": {"Throw": {"Error": "Busy", "Cause": "try again"}},
      "1": {"Return": {"chargeId": "ch_1"}}
    },
    "AlwaysBusy": {"0-2": {"Throw": {"Error": "Busy", "Cause": "still busy"}}}
  }
}"#;

#[test]
fn mocks_throw_then_return_through_a_retry() {
    let dir = TempDir::new("mocks");
    let def = dir.write("charge.asl.json", RETRIED);
    let mocks = dir.write("mocks.json", RETRY_MOCKS);
    let args = |case| {
        [
            path(&def),
            "--mocks",
            path(&mocks),
            "--test-case",
            case,
            "--clock",
            "virtual",
            "--history",
            "--output",
            "json",
        ]
    };
    let out = run(args("Retried"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let result = json_of(&out);
    assert_eq!(result["output"], json!({"chargeId": "ch_1"}));
    let types: Vec<&str> = result["history"]
        .as_array()
        .map(|h| h.iter().filter_map(|e| e["type"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        types
            .iter()
            .filter(|t| **t == "LambdaFunctionFailed")
            .count(),
        1,
        "{types:?}"
    );
    assert_eq!(types.last(), Some(&"ExecutionSucceeded"));

    let out = run(args("GivesUp"));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let result = json_of(&out);
    assert_eq!(result["error"], json!("Busy"));
    assert_eq!(result["cause"], json!("still busy"));
}

#[test]
fn mock_file_errors_exit_two_with_their_location() {
    let dir = TempDir::new("mock-errors");
    let def = dir.write("charge.asl.json", RETRIED);
    let mocks = dir.write("mocks.json", RETRY_MOCKS);
    let out = run([path(&def), "--mocks", path(&mocks), "--test-case", "Retry"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("/StateMachines/charge/TestCases: no test case 'Retry'"),
        "{err}"
    );
    assert!(err.contains("'Retried', 'GivesUp'"), "{err}");

    // The machine is named after the file: another name is not in the mock file.
    let other = dir.write("refund.asl.json", RETRIED);
    let out = run([
        path(&other),
        "--mocks",
        path(&mocks),
        "--test-case",
        "Retried",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no state machine 'refund'"),
        "{}",
        stderr(&out)
    );

    let bad = dir.write(
        "bad.json",
        r#"{"StateMachines": {"charge": {"TestCases": {"T": {"Charge": "R"}}}},
            "MockedResponses": {"R": {"0": {"Return": 1}, "2": {"Return": 2}}}}"#,
    );
    let out = run([path(&def), "--mocks", path(&bad), "--test-case", "T"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("bad.json: /MockedResponses/R: invocation 1 has no response"),
        "{err}"
    );

    // --mocks and --test-case go together.
    let out = run([path(&def), "--mocks", path(&mocks)]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_long_wait_passes_instantly_on_the_virtual_clock() {
    let dir = TempDir::new("wait");
    let def = dir.write(
        "sleepy.asl.json",
        r#"{"StartAt": "Year", "States": {
            "Year": {"Type": "Wait", "Seconds": 31536000, "Next": "Done"},
            "Done": {"Type": "Pass", "Result": "woke up", "End": true}}}"#,
    );
    let started = Instant::now();
    let out = run([
        path(&def),
        "--clock",
        "virtual",
        "--history",
        "--output",
        "json",
    ]);
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let result = json_of(&out);
    assert_eq!(result["output"], json!("woke up"));
    let stamps: Vec<&str> = result["history"]
        .as_array()
        .map(|h| h.iter().filter_map(|e| e["timestamp"].as_str()).collect())
        .unwrap_or_default();
    let (Some(first), Some(last)) = (stamps.first(), stamps.last()) else {
        panic!("no history: {result}");
    };
    let year = |s: &str| s.get(..4).and_then(|y| y.parse::<i32>().ok()).unwrap_or(0);
    assert!(
        year(last) - year(first) >= 1 || last > first,
        "{first} .. {last}"
    );
}

#[test]
fn history_is_readable_by_default() {
    let dir = TempDir::new("history");
    let def = dir.write("hello.asl.json", HELLO);
    let out = run([path(&def), "--input", r#"{"name": "ada"}"#, "--history"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let s = stdout(&out);
    for needle in [
        "ExecutionStarted",
        "PassStateEntered",
        "Greet",
        "ExecutionSucceeded",
    ] {
        assert!(s.contains(needle), "{needle} in\n{s}");
    }
    assert!(s.trim_end().ends_with('}'), "the result comes last:\n{s}");
}

#[test]
fn a_service_integration_is_named_by_service_and_action_in_the_history() {
    // Its task events name the action (`invoke`); the line gives the service too.
    let dir = TempDir::new("action");
    let def = dir.write(
        "call.asl.json",
        r#"{"StartAt": "Call", "States": {"Call": {"Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Arguments": {"FunctionName": "f"}, "QueryLanguage": "JSONata", "End": true}}}"#,
    );
    let mocks = dir.write(
        "mocks.json",
        r#"{"StateMachines": {"call": {"TestCases": {"Ok": {"Call": "Ok"}}}},
            "MockedResponses": {"Ok": {"0": {"Return": {"Payload": 1}}}}}"#,
    );
    let out = run([
        path(&def),
        "--mocks",
        path(&mocks),
        "--test-case",
        "Ok",
        "--history",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let s = stdout(&out);
    let scheduled = s.lines().find(|l| l.contains("TaskScheduled"));
    assert!(
        scheduled.is_some_and(|l| l.trim_end().ends_with("lambda:invoke")),
        "{s}"
    );
}

#[test]
fn the_example_machine_runs_with_its_mocks() {
    let dir = examples();
    let def = dir.join("orders.asl.json");
    let mocks = dir.join("orders.mocks.json");
    let input = format!("@{}", path(&dir.join("orders.input.json")));
    let case = |name: &str| {
        run([
            path(&def),
            "--input",
            &input,
            "--mocks",
            path(&mocks),
            "--test-case",
            name,
            "--clock",
            "virtual",
            "--output",
            "json",
        ])
    };
    let happy = case("HappyPath");
    assert_eq!(happy.status.code(), Some(0), "{}", stderr(&happy));
    assert_eq!(
        json_of(&happy)["output"],
        json!({"orderId": "o-1001", "status": "SHIPPED", "total": 91.0, "chargeId": "ch_0001", "items": 2})
    );
    let declined = case("CardDeclined");
    assert_eq!(declined.status.code(), Some(1));
    assert_eq!(
        json_of(&declined),
        json!({"status": "FAILED", "error": "PaymentFailed", "cause": "Insufficient funds."})
    );
    let rejected = case("Rejected");
    assert_eq!(rejected.status.code(), Some(1));
    assert_eq!(json_of(&rejected)["error"], json!("OrderRejected"));
}

#[test]
fn a_ten_thousand_transition_loop() {
    let dir = TempDir::new("loop");
    let def = dir.write(
        "counter.asl.json",
        r#"{"StartAt": "Init", "States": {
        "Init": {"Type": "Pass", "Result": {"count": 0}, "Next": "Check"},
        "Check": {"Type": "Choice", "Choices": [{"Variable": "$.count", "NumericGreaterThanEquals": 5000, "Next": "Done"}], "Default": "Inc"},
        "Inc": {"Type": "Pass", "Parameters": {"count.$": "States.MathAdd($.count, 1)"}, "Next": "Check"},
        "Done": {"Type": "Succeed"}}}"#,
    );
    let started = Instant::now();
    let out = run([path(&def), "--clock", "virtual", "--output", "json"]);
    let elapsed = started.elapsed();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json_of(&out)["output"], json!({"count": 5000}));
    println!("10,003 transitions through `sfn run` in {elapsed:?}");
}

#[test]
fn input_from_standard_input() {
    use std::io::Write;
    let dir = TempDir::new("stdin");
    let def = dir.write("hello.asl.json", HELLO);
    let mut child = sfn()
        .args(["run", path(&def), "--input", "@-", "--output", "json"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(br#"{"name": "piped"}"#)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json_of(&out)["output"], json!({"greeting": "hello piped"}));
}

#[test]
fn mocking_a_state_that_is_not_a_task_warns() {
    let dir = TempDir::new("mock-warning");
    let def = dir.write("charge.asl.json", RETRIED);
    let mocks = dir.write(
        "mocks.json",
        r#"{"StateMachines": {"charge": {"TestCases": {"T": {"Charge": "Ok", "Chrage": "Ok"}}}},
            "MockedResponses": {"Ok": {"0": {"Return": {"chargeId": "ch_2"}}}}}"#,
    );
    let out = run([
        path(&def),
        "--mocks",
        path(&mocks),
        "--test-case",
        "T",
        "--output",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json_of(&out)["output"], json!({"chargeId": "ch_2"}));
    assert!(
        stderr(&out).contains("mocks 'Chrage', which is not a Task state of 'charge'"),
        "{}",
        stderr(&out)
    );
}

/// `--objects DIR` stands in for S3: a distributed Map reads its items from
/// `DIR/BUCKET/KEY` and writes its results under `DIR`; without it such a Map fails with
/// `States.ItemReaderFailed`, as the engine documents.
#[test]
fn a_distributed_map_reads_and_writes_a_folder_given_by_objects() {
    let dir = TempDir::new("objects");
    let objects = dir.join("s3");
    std::fs::create_dir_all(objects.join("data")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        objects.join("data/items.json"),
        r#"[{"n": 1}, {"n": 2}, {"n": 3}]"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let def = dir.write(
        "reader.asl.json",
        r#"{"StartAt": "Each", "States": {"Each": {"Type": "Map",
            "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
                "ReaderConfig": {"InputType": "JSON"},
                "Parameters": {"Bucket": "data", "Key": "items.json"}},
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "Double", "States": {"Double": {"Type": "Pass",
                    "Parameters": {"twice.$": "States.MathAdd($.n, $.n)"}, "End": true}}},
            "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject",
                "Parameters": {"Bucket": "out", "Prefix": "runs"}},
            "End": true}}}"#,
    );
    let out = run([path(&def), "--objects", path(&objects), "--output", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let output = &json_of(&out)["output"];
    assert_eq!(
        output["ResultWriterDetails"]["Bucket"],
        json!("out"),
        "{output}"
    );
    let manifest_key = output["ResultWriterDetails"]["Key"]
        .as_str()
        .unwrap_or_else(|| panic!("no manifest key: {output}"));
    let manifest = objects.join("out").join(manifest_key);
    let text = std::fs::read_to_string(&manifest)
        .unwrap_or_else(|e| panic!("{}: {e}", manifest.display()));
    assert!(text.contains("SUCCEEDED"), "{text}");

    let without = run([path(&def), "--output", "json"]);
    assert_eq!(without.status.code(), Some(1), "{}", stderr(&without));
    assert_eq!(json_of(&without)["error"], json!("States.ItemReaderFailed"));
}

/// `--format json`, as every other command spells it, is `--output json`.
#[test]
fn format_is_output_as_the_other_commands_spell_it() {
    let dir = TempDir::new("format");
    let def = dir.write("hello.asl.json", HELLO);
    let out = run([
        path(&def),
        "--input",
        r#"{"name": "ada"}"#,
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json_of(&out)["output"], json!({"greeting": "hello ada"}));
}
