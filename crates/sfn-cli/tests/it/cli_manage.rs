//! The management commands (`register`, `start`, `history`, …) against a `sfn serve`,
//! run as a user runs them, with `--endpoint`.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::{
    Server, TempDir, json_of, path, sfn, stderr, stdout, without_endpoint_variables,
};

const PASS: &str = r#"{"StartAt": "Greet", "States": {
    "Greet": {"Type": "Pass", "Parameters": {"greeting.$": "States.Format('hello {}', $.name)"}, "End": true}}}"#;

const PASS_CHANGED: &str = r#"{"StartAt": "Greet", "States": {
    "Greet": {"Type": "Pass", "Parameters": {"greeting.$": "States.Format('hi {}', $.name)"}, "End": true}}}"#;

const FAILS: &str = r#"{"StartAt": "Check", "States": {
    "Check": {"Type": "Pass", "Next": "No"},
    "No": {"Type": "Fail", "Error": "Nope", "Cause": "not today\nnor tomorrow"}}}"#;

const WAITS: &str = r#"{"StartAt": "Sleep", "States": {
    "Sleep": {"Type": "Wait", "Seconds": 3600, "End": true}}}"#;

const WORKS: &str = r#"{"StartAt": "Work", "States": {
    "Work": {"Type": "Task", "Resource": "arn:aws:states:::activity:cli-work", "End": true}}}"#;

const ROLE: &str = "arn:aws:iam::123456789012:role/sfn";

/// Registers `def` (the file `name.asl.json`) on `server`.
fn register(server: &Server, dir: &TempDir, name: &str, def: &str) -> std::process::Output {
    let file = dir.write(&format!("{name}.asl.json"), def);
    server.sfn(["register", path(&file), "--role-arn", ROLE])
}

fn code(out: &std::process::Output) -> Option<i32> {
    out.status.code()
}

/// The pretty JSON `--format json` prints.
fn pretty_json(out: &std::process::Output) -> Value {
    serde_json::from_str(&stdout(out))
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\nstderr:\n{}", stdout(out), stderr(out)))
}

