//! The path generated code reaches sfn through: `::sfn_runtime`, the facade, unless
//! `crate = path` says otherwise.

use proc_macro2::TokenStream;
use quote::quote;

/// The hidden re-export module under `krate` (`::sfn_runtime::__private` by default).
pub(crate) fn private(krate: Option<&syn::Path>) -> TokenStream {
    match krate {
        Some(path) => quote!(#path::__private),
        None => quote!(::sfn_runtime::__private),
    }
}
