//! Task tools: state data on both stores (the embedded one, and DynamoDB with S3 on
//! moto) through one behavioural suite, with a regression test for each bug of
//! py2sfn-task-tools; a Map fanned out over stored items on the embedded engine; a task
//! stopping its own execution.
//!
//! The DynamoDB runs need moto (`SFN_TEST_MOTO_URL`, which `scripts/test.sh` sets):
//! without it they say so and pass, except under `CI=true`. Each test makes its own
//! table and bucket, so that they run in parallel on one server.

// The cases are plain functions that each store's `#[tokio::test]` calls.
#![allow(clippy::unwrap_used)]

use std::{
    path::PathBuf,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use serde_json::{Value, json};
use sfn_runtime::{
    activity::{ExecutionStopped, StopError, TaskContext},
    local::{Clock, ExecutionStatus, LocalEngine, StartExecution, VirtualClock},
    prelude::*,
    tools::{
        ClientStopper, DynamoStore, EmbeddedStore, ListPointer, MapFanOut, MapIteration,
        StateConfig, StateData, StateError, create_table_and_bucket,
    },
};

use crate::support::{engine, moto_url};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A name no other test of this run uses.
fn unique(prefix: &str) -> String {
    format!(
        "{prefix}-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    )
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Embedded,
    Dynamo,
}

/// A store of `kind` and what it needs removed afterwards.
struct Fixture {
    data: StateData,
    config: StateConfig,
    file: Option<PathBuf>,
    dynamo: Option<DynamoStore>,
}

impl Drop for Fixture {
    fn drop(&mut self) {
        if let Some(file) = &self.file {
            let _ = std::fs::remove_file(file);
        }
    }
}

/// A configuration with a table and a bucket of their own, items living a day, on
/// `clock`.
fn config(clock: Arc<dyn Clock>) -> StateConfig {
    StateConfig::new(unique("state"))
        .with_bucket(unique("bucket"))
        .with_ttl(Duration::from_secs(86_400))
        .with_clock(clock)
}

/// A store of `kind` on `config`; `None` when moto is not there for DynamoDB.
async fn fixture(kind: Kind, config: StateConfig) -> Option<Fixture> {
    match kind {
        Kind::Embedded => {
            let file = std::env::temp_dir().join(format!("{}.redb", unique("sfn-tools")));
            let store = EmbeddedStore::open(&file, config.clone()).await.unwrap();
            Some(Fixture {
                data: StateData::new(store),
                config,
                file: Some(file),
                dynamo: None,
            })
        }
        Kind::Dynamo => {
            let url = moto_url()?;
            let store = DynamoStore::local(&url, config.clone()).unwrap();
            create_table_and_bucket(&store).await.unwrap();
            Some(Fixture {
                data: StateData::new(store.clone()),
                config,
                file: None,
                dynamo: Some(store),
            })
        }
    }
}

/// A manual clock reading now (DynamoDB's TTL is real time).
fn manual_clock() -> Arc<VirtualClock> {
    Arc::new(VirtualClock::manual(chrono::Utc::now()))
}

async fn store(kind: Kind) -> Option<Fixture> {
    fixture(kind, config(manual_clock())).await
}

/// A JSON string of `bytes` bytes (quotes included).
fn blob(bytes: usize) -> Value {
    Value::String("x".repeat(bytes - 2))
}

/// The objects in the fixture's bucket (DynamoDB only).
async fn objects(fx: &Fixture) -> Vec<String> {
    let (Some(store), Some(bucket)) = (&fx.dynamo, &fx.config.bucket) else {
        return Vec::new();
    };
    let out = store
        .s3()
        .list_objects_v2()
        .bucket(bucket)
        .send()
        .await
        .unwrap();
    out.contents()
        .iter()
        .filter_map(|o| o.key().map(str::to_owned))
        .collect()
}

/// Each test, once on each store.
macro_rules! on_both_stores {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn embedded() {
                super::$name(super::Kind::Embedded).await
            }

            #[tokio::test]
            async fn dynamodb() {
                super::$name(super::Kind::Dynamo).await
            }
        }
    )*};
}