#[test]
fn register_machines_activities_and_deregister() {
    let server = Server::start();
    let dir = TempDir::new("register");
    let file = dir.write("greet.asl.json", PASS);

    let out = server.sfn(["register", path(&file), "--role-arn", ROLE]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).to_lowercase().contains("created"),
        "{}",
        stdout(&out)
    );

    let out = server.sfn([
        "register",
        path(&file),
        "--role-arn",
        ROLE,
        "--format",
        "json",
    ]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    let v = pretty_json(&out);
    assert_eq!(v["outcome"], "unchanged", "{v}");
    assert_eq!(
        v["stateMachineArn"],
        "arn:aws:states:us-east-1:123456789012:stateMachine:greet"
    );

    // A dry run of a changed definition shows the change and makes none.
    std::fs::write(&file, PASS_CHANGED).unwrap_or_else(|e| panic!("{e}"));
    for _ in 0..2 {
        let out = server.sfn(["register", path(&file), "--role-arn", ROLE, "--dry-run"]);
        assert_eq!(code(&out), Some(0), "{}", stderr(&out));
        let text = stdout(&out).to_lowercase();
        assert!(text.contains("update") || text.contains("change"), "{text}");
        assert!(!text.contains("unchanged"), "{text}");
    }

    // A machine that names an activity registers it too.
    let out = register(&server, &dir, "work", WORKS);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));

    let out = server.sfn(["machines"]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("NAME"), "{text}");
    assert!(
        text.contains("greet") && text.contains("work") && text.contains("STANDARD"),
        "{text}"
    );
    let v = pretty_json(&server.sfn(["machines", "--format", "json"]));
    let names: Vec<&str> = v["stateMachines"]
        .as_array()
        .map(|a| a.iter().filter_map(|m| m["name"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(names.len(), 2, "{v}");
    assert!(names.contains(&"greet") && names.contains(&"work"), "{v}");

    let out = server.sfn(["activities"]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("cli-work"), "{}", stdout(&out));
    let v = pretty_json(&server.sfn(["activities", "--format", "json"]));
    assert_eq!(
        v["activities"][0]["activityArn"],
        "arn:aws:states:us-east-1:123456789012:activity:cli-work",
        "{v}"
    );

    // describe, by ARN: a machine, an activity.
    let out = server.sfn([
        "describe",
        "arn:aws:states:us-east-1:123456789012:stateMachine:greet",
    ]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("name:"), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("hello {}"),
        "definition shown: {}",
        stdout(&out)
    );
    let v = pretty_json(&server.sfn([
        "describe",
        "arn:aws:states:us-east-1:123456789012:activity:cli-work",
        "--format",
        "json",
    ]));
    assert_eq!(v["name"], "cli-work", "{v}");

    // deregister: the machine and the activity its registration created go.
    let out = server.sfn(["deregister", "work"]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    let v = pretty_json(&server.sfn(["activities", "--format", "json"]));
    assert_eq!(v, json!({"activities": []}));
    let v = pretty_json(&server.sfn(["machines", "--format", "json"]));
    assert_eq!(v["stateMachines"].as_array().map(Vec::len), Some(1), "{v}");
    let out = server.sfn(["deregister", "work"]);
    assert_eq!(code(&out), Some(3), "{}", stderr(&out));
    assert_eq!(stderr(&out).trim().lines().count(), 1, "{}", stderr(&out));
}

#[test]
fn start_wait_prints_the_result_and_the_history() {
    let server = Server::start();
    let dir = TempDir::new("start");
    assert_eq!(code(&register(&server, &dir, "greet", PASS)), Some(0));
    assert_eq!(code(&register(&server, &dir, "fails", FAILS)), Some(0));

    // A Pass machine: exit 0, the output printed as `sfn run` prints it.
    let out = server.sfn(["start", "greet", "--input", r#"{"name": "ada"}"#, "--wait"]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("status: SUCCEEDED"), "{text}");
    assert!(text.contains("\"greeting\": \"hello ada\""), "{text}");
    let progress = stderr(&out);
    assert!(
        progress.contains("sfn start: started arn:aws:states:"),
        "{progress}"
    );
    assert!(progress.contains("ended: succeeded"), "{progress}");

    let input = dir.write("input.json", r#"{"name": "grace"}"#);
    let at = format!("@{}", path(&input));
    let out = server.sfn([
        "start", "greet", "--input", &at, "--name", "second", "--wait", "--format", "json",
    ]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    let v = json_of(&out);
    assert_eq!(v["status"], "SUCCEEDED");
    assert_eq!(v["output"], json!({"greeting": "hello grace"}));
    let second = v["executionArn"].as_str().unwrap_or_default().to_owned();
    assert!(second.ends_with(":greet:second"), "{v}");

    // A failing machine: exit 1, error and cause printed.
    let out = server.sfn(["start", "fails", "--wait"]);
    assert_eq!(code(&out), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("status: FAILED"), "{text}");
    assert!(text.contains("error:  Nope"), "{text}");
    assert!(text.contains("cause:  not today"), "{text}");
    let out = server.sfn(["start", "fails", "--wait", "--format", "json"]);
    assert_eq!(code(&out), Some(1));
    let failed = json_of(&out);
    assert_eq!(
        (failed["error"].as_str(), failed["cause"].as_str()),
        (Some("Nope"), Some("not today\nnor tomorrow"))
    );
    let failed = failed["executionArn"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    // Without --wait: the ARN.
    let out = server.sfn(["start", "greet"]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).trim().starts_with("arn:aws:states:"),
        "{}",
        stdout(&out)
    );

    // executions, all and by status.
    let out = server.sfn(["executions", "greet"]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("second"), "{}", stdout(&out));
    let v = pretty_json(&server.sfn([
        "executions",
        "fails",
        "--status",
        "failed",
        "--format",
        "json",
    ]));
    assert_eq!(v["executions"].as_array().map(Vec::len), Some(2), "{v}");
    assert_eq!(v["executions"][0]["status"], "FAILED");
    let v = pretty_json(&server.sfn([
        "executions",
        "fails",
        "--status",
        "SUCCEEDED",
        "--format",
        "json",
    ]));
    assert_eq!(v, json!({"executions": []}));

    // describe an execution.
    let out = server.sfn(["describe", &second]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("status:") && text.contains("SUCCEEDED"),
        "{text}"
    );
    assert!(text.contains(r#"{"greeting":"hello grace"}"#), "{text}");
    let v = pretty_json(&server.sfn(["describe", &failed, "--format", "json"]));
    assert_eq!(
        (v["status"].as_str(), v["error"].as_str()),
        (Some("FAILED"), Some("Nope"))
    );

    // history, as text and as JSON.
    let out = server.sfn(["history", &failed]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("ExecutionStarted [1] @ "), "{text}");
    assert!(text.contains("FailStateEntered [4] @ "), "{text}");
    assert!(
        text.contains("    error: Nope\n    cause: not today\n           nor tomorrow\n"),
        "{text}"
    );
    let v = pretty_json(&server.sfn(["history", &second, "--format", "json"]));
    let events = v["events"].as_array().cloned().unwrap_or_default();
    let types: Vec<&str> = events.iter().filter_map(|e| e["type"].as_str()).collect();
    assert_eq!(
        types,
        [
            "ExecutionStarted",
            "PassStateEntered",
            "PassStateExited",
            "ExecutionSucceeded"
        ]
    );
    assert_eq!(events[1]["stateEnteredEventDetails"]["name"], "Greet");
    assert!(events[0]["timestamp"].is_number(), "{v}");
}

#[test]
fn an_express_execution_cannot_be_waited_for() {
    let server = Server::start();
    let dir = TempDir::new("express");
    let file = dir.write("quick.asl.json", PASS);
    let out = server.sfn([
        "register",
        path(&file),
        "--role-arn",
        ROLE,
        "--type",
        "express",
    ]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    let out = server.sfn(["start", "quick", "--wait"]);
    assert_eq!(code(&out), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("Express"), "{}", stderr(&out));
    let out = server.sfn(["start", "quick"]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains(":express:"), "{}", stdout(&out));
}

#[test]
fn stop_ends_a_running_execution() {
    let server = Server::start();
    let dir = TempDir::new("stop");
    assert_eq!(code(&register(&server, &dir, "sleeps", WAITS)), Some(0));
    let out = server.sfn(["start", "sleeps", "--format", "json"]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    let arn = pretty_json(&out)["executionArn"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let v = pretty_json(&server.sfn([
        "executions",
        "sleeps",
        "--status",
        "running",
        "--format",
        "json",
    ]));
    assert_eq!(v["executions"][0]["executionArn"], arn.as_str(), "{v}");

    let out = server.sfn([
        "stop",
        &arn,
        "--error",
        "Enough",
        "--cause",
        "tired of waiting",
    ]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("stopped"), "{}", stdout(&out));
    let v = pretty_json(&server.sfn(["describe", &arn, "--format", "json"]));
    assert_eq!(v["status"], "ABORTED", "{v}");
    assert_eq!(v["error"], "Enough", "{v}");
    assert_eq!(v["cause"], "tired of waiting", "{v}");
}

#[test]
fn bad_input_exits_two() {
    let server = Server::start();
    let dir = TempDir::new("bad-input");
    assert_eq!(code(&register(&server, &dir, "greet", PASS)), Some(0));

    let missing = dir.join("missing.asl.json");
    let out = server.sfn(["register", path(&missing), "--role-arn", ROLE]);
    assert_eq!(code(&out), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("cannot read"), "{}", stderr(&out));

    let invalid = dir.write(
        "invalid.asl.json",
        r#"{"StartAt": "Nowhere", "States": {}}"#,
    );
    let out = server.sfn(["register", path(&invalid), "--role-arn", ROLE]);
    assert_eq!(code(&out), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("invalid"), "{}", stderr(&out));

    let out = server.sfn(["start", "greet", "--input", "{not json"]);
    assert_eq!(code(&out), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("not valid JSON"), "{}", stderr(&out));
    assert_eq!(stderr(&out).trim().lines().count(), 1, "{}", stderr(&out));

    let out = server.sfn(["executions", "greet", "--status", "sleepy"]);
    assert_eq!(code(&out), Some(2), "{}", stderr(&out));

    let out = server.sfn(["start", "greet", "--name", "has spaces"]);
    assert_eq!(code(&out), Some(2), "{}", stderr(&out));

    let out = sfn()
        .args(["machines", "--endpoint", "ftp://nowhere"])
        .output();
    let out = out.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(code(&out), Some(2), "{}", stderr(&out));
}

#[test]
fn an_unreachable_endpoint_exits_three_quickly() {
    // A port nothing listens on: bound, then let go.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("{e}"));
    let url = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    let out = without_endpoint_variables(sfn())
        .args(["machines", "--endpoint", &url])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(code(&out), Some(3), "{}", stderr(&out));
    let reason = stderr(&out);
    assert!(reason.starts_with("sfn machines: "), "{reason}");
    assert_eq!(reason.trim().lines().count(), 1, "{reason}");
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );

    // The endpoint may come from the environment too.
    let out = without_endpoint_variables(sfn())
        .args(["start", "greet"])
        .env("AWS_ENDPOINT_URL", &url)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(code(&out), Some(3), "{}", stderr(&out));
}

#[test]
fn the_endpoint_may_come_from_the_environment() {
    let server = Server::start();
    let out = without_endpoint_variables(sfn())
        .args(["machines", "--format", "json"])
        .env("AWS_ENDPOINT_URL", &server.url)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    assert_eq!(pretty_json(&out), json!({"stateMachines": []}));
}
