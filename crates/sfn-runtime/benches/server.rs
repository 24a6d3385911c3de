//! Benchmarks of the local endpoint, `sfn serve`, as a separate process on loopback: how
//! soon it answers after it is spawned, its idle memory, StartExecution throughput under
//! `wrk` (side by side with a peer emulator when one is given), and with the Rust SDK
//! executions started and described and activity round trips per second, and memory
//! after 100,000 finished executions; then the same loads against a bare hyper server
//! that does no work, the ceiling of this machine. Run by hand (see `docs/benchmarks.md`):
//!
//! ```sh
//! cargo build --release -p sfn-cli
//! cargo bench -p sfn-runtime --bench server
//! ```
//!
//! Environment: `SFN_BIN` (the `sfn` program; `target/release/sfn` by default),
//! `FAKECLOUD_BIN` (the peer, run as `fakecloud --addr 127.0.0.1:PORT`; skipped when
//! unset), `SFN_BENCH_SECONDS` (each wrk run, 10 by default), `SFN_BENCH_ONLY`
//! (`startup`, `wrk`, `wrk-activities`, `sdk`, `activities` or `ceiling`),
//! `SFN_BENCH_CLIENT_THREADS` (the SDK clients' tokio worker threads, 2 by default; 0 for
//! a current-thread runtime).

use std::{
    io::{Read, Write},
    net::{SocketAddr, TcpListener, TcpStream},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use aws_sdk_sfn::{Client, config::retry::RetryConfig};

type Error = Box<dyn std::error::Error + Send + Sync>;

const ROLE: &str = "arn:aws:iam::123456789012:role/bench";
const PASS: &str = r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}"#;
const WORKERS: usize = 16;

