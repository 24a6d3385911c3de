//! Conversions between the SDK's types and the client's: errors, timestamps, tags,
//! logging, machine types, pages.

use aws_sdk_sfn::{
    error::{ProvideErrorMetadata, SdkError},
    primitives::DateTime as SdkDateTime,
    types as sdk,
};
use chrono::{DateTime, Utc};
use sfn_core::model::ExecutionType;

use crate::client::{Error, LogLevel, LoggingConfig, Tag};

/// The client's error for a failed SDK call: the service's exception through
/// [`Error::from_service`], anything else (dispatch, timeout, I/O, an unreadable answer)
/// as [`Error::Transport`].
pub(super) fn sdk_error<E, R>(err: SdkError<E, R>) -> Error
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + 'static,
{
    if let SdkError::ServiceError(service) = &err
        && let Some(code) = service.err().code()
    {
        return Error::from_service(code, service.err().message().unwrap_or_default());
    }
    Error::Transport {
        message: chain(&err),
    }
}

/// An error and its sources, each as it displays itself, joined with `: ` and without
/// repeats (the SDK's `DisplayErrorContext` adds a debug dump, too long for a one-line
/// reason).
fn chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut next = Some(err);
    while let Some(e) = next {
        let text = e.to_string();
        if !text.is_empty() && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        next = e.source();
    }
    parts.join(": ")
}

/// A timestamp, to the millisecond; one out of chrono's range is clamped to it.
pub(super) fn date(d: &SdkDateTime) -> DateTime<Utc> {
    let clamped = if d.secs() < 0 {
        DateTime::<Utc>::MIN_UTC
    } else {
        DateTime::<Utc>::MAX_UTC
    };
    d.to_millis()
        .ok()
        .and_then(DateTime::from_timestamp_millis)
        .unwrap_or(clamped)
}

/// An optional timestamp.
pub(super) fn opt_date(d: Option<&SdkDateTime>) -> Option<DateTime<Utc>> {
    d.map(date)
}

/// Tags as the SDK sends them.
pub(super) fn tags_to_sdk(tags: &[Tag]) -> Vec<sdk::Tag> {
    tags.iter()
        .map(|t| sdk::Tag::builder().key(&t.key).value(&t.value).build())
        .collect()
}

/// Tags as the SDK answers them (a member the service left out reads as empty).
pub(super) fn tags_of(tags: &[sdk::Tag]) -> Vec<Tag> {
    tags.iter()
        .map(|t| Tag::new(t.key().unwrap_or_default(), t.value().unwrap_or_default()))
        .collect()
}

/// A logging configuration as the SDK sends it.
pub(super) fn logging_to_sdk(l: &LoggingConfig) -> sdk::LoggingConfiguration {
    let destinations = l
        .destinations
        .iter()
        .map(|arn| {
            sdk::LogDestination::builder()
                .cloud_watch_logs_log_group(
                    sdk::CloudWatchLogsLogGroup::builder()
                        .log_group_arn(arn)
                        .build(),
                )
                .build()
        })
        .collect();
    sdk::LoggingConfiguration::builder()
        .level(sdk::LogLevel::from(l.level.as_str()))
        .include_execution_data(l.include_execution_data)
        .set_destinations(Some(destinations))
        .build()
}

/// A logging configuration as the SDK answers it (none: off).
pub(super) fn logging_of(l: Option<&sdk::LoggingConfiguration>) -> LoggingConfig {
    let Some(l) = l else {
        return LoggingConfig::default();
    };
    LoggingConfig {
        level: l
            .level()
            .and_then(|level| LogLevel::parse(level.as_str()))
            .unwrap_or_default(),
        include_execution_data: l.include_execution_data(),
        destinations: l
            .destinations()
            .iter()
            .filter_map(|d| d.cloud_watch_logs_log_group()?.log_group_arn())
            .map(str::to_owned)
            .collect(),
    }
}

/// A tracing configuration as the SDK sends it.
pub(super) fn tracing_to_sdk(enabled: bool) -> sdk::TracingConfiguration {
    sdk::TracingConfiguration::builder()
        .enabled(enabled)
        .build()
}

/// A machine type as the SDK sends it.
pub(super) fn type_to_sdk(t: ExecutionType) -> sdk::StateMachineType {
    sdk::StateMachineType::from(t.as_str())
}

/// A machine type as the SDK answers it.
pub(super) fn type_of(t: &sdk::StateMachineType) -> ExecutionType {
    match t {
        sdk::StateMachineType::Express => ExecutionType::Express,
        _ => ExecutionType::Standard,
    }
}

/// A page size as the SDK sends it: AWS takes up to 1,000, so a larger one is clamped.
pub(super) fn max_results(n: Option<u32>) -> Option<i32> {
    n.map(|n| i32::try_from(n).unwrap_or(i32::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_keep_milliseconds_and_never_panic() {
        let d = date(&SdkDateTime::from_millis(1_700_000_000_123));
        assert_eq!(d.timestamp_millis(), 1_700_000_000_123);
        assert_eq!(
            date(&SdkDateTime::from_secs(i64::MAX)),
            DateTime::<Utc>::MAX_UTC
        );
        assert_eq!(
            date(&SdkDateTime::from_secs(i64::MIN)),
            DateTime::<Utc>::MIN_UTC
        );
    }

    #[test]
    fn logging_round_trips() {
        let l = LoggingConfig::new(LogLevel::Error, "arn:aws:logs:us-east-1:1:log-group:g:*")
            .include_execution_data(true);
        assert_eq!(logging_of(Some(&logging_to_sdk(&l))), l);
        assert_eq!(logging_of(None), LoggingConfig::default());
    }
}
