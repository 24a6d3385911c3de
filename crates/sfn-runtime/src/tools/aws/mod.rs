//! State data on DynamoDB and S3 (feature `tools-aws`): [`DynamoStore`], and
//! [`create_table_and_bucket`] for development.
//!
//! The layout and the guarantees are documented on [`DynamoStore`].
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