fn main() -> Result<(), Error> {
    // `cargo test --benches` runs bench targets without `--bench`: nothing to do then.
    if !std::env::args().any(|a| a == "--bench") {
        println!("server bench: run with `cargo bench -p sfn-runtime --bench server`");
        return Ok(());
    }
    if std::env::var_os(BARE_SERVER).is_some() {
        return bare::serve();
    }
    let sfn = sfn_bin()?;
    let only = std::env::var("SFN_BENCH_ONLY").ok();
    let run = |name: &str| only.as_deref().is_none_or(|o| o == name);
    let seconds: u64 = std::env::var("SFN_BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    println!("sfn: {}", sfn.display());
    if run("startup") {
        startup(&sfn)?;
    }
    if run("wrk") {
        let ours = Endpoint::spawn_sfn(&sfn)?;
        wrk_start_execution("sfn serve", &ours, seconds)?;
        drop(ours);
        match std::env::var_os("FAKECLOUD_BIN") {
            Some(bin) => {
                let peer =
                    Endpoint::spawn(Command::new(bin).args(["--log-level", "error"]), "--addr")?;
                wrk_start_execution("fakecloud", &peer, seconds)?;
            }
            None => println!("fakecloud: FAKECLOUD_BIN is not set, skipped"),
        }
    }
    if run("wrk-activities") {
        let ours = Endpoint::spawn_sfn(&sfn)?;
        wrk_activities(&ours, seconds)?;
    }
    // The SDK clients' runtime: 2 worker threads, or `SFN_BENCH_CLIENT_THREADS` (0: one
    // current-thread runtime, with no wake-ups across threads).
    let threads: usize = std::env::var("SFN_BENCH_CLIENT_THREADS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2);
    let runtime = if threads == 0 {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads)
            .enable_all()
            .build()?
    };
    if run("sdk") {
        let ours = Endpoint::spawn_sfn(&sfn)?;
        runtime.block_on(sdk_executions(&ours))?;
    }
    if run("activities") {
        let ours = Endpoint::spawn_sfn(&sfn)?;
        runtime.block_on(sdk_activities(&ours))?;
    }
    if run("ceiling") {
        ceiling(&runtime, seconds)?;
    }
    Ok(())
}

/// Set in the environment of this program's own child that serves as [`bare`] server.
const BARE_SERVER: &str = "SFN_BENCH_BARE_SERVER";

/// What this machine allows at all: the same load against a bare hyper server (same
/// version, same HTTP/1 settings, same runtime as `sfn serve`) that answers every
/// request with a fixed body and does no other work. No server on hyper here can do
/// better than these figures.
fn ceiling(runtime: &tokio::runtime::Runtime, seconds: u64) -> Result<(), Error> {
    let spawn_bare = || {
        Endpoint::spawn(
            Command::new(std::env::current_exe()?)
                .arg("--bench")
                .env(BARE_SERVER, "1"),
            "--bind",
        )
    };
    let bare = spawn_bare()?;
    let script = std::env::temp_dir().join(format!("sfn-bench-bare-{}.lua", std::process::id()));
    std::fs::write(
        &script,
        "wrk.method = \"POST\"\n\
         wrk.headers[\"Content-Type\"] = \"application/x-amz-json-1.0\"\n\
         wrk.headers[\"X-Amz-Target\"] = \"AWSStepFunctions.StartExecution\"\n\
         wrk.body = '{\"stateMachineArn\": \"arn:aws:states:us-east-1:123456789012:stateMachine:bench-pass\", \"input\": \"{}\"}'\n",
    )?;
    let cpu = bare.cpu();
    let requests = run_wrk(
        "bare hyper server: wrk StartExecution (a fixed answer)",
        &bare,
        &script,
        seconds,
    )?;
    println!("bare hyper server: {}", bare.cpu_per(cpu, requests));
    drop(bare);
    let bare = spawn_bare()?;
    runtime.block_on(async {
        const N: usize = 50_000;
        let sfn = client(&bare);
        let cpu = bare.cpu();
        let rate = round_trips(sfn, "arn:aws:states:us-east-1:123456789012:activity:bench".to_owned(), N).await?;
        println!(
            "bare hyper server: SDK activity round trips, {WORKERS} workers: {rate:.0}/s; {} (two a round trip)",
            bare.cpu_per(cpu, 2 * N)
        );
        Ok::<(), Error>(())
    })
}

/// The bare server of [`ceiling`]: hyper's HTTP/1 on a multi-thread tokio runtime,
/// answering each request, once its body is read, with a fixed AWS JSON 1.0 body that
/// fits its `X-Amz-Target`.
mod bare {
    use std::convert::Infallible;

    use bytes::Bytes;
    use http_body_util::{BodyExt, Full};
    use hyper::{Request, Response, body::Incoming, server::conn::http1, service::service_fn};
    use hyper_util::rt::TokioIo;

    use super::Error;

    pub(super) fn serve() -> Result<(), Error> {
        let args: Vec<String> = std::env::args().collect();
        let addr = args
            .iter()
            .position(|a| a == "--bind")
            .and_then(|i| args.get(i + 1))
            .ok_or("--bind ADDR is missing")?
            .clone();
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()?
            .block_on(async move {
                let listener = tokio::net::TcpListener::bind(&addr).await?;
                loop {
                    let (stream, _) = listener.accept().await?;
                    let _ = stream.set_nodelay(true);
                    tokio::spawn(async move {
                        let _ = http1::Builder::new()
                            .serve_connection(TokioIo::new(stream), service_fn(answer))
                            .await;
                    });
                }
            })
    }

    async fn answer(req: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
        let target = req
            .headers()
            .get("x-amz-target")
            .map(|v| v.as_bytes().to_vec())
            .unwrap_or_default();
        let _ = req.into_body().collect().await;
        let body: &'static str = match target.as_slice() {
            b"AWSStepFunctions.StartExecution" => {
                r#"{"executionArn":"arn:aws:states:us-east-1:123456789012:execution:bench-pass:00000000-0000-0000-0000-000000000000","startDate":1796044856.0}"#
            }
            b"AWSStepFunctions.GetActivityTask" => {
                r#"{"taskToken":"AAAAKgAAAAIAAAAAAAAAAQ","input":"{}"}"#
            }
            b"AWSStepFunctions.ListActivities" => r#"{"activities":[]}"#,
            _ => "{}",
        };
        let mut response = Response::new(Full::new(Bytes::from_static(body.as_bytes())));
        response.headers_mut().insert(
            hyper::header::CONTENT_TYPE,
            hyper::header::HeaderValue::from_static("application/x-amz-json-1.0"),
        );
        Ok(response)
    }
}

