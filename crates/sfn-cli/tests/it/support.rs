//! Helpers of the `sfn` program's tests, written once: running the program, reading what
//! it printed, and temporary folders for the files it reads.

use std::{
    ffi::OsStr,
    io::{Read, Write},
    net::TcpStream,
    path::{Path, PathBuf},
    process::{Child, Command, Output},
    sync::atomic::{AtomicUsize, Ordering},
    time::Duration,
};

use serde_json::Value;

/// The `sfn` program, ready for its arguments.
pub(crate) fn sfn() -> Command {
    Command::new(env!("CARGO_BIN_EXE_sfn"))
}

/// Runs `sfn run ARGS` to its end.
pub(crate) fn run<S: AsRef<OsStr>>(args: impl IntoIterator<Item = S>) -> Output {
    subcommand("run", args)
}

/// Runs `sfn validate ARGS` to its end.
pub(crate) fn validate<S: AsRef<OsStr>>(args: impl IntoIterator<Item = S>) -> Output {
    subcommand("validate", args)
}

/// Runs `sfn NAME ARGS` to its end.
fn subcommand<S: AsRef<OsStr>>(name: &str, args: impl IntoIterator<Item = S>) -> Output {
    sfn()
        .arg(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run sfn {name}: {e}"))
}

/// What the program printed on standard output.
pub(crate) fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// What the program printed on standard error.
pub(crate) fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The one line of JSON `--output json` prints.
pub(crate) fn json_of(out: &Output) -> Value {
    serde_json::from_str(stdout(out).trim())
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\nstderr:\n{}", stdout(out), stderr(out)))
}

/// A path as the program's argument.
pub(crate) fn path(p: &Path) -> &str {
    p.to_str()
        .unwrap_or_else(|| panic!("not UTF-8: {}", p.display()))
}

/// The workspace's example machines, `examples/machines`.
pub(crate) fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/machines")
}

/// A new folder under the system's temporary folder, removed with everything in it when
/// dropped.
pub(crate) struct TempDir(PathBuf);

impl TempDir {
    /// A new empty folder whose name starts with `name`; each call gets its own.
    pub(crate) fn new(name: &str) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("sfn-cli-{name}-{}-{n}", std::process::id()));
        // A folder left by an earlier process of the same id is stale.
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        Self(dir)
    }

    /// The path of `name` in the folder (the file need not exist).
    pub(crate) fn join(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    /// Writes `text` to the file `name` in the folder and returns its path.
    pub(crate) fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.join(name);
        std::fs::write(&p, text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A `sfn serve` on a free loopback port, killed when dropped.
pub(crate) struct Server {
    _child: Running,
    /// Its endpoint URL, `http://127.0.0.1:PORT`.
    pub(crate) url: String,
}

impl Server {
    /// Starts `sfn serve` on a port the system picks, waiting until it listens.
    pub(crate) fn start() -> Self {
        use std::io::{BufRead, BufReader};
        let mut child = sfn()
            .args(["serve", "--bind", "127.0.0.1:0", "--quiet"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run sfn serve: {e}"));
        let Some(stderr) = child.stderr.take() else {
            panic!("sfn serve: no standard error");
        };
        let mut lines = BufReader::new(stderr).lines();
        let first = lines.next().and_then(Result::ok).unwrap_or_default();
        let Some(url) = first.split_whitespace().find(|w| w.starts_with("http://")) else {
            let _ = child.kill();
            panic!("sfn serve did not say where it listens: {first:?}");
        };
        let url = url.to_owned();
        // Keep reading, so that the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines.map_while(Result::ok) {});
        Server {
            _child: Running(child),
            url,
        }
    }

    /// Runs `sfn ARGS --endpoint URL` to its end, with no endpoint in the environment.
    pub(crate) fn sfn<S: AsRef<OsStr>>(&self, args: impl IntoIterator<Item = S>) -> Output {
        without_endpoint_variables(sfn())
            .args(args)
            .args(["--endpoint", &self.url])
            .output()
            .unwrap_or_else(|e| panic!("cannot run sfn: {e}"))
    }
}

/// `command` with none of the environment variables that name an endpoint.
pub(crate) fn without_endpoint_variables(mut command: Command) -> Command {
    command
        .env_remove("AWS_ENDPOINT_URL")
        .env_remove("AWS_ENDPOINT_URL_SFN");
    command
}

/// Kills the server if a test fails before stopping it.
pub(crate) struct Running(pub(crate) Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One request by hand: the status and the body.
pub(crate) fn request(addr: &str, operation: &str, body: &str) -> (u16, Value) {
    let mut stream = TcpStream::connect(addr).unwrap_or_else(|e| panic!("{addr}: {e}"));
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let text = format!(
        "POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: AWSStepFunctions.{operation}\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream
        .write_all(text.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}
