//! `#[activity]`: parse the options (`parse`), check them and the function's signature
//! (`check`, every error reported on its token), expand (`expand`).
//!
//! The function `add` becomes a unit struct `add` (so that `Task(add)` and
//! `worker.activity(add)` name it) that implements `Activity` and `ActivityDefinition`,
//! and derefs to a function pointer so that `add(input, &ctx)` still calls the body. The
//! body moves to a hidden function `__sfn_activity_add`. When anything is wrong, the
//! output is the errors and the function as written.

mod check;
mod expand;
mod parse;

use proc_macro2::TokenStream;
use quote::quote;
use syn::ItemFn;

use crate::ctxt::Errors;

/// Expands `#[activity(args)]` on `item`.
pub(crate) fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let options = parse::options(args, &mut errors);
    check::options(&options, &mut errors);
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
    // The name is checked, and the code generated, only for a signature without errors.
    let out = check::signature(&func.sig, &mut errors)
        .filter(|_| errors.is_empty())
        .map(|sig| {
            let name = check::activity_name(&options, &func, &mut errors);
            expand::activity(&options, &func, &sig, &name)
        });
    match out {
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