on_both_stores!(
    items_of_1_kb_and_1_mb,
    a_thousand_items,
    regression_put_items_removes_the_stale_higher_indexes,
    global_items_read_across_namespaces,
    regression_expired_items_are_not_read,
    a_missing_item_names_table_partition_key_and_index,
    concurrent_writers,
    map_iteration_reads_its_item_and_writes_its_result,
    regression_put_global_items_writes_the_table_it_is_given,
    regression_the_item_records_its_bucket,
    regression_large_objects_are_deleted,
    regression_reads_are_consistent,
);

async fn items_of_1_kb_and_1_mb(kind: Kind) {
    let Some(fx) = store(kind).await else { return };
    let data = fx.data.for_namespace("run");
    let small = blob(1_000);
    let large = blob(1_000_000);
    let p = data.put_item("small", &small, 0).await.unwrap();
    assert_eq!(
        serde_json::to_value(&p).unwrap(),
        json!({"table_name": fx.config.table, "partition_key": "run:small", "key": "small"})
    );
    data.put_item("large", &large, 0).await.unwrap();
    assert_eq!(data.get_item::<Value>("small", 0).await.unwrap(), small);
    assert_eq!(data.get_item::<Value>("large", 0).await.unwrap(), large);
    if let Some(store) = &fx.dynamo {
        // The large one went to S3, the item keeping a pointer.
        let item = store
            .dynamodb()
            .get_item()
            .table_name(&fx.config.table)
            .key(
                "partition_key",
                aws_sdk_dynamodb::types::AttributeValue::S("run:large".into()),
            )
            .key(
                "sort_key",
                aws_sdk_dynamodb::types::AttributeValue::N("0".into()),
            )
            .send()
            .await
            .unwrap();
        let item = item.item().unwrap();
        assert!(item.get("data").is_none());
        assert!(item.get("s3_bucket").is_some() && item.get("s3_key").is_some());
        assert!(item.get("expires_at").is_some());
        assert_eq!(objects(&fx).await.len(), 1);
    }
}

async fn a_thousand_items(kind: Kind) {
    let Some(fx) = store(kind).await else { return };
    let data = fx.data.for_namespace("run");
    let items: Vec<Value> = (0..1000)
        .map(|i| json!({"i": i, "pad": "p".repeat(1500)}))
        .collect();
    let p = data.put_items("many", &items).await.unwrap();
    assert_eq!(p.items.len(), 1000);
    assert_eq!(p.key.as_deref(), Some("many"));
    let back: Vec<Value> = data.get_items("many").await.unwrap();
    assert_eq!(back, items);
    assert_eq!(
        data.get_item::<Value>("many", 999).await.unwrap(),
        items[999]
    );
}

/// py2sfn-task-tools returned the stale higher indexes of an earlier, longer list.
async fn regression_put_items_removes_the_stale_higher_indexes(kind: Kind) {
    let Some(fx) = store(kind).await else { return };
    let data = fx.data.for_namespace("run");
    data.put_items("list", &[1, 2, 3, 4, 5]).await.unwrap();
    data.put_items("list", &[10, 20]).await.unwrap();
    assert_eq!(data.get_items::<i64>("list").await.unwrap(), [10, 20]);
    assert!(matches!(
        data.get_item::<i64>("list", 4).await,
        Err(StateError::NoItem { index: 4, .. })
    ));
    data.put_items::<i64>("list", &[]).await.unwrap();
    assert!(data.get_items::<i64>("list").await.unwrap().is_empty());
}

