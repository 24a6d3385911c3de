//! The item layout: attribute names, and items written and read.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;

use super::super::StateError;

/// The hash key: `{namespace}:{key}` or a global partition key.
pub(super) const PARTITION_KEY: &str = "partition_key";
/// The range key: the index.
pub(super) const SORT_KEY: &str = "sort_key";
/// The JSON text, when it fits in the item.
pub(super) const DATA: &str = "data";
/// The bucket holding the JSON text, when it did not fit.
pub(super) const S3_BUCKET: &str = "s3_bucket";
/// The object holding the JSON text, when it did not fit.
pub(super) const S3_KEY: &str = "s3_key";
/// The TTL attribute: seconds since the epoch.
pub(super) const EXPIRES_AT: &str = "expires_at";

/// The bytes an item takes beside its data: attribute names, keys, the expiry and the
/// S3 pointer, generously.
pub(super) fn overhead(partition_key: &str) -> usize {
    partition_key.len() + 128
}

/// The object of the data at `index` of `partition_key` in `table`.
pub(super) fn object_key(table: &str, partition_key: &str, index: u64) -> String {
    format!("sfn-state/{table}/{partition_key}/{index}")
}

/// An item's key.
pub(super) fn key(partition_key: &str, index: u64) -> HashMap<String, AttributeValue> {
    HashMap::from([
        (
            PARTITION_KEY.to_owned(),
            AttributeValue::S(partition_key.to_owned()),
        ),
        (SORT_KEY.to_owned(), AttributeValue::N(index.to_string())),
    ])
}

/// Where an item's data is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Body {
    /// In the item.
    Inline(String),
    /// In an object.
    Object {
        /// The bucket.
        bucket: String,
        /// The object's key.
        key: String,
    },
}

/// An item as stored.
pub(super) fn item(
    partition_key: &str,
    index: u64,
    body: Body,
    expires_at: i64,
) -> HashMap<String, AttributeValue> {
    let mut item = key(partition_key, index);
    item.insert(
        EXPIRES_AT.to_owned(),
        AttributeValue::N(expires_at.to_string()),
    );
    match body {
        Body::Inline(data) => {
            item.insert(DATA.to_owned(), AttributeValue::S(data));
        }
        Body::Object { bucket, key } => {
            item.insert(S3_BUCKET.to_owned(), AttributeValue::S(bucket));
            item.insert(S3_KEY.to_owned(), AttributeValue::S(key));
        }
    }
    item
}

/// An item read back: its index, whether it has expired at `now`, and its body.
#[derive(Debug)]
pub(super) struct Stored {
    /// The index.
    pub(super) index: u64,
    /// When it expires (`None`: never).
    pub(super) expires_at: Option<i64>,
    /// Where the data is (`None` when only keys were read).
    pub(super) body: Option<Body>,
}

impl Stored {
    /// Whether the item has expired at `now`.
    pub(super) fn expired(&self, now: i64) -> bool {
        self.expires_at.is_some_and(|t| t <= now)
    }

    /// The object it points to, if any.
    pub(super) fn object(&self) -> Option<(&str, &str)> {
        match &self.body {
            Some(Body::Object { bucket, key }) => Some((bucket, key)),
            _ => None,
        }
    }
}

/// Reads an item of `partition_key` in `table`.
pub(super) fn read(
    table: &str,
    partition_key: &str,
    item: &HashMap<String, AttributeValue>,
) -> Result<Stored, StateError> {
    let malformed = |index: u64, message: String| StateError::Malformed {
        table: table.to_owned(),
        partition_key: partition_key.to_owned(),
        index,
        message,
    };
    let index = match item.get(SORT_KEY) {
        Some(AttributeValue::N(n)) => n
            .parse::<u64>()
            .map_err(|e| malformed(0, format!("sort_key {n}: {e}")))?,
        other => return Err(malformed(0, format!("sort_key is {other:?}"))),
    };
    let expires_at = match item.get(EXPIRES_AT) {
        Some(AttributeValue::N(n)) => Some(
            n.parse::<i64>()
                .map_err(|e| malformed(index, format!("expires_at {n}: {e}")))?,
        ),
        _ => None,
    };
    let string = |name: &str| match item.get(name) {
        Some(AttributeValue::S(s)) => Some(s.clone()),
        _ => None,
    };
    let body = match (string(DATA), string(S3_BUCKET), string(S3_KEY)) {
        (Some(data), _, _) => Some(Body::Inline(data)),
        (None, Some(bucket), Some(key)) => Some(Body::Object { bucket, key }),
        _ => None,
    };
    Ok(Stored {
        index,
        expires_at,
        body,
    })
}
