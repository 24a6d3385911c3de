//! The Map state: its item processor (`ItemProcessor` or `Iterator`), items, concurrency
//! and tolerated failures, and a distributed Map's `ItemReader`, `ItemBatcher` and
//! `ResultWriter`.

use serde_json::{Map, Value};

use super::{fields::Obj, state::StateReader};
use crate::{
    diagnostic::value_kind as kind,
    fields::ObjectKind,
    model::*,
    names::{self, MAX_MAP_LABEL_LEN},
};

impl<'a> StateReader<'_, 'a> {
    fn processor(&mut self, key: &str) -> Option<ItemProcessor> {
        let v = self.obj.get(key)?;
        let at = self.at(key);
        let Value::Object(m) = v else {
            self.p.error(
                &at,
                format!("The field '{key}' must be an object, not {}", kind(v)),
            );
            return None;
        };
        let mut obj = Obj::new(m, &at);
        let comment = self.p.string(&mut obj, "Comment");
        let own = self.p.query_language(&mut obj);
        let processor_config = match obj.get("ProcessorConfig") {
            None => None,
            Some(Value::Object(pm)) => {
                let pat = obj.at("ProcessorConfig");
                let mut pobj = Obj::new(pm, &pat);
                let mode_at = pobj.at("Mode");
                let mode = match self.p.string(&mut pobj, "Mode").as_deref() {
                    None => None,
                    Some("INLINE") => Some(ProcessorMode::Inline),
                    Some("DISTRIBUTED") => Some(ProcessorMode::Distributed),
                    Some(o) => {
                        self.p.error(
                            &mode_at,
                            format!(
                                "The field 'Mode' must be 'INLINE' or 'DISTRIBUTED', not '{o}'"
                            ),
                        );
                        None
                    }
                };
                let et_at = pobj.at("ExecutionType");
                let execution_type = match self.p.string(&mut pobj, "ExecutionType").as_deref() {
                    None => None,
                    Some("STANDARD") => Some(ExecutionType::Standard),
                    Some("EXPRESS") => Some(ExecutionType::Express),
                    Some(o) => {
                        self.p.error(&et_at, format!("The field 'ExecutionType' must be 'STANDARD' or 'EXPRESS', not '{o}'"));
                        None
                    }
                };
                if mode == Some(ProcessorMode::Distributed) && execution_type.is_none() {
                    self.p.error(&pat, "A distributed Map's 'ProcessorConfig' needs 'ExecutionType' ('STANDARD' or 'EXPRESS')");
                }
                self.p.finish(pobj, "a ProcessorConfig");
                Some(ProcessorConfig {
                    mode,
                    execution_type,
                })
            }
            Some(v) => {
                let pat = obj.at("ProcessorConfig");
                self.p.error(
                    &pat,
                    format!(
                        "The field 'ProcessorConfig' must be an object, not {}",
                        kind(v)
                    ),
                );
                None
            }
        };
        // A distributed processor runs as child executions: a machine of its own, whose
        // states the parent's machine-wide `QueryLanguage` does not bind.
        let distributed = matches!(
            processor_config.as_ref().and_then(|c| c.mode),
            Some(ProcessorMode::Distributed)
        );
        let outer = self.p.machine_ql;
        if distributed {
            self.p.machine_ql = own;
        }
        let body = self.p.scope_body(&mut obj, own.unwrap_or(self.ql));
        self.p.machine_ql = outer;
        self.p.finish(obj, &format!("a Map's {key}"));
        let (start_at, states) = body?;
        Some(ItemProcessor {
            comment,
            processor_config,
            query_language: own,
            start_at,
            states,
        })
    }

    pub(super) fn map(
        &mut self,
        comment: Option<String>,
        query_language: Option<QueryLanguage>,
    ) -> Option<State> {
        let ptr = self.obj.ptr.clone();
        let ql = self.ql;
        let (input_path, output_path, output) = self.input_output();
        let items_path = self.reference_path("ItemsPath");
        let items = if !self.takes("Items") {
            None
        } else {
            let well_formed =
                |v: &Value| v.is_array() || v.as_str().is_some_and(JsonataString::is_expression);
            if let Some(v) = self.obj.map.get("Items").filter(|v| !well_formed(v)) {
                let at = self.at("Items");
                self.p.error(
                    &at,
                    format!(
                        "The field 'Items' must be an array or a JSONata expression, not {}",
                        kind(v)
                    ),
                );
            }
            self.p.template(&mut self.obj, "Items", ql, false)
        };
        let item_selector = self.p.template(&mut self.obj, "ItemSelector", ql, true);
        let parameters = self.template("Parameters");
        if item_selector.is_some() && parameters.is_some() {
            self.p.field_error(
                &ptr,
                "A Map state may have 'ItemSelector' or 'Parameters', not both",
            );
        }
        let item_processor = self.processor("ItemProcessor");
        let iterator = if self.takes("Iterator") {
            self.processor("Iterator")
        } else {
            None
        };
        match (self.obj.has("ItemProcessor"), self.obj.has("Iterator")) {
            (true, true) => self.p.field_error(
                &ptr,
                "A Map state may have 'ItemProcessor' or 'Iterator', not both",
            ),
            (false, false) => self
                .p
                .error(&ptr, "These fields are required: [ItemProcessor]"),
            _ => {}
        }
        let item_reader = self.item_reader();
        let item_batcher = self.item_batcher();
        let result_writer = self.result_writer();
        let (max_concurrency, max_concurrency_path) = {
            let v = self
                .p
                .int_or_expr(&mut self.obj, "MaxConcurrency", ql, 0, None);
            let p = self.reference_path("MaxConcurrencyPath");
            if v.is_some() && p.is_some() {
                self.p.field_error(
                    &ptr,
                    "A Map state may have 'MaxConcurrency' or 'MaxConcurrencyPath', not both",
                );
            }
            (v, p)
        };
        let tolerated_failure_percentage = match self.obj.get("ToleratedFailurePercentage") {
            None => None,
            Some(Value::Number(n)) => {
                if n.as_f64().is_none_or(|f| !(0.0..=100.0).contains(&f)) {
                    let at = self.at("ToleratedFailurePercentage");
                    self.p.error(&at, format!("The field 'ToleratedFailurePercentage' must be between 0 and 100; it is {n}"));
                }
                Some(NumberOrExpr::Number(n.clone()))
            }
            Some(Value::String(s)) if ql == QueryLanguage::JSONata => {
                let at = self.at("ToleratedFailurePercentage");
                self.p
                    .jsonata_string(s, "ToleratedFailurePercentage", &at)
                    .map(NumberOrExpr::Jsonata)
            }
            Some(v) => {
                let at = self.at("ToleratedFailurePercentage");
                self.p.error(
                    &at,
                    format!(
                        "The field 'ToleratedFailurePercentage' must be a number, not {}",
                        kind(v)
                    ),
                );
                None
            }
        };
        let tolerated_failure_percentage_path =
            self.reference_path("ToleratedFailurePercentagePath");
        let tolerated_failure_count =
            self.p
                .int_or_expr(&mut self.obj, "ToleratedFailureCount", ql, 0, None);
        let tolerated_failure_count_path = self.reference_path("ToleratedFailureCountPath");
        for (a, b) in [
            (
                "ToleratedFailurePercentage",
                "ToleratedFailurePercentagePath",
            ),
            ("ToleratedFailureCount", "ToleratedFailureCountPath"),
        ] {
            if self.obj.has(a) && self.obj.has(b) {
                self.p.field_error(
                    &ptr,
                    format!("A Map state may have '{a}' or '{b}', not both"),
                );
            }
        }
        let label = self.p.string(&mut self.obj, "Label");
        if let Some(l) = &label {
            let at = self.at("Label");
            if l.chars().count() > MAX_MAP_LABEL_LEN {
                self.p.error(
                    &at,
                    format!(
                        "The field 'Label' must be at most {MAX_MAP_LABEL_LEN} characters long"
                    ),
                );
            }
            if l.is_empty() {
                self.p.error(&at, "The field 'Label' must not be empty");
            }
            if let Err(names::NameError::ForbiddenCharacter(c)) = names::check_resource_name(l) {
                self.p.error(
                    &at,
                    format!("The field 'Label' contains {c:?}, which is not allowed"),
                );
            }
        }
        let result_selector = self.template("ResultSelector");
        let result_path = self.result_path();
        let assign = self.assign();
        let (retry, catch) = self.retry_catch();
        let (next, end) = self.transition();
        Some(State::Map(MapState {
            comment,
            query_language,
            item_processor,
            iterator,
            input_path,
            items_path,
            items,
            item_selector,
            parameters,
            item_reader,
            item_batcher,
            result_writer,
            max_concurrency,
            max_concurrency_path,
            tolerated_failure_percentage,
            tolerated_failure_percentage_path,
            tolerated_failure_count,
            tolerated_failure_count_path,
            label,
            result_selector,
            result_path,
            output_path,
            output,
            assign,
            retry,
            catch,
            next,
            end,
        }))
    }

    /// The object under `key`, reporting a non-object.
    fn object_field(&mut self, key: &str) -> Option<(&'a Map<String, Value>, String)> {
        let v = self.obj.get(key)?;
        let at = self.at(key);
        match v {
            Value::Object(m) => Some((m, at)),
            v => {
                self.p.error(
                    &at,
                    format!("The field '{key}' must be an object, not {}", kind(v)),
                );
                None
            }
        }
    }

    /// An `ItemReader`'s or `ResultWriter`'s `Parameters` (JSONPath) or `Arguments`
    /// (JSONata).
    fn parameters_arguments(
        &mut self,
        obj: &mut Obj<'_>,
        object: ObjectKind,
    ) -> (Option<Template>, Option<Template>) {
        let ql = self.ql;
        let parameters = if object.takes(ql, "Parameters") {
            self.p.template(obj, "Parameters", ql, true)
        } else {
            None
        };
        let arguments = if object.takes(ql, "Arguments") {
            self.p.template(obj, "Arguments", ql, false)
        } else {
            None
        };
        (parameters, arguments)
    }

    fn item_reader(&mut self) -> Option<ItemReader> {
        let (m, at) = self.object_field("ItemReader")?;
        let mut obj = Obj::new(m, &at);
        if !obj.has("Resource") {
            self.p.error(&at, "These fields are required: [Resource]");
        }
        let resource = self.p.string(&mut obj, "Resource").map(Resource::new);
        let (parameters, arguments) = self.parameters_arguments(&mut obj, ObjectKind::ItemReader);
        let reader_config = match obj.get("ReaderConfig") {
            None => None,
            Some(Value::Object(rm)) => {
                let rat = obj.at("ReaderConfig");
                let mut r = Obj::new(rm, &rat);
                let ql = self.ql;
                let input_type = self.enum_string(
                    &mut r,
                    "InputType",
                    &["CSV", "JSON", "JSONL", "MANIFEST", "PARQUET"],
                );
                let csv_header_location =
                    self.enum_string(&mut r, "CSVHeaderLocation", &["FIRST_ROW", "GIVEN"]);
                let csv_delimiter = self.enum_string(
                    &mut r,
                    "CSVDelimiter",
                    &["COMMA", "PIPE", "SEMICOLON", "SPACE", "TAB"],
                );
                let manifest_type =
                    self.enum_string(&mut r, "ManifestType", &["S3_INVENTORY", "ATHENA_DATA"]);
                let csv_headers = match r.get("CSVHeaders") {
                    None => None,
                    Some(Value::Array(hs)) if hs.iter().all(Value::is_string) => Some(
                        hs.iter()
                            .filter_map(|h| h.as_str().map(str::to_owned))
                            .collect(),
                    ),
                    Some(_) => {
                        let hat = r.at("CSVHeaders");
                        self.p
                            .error(&hat, "The field 'CSVHeaders' must be an array of strings");
                        None
                    }
                };
                let max_items = self
                    .p
                    .int_or_expr(&mut r, "MaxItems", ql, 0, Some(100_000_000));
                let max_items_path =
                    self.p
                        .path_field(&mut r, ObjectKind::ReaderConfig, ql, "MaxItemsPath");
                if r.has("MaxItems") && r.has("MaxItemsPath") {
                    self.p.field_error(
                        &rat,
                        "A ReaderConfig may have 'MaxItems' or 'MaxItemsPath', not both",
                    );
                }
                self.p.finish(r, "a ReaderConfig");
                Some(ReaderConfig {
                    input_type,
                    csv_header_location,
                    csv_headers,
                    csv_delimiter,
                    manifest_type,
                    max_items,
                    max_items_path,
                })
            }
            Some(v) => {
                let rat = obj.at("ReaderConfig");
                self.p.error(
                    &rat,
                    format!(
                        "The field 'ReaderConfig' must be an object, not {}",
                        kind(v)
                    ),
                );
                None
            }
        };
        self.p.finish(obj, "an ItemReader");
        Some(ItemReader {
            resource: resource?,
            reader_config,
            parameters,
            arguments,
        })
    }

    fn enum_string(&mut self, obj: &mut Obj<'_>, key: &str, allowed: &[&str]) -> Option<String> {
        let at = obj.at(key);
        let s = self.p.string(obj, key)?;
        if !allowed.contains(&s.as_str()) {
            self.p.not_one_of(&at, key, &s, allowed);
        }
        Some(s)
    }

    fn item_batcher(&mut self) -> Option<ItemBatcher> {
        let (m, at) = self.object_field("ItemBatcher")?;
        let mut obj = Obj::new(m, &at);
        let ql = self.ql;
        let max_items_per_batch = self
            .p
            .int_or_expr(&mut obj, "MaxItemsPerBatch", ql, 1, None);
        let max_input_bytes_per_batch =
            self.p
                .int_or_expr(&mut obj, "MaxInputBytesPerBatch", ql, 1, Some(262_144));
        let [max_items_per_batch_path, max_input_bytes_per_batch_path] =
            ["MaxItemsPerBatchPath", "MaxInputBytesPerBatchPath"].map(|key| {
                self.p
                    .path_field(&mut obj, ObjectKind::ItemBatcher, ql, key)
            });
        for (a, b) in [
            ("MaxItemsPerBatch", "MaxItemsPerBatchPath"),
            ("MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath"),
        ] {
            if obj.has(a) && obj.has(b) {
                self.p.field_error(
                    &at,
                    format!("An ItemBatcher may have '{a}' or '{b}', not both"),
                );
            }
        }
        let batch_input = self.p.template(&mut obj, "BatchInput", ql, true);
        self.p.finish(obj, "an ItemBatcher");
        Some(ItemBatcher {
            max_items_per_batch,
            max_items_per_batch_path,
            max_input_bytes_per_batch,
            max_input_bytes_per_batch_path,
            batch_input,
        })
    }

    fn result_writer(&mut self) -> Option<ResultWriter> {
        let (m, at) = self.object_field("ResultWriter")?;
        let mut obj = Obj::new(m, &at);
        let resource = self.p.string(&mut obj, "Resource").map(Resource::new);
        let (parameters, arguments) = self.parameters_arguments(&mut obj, ObjectKind::ResultWriter);
        let writer_config = match obj.get("WriterConfig") {
            None => None,
            Some(Value::Object(wm)) => {
                let wat = obj.at("WriterConfig");
                let mut w = Obj::new(wm, &wat);
                let output_type = self.enum_string(&mut w, "OutputType", &["JSON", "JSONL"]);
                let transformation =
                    self.enum_string(&mut w, "Transformation", &["NONE", "COMPACT", "FLATTEN"]);
                self.p.finish(w, "a WriterConfig");
                Some(WriterConfig {
                    output_type,
                    transformation,
                })
            }
            Some(v) => {
                let wat = obj.at("WriterConfig");
                self.p.error(
                    &wat,
                    format!(
                        "The field 'WriterConfig' must be an object, not {}",
                        kind(v)
                    ),
                );
                None
            }
        };
        let empty_config = writer_config
            .as_ref()
            .is_none_or(|w| w.output_type.is_none() && w.transformation.is_none());
        if resource.is_none() && empty_config {
            self.p.error(&at, "A ResultWriter needs a 'Resource', or a 'WriterConfig' with 'OutputType' or 'Transformation'");
        }
        self.p.finish(obj, "a ResultWriter");
        Some(ResultWriter {
            resource,
            writer_config,
            parameters,
            arguments,
        })
    }
}
