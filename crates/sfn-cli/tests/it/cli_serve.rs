//! `sfn serve`, run as a user runs it: it answers the API, logs each request, and stops
//! cleanly on SIGTERM.

use std::{
    io::{BufRead, BufReader},
    process::{Command, Stdio},
    sync::mpsc,
    time::Duration,
};

use crate::support::{Running, request};

fn sfn() -> Command {
    Command::new(env!("CARGO_BIN_EXE_sfn"))
}

#[test]
fn serve_answers_logs_and_stops_on_sigterm() {
    let child = sfn()
        .args([
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--activity-poll-seconds",
            "1",
        ])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run sfn: {e}"));
    let mut server = Running(child);
    let stderr = server.0.stderr.take().expect("stderr");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let next = || {
        rx.recv_timeout(Duration::from_secs(20))
            .unwrap_or_else(|e| panic!("no line on stderr: {e}"))
    };
    let first = next();
    let addr = first
        .split("http://")
        .nth(1)
        .unwrap_or_else(|| panic!("no address in {first:?}"))
        .trim()
        .to_owned();

    let (status, body) = request(&addr, "CreateActivity", r#"{"name": "cli"}"#);
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["activityArn"],
        "arn:aws:states:us-east-1:123456789012:activity:cli"
    );
    let (status, body) = request(&addr, "Nope", "{}");
    assert_eq!(
        (status, body["__type"].as_str()),
        (400, Some("UnknownOperationException"))
    );

    let log = next();
    assert!(
        log.contains("CreateActivity") && log.contains("200"),
        "{log:?}"
    );

    let pid = server.0.id().to_string();
    let killed = Command::new("kill").args(["-TERM", &pid]).status();
    assert!(killed.is_ok_and(|s| s.success()));
    // A clean stop is quick; the bound is generous for a loaded machine.
    let mut status = None;
    for _ in 0..3000 {
        if let Ok(Some(s)) = server.0.try_wait() {
            status = Some(s);
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(status.map(|s| s.code()), Some(Some(0)));
}

#[test]
fn serve_warns_about_a_non_loopback_address_and_refuses_unreadable_mocks() {
    let out = sfn()
        .args([
            "serve",
            "--bind",
            "0.0.0.0:0",
            "--mock-config",
            "/nonexistent/mocks.json",
        ])
        .output()
        .unwrap_or_else(|e| panic!("cannot run sfn: {e}"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("not a loopback address"), "{stderr}");
    assert!(stderr.contains("/nonexistent/mocks.json"), "{stderr}");
}
