//! The `task_tools` program with no configuration: the embedded engine and the embedded
//! store; a list fanned out through a Map, and a task that stops its own execution.

use std::process::Command;

#[test]
fn fans_out_and_stops_on_the_embedded_engine() {
    let home = std::env::temp_dir().join(format!("task-tools-home-{}", std::process::id()));
    let out = Command::new(env!("CARGO_BIN_EXE_task_tools"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &home)
        .env("TMPDIR", std::env::temp_dir())
        .output()
        .unwrap_or_else(|e| panic!("cannot run task_tools: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("enabled:  SUCCEEDED"), "{stdout}");
    assert!(
        stdout.contains("disabled: ABORTED Disabled: the import is switched off"),
        "{stdout}"
    );
}
