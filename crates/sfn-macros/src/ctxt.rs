//! Collects every error of one expansion, to report them all in one build.

use proc_macro2::Span;
use std::fmt::Display;

/// The errors found so far.
#[derive(Default)]
pub(crate) struct Errors(Option<syn::Error>);

impl Errors {
    /// Adds an error.
    pub(crate) fn push(&mut self, e: syn::Error) {
        match &mut self.0 {
            Some(all) => all.combine(e),
            None => self.0 = Some(e),
        }
    }

    /// Adds the errors of `other`, after these.
    pub(crate) fn append(&mut self, other: Errors) {
        if let Some(e) = other.0 {
            self.push(e);
        }
    }

    /// Adds an error at `span`.
    pub(crate) fn at(&mut self, span: Span, message: impl Display) {
        self.push(syn::Error::new(span, message));
    }

    /// Whether no error was found.
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// The errors as one.
    pub(crate) fn into_error(self) -> Option<syn::Error> {
        self.0
    }
}
