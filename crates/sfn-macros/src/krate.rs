//! The path generated code reaches sfn through: `::sfn_runtime` unless `crate = path`.

use proc_macro2::TokenStream;
use quote::quote;

/// The hidden re-export module under `krate` (`::sfn_runtime::__private`).
pub(crate) fn private(krate: Option<&syn::Path>) -> TokenStream {
    match krate {
        Some(path) => quote!(#path::__private),
        None => quote!(::sfn_runtime::__private),
    }
}
