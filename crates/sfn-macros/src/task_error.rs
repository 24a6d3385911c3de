//! `#[derive(TaskError)]`: an `ActivityError` implementation whose error name is the
//! variant's (or the struct's) name, and whose cause is the `Display` text.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::{Attribute, Data, DeriveInput, Fields, LitStr, spanned::Spanned};

use crate::{ctxt::Errors, krate};

/// `#[task_error(name = "…", crate = path)]`.
#[derive(Default)]
struct Attrs {
    name: Option<LitStr>,
    krate: Option<syn::Path>,
}

fn attrs(list: &[Attribute], container: bool, errors: &mut Errors) -> Attrs {
    let mut out = Attrs::default();
    for a in list.iter().filter(|a| a.path().is_ident("task_error")) {
        let r = a.parse_nested_meta(|meta| {
            if meta.path.is_ident("name") {
                let s: LitStr = meta.value()?.parse()?;
                check_name(&s, errors);
                out.name = Some(s);
                Ok(())
            } else if meta.path.is_ident("crate") && container {
                out.krate = Some(meta.value()?.parse()?);
                Ok(())
            } else {
                let expected = if container {
                    "`name` or `crate`"
                } else {
                    "`name`"
                };
                Err(meta.error(format!("unknown `task_error` option; expected {expected}")))
            }
        });
        if let Err(e) = r {
            errors.push(e);
        }
    }
    out
}

fn check_name(s: &LitStr, errors: &mut Errors) {
    let v = s.value();
    if v.is_empty() {
        errors.at(s.span(), "an error name cannot be empty");
    } else if v.chars().count() > 256 {
        errors.at(s.span(), "an error name is at most 256 characters long");
    } else if v.starts_with("States.") {
        errors.at(
            s.span(),
            "error names starting with `States.` are reserved for Step Functions",
        );
    }
}

pub(crate) fn expand(input: TokenStream) -> TokenStream {
    let input = match syn::parse2::<DeriveInput>(input) {
        Ok(i) => i,
        Err(e) => return e.to_compile_error(),
    };
    let mut errors = Errors::default();
    let top = attrs(&input.attrs, true, &mut errors);
    let p = krate::private(top.krate.as_ref());
    let ty = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let name_body = match &input.data {
        Data::Enum(e) => {
            if let Some(n) = &top.name {
                errors.at(
                    n.span(),
                    "on an enum, set `#[task_error(name = \"…\")]` on each variant",
                );
            }
            let arms = e.variants.iter().map(|v| {
                let va = attrs(&v.attrs, false, &mut errors);
                let name = va
                    .name
                    .map(|s| s.value())
                    .unwrap_or_else(|| v.ident.to_string());
                let ident = &v.ident;
                let pat = match &v.fields {
                    Fields::Named(_) => quote!(Self::#ident { .. }),
                    Fields::Unnamed(_) => quote!(Self::#ident(..)),
                    Fields::Unit => quote!(Self::#ident),
                };
                quote!(#pat => #name,)
            });
            let arms: Vec<_> = arms.collect();
            if arms.is_empty() {
                quote!(match *self {})
            } else {
                quote!(#p::Cow::Borrowed(match self { #(#arms)* }))
            }
        }
        Data::Struct(_) => {
            let name = top
                .name
                .as_ref()
                .map(LitStr::value)
                .unwrap_or_else(|| ty.to_string());
            quote!(#p::Cow::Borrowed(#name))
        }
        Data::Union(u) => {
            errors.at(
                u.union_token.span(),
                "`TaskError` cannot be derived for a union",
            );
            quote!(#p::Cow::Borrowed(""))
        }
    };
    let display = if input.generics.params.is_empty() {
        quote_spanned! {ty.span()=>
        const _: fn() = || {
            fn must_implement_display<T: ?::core::marker::Sized + ::core::fmt::Display>() {}
            must_implement_display::<#ty>();
        };
        }
    } else {
        quote!()
    };
    let mut out = errors
        .into_error()
        .map(|e| e.to_compile_error())
        .unwrap_or_default();
    out.extend(quote! {
        #display

        impl #impl_generics #p::ActivityError for #ty #ty_generics #where_clause {
            fn error_name(&self) -> #p::Cow<'_, str> {
                #name_body
            }

            fn cause(&self) -> #p::String {
                ::std::string::ToString::to_string(self)
            }
        }
    });
    out
}
