//! `#[activity]`: parse the options and the function, check the signature, expand.
//!
//! The function `add` becomes a unit struct `add` (so that `Task(add)` and
//! `worker.activity(add)` name it) that implements `Activity` and `ActivityDefinition`,
//! and derefs to a function pointer so that `add(input, &ctx)` still calls the body. The
//! body moves to a hidden function `__sfn_activity_add`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::{
    FnArg, GenericArgument, Ident, ItemFn, LitInt, LitStr, Pat, PathArguments, ReturnType, Token,
    Type,
    parse::{Parse, ParseStream},
    spanned::Spanned,
};

use crate::{ctxt::Errors, docs, krate};

/// The options: `name = "…"`, `heartbeat = N`, `timeout = N`, `crate = path`.
#[derive(Default)]
struct Options {
    name: Option<LitStr>,
    heartbeat: Option<LitInt>,
    timeout: Option<LitInt>,
    krate: Option<syn::Path>,
}

/// The options as parsed, before they are checked.
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

fn options(args: TokenStream, errors: &mut Errors) -> Options {
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
                    Ok(v) if v > 99_999_999 => errors.at(n.span(), format!("`{name}` must be at most 99999999 seconds")),
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
    if let (Some(h), Some(t)) = (&o.heartbeat, &o.timeout) {
        if let (Ok(hv), Ok(tv)) = (h.base10_parse::<u64>(), t.base10_parse::<u64>()) {
            if hv >= tv {
                errors.at(
                    h.span(),
                    format!("the heartbeat ({hv} s) must be shorter than the timeout ({tv} s)"),
                );
            }
        }
    }
    o
}

/// What the function returns.
enum Output {
    /// `-> Result<O, E>`.
    Result { ok: Type },
    /// `-> O` (or nothing: `()`).
    Plain(Type),
}

/// How the function takes the task context.
enum Ctx {
    None,
    Ref,
    Owned,
}

