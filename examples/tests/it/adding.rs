//! The `adding` program, sfini's own example: on the embedded engine, and against a local
//! endpoint through the AWS back end, with the same code.

use std::{net::SocketAddr, process::Command};

use sfn_runtime::{local::LocalEngine, server::Server};

/// Runs the program with only the given variables (and `PATH`, and a `HOME` with no AWS
/// configuration), and answers its standard output.
fn adding(vars: &[(&str, &str)]) -> String {
    let home = std::env::temp_dir().join(format!("adding-home-{}", std::process::id()));
    let out = Command::new(env!("CARGO_BIN_EXE_adding"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &home)
        .envs(vars.iter().copied())
        .output()
        .unwrap_or_else(|e| panic!("cannot run adding: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{}\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// What every run prints, whichever the back end.
fn check(stdout: &str) {
    for expected in [
        "created Adding: arn:aws:states:us-east-1:123456789012:stateMachine:Adding",
        "activity addActivity (created)",
        r#"output: {"a":3,"b":42,"added":45}"#,
        "ActivitySucceeded [5]",
        "ExecutionSucceeded [7]",
        "worker: 1 task(s) answered",
        "deleted arn:aws:states:us-east-1:123456789012:stateMachine:Adding",
        "deleted activity arn:aws:states:us-east-1:123456789012:activity:addActivity",
    ] {
        assert!(
            stdout.contains(expected),
            "{expected:?} missing from:\n{stdout}"
        );
    }
}

#[test]
fn runs_on_the_embedded_engine_with_no_configuration() {
    check(&adding(&[]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn runs_against_a_local_endpoint_unchanged() {
    let engine = LocalEngine::new();
    let server = Server::builder()
        .engine(engine.clone())
        .bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        // The worker's stop awaits its held poll: keep the hold short.
        .activity_poll_timeout(std::time::Duration::from_secs(1))
        .build()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let url = server.endpoint_url();
    let stdout = tokio::task::spawn_blocking(move || {
        adding(&[
            ("AWS_ENDPOINT_URL", url.as_str()),
            ("SFN_ROLE_ARN", "arn:aws:iam::123456789012:role/adding"),
        ])
    })
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    check(&stdout);
    assert!(
        stdout.contains("role: arn:aws:iam::123456789012:role/adding"),
        "{stdout}"
    );
    // Nothing is left behind on the endpoint.
    assert!(engine.list_activities().is_empty());
    assert!(engine.list_state_machines().is_empty());
}
