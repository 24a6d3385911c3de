//! Which service the management commands talk to: the endpoint `--endpoint URL` (a
//! local one such as `sfn serve`, with test credentials), else AWS Step Functions as the
//! AWS SDKs and CLI configure it: the credential chain, and the endpoint of
//! `AWS_ENDPOINT_URL_SFN` or `AWS_ENDPOINT_URL` when set (test credentials for one on
//! this machine when none are configured).

use std::{future::Future, process::ExitCode};

use sfn_runtime::client::Sfn;

use crate::failure::Failure;

/// Where the service is.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct Endpoint {
    /// The endpoint of the Step Functions API to talk to, with test credentials:
    /// `sfn serve`'s (`http://127.0.0.1:8083`) or another local one. Default: AWS, with
    /// the region and credentials of the AWS credential chain, at the endpoint of
    /// `AWS_ENDPOINT_URL_SFN` or `AWS_ENDPOINT_URL` when set.
    #[arg(long, value_name = "URL")]
    endpoint: Option<String>,
}

impl Endpoint {
    /// A client of the service.
    async fn connect(&self) -> Result<Sfn, Failure> {
        match &self.endpoint {
            Some(url) => {
                if !(url.starts_with("http://") || url.starts_with("https://")) {
                    return Err(Failure::BadInput(format!(
                        "--endpoint {url}: not an http:// or https:// URL"
                    )));
                }
                Ok(Sfn::with_endpoint(url.as_str()))
            }
            None => Ok(Sfn::aws().await?),
        }
    }

    /// Runs `command` against the service on a runtime of its own; a failure is
    /// reported on standard error as `sfn NAME: reason`.
    pub(crate) fn run<F, Fut>(&self, name: &str, command: F) -> ExitCode
    where
        F: FnOnce(Sfn) -> Fut,
        Fut: Future<Output = Result<ExitCode, Failure>>,
    {
        let runtime = match tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        {
            Ok(r) => r,
            Err(e) => {
                eprintln!("sfn {name}: cannot start the runtime: {e}");
                return ExitCode::from(3);
            }
        };
        runtime.block_on(async {
            let sfn = match self.connect().await {
                Ok(s) => s,
                Err(f) => return f.report(name),
            };
            match command(sfn).await {
                Ok(code) => code,
                Err(f) => f.report(name),
            }
        })
    }
}
