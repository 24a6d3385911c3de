//! The configuration of a client for a local endpoint.

use std::time::Duration;

use aws_sdk_sfn::config::{
    BehaviorVersion, Credentials, Region, StalledStreamProtectionConfig, timeout::TimeoutConfig,
};

use super::interceptors::{LongCallTimeouts, NoSyncPrefix};

/// How long connecting may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// How long one attempt of an operation may take, but for the long calls.
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a call may take, retries included, but for the long calls.
pub const OPERATION_TIMEOUT: Duration = Duration::from_secs(30);
/// How long one attempt of `GetActivityTask` may take: above the 60 s the service holds
/// a poll (AWS asks clients for at least 65 s).
pub const POLL_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(70);
/// How long one attempt of `StartSyncExecution` may take: above the 5 minutes an Express
/// execution may run.
pub const SYNC_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(310);

/// A configuration builder of [`aws_sdk_sfn`] for the endpoint at `endpoint_url`
/// (`http://127.0.0.1:8083`): plain HTTP, test credentials, `us-east-1`, a pinned
/// behaviour version, the `sync-` host prefix removed, and the timeouts described in
/// [the module](super). Change what you need before `build()`.
///
/// ```
/// use sfn_runtime::aws::{local_config, sdk::{self, config::retry::RetryConfig}};
///
/// let config = local_config("http://127.0.0.1:8083")
///     .retry_config(RetryConfig::disabled())
///     .build();
/// let sfn = sdk::Client::from_conf(config);
/// ```
pub fn local_config(endpoint_url: impl Into<String>) -> aws_sdk_sfn::config::Builder {
    aws_sdk_sfn::Config::builder()
        .behavior_version(behavior_version())
        .endpoint_url(endpoint_url)
        .region(Region::new(LOCAL_REGION))
        .credentials_provider(test_credentials())
        .http_client(aws_smithy_http_client::Builder::new().build_http())
        .timeout_config(timeouts())
        .stalled_stream_protection(stalled_stream_protection())
        .interceptor(NoSyncPrefix)
        .interceptor(LongCallTimeouts)
}

/// The region of a local endpoint's client.
pub(crate) const LOCAL_REGION: &str = "us-east-1";

/// The behaviour version every client is pinned to.
pub(crate) fn behavior_version() -> BehaviorVersion {
    BehaviorVersion::v2026_01_12()
}

/// The credentials a local endpoint's client signs with (the endpoint accepts any).
pub(crate) fn test_credentials() -> Credentials {
    Credentials::new("local", "local", None, None, "sfn-local")
}

/// The connect, attempt and operation timeouts of [the module](super).
pub(crate) fn timeouts() -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .operation_attempt_timeout(ATTEMPT_TIMEOUT)
        .operation_timeout(OPERATION_TIMEOUT)
        .build()
}

/// Stalled-stream protection for responses only (requests are small JSON documents).
pub(crate) fn stalled_stream_protection() -> StalledStreamProtectionConfig {
    StalledStreamProtectionConfig::enabled()
        .upload_enabled(false)
        .build()
}

/// A client for the endpoint at `endpoint_url`, configured by [`local_config`].
pub fn local_client(endpoint_url: impl Into<String>) -> aws_sdk_sfn::Client {
    aws_sdk_sfn::Client::from_conf(local_config(endpoint_url).build())
}
