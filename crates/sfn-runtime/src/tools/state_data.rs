//! [`StateData`]: the typed API over a [`StateStore`], local items namespaced by the
//! execution.

use std::sync::Arc;

use serde::{Serialize, de::DeserializeOwned};

use super::{ItemPointer, ListPointer, MapIteration, StateError, StateStore};

/// A handle on a state-data store, cheap to clone: what a task gets from
/// [`TaskContext::state_data`](crate::activity::TaskContext::state_data).
///
/// *Local* items belong to one execution: their partition key is
/// `{namespace}:{key}`, the namespace being the execution's name, and they go to the
/// configured table. *Global* items are named by table and partition key, to read or
/// update what another execution or project stored.
///
/// Data is anything serde writes and reads; `serde_json::Value` for raw JSON.
///
/// ```
/// use sfn_runtime::tools::{EmbeddedStore, StateConfig, StateData};
/// use serde_json::{Value, json};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # tokio::runtime::Builder::new_current_thread().enable_all().build()?.block_on(async {
/// let dir = std::env::temp_dir().join(format!("sfn-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let store = EmbeddedStore::open(dir.join("state.redb"), StateConfig::new("state")).await?;
/// let data = StateData::new(store).for_namespace("run-1");
/// let list = data.put_items("rows", &[json!({"id": 1}), json!({"id": 2})]).await?;
/// assert_eq!(list.partition_key, "run-1:rows");
/// assert_eq!(list.items, [0, 1]);
/// let second: Value = data.get_item("rows", 1).await?;
/// assert_eq!(second, json!({"id": 2}));
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # })?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct StateData {
    store: Arc<dyn StateStore>,
    namespace: Option<String>,
}

impl std::fmt::Debug for StateData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StateData")
            .field("config", self.store.config())
            .field("namespace", &self.namespace)
            .finish()
    }
}

fn to_json<T: Serialize + ?Sized>(
    data: &T,
    partition_key: &str,
    index: u64,
) -> Result<String, StateError> {
    serde_json::to_string(data).map_err(|source| StateError::Json {
        partition_key: partition_key.to_owned(),
        index,
        what: "does not serialize to JSON",
        source,
    })
}

fn from_json<T: DeserializeOwned>(
    text: &str,
    partition_key: &str,
    index: u64,
) -> Result<T, StateError> {
    serde_json::from_str(text).map_err(|source| StateError::Json {
        partition_key: partition_key.to_owned(),
        index,
        what: "is not of the type asked for",
        source,
    })
}

impl StateData {
    /// A handle on `store`, bound to no namespace (global operations only, until
    /// [`for_namespace`](Self::for_namespace)).
    pub fn new(store: impl StateStore) -> Self {
        StateData::from_arc(Arc::new(store))
    }

    /// A handle on a shared store.
    pub fn from_arc(store: Arc<dyn StateStore>) -> Self {
        StateData {
            store,
            namespace: None,
        }
    }

    /// The same store, local items namespaced by `namespace` (an execution's name).
    pub fn for_namespace(&self, namespace: impl Into<String>) -> Self {
        StateData {
            store: self.store.clone(),
            namespace: Some(namespace.into()),
        }
    }

    /// The namespace of local items.
    pub fn namespace(&self) -> Option<&str> {
        self.namespace.as_deref()
    }

    /// The store.
    pub fn store(&self) -> &Arc<dyn StateStore> {
        &self.store
    }

    /// The table local items go to.
    pub fn table(&self) -> &str {
        &self.store.config().table
    }

    /// The partition key of the local key `key`: `{namespace}:{key}`.
    ///
    /// # Errors
    ///
    /// [`StateError::NoNamespace`].
    pub fn partition_key(&self, key: &str) -> Result<String, StateError> {
        let ns = self.namespace.as_deref().ok_or(StateError::NoNamespace)?;
        Ok(format!("{ns}:{key}"))
    }

    // Local items.

    /// Stores `data` at `index` of the local key `key`.
    ///
    /// # Errors
    ///
    /// [`StateError::NoNamespace`], [`StateError::Json`], what the store answers.
    pub async fn put_item<T: Serialize + ?Sized>(
        &self,
        key: &str,
        data: &T,
        index: u64,
    ) -> Result<ItemPointer, StateError> {
        let pk = self.partition_key(key)?;
        let mut pointer = self
            .put_global_item(&self.store.config().table, &pk, data, index)
            .await?;
        pointer.key = Some(key.to_owned());
        Ok(pointer)
    }

    /// Stores the list `items` under the local key `key`, replacing any earlier list.
    ///
    /// # Errors
    ///
    /// As [`put_item`](Self::put_item).
    pub async fn put_items<T: Serialize>(
        &self,
        key: &str,
        items: &[T],
    ) -> Result<ListPointer, StateError> {
        let pk = self.partition_key(key)?;
        let mut pointer = self
            .put_global_items(&self.store.config().table, &pk, items)
            .await?;
        pointer.key = Some(key.to_owned());
        Ok(pointer)
    }

    /// Reads the item at `index` of the local key `key`.
    ///
    /// # Errors
    ///
    /// [`StateError::NoItem`], [`StateError::NoNamespace`], [`StateError::Json`], what
    /// the store answers.
    pub async fn get_item<T: DeserializeOwned>(
        &self,
        key: &str,
        index: u64,
    ) -> Result<T, StateError> {
        let pk = self.partition_key(key)?;
        self.get_global_item(&self.store.config().table, &pk, index)
            .await
    }

