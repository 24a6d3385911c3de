//! An activity worker: answers the `add` activity of [`sfn_examples::adding`]
//! (`{"a": 3, "b": 42}` → `45`) on whatever the environment points at, printing one line
//! per task. On Ctrl-C or SIGTERM it stops polling, finishes the tasks it holds within
//! 10 seconds (answering any left `Worker.ShuttingDown`) and exits 0.
//!
//! ```sh
//! sfn serve &                                   # or an AWS account
//! AWS_ENDPOINT_URL=http://127.0.0.1:8083 cargo run -p sfn-examples --bin add_worker
//! ```
//!
//! The client is `Sfn::from_env`: AWS (or the endpoint of `AWS_ENDPOINT_URL`) when the
//! environment configures it, the embedded engine otherwise. The activity is created if
//! missing, named `addActivity`, or `$SFN_PREFIX` + `addActivity`.

use std::{process::ExitCode, time::Duration};

use sfn_examples::adding;
use sfn_runtime::{
    activity::{Activity, BoxFuture, TaskContext, TaskFailure},
    client::Sfn,
    prelude::Value,
    worker::Concurrency,
};

/// An activity that prints a line when a task of the activity it wraps ends.
struct Printed<A>(A);

impl<A: Activity> Activity for Printed<A> {
    fn name(&self) -> &str {
        self.0.name()
    }

    fn heartbeat_seconds(&self) -> Option<u64> {
        self.0.heartbeat_seconds()
    }

    fn timeout_seconds(&self) -> Option<u64> {
        self.0.timeout_seconds()
    }

    fn call(
        &self,
        input: Value,
        ctx: TaskContext,
    ) -> BoxFuture<'static, Result<Value, TaskFailure>> {
        let token: String = ctx.task_token().chars().take(12).collect();
        let shown = input.to_string();
        let task = self.0.call(input, ctx);
        Box::pin(async move {
            let result = task.await;
            match &result {
                Ok(output) => println!("{token}… {shown} → {output}"),
                Err(failure) => println!("{token}… {shown} → failed: {failure}"),
            }
            result
        })
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(tracing::Level::INFO)
        .init();
    let sfn = match Sfn::from_env().await {
        Ok(sfn) => sfn,
        Err(e) => {
            eprintln!("add_worker: {e}");
            return ExitCode::from(2);
        }
    };
    let worker = sfn
        .worker()
        .prefix(std::env::var("SFN_PREFIX").unwrap_or_default())
        .activity_with(Printed(adding::add), Concurrency(4))
        .grace(Duration::from_secs(10));
    match worker.run_until_ctrl_c().await {
        Ok(stats) => {
            eprintln!(
                "add_worker: stopped; {} succeeded, {} failed, {} given back, {} retries",
                stats.succeeded, stats.failed, stats.shut_down, stats.retries
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("add_worker: {e}");
            ExitCode::from(2)
        }
    }
}