async fn global_items_read_across_namespaces(kind: Kind) {
    let Some(fx) = store(kind).await else { return };
    let a = fx.data.for_namespace("run-a");
    let b = fx.data.for_namespace("run-b");
    let p = a.put_items("shared", &["x", "y"]).await.unwrap();
    // Another execution's local key is not this one's...
    assert!(b.get_items::<String>("shared").await.unwrap().is_empty());
    // ...but its pointer reads it globally.
    let got: Vec<String> = b
        .get_global_items(&p.table_name, &p.partition_key)
        .await
        .unwrap();
    assert_eq!(got, ["x", "y"]);
    let y: String = b
        .get_global_item(&p.table_name, &p.partition_key, 1)
        .await
        .unwrap();
    assert_eq!(y, "y");
    b.put_global_item(&p.table_name, &p.partition_key, "z", 1)
        .await
        .unwrap();
    assert_eq!(a.get_item::<String>("shared", 1).await.unwrap(), "z");
}

/// py2sfn-task-tools returned expired items, which DynamoDB deletes up to two days late.
async fn regression_expired_items_are_not_read(kind: Kind) {
    let clock = manual_clock();
    let Some(fx) = fixture(kind, config(clock.clone())).await else {
        return;
    };
    let data = fx.data.for_namespace("run");
    data.put_items("old", &[1, 2]).await.unwrap();
    clock.advance(Duration::from_secs(86_400 - 1));
    assert_eq!(data.get_items::<i64>("old").await.unwrap(), [1, 2]);
    // Past the TTL: DynamoDB may keep the items for days, the reads do not see them.
    clock.advance(Duration::from_secs(1));
    assert!(data.get_items::<i64>("old").await.unwrap().is_empty());
    assert!(matches!(
        data.get_item::<i64>("old", 0).await,
        Err(StateError::NoItem { .. })
    ));
    // Written again, it lives again.
    data.put_item("old", &3, 0).await.unwrap();
    assert_eq!(data.get_items::<i64>("old").await.unwrap(), [3]);
}

async fn a_missing_item_names_table_partition_key_and_index(kind: Kind) {
    let Some(fx) = store(kind).await else { return };
    let data = fx.data.for_namespace("run");
    let e = data.get_item::<Value>("nothing", 7).await.unwrap_err();
    match &e {
        StateError::NoItem {
            table,
            partition_key,
            index,
        } => {
            assert_eq!(table, &fx.config.table);
            assert_eq!(partition_key, "run:nothing");
            assert_eq!(*index, 7);
        }
        other => panic!("{other:?}"),
    }
    let text = e.to_string();
    assert!(
        text.contains("run:nothing") && text.contains(&fx.config.table) && text.contains('7'),
        "{text}"
    );
    // Without a namespace, local operations say so.
    assert!(matches!(
        fx.data.get_item::<Value>("k", 0).await,
        Err(StateError::NoNamespace)
    ));
}

async fn concurrent_writers(kind: Kind) {
    let Some(fx) = store(kind).await else { return };
    let data = fx.data.for_namespace("run");
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..16u64 {
        let data = data.clone();
        tasks.spawn(async move {
            data.put_item("slots", &json!({"writer": i}), i)
                .await
                .unwrap();
            data.put_items(&format!("list-{i}"), &[i, i + 1, i + 2])
                .await
                .unwrap();
        });
    }
    while let Some(r) = tasks.join_next().await {
        r.unwrap();
    }
    let slots: Vec<Value> = data.get_items("slots").await.unwrap();
    assert_eq!(
        slots,
        (0..16).map(|i| json!({"writer": i})).collect::<Vec<_>>()
    );
    for i in 0..16u64 {
        assert_eq!(
            data.get_items::<u64>(&format!("list-{i}")).await.unwrap(),
            [i, i + 1, i + 2]
        );
    }
}