    /// Reads the list under the local key `key`, by index (empty when there is none).
    ///
    /// # Errors
    ///
    /// As [`get_item`](Self::get_item), but for `NoItem`.
    pub async fn get_items<T: DeserializeOwned>(&self, key: &str) -> Result<Vec<T>, StateError> {
        let pk = self.partition_key(key)?;
        self.get_global_items(&self.store.config().table, &pk).await
    }

    /// Reads the item of a Map iteration over a local list.
    ///
    /// # Errors
    ///
    /// [`StateError::NoKey`] for an iteration over a global list; as
    /// [`get_item`](Self::get_item).
    pub async fn get_item_for_map_iteration<T: DeserializeOwned>(
        &self,
        input: &MapIteration,
    ) -> Result<T, StateError> {
        let key = input.items_result_key.as_deref().ok_or(StateError::NoKey)?;
        self.get_item(key, input.context_index).await
    }

    /// Stores the result of a Map iteration over a local list at the iteration's index,
    /// in place of its item.
    ///
    /// # Errors
    ///
    /// [`StateError::NoKey`] for an iteration over a global list; as
    /// [`put_item`](Self::put_item).
    pub async fn put_item_for_map_iteration<T: Serialize + ?Sized>(
        &self,
        input: &MapIteration,
        data: &T,
    ) -> Result<ItemPointer, StateError> {
        let key = input.items_result_key.as_deref().ok_or(StateError::NoKey)?;
        self.put_item(key, data, input.context_index).await
    }

    /// Removes every item of the local key `key` (large data kept apart included); the
    /// number removed.
    ///
    /// # Errors
    ///
    /// [`StateError::NoNamespace`], what the store answers.
    pub async fn delete_items(&self, key: &str) -> Result<u64, StateError> {
        let pk = self.partition_key(key)?;
        self.delete_global_items(&self.store.config().table, &pk)
            .await
    }

    // Global items.

    /// Stores `data` at `index` under `partition_key` in the table `table`.
    ///
    /// # Errors
    ///
    /// [`StateError::Json`], what the store answers.
    pub async fn put_global_item<T: Serialize + ?Sized>(
        &self,
        table: &str,
        partition_key: &str,
        data: &T,
        index: u64,
    ) -> Result<ItemPointer, StateError> {
        let text = to_json(data, partition_key, index)?;
        self.store
            .put_item(table, partition_key, index, text)
            .await?;
        Ok(ItemPointer {
            table_name: table.to_owned(),
            partition_key: partition_key.to_owned(),
            key: None,
        })
    }

    /// Stores the list `items` under `partition_key` in the table `table` (that table,
    /// not the default one), replacing any earlier list.
    ///
    /// # Errors
    ///
    /// [`StateError::Json`], what the store answers.
    pub async fn put_global_items<T: Serialize>(
        &self,
        table: &str,
        partition_key: &str,
        items: &[T],
    ) -> Result<ListPointer, StateError> {
        let texts = items
            .iter()
            .zip(0u64..)
            .map(|(item, i)| to_json(item, partition_key, i))
            .collect::<Result<Vec<_>, _>>()?;
        self.store.put_items(table, partition_key, texts).await?;
        Ok(ListPointer {
            table_name: table.to_owned(),
            partition_key: partition_key.to_owned(),
            key: None,
            items: (0u64..).take(items.len()).collect(),
        })
    }

    /// Reads the item at `index` under `partition_key` in the table `table`.
    ///
    /// # Errors
    ///
    /// [`StateError::NoItem`], [`StateError::Json`], what the store answers.
    pub async fn get_global_item<T: DeserializeOwned>(
        &self,
        table: &str,
        partition_key: &str,
        index: u64,
    ) -> Result<T, StateError> {
        let text = self.store.get_item(table, partition_key, index).await?;
        from_json(&text, partition_key, index)
    }

    /// Reads the list under `partition_key` in the table `table`, by index.
    ///
    /// # Errors
    ///
    /// [`StateError::Json`], what the store answers.
    pub async fn get_global_items<T: DeserializeOwned>(
        &self,
        table: &str,
        partition_key: &str,
    ) -> Result<Vec<T>, StateError> {
        let items = self.store.get_items(table, partition_key).await?;
        items
            .iter()
            .map(|(i, text)| from_json(text, partition_key, *i))
            .collect()
    }

    /// Reads the item of a Map iteration by the table and partition key it names.
    ///
    /// # Errors
    ///
    /// As [`get_global_item`](Self::get_global_item).
    pub async fn get_global_item_for_map_iteration<T: DeserializeOwned>(
        &self,
        input: &MapIteration,
    ) -> Result<T, StateError> {
        self.get_global_item(
            &input.items_result_table_name,
            &input.items_result_partition_key,
            input.context_index,
        )
        .await
    }

    /// Stores the result of a Map iteration at the iteration's index, by the table and
    /// partition key it names.
    ///
    /// # Errors
    ///
    /// As [`put_global_item`](Self::put_global_item).
    pub async fn put_global_item_for_map_iteration<T: Serialize + ?Sized>(
        &self,
        input: &MapIteration,
        data: &T,
    ) -> Result<ItemPointer, StateError> {
        self.put_global_item(
            &input.items_result_table_name,
            &input.items_result_partition_key,
            data,
            input.context_index,
        )
        .await
    }

    /// Removes every item under `partition_key` in the table `table`; the number
    /// removed.
    ///
    /// # Errors
    ///
    /// What the store answers.
    pub async fn delete_global_items(
        &self,
        table: &str,
        partition_key: &str,
    ) -> Result<u64, StateError> {
        self.store.delete_items(table, partition_key).await
    }
}
