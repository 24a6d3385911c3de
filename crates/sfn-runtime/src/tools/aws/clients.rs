//! SDK clients for DynamoDB and S3: AWS's (credential and region chain, HTTPS on
//! rustls) or a local endpoint's (plain HTTP, test credentials).

use aws_sdk_dynamodb::config::{Region, retry::RetryConfig};
use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};

use crate::aws::{LOCAL_REGION, behavior_version, test_credentials, timeouts};

/// The attempts of a DynamoDB or S3 call, throttling retried with backoff in between.
pub const MAX_ATTEMPTS: u32 = 8;

fn retry() -> RetryConfig {
    RetryConfig::standard().with_max_attempts(MAX_ATTEMPTS)
}

/// Clients of AWS, configured by the environment.
pub(super) async fn from_env() -> (aws_sdk_dynamodb::Client, aws_sdk_s3::Client) {
    let https = aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(CryptoMode::Ring))
        .build_https();
    let shared = aws_config::defaults(behavior_version())
        .http_client(https)
        .timeout_config(timeouts())
        .retry_config(retry())
        .load()
        .await;
    (
        aws_sdk_dynamodb::Client::new(&shared),
        aws_sdk_s3::Client::from_conf(
            aws_sdk_s3::config::Builder::from(&shared)
                // A custom endpoint (LocalStack, moto, MinIO) has no bucket subdomains.
                .force_path_style(shared.endpoint_url().is_some())
                .build(),
        ),
    )
}

/// Clients of the local endpoint `endpoint_url` (moto, LocalStack): plain HTTP, test
/// credentials, `us-east-1`, path-style S3 addresses.
pub(super) fn local(endpoint_url: &str) -> (aws_sdk_dynamodb::Client, aws_sdk_s3::Client) {
    let http = aws_smithy_http_client::Builder::new().build_http();
    let dynamodb = aws_sdk_dynamodb::Config::builder()
        .behavior_version(behavior_version())
        .endpoint_url(endpoint_url)
        .region(Region::new(LOCAL_REGION))
        .credentials_provider(test_credentials())
        .http_client(http.clone())
        .timeout_config(timeouts())
        .retry_config(retry())
        .build();
    let s3 = aws_sdk_s3::Config::builder()
        .behavior_version(behavior_version())
        .endpoint_url(endpoint_url)
        .region(Region::new(LOCAL_REGION))
        .credentials_provider(test_credentials())
        .http_client(http)
        .timeout_config(timeouts())
        .retry_config(retry())
        .force_path_style(true)
        .build();
    (
        aws_sdk_dynamodb::Client::from_conf(dynamodb),
        aws_sdk_s3::Client::from_conf(s3),
    )
}
