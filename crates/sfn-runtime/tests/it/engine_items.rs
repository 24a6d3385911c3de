//! A distributed Map's `ItemReader` and `ResultWriter` on the engine's object store. The
//! corpus has no recording of either (its Maps read their items from the input), so these
//! follow AWS's documentation: "ItemReader (Map)" (the input types, the CSV options,
//! `MaxItems`, a `listObjectsV2` item) and "ResultWriter (Map)" (the manifest, the result
//! files, `WriterConfig`).

use std::sync::Arc;

use serde_json::{Value, json};
use sfn_runtime::local::{
    ExecutionStatus, FolderObjectStore, LocalEngine, MemoryObjectStore, ObjectStore, VirtualClock,
};

use crate::support::run;

const ECHO: &str = r#""StartAt": "Echo", "States": {"Echo": {"Type": "Pass", "End": true}}"#;

fn engine_with(store: Arc<dyn ObjectStore>) -> LocalEngine {
    LocalEngine::builder()
        .clock(Arc::new(VirtualClock::default()))
        .object_store(store)
        .build()
}

/// A distributed Map with `fields` (an `ItemReader`, a `ResultWriter`) over `processor`.
fn map(fields: &str, processor: &str) -> String {
    format!(
        r#"{{"StartAt": "Each", "States": {{"Each": {{"Type": "Map", {fields}
            "ItemProcessor": {{"ProcessorConfig": {{"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}}, {processor}}},
            "End": true}}}}}}"#
    )
}

fn reader(config: &str, key: &str) -> String {
    format!(
        r#""ItemReader": {{"Resource": "arn:aws:states:::s3:getObject", {config}
            "Parameters": {{"Bucket": "data", "Key": "{key}"}}}},"#
    )
}

async fn items_read(store: &Arc<MemoryObjectStore>, fields: &str, input: Value) -> Value {
    let done = run(&engine_with(store.clone()), "m", &map(fields, ECHO), input).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    done.output.unwrap_or_default()
}

#[tokio::test]
async fn json_jsonl_and_max_items() {
    let store = Arc::new(MemoryObjectStore::new());
    store
        .put(
            "data",
            "a.json",
            br#"[{"n": 1}, {"n": 2}, {"n": 3}]"#.to_vec(),
        )
        .unwrap();
    store
        .put("data", "a.jsonl", b"{\"n\": 1}\n{\"n\": 2}\n".to_vec())
        .unwrap();
    let out = items_read(&store, &reader("", "a.json"), json!({})).await;
    assert_eq!(out, json!([{"n": 1}, {"n": 2}, {"n": 3}]));
    let out = items_read(
        &store,
        &reader(
            r#""ReaderConfig": {"InputType": "JSON", "MaxItems": 2},"#,
            "a.json",
        ),
        json!({}),
    )
    .await;
    assert_eq!(out, json!([{"n": 1}, {"n": 2}]));
    let out = items_read(
        &store,
        &reader(
            r#""ReaderConfig": {"InputType": "JSON", "MaxItemsPath": "$.max"},"#,
            "a.json",
        ),
        json!({"max": 1}),
    )
    .await;
    assert_eq!(out, json!([{"n": 1}]));
    let out = items_read(
        &store,
        &reader(r#""ReaderConfig": {"InputType": "JSONL"},"#, "a.jsonl"),
        json!({}),
    )
    .await;
    assert_eq!(out, json!([{"n": 1}, {"n": 2}]));
}

#[tokio::test]
async fn csv_with_its_header_row_or_given_headers() {
    let store = Arc::new(MemoryObjectStore::new());
    store
        .put("data", "a.csv", b"name,age\nann,31\n\"b, c\",7\n".to_vec())
        .unwrap();
    store.put("data", "b.csv", b"ann;31\n".to_vec()).unwrap();
    let out = items_read(
        &store,
        &reader(
            r#""ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},"#,
            "a.csv",
        ),
        json!({}),
    )
    .await;
    // CSV values are strings.
    assert_eq!(
        out,
        json!([{"name": "ann", "age": "31"}, {"name": "b, c", "age": "7"}])
    );
    let out = items_read(
        &store,
        &reader(
            r#""ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "GIVEN",
                "CSVHeaders": ["who", "years"], "CSVDelimiter": "SEMICOLON"},"#,
            "b.csv",
        ),
        json!({}),
    )
    .await;
    assert_eq!(out, json!([{"who": "ann", "years": "31"}]));
}

