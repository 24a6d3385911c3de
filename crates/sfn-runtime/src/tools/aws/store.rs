//! [`DynamoStore`]: state data in a DynamoDB table, large data in S3.

use std::{collections::HashMap, time::Duration};

use aws_sdk_dynamodb::{
    Client,
    types::{AttributeValue, DeleteRequest, PutRequest, ReturnValue, WriteRequest},
};
use aws_sdk_s3::primitives::ByteStream;

use super::{
    aws_error, clients,
    items::{self, Body, EXPIRES_AT, PARTITION_KEY, S3_BUCKET, S3_KEY, SORT_KEY, Stored},
};
use crate::{
    activity::BoxFuture,
    tools::{StateConfig, StateError, StateStore},
};

/// The most requests one `BatchWriteItem` takes.
const BATCH: usize = 25;
/// The most rounds of unprocessed items retried before giving up.
const UNPROCESSED_ROUNDS: u32 = 10;

/// State data in a DynamoDB table, data too large for an item in an S3 bucket. Cheap to
/// clone.
///
/// # Layout
///
/// One item per list element, in the table of [`StateConfig::table`]
/// (local items) or the table a global operation names:
///
/// | attribute | type | what |
/// |---|---|---|
/// | `partition_key` | S, hash key | `{namespace}:{key}`, or a global partition key |
/// | `sort_key` | N, range key | the index |
/// | `data` | S | the JSON text, when it fits |
/// | `s3_bucket`, `s3_key` | S | where the JSON text went instead, when it did not |
/// | `expires_at` | N | the TTL attribute, seconds since the epoch |
///
/// Data whose item would pass the threshold (390,000 bytes by default, DynamoDB keeping
/// at most 400 KB an item) goes to the bucket under
/// `sfn-state/{table}/{partition_key}/{index}`, and the item records the bucket, so a
/// reader needs no configuration of its own. Replacing or deleting an item deletes the
/// object it pointed to.
///
/// Reads are consistent, queries follow every page, batch writes go 25 at a time and
/// retry their unprocessed items with backoff, and throttling is retried by the SDK
/// (standard retry, [`MAX_ATTEMPTS`](crate::tools::MAX_ATTEMPTS) attempts) on the
/// clients [`from_env`](Self::from_env) and [`local`](Self::local) build. Reads ignore
/// items past `expires_at`: DynamoDB deletes expired items only within a few days.
///
/// ```no_run
/// use sfn_runtime::tools::{DynamoStore, StateConfig, StateData};
///
/// # async fn f() -> Result<(), sfn_runtime::tools::StateError> {
/// // SFN_STATE_TABLE and SFN_STATE_BUCKET, and AWS's usual variables and profiles.
/// let store = DynamoStore::from_env(StateConfig::from_env()).await?;
/// let data = StateData::new(store).for_namespace("my-execution");
/// data.put_item("report", &serde_json::json!({"rows": 12}), 0).await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct DynamoStore {
    dynamodb: Client,
    s3: aws_sdk_s3::Client,
    config: StateConfig,
}

