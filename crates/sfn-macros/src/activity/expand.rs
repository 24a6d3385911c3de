//! The code `#[activity]` generates for a checked function: the hidden function holding
//! the body, the unit struct with its `Deref` to a function pointer, and its
//! `ActivityDefinition` and `Activity` impls, each use of a user type spanned on it.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::{ItemFn, LitInt, ext::IdentExt, spanned::Spanned};

use super::parse::{Ctx, Options, Output, Signature};
use crate::{docs, krate};

/// The activity named `activity_name` that `func`, of signature `sig`, defines.
pub(super) fn activity(
    options: &Options,
    func: &ItemFn,
    sig: &Signature,
    activity_name: &str,
) -> TokenStream {
    let p = krate::private(options.krate.as_ref());
    let fn_name = &func.sig.ident;
    let vis = &func.vis;
    let inner = format_ident!("__sfn_activity_{}", fn_name.unraw().to_string());
    let Signature {
        input: input_ty,
        ctx,
        output,
        ret: ret_ty,
        is_async,
    } = sig;
    let is_async = *is_async;
    let description = match docs::text(&func.attrs) {
        Some(d) => quote!(#p::Some(#d)),
        None => quote!(#p::None),
    };
    let heartbeat = seconds(&p, options.heartbeat.as_ref());
    let timeout = seconds(&p, options.timeout.as_ref());

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
    let output_ty = output.ty();
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

    quote! {
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
    }
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
