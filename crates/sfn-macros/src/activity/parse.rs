//! The options (`name = "…"`, `heartbeat = N`, `timeout = N`, `crate = path`), each value
//! kept with its span, and the model of the function's signature.

use proc_macro2::TokenStream;
use syn::{
    GenericArgument, Ident, LitInt, LitStr, PathArguments, Token, Type,
    parse::{Parse, ParseStream},
};

use crate::ctxt::Errors;

/// The largest number of seconds a heartbeat or timeout may be.
const MAX_SECONDS: u64 = 99_999_999;

/// The options.
#[derive(Default)]
pub(super) struct Options {
    pub(super) name: Option<LitStr>,
    pub(super) heartbeat: Option<LitInt>,
    pub(super) timeout: Option<LitInt>,
    pub(super) krate: Option<syn::Path>,
}

/// The options as written, before their values are read.
struct RawOptions(Vec<(Ident, TokenStream)>);

impl Parse for RawOptions {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let mut out = Vec::new();
        while !input.is_empty() {
            let key = input.call(syn::ext::IdentExt::parse_any)?;
            input.parse::<Token![=]>()?;
            let mut value = TokenStream::new();
            while !input.is_empty() && !input.peek(Token![,]) {
                let tt: proc_macro2::TokenTree = input.parse()?;
                value.extend([tt]);
            }
            out.push((key, value));
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
        }
        Ok(RawOptions(out))
    }
}

/// Reads the options, reporting each one that is unknown, repeated or of the wrong form,
/// and each value out of its range, in the order they are written.
pub(super) fn options(args: TokenStream, errors: &mut Errors) -> Options {
    let raw = match syn::parse2::<RawOptions>(args) {
        Ok(r) => r,
        Err(e) => {
            errors.push(e);
            return Options::default();
        }
    };
    let mut o = Options::default();
    for (key, value) in raw.0 {
        let name = key.to_string();
        let duplicate = match name.as_str() {
            "name" => o.name.is_some(),
            "heartbeat" => o.heartbeat.is_some(),
            "timeout" => o.timeout.is_some(),
            "crate" => o.krate.is_some(),
            _ => false,
        };
        if duplicate {
            errors.at(key.span(), format!("`{name}` is set more than once"));
            continue;
        }
        match name.as_str() {
            "name" => match syn::parse2::<LitStr>(value) {
                Ok(s) => {
                    if let Err(e) = sfn_core::names::check_resource_name(&s.value()) {
                        errors.at(s.span(), format!("invalid activity name: {e}"));
                    }
                    o.name = Some(s);
                }
                Err(e) => errors.push(syn::Error::new(e.span(), "expected a string: `name = \"add\"`")),
            },
            "heartbeat" | "timeout" => match syn::parse2::<LitInt>(value) {
                Ok(n) => match n.base10_parse::<u64>() {
                    Ok(0) => errors.at(n.span(), format!("`{name}` must be at least 1 second")),
                    Ok(v) if v > MAX_SECONDS => errors.at(n.span(), format!("`{name}` must be at most {MAX_SECONDS} seconds")),
                    Ok(_) if name == "heartbeat" => o.heartbeat = Some(n),
                    Ok(_) => o.timeout = Some(n),
                    Err(e) => errors.push(e),
                },
                Err(e) => errors.push(syn::Error::new(e.span(), format!("expected a number of seconds: `{name} = 20`"))),
            },
            "crate" => match syn::parse2::<syn::Path>(value) {
                Ok(p) => o.krate = Some(p),
                Err(e) => errors.push(syn::Error::new(e.span(), "expected a path: `crate = ::sfn_core`")),
            },
            _ => errors.at(key.span(), format!("unknown option `{name}`; expected one of `name`, `heartbeat`, `timeout`, `crate`")),
        }
    }
    o
}

/// The function's signature, once checked.
pub(super) struct Signature {
    /// The input's type: the first parameter.
    pub(super) input: Type,
    /// How the task context is taken: the second parameter, if any.
    pub(super) ctx: Ctx,
    /// What the function returns, as the output is read from it.
    pub(super) output: Output,
    /// The return type as written (`()` when there is none).
    pub(super) ret: Type,
    /// Whether the function is `async`.
    pub(super) is_async: bool,
}

/// What the function returns.
pub(super) enum Output {
    /// `-> Result<O, E>`.
    Result { ok: Type },
    /// `-> O` (or nothing: `()`).
    Plain(Type),
}

impl Output {
    /// The output of a function returning `ret` (`()` when `None`).
    pub(super) fn of(ret: Option<&Type>) -> Output {
        match ret {
            None => Output::Plain(syn::parse_quote!(())),
            Some(ty) => match result_ok_type(ty) {
                Some(ok) => Output::Result { ok },
                None => Output::Plain(ty.clone()),
            },
        }
    }

    /// The output's type: `O` of `Result<O, E>`, or the return type.
    pub(super) fn ty(&self) -> &Type {
        match self {
            Output::Result { ok } => ok,
            Output::Plain(o) => o,
        }
    }
}

/// How the function takes the task context.
pub(super) enum Ctx {
    /// Not at all.
    None,
    /// `ctx: &TaskContext`.
    Ref,
    /// `ctx: TaskContext`.
    Owned,
}

impl Ctx {
    /// `&TaskContext` or `TaskContext` (any path ending in `TaskContext`).
    pub(super) fn of(ty: &Type) -> Option<Ctx> {
        let is_ctx = |t: &Type| matches!(t, Type::Path(p) if p.qself.is_none() && p.path.segments.last().is_some_and(|s| s.ident == "TaskContext"));
        match ty {
            Type::Reference(r) if r.mutability.is_none() && is_ctx(&r.elem) => Some(Ctx::Ref),
            t if is_ctx(t) => Some(Ctx::Owned),
            _ => None,
        }
    }
}

/// The `O` of a return type written `Result<O, …>` (any path ending in `Result`).
fn result_ok_type(ty: &Type) -> Option<Type> {
    let Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != "Result" {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    args.args.iter().find_map(|a| match a {
        GenericArgument::Type(t) => Some(t.clone()),
        _ => None,
    })
}