async fn map_iteration_reads_its_item_and_writes_its_result(kind: Kind) {
    let Some(fx) = store(kind).await else { return };
    let data = fx.data.for_namespace("run");
    let p = data.put_items("words", &["a", "b", "c"]).await.unwrap();
    let it: MapIteration = serde_json::from_value(json!({
        "items_result_table_name": p.table_name,
        "items_result_partition_key": p.partition_key,
        "items_result_key": p.key,
        "context_index": 1,
        "context_value": 1,
    }))
    .unwrap();
    let word: String = data.get_item_for_map_iteration(&it).await.unwrap();
    assert_eq!(word, "b");
    data.put_item_for_map_iteration(&it, "B").await.unwrap();
    let global: String = fx
        .data
        .get_global_item_for_map_iteration(&it)
        .await
        .unwrap();
    assert_eq!(global, "B");
    fx.data
        .put_global_item_for_map_iteration(&MapIteration::of(&p, 2), "C")
        .await
        .unwrap();
    assert_eq!(
        data.get_items::<String>("words").await.unwrap(),
        ["a", "B", "C"]
    );
    assert_eq!(data.delete_items("words").await.unwrap(), 3);
    assert!(data.get_items::<String>("words").await.unwrap().is_empty());
}

/// py2sfn-task-tools wrote `put_global_items` to the default table whatever it was
/// given.
async fn regression_put_global_items_writes_the_table_it_is_given(kind: Kind) {
    let Some(fx) = store(kind).await else { return };
    let other = unique("other");
    if let Some(store) = &fx.dynamo {
        let mut c = fx.config.clone();
        c.table = other.clone();
        let s = DynamoStore::new(store.dynamodb().clone(), store.s3().clone(), c).unwrap();
        create_table_and_bucket(&s).await.unwrap();
    }
    let p = fx
        .data
        .put_global_items(&other, "elsewhere", &[1, 2])
        .await
        .unwrap();
    assert_eq!(p.table_name, other);
    assert_eq!(
        fx.data
            .get_global_items::<i64>(&other, "elsewhere")
            .await
            .unwrap(),
        [1, 2]
    );
    assert!(
        fx.data
            .get_global_items::<i64>(&fx.config.table, "elsewhere")
            .await
            .unwrap()
            .is_empty()
    );
}

/// py2sfn-task-tools read the bucket from the environment at import, not from the item.
async fn regression_the_item_records_its_bucket(kind: Kind) {
    let Some(fx) = store(kind).await else { return };
    let data = fx.data.for_namespace("run");
    let large = blob(500_000);
    data.put_item("large", &large, 0).await.unwrap();
    // A reader configured with no bucket at all reads it.
    let mut reader_config = fx.config.clone();
    reader_config.bucket = None;
    let reader = match (&fx.dynamo, &fx.file) {
        (Some(store), _) => StateData::new(
            DynamoStore::new(store.dynamodb().clone(), store.s3().clone(), reader_config).unwrap(),
        ),
        _ => fx.data.clone(),
    };
    let got: Value = reader
        .for_namespace("run")
        .get_item("large", 0)
        .await
        .unwrap();
    assert_eq!(got, large);
    // A writer with no bucket refuses large data rather than losing it.
    if let Some(store) = &fx.dynamo {
        let mut c = fx.config.clone();
        c.bucket = None;
        let w = StateData::new(
            DynamoStore::new(store.dynamodb().clone(), store.s3().clone(), c).unwrap(),
        );
        assert!(matches!(
            w.for_namespace("run").put_item("large", &large, 1).await,
            Err(StateError::NoBucket { index: 1, .. })
        ));
    }
}

/// py2sfn-task-tools never deleted the objects large items went to.
async fn regression_large_objects_are_deleted(kind: Kind) {
    let Some(fx) = store(kind).await else { return };
    let data = fx.data.for_namespace("run");
    let large = blob(400_000);
    data.put_items("big", &[large.clone(), large.clone(), large.clone()])
        .await
        .unwrap();
    assert_eq!(
        objects(&fx).await.len(),
        if fx.dynamo.is_some() { 3 } else { 0 }
    );
    // A shorter list of small items: the stale items and every object go.
    data.put_items("big", &[json!(1)]).await.unwrap();
    assert!(objects(&fx).await.is_empty());
    // A large item replaced by a small one.
    data.put_item("one", &large, 0).await.unwrap();
    data.put_item("one", &json!(2), 0).await.unwrap();
    assert!(objects(&fx).await.is_empty());
    // delete_items removes the objects too.
    data.put_items("big", &[large.clone(), json!(3)])
        .await
        .unwrap();
    assert_eq!(data.delete_items("big").await.unwrap(), 2);
    assert!(objects(&fx).await.is_empty());
    assert!(data.get_items::<Value>("big").await.unwrap().is_empty());
}

