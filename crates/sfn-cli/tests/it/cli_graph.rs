//! `sfn graph`, run as a user runs it.

use crate::support::{TempDir, path, sfn, stderr, stdout};

const MACHINE: &str = r#"{
  "StartAt": "Charge",
  "States": {
    "Charge": {
      "Type": "Task",
      "Resource": "arn:aws:states:us-east-1:123456789012:activity:charge",
      "Catch": [ { "ErrorEquals": ["CardDeclined"], "Next": "Fallback" } ],
      "Next": "Done"
    },
    "Fallback": { "Type": "Fail", "Error": "Declined" },
    "Done": { "Type": "Succeed" }
  }
}"#;

const HISTORY: &str = r#"{"events": [
  {"id": 1, "previousEventId": 0, "type": "ExecutionStarted", "executionStartedEventDetails": {"input": "{}"}},
  {"id": 2, "previousEventId": 1, "type": "TaskStateEntered", "stateEnteredEventDetails": {"name": "Charge", "input": "{}"}},
  {"id": 3, "previousEventId": 2, "type": "ActivityScheduled", "activityScheduledEventDetails": {"resource": "arn:aws:states:us-east-1:123456789012:activity:charge"}},
  {"id": 4, "previousEventId": 3, "type": "ActivityFailed", "activityFailedEventDetails": {"error": "CardDeclined"}},
  {"id": 5, "previousEventId": 4, "type": "FailStateEntered", "stateEnteredEventDetails": {"name": "Fallback", "input": "{}"}},
  {"id": 6, "previousEventId": 5, "type": "ExecutionFailed", "executionFailedEventDetails": {"error": "Declined"}}
]}"#;

fn graph<'a>(args: impl IntoIterator<Item = &'a str>) -> std::process::Output {
    sfn()
        .arg("graph")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run sfn graph: {e}"))
}

