//! The path generated code reaches sfn through: the facade the macro was called from
//! (`::sfn_runtime`, or `::sfn_core` for the `sfn-core` re-exports) unless `crate = path`.

use proc_macro2::TokenStream;
use quote::quote;

/// The crate a macro was re-exported from, whose `__private` module generated code uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Facade {
    /// `sfn-runtime`, the crate most programs depend on.
    Runtime,
    /// `sfn-core` with its `macros` feature.
    Core,
}

/// The hidden re-export module under `krate` (`::sfn_runtime::__private`).
pub(crate) fn private(krate: Option<&syn::Path>, facade: Facade) -> TokenStream {
    match (krate, facade) {
        (Some(path), _) => quote!(#path::__private),
        (None, Facade::Runtime) => quote!(::sfn_runtime::__private),
        (None, Facade::Core) => quote!(::sfn_core::__private),
    }
}