impl std::fmt::Debug for DynamoStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DynamoStore")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl DynamoStore {
    /// A store calling through these clients.
    ///
    /// # Errors
    ///
    /// [`StateError::Config`] for an empty table or bucket name.
    pub fn new(
        dynamodb: Client,
        s3: aws_sdk_s3::Client,
        config: StateConfig,
    ) -> Result<Self, StateError> {
        config.check()?;
        Ok(DynamoStore {
            dynamodb,
            s3,
            config,
        })
    }

    /// A store on AWS, the clients configured by the environment (credentials, region,
    /// `AWS_ENDPOINT_URL`), HTTPS on rustls, throttling retried
    /// ([`MAX_ATTEMPTS`](super::MAX_ATTEMPTS) attempts).
    ///
    /// # Errors
    ///
    /// As [`new`](Self::new).
    pub async fn from_env(config: StateConfig) -> Result<Self, StateError> {
        let (dynamodb, s3) = clients::from_env().await;
        DynamoStore::new(dynamodb, s3, config)
    }

    /// A store on the local endpoint `endpoint_url` (moto, LocalStack): plain HTTP, test
    /// credentials, `us-east-1`, path-style S3 addresses.
    ///
    /// # Errors
    ///
    /// As [`new`](Self::new).
    pub fn local(endpoint_url: &str, config: StateConfig) -> Result<Self, StateError> {
        let (dynamodb, s3) = clients::local(endpoint_url);
        DynamoStore::new(dynamodb, s3, config)
    }

    /// The DynamoDB client.
    pub fn dynamodb(&self) -> &Client {
        &self.dynamodb
    }

    /// The S3 client.
    pub fn s3(&self) -> &aws_sdk_s3::Client {
        &self.s3
    }

    /// Where the data at `index` goes: in the item, or (too large) in an object written
    /// now.
    async fn body(
        &self,
        table: &str,
        partition_key: &str,
        index: u64,
        data: String,
    ) -> Result<Body, StateError> {
        let size = data.len() + items::overhead(partition_key);
        if size <= self.config.s3_threshold {
            return Ok(Body::Inline(data));
        }
        let Some(bucket) = self.config.bucket.clone() else {
            return Err(StateError::NoBucket {
                partition_key: partition_key.to_owned(),
                index,
                size: data.len(),
                threshold: self.config.s3_threshold,
            });
        };
        let key = items::object_key(table, partition_key, index);
        self.s3
            .put_object()
            .bucket(&bucket)
            .key(&key)
            .content_type("application/json")
            .body(ByteStream::from(data.into_bytes()))
            .send()
            .await
            .map_err(|e| aws_error("S3", "PutObject", e))?;
        Ok(Body::Object { bucket, key })
    }

    /// The data of a stored item.
    async fn load(
        &self,
        table: &str,
        partition_key: &str,
        stored: Stored,
    ) -> Result<String, StateError> {
        match stored.body {
            Some(Body::Inline(data)) => Ok(data),
            Some(Body::Object { bucket, key }) => {
                let out = self
                    .s3
                    .get_object()
                    .bucket(&bucket)
                    .key(&key)
                    .send()
                    .await
                    .map_err(|e| aws_error("S3", "GetObject", e))?;
                let bytes = out
                    .body
                    .collect()
                    .await
                    .map_err(|e| aws_error("S3", "GetObject", e))?
                    .into_bytes();
                String::from_utf8(bytes.to_vec()).map_err(|e| StateError::Malformed {
                    table: table.to_owned(),
                    partition_key: partition_key.to_owned(),
                    index: stored.index,
                    message: format!("the object s3://{bucket}/{key} is not UTF-8: {e}"),
                })
            }
            None => Err(StateError::Malformed {
                table: table.to_owned(),
                partition_key: partition_key.to_owned(),
                index: stored.index,
                message: "it has neither data nor an S3 pointer".to_owned(),
            }),
        }
    }

    /// Every item of `partition_key` from `from` on, by index, every page read
    /// consistently; with `keys_only`, without their data.
    async fn query(
        &self,
        table: &str,
        partition_key: &str,
        from: u64,
        keys_only: bool,
    ) -> Result<Vec<Stored>, StateError> {
        let mut found = Vec::new();
        let mut start: Option<HashMap<String, AttributeValue>> = None;
        loop {
            let mut q = self
                .dynamodb
                .query()
                .table_name(table)
                .key_condition_expression("#pk = :pk AND #sk >= :from")
                .expression_attribute_names("#pk", PARTITION_KEY)
                .expression_attribute_names("#sk", SORT_KEY)
                .expression_attribute_values(":pk", AttributeValue::S(partition_key.to_owned()))
                .expression_attribute_values(":from", AttributeValue::N(from.to_string()))
                .consistent_read(true)
                .set_exclusive_start_key(start.take());
            if keys_only {
                q = q
                    .projection_expression("#pk, #sk, #b, #k, #e")
                    .expression_attribute_names("#b", S3_BUCKET)
                    .expression_attribute_names("#k", S3_KEY)
                    .expression_attribute_names("#e", EXPIRES_AT);
            }
            let out = q
                .send()
                .await
                .map_err(|e| aws_error("DynamoDB", "Query", e))?;
            for item in out.items() {
                found.push(items::read(table, partition_key, item)?);
            }
            match out.last_evaluated_key() {
                Some(k) if !k.is_empty() => start = Some(k.clone()),
                _ => break,
            }
        }
        found.sort_by_key(|s| s.index);
        Ok(found)
    }

    /// Writes `requests` to `table`, 25 at a time, retrying unprocessed items with
    /// backoff.
    async fn batch_write(
        &self,
        table: &str,
        requests: Vec<WriteRequest>,
    ) -> Result<(), StateError> {
        let mut requests = requests.into_iter().peekable();
        while requests.peek().is_some() {
            let mut chunk: Vec<WriteRequest> = requests.by_ref().take(BATCH).collect();
            let mut pause = Duration::from_millis(50);
            for round in 0.. {
                let out = self
                    .dynamodb
                    .batch_write_item()
                    .request_items(table, chunk)
                    .send()
                    .await
                    .map_err(|e| aws_error("DynamoDB", "BatchWriteItem", e))?;
                chunk = out
                    .unprocessed_items()
                    .and_then(|u| u.get(table))
                    .cloned()
                    .unwrap_or_default();
                if chunk.is_empty() {
                    break;
                }
                if round + 1 >= UNPROCESSED_ROUNDS {
                    return Err(StateError::Aws {
                        service: "DynamoDB",
                        operation: "BatchWriteItem",
                        message: format!(
                            "{} items still unprocessed after {UNPROCESSED_ROUNDS} rounds",
                            chunk.len()
                        ),
                    });
                }
                tokio::time::sleep(pause + Duration::from_millis(fastrand::u64(0..50))).await;
                pause = (pause * 2).min(Duration::from_secs(5));
            }
        }
        Ok(())
    }

    /// Deletes the objects `objects`.
    async fn delete_objects(&self, objects: Vec<(String, String)>) -> Result<(), StateError> {
        for (bucket, key) in objects {
            self.s3
                .delete_object()
                .bucket(bucket)
                .key(key)
                .send()
                .await
                .map_err(|e| aws_error("S3", "DeleteObject", e))?;
        }
        Ok(())
    }
}