/// py2sfn-task-tools read eventually consistently, and saw stale higher indexes: every
/// read right after a write sees exactly the write.
async fn regression_reads_are_consistent(kind: Kind) {
    let Some(fx) = store(kind).await else { return };
    let data = fx.data.for_namespace("run");
    for round in 0..5u64 {
        let len = 30 - round * 5;
        let items: Vec<u64> = (0..len).map(|i| i * 100 + round).collect();
        data.put_items("list", &items).await.unwrap();
        assert_eq!(data.get_items::<u64>("list").await.unwrap(), items);
    }
}

/// py2sfn-task-tools called DynamoDB synchronously from async tasks: the embedded store
/// does its disk work in `spawn_blocking`, so that other tasks run meanwhile, even on a
/// one-thread runtime.
#[test]
fn regression_the_embedded_store_does_not_block_the_runtime() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let fx = store(Kind::Embedded).await.unwrap();
        let data = fx.data.for_namespace("run");
        let items: Vec<Value> = (0..2000)
            .map(|i| json!({"i": i, "pad": "p".repeat(2000)}))
            .collect();
        let put = tokio::spawn(async move { data.put_items("many", &items).await });
        let mut ticks = 0;
        while !put.is_finished() {
            tokio::time::sleep(Duration::from_millis(1)).await;
            ticks += 1;
        }
        put.await.unwrap().unwrap();
        assert!(ticks >= 2, "the runtime ran {ticks} ticks during the write");
    });
}

#[tokio::test]
async fn the_embedded_store_survives_a_restart() {
    let file = std::env::temp_dir().join(format!("{}.redb", unique("sfn-restart")));
    let config = StateConfig::new("state");
    {
        let store = EmbeddedStore::open(&file, config.clone()).await.unwrap();
        StateData::new(store)
            .for_namespace("run")
            .put_items("kept", &[1, 2, 3])
            .await
            .unwrap();
    }
    let store = EmbeddedStore::open(&file, config).await.unwrap();
    let kept: Vec<i64> = StateData::new(store)
        .for_namespace("run")
        .get_items("kept")
        .await
        .unwrap();
    assert_eq!(kept, [1, 2, 3]);
    let _ = std::fs::remove_file(&file);
}

#[tokio::test]
async fn the_embedded_store_purges_expired_items() {
    let clock = manual_clock();
    let file = std::env::temp_dir().join(format!("{}.redb", unique("sfn-purge")));
    let store = EmbeddedStore::open(&file, config(clock.clone()))
        .await
        .unwrap();
    let data = StateData::new(store.clone()).for_namespace("run");
    data.put_items("a", &[1, 2, 3]).await.unwrap();
    clock.advance(Duration::from_secs(3_600));
    data.put_item("b", &4, 0).await.unwrap();
    clock.advance(Duration::from_secs(86_400 - 3_600));
    assert_eq!(store.purge_expired().await.unwrap(), 3);
    assert_eq!(data.get_items::<i64>("b").await.unwrap(), [4]);
    drop((store, data));
    let _ = std::fs::remove_file(&file);
}

#[test]
fn the_map_fan_out_selects_a_map_iteration_per_item() {
    let each = MapFanOut::local("$.stored");
    assert_eq!(each.items_path, "$.stored.items");
    assert_eq!(
        each.item_selector,
        json!({
            "items_result_table_name.$": "$.stored.table_name",
            "items_result_partition_key.$": "$.stored.partition_key",
            "items_result_key.$": "$.stored.key",
            "context_index.$": "$$.Map.Item.Index",
            "context_value.$": "$$.Map.Item.Value",
        })
    );
    assert!(
        MapFanOut::global("$.p")
            .item_selector
            .get("items_result_key.$")
            .is_none()
    );
}