/// The `sfn` program: `SFN_BIN`, or `sfn` next to this bench's `deps/` directory.
fn sfn_bin() -> Result<PathBuf, Error> {
    if let Some(p) = std::env::var_os("SFN_BIN") {
        return Ok(PathBuf::from(p));
    }
    let exe = std::env::current_exe()?;
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .ok_or("no target directory")?;
    let sfn = dir.join("sfn");
    if !sfn.exists() {
        return Err(format!(
            "{} is missing: build it with `cargo build --release -p sfn-cli` or set SFN_BIN",
            sfn.display()
        )
        .into());
    }
    Ok(sfn)
}

/// A server process on a loopback port, killed on drop.
struct Endpoint {
    child: Child,
    addr: SocketAddr,
    /// From spawning to the first answer.
    ready_in: Duration,
}

impl Endpoint {
    fn spawn_sfn(sfn: &Path) -> Result<Self, Error> {
        Endpoint::spawn(Command::new(sfn).args(["serve", "-q"]), "--bind")
    }

    /// Spawns `command` with `bind_flag ADDR` on a free port and waits for its first
    /// answer to `ListActivities`.
    fn spawn(command: &mut Command, bind_flag: &str) -> Result<Self, Error> {
        let addr = TcpListener::bind("127.0.0.1:0")?.local_addr()?;
        let started = Instant::now();
        let child = command
            .arg(bind_flag)
            .arg(addr.to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let mut endpoint = Endpoint {
            child,
            addr,
            ready_in: Duration::ZERO,
        };
        while started.elapsed() < Duration::from_secs(30) {
            if let Ok((200, _)) = post(addr, "ListActivities", "{}") {
                endpoint.ready_in = started.elapsed();
                return Ok(endpoint);
            }
            std::thread::yield_now();
        }
        Err(format!("no answer on {addr} within 30 s").into())
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Resident memory, from `/proc/PID/status`.
    fn rss_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    /// CPU time used so far (user + system), from `/proc/PID/stat` (100 ticks a second,
    /// as on every Linux this runs on).
    fn cpu(&self) -> Duration {
        let stat =
            std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).unwrap_or_default();
        // The fields after the command, which is in parentheses.
        let fields: Vec<&str> = stat
            .rsplit_once(')')
            .map_or(vec![], |(_, rest)| rest.split_whitespace().collect());
        let ticks: u64 = [11, 12]
            .iter()
            .filter_map(|i| fields.get(*i).and_then(|f| f.parse::<u64>().ok()))
            .sum();
        Duration::from_millis(ticks * 10)
    }

    /// The server's CPU time per request since `since` (its CPU time then).
    fn cpu_per(&self, since: Duration, requests: usize) -> String {
        let used = self.cpu().saturating_sub(since);
        format!(
            "server CPU {:.1} µs a request",
            used.as_secs_f64() * 1e6 / requests.max(1) as f64
        )
    }

    fn create_pass_machine(&self, name: &str) -> Result<String, Error> {
        let body = serde_json::json!({"name": name, "definition": PASS, "roleArn": ROLE});
        let (status, text) = post(self.addr, "CreateStateMachine", &body.to_string())?;
        let v: serde_json::Value = serde_json::from_str(&text)?;
        match v["stateMachineArn"].as_str() {
            Some(arn) if status == 200 => Ok(arn.to_owned()),
            _ => Err(format!("CreateStateMachine: {status} {text}").into()),
        }
    }
}

impl Drop for Endpoint {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One AWS JSON 1.0 request on a new connection: the status and the body.
fn post(addr: SocketAddr, operation: &str, body: &str) -> Result<(u16, String), Error> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        stream,
        "POST / HTTP/1.1\r\nHost: {addr}\r\nX-Amz-Target: AWSStepFunctions.{operation}\r\n\
         Content-Type: application/x-amz-json-1.0\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or("no status line")?;
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    Ok((status, body))
}

/// Time from spawning `sfn serve` to its first answer, and its idle memory.
fn startup(sfn: &Path) -> Result<(), Error> {
    let mut ready = Vec::new();
    let mut rss = Vec::new();
    for _ in 0..20 {
        let e = Endpoint::spawn_sfn(sfn)?;
        ready.push(e.ready_in);
        std::thread::sleep(Duration::from_millis(200));
        rss.extend(e.rss_kib());
    }
    ready.sort();
    rss.sort_unstable();
    println!(
        "startup: ready to answer in {:.1} ms median (min {:.1}, max {:.1}) over {} spawns",
        ms(ready[ready.len() / 2]),
        ms(ready[0]),
        ms(ready[ready.len() - 1]),
        ready.len()
    );
    if let (Some(lo), Some(hi)) = (rss.first(), rss.last()) {
        println!(
            "startup: idle RSS {:.1} MiB median (min {:.1}, max {:.1})",
            mib(rss[rss.len() / 2]),
            mib(*lo),
            mib(*hi)
        );
    }
    Ok(())
}

/// StartExecution of a Pass machine under `wrk`, 16 connections, 2 threads.
fn wrk_start_execution(name: &str, endpoint: &Endpoint, seconds: u64) -> Result<(), Error> {
    let machine = endpoint.create_pass_machine("bench-pass")?;
    let script = std::env::temp_dir().join(format!("sfn-bench-{}.lua", std::process::id()));
    std::fs::write(
        &script,
        format!(
            "wrk.method = \"POST\"\n\
             wrk.headers[\"Content-Type\"] = \"application/x-amz-json-1.0\"\n\
             wrk.headers[\"X-Amz-Target\"] = \"AWSStepFunctions.StartExecution\"\n\
             wrk.body = '{{\"stateMachineArn\": \"{machine}\", \"input\": \"{{\\\\\"n\\\\\": 1}}\"}}'\n"
        ),
    )?;
    println!(
        "{name}: ready in {:.1} ms, idle RSS {:.1} MiB",
        ms(endpoint.ready_in),
        endpoint.rss_kib().map_or(0.0, mib)
    );
    let cpu = endpoint.cpu();
    let requests = run_wrk(
        &format!("{name}: wrk StartExecution"),
        endpoint,
        &script,
        seconds,
    )?;
    println!(
        "{name}: {}; RSS after the run {:.1} MiB",
        endpoint.cpu_per(cpu, requests),
        endpoint.rss_kib().map_or(0.0, mib)
    );
    Ok(())
}

/// Runs `wrk` (2 threads, 16 connections, `seconds`) with the Lua `script` against
/// `endpoint`, prints its report under `title`, removes the script and answers how many
/// requests it made.
fn run_wrk(title: &str, endpoint: &Endpoint, script: &Path, seconds: u64) -> Result<usize, Error> {
    let out = Command::new("wrk")
        .args(["-t2", "-c16", &format!("-d{seconds}s"), "--latency", "-s"])
        .arg(script)
        .arg(endpoint.url())
        .output();
    let _ = std::fs::remove_file(script);
    let text = String::from_utf8_lossy(&out?.stdout).into_owned();
    println!("{title}, 16 connections, {seconds} s:");
    for line in text.lines() {
        println!("  {line}");
    }
    Ok(text
        .lines()
        .find(|l| l.contains("requests in"))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0))
}