/// `bytes` gzip-compressed, as S3 inventory files are.
fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap_or_else(|err| panic!("{err}"));
    e.finish().unwrap_or_else(|err| panic!("{err}"))
}

/// An S3 inventory (AWS's documented manifest shape): the manifest names its files in
/// the destination bucket, each a headerless CSV, gzip-compressed; every row is an item
/// with the manifest's columns.
#[tokio::test]
async fn manifest_reads_an_s3_inventory() {
    let store = Arc::new(MemoryObjectStore::new());
    let manifest = json!({
        "sourceBucket": "photos",
        "destinationBucket": "arn:aws:s3:::inventory",
        "version": "2016-11-30",
        "fileFormat": "CSV",
        "fileSchema": "Bucket, Key, Size",
        "files": [
            {"key": "photos/files/a.csv.gz", "size": 1, "MD5checksum": "x"},
            {"key": "photos/files/b.csv.gz", "size": 1, "MD5checksum": "y"}
        ]
    });
    store
        .put("data", "manifest.json", manifest.to_string().into_bytes())
        .unwrap();
    store
        .put(
            "inventory",
            "photos/files/a.csv.gz",
            gzip(b"\"photos\",\"1.jpg\",\"10\"\n\"photos\",\"2.jpg\",\"20\"\n"),
        )
        .unwrap();
    store
        .put(
            "inventory",
            "photos/files/b.csv.gz",
            gzip(b"\"photos\",\"3.jpg\",\"30\"\n"),
        )
        .unwrap();
    let config = r#""ReaderConfig": {"InputType": "MANIFEST"},"#;
    let out = items_read(&store, &reader(config, "manifest.json"), json!({})).await;
    assert_eq!(
        out,
        json!([
            {"Bucket": "photos", "Key": "1.jpg", "Size": "10"},
            {"Bucket": "photos", "Key": "2.jpg", "Size": "20"},
            {"Bucket": "photos", "Key": "3.jpg", "Size": "30"}
        ])
    );
    let config = r#""ReaderConfig": {"InputType": "MANIFEST", "MaxItems": 2},"#;
    let out = items_read(&store, &reader(config, "manifest.json"), json!({})).await;
    assert_eq!(out.as_array().map(Vec::len), Some(2));
    // A file the manifest names but that is not there fails the reader.
    store
        .put(
            "data",
            "broken.json",
            json!({"destinationBucket": "inventory", "fileSchema": "Bucket, Key",
                   "files": [{"key": "missing.csv.gz"}]})
            .to_string()
            .into_bytes(),
        )
        .unwrap();
    let done = run(
        &engine_with(store.clone()),
        "m",
        &map(
            &reader(
                r#""ReaderConfig": {"InputType": "MANIFEST"},"#,
                "broken.json",
            ),
            ECHO,
        ),
        json!({}),
    )
    .await;
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some("States.ItemReaderFailed"));
}

#[tokio::test]
async fn jsonata_arguments_name_the_object() {
    let store = Arc::new(MemoryObjectStore::new());
    store
        .put("data", "in/x.json", b"[10, 20]".to_vec())
        .unwrap();
    let def = r#"{"QueryLanguage": "JSONata", "StartAt": "Each", "States": {"Each": {"Type": "Map",
        "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
            "ReaderConfig": {"InputType": "JSON", "MaxItems": "{% $states.input.max %}"},
            "Arguments": {"Bucket": "data", "Key": "{% 'in/' & $states.input.file %}"}},
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
            "StartAt": "Echo", "States": {"Echo": {"Type": "Pass", "End": true}}},
        "End": true}}}"#;
    let done = run(
        &engine_with(store),
        "m",
        def,
        json!({"file": "x.json", "max": 5}),
    )
    .await;
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    assert_eq!(done.output, Some(json!([10, 20])));
}

#[tokio::test]
async fn list_objects_v2_gives_an_item_per_object() {
    let store = Arc::new(MemoryObjectStore::new());
    store.put("data", "img/1.jpg", vec![0; 5]).unwrap();
    store.put("data", "img/2.jpg", vec![0; 7]).unwrap();
    store.put("data", "other/3.jpg", vec![0; 1]).unwrap();
    let fields = r#""ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2",
        "Parameters": {"Bucket": "data", "Prefix": "img/"}},"#;
    let out = items_read(&store, fields, json!({})).await;
    let items = out.as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["Key"], json!("img/1.jpg"));
    assert_eq!(items[1]["Size"], json!(7));
    assert_eq!(items[0]["StorageClass"], json!("STANDARD"));
    assert!(items[0]["Etag"].as_str().unwrap().starts_with('"'));
    assert!(items[0]["LastModified"].is_i64());
}

