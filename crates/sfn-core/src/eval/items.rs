//! A distributed Map's items and results as data: what an `ItemReader` makes of the
//! objects it reads (JSON, JSON Lines, CSV, an S3 listing) and how a `ResultWriter`
//! writes the results (`WriterConfig`'s `Transformation` and `OutputType`). Pure: the
//! engine reads and writes the objects.
//!
//! Source: the AWS Step Functions Developer Guide, "ItemReader (Map)" (the input types,
//! `CSVHeaderLocation`, `CSVHeaders`, `CSVDelimiter`, `MaxItems`, the shape of a
//! `listObjectsV2` item) and "ResultWriter (Map)" (the transformations and output types).
//!
//! ```
//! use serde_json::json;
//! use sfn_core::eval::items::{CsvOptions, parse_csv};
//!
//! let rows = parse_csv("a,b\n1,\"x,y\"\n", &CsvOptions::default())?;
//! assert_eq!(rows, vec![json!({"a": "1", "b": "x,y"})]);
//! # Ok::<(), sfn_core::eval::items::ItemsError>(())
//! ```

use serde_json::{Map, Value, json};

use crate::model::ReaderConfig;

/// Why the items could not be read, or the results not written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ItemsError {
    /// A `JSON` object holds JSON that is not an array, in AWS's words.
    #[error("Attempting to map over non-iterable node.")]
    NotAnArray,
    /// A `JSON` object is not JSON.
    #[error("The JSON object read is not JSON: {0}")]
    BadJson(String),
    /// A line of a `JSONL` object is not JSON.
    #[error("Line {line} of the JSONL object is not JSON: {message}")]
    BadJsonLine {
        /// The line, from 1.
        line: usize,
        /// The parser's message.
        message: String,
    },
    /// A quoted CSV field is not closed.
    #[error("The CSV object ends inside a quoted field")]
    CsvQuote,
    /// The headers are missing, or given where they must not be.
    #[error("{0}")]
    CsvHeaders(String),
    /// An S3 inventory manifest that cannot be read.
    #[error("The S3 inventory manifest cannot be read: {0}")]
    Manifest(String),
    /// A `ReaderConfig` or `WriterConfig` value the engine does not know.
    #[error("{field} '{value}' is not supported; expected one of: {expected}")]
    Unsupported {
        /// The field.
        field: &'static str,
        /// Its value.
        value: String,
        /// The values AWS takes.
        expected: &'static str,
    },
}

/// Where a CSV object's column names come from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum CsvHeader {
    /// `FIRST_ROW` (the default): the object's first row.
    #[default]
    FirstRow,
    /// `GIVEN`: `CSVHeaders`; every row is data.
    Given(Vec<String>),
}

/// How to read a CSV object.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CsvOptions {
    /// The column names.
    pub header: CsvHeader,
    /// The field separator (`CSVDelimiter`: `COMMA`, `PIPE`, `SEMICOLON`, `SPACE`, `TAB`).
    pub delimiter: char,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            header: CsvHeader::FirstRow,
            delimiter: ',',
        }
    }
}

impl CsvOptions {
    /// The options a `ReaderConfig` gives.
    pub fn from_config(config: &ReaderConfig) -> Result<Self, ItemsError> {
        let delimiter = match config.csv_delimiter.as_deref() {
            None | Some("COMMA") => ',',
            Some("PIPE") => '|',
            Some("SEMICOLON") => ';',
            Some("SPACE") => ' ',
            Some("TAB") => '\t',
            Some(other) => {
                return Err(ItemsError::Unsupported {
                    field: "CSVDelimiter",
                    value: other.to_owned(),
                    expected: "COMMA, PIPE, SEMICOLON, SPACE, TAB",
                });
            }
        };
        let header = match (config.csv_header_location.as_deref(), &config.csv_headers) {
            (None | Some("FIRST_ROW"), None) => CsvHeader::FirstRow,
            (Some("GIVEN"), Some(h)) => CsvHeader::Given(h.clone()),
            (Some("GIVEN"), None) => {
                return Err(ItemsError::CsvHeaders(
                    "CSVHeaderLocation GIVEN needs CSVHeaders".into(),
                ));
            }
            (None | Some("FIRST_ROW"), Some(_)) => {
                return Err(ItemsError::CsvHeaders(
                    "CSVHeaders are given only with CSVHeaderLocation GIVEN".into(),
                ));
            }
            (Some(other), _) => {
                return Err(ItemsError::Unsupported {
                    field: "CSVHeaderLocation",
                    value: other.to_owned(),
                    expected: "FIRST_ROW, GIVEN",
                });
            }
        };
        Ok(CsvOptions { header, delimiter })
    }
}

