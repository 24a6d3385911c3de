//! `sfn serve`: the AWS Step Functions API on a local endpoint, in front of the embedded
//! engine.

use std::{net::SocketAddr, path::PathBuf, process::ExitCode, sync::Arc, time::Duration};

use sfn_runtime::{
    local::{FolderObjectStore, LocalEngine, MockConfig, Retention, VirtualClock},
    server::{Faults, Server, ServerHandle},
};

use crate::run::ClockKind;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The address to listen on. Only a loopback address is safe: the endpoint accepts
    /// any credentials. Another address is used only when given here, with a warning.
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:8083")]
    bind: SocketAddr,
    /// A mock configuration file, in the MockConfigFile format of AWS Step Functions
    /// Local: `StartExecution` on `<stateMachineArn>#<TestCase>` runs with that test
    /// case's mocked responses.
    #[arg(long, value_name = "FILE")]
    mock_config: Option<PathBuf>,
    /// `virtual` makes Waits, retry intervals and timeouts pass at once (held
    /// `GetActivityTask` calls too, and activity timeouts, with workers outside).
    #[arg(long, value_enum, value_name = "CLOCK", default_value_t = ClockKind::System)]
    clock: ClockKind,
    /// A folder standing in for S3: distributed Maps read their `ItemReader` objects
    /// from `DIR/BUCKET/KEY` and write their `ResultWriter` files there.
    #[arg(long, value_name = "DIR")]
    objects: Option<PathBuf>,
    /// The account in every ARN the endpoint hands out.
    #[arg(long, value_name = "ID", default_value = sfn_runtime::local::DEFAULT_ACCOUNT)]
    account: String,
    /// The region in every ARN the endpoint hands out.
    #[arg(long, value_name = "REGION", default_value = sfn_runtime::local::DEFAULT_REGION)]
    region: String,
    /// How long `GetActivityTask` is held when no task comes, in seconds (60 on AWS).
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    activity_poll_seconds: u64,
    /// Faults to inject, for testing clients and workers: a share of requests answered
    /// with an error or a throttle, or delayed.
    ///
    /// Rules separated by commas, each `OPERATION:KIND=SHARE[@DELAY]`: OPERATION is an
    /// operation of the API (`GetActivityTask`, `SendTaskSuccess`, …) or `*` for all;
    /// KIND is `error` (HTTP 500, `InternalFailure`), `throttle` (HTTP 400,
    /// `ThrottlingException`, as AWS sends it) or `delay` (served normally after DELAY, a
    /// number followed by `ms` or `s`); SHARE is the probability from 0 to 1. Example:
    /// `GetActivityTask:throttle=0.2,SendTaskSuccess:error=0.1,*:delay=0.1@300ms`.
    /// Each matching rule is drawn on its own; delays add up; the first error or throttle
    /// drawn answers. Faults are drawn before the operation runs: a request answered with
    /// a fault has no effect on the engine.
    #[arg(long, value_name = "SPEC")]
    faults: Option<Faults>,
    /// The seed of the random draws of `--faults`, to repeat a run exactly (random by
    /// default).
    #[arg(long, value_name = "N", requires = "faults")]
    faults_seed: Option<u64>,
    /// The most finished executions kept (with their histories); the oldest go first.
    /// Running executions are always kept.
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    retain_executions: usize,
    /// How long a finished execution is kept, in days (90, as AWS keeps them).
    #[arg(long, value_name = "DAYS", default_value_t = 90)]
    retain_days: u64,
    /// No log line per request.
    #[arg(short, long)]
    quiet: bool,
}

pub(crate) fn run(args: &Args) -> ExitCode {
    if !args.quiet {
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::INFO)
            .with_writer(std::io::stderr)
            .with_target(false)
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .init();
    }
    if !args.bind.ip().is_loopback() {
        eprintln!(
            "sfn serve: warning: listening on {}, which is not a loopback address: anyone who can reach it can use the endpoint, with any credentials",
            args.bind
        );
    }
    let mock_config = match &args.mock_config {
        Some(path) => match MockConfig::from_file(path) {
            Ok(c) => Some(c),
            Err(e) => {
                eprintln!("sfn serve: {e}");
                return ExitCode::from(2);
            }
        },
        None => None,
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("sfn serve: cannot start the runtime: {e}");
            return ExitCode::from(2);
        }
    };
    runtime.block_on(async {
        let retention = Retention::new(
            args.retain_executions,
            Duration::from_secs(args.retain_days.saturating_mul(24 * 60 * 60)),
        );
        let mut builder = LocalEngine::builder()
            .region(args.region.as_str())
            .account(args.account.as_str())
            .retention(retention);
        if let Some(dir) = &args.objects {
            builder = builder.object_store(Arc::new(FolderObjectStore::new(dir)));
        }
        let engine = match args.clock {
            ClockKind::System => builder.build(),
            ClockKind::Virtual => builder
                .clock(Arc::new(VirtualClock::new(chrono::Utc::now())))
                .build(),
        };
        let mut builder = Server::builder()
            .engine(engine)
            .bind(args.bind)
            .activity_poll_timeout(Duration::from_secs(args.activity_poll_seconds));
        if let Some(c) = mock_config {
            builder = builder.mock_config(c);
        }
        if let Some(faults) = &args.faults {
            builder = builder.faults(faults.clone());
        }
        if let Some(seed) = args.faults_seed {
            builder = builder.faults_seed(seed);
        }
        let server = match builder.build().await {
            Ok(s) => s,
            Err(e) => {
                eprintln!("sfn serve: {e}");
                return ExitCode::from(2);
            }
        };
        eprintln!("sfn serve: listening on {}", server.endpoint_url());
        serve_until_stopped(server).await
    })
}

/// Serves until Ctrl-C or SIGTERM, then stops cleanly.
async fn serve_until_stopped(server: ServerHandle) -> ExitCode {
    let stop = stop_signal().await;
    eprintln!("sfn serve: {stop}: stopping");
    server.shutdown().await;
    ExitCode::SUCCESS
}

#[cfg(unix)]
async fn stop_signal() -> &'static str {
    use tokio::signal::unix::{SignalKind, signal};
    match signal(SignalKind::terminate()) {
        Ok(mut term) => tokio::select! {
            _ = tokio::signal::ctrl_c() => "interrupted",
            _ = term.recv() => "terminated",
        },
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
            "interrupted"
        }
    }
}

#[cfg(not(unix))]
async fn stop_signal() -> &'static str {
    let _ = tokio::signal::ctrl_c().await;
    "interrupted"
}