#[tokio::test]
async fn a_missing_object_or_bad_data_fails_the_reader() {
    let store = Arc::new(MemoryObjectStore::new());
    store
        .put("data", "obj.json", br#"{"not": "an array"}"#.to_vec())
        .unwrap();
    for key in ["missing.json", "obj.json"] {
        let done = run(
            &engine_with(store.clone()),
            "m",
            &map(&reader("", key), ECHO),
            json!({}),
        )
        .await;
        assert_eq!(done.status, ExecutionStatus::Failed);
        assert_eq!(
            done.error.as_deref(),
            Some("States.ItemReaderFailed"),
            "{key}"
        );
    }
}

const WRITER: &str = r#""ItemsPath": "$.items", "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject",
    "Parameters": {"Bucket": "out", "Prefix": "runs"}},"#;

fn stored(store: &MemoryObjectStore, key: &str) -> Value {
    let bytes = store
        .get("out", key)
        .unwrap_or_else(|e| panic!("{key}: {e}"));
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{key}: {e}"))
}

#[tokio::test]
async fn result_writer_writes_the_manifest_and_result_files() {
    let store = Arc::new(MemoryObjectStore::new());
    let done = run(
        &engine_with(store.clone()),
        "m",
        &map(WRITER, ECHO),
        json!({"items": [1, 2]}),
    )
    .await;
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    let out = done.output.unwrap();
    let map_run_arn = out["MapRunArn"].as_str().unwrap().to_owned();
    let id = map_run_arn.rsplit(':').next().unwrap();
    let manifest_key = format!("runs/{id}/manifest.json");
    assert_eq!(
        out["ResultWriterDetails"],
        json!({"Bucket": "out", "Key": manifest_key})
    );
    let manifest = stored(&store, &manifest_key);
    assert_eq!(manifest["DestinationBucket"], json!("out"));
    assert_eq!(manifest["MapRunArn"], json!(map_run_arn));
    assert_eq!(manifest["ResultFiles"]["FAILED"], json!([]));
    let succeeded = &manifest["ResultFiles"]["SUCCEEDED"][0];
    let key = succeeded["Key"].as_str().unwrap();
    assert_eq!(key, format!("runs/{id}/SUCCEEDED_0.json"));
    let results = stored(&store, key);
    let results = results.as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert_eq!(results[0]["Status"], json!("SUCCEEDED"));
    assert_eq!(results[0]["InputDetails"], json!({"Included": true}));
    let mut outputs: Vec<String> = results
        .iter()
        .map(|r| r["Output"].as_str().unwrap().to_owned())
        .collect();
    outputs.sort();
    assert_eq!(outputs, ["1", "2"]);
    assert_eq!(
        succeeded["Size"],
        json!(store.get("out", key).unwrap().len())
    );
}

#[tokio::test]
async fn failed_children_go_to_the_failed_file() {
    let store = Arc::new(MemoryObjectStore::new());
    let fields = format!(r#"{WRITER} "ToleratedFailurePercentage": 50,"#);
    let processor = r#""StartAt": "Check", "States": {
        "Check": {"Type": "Choice", "Choices": [{"Variable": "$", "NumericEquals": 2, "Next": "Boom"}], "Default": "Ok"},
        "Boom": {"Type": "Fail", "Error": "Boom", "Cause": "two"},
        "Ok": {"Type": "Pass", "End": true}}"#;
    let done = run(
        &engine_with(store.clone()),
        "m",
        &map(&fields, processor),
        json!({"items": [1, 2, 3]}),
    )
    .await;
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    let manifest = stored(
        &store,
        done.output.unwrap()["ResultWriterDetails"]["Key"]
            .as_str()
            .unwrap(),
    );
    let failed = stored(
        &store,
        manifest["ResultFiles"]["FAILED"][0]["Key"]
            .as_str()
            .unwrap(),
    );
    assert_eq!(failed[0]["Error"], json!("Boom"));
    assert_eq!(failed[0]["Cause"], json!("two"));
    assert_eq!(failed[0]["Status"], json!("FAILED"));
    assert_eq!(
        manifest["ResultFiles"]["SUCCEEDED"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn writer_config_transforms_the_results() {
    let store = Arc::new(MemoryObjectStore::new());
    let processor = r#""StartAt": "Pair", "States": {"Pair": {"Type": "Pass",
        "Parameters": {"pair.$": "States.Array($, $)"}, "OutputPath": "$.pair", "End": true}}"#;
    // WriterConfig alone: the transformed results are the state's output.
    let fields = r#""ItemsPath": "$.items", "ResultWriter": {"WriterConfig": {"Transformation": "FLATTEN", "OutputType": "JSON"}},"#;
    let done = run(
        &engine_with(store.clone()),
        "m",
        &map(fields, processor),
        json!({"items": [1]}),
    )
    .await;
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    assert_eq!(done.output, Some(json!([1, 1])));
    // With a Resource, COMPACT and JSONL: the outputs alone, a line each.
    let fields = r#""ItemsPath": "$.items", "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject",
        "Parameters": {"Bucket": "out", "Prefix": "p/"},
        "WriterConfig": {"Transformation": "COMPACT", "OutputType": "JSONL"}},"#;
    let done = run(
        &engine_with(store.clone()),
        "m2",
        &map(fields, processor),
        json!({"items": [4]}),
    )
    .await;
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    let manifest = stored(
        &store,
        done.output.unwrap()["ResultWriterDetails"]["Key"]
            .as_str()
            .unwrap(),
    );
    let key = manifest["ResultFiles"]["SUCCEEDED"][0]["Key"]
        .as_str()
        .unwrap();
    assert!(
        key.starts_with("p/") && key.ends_with("SUCCEEDED_0.jsonl"),
        "{key}"
    );
    assert_eq!(store.get("out", key).unwrap(), b"[4,4]\n");
}