/// What an object holds, by `ReaderConfig.InputType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum InputType {
    /// `JSON`: an array of items.
    Json,
    /// `JSONL`: one item per line.
    Jsonl,
    /// `CSV`: one item per row, an object of strings by column name.
    Csv,
    /// `MANIFEST`: an S3 inventory manifest.
    Manifest,
}

impl InputType {
    /// The type a `ReaderConfig` names (`JSON` when none is named).
    pub fn from_config(config: Option<&ReaderConfig>) -> Result<Self, ItemsError> {
        match config.and_then(|c| c.input_type.as_deref()) {
            None | Some("JSON") => Ok(InputType::Json),
            Some("JSONL") => Ok(InputType::Jsonl),
            Some("CSV") => Ok(InputType::Csv),
            Some("MANIFEST") => Ok(InputType::Manifest),
            Some(other) => Err(ItemsError::Unsupported {
                field: "InputType",
                value: other.to_owned(),
                expected: "CSV, JSON, JSONL, MANIFEST",
            }),
        }
    }
}

/// The items of an object read with `getObject` (`JSON`, `JSONL` or `CSV`), at most
/// `max_items` of them (`MaxItems`; 0 or none: all).
pub fn parse_object(
    text: &str,
    input_type: InputType,
    config: Option<&ReaderConfig>,
    max_items: Option<u64>,
) -> Result<Vec<Value>, ItemsError> {
    let mut items = match input_type {
        InputType::Json => match serde_json::from_str::<Value>(text) {
            Ok(Value::Array(a)) => a,
            Ok(_) => return Err(ItemsError::NotAnArray),
            Err(e) => return Err(ItemsError::BadJson(e.to_string())),
        },
        InputType::Jsonl => parse_jsonl(text)?,
        InputType::Csv => {
            let options = match config {
                Some(c) => CsvOptions::from_config(c)?,
                None => CsvOptions::default(),
            };
            parse_csv(text, &options)?
        }
        InputType::Manifest => {
            return Err(ItemsError::Manifest(
                "a manifest lists inventory files: read it with parse_manifest".into(),
            ));
        }
    };
    truncate(&mut items, max_items);
    Ok(items)
}

/// What an S3 inventory's `manifest.json` says: where its files are, and their columns.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct InventoryManifest {
    /// The bucket the inventory files are in (the manifest's `destinationBucket`, an ARN
    /// `arn:aws:s3:::NAME` or a name).
    pub bucket: String,
    /// The inventory files' keys, in the manifest's order.
    pub files: Vec<String>,
    /// The columns of every file (`fileSchema`: `Bucket, Key, Size, …`).
    pub schema: Vec<String>,
}