// The embedded engine: a Map over stored items, and a task stopping its execution.

#[derive(Debug, Deserialize, JsonSchema)]
struct Count {
    n: u64,
}

/// Stores `n` numbers and returns the pointer.
#[activity(name = "store-numbers")]
async fn store_numbers(input: Count, ctx: &TaskContext) -> Result<ListPointer, TaskError> {
    let numbers: Vec<u64> = (0..input.n).collect();
    Ok(ctx.state_data()?.put_items("numbers", &numbers).await?)
}

/// Squares its item, storing the result in its place.
#[activity(name = "square")]
async fn square(input: MapIteration, ctx: &TaskContext) -> Result<u64, TaskError> {
    let data = ctx.state_data()?;
    let n: u64 = data.get_item_for_map_iteration(&input).await?;
    data.put_item_for_map_iteration(&input, &(n * n)).await?;
    Ok(n)
}

/// Sums the stored results.
#[activity(name = "sum")]
async fn sum(_input: Value, ctx: &TaskContext) -> Result<u64, TaskError> {
    let squares: Vec<u64> = ctx.state_data()?.get_items("numbers").await?;
    Ok(squares.iter().sum())
}

#[tokio::test]
async fn a_map_fans_out_over_stored_items_on_the_embedded_engine() {
    let engine = engine();
    let fx = store(Kind::Embedded).await.unwrap();
    let store_arn = engine
        .serve_activity_with_state(&store_numbers, fx.data.clone())
        .unwrap();
    let square_arn = engine
        .serve_activity_with_state(&square, fx.data.clone())
        .unwrap();
    let sum_arn = engine
        .serve_activity_with_state(&sum, fx.data.clone())
        .unwrap();
    let each = MapFanOut::local("$.stored");
    let def = json!({
        "StartAt": "Store",
        "States": {
            "Store": {"Type": "Task", "Resource": store_arn, "ResultPath": "$.stored", "Next": "Each"},
            "Each": {
                "Type": "Map",
                "ItemsPath": each.items_path,
                "ItemSelector": each.item_selector,
                "MaxConcurrency": 10,
                "ItemProcessor": {"StartAt": "Square", "States": {"Square": {"Type": "Task", "Resource": square_arn, "End": true}}},
                "ResultPath": "$.seen",
                "Next": "Sum"
            },
            "Sum": {"Type": "Task", "Resource": sum_arn, "End": true}
        }
    });
    let arn = engine
        .create_state_machine_json("fan-out", &def.to_string())
        .unwrap();
    let run = engine
        .start_execution(&arn, StartExecution::new(json!({"n": 50})).name("fan"))
        .await
        .unwrap();
    let done = run.wait().await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    let expected: u64 = (0..50u64).map(|n| n * n).sum();
    assert_eq!(done.output, Some(json!(expected)));
    // The results are the execution's, under its name.
    let squares: Vec<u64> = fx
        .data
        .get_global_items(&fx.config.table, "fan:numbers")
        .await
        .unwrap();
    assert_eq!(squares.len(), 50);
}

#[derive(Debug, Deserialize, JsonSchema)]
struct Flag {
    enabled: bool,
}

/// Stops its execution when the flag is off.
#[activity(name = "gate")]
async fn gate(input: Flag, ctx: &TaskContext) -> Result<Value, TaskError> {
    if !input.enabled {
        return Err(ctx
            .stop_execution(Some("FlagOff"), Some("the feature flag is off"))
            .await?
            .into());
    }
    Ok(json!("open"))
}

