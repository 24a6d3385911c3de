//! `state_machine!(Name = "path.asl.json", activities { "<resource>" => activity })`: a
//! definition read from a file relative to the crate's manifest, validated like the DSL.

use std::path::{Path, PathBuf};

use proc_macro2::Span;
use serde_json::Value as Json;
use sfn_core::validate::{ValidateOptions, validate_value_with};
use syn::LitStr;

use super::emit::Emitted;
use crate::ctxt::Errors;

pub(crate) fn load(
    path: &LitStr,
    activities: &[(LitStr, syn::Path)],
    errors: &mut Errors,
) -> Emitted {
    let rel = path.value();
    let bindings = || {
        activities
            .iter()
            .map(|(r, p)| (p.clone(), name_in(&r.value()), r.span()))
            .collect::<Vec<_>>()
    };
    let Some(abs) = resolve(&rel, path.span(), errors) else {
        return Emitted::file(String::new(), path.span(), bindings(), false, None);
    };
    let text = match std::fs::read_to_string(&abs) {
        Ok(t) => t,
        Err(e) => {
            errors.at(path.span(), format!("cannot read {}: {e}", abs.display()));
            return Emitted::file(String::new(), path.span(), bindings(), false, None);
        }
    };
    let json: Json = match serde_json::from_str(&text) {
        Ok(j) => j,
        Err(e) => {
            errors.at(path.span(), format!("{rel} is not valid JSON: {e}"));
            return Emitted::file(String::new(), path.span(), bindings(), false, None);
        }
    };
    let (_, diagnostics) = validate_value_with(
        &json,
        ValidateOptions {
            warnings: false,
            ..ValidateOptions::default()
        },
    );
    let mut valid = true;
    let mermaid = sfn_core::StateMachine::from_value(&json)
        .ok()
        .map(|m| sfn_graph::Graph::from_machine(&m).to_mermaid());
    for d in diagnostics.errors() {
        valid = false;
        errors.at(
            path.span(),
            format!("{rel} at {}: {} [{}]", d.location(), d.message, d.code),
        );
    }
    let mut resources = Vec::new();
    collect_resources(&json, &mut resources);
    for (r, _) in activities {
        if !resources.contains(&r.value()) {
            valid = false;
            let listed = if resources.is_empty() {
                "none".to_owned()
            } else {
                resources.join(", ")
            };
            errors.at(
                r.span(),
                format!("no Task state in {rel} has this resource; its resources are: {listed}"),
            );
        }
    }
    Emitted::file(
        abs.to_string_lossy().into_owned(),
        path.span(),
        bindings(),
        valid,
        mermaid,
    )
}

/// The activity name at the end of a resource (`…:activity:NAME`), or the whole string.
fn name_in(resource: &str) -> String {
    match resource.rsplit_once(":activity:") {
        Some((_, name)) => name.to_owned(),
        None => resource.rsplit(':').next().unwrap_or(resource).to_owned(),
    }
}

fn resolve(rel: &str, span: Span, errors: &mut Errors) -> Option<PathBuf> {
    if Path::new(rel).is_absolute() || rel.starts_with('/') || rel.starts_with('\\') {
        errors.at(
            span,
            "use a path relative to the crate's Cargo.toml, not an absolute path",
        );
        return None;
    }
    match std::env::var_os("CARGO_MANIFEST_DIR") {
        Some(dir) => Some(PathBuf::from(dir).join(rel)),
        None => {
            errors.at(span, "CARGO_MANIFEST_DIR is not set: build with cargo");
            None
        }
    }
}

/// Every Task `Resource` in the definition, nested scopes included.
fn collect_resources(v: &Json, out: &mut Vec<String>) {
    match v {
        Json::Object(m) => {
            if m.get("Type").and_then(Json::as_str) == Some("Task")
                && let Some(Json::String(r)) = m.get("Resource")
            {
                out.push(r.clone());
            }
            m.values().for_each(|v| collect_resources(v, out));
        }
        Json::Array(a) => a.iter().for_each(|v| collect_resources(v, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The file form refuses what the validator refuses: here, resources AWS does not
    /// recognize (trybuild cannot hold this case: it builds elsewhere than the manifest).
    #[test]
    fn a_file_with_unrecognized_resources_is_refused() {
        let mut errors = Errors::default();
        let path = LitStr::new(
            "tests/fixtures/unrecognized_resource.asl.json",
            Span::call_site(),
        );
        let _ = load(&path, &[], &mut errors);
        let messages: Vec<String> = errors
            .into_error()
            .map(|e| e.into_iter().map(|e| e.to_string()).collect())
            .unwrap_or_default();
        assert_eq!(
            messages,
            [
                "tests/fixtures/unrecognized_resource.asl.json at /States/A/Resource: The resource provided arn:aws:states:::sqs:receiveMessage is not recognized. The value is not a valid resource ARN, or the resource is not available in this region. [SCHEMA_VALIDATION_FAILED]",
                "tests/fixtures/unrecognized_resource.asl.json at /States/B/Resource: The resource provided arn:aws:states:::lambda:invoke.sync is not recognized. The value is not a valid resource ARN, or the resource is not available in this region. [SCHEMA_VALIDATION_FAILED]",
            ]
        );
    }
}
