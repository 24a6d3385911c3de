//! `state_machine!`: parse → lower to JSON (keeping spans) → sfn-core's validator →
//! expand. Every diagnostic becomes a compile error on the token that produced it.

mod ast;
mod check;
mod dropped;
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
            // The validator always runs, so that its findings come in the same build as
            // the DSL's errors; those that only report what a DSL error left out of the
            // JSON are dropped (see `dropped`).
            let mut dsl = Errors::default();
            let lowered = lower::Lowerer::new(&mut dsl).machine(obj, &input.name, doc);
            errors.append(dsl);
            let model = check::validate(&lowered, &mut errors);
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