#[tokio::test]
async fn a_task_stops_its_own_execution() {
    let engine = engine();
    let gate_arn = engine.serve_activity(&gate).unwrap();
    let def = json!({
        "StartAt": "Gate",
        "States": {
            "Gate": {"Type": "Task", "Resource": gate_arn, "Next": "After"},
            "After": {"Type": "Pass", "End": true}
        }
    });
    let arn = engine
        .create_state_machine_json("gated", &def.to_string())
        .unwrap();
    let run = engine
        .start_execution(&arn, StartExecution::new(json!({"enabled": false})))
        .await
        .unwrap();
    let done = run.wait().await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Aborted);
    assert_eq!(done.error.as_deref(), Some("FlagOff"));
    assert_eq!(done.cause.as_deref(), Some("the feature flag is off"));
    // No result was reported for the task.
    let types: Vec<_> = run
        .history()
        .events()
        .iter()
        .map(|e| e.event_type.as_str())
        .collect();
    assert!(
        !types
            .iter()
            .any(|t| *t == "ActivitySucceeded" || *t == "ActivityFailed"),
        "{types:?}"
    );
    assert_eq!(types.last(), Some(&"ExecutionAborted"));

    let open = engine
        .start_execution(&arn, StartExecution::new(json!({"enabled": true})))
        .await
        .unwrap();
    assert_eq!(
        open.wait().await.unwrap().status,
        ExecutionStatus::Succeeded
    );
}

#[tokio::test]
async fn stopping_needs_a_known_execution_and_a_runtime_that_can() {
    let ctx = TaskContext::for_test("gate");
    assert_eq!(
        ctx.stop_execution(None, None).await,
        Err(StopError::UnknownExecution)
    );
    let ctx = ctx.with_execution_arn("arn:aws:states:us-east-1:123456789012:execution:m:run-7");
    assert_eq!(ctx.execution_name(), Some("run-7"));
    assert!(matches!(
        ctx.stop_execution(None, None).await,
        Err(StopError::Unsupported(_))
    ));
    let from_input = TaskContext::for_test("gate").with_execution_from_input(
        &json!({"execution": "arn:aws:states:us-east-1:123456789012:execution:m:run-8", "x": 1}),
    );
    assert_eq!(from_input.execution_name(), Some("run-8"));
    let not_an_arn =
        TaskContext::for_test("gate").with_execution_from_input(&json!({"execution": "run-9"}));
    assert_eq!(not_an_arn.execution_name(), None);
    let marker: TaskError = ExecutionStopped::new().into();
    assert!(marker.is_execution_stopped());
    assert!(matches!(ctx.state_data(), Err(StateError::NotConfigured)));
}

#[tokio::test]
async fn the_client_stopper_stops_and_waits() {
    let engine: LocalEngine = engine();
    let activity = engine.create_activity("held").unwrap();
    let def = json!({"StartAt": "Hold", "States": {"Hold": {"Type": "Task", "Resource": activity, "End": true}}});
    let arn = engine
        .create_state_machine_json("held", &def.to_string())
        .unwrap();
    let run = engine
        .start_execution(&arn, StartExecution::new(json!({})))
        .await
        .unwrap();
    let stopper = ClientStopper::new(sfn_runtime::client::Sfn::with_engine(engine.clone()));
    let exec = run.describe().execution_arn.clone();
    stopper
        .stop(&exec, Some("Halt"), Some("why"), Duration::from_secs(10))
        .await
        .unwrap();
    let done = run.wait().await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Aborted);
    assert_eq!(done.error.as_deref(), Some("Halt"));
    // Already ended: nothing to do.
    stopper
        .stop(&exec, Some("Again"), None, Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(run.wait().await.unwrap().error.as_deref(), Some("Halt"));
    // Unknown.
    let missing = exec.replace(":execution:held:", ":execution:held:nope-");
    assert!(matches!(
        stopper
            .stop(&missing, None, None, Duration::from_secs(1))
            .await,
        Err(StopError::ExecutionDoesNotExist { .. })
    ));
}

// The same two flows as AWS runs them: `sfn serve` (a server on loopback), a worker over
// HTTP, and the state data on DynamoDB and S3 (moto). AWS's activity tasks carry no
// execution ARN: the states pass it in their input (`"execution.$": "$$.Execution.Id"`).

