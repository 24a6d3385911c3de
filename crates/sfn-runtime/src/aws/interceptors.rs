//! The interceptors a client of a local endpoint needs.

use aws_sdk_sfn::{
    config::{
        ConfigBag, Intercept, RuntimeComponents,
        interceptors::{
            BeforeSerializationInterceptorContextRef, BeforeTransmitInterceptorContextMut,
        },
        timeout::TimeoutConfig,
    },
    error::BoxError,
    operation::{
        get_activity_task::GetActivityTaskInput, start_sync_execution::StartSyncExecutionInput,
        test_state::TestStateInput,
    },
};

use super::config::{POLL_ATTEMPT_TIMEOUT, SYNC_ATTEMPT_TIMEOUT};

/// Sends the requests the SDK addresses to `sync-<host>` (`StartSyncExecution`,
/// `TestState`) to the endpoint's host itself: a local endpoint has no `sync-` name.
///
/// Add it to a configuration of your own with
/// `.interceptor(NoSyncPrefix)`; [`local_config`](super::local_config) does.
#[derive(Debug, Clone, Copy, Default)]
#[non_exhaustive]
pub struct NoSyncPrefix;

impl Intercept for NoSyncPrefix {
    fn name(&self) -> &'static str {
        "NoSyncPrefix"
    }

    fn modify_before_transmit(
        &self,
        context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let request = context.request_mut();
        if request.uri().contains("://sync-") {
            let uri = request.uri().replacen("://sync-", "://", 1);
            request.set_uri(uri)?;
        }
        Ok(())
    }
}

/// Gives the calls the service may hold their own timeouts: an attempt of
/// `GetActivityTask` gets [`POLL_ATTEMPT_TIMEOUT`](super::POLL_ATTEMPT_TIMEOUT), one of
/// `StartSyncExecution` or `TestState` (each runs up to five minutes)
/// [`SYNC_ATTEMPT_TIMEOUT`](super::SYNC_ATTEMPT_TIMEOUT) (or the
/// configured attempt timeout when longer), and neither a whole-call timeout. Other
/// operations keep the configured timeouts.
///
/// Add it to a configuration of your own with `.interceptor(LongCallTimeouts)`;
/// [`local_config`](super::local_config) does.
#[derive(Debug, Clone, Copy, Default)]
#[non_exhaustive]
pub struct LongCallTimeouts;

impl Intercept for LongCallTimeouts {
    fn name(&self) -> &'static str {
        "LongCallTimeouts"
    }

    fn read_before_execution(
        &self,
        context: &BeforeSerializationInterceptorContextRef<'_>,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let input = context.input();
        let attempt = if input.downcast_ref::<GetActivityTaskInput>().is_some() {
            POLL_ATTEMPT_TIMEOUT
        } else if input.downcast_ref::<StartSyncExecutionInput>().is_some()
            || input.downcast_ref::<TestStateInput>().is_some()
        {
            SYNC_ATTEMPT_TIMEOUT
        } else {
            return Ok(());
        };
        let configured = cfg
            .load::<TimeoutConfig>()
            .cloned()
            .unwrap_or_else(TimeoutConfig::disabled);
        let attempt = configured
            .operation_attempt_timeout()
            .map_or(attempt, |t| t.max(attempt));
        let timeouts = configured
            .to_builder()
            .operation_attempt_timeout(attempt)
            .disable_operation_timeout()
            .build();
        cfg.interceptor_state().store_put(timeouts);
        Ok(())
    }
}
