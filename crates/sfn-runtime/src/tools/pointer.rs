//! What a put returns and a Map iteration receives: [`ItemPointer`], [`ListPointer`],
//! [`MapIteration`]; and [`MapFanOut`], the Map state's `ItemsPath` and `ItemSelector`
//! that turn a [`ListPointer`] into one [`MapIteration`] per item.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// Where an item went: what [`StateData::put_item`](super::StateData::put_item) returns.
/// Serializes as `{"table_name", "partition_key", "key"}` (`key` only for local items).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct ItemPointer {
    /// The table.
    pub table_name: String,
    /// The partition key (`{namespace}:{key}` for a local item).
    pub partition_key: String,
    /// The local key, for a local item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
}

/// Where a list went: what [`StateData::put_items`](super::StateData::put_items)
/// returns. Serializes as `{"table_name", "partition_key", "key", "items"}`; `items`
/// holds the indexes `0..n`, a list as long as the stored one, for a Map state to
/// iterate over ([`MapFanOut`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct ListPointer {
    /// The table.
    pub table_name: String,
    /// The partition key (`{namespace}:{key}` for a local list).
    pub partition_key: String,
    /// The local key, for a local list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The indexes of the items, `0..n`.
    pub items: Vec<u64>,
}

/// The input of one iteration of a Map state fanned out over a [`ListPointer`] with
/// [`MapFanOut`]: where the list is, and which item is this iteration's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct MapIteration {
    /// The table of the list.
    pub items_result_table_name: String,
    /// The partition key of the list.
    pub items_result_partition_key: String,
    /// The local key of the list (absent for a global list).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items_result_key: Option<String>,
    /// The index of this iteration's item (`$$.Map.Item.Index`).
    pub context_index: u64,
    /// The value of the pointer's `items` at that index (`$$.Map.Item.Value`).
    #[serde(default)]
    pub context_value: Value,
}

impl MapIteration {
    /// The iteration of item `index` of the list `pointer` (what the Map state gives; for
    /// calling a handler in a test).
    pub fn of(pointer: &ListPointer, index: u64) -> Self {
        MapIteration {
            items_result_table_name: pointer.table_name.clone(),
            items_result_partition_key: pointer.partition_key.clone(),
            items_result_key: pointer.key.clone(),
            context_index: index,
            context_value: json!(index),
        }
    }
}

/// The `ItemsPath` and `ItemSelector` of a Map state that runs one iteration per item
/// of a [`ListPointer`] found at a path of the state's input, each iteration receiving
/// a [`MapIteration`].
///
/// With the builder:
///
/// ```
/// use sfn_runtime::core::builder::{Graph, Map, Task};
/// use sfn_runtime::tools::MapFanOut;
///
/// let each = MapFanOut::local("$.stored");
/// let map = each.apply(Map::new(Graph::new("Work").state(
///     "Work",
///     Task::new("arn:aws:states:us-east-1:123456789012:activity:work").end(),
/// )));
/// assert_eq!(each.items_path, "$.stored.items");
/// ```
///
/// In `state_machine!`, write the same fields (`MapFanOut::local("$.stored")`):
///
/// ```text
/// Each: Map {
///     items_path: "$.stored.items",
///     item_selector: {
///         "items_result_table_name.$": "$.stored.table_name",
///         "items_result_partition_key.$": "$.stored.partition_key",
///         "items_result_key.$": "$.stored.key",
///         "context_index.$": "$$.Map.Item.Index",
///         "context_value.$": "$$.Map.Item.Value",
///     },
///     item_processor: { start_at: Work, states: { Work: Task(work) { end: true } } },
///     end: true,
/// },
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct MapFanOut {
    /// `ItemsPath`: the pointer's `items`.
    pub items_path: String,
    /// `ItemSelector`: a [`MapIteration`] for each item.
    pub item_selector: Value,
}

impl MapFanOut {
    /// For a local list ([`StateData::put_items`](super::StateData::put_items)) whose
    /// pointer is at `pointer_path` (`$.stored`) of the Map state's input.
    pub fn local(pointer_path: &str) -> Self {
        Self::build(pointer_path, true)
    }

    /// For a global list ([`StateData::put_global_items`](super::StateData::put_global_items)),
    /// whose pointer has no `key`.
    pub fn global(pointer_path: &str) -> Self {
        Self::build(pointer_path, false)
    }

    fn build(path: &str, local: bool) -> Self {
        let path = path.trim_end_matches('.');
        let mut selector = serde_json::Map::new();
        selector.insert(
            "items_result_table_name.$".into(),
            Value::String(format!("{path}.table_name")),
        );
        selector.insert(
            "items_result_partition_key.$".into(),
            Value::String(format!("{path}.partition_key")),
        );
        if local {
            selector.insert(
                "items_result_key.$".into(),
                Value::String(format!("{path}.key")),
            );
        }
        selector.insert("context_index.$".into(), json!("$$.Map.Item.Index"));
        selector.insert("context_value.$".into(), json!("$$.Map.Item.Value"));
        MapFanOut {
            items_path: format!("{path}.items"),
            item_selector: Value::Object(selector),
        }
    }

    /// Sets the two fields on a Map state of the builder.
    pub fn apply(&self, map: sfn_core::builder::Map) -> sfn_core::builder::Map {
        map.items_path(self.items_path.clone())
            .item_selector(self.item_selector.clone())
    }
}