fn put_request(item: HashMap<String, AttributeValue>) -> Result<WriteRequest, StateError> {
    let put = PutRequest::builder()
        .set_item(Some(item))
        .build()
        .map_err(|e| aws_error("DynamoDB", "BatchWriteItem", e))?;
    Ok(WriteRequest::builder().put_request(put).build())
}

fn delete_request(partition_key: &str, index: u64) -> Result<WriteRequest, StateError> {
    let delete = DeleteRequest::builder()
        .set_key(Some(items::key(partition_key, index)))
        .build()
        .map_err(|e| aws_error("DynamoDB", "BatchWriteItem", e))?;
    Ok(WriteRequest::builder().delete_request(delete).build())
}

fn owned(object: Option<(&str, &str)>) -> Option<(String, String)> {
    object.map(|(b, k)| (b.to_owned(), k.to_owned()))
}

impl StateStore for DynamoStore {
    fn config(&self) -> &StateConfig {
        &self.config
    }

    fn put_item<'a>(
        &'a self,
        table: &'a str,
        partition_key: &'a str,
        index: u64,
        data: String,
    ) -> BoxFuture<'a, Result<(), StateError>> {
        Box::pin(async move {
            let body = self.body(table, partition_key, index, data).await?;
            let new_object = match &body {
                Body::Object { bucket, key } => Some((bucket.clone(), key.clone())),
                Body::Inline(_) => None,
            };
            let item = items::item(partition_key, index, body, self.config.expires_at());
            let out = self
                .dynamodb
                .put_item()
                .table_name(table)
                .set_item(Some(item))
                .return_values(ReturnValue::AllOld)
                .send()
                .await
                .map_err(|e| aws_error("DynamoDB", "PutItem", e))?;
            // The object the replaced item pointed to, unless the new one reuses it.
            if let Some(old) = out.attributes() {
                let old = items::read(table, partition_key, old)?;
                let old_object = owned(old.object());
                if old_object.is_some() && old_object != new_object {
                    self.delete_objects(old_object.into_iter().collect())
                        .await?;
                }
            }
            Ok(())
        })
    }

    fn put_items<'a>(
        &'a self,
        table: &'a str,
        partition_key: &'a str,
        items: Vec<String>,
    ) -> BoxFuture<'a, Result<(), StateError>> {
        Box::pin(async move {
            let existing = self.query(table, partition_key, 0, true).await?;
            let n = items.len() as u64;
            let expires_at = self.config.expires_at();
            let mut requests = Vec::with_capacity(items.len());
            let mut new_objects = std::collections::HashSet::new();
            for (data, index) in items.into_iter().zip(0u64..) {
                let body = self.body(table, partition_key, index, data).await?;
                if let Body::Object { bucket, key } = &body {
                    new_objects.insert((bucket.clone(), key.clone()));
                }
                requests.push(put_request(items::item(
                    partition_key,
                    index,
                    body,
                    expires_at,
                ))?);
            }
            self.batch_write(table, requests).await?;
            // The stale higher indexes of an earlier, longer list, and the objects no
            // item points to any more.
            let mut stale = Vec::new();
            let mut objects = Vec::new();
            for old in &existing {
                if old.index >= n {
                    stale.push(delete_request(partition_key, old.index)?);
                }
                if let Some(object) = owned(old.object())
                    && !new_objects.contains(&object)
                {
                    objects.push(object);
                }
            }
            self.batch_write(table, stale).await?;
            self.delete_objects(objects).await
        })
    }

    fn get_item<'a>(
        &'a self,
        table: &'a str,
        partition_key: &'a str,
        index: u64,
    ) -> BoxFuture<'a, Result<String, StateError>> {
        Box::pin(async move {
            let no_item = || StateError::NoItem {
                table: table.to_owned(),
                partition_key: partition_key.to_owned(),
                index,
            };
            let out = self
                .dynamodb
                .get_item()
                .table_name(table)
                .set_key(Some(items::key(partition_key, index)))
                .consistent_read(true)
                .send()
                .await
                .map_err(|e| aws_error("DynamoDB", "GetItem", e))?;
            let item = out.item().ok_or_else(no_item)?;
            let stored = items::read(table, partition_key, item)?;
            if stored.expired(self.config.now_secs()) {
                return Err(no_item());
            }
            self.load(table, partition_key, stored).await
        })
    }

    fn get_items<'a>(
        &'a self,
        table: &'a str,
        partition_key: &'a str,
    ) -> BoxFuture<'a, Result<Vec<(u64, String)>, StateError>> {
        Box::pin(async move {
            let now = self.config.now_secs();
            let stored = self.query(table, partition_key, 0, false).await?;
            let mut items = Vec::with_capacity(stored.len());
            for s in stored.into_iter().filter(|s| !s.expired(now)) {
                let index = s.index;
                items.push((index, self.load(table, partition_key, s).await?));
            }
            Ok(items)
        })
    }

    fn delete_items<'a>(
        &'a self,
        table: &'a str,
        partition_key: &'a str,
    ) -> BoxFuture<'a, Result<u64, StateError>> {
        Box::pin(async move {
            let existing = self.query(table, partition_key, 0, true).await?;
            let requests = existing
                .iter()
                .map(|s| delete_request(partition_key, s.index))
                .collect::<Result<Vec<_>, _>>()?;
            self.batch_write(table, requests).await?;
            let objects = existing.iter().filter_map(|s| owned(s.object())).collect();
            self.delete_objects(objects).await?;
            Ok(existing.len() as u64)
        })
    }
}