#[tokio::test]
async fn a_folder_store_reads_and_writes_files() {
    let root = std::env::temp_dir().join(format!("sfn-items-{}", std::process::id()));
    let store = Arc::new(FolderObjectStore::new(&root));
    store.put("data", "a.csv", b"k\nv\n".to_vec()).unwrap();
    let fields = format!(
        r#"{} "ResultWriter": {{"Resource": "arn:aws:states:::s3:putObject", "Parameters": {{"Bucket": "out", "Prefix": "r"}}}},"#,
        reader(r#""ReaderConfig": {"InputType": "CSV"},"#, "a.csv")
    );
    let done = run(&engine_with(store), "m", &map(&fields, ECHO), json!({})).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    let key = done.output.unwrap()["ResultWriterDetails"]["Key"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(root.join("out").join(&key).is_file());
    let _ = std::fs::remove_dir_all(&root);
}

#[tokio::test]
async fn max_items_path_values_aws_refuses() {
    // As AWS records them: a MaxItemsPath that is no integer fails the state as the other
    // `…Path` fields do (States.Runtime); a negative one fails the reader.
    let store = Arc::new(MemoryObjectStore::new());
    store.put("data", "a.json", b"[1, 2]".to_vec()).unwrap();
    let fields = reader(
        r#""ReaderConfig": {"InputType": "JSON", "MaxItemsPath": "$.max"},"#,
        "a.json",
    );
    for (max, error, cause) in [
        (
            json!("two"),
            "States.Runtime",
            "An error occurred while executing the state 'Each' (entered at the event id #2). The MaxItemsPath field refers to value \"two\" which is not a valid integer: $.max",
        ),
        (
            json!(1.5),
            "States.Runtime",
            "An error occurred while executing the state 'Each' (entered at the event id #2). The MaxItemsPath field refers to value \"1.5\" which is not a valid integer: $.max",
        ),
        (
            json!(-1),
            "States.ItemReaderFailed",
            "field MaxItems must be positive",
        ),
    ] {
        let done = run(
            &engine_with(store.clone()),
            "m",
            &map(&fields, ECHO),
            json!({"max": max}),
        )
        .await;
        assert_eq!(done.status, ExecutionStatus::Failed);
        assert_eq!(done.error.as_deref(), Some(error));
        assert_eq!(done.cause.as_deref(), Some(cause));
    }
}

#[tokio::test]
async fn max_items_path_and_batch_paths_read_integer_strings() {
    // AWS reads "2" from a variable as 2 (TestAssignReferenceVariables'
    // MAP_STATE_REFERENCE_IN_MAX_ITEMS_PATH and _MAX_PER_BATCH_PATH assign strings).
    let store = Arc::new(MemoryObjectStore::new());
    store
        .put("data", "a.json", b"[1, 2, 3, 4]".to_vec())
        .unwrap();
    let fields = reader(
        r#""ReaderConfig": {"InputType": "JSON", "MaxItemsPath": "$max"},"#,
        "a.json",
    );
    let def = format!(
        r#"{{"StartAt": "Start", "States": {{"Start": {{"Type": "Pass", "Assign": {{"max": "2"}}, "Next": "Each"}},
            "Each": {{"Type": "Map", {fields}
            "ItemProcessor": {{"ProcessorConfig": {{"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}}, {ECHO}}},
            "End": true}}}}}}"#
    );
    let done = run(&engine_with(store.clone()), "m", &def, json!({})).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    assert_eq!(done.output, Some(json!([1, 2])));

    let fields = format!(
        r#"{} "ItemBatcher": {{"MaxItemsPerBatchPath": "$per", "MaxInputBytesPerBatchPath": "$bytes"}},"#,
        reader("", "a.json")
    );
    let def = format!(
        r#"{{"StartAt": "Start", "States": {{"Start": {{"Type": "Pass", "Assign": {{"per": "2", "bytes": "15000"}}, "Next": "Each"}},
            "Each": {{"Type": "Map", {fields}
            "ItemProcessor": {{"ProcessorConfig": {{"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}}, {ECHO}}},
            "End": true}}}}}}"#
    );
    let done = run(&engine_with(store), "m", &def, json!({})).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    assert_eq!(
        done.output,
        Some(json!([{"Items": [1, 2]}, {"Items": [3, 4]}]))
    );
}

#[tokio::test]
async fn results_are_written_when_the_failures_exceed_the_tolerance() {
    let store = Arc::new(MemoryObjectStore::new());
    let processor = r#""StartAt": "Boom", "States": {"Boom": {"Type": "Fail", "Error": "Boom"}}"#;
    let done = run(
        &engine_with(store.clone()),
        "m",
        &map(WRITER, processor),
        json!({"items": [1]}),
    )
    .await;
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(
        done.error.as_deref(),
        Some("States.ExceedToleratedFailureThreshold")
    );
    let listed = store.list("out", "runs/").unwrap();
    let keys: Vec<&str> = listed.iter().map(|o| o.key.as_str()).collect();
    assert_eq!(keys.len(), 2, "{keys:?}");
    assert!(
        keys.iter().any(|k| k.ends_with("/FAILED_0.json")),
        "{keys:?}"
    );
    assert!(
        keys.iter().any(|k| k.ends_with("/manifest.json")),
        "{keys:?}"
    );
}

#[tokio::test]
async fn reader_arguments_see_the_effective_input() {
    let store = Arc::new(MemoryObjectStore::new());
    store.put("data", "k.json", b"[7]".to_vec()).unwrap();
    let fields = r#""InputPath": "$.where", "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
        "Parameters": {"Bucket.$": "$.bucket", "Key.$": "$.key"}},"#;
    let out = items_read(
        &store,
        fields,
        json!({"where": {"bucket": "data", "key": "k.json"}}),
    )
    .await;
    assert_eq!(out, json!([7]));
}

#[tokio::test]
async fn csv_rows_longer_than_the_headers_keep_the_headed_fields() {
    // As AWS reads them: fields past the last header are dropped, missing ones are empty,
    // with the headers given or in the first row; a whitespace line is a row.
    let store = Arc::new(MemoryObjectStore::new());
    store
        .put("data", "given.csv", b"1,2,3\n,,,\n   \n".to_vec())
        .unwrap();
    store
        .put("data", "first.csv", b"a,\n1,2,3\n4\n".to_vec())
        .unwrap();
    let given = reader(
        r#""ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "GIVEN", "CSVHeaders": ["a", "b"]},"#,
        "given.csv",
    );
    assert_eq!(
        items_read(&store, &given, json!({})).await,
        json!([{"a": "1", "b": "2"}, {"a": "", "b": ""}, {"a": "   ", "b": ""}])
    );
    let first = reader(
        r#""ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},"#,
        "first.csv",
    );
    assert_eq!(
        items_read(&store, &first, json!({})).await,
        json!([{"a": "1", "": "2"}, {"a": "4", "": ""}])
    );
}

#[tokio::test]
async fn csv_headers_that_repeat_a_name_fail_the_reader() {
    let store = Arc::new(MemoryObjectStore::new());
    store.put("data", "a.csv", b"1,2\n".to_vec()).unwrap();
    let fields = reader(
        r#""ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "GIVEN", "CSVHeaders": ["h", "h"]},"#,
        "a.csv",
    );
    let done = run(&engine_with(store), "m", &map(&fields, ECHO), json!({})).await;
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some("States.ItemReaderFailed"));
    assert_eq!(
        done.cause.as_deref(),
        Some("CSV headers cannot contain duplicates.")
    );
}