/// A Map over stored items and a self-stopping task, through a worker against a server,
/// with the state data on `kind`.
async fn flows_through_a_worker(kind: Kind) {
    let Some(fx) = store(kind).await else {
        return;
    };
    let server = sfn_runtime::server::Server::builder()
        .engine(LocalEngine::new())
        .bind(std::net::SocketAddr::from(([127, 0, 0, 1], 0)))
        .activity_poll_timeout(Duration::from_millis(500))
        .build()
        .await
        .unwrap();
    let sfn = sfn_runtime::client::Sfn::with_endpoint(server.endpoint_url())
        .with_role_arn("arn:aws:iam::123456789012:role/tools");
    let each = MapFanOut::local("$.stored");
    let mut selector = each.item_selector.clone();
    selector["execution.$"] = json!("$$.Execution.Id");
    let task = |activity: &str| {
        json!({"Type": "Task", "Resource": format!("arn:aws:states:::activity:{activity}"),
               "Parameters": {"execution.$": "$$.Execution.Id", "n.$": "$.n", "enabled.$": "$.enabled"}})
    };
    let mut gate_state = task("gate");
    gate_state["Next"] = json!("Store");
    gate_state["ResultPath"] = Value::Null;
    let mut store_state = task("store-numbers");
    store_state["Parameters"] = json!({"execution.$": "$$.Execution.Id", "n.$": "$.n"});
    store_state["ResultPath"] = json!("$.stored");
    store_state["Next"] = json!("Each");
    let mut sum_state = task("sum");
    sum_state["Parameters"] = json!({"execution.$": "$$.Execution.Id"});
    sum_state["End"] = json!(true);
    let def = json!({
        "StartAt": "Gate",
        "States": {
            "Gate": gate_state,
            "Store": store_state,
            "Each": {
                "Type": "Map",
                "ItemsPath": each.items_path,
                "ItemSelector": selector,
                "MaxConcurrency": 10,
                "ItemProcessor": {"StartAt": "Square", "States": {"Square": {
                    "Type": "Task", "Resource": "arn:aws:states:::activity:square", "End": true}}},
                "ResultPath": "$.seen",
                "Next": "Sum"
            },
            "Sum": sum_state
        }
    });
    sfn.register_definition("tools-flows", def.to_string())
        .await
        .unwrap();
    let worker = sfn
        .worker()
        .activity_with(gate, sfn_runtime::worker::Concurrency(2))
        .activity(store_numbers)
        .activity_with(square, sfn_runtime::worker::Concurrency(8))
        .activity(sum)
        .state_data(fx.data.clone())
        .spawn()
        .unwrap();

    let open = sfn
        .start_execution("tools-flows")
        .name("open")
        .input(json!({"n": 20, "enabled": true}))
        .send()
        .await
        .unwrap();
    let expected: u64 = (0..20u64).map(|n| n * n).sum();
    assert_eq!(open.wait_for_output::<u64>().await.unwrap(), expected);
    let squares: Vec<u64> = fx
        .data
        .get_global_items(&fx.config.table, "open:numbers")
        .await
        .unwrap();
    assert_eq!(squares.len(), 20);

    let shut = sfn
        .start_execution("tools-flows")
        .name("shut")
        .input(json!({"n": 20, "enabled": false}))
        .send()
        .await
        .unwrap();
    let info = shut.wait_for(Duration::from_secs(30)).await.unwrap();
    assert_eq!(info.status, sfn_runtime::client::ExecutionStatus::Aborted);
    assert_eq!(info.error.as_deref(), Some("FlagOff"));
    assert_eq!(info.cause.as_deref(), Some("the feature flag is off"));
    let history = shut.history().await.unwrap();
    assert!(
        !history
            .events
            .iter()
            .any(|e| e.event_type == "ActivitySucceeded" || e.event_type == "ActivityFailed"),
        "no result reported for the stopped task"
    );
    let stats = worker.shutdown().await;
    assert_eq!(stats.failed, 0, "{stats:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flows_through_a_worker_against_sfn_serve_with_the_embedded_store() {
    flows_through_a_worker(Kind::Embedded).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flows_through_a_worker_against_sfn_serve_and_moto() {
    flows_through_a_worker(Kind::Dynamo).await;
}
