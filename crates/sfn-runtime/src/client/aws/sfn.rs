//! The constructors of [`Sfn`] for AWS and for endpoints that speak its API.

use std::sync::Arc;

use aws_sdk_sfn::config::Region;
use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};

use super::AwsBackend;
use crate::client::env;
use crate::{
    aws::{
        LOCAL_REGION, LongCallTimeouts, NoSyncPrefix, behavior_version, local_config,
        stalled_stream_protection, test_credentials, timeouts,
    },
    client::{Error, Sfn},
};

#[cfg_attr(docsrs, doc(cfg(feature = "aws")))]
impl Sfn {
    /// A client of AWS (or of another endpoint) over the SDK client `client`, configured
    /// as you like.
    ///
    /// Give a client of your own the timeouts [`GetActivityTask`'s long poll
    /// needs](crate::aws), or use [`Sfn::aws`].
    pub fn from_sdk(client: aws_sdk_sfn::Client) -> Sfn {
        Sfn::with_backend(Arc::new(AwsBackend::new(client)))
    }

    /// A client of the endpoint at `endpoint_url` that speaks the AWS API, such as
    /// `sfn serve` or a `sfn_runtime::server::Server` started in a test: plain HTTP,
    /// test credentials, configured by [`local_config`](crate::aws::local_config).
    ///
    /// ```
    /// let sfn = sfn_runtime::client::Sfn::with_endpoint("http://127.0.0.1:8083");
    /// assert_eq!(sfn.kind(), sfn_runtime::client::BackendKind::Aws);
    /// ```
    pub fn with_endpoint(endpoint_url: impl Into<String>) -> Sfn {
        Sfn::from_sdk(aws_sdk_sfn::Client::from_conf(
            local_config(endpoint_url).build(),
        ))
    }

    /// A client of AWS Step Functions, configured as the AWS SDKs and CLI are: the
    /// standard region and credential chain (environment, shared `config` and
    /// `credentials` files and their profiles, web identity, container and instance
    /// credentials; SSO profiles are not supported), the endpoint URL of
    /// `AWS_ENDPOINT_URL_SFN` or `AWS_ENDPOINT_URL` when set. HTTPS on rustls.
    ///
    /// The client has the timeouts of [`crate::aws`] (connect, attempt, whole call, and
    /// the long ones of `GetActivityTask` and `StartSyncExecution`), a pinned behaviour
    /// version, and, with an endpoint URL configured, the `sync-` host prefix removed
    /// ([`NoSyncPrefix`]).
    ///
    /// When the endpoint URL is on this machine (`127.0.0.1`, `localhost`, `[::1]`) and
    /// no credentials are configured (no `AWS_ACCESS_KEY_ID`, `AWS_PROFILE`, web
    /// identity or container variables, no `~/.aws/credentials` or `~/.aws/config`), the
    /// client signs with test credentials, and uses `us-east-1` when no region is set:
    /// `AWS_ENDPOINT_URL=http://127.0.0.1:8083` is enough to talk to `sfn serve` without
    /// an AWS account.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] when no region is configured.
    pub async fn aws() -> Result<Sfn, Error> {
        let client = aws_client(&env::process_var, env::shared_files_exist()).await?;
        Ok(Sfn::from_sdk(client))
    }
}

/// The SDK client [`Sfn::aws`] builds, reading the variables through `var`.
async fn aws_client(
    var: &dyn Fn(&str) -> Option<String>,
    shared_files_exist: bool,
) -> Result<aws_sdk_sfn::Client, Error> {
    let https = aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(CryptoMode::Ring))
        .build_https();
    let mut loader = aws_config::defaults(behavior_version())
        .http_client(https)
        .timeout_config(timeouts())
        .stalled_stream_protection(stalled_stream_protection());
    let endpoint = env::endpoint_url(var);
    if let Some(url) = &endpoint {
        loader = loader.endpoint_url(url);
    }
    if endpoint.as_deref().is_some_and(env::is_loopback)
        && !env::credentials_configured(var, shared_files_exist)
    {
        loader = loader.credentials_provider(test_credentials());
        if !env::region_configured(var) {
            loader = loader.region(Region::new(LOCAL_REGION));
        }
    }
    let shared = loader.load().await;
    if shared.region().is_none() {
        return Err(Error::InvalidArgument(
            "no AWS region is configured: set AWS_REGION, or a region in the profile".into(),
        ));
    }
    let mut config = aws_sdk_sfn::config::Builder::from(&shared).interceptor(LongCallTimeouts);
    if endpoint.is_some() || shared.endpoint_url().is_some() {
        config = config.interceptor(NoSyncPrefix);
    }
    Ok(aws_sdk_sfn::Client::from_conf(config.build()))
}

#[cfg(all(test, feature = "server"))]
mod tests {
    use std::net::SocketAddr;

    use super::*;
    use crate::{local::LocalEngine, server::Server};

    /// The whole chain, pointed by the variables at a local endpoint with no credentials
    /// and no region: test credentials, `us-east-1`, calls that go through.
    #[tokio::test]
    async fn a_loopback_endpoint_needs_no_account() {
        let server = Server::builder()
            .engine(LocalEngine::new())
            .bind(SocketAddr::from(([127, 0, 0, 1], 0)))
            .build()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let url = server.endpoint_url();
        let var = |name: &str| (name == "AWS_ENDPOINT_URL_SFN").then(|| url.clone());
        let client = aws_client(&var, false)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let region = client.config().region().map(|r| r.as_ref().to_owned());
        assert_eq!(region.as_deref(), Some(LOCAL_REGION));
        let sfn = Sfn::from_sdk(client);
        let arn = sfn
            .backend()
            .create_activity("a", &[])
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(arn.ends_with(":activity:a"), "{arn}");
    }

    /// A call that reaches nothing is a transport error, with the reason.
    #[tokio::test]
    async fn an_unreachable_endpoint_is_a_transport_error() {
        let sfn = Sfn::with_endpoint("http://127.0.0.1:9");
        match sfn
            .backend()
            .describe_activity("arn:aws:states:us-east-1:1:activity:a")
            .await
        {
            Err(Error::Transport { message }) => {
                assert!(message.contains("dispatch failure"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }
}