#[tokio::test]
async fn a_json_object_that_is_no_array_fails_the_reader_in_aws_words() {
    let store = Arc::new(MemoryObjectStore::new());
    store
        .put("data", "a.json", br#"{"Hello": "world"}"#.to_vec())
        .unwrap();
    let fields = reader(r#""ReaderConfig": {"InputType": "JSON"},"#, "a.json");
    let done = run(&engine_with(store), "m", &map(&fields, ECHO), json!({})).await;
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some("States.ItemReaderFailed"));
    assert_eq!(
        done.cause.as_deref(),
        Some("Attempting to map over non-iterable node.")
    );
}

#[tokio::test]
async fn a_map_state_that_reads_its_items_starts_with_length_zero() {
    // As AWS records it: the Map Run reads and counts the items, `MapStateStarted` has 0.
    let store = Arc::new(MemoryObjectStore::new());
    store.put("data", "a.json", b"[1, 2, 3]".to_vec()).unwrap();
    let fields = reader(r#""ReaderConfig": {"InputType": "JSON"},"#, "a.json");
    let engine = engine_with(store);
    let done = run(&engine, "m", &map(&fields, ECHO), json!({})).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    let h = crate::support::history(&engine, &done.execution_arn);
    let started = crate::support::find(&h, sfn_runtime::local::EventType::MapStateStarted);
    assert_eq!(
        started.to_json()["mapStateStartedEventDetails"],
        json!({"length": 0})
    );
}

#[tokio::test]
async fn a_distributed_map_starts_before_its_run_settings_are_read() {
    // As AWS records it: `MapStateStarted` (0 with an ItemReader, else the items' count),
    // then the failure of a setting that cannot be read.
    let store = Arc::new(MemoryObjectStore::new());
    store.put("data", "a.json", b"[1, 2]".to_vec()).unwrap();
    let with_reader = map(
        &reader(
            r#""ReaderConfig": {"InputType": "JSON", "MaxItemsPath": "$.max"},"#,
            "a.json",
        ),
        ECHO,
    );
    let with_items = map(
        r#""ItemsPath": "$.items", "ToleratedFailurePercentagePath": "$.pct","#,
        ECHO,
    );
    for (def, input, length) in [
        (with_reader, json!({"max": "x"}), 0),
        (with_items, json!({"items": [1, 2, 3], "pct": "x"}), 3),
    ] {
        let engine = engine_with(store.clone());
        let done = run(&engine, "m", &def, input).await;
        assert_eq!(done.status, ExecutionStatus::Failed);
        assert_eq!(done.error.as_deref(), Some("States.Runtime"));
        let h = crate::support::history(&engine, &done.execution_arn);
        assert_eq!(
            crate::support::types(&h),
            vec![
                "ExecutionStarted",
                "MapStateEntered",
                "MapStateStarted",
                "ExecutionFailed"
            ]
        );
        let started = crate::support::find(&h, sfn_runtime::local::EventType::MapStateStarted);
        assert_eq!(
            started.to_json()["mapStateStartedEventDetails"],
            json!({"length": length})
        );
    }
}

#[tokio::test]
async fn what_the_reader_cannot_read_fails_the_map_run() {
    // As AWS records it: the Map Run starts and fails with the reader's error, then the
    // state fails.
    let store = Arc::new(MemoryObjectStore::new());
    store
        .put("data", "a.json", br#"{"not": "a list"}"#.to_vec())
        .unwrap();
    let fields = reader(r#""ReaderConfig": {"InputType": "JSON"},"#, "a.json");
    let engine = engine_with(store);
    let done = run(&engine, "m", &map(&fields, ECHO), json!({})).await;
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some("States.ItemReaderFailed"));
    let h = crate::support::history(&engine, &done.execution_arn);
    assert_eq!(
        crate::support::types(&h),
        vec![
            "ExecutionStarted",
            "MapStateEntered",
            "MapStateStarted",
            "MapRunStarted",
            "MapRunFailed",
            "MapStateFailed",
            "ExecutionFailed"
        ]
    );
    let failed = crate::support::find(&h, sfn_runtime::local::EventType::MapRunFailed);
    assert_eq!(
        failed.to_json()["mapRunFailedEventDetails"],
        json!({"error": "States.ItemReaderFailed", "cause": "Attempting to map over non-iterable node."})
    );
}
