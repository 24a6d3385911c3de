//! Task tools: a list too large for a state's input (AWS allows 256 KiB) is stored as
//! state data and fanned out through a Map state, each iteration reading its row and
//! writing its result; and a task stops its own execution when a flag is off.
//!
//! Runs on the embedded engine with the embedded store (a redb file in the temporary
//! folder) by default. With `SFN_STATE_TABLE` (and `SFN_STATE_BUCKET` for rows too large
//! for an item) set, the state data goes to DynamoDB and S3, with AWS's usual
//! configuration (`AWS_PROFILE`, `AWS_REGION`, `AWS_ENDPOINT_URL`, …); the table and the
//! bucket are created when missing.
//!
//! ```sh
//! cargo run -p sfn-examples --bin task_tools
//! ```

use sfn_runtime::local::{ExecutionStatus, LocalEngine, StartExecution};
use sfn_runtime::prelude::*;
use sfn_runtime::tools::{
    DynamoStore, EmbeddedStore, ListPointer, MapIteration, StateConfig, StateData, StateStore,
    create_table_and_bucket,
};

#[derive(Debug, Deserialize, JsonSchema)]
// The examples crate reaches schemars through sfn-runtime; a crate that depends on
// schemars itself does not need this line.
#[schemars(crate = "sfn_runtime::schemars")]
struct Flag {
    enabled: bool,
}

/// Lets the run go on, or stops it when the flag is off.
#[activity(name = "gate")]
async fn gate(input: Flag, ctx: &TaskContext) -> Result<bool, TaskError> {
    if !input.enabled {
        // The execution ends ABORTED with this error and cause; the task reports nothing.
        return Err(ctx
            .stop_execution(Some("Disabled"), Some("the import is switched off"))
            .await?
            .into());
    }
    Ok(true)
}

#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(crate = "sfn_runtime::schemars")]
struct Size {
    rows: u64,
}

#[derive(Debug, Serialize, Deserialize)]
struct Row {
    id: u64,
    text: String,
}

/// Makes the rows (far more than a state may carry) and stores them.
#[activity(name = "make-rows")]
async fn make_rows(input: Size, ctx: &TaskContext) -> Result<ListPointer, TaskError> {
    let rows: Vec<Row> = (0..input.rows)
        .map(|id| Row {
            id,
            text: format!("row {id} ").repeat(20),
        })
        .collect();
    Ok(ctx.state_data()?.put_items("rows", &rows).await?)
}

/// Scores one row, in place of the row.
#[activity(name = "score-row")]
async fn score_row(input: MapIteration, ctx: &TaskContext) -> Result<Value, TaskError> {
    let data = ctx.state_data()?;
    let row: Row = data.get_item_for_map_iteration(&input).await?;
    let score = row.text.len() as u64 + row.id % 7;
    data.put_item_for_map_iteration(&input, &score).await?;
    // The Map collects only what is small: nothing here.
    Ok(Value::Null)
}

/// Adds the scores up and removes the stored data.
#[activity(name = "summarize")]
async fn summarize(_input: Value, ctx: &TaskContext) -> Result<Value, TaskError> {
    let data = ctx.state_data()?;
    let scores: Vec<u64> = data.get_items("rows").await?;
    data.delete_items("rows").await?;
    Ok(json!({"rows": scores.len(), "total": scores.iter().sum::<u64>()}))
}

state_machine! {
    /// Imports rows: a gate, the rows stored, scored one by one, summed up.
    pub Import {
        start_at: Gate,
        states: {
            Gate: Task(gate) { result_path: "$.gate", next: MakeRows },
            MakeRows: Task(make_rows) { result_path: "$.stored", next: ScoreRows },
            ScoreRows: Map {
                // MapFanOut::local("$.stored")
                items_path: "$.stored.items",
                item_selector: {
                    "items_result_table_name.$": "$.stored.table_name",
                    "items_result_partition_key.$": "$.stored.partition_key",
                    "items_result_key.$": "$.stored.key",
                    "context_index.$": "$$.Map.Item.Index",
                    "context_value.$": "$$.Map.Item.Value",
                },
                max_concurrency: 40,
                item_processor: { start_at: Score, states: { Score: Task(score_row) { end: true } } },
                result_path: "$.scored",
                next: Summarize,
            },
            Summarize: Task(summarize) { end: true },
        }
    }
}

/// DynamoDB and S3 when `SFN_STATE_TABLE` is set, else a file in the temporary folder.
async fn state_data() -> Result<StateData, Box<dyn std::error::Error>> {
    let config = StateConfig::from_env();
    if std::env::var_os("SFN_STATE_TABLE").is_some() {
        let store = DynamoStore::from_env(config).await?;
        create_table_and_bucket(&store).await?;
        println!("state data: DynamoDB table {}", store.config().table);
        return Ok(StateData::new(store));
    }
    let file = std::env::temp_dir().join("sfn-task-tools-example.redb");
    println!("state data: {}", file.display());
    Ok(StateData::new(EmbeddedStore::open(file, config).await?))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let engine = LocalEngine::new();
    let data = state_data().await?;
    engine.serve_activity_with_state(&gate, data.clone())?;
    engine.serve_activity_with_state(&make_rows, data.clone())?;
    engine.serve_activity_with_state(&score_row, data.clone())?;
    engine.serve_activity_with_state(&summarize, data)?;
    let machine = engine.create_state_machine_for::<Import>()?;

    let run = engine
        .start_execution(
            &machine,
            StartExecution::new(json!({"enabled": true, "rows": 2000})),
        )
        .await?;
    let done = run.wait().await?;
    println!(
        "enabled:  {} {}",
        done.status,
        done.output.unwrap_or_default()
    );

    let run = engine
        .start_execution(
            &machine,
            StartExecution::new(json!({"enabled": false, "rows": 2000})),
        )
        .await?;
    let done = run.wait().await?;
    assert_eq!(done.status, ExecutionStatus::Aborted);
    println!(
        "disabled: {} {}: {}",
        done.status,
        done.error.unwrap_or_default(),
        done.cause.unwrap_or_default()
    );
    Ok(())
}