/// Reads an S3 inventory's `manifest.json` (`ReaderConfig.InputType` `MANIFEST`). Only
/// CSV inventories are read, as on AWS.
pub fn parse_manifest(text: &str) -> Result<InventoryManifest, ItemsError> {
    let bad = |m: &str| ItemsError::Manifest(m.to_owned());
    let v: Value = serde_json::from_str(text).map_err(|e| ItemsError::Manifest(e.to_string()))?;
    match v.get("fileFormat").and_then(Value::as_str) {
        None | Some("CSV") => {}
        Some(other) => {
            return Err(ItemsError::Unsupported {
                field: "fileFormat",
                value: other.to_owned(),
                expected: "CSV",
            });
        }
    }
    let bucket = v
        .get("destinationBucket")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("it has no destinationBucket"))?;
    let bucket = bucket
        .strip_prefix("arn:aws:s3:::")
        .unwrap_or(bucket)
        .to_owned();
    let schema: Vec<String> = v
        .get("fileSchema")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("it has no fileSchema"))?
        .split(',')
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty())
        .collect();
    let files = v
        .get("files")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("it has no files"))?
        .iter()
        .map(|f| {
            f.get("key")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| bad("a file has no key"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(InventoryManifest {
        bucket,
        files,
        schema,
    })
}

/// The rows of one inventory file (CSV without a header row, its text already
/// decompressed), each an object of strings by the manifest's column names.
pub fn parse_inventory(text: &str, manifest: &InventoryManifest) -> Result<Vec<Value>, ItemsError> {
    parse_csv(
        text,
        &CsvOptions {
            header: CsvHeader::Given(manifest.schema.clone()),
            delimiter: ',',
        },
    )
}

/// Keeps the first `max_items` (0 or none: all).
pub fn truncate(items: &mut Vec<Value>, max_items: Option<u64>) {
    if let Some(n) = max_items.filter(|n| *n > 0) {
        items.truncate(usize::try_from(n).unwrap_or(usize::MAX));
    }
}

/// One JSON value per non-blank line.
pub fn parse_jsonl(text: &str) -> Result<Vec<Value>, ItemsError> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|e| ItemsError::BadJsonLine {
                line: i + 1,
                message: e.to_string(),
            })
        })
        .collect()
}

/// The rows of a CSV object (RFC 4180: quoted fields, `""` inside them, CRLF or LF), each
/// an object of strings by column name, as AWS reads them: a row shorter than the headers
/// leaves the missing columns empty, the fields of a longer one past the last header are
/// dropped, and headers that repeat a name fail the reader.
pub fn parse_csv(text: &str, options: &CsvOptions) -> Result<Vec<Value>, ItemsError> {
    let mut rows = csv_rows(text, options.delimiter)?.into_iter();
    let headers = match &options.header {
        CsvHeader::Given(h) => h.clone(),
        CsvHeader::FirstRow => rows
            .next()
            .ok_or_else(|| ItemsError::CsvHeaders("The CSV object has no header row".into()))?,
    };
    let mut seen = std::collections::BTreeSet::new();
    if !headers.iter().all(|h| seen.insert(h.as_str())) {
        return Err(ItemsError::CsvHeaders(
            "CSV headers cannot contain duplicates.".into(),
        ));
    }
    Ok(rows
        .map(|fields| {
            let mut item = Map::new();
            let mut values = fields.into_iter();
            for h in &headers {
                item.insert(h.clone(), Value::String(values.next().unwrap_or_default()));
            }
            Value::Object(item)
        })
        .collect())
}

/// The records of a CSV text, blank lines skipped.
fn csv_rows(text: &str, delimiter: char) -> Result<Vec<Vec<String>>, ItemsError> {
    let mut rows = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut any = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' => {
                quoted = true;
                any = true;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                if any || !field.is_empty() || !row.is_empty() {
                    row.push(std::mem::take(&mut field));
                    rows.push(std::mem::take(&mut row));
                }
                any = false;
            }
            c if c == delimiter => {
                row.push(std::mem::take(&mut field));
                any = true;
            }
            _ => {
                field.push(c);
                any = true;
            }
        }
    }
    if quoted {
        return Err(ItemsError::CsvQuote);
    }
    if any || !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    Ok(rows)
}

