//! A distributed Map's `ItemReader` and `ResultWriter` on the engine's
//! [`ObjectStore`](crate::local::ObjectStore): the arguments evaluated, the objects read and
//! written; what the objects mean is sfn-core's (`sfn_core::eval::items`).
//!
//! - `arn:aws:states:::s3:getObject` reads `Bucket`/`Key` as `ReaderConfig.InputType` says
//!   (JSON, JSONL, CSV); `arn:aws:states:::s3:listObjectsV2` lists `Bucket`/`Prefix`, an
//!   item per object; `MaxItems` (or `MaxItemsPath`) keeps the first items.
//! - `ResultWriter` with a `Resource` writes, under `Prefix/MAP_RUN_ID/`, `SUCCEEDED_0.json`,
//!   `FAILED_0.json` and `PENDING_0.json` (those that have results) and `manifest.json`
//!   naming them; the state's result is `{MapRunArn, ResultWriterDetails: {Bucket, Key}}`,
//!   the key the manifest's. With `WriterConfig` alone, the transformed results are the
//!   state's result.
//!
//! Source: the AWS Step Functions Developer Guide, "ItemReader (Map)" and "ResultWriter
//! (Map)". JSONPath arguments are evaluated against the effective input (after
//! `InputPath`), JSONata ones against `$states.input`.

use std::sync::Arc;

use chrono::SecondsFormat;
use serde_json::{Map, Value, json};
use sfn_core::{
    StatesError,
    error::states,
    eval::{
        Env,
        items::{self, InputType, WriterOptions},
        template,
    },
    model::{ItemReader, ResultWriter, Template},
};

use super::{Failure, Run, int_field_signed, nested};
use crate::local::{
    ExecutionDescription, ExecutionStatus, LocalEngine, ObjectStore, ObjectStoreError,
};

/// What a `ResultWriter` says, evaluated when the Map starts.
pub(crate) struct WriterPlan {
    /// `Bucket` and `Prefix`, when it has a `Resource`.
    target: Option<(String, String)>,
    options: WriterOptions,
}

/// What the reader and writer see: the state's input, the context object, the variables.
pub(super) struct ItemsScope<'a> {
    pub(super) input: &'a Value,
    pub(super) ctx: &'a Value,
    pub(super) vars: &'a Map<String, Value>,
    pub(super) jsonata: bool,
}

fn reader_failed(cause: impl Into<String>) -> Failure {
    Failure::new(states::ITEM_READER_FAILED, Some(cause.into()))
}

fn writer_failed(cause: impl Into<String>) -> Failure {
    Failure::new(states::RESULT_WRITER_FAILED, Some(cause.into()))
}

/// A string argument, or the failure `fail` makes.
fn text_arg(args: &Value, name: &str, fail: fn(String) -> Failure) -> Result<String, Failure> {
    args.get(name)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| {
            fail(format!(
                "The field '{name}' is required and must be a string"
            ))
        })
}

impl Run {
    /// The arguments of a reader or writer: `Parameters` (JSONPath) or `Arguments`
    /// (JSONata); none gives `{}`.
    fn items_args(
        &self,
        parameters: Option<&Template>,
        arguments: Option<&Template>,
        scope: &ItemsScope<'_>,
        fail: fn(String) -> Failure,
    ) -> Result<Value, Failure> {
        let r = if scope.jsonata {
            let js = self.jsonata_scope(scope.input, scope.ctx, scope.vars);
            arguments.map(|a| template::evaluate_jsonata(a, "Arguments", &js))
        } else {
            let env = Env {
                input: scope.input,
                context: scope.ctx,
                variables: scope.vars,
            };
            parameters.map(|p| template::evaluate(p, &env))
        };
        match r {
            None => Ok(Value::Object(Map::new())),
            Some(Ok(v)) => Ok(v),
            Some(Err(e)) => Err(fail(format!("{}: {}", e.error, e.cause))),
        }
    }

    fn store(&self, fail: fn(String) -> Failure) -> Result<Arc<dyn ObjectStore>, Failure> {
        self.engine.object_store.clone().ok_or_else(|| {
            fail("The engine has no object store to read items from or write results to; give it one with LocalEngine::builder().object_store(…)".to_owned())
        })
    }