pub(crate) fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let options = options(args, &mut errors);
    let func = match syn::parse2::<ItemFn>(item.clone()) {
        Ok(f) => f,
        Err(e) => {
            let e = syn::Error::new(
                e.span(),
                "`#[activity]` goes on a function: `async fn add(input: Numbers) -> Result<i64, TaskError>`",
            );
            let mut out = e.to_compile_error();
            out.extend(item);
            return out;
        }
    };
    match expand_fn(&options, &func, &mut errors) {
        Some(out) if errors.is_empty() => out,
        _ => {
            // The function as written, plus the errors: uses of it keep type-checking.
            let mut out = errors
                .into_error()
                .map(|e| e.to_compile_error())
                .unwrap_or_default();
            out.extend(quote!(#func));
            out
        }
    }
}

fn expand_fn(options: &Options, func: &ItemFn, errors: &mut Errors) -> Option<TokenStream> {
    let sig = &func.sig;
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
    let input_ty: Option<Type> = match inputs.next() {
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
        Some(FnArg::Typed(t)) => match context_kind(&t.ty) {
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
        if let FnArg::Typed(t) = arg {
            if !matches!(*t.pat, Pat::Ident(_) | Pat::Wild(_)) {
                errors.at(
                    t.pat.span(),
                    "use a plain name for an activity's parameters; destructure in the body",
                );
            }
        }
    }
    let output = match &sig.output {
        ReturnType::Default => Output::Plain(syn::parse_quote!(())),
        ReturnType::Type(_, ty) => match result_ok_type(ty) {
            Some(ok) => Output::Result { ok },
            None => Output::Plain((**ty).clone()),
        },
    };
    let input_ty = input_ty?;
    if !errors.is_empty() {
        return None;
    }

    let p = krate::private(options.krate.as_ref());
    let fn_name = &sig.ident;
    let vis = &func.vis;
    let fn_name_str = fn_name.to_string().trim_start_matches("r#").to_owned();
    let activity_name = match &options.name {
        Some(n) => n.value(),
        None => {
            if let Err(e) = sfn_core::names::check_resource_name(&fn_name_str) {
                errors.at(fn_name.span(), format!("invalid activity name: {e}"));
            }
            fn_name_str.clone()
        }
    };
    let inner = format_ident!("__sfn_activity_{}", fn_name_str);
    let description = match docs::text(&func.attrs) {
        Some(d) => quote!(#p::Some(#d)),
        None => quote!(#p::None),
    };
    let heartbeat = seconds(&p, options.heartbeat.as_ref());
    let timeout = seconds(&p, options.timeout.as_ref());
    let ret_ty: Type = match &sig.output {
        ReturnType::Default => syn::parse_quote!(()),
        ReturnType::Type(_, ty) => (**ty).clone(),
    };
    let is_async = sig.asyncness.is_some();

    // The hidden function: the body as written, every attribute but the docs kept.
    let mut inner_fn = func.clone();
    inner_fn.sig.ident = inner.clone();
    inner_fn.vis = syn::Visibility::Inherited;
    inner_fn.attrs.retain(|a| !a.path().is_ident("doc"));
    let docs: Vec<_> = func
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .collect();

    let ctx_param = match ctx {
        Ctx::None => quote!(),
        Ctx::Ref => quote!(, &'a #p::TaskContext),
        Ctx::Owned => quote!(, #p::TaskContext),
    };
    let (target, deref_body) = if is_async {
        let lifetime = match ctx {
            Ctx::Ref => quote!('a),
            _ => quote!('static),
        };
        let (args, pass) = match ctx {
            Ctx::None => (quote!(input: #input_ty), quote!(input)),
            Ctx::Ref => (
                quote!(input: #input_ty, ctx: &'a #p::TaskContext),
                quote!(input, ctx),
            ),
            Ctx::Owned => (
                quote!(input: #input_ty, ctx: #p::TaskContext),
                quote!(input, ctx),
            ),
        };
        let target = quote!(for<'a> fn(#input_ty #ctx_param) -> #p::Pin<#p::Box<dyn #p::Future<Output = #ret_ty> + ::core::marker::Send + #lifetime>>);
        let body = quote! {
            fn boxed<'a>(#args) -> #p::Pin<#p::Box<dyn #p::Future<Output = #ret_ty> + ::core::marker::Send + #lifetime>> {
                #p::Box::pin(#inner(#pass))
            }
            const F: #target = boxed;
            &F
        };
        (target, body)
    } else {
        let target = quote!(for<'a> fn(#input_ty #ctx_param) -> #ret_ty);
        (target.clone(), quote! { const F: #target = #inner; &F })
    };

    let call_inner = match ctx {
        Ctx::None => quote!(#inner(input)),
        Ctx::Ref => quote!(#inner(input, &ctx)),
        Ctx::Owned => quote!(#inner(input, ctx)),
    };
    let call_inner = if is_async {
        quote!(#call_inner.await)
    } else {
        call_inner
    };
    let drop_ctx = match ctx {
        Ctx::None => quote!(let _ = ctx;),
        _ => quote!(),
    };
    let output_ty = match &output {
        Output::Result { ok } => ok.clone(),
        Output::Plain(o) => o.clone(),
    };
    // Each use of a user type goes through a trait, spanned on the user's token, so that
    // a missing `Deserialize` or `Serialize` is reported there, once.
    let decode =
        quote_spanned!(input_ty.span()=> <#input_ty as #p::ActivityInput>::decode(NAME, input));
    let input_schema = quote_spanned!(input_ty.span()=> <#input_ty as #p::ActivityInput>::schema());
    let output_schema =
        quote_spanned!(output_ty.span()=> <#output_ty as #p::ActivityOutput>::schema());
    let encode = match &output {
        Output::Result { .. } => {
            quote_spanned!(ret_ty.span()=> <#ret_ty as #p::ActivityResult>::encode(out, NAME))
        }
        Output::Plain(o) => {
            quote_spanned!(o.span()=> <#o as #p::ActivityOutput>::encode(out, NAME))
        }
    };

    Some(quote! {
        #inner_fn

        #(#docs)*
        #[allow(non_camel_case_types)]
        #[derive(Debug, Clone, Copy, Default)]
        #vis struct #fn_name;

        impl #p::Deref for #fn_name {
            type Target = #target;

            fn deref(&self) -> &Self::Target {
                #deref_body
            }
        }

        impl #p::ActivityDefinition for #fn_name {
            const NAME: &'static str = #activity_name;
            const HEARTBEAT_SECONDS: #p::Option<u64> = #heartbeat;
            const TIMEOUT_SECONDS: #p::Option<u64> = #timeout;
        }

        impl #p::Activity for #fn_name {
            fn name(&self) -> &str {
                #activity_name
            }

            fn description(&self) -> #p::Option<&str> {
                #description
            }

            fn input_schema(&self) -> #p::Value {
                #input_schema
            }

            fn output_schema(&self) -> #p::Value {
                #output_schema
            }

            fn heartbeat_seconds(&self) -> #p::Option<u64> {
                #heartbeat
            }

            fn timeout_seconds(&self) -> #p::Option<u64> {
                #timeout
            }

            fn call(&self, input: #p::Value, ctx: #p::TaskContext) -> #p::BoxFuture<'static, #p::Result<#p::Value, #p::TaskFailure>> {
                #p::Box::pin(async move {
                    const NAME: &str = #activity_name;
                    #drop_ctx
                    let input: #input_ty = #decode?;
                    let out = #call_inner;
                    #encode
                })
            }
        }
    })
}

fn seconds(p: &TokenStream, v: Option<&LitInt>) -> TokenStream {
    match v {
        Some(n) => {
            let n = LitInt::new(&format!("{}u64", n.base10_digits()), n.span());
            quote!(#p::Some(#n))
        }
        None => quote!(#p::None),
    }
}

/// `&TaskContext` or `TaskContext` (any path ending in `TaskContext`).
fn context_kind(ty: &Type) -> Option<Ctx> {
    let is_ctx = |t: &Type| matches!(t, Type::Path(p) if p.qself.is_none() && p.path.segments.last().is_some_and(|s| s.ident == "TaskContext"));
    match ty {
        Type::Reference(r) if r.mutability.is_none() && is_ctx(&r.elem) => Some(Ctx::Ref),
        t if is_ctx(t) => Some(Ctx::Owned),
        _ => None,
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