/// Activity round trips (GetActivityTask, then SendTaskSuccess with the token it gave)
/// under `wrk`, 16 connections, 2 threads: what the server sustains without an SDK
/// client's cost. Each wrk thread keeps the tokens its polls brought and answers them
/// before polling again.
fn wrk_activities(endpoint: &Endpoint, seconds: u64) -> Result<(), Error> {
    // Enough tasks for 30,000 round trips a second: a poll finding none would wait.
    let tasks = 30_000 * usize::try_from(seconds).unwrap_or(10);
    let (status, text) = post(endpoint.addr, "CreateActivity", r#"{"name": "wrk"}"#)?;
    let v: serde_json::Value = serde_json::from_str(&text)?;
    let activity = v["activityArn"]
        .as_str()
        .filter(|_| status == 200)
        .ok_or_else(|| format!("CreateActivity: {status} {text}"))?
        .to_owned();
    let definition = format!(
        r#"{{"StartAt": "W", "States": {{"W": {{"Type": "Task", "Resource": "{activity}", "End": true}}}}}}"#
    );
    let body =
        serde_json::json!({"name": "wrk-activity", "definition": definition, "roleArn": ROLE});
    let (status, text) = post(endpoint.addr, "CreateStateMachine", &body.to_string())?;
    let v: serde_json::Value = serde_json::from_str(&text)?;
    let machine = v["stateMachineArn"]
        .as_str()
        .filter(|_| status == 200)
        .ok_or_else(|| format!("CreateStateMachine: {status} {text}"))?
        .to_owned();
    let start = serde_json::json!({"stateMachineArn": machine}).to_string();
    for _ in 0..tasks {
        let (status, text) = post(endpoint.addr, "StartExecution", &start)?;
        if status != 200 {
            return Err(format!("StartExecution: {status} {text}").into());
        }
    }
    let script = std::env::temp_dir().join(format!("sfn-bench-act-{}.lua", std::process::id()));
    std::fs::write(
        &script,
        format!(
            r#"local tokens = {{}}
local json = "application/x-amz-json-1.0"
local poll = '{{"activityArn": "{activity}", "workerName": "wrk"}}'
request = function()
  local t = table.remove(tokens)
  if t then
    return wrk.format("POST", "/", {{["Content-Type"] = json, ["X-Amz-Target"] = "AWSStepFunctions.SendTaskSuccess"}},
      '{{"taskToken": "' .. t .. '", "output": "{{}}"}}')
  end
  return wrk.format("POST", "/", {{["Content-Type"] = json, ["X-Amz-Target"] = "AWSStepFunctions.GetActivityTask"}}, poll)
end
response = function(status, headers, body)
  local t = body:match('"taskToken":"([^"]+)"')
  if t then table.insert(tokens, t) end
end
"#
        ),
    )?;
    let cpu = endpoint.cpu();
    let requests = run_wrk(
        "sfn serve: wrk activity round trips (GetActivityTask + SendTaskSuccess)",
        endpoint,
        &script,
        seconds,
    )?;
    println!(
        "sfn serve: {:.0} round trips/s ({requests} requests, two a round trip); {}",
        requests as f64 / 2.0 / seconds as f64,
        endpoint.cpu_per(cpu, requests)
    );
    if requests / 2 >= tasks {
        println!("sfn serve: note: the {tasks} tasks ran out before the end; the rate is a floor");
    }
    Ok(())
}

fn client(endpoint: &Endpoint) -> Client {
    Client::from_conf(
        sfn_runtime::aws::local_config(endpoint.url())
            .retry_config(RetryConfig::disabled())
            .build(),
    )
}

/// Runs `op(i)` for `i` in `0..total` on [`WORKERS`] tasks; the rate per second.
async fn spread<F, Fut>(total: usize, op: F) -> Result<f64, Error>
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<(), Error>> + Send,
{
    let op = Arc::new(op);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let tasks: Vec<_> = (0..WORKERS)
        .map(|_| {
            let (op, next) = (op.clone(), next.clone());
            tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= total {
                        return Ok::<(), Error>(());
                    }
                    op(i).await?;
                }
            })
        })
        .collect();
    for t in tasks {
        t.await??;
    }
    Ok(total as f64 / started.elapsed().as_secs_f64())
}