/// One object of a `listObjectsV2` listing, as the item AWS gives the Map:
/// `{Etag, Key, LastModified (epoch seconds), Size, StorageClass}`.
pub fn listing_item(key: &str, size: u64, etag: &str, last_modified_epoch_seconds: i64) -> Value {
    json!({
        "Etag": format!("\"{etag}\""),
        "Key": key,
        "LastModified": last_modified_epoch_seconds,
        "Size": size,
        "StorageClass": "STANDARD",
    })
}

/// How a `ResultWriter` writes, from its `WriterConfig`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct WriterOptions {
    /// `Transformation`.
    pub transformation: Transformation,
    /// `OutputType`: JSON Lines instead of a JSON array.
    pub jsonl: bool,
}

/// `WriterConfig.Transformation`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Transformation {
    /// `NONE` (the default): each child execution's details, as `DescribeExecution`
    /// gives them.
    #[default]
    None,
    /// `COMPACT`: each child execution's output alone.
    Compact,
    /// `FLATTEN`: the outputs, the arrays among them flattened into one array.
    Flatten,
}

impl WriterOptions {
    /// The options of a `WriterConfig`'s `OutputType` and `Transformation`.
    pub fn new(
        output_type: Option<&str>,
        transformation: Option<&str>,
    ) -> Result<Self, ItemsError> {
        let jsonl = match output_type {
            None | Some("JSON") => false,
            Some("JSONL") => true,
            Some(other) => {
                return Err(ItemsError::Unsupported {
                    field: "OutputType",
                    value: other.to_owned(),
                    expected: "JSON, JSONL",
                });
            }
        };
        let transformation = match transformation {
            None | Some("NONE") => Transformation::None,
            Some("COMPACT") => Transformation::Compact,
            Some("FLATTEN") => Transformation::Flatten,
            Some(other) => {
                return Err(ItemsError::Unsupported {
                    field: "Transformation",
                    value: other.to_owned(),
                    expected: "NONE, COMPACT, FLATTEN",
                });
            }
        };
        Ok(WriterOptions {
            transformation,
            jsonl,
        })
    }

    /// The results to write, from each child's details (`details`) and output (`None`
    /// for a child that did not succeed).
    pub fn transform(&self, children: Vec<(Value, Option<Value>)>) -> Vec<Value> {
        match self.transformation {
            Transformation::None => children.into_iter().map(|(d, _)| d).collect(),
            Transformation::Compact => children.into_iter().filter_map(|(_, o)| o).collect(),
            Transformation::Flatten => children
                .into_iter()
                .filter_map(|(_, o)| o)
                .flat_map(|o| match o {
                    Value::Array(a) => a,
                    other => vec![other],
                })
                .collect(),
        }
    }

