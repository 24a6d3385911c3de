//! The `add_worker` program against a local endpoint: it serves tasks, prints a line for
//! each, and on SIGTERM stops polling, finishes and exits 0.

use std::{
    io::{BufRead, BufReader},
    net::SocketAddr,
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use serde_json::json;
use sfn_runtime::{
    local::{ExecutionStatus, LocalEngine, StartExecution},
    server::Server,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worker_serves_tasks_and_stops_cleanly_on_sigterm() {
    let engine = LocalEngine::new();
    let server = Server::builder()
        .engine(engine.clone())
        .bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .activity_poll_timeout(Duration::from_millis(500))
        .build()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // No AWS configuration but the endpoint: test credentials, us-east-1.
    let home = std::env::temp_dir().join(format!("add-worker-home-{}", std::process::id()));
    let mut child = Command::new(env!("CARGO_BIN_EXE_add_worker"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &home)
        .env("AWS_ENDPOINT_URL", server.endpoint_url())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("spawn: {e}"));
    let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
    let lines = std::thread::spawn(move || {
        BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .collect::<Vec<_>>()
    });

    // The worker creates its activity.
    let started = Instant::now();
    while engine.list_activities().is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no activity created"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let activity = engine.list_activities().remove(0);
    let definition = format!(
        r#"{{"StartAt": "Add", "States": {{"Add": {{"Type": "Task", "Resource": "{activity}", "End": true}}}}}}"#
    );
    let machine = engine
        .create_state_machine_json("adder", &definition)
        .unwrap_or_else(|e| panic!("{e}"));
    for i in 0..5 {
        let run = engine
            .start_execution(&machine, StartExecution::new(json!({"a": i, "b": 40})))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let done = tokio::time::timeout(Duration::from_secs(20), run.wait())
            .await
            .unwrap_or_else(|_| panic!("no answer"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
        assert_eq!(done.output, Some(json!(i + 40)));
    }

    let term = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap_or_else(|e| panic!("kill: {e}"));
    assert!(term.success());
    let stopping = Instant::now();
    let status = tokio::task::spawn_blocking(move || child.wait())
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|e| panic!("wait: {e}"));
    assert!(status.success(), "{status:?}");
    // The polls out are awaited: at most their hold, here half a second.
    assert!(stopping.elapsed() < Duration::from_secs(5));
    let lines = lines.join().unwrap_or_default();
    assert_eq!(lines.len(), 5, "{lines:?}");
    assert!(lines[0].ends_with(r#"{"a":0,"b":40} → 40"#), "{lines:?}");
    server.shutdown().await;
}
