//! sfini's own example, in Rust: an `add` activity and a machine that calls it are
//! registered, a worker answers the activity, an execution of `{"a": 3, "b": 42}` is
//! waited for, its output and its history are printed, and everything registered is
//! removed again.
//!
//! ```sh
//! cargo run -p sfn-examples --bin adding
//! ```
//!
//! With no AWS configuration it runs on the embedded engine, in-process. The same program
//! runs against any endpoint that speaks the Step Functions API (`sfn serve`:
//! `AWS_ENDPOINT_URL=http://127.0.0.1:8083`) or against AWS itself (the usual
//! `AWS_PROFILE` / `AWS_REGION` and credentials, and `SFN_ROLE_ARN`, the IAM role the
//! machine runs as). `SFN_BACKEND=local` or `aws` forces the choice.

use std::process::ExitCode;

use sfn_examples::adding::{self, Added, Adding, Numbers};
use sfn_runtime::client::{BackendKind, Sfn};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("adding: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut sfn = Sfn::from_env().await?;
    if let Ok(role) = std::env::var("SFN_ROLE_ARN") {
        sfn = sfn.with_role_arn(role);
    }

    // Register the activity and the machine (again: unchanged).
    let registration = sfn.register::<Adding>().await?;
    print!("{registration}");

    // Answer the activity's tasks.
    let worker = sfn.worker().activity(adding::add).spawn()?;

    // Run the machine and wait for its output.
    let run = sfn.start::<Adding>(&Numbers { a: 3, b: 42 }).await?;
    println!("started {}", run.arn());
    let output: Added = run.wait_for_output().await?;
    println!("output: {}", serde_json::to_string(&output)?);
    println!();
    print!("{}", run.history().await?);
    println!();

    // Stop the worker, and remove what was registered. The worker never drops a poll
    // in flight (the service may be handing it a task): on AWS its stop awaits the
    // polls out, which the service holds up to 60 s.
    if sfn.kind() == BackendKind::Aws {
        eprintln!("adding: stopping the worker once its polls end (up to 60 s)");
    }
    let stats = worker.shutdown().await;
    println!("worker: {} task(s) answered", stats.succeeded);
    print!("{}", sfn.deregister::<Adding>().await?);
    Ok(())
}
