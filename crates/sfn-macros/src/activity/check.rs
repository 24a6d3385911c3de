//! The checks of `#[activity]`: the options against each other, the function's signature
//! and the activity's name. Each reports every problem it sees, on the offending token.

use syn::{
    FnArg, ItemFn, Pat, ReturnType, Signature as FnSignature, Type, ext::IdentExt, spanned::Spanned,
};

use super::parse::{Ctx, Options, Output, Signature};
use crate::ctxt::Errors;

/// The heartbeat must be shorter than the timeout.
pub(super) fn options(o: &Options, errors: &mut Errors) {
    if let (Some(h), Some(t)) = (&o.heartbeat, &o.timeout)
        && let (Ok(hv), Ok(tv)) = (h.base10_parse::<u64>(), t.base10_parse::<u64>())
        && hv >= tv
    {
        errors.at(
            h.span(),
            format!("the heartbeat ({hv} s) must be shorter than the timeout ({tv} s)"),
        );
    }
}

/// The signature's model, when the signature is one an activity can have: a free,
/// non-generic function taking its input and, optionally, the task context.
pub(super) fn signature(sig: &FnSignature, errors: &mut Errors) -> Option<Signature> {
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        errors.at(sig.generics.span(), "an activity cannot be generic: its input and output types must be known to build its JSON Schemas");
    }
    if let Some(c) = &sig.constness {
        errors.at(c.span, "an activity cannot be a `const fn`");
    }
    if let Some(v) = &sig.variadic {
        errors.at(v.span(), "an activity cannot be variadic");
    }
    let mut inputs = sig.inputs.iter();
    let input: Option<Type> = match inputs.next() {
        None => {
            errors.at(
                sig.paren_token.span.join(),
                "an activity takes its input as its first parameter, e.g. `fn add(input: Numbers)`; the input type must implement `Deserialize` and `JsonSchema`",
            );
            None
        }
        Some(FnArg::Receiver(r)) => {
            errors.at(
                r.span(),
                "an activity is a free function, not a method: it cannot take `self`",
            );
            None
        }
        Some(FnArg::Typed(t)) => Some((*t.ty).clone()),
    };
    let ctx = match inputs.next() {
        None => Ctx::None,
        Some(FnArg::Typed(t)) => match Ctx::of(&t.ty) {
            Some(c) => c,
            None => {
                errors.at(
                    t.ty.span(),
                    "an activity takes one input; its second parameter, if any, is the task context: `ctx: &TaskContext`",
                );
                Ctx::None
            }
        },
        Some(FnArg::Receiver(r)) => {
            errors.at(r.span(), "an activity cannot take `self`");
            Ctx::None
        }
    };
    for extra in inputs {
        errors.at(extra.span(), "an activity takes at most two parameters: its input and the task context (`ctx: &TaskContext`)");
    }
    for arg in &sig.inputs {
        if let FnArg::Typed(t) = arg
            && !matches!(*t.pat, Pat::Ident(_) | Pat::Wild(_))
        {
            errors.at(
                t.pat.span(),
                "use a plain name for an activity's parameters; destructure in the body",
            );
        }
    }
    let ret = match &sig.output {
        ReturnType::Default => None,
        ReturnType::Type(_, ty) => Some(&**ty),
    };
    Some(Signature {
        input: input?,
        ctx,
        output: Output::of(ret),
        ret: ret.cloned().unwrap_or_else(|| syn::parse_quote!(())),
        is_async: sig.asyncness.is_some(),
    })
}

/// The activity's name: the `name` option, or else the function's name, which must then
/// be a valid activity name.
pub(super) fn activity_name(options: &Options, func: &ItemFn, errors: &mut Errors) -> String {
    if let Some(n) = &options.name {
        return n.value();
    }
    let fn_name = &func.sig.ident;
    let name = fn_name.unraw().to_string();
    if let Err(e) = sfn_core::names::check_resource_name(&name) {
        errors.at(fn_name.span(), format!("invalid activity name: {e}"));
    }
    name
}