    /// The items an `ItemReader` reads: under TestState, `mapItemReaderData`; otherwise
    /// from the engine's object store. A `MaxItemsPath` that selects nothing or no integer
    /// fails the state as the other `…Path` fields do (`state_error`: `States.Runtime`);
    /// a negative one fails the reader.
    pub(super) async fn read_items(
        &self,
        reader: &ItemReader,
        scope: &ItemsScope<'_>,
        state_error: impl Fn(StatesError) -> Failure,
    ) -> Result<Vec<Value>, Failure> {
        if let Some(items) = self.probe_items() {
            return items;
        }
        let args = self.items_args(
            reader.parameters.as_ref(),
            reader.arguments.as_ref(),
            scope,
            reader_failed,
        )?;
        let config = reader.reader_config.as_ref();
        let max_items = match config {
            Some(c) => {
                let env = Env {
                    input: scope.input,
                    context: scope.ctx,
                    variables: scope.vars,
                };
                let js = scope
                    .jsonata
                    .then(|| self.jsonata_scope(scope.input, scope.ctx, scope.vars));
                match int_field_signed(
                    c.max_items.as_ref(),
                    c.max_items_path.as_ref(),
                    "MaxItemsPath",
                    &env,
                    js.as_ref(),
                )
                .map_err(state_error)?
                {
                    Some(n) if n < 0 => {
                        return Err(reader_failed("field MaxItems must be positive"));
                    }
                    n => n.map(i64::unsigned_abs),
                }
            }
            None => None,
        };
        let store = self.store(reader_failed)?;
        let bucket = text_arg(&args, "Bucket", reader_failed)?;
        let resource = reader.resource.as_str();
        if resource.ends_with(":s3:listObjectsV2") {
            let prefix = args
                .get("Prefix")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let listed = blocking(move || store.list(&bucket, &prefix))
                .await
                .map_err(|e| reader_failed(e.to_string()))?;
            let mut items: Vec<Value> = listed
                .iter()
                .map(|o| items::listing_item(&o.key, o.size, &o.etag, o.last_modified.timestamp()))
                .collect();
            items::truncate(&mut items, max_items);
            return Ok(items);
        }
        let key = text_arg(&args, "Key", reader_failed)?;
        let input_type =
            InputType::from_config(config).map_err(|e| reader_failed(e.to_string()))?;
        let text = read_text(&store, bucket, key).await?;
        if input_type == InputType::Manifest {
            // An S3 inventory: the manifest names the files, each a CSV, gzip-compressed.
            let manifest =
                items::parse_manifest(&text).map_err(|e| reader_failed(e.to_string()))?;
            let mut all = Vec::new();
            for file in &manifest.files {
                let text = read_text(&store, manifest.bucket.clone(), file.clone()).await?;
                all.extend(
                    items::parse_inventory(&text, &manifest)
                        .map_err(|e| reader_failed(e.to_string()))?,
                );
                if max_items.is_some_and(|n| n > 0 && all.len() as u64 >= n) {
                    break;
                }
            }
            items::truncate(&mut all, max_items);
            return Ok(all);
        }
        items::parse_object(&text, input_type, config, max_items)
            .map_err(|e| reader_failed(e.to_string()))
    }

    /// A `ResultWriter`'s target and options, evaluated when the Map starts.
    pub(super) fn writer_plan(
        &self,
        writer: &ResultWriter,
        scope: &ItemsScope<'_>,
    ) -> Result<WriterPlan, Failure> {
        let config = writer.writer_config.as_ref();
        let options = WriterOptions::new(
            config.and_then(|c| c.output_type.as_deref()),
            config.and_then(|c| c.transformation.as_deref()),
        )
        .map_err(|e| writer_failed(e.to_string()))?;
        let target = match &writer.resource {
            None => None,
            Some(_) => {
                let args = self.items_args(
                    writer.parameters.as_ref(),
                    writer.arguments.as_ref(),
                    scope,
                    writer_failed,
                )?;
                let bucket = text_arg(&args, "Bucket", writer_failed)?;
                let prefix = args
                    .get("Prefix")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .trim_end_matches('/')
                    .to_owned();
                Some((bucket, prefix))
            }
        };
        Ok(WriterPlan { target, options })
    }

