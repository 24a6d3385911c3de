//! Items per second for a 1,000-item `put_items` and `get_items` on each state store.
//!
//! `cargo bench -p sfn-runtime --bench state_data` times the embedded store (a redb file
//! in the temporary folder) and, when `SFN_TEST_MOTO_URL` names a moto server (as
//! `scripts/test.sh` starts one), DynamoDB and S3 on it. Each item is a JSON object of
//! about 1 KB. Prints one line per store and operation: the median of a few rounds.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use sfn_runtime::tools::{EmbeddedStore, StateConfig, StateData};

/// Items in each list.
const ITEMS: usize = 1_000;
/// Rounds timed for each figure (after one warm-up).
const ROUNDS: usize = 5;

fn items() -> Vec<Value> {
    (0..ITEMS)
        .map(|i| json!({"index": i, "pad": "p".repeat(1_000)}))
        .collect()
}

/// Times `ROUNDS` runs of `put_items` and `get_items` of [`ITEMS`] items; the medians.
async fn time(data: &StateData) -> (Duration, Duration) {
    let items = items();
    let mut puts = Vec::new();
    let mut gets = Vec::new();
    for round in 0..=ROUNDS {
        let key = format!("bench-{round}");
        let start = Instant::now();
        data.put_items(&key, &items).await.expect("put_items");
        let put = start.elapsed();
        let start = Instant::now();
        let back: Vec<Value> = data.get_items(&key).await.expect("get_items");
        let get = start.elapsed();
        assert_eq!(back.len(), ITEMS);
        if round > 0 {
            puts.push(put);
            gets.push(get);
        }
    }
    puts.sort();
    gets.sort();
    (puts[ROUNDS / 2], gets[ROUNDS / 2])
}

fn report(store: &str, (put, get): (Duration, Duration)) {
    let rate = |d: Duration| ITEMS as f64 / d.as_secs_f64();
    println!(
        "{store}: put_items {ITEMS} items in {:.1} ms ({:.0} items/s); get_items in {:.1} ms ({:.0} items/s)",
        put.as_secs_f64() * 1e3,
        rate(put),
        get.as_secs_f64() * 1e3,
        rate(get)
    );
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        // `cargo test --benches` asks harness-less benches for their tests.
        return;
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    rt.block_on(async {
        let file = std::env::temp_dir().join(format!("sfn-bench-{}.redb", std::process::id()));
        let store = EmbeddedStore::open(&file, StateConfig::new("bench"))
            .await
            .expect("open the embedded store");
        let data = StateData::new(store).for_namespace("bench");
        report("embedded (redb)", time(&data).await);
        drop(data);
        let _ = std::fs::remove_file(&file);

        #[cfg(feature = "tools-aws")]
        match std::env::var("SFN_TEST_MOTO_URL") {
            Ok(url) if !url.is_empty() => {
                use sfn_runtime::tools::{DynamoStore, create_table_and_bucket};
                let config = StateConfig::new(format!("bench-{}", std::process::id()))
                    .with_bucket(format!("bench-{}", std::process::id()));
                let store = DynamoStore::local(&url, config).expect("a DynamoDB store");
                create_table_and_bucket(&store)
                    .await
                    .expect("table and bucket");
                let data = StateData::new(store).for_namespace("bench");
                report("DynamoDB on moto", time(&data).await);
            }
            _ => println!("DynamoDB: skipped (SFN_TEST_MOTO_URL is not set)"),
        }
    });
}