#[test]
fn svg_by_default_mermaid_and_dot_on_request() {
    let dir = TempDir::new("graph");
    let def = dir.write("charge.asl.json", MACHINE);
    let out = graph([path(&def)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let svg = stdout(&out);
    assert!(svg.starts_with("<svg"), "{svg}");
    for name in ["Charge", "Fallback", "Done"] {
        assert!(svg.contains(&format!("data-name=\"{name}\"")), "{name}");
    }
    let out = graph([path(&def), "--format", "mermaid"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout(&out).contains(r#"-.->|"Catch: CardDeclined"|"#),
        "{}",
        stdout(&out)
    );
    let out = graph([path(&def), "--format", "dot"]);
    assert!(stdout(&out).starts_with("digraph machine {"));
}

#[test]
fn history_overlaid_into_a_file() {
    let dir = TempDir::new("graph-history");
    let def = dir.write("charge.asl.json", MACHINE);
    let history = dir.write("history.json", HISTORY);
    let target = dir.join("charge.mmd");
    let out = graph([path(&def), "--history", path(&history), "-o", path(&target)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
    let text = std::fs::read_to_string(&target).unwrap_or_default();
    // The extension chose Mermaid; the caught Task is orange, the Fail state red.
    assert!(text.starts_with("flowchart TD"), "{text}");
    assert!(
        text.contains("style s0 fill:#ffe8cc,stroke:#ec7211"),
        "{text}"
    );
    assert!(
        text.contains("style s1 fill:#fbd8d3,stroke:#d13212"),
        "{text}"
    );
    assert!(
        text.contains("style s2 fill:#f2f3f3,stroke:#aab7b8"),
        "{text}"
    );
}

#[test]
fn unreadable_or_invalid_input_exits_two() {
    let dir = TempDir::new("graph-bad");
    let out = graph(["/nonexistent/definition.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot read"), "{}", stderr(&out));
    let bad = dir.write(
        "bad.json",
        r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"}}}"#,
    );
    let out = graph([path(&bad)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("MISSING_TRANSITION_TARGET"),
        "{}",
        stderr(&out)
    );
    let def = dir.write("ok.json", MACHINE);
    let history = dir.write("history.json", r#"{"Events": []}"#);
    let out = graph([path(&def), "--history", path(&history)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("events"), "{}", stderr(&out));
}

#[test]
fn execution_read_from_an_endpoint() {
    use std::{
        io::{BufRead, BufReader},
        process::Stdio,
    };

    use crate::support::{Running, request};

    let child = sfn()
        .args(["serve", "--bind", "127.0.0.1:0"])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run sfn serve: {e}"));
    let mut server = Running(child);
    let log = server
        .0
        .stderr
        .take()
        .unwrap_or_else(|| panic!("no stderr"));
    let mut lines = BufReader::new(log).lines();
    let first = lines
        .next()
        .and_then(Result::ok)
        .unwrap_or_else(|| panic!("sfn serve printed nothing"));
    // The request log is read, so that the server never blocks on a full pipe.
    std::thread::spawn(move || lines.map_while(Result::ok).for_each(drop));
    let addr = first
        .split("http://")
        .nth(1)
        .unwrap_or_else(|| panic!("no address in {first:?}"))
        .trim()
        .to_owned();

    let definition = r#"{"StartAt":"Hello","States":{"Hello":{"Type":"Pass","Next":"Done"},"Done":{"Type":"Succeed"}}}"#;
    let dir = TempDir::new("graph-execution");
    let def = dir.write("hello.asl.json", definition);
    let create = serde_json::json!({
        "name": "hello",
        "definition": definition,
        "roleArn": "arn:aws:iam::123456789012:role/sfn",
    });
    let (status, body) = request(&addr, "CreateStateMachine", &create.to_string());
    assert_eq!(status, 200, "{body}");
    let arn = "arn:aws:states:us-east-1:123456789012:stateMachine:hello";
    let start = serde_json::json!({"stateMachineArn": arn, "input": "{}"});
    let (status, body) = request(&addr, "StartExecution", &start.to_string());
    assert_eq!(status, 200, "{body}");
    let execution = body["executionArn"].as_str().unwrap_or_default().to_owned();
    for _ in 0..500 {
        let (_, d) = request(
            &addr,
            "DescribeExecution",
            &serde_json::json!({"executionArn": execution}).to_string(),
        );
        if d["status"] != "RUNNING" {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let endpoint = format!("http://{addr}");
    let out = graph([
        path(&def),
        "--execution",
        &execution,
        "--endpoint",
        &endpoint,
        "--format",
        "mermaid",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    // Both states succeeded: green.
    assert!(
        text.contains("style s0 fill:#d9f2dc,stroke:#1d8102"),
        "{text}"
    );
    assert!(
        text.contains("style s1 fill:#d9f2dc,stroke:#1d8102"),
        "{text}"
    );

    // An execution the endpoint does not know: the service refused, exit 3.
    let out = graph([
        path(&def),
        "--execution",
        "arn:aws:states:us-east-1:123456789012:execution:hello:nope",
        "--endpoint",
        &endpoint,
    ]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
}

#[test]
fn history_of_sfn_run() {
    let machine = r#"{
      "StartAt": "Fan",
      "States": {
        "Fan": {
          "Type": "Parallel",
          "Branches": [
            { "StartAt": "A", "States": { "A": { "Type": "Pass", "End": true } } },
            { "StartAt": "B", "States": { "B": { "Type": "Pass", "End": true } } }
          ],
          "ResultPath": null,
          "Next": "Each"
        },
        "Each": {
          "Type": "Map",
          "ItemsPath": "$.items",
          "MaxConcurrency": 1,
          "ItemProcessor": {
            "StartAt": "Item",
            "States": {
              "Item": {
                "Type": "Choice",
                "Choices": [ { "Variable": "$", "NumericEquals": 2, "Next": "Boom" } ],
                "Default": "Fine"
              },
              "Boom": { "Type": "Fail", "Error": "Two" },
              "Fine": { "Type": "Succeed" }
            }
          },
          "Catch": [ { "ErrorEquals": ["States.ALL"], "ResultPath": null, "Next": "Sign" } ],
          "ResultPath": null,
          "Next": "Sign"
        },
        "Sign": {
          "Type": "Choice",
          "Choices": [ { "Variable": "$.ok", "BooleanEquals": true, "Next": "Good" } ],
          "Default": "Bad"
        },
        "Good": { "Type": "Succeed" },
        "Bad": { "Type": "Fail", "Error": "NotOk" }
      }
    }"#;
    let dir = TempDir::new("graph-run");
    let def = dir.write("fan.asl.json", machine);
    let run = crate::support::run([
        path(&def),
        "--input",
        r#"{"items": [1, 2, 3], "ok": false}"#,
        "--history",
        "--output",
        "json",
    ]);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    let history = dir.write("run.json", &stdout(&run));
    let out = graph([
        path(&def),
        "--history",
        path(&history),
        "--format",
        "mermaid",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let style = |id: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(&format!("style {id} ")))
            .unwrap_or_default()
            .to_owned()
    };
    let (green, red, orange, grey) = ("#d9f2dc", "#fbd8d3", "#ffe8cc", "#f2f3f3");
    for (id, colour) in [
        ("s0", green),  // Fan
        ("s1", green),  // A
        ("s2", green),  // B
        ("s3", orange), // Each: an iteration failed, its Catch took over
        ("s5", red),    // Boom
        ("s6", green),  // Fine
        ("s7", green),  // Sign
        ("s8", grey),   // Good
        ("s9", red),    // Bad
    ] {
        assert!(style(id).contains(colour), "{id}: {}\n{text}", style(id));
    }
    assert!(text.contains("1/3 succeeded, 1 failed"), "{text}");
}

/// The README's picture, `docs/orders-run.svg`, is what `sfn graph` draws today for a run
/// of `examples/machines/orders.asl.json` (its `HappyPath` test case): a run of `sfn run`
/// overlaid on the machine. `UPDATE_GOLDEN=1` rewrites it.
#[test]
fn the_readme_picture_is_current() {
    let machines = crate::support::examples();
    let def = machines.join("orders.asl.json");
    let run = sfn()
        .arg("run")
        .arg(&def)
        .arg("--input")
        .arg(format!("@{}", path(&machines.join("orders.input.json"))))
        .arg("--mocks")
        .arg(machines.join("orders.mocks.json"))
        .args([
            "--test-case",
            "HappyPath",
            "--clock",
            "virtual",
            "--history",
        ])
        .args(["--output", "json"])
        .output()
        .unwrap_or_else(|e| panic!("cannot run sfn run: {e}"));
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let dir = TempDir::new("readme-picture");
    let history = dir.write("run.json", &stdout(&run));
    let out = graph([path(&def), "--history", path(&history)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let drawn = stdout(&out);
    let committed = machines.join("../../docs/orders-run.svg");
    if std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        std::fs::write(&committed, &drawn)
            .unwrap_or_else(|e| panic!("{}: {e}", committed.display()));
    }
    let text = std::fs::read_to_string(&committed)
        .unwrap_or_else(|e| panic!("{}: {e}", committed.display()));
    assert!(
        text == drawn,
        "{} is not what `sfn graph` draws today; run this test with UPDATE_GOLDEN=1 to redraw it",
        committed.display()
    );
}
