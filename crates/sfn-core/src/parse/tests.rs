//! The reader against the field table: every object takes exactly the fields
//! [`crate::fields`] says it takes, in each query language.

use serde_json::{Value, json};

use super::parse_value;
use crate::{
    diagnostic::Subject,
    fields::{ObjectKind, STATE_FIELDS},
    model::QueryLanguage,
};

/// A definition holding an object of kind `object` read with `ql`, and that object's
/// JSON Pointer.
fn holding(object: ObjectKind, ql: QueryLanguage) -> (Value, &'static str) {
    let ql = ql.to_string();
    let scope = || json!({"StartAt": "S", "States": {"S": {"Type": "Succeed"}}});
    // A state of type `ty` with the fields of `extra` besides those it needs.
    let state = |ty: &str, extra: Value| {
        let mut s = match ty {
            "Map" => json!({"ItemProcessor": scope(), "End": true}),
            "Task" => json!({"Resource": "arn:aws:states:::lambda:invoke", "End": true}),
            "Parallel" => json!({"Branches": [scope()], "End": true}),
            _ => json!({}),
        };
        s["Type"] = json!(ty);
        s["QueryLanguage"] = json!(ql);
        if let (Value::Object(s), Value::Object(extra)) = (&mut s, extra) {
            s.extend(extra);
        }
        s
    };
    let map = |extra: Value| state("Map", extra);
    let task = |extra: Value| state("Task", extra);
    let (a, at) = match object {
        ObjectKind::Machine => {
            let mut m = scope();
            m["QueryLanguage"] = json!(ql);
            return (m, "");
        }
        ObjectKind::State(ty) => (state(ty.as_str(), json!({})), "/States/A"),
        ObjectKind::Branch => (state("Parallel", json!({})), "/States/A/Branches/0"),
        ObjectKind::ItemProcessor => (map(json!({})), "/States/A/ItemProcessor"),
        ObjectKind::ProcessorConfig => {
            let mut processor = scope();
            processor["ProcessorConfig"] = json!({});
            (
                map(json!({"ItemProcessor": processor})),
                "/States/A/ItemProcessor/ProcessorConfig",
            )
        }
        ObjectKind::Retrier => (
            task(json!({"Retry": [{"ErrorEquals": ["States.ALL"]}]})),
            "/States/A/Retry/0",
        ),
        ObjectKind::Catcher => (
            task(json!({"Catch": [{"ErrorEquals": ["States.ALL"], "Next": "A"}]})),
            "/States/A/Catch/0",
        ),
        ObjectKind::ChoiceRule => (
            state(
                "Choice",
                json!({"Choices": [{"Next": "A"}], "Default": "A"}),
            ),
            "/States/A/Choices/0",
        ),
        ObjectKind::ItemReader => (
            map(json!({"ItemReader": {"Resource": "arn:aws:states:::s3:getObject"}})),
            "/States/A/ItemReader",
        ),
        ObjectKind::ReaderConfig => (
            map(
                json!({"ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {}}}),
            ),
            "/States/A/ItemReader/ReaderConfig",
        ),
        ObjectKind::ItemBatcher => (map(json!({"ItemBatcher": {}})), "/States/A/ItemBatcher"),
        ObjectKind::ResultWriter => (
            map(json!({"ResultWriter": {"Resource": "arn:aws:states:::s3:putObject"}})),
            "/States/A/ResultWriter",
        ),
        ObjectKind::WriterConfig => (
            map(json!({"ResultWriter": {"WriterConfig": {}}})),
            "/States/A/ResultWriter/WriterConfig",
        ),
    };
    (json!({"StartAt": "A", "States": {"A": a}}), at)
}

/// Every field name the table knows, and one it does not.
fn every_name() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = STATE_FIELDS.iter().map(|f| f.field.name).collect();
    for object in ObjectKind::ALL {
        names.extend(object.fields().map(|f| f.name));
    }
    names.push("Bogus");
    names.sort_unstable();
    names.dedup();
    names
}

#[test]
fn the_reader_takes_exactly_the_fields_of_the_table() {
    let names = every_name();
    for object in ObjectKind::ALL {
        for ql in [QueryLanguage::JSONPath, QueryLanguage::JSONata] {
            let (definition, at) = holding(object, ql);
            let base = definition.pointer(at).and_then(Value::as_object).cloned();
            let base = base.unwrap_or_default();
            for name in names.iter().filter(|n| !base.contains_key(**n)) {
                let mut d = definition.clone();
                if let Some(Value::Object(o)) = d.pointer_mut(at) {
                    o.insert((*name).to_owned(), Value::Null);
                }
                let field_at = format!("{at}/{name}");
                let refused = parse_value(&d)
                    .diagnostics
                    .0
                    .iter()
                    .any(|x| x.pointer == field_at && x.subject == Subject::Field);
                assert_eq!(
                    refused,
                    !object.takes(ql, name),
                    "{object:?} in {ql}: '{name}'"
                );
            }
        }
    }
}
