//! State data on DynamoDB and S3 (feature `tools-aws`): [`DynamoStore`], and
//! [`create_table_and_bucket`] for development.
//!
//! # Layout
//!
//! One item per list element, in the table of [`StateConfig::table`](super::StateConfig)
//! (local items) or the table a global operation names:
//!
//! | attribute | type | what |
//! |---|---|---|
//! | `partition_key` | S, hash key | `{namespace}:{key}`, or a global partition key |
//! | `sort_key` | N, range key | the index |
//! | `data` | S | the JSON text, when it fits |
//! | `s3_bucket`, `s3_key` | S | where the JSON text went instead, when it did not |
//! | `expires_at` | N | the TTL attribute, seconds since the epoch |
//!
//! Data whose item would pass the threshold (390,000 bytes by default, DynamoDB keeping
//! at most 400 KB an item) goes to the bucket under
//! `sfn-state/{table}/{partition_key}/{index}`, and the item records the bucket, so a
//! reader needs no configuration of its own. Replacing or deleting an item deletes the
//! object it pointed to.
//!
//! Reads are consistent, queries follow every page, batch writes go 25 at a time and
//! retry their unprocessed items with backoff, and throttling is retried by the SDK
//! (standard retry, [`MAX_ATTEMPTS`] attempts) on the clients this module builds.
//! Reads ignore items past `expires_at`: DynamoDB deletes expired items only within a
//! few days.
//!
//! | file | what it holds |
//! |---|---|
//! | `store.rs` | [`DynamoStore`] |
//! | `items.rs` | the item layout: attribute names, reading and writing items |
//! | `clients.rs` | SDK clients for AWS or a local endpoint (moto) |
//! | `setup.rs` | [`create_table_and_bucket`] |

mod clients;
mod items;
mod setup;
mod store;

pub use clients::MAX_ATTEMPTS;
pub use setup::create_table_and_bucket;
pub use store::DynamoStore;

/// The error of a DynamoDB or S3 call.
fn aws_error<E>(service: &'static str, operation: &'static str, e: E) -> super::StateError
where
    E: std::error::Error + Send + Sync + 'static,
{
    super::StateError::Aws {
        service,
        operation,
        message: aws_sdk_dynamodb::error::DisplayErrorContext(e).to_string(),
    }
}
