//! `state_machine!`: parse → lower to JSON (keeping spans) → sfn-core's validator →
//! expand. Every diagnostic becomes a compile error on the token that produced it.

mod ast;
mod check;
mod emit;
mod fields;
mod file;
mod lower;
mod names;

use proc_macro2::TokenStream;
use syn::Attribute;

use crate::{ctxt::Errors, docs};
use ast::{Body, Input};

pub(crate) fn expand(tokens: TokenStream) -> TokenStream {
    let input = match syn::parse2::<Input>(tokens) {
        Ok(i) => i,
        Err(e) => return e.to_compile_error(),
    };
    let mut errors = Errors::default();
    let (krate, kept_attrs) = attrs(&input.attrs, &mut errors);
    let name = input.name.to_string();
    if let Err(e) = sfn_core::names::check_resource_name(&name) {
        errors.at(
            input.name.span(),
            format!("invalid state machine name: {e}"),
        );
    }
    let doc = docs::text(&input.attrs);
    let out = match &input.body {
        Body::Dsl(obj) => {
            // The validator runs once the DSL is well-formed: a mistake in the DSL leaves
            // a field or a state out of the JSON, and the validator would report that
            // absence again, as a second error for one mistake.
            let mut dsl = Errors::default();
            let lowered = lower::Lowerer::new(&mut dsl).machine(obj, &input.name, doc);
            let model = if dsl.is_empty() {
                check::validate(
                    &lowered.json,
                    lowered.machine_type,
                    &lowered.spans,
                    &lowered.misspelled,
                    &mut errors,
                )
            } else {
                check::misspelled_fields(&lowered.spans, &lowered.misspelled, &[], &mut dsl);
                None
            };
            errors.append(dsl);
            emit::Emitted::dsl(model, &lowered, &errors)
        }
        Body::File { path, activities } => file::load(path, activities, &mut errors),
    };
    emit::expand(&input, krate.as_ref(), &kept_attrs, out, errors)
}

/// Splits `#[sfn(crate = path)]` from the attributes kept on the generated struct.
fn attrs(list: &[Attribute], errors: &mut Errors) -> (Option<syn::Path>, Vec<Attribute>) {
    let mut krate = None;
    let mut kept = Vec::new();
    for a in list {
        if a.path().is_ident("sfn") {
            let r = a.parse_nested_meta(|meta| {
                if meta.path.is_ident("crate") {
                    krate = Some(meta.value()?.parse()?);
                    Ok(())
                } else {
                    Err(meta.error("unknown `sfn` option; expected `crate = path`"))
                }
            });
            if let Err(e) = r {
                errors.push(e);
            }
        } else {
            kept.push(a.clone());
        }
    }
    (krate, kept)
}