/// 100,000 Pass executions started, then described, with the SDK; memory after.
async fn sdk_executions(endpoint: &Endpoint) -> Result<(), Error> {
    const N: usize = 100_000;
    let sfn = client(endpoint);
    let machine = sfn
        .create_state_machine()
        .name("bench-pass")
        .definition(PASS)
        .role_arn(ROLE)
        .send()
        .await?
        .state_machine_arn()
        .to_owned();
    let before = endpoint.rss_kib().unwrap_or(0);
    let cpu = endpoint.cpu();
    let rate = {
        let sfn = sfn.clone();
        spread(N, move |i| {
            let (sfn, machine) = (sfn.clone(), machine.clone());
            async move {
                sfn.start_execution()
                    .state_machine_arn(machine)
                    .name(format!("e-{i}"))
                    .input(r#"{"n": 1}"#)
                    .send()
                    .await?;
                Ok(())
            }
        })
        .await?
    };
    println!(
        "sdk: StartExecution (Pass), {WORKERS} workers, {N} executions: {rate:.0}/s; {}",
        endpoint.cpu_per(cpu, N)
    );
    let cpu = endpoint.cpu();
    let machine_prefix = "arn:aws:states:us-east-1:123456789012:execution:bench-pass:";
    // The engine keeps the last 10,000 finished executions (its default retention):
    // describe the last 5,000 over and over.
    let rate = {
        let sfn = sfn.clone();
        spread(N, move |i| {
            let name = N - 1 - i % 5_000;
            let (sfn, arn) = (sfn.clone(), format!("{machine_prefix}e-{name}"));
            async move {
                let d = sfn.describe_execution().execution_arn(arn).send().await?;
                if d.status().as_str() != "SUCCEEDED" {
                    return Err(format!("{}: {:?}", d.execution_arn(), d.status()).into());
                }
                Ok(())
            }
        })
        .await?
    };
    println!(
        "sdk: DescribeExecution, {WORKERS} workers, {N} executions: {rate:.0}/s; {}",
        endpoint.cpu_per(cpu, N)
    );
    let after = endpoint.rss_kib().unwrap_or(0);
    println!(
        "sdk: RSS {:.1} MiB before, {:.1} MiB after {N} finished executions ({:.0} bytes each)",
        mib(before),
        mib(after),
        after.saturating_sub(before) as f64 * 1024.0 / N as f64
    );
    Ok(())
}

/// Activity round trips (GetActivityTask, SendTaskSuccess) with 16 workers.
async fn sdk_activities(endpoint: &Endpoint) -> Result<(), Error> {
    const N: usize = 50_000;
    let sfn = client(endpoint);
    let activity = sfn
        .create_activity()
        .name("bench")
        .send()
        .await?
        .activity_arn()
        .to_owned();
    let definition = format!(
        r#"{{"StartAt": "W", "States": {{"W": {{"Type": "Task", "Resource": "{activity}", "End": true}}}}}}"#
    );
    let machine = sfn
        .create_state_machine()
        .name("bench-activity")
        .definition(definition)
        .role_arn(ROLE)
        .send()
        .await?
        .state_machine_arn()
        .to_owned();
    let rate = {
        let sfn = sfn.clone();
        spread(N, move |_| {
            let (sfn, machine) = (sfn.clone(), machine.clone());
            async move {
                sfn.start_execution()
                    .state_machine_arn(machine)
                    .send()
                    .await?;
                Ok(())
            }
        })
        .await?
    };
    println!("sdk: StartExecution (an activity task each), {N} executions: {rate:.0}/s");
    let cpu = endpoint.cpu();
    let rate = round_trips(sfn, activity, N).await?;
    println!(
        "sdk: activity round trips (GetActivityTask + SendTaskSuccess), {WORKERS} workers: {rate:.0}/s; {} (two a round trip)",
        endpoint.cpu_per(cpu, 2 * N)
    );
    Ok(())
}

/// `total` activity round trips (GetActivityTask, then SendTaskSuccess with the token it
/// brought) on [`WORKERS`] tasks; the rate per second.
async fn round_trips(sfn: Client, activity: String, total: usize) -> Result<f64, Error> {
    spread(total, move |_| {
        let (sfn, activity) = (sfn.clone(), activity.clone());
        async move {
            let task = sfn
                .get_activity_task()
                .activity_arn(activity)
                .worker_name("bench")
                .send()
                .await?;
            let token = task.task_token().ok_or("no task")?;
            sfn.send_task_success()
                .task_token(token)
                .output("{}")
                .send()
                .await?;
            Ok(())
        }
    })
    .await
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}
