//! Runs sfn-core's validator on the lowered JSON and turns each diagnostic into a compile
//! error on the token behind its JSON Pointer.

use std::collections::BTreeMap;

use sfn_core::{
    Diagnostic, StateMachine, Subject,
    validate::{ValidateOptions, validate_value_with},
};

use super::{
    fields,
    lower::{Lowered, Spans},
};
use crate::ctxt::Errors;

/// Validates; returns the model when the definition is valid.
///
/// Warnings are not reported: a procedural macro cannot emit warnings on stable Rust,
/// and reporting them as errors would refuse machines AWS accepts. Run
/// `sfn_core::validate(&T::definition())` to see them.
///
/// The diagnostics that only report what a DSL error left out of the JSON are not
/// reported: that error already says it.
pub(crate) fn validate(lowered: &Lowered, errors: &mut Errors) -> Option<StateMachine> {
    let Lowered {
        json,
        spans,
        misspelled,
        dropped,
        machine_type,
        ..
    } = lowered;
    let (model, diagnostics) = validate_value_with(
        json,
        ValidateOptions {
            machine_type: *machine_type,
            warnings: false,
        },
    );
    let names = fields::field_names();
    let mut any = false;
    let mut reported = Vec::new();
    for d in diagnostics.errors() {
        any = true;
        if dropped.explains(d, json) {
            continue;
        }
        // The notes name the states a broken transition cuts off, which may be cut off by
        // a state or transition the DSL's errors left out instead.
        let notes: &[String] = if dropped.changed_graph_at(&d.pointer) {
            &[]
        } else {
            &d.notes
        };
        let (key, value, exact) = spans.find(&d.pointer).unwrap_or_else(|| {
            let s = proc_macro2::Span::call_site();
            (s, s, false)
        });
        let span = if exact && d.subject == Subject::Field {
            key
        } else {
            value
        };
        let text = match misspelled.get(&d.pointer) {
            Some(own) if exact => {
                reported.push(d.pointer.as_str());
                with_notes(own.clone(), notes)
            }
            _ => with_notes(message(d, &names), notes),
        };
        errors.at(span, text);
    }
    misspelled_fields(spans, misspelled, &reported, errors);
    if any || !errors.is_empty() {
        None
    } else {
        model
    }
}

/// Reports the errors of the misspelled fields the lowering passed on, but for those at
/// the pointers in `reported`, on their keys.
fn misspelled_fields(
    spans: &Spans,
    misspelled: &BTreeMap<String, String>,
    reported: &[&str],
    errors: &mut Errors,
) {
    for (ptr, own) in misspelled {
        if !reported.contains(&ptr.as_str())
            && let Some((key, _, _)) = spans.find(ptr)
        {
            errors.at(key, own);
        }
    }
}

/// The validator's message, with ASL field names written as in the DSL, and its code.
pub(crate) fn message(d: &Diagnostic, names: &[(String, String)]) -> String {
    let mut m = d.message.clone();
    for (pascal, snake) in names {
        m = m.replace(&format!("'{pascal}'"), &format!("`{snake}`"));
    }
    if let Some(start) = m.find("required: [") {
        let open = start + "required: [".len();
        if let Some(len) = m[open..].find(']') {
            let list: Vec<String> = m[open..open + len]
                .split(", ")
                .map(|f| {
                    names
                        .iter()
                        .find(|(p, _)| p == f)
                        .map(|(_, s)| s.clone())
                        .unwrap_or_else(|| f.to_owned())
                })
                .collect();
            m = format!("{}{}{}", &m[..open], list.join(", "), &m[open + len..]);
        }
    }
    format!("{m} [{}]", d.code)
}

/// `message` followed by a diagnostic's notes (which name states, kept as written), one a
/// line.
fn with_notes(mut message: String, notes: &[String]) -> String {
    for note in notes {
        message.push_str("\nnote: ");
        message.push_str(note);
    }
    message
}
