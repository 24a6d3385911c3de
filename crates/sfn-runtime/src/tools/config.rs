//! Where state data goes and how long it lives: [`StateConfig`].

use std::{sync::Arc, time::Duration};

use super::StateError;
use crate::local::{Clock, SystemClock};

/// The variable naming the default table ([`StateConfig::from_env`]).
pub const SFN_STATE_TABLE: &str = "SFN_STATE_TABLE";
/// The variable naming the bucket that holds large items ([`StateConfig::from_env`]).
pub const SFN_STATE_BUCKET: &str = "SFN_STATE_BUCKET";
/// The table local items go to when none is configured.
pub const DEFAULT_TABLE: &str = "sfn-state-data";
/// How long an item lives by default: 7 days.
pub const DEFAULT_TTL: Duration = Duration::from_secs(7 * 24 * 3600);
/// The size of an item's data, in bytes, above which DynamoDB keeps only a pointer and
/// the data goes to S3 (DynamoDB's items hold at most 400 KB, attribute names included).
pub const DEFAULT_S3_THRESHOLD: usize = 390_000;

/// Where state data goes and how long it lives. Read when a store is built, never
/// earlier: [`from_env`](Self::from_env) reads the variables then.
#[derive(Clone)]
#[non_exhaustive]
pub struct StateConfig {
    /// The table local items go to (global ones name theirs).
    pub table: String,
    /// The bucket that holds items too large for the table (DynamoDB only); each item
    /// records the bucket it went to.
    pub bucket: Option<String>,
    /// How long an item lives after it is written; reads ignore expired items.
    pub ttl: Duration,
    /// The size of an item's data, in bytes, above which it goes to the bucket.
    pub s3_threshold: usize,
    /// Where the time comes from (for `expires_at`); the system clock by default.
    pub clock: Arc<dyn Clock>,
}

impl StateConfig {
    /// A configuration with the table `table`, no bucket, a TTL of 7 days and the
    /// 390,000-byte threshold, on the system clock.
    pub fn new(table: impl Into<String>) -> Self {
        StateConfig {
            table: table.into(),
            bucket: None,
            ttl: DEFAULT_TTL,
            s3_threshold: DEFAULT_S3_THRESHOLD,
            clock: Arc::new(SystemClock),
        }
    }

    /// The configuration the environment gives: the table `SFN_STATE_TABLE` (else
    /// [`DEFAULT_TABLE`]) and the bucket `SFN_STATE_BUCKET`, read now.
    pub fn from_env() -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let mut config =
            StateConfig::new(var(SFN_STATE_TABLE).unwrap_or_else(|| DEFAULT_TABLE.to_owned()));
        config.bucket = var(SFN_STATE_BUCKET);
        config
    }

    /// The same, with the bucket `bucket`.
    pub fn with_bucket(mut self, bucket: impl Into<String>) -> Self {
        self.bucket = Some(bucket.into());
        self
    }

    /// The same, with items living `ttl`.
    pub fn with_ttl(mut self, ttl: Duration) -> Self {
        self.ttl = ttl;
        self
    }

    /// The same, with the threshold `bytes`.
    pub fn with_s3_threshold(mut self, bytes: usize) -> Self {
        self.s3_threshold = bytes;
        self
    }

    /// The same, on the clock `clock` (a [`VirtualClock`](crate::local::VirtualClock) in
    /// tests).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Checks the configuration.
    pub(crate) fn check(&self) -> Result<(), StateError> {
        if self.table.trim().is_empty() {
            return Err(StateError::Config("the table name is empty".to_owned()));
        }
        if self.bucket.as_deref().is_some_and(|b| b.trim().is_empty()) {
            return Err(StateError::Config("the bucket name is empty".to_owned()));
        }
        Ok(())
    }

    /// The time now, in seconds since the epoch.
    pub(crate) fn now_secs(&self) -> i64 {
        self.clock.now().timestamp()
    }

    /// When an item written now expires, in seconds since the epoch.
    pub(crate) fn expires_at(&self) -> i64 {
        let ttl = i64::try_from(self.ttl.as_secs()).unwrap_or(i64::MAX);
        self.now_secs().saturating_add(ttl)
    }
}

impl std::fmt::Debug for StateConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StateConfig")
            .field("table", &self.table)
            .field("bucket", &self.bucket)
            .field("ttl", &self.ttl)
            .field("s3_threshold", &self.s3_threshold)
            .finish_non_exhaustive()
    }
}
