//! The real AWS Step Functions client, [`aws_sdk_sfn`], configured for a local endpoint
//! such as [`sfn serve`](crate::server) or a [`Server`](crate::server::Server) started
//! in a test.
//!
//! [`local_config`] gives a configuration builder with everything a local endpoint needs:
//!
//! - the endpoint URL, over plain HTTP (no TLS stack is built);
//! - static test credentials (the endpoint accepts any) and the region `us-east-1`;
//! - a pinned [`BehaviorVersion`](aws_sdk_sfn::config::BehaviorVersion), so that a newer
//!   SDK does not change the defaults under you;
//! - the [`NoSyncPrefix`] interceptor: the SDK sends `StartSyncExecution` and `TestState`
//!   to the host `sync-<endpoint host>`, a name that does not resolve locally;
//! - timeouts that never cut a held `GetActivityTask` ([`LongCallTimeouts`]).
//!
//! # Timeouts
//!
//! | what | timeout |
//! |---|---|
//! | connecting | [`CONNECT_TIMEOUT`] (3 s) |
//! | one attempt of most operations | [`ATTEMPT_TIMEOUT`] (10 s) |
//! | a whole call of most operations, retries included | [`OPERATION_TIMEOUT`] (30 s) |
//! | one attempt of `GetActivityTask` (held up to 60 s) | [`POLL_ATTEMPT_TIMEOUT`] (70 s; AWS asks for at least 65) |
//! | one attempt of `StartSyncExecution` (an Express run, up to 5 minutes) | [`SYNC_ATTEMPT_TIMEOUT`] (310 s) |
//!
//! The two long calls have no whole-call timeout: each attempt is bounded, and so is the
//! number of attempts. No read timeout is set, since a held poll reads nothing for up to
//! 60 s. Stalled-stream protection watches only responses (with the SDK's 5 s grace
//! period): it starts once the response's headers have arrived, which a held poll's do
//! only when the poll ends, so it cannot cut the poll. It is off for request bodies,
//! which are small JSON documents in memory.
//!
//! Retries are the SDK's standard ones for the pinned behaviour version (3 attempts,
//! with backoff on `ThrottlingException` and 5xx answers); a test usually turns them off
//! with `.retry_config(RetryConfig::disabled())`.
//!
//! ```no_run
//! # async fn f() -> Result<(), Box<dyn std::error::Error>> {
//! let sfn = sfn_runtime::aws::local_client("http://127.0.0.1:8083");
//! let activities = sfn.list_activities().send().await?;
//! # Ok(()) }
//! ```

mod config;
mod interceptors;

pub(crate) use config::{
    LOCAL_REGION, behavior_version, stalled_stream_protection, test_credentials, timeouts,
};

pub use aws_sdk_sfn as sdk;
pub use config::{
    ATTEMPT_TIMEOUT, CONNECT_TIMEOUT, OPERATION_TIMEOUT, POLL_ATTEMPT_TIMEOUT,
    SYNC_ATTEMPT_TIMEOUT, local_client, local_config,
};
pub use interceptors::{LongCallTimeouts, NoSyncPrefix};
