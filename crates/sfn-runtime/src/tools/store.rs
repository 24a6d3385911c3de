//! The [`StateStore`] trait: what a store of state data does, apart from how
//! ([`EmbeddedStore`](super::EmbeddedStore), `DynamoStore`).

use crate::activity::BoxFuture;

use super::{StateConfig, StateError};

/// A store of state data: lists of JSON documents under a table and a partition key,
/// each at an index (its sort key).
///
/// Data is JSON text, as it is stored; [`StateData`](super::StateData) is the typed
/// API over it. Every implementation keeps the same semantics, which the shared test
/// suite checks on each:
///
/// - reads are consistent (a read sees every write that finished before it) and ignore
///   items past their expiry (`expires_at`, from [`StateConfig::ttl`] and its clock);
/// - [`put_items`](Self::put_items) replaces the whole list: the higher indexes of an
///   earlier, longer list are removed;
/// - [`delete_items`](Self::delete_items) removes everything kept for the partition key,
///   large data kept apart included;
/// - a missing item is [`StateError::NoItem`], naming table, partition key and index.
pub trait StateStore: Send + Sync + 'static {
    /// The configuration: the default table, the TTL, the clock.
    fn config(&self) -> &StateConfig;

    /// Writes `data` (JSON text) at `index`, replacing what was there.
    fn put_item<'a>(
        &'a self,
        table: &'a str,
        partition_key: &'a str,
        index: u64,
        data: String,
    ) -> BoxFuture<'a, Result<(), StateError>>;

    /// Writes `items` (JSON texts) at the indexes `0..items.len()`, and removes the items
    /// at higher indexes.
    fn put_items<'a>(
        &'a self,
        table: &'a str,
        partition_key: &'a str,
        items: Vec<String>,
    ) -> BoxFuture<'a, Result<(), StateError>>;

    /// Reads the item at `index`.
    fn get_item<'a>(
        &'a self,
        table: &'a str,
        partition_key: &'a str,
        index: u64,
    ) -> BoxFuture<'a, Result<String, StateError>>;

    /// Reads every item under the partition key, by index, each with its index.
    fn get_items<'a>(
        &'a self,
        table: &'a str,
        partition_key: &'a str,
    ) -> BoxFuture<'a, Result<Vec<(u64, String)>, StateError>>;

    /// Removes every item under the partition key; the number removed.
    fn delete_items<'a>(
        &'a self,
        table: &'a str,
        partition_key: &'a str,
    ) -> BoxFuture<'a, Result<u64, StateError>>;
}
