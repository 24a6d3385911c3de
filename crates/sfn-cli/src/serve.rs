//! `sfn serve`: the AWS Step Functions API on a local endpoint, in front of the embedded
//! engine.

use std::{net::SocketAddr, path::PathBuf, process::ExitCode, sync::Arc, time::Duration};

use sfn_runtime::{
    local::{LocalEngine, MockConfig, VirtualClock},
    server::{Server, ServerHandle},
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
    /// The account in every ARN the endpoint hands out.
    #[arg(long, value_name = "ID", default_value = sfn_runtime::local::DEFAULT_ACCOUNT)]
    account: String,
    /// The region in every ARN the endpoint hands out.
    #[arg(long, value_name = "REGION", default_value = sfn_runtime::local::DEFAULT_REGION)]
    region: String,
    /// How long `GetActivityTask` is held when no task comes, in seconds (60 on AWS).
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    activity_poll_seconds: u64,
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
        let builder = LocalEngine::builder()
            .region(args.region.as_str())
            .account(args.account.as_str());
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