    /// Writes a finished Map Run's results as the plan says; returns the state's result.
    pub(crate) async fn write_results(
        &self,
        plan: &WriterPlan,
        map_run_arn: &str,
    ) -> Result<Value, Failure> {
        let engine = LocalEngine {
            inner: self.engine.clone(),
        };
        let children = engine.list_executions(Some(map_run_arn));
        let Some((bucket, prefix)) = &plan.target else {
            let results = plan.options.transform(
                children
                    .iter()
                    .map(|d| (child_shape(d), succeeded_output(d)))
                    .collect(),
            );
            return Ok(Value::Array(results));
        };
        let store = self.store(writer_failed)?;
        let run_id = map_run_arn.rsplit(':').next().unwrap_or(map_run_arn);
        let dir = if prefix.is_empty() {
            run_id.to_owned()
        } else {
            format!("{prefix}/{run_id}")
        };
        let extension = if plan.options.jsonl { "jsonl" } else { "json" };
        let mut files = Map::new();
        for (label, wanted) in [
            (
                "FAILED",
                &[
                    ExecutionStatus::Failed,
                    ExecutionStatus::TimedOut,
                    ExecutionStatus::Aborted,
                ][..],
            ),
            ("PENDING", &[ExecutionStatus::Running][..]),
            ("SUCCEEDED", &[ExecutionStatus::Succeeded][..]),
        ] {
            let these: Vec<(Value, Option<Value>)> = children
                .iter()
                .filter(|d| wanted.contains(&d.status))
                .map(|d| (child_shape(d), succeeded_output(d)))
                .collect();
            let mut entries = Vec::new();
            if !these.is_empty() {
                let results = plan.options.transform(these);
                let text = plan.options.encode(&results);
                let key = format!("{dir}/{label}_0.{extension}");
                let size = text.len();
                put(&store, bucket, &key, text.into_bytes()).await?;
                entries.push(json!({"Key": key, "Size": size}));
            }
            files.insert(label.to_owned(), Value::Array(entries));
        }
        let manifest = json!({
            "DestinationBucket": bucket,
            "MapRunArn": map_run_arn,
            "ResultFiles": files,
        });
        let key = format!("{dir}/manifest.json");
        put(&store, bucket, &key, manifest.to_string().into_bytes()).await?;
        Ok(json!({
            "MapRunArn": map_run_arn,
            "ResultWriterDetails": {"Bucket": bucket, "Key": key},
        }))
    }
}

async fn put(
    store: &Arc<dyn ObjectStore>,
    bucket: &str,
    key: &str,
    bytes: Vec<u8>,
) -> Result<(), Failure> {
    let (store, bucket, key) = (store.clone(), bucket.to_owned(), key.to_owned());
    blocking(move || store.put(&bucket, &key, bytes))
        .await
        .map_err(|e| writer_failed(e.to_string()))
}

/// Runs a store call off the engine's tasks.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ObjectStoreError> + Send + 'static,
) -> Result<T, String> {
    match tokio::task::spawn_blocking(f).await {
        Ok(r) => r.map_err(|e| e.to_string()),
        Err(e) => Err(format!("the object store call failed: {e}")),
    }
}

/// A child execution as a results file holds it: `DescribeExecution`'s shape, input and
/// output as JSON text, dates as ISO 8601.
fn child_shape(d: &ExecutionDescription) -> Value {
    nested::describe_shape(d, nested::Shape::RESULTS, |t| {
        t.to_rfc3339_opts(SecondsFormat::Millis, true).into()
    })
}

fn succeeded_output(d: &ExecutionDescription) -> Option<Value> {
    (d.status == ExecutionStatus::Succeeded)
        .then(|| d.output.clone())
        .flatten()
}

/// An object's text, decompressed when it is gzip (as S3 inventory files are).
async fn read_text(
    store: &Arc<dyn ObjectStore>,
    bucket: String,
    key: String,
) -> Result<String, Failure> {
    let store = store.clone();
    let bytes = blocking(move || store.get(&bucket, &key))
        .await
        .map_err(|e| reader_failed(e.to_string()))?;
    let bytes = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        std::io::Read::read_to_end(
            &mut flate2::read::GzDecoder::new(bytes.as_slice()),
            &mut out,
        )
        .map_err(|e| reader_failed(format!("The object read is not valid gzip: {e}")))?;
        out
    } else {
        bytes
    };
    String::from_utf8(bytes).map_err(|_| reader_failed("The object read is not UTF-8 text"))
}
