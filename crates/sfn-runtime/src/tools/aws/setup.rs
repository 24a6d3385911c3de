//! [`create_table_and_bucket`]: the table (TTL on) and the bucket, for development.

use std::time::Duration;

use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType, TableStatus,
    TimeToLiveSpecification, TimeToLiveStatus,
};
use aws_sdk_s3::types::{BucketLocationConstraint, CreateBucketConfiguration};

use super::{
    DynamoStore, aws_error,
    items::{EXPIRES_AT, PARTITION_KEY, SORT_KEY},
};
use crate::tools::{StateError, StateStore};

/// Creates what `store` needs when it is missing, and leaves what exists: the table of
/// its configuration (`partition_key` S and `sort_key` N, on-demand billing, TTL on
/// `expires_at`), and its bucket when it has one. For development and tests; production
/// tables belong in infrastructure code.
///
/// # Errors
///
/// [`StateError::Aws`] with what DynamoDB or S3 answered.
pub async fn create_table_and_bucket(store: &DynamoStore) -> Result<(), StateError> {
    create_table(store, &store.config().table).await?;
    if let Some(bucket) = &store.config().bucket {
        create_bucket(store, bucket).await?;
    }
    Ok(())
}

fn build<T, E: std::error::Error + Send + Sync + 'static>(
    r: Result<T, E>,
) -> Result<T, StateError> {
    r.map_err(|e| aws_error("DynamoDB", "CreateTable", e))
}

async fn create_table(store: &DynamoStore, table: &str) -> Result<(), StateError> {
    let db = store.dynamodb();
    let created = db
        .create_table()
        .table_name(table)
        .attribute_definitions(build(
            AttributeDefinition::builder()
                .attribute_name(PARTITION_KEY)
                .attribute_type(ScalarAttributeType::S)
                .build(),
        )?)
        .attribute_definitions(build(
            AttributeDefinition::builder()
                .attribute_name(SORT_KEY)
                .attribute_type(ScalarAttributeType::N)
                .build(),
        )?)
        .key_schema(build(
            KeySchemaElement::builder()
                .attribute_name(PARTITION_KEY)
                .key_type(KeyType::Hash)
                .build(),
        )?)
        .key_schema(build(
            KeySchemaElement::builder()
                .attribute_name(SORT_KEY)
                .key_type(KeyType::Range)
                .build(),
        )?)
        .billing_mode(BillingMode::PayPerRequest)
        .send()
        .await;
    if let Err(e) = created {
        let exists = e
            .as_service_error()
            .is_some_and(|e| e.is_resource_in_use_exception());
        if !exists {
            return Err(aws_error("DynamoDB", "CreateTable", e));
        }
    }
    // Until the table is active (at once on moto, seconds on AWS).
    for _ in 0..120 {
        let out = db
            .describe_table()
            .table_name(table)
            .send()
            .await
            .map_err(|e| aws_error("DynamoDB", "DescribeTable", e))?;
        if out.table().and_then(|t| t.table_status()) == Some(&TableStatus::Active) {
            break;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    let ttl = db
        .describe_time_to_live()
        .table_name(table)
        .send()
        .await
        .map_err(|e| aws_error("DynamoDB", "DescribeTimeToLive", e))?;
    let status = ttl
        .time_to_live_description()
        .and_then(|d| d.time_to_live_status());
    if !matches!(
        status,
        Some(TimeToLiveStatus::Enabled | TimeToLiveStatus::Enabling)
    ) {
        db.update_time_to_live()
            .table_name(table)
            .time_to_live_specification(
                TimeToLiveSpecification::builder()
                    .enabled(true)
                    .attribute_name(EXPIRES_AT)
                    .build()
                    .map_err(|e| aws_error("DynamoDB", "UpdateTimeToLive", e))?,
            )
            .send()
            .await
            .map_err(|e| aws_error("DynamoDB", "UpdateTimeToLive", e))?;
    }
    Ok(())
}

async fn create_bucket(store: &DynamoStore, bucket: &str) -> Result<(), StateError> {
    let s3 = store.s3();
    if s3.head_bucket().bucket(bucket).send().await.is_ok() {
        return Ok(());
    }
    let mut create = s3.create_bucket().bucket(bucket);
    // us-east-1 takes no location constraint; every other region needs its own.
    if let Some(region) = s3.config().region().map(|r| r.as_ref().to_owned())
        && region != "us-east-1"
    {
        create = create.create_bucket_configuration(
            CreateBucketConfiguration::builder()
                .location_constraint(BucketLocationConstraint::from(region.as_str()))
                .build(),
        );
    }
    match create.send().await {
        Ok(_) => Ok(()),
        Err(e)
            if e.as_service_error().is_some_and(|e| {
                e.is_bucket_already_owned_by_you() || e.is_bucket_already_exists()
            }) =>
        {
            Ok(())
        }
        Err(e) => Err(aws_error("S3", "CreateBucket", e)),
    }
}