    /// A results file's text: a JSON array, or one JSON value per line.
    pub fn encode(&self, results: &[Value]) -> String {
        if self.jsonl {
            let mut out = String::new();
            for r in results {
                out.push_str(&r.to_string());
                out.push('\n');
            }
            out
        } else {
            Value::Array(results.to_vec()).to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inventory_manifests_name_their_files_and_columns() {
        let m = parse_manifest(
            r#"{"destinationBucket": "arn:aws:s3:::inv", "fileFormat": "CSV",
                "fileSchema": "Bucket, Key, Size", "files": [{"key": "f/1.csv.gz"}]}"#,
        )
        .expect("a manifest");
        assert_eq!(m.bucket, "inv");
        assert_eq!(m.files, ["f/1.csv.gz"]);
        assert_eq!(m.schema, ["Bucket", "Key", "Size"]);
        let rows = parse_inventory("\"b\",\"k,1\",\"3\"\n", &m).expect("rows");
        assert_eq!(
            rows,
            [serde_json::json!({"Bucket": "b", "Key": "k,1", "Size": "3"})]
        );
        assert!(matches!(
            parse_manifest(
                r#"{"destinationBucket": "x", "fileFormat": "ORC", "fileSchema": "a", "files": []}"#
            ),
            Err(ItemsError::Unsupported { .. })
        ));
        assert!(matches!(parse_manifest("{}"), Err(ItemsError::Manifest(_))));
    }

    fn config(v: Value) -> ReaderConfig {
        let def = json!({"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
            "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": v,
                "Parameters": {"Bucket": "b", "Key": "k"}}}}});
        let machine: crate::StateMachine = def.to_string().parse().expect("a valid definition");
        match machine.states.get("M") {
            Some(crate::model::State::Map(m)) => m
                .item_reader
                .as_ref()
                .and_then(|r| r.reader_config.clone())
                .expect("a ReaderConfig"),
            _ => panic!("not a Map"),
        }
    }

    #[test]
    fn csv_first_row_and_quotes() {
        let rows = parse_csv(
            "name,note\r\nann,\"says \"\"hi\"\"\"\nbob,\"two\nlines\"\n\n",
            &CsvOptions::default(),
        )
        .expect("csv");
        assert_eq!(
            rows,
            vec![
                json!({"name": "ann", "note": "says \"hi\""}),
                json!({"name": "bob", "note": "two\nlines"}),
            ]
        );
    }

    #[test]
    fn csv_given_headers_and_delimiters() {
        let c = config(json!({"InputType": "CSV", "CSVHeaderLocation": "GIVEN",
            "CSVHeaders": ["a", "b"], "CSVDelimiter": "PIPE"}));
        let items = parse_object("1|2\n3\n", InputType::Csv, Some(&c), None).expect("items");
        assert_eq!(
            items,
            vec![json!({"a": "1", "b": "2"}), json!({"a": "3", "b": ""})]
        );
        assert_eq!(
            parse_object("1|2|3\n", InputType::Csv, Some(&c), None).expect("extra fields"),
            vec![json!({"a": "1", "b": "2"})]
        );
        let tab = CsvOptions {
            delimiter: '\t',
            ..CsvOptions::default()
        };
        assert_eq!(
            parse_csv("x\ty\n1\t2", &tab).expect("tsv"),
            vec![json!({"x": "1", "y": "2"})]
        );
        assert_eq!(
            parse_csv("a\n\"open", &CsvOptions::default()),
            Err(ItemsError::CsvQuote)
        );
    }

    #[test]
    fn json_jsonl_and_max_items() {
        assert_eq!(
            parse_object("[1,2,3]", InputType::Json, None, Some(2)).expect("json"),
            vec![json!(1), json!(2)]
        );
        assert!(parse_object("{}", InputType::Json, None, None).is_err());
        assert_eq!(
            parse_object("{\"a\":1}\n\n{\"a\":2}\n", InputType::Jsonl, None, Some(0))
                .expect("jsonl"),
            vec![json!({"a": 1}), json!({"a": 2})]
        );
        assert!(matches!(
            parse_jsonl("1\nnope"),
            Err(ItemsError::BadJsonLine { line: 2, .. })
        ));
    }

    #[test]
    fn writer_transformations_and_output_types() {
        let children = vec![
            (json!({"Status": "SUCCEEDED"}), Some(json!([1, 2]))),
            (json!({"Status": "FAILED"}), None),
            (json!({"Status": "SUCCEEDED"}), Some(json!(3))),
        ];
        let none = WriterOptions::new(None, None).expect("options");
        assert_eq!(none.transform(children.clone()).len(), 3);
        let compact = WriterOptions::new(Some("JSON"), Some("COMPACT")).expect("options");
        assert_eq!(
            compact.transform(children.clone()),
            vec![json!([1, 2]), json!(3)]
        );
        let flatten = WriterOptions::new(Some("JSONL"), Some("FLATTEN")).expect("options");
        let flat = flatten.transform(children);
        assert_eq!(flat, vec![json!(1), json!(2), json!(3)]);
        assert_eq!(flatten.encode(&flat), "1\n2\n3\n");
        assert_eq!(compact.encode(&flat), "[1,2,3]");
        assert!(WriterOptions::new(Some("CSV"), None).is_err());
    }
}
