//! The AWS back end (feature `aws`): [`AwsBackend`] over [`aws_sdk_sfn`], and the
//! constructors [`Sfn::aws`](super::Sfn::aws), [`Sfn::with_endpoint`](super::Sfn::with_endpoint) and
//! [`Sfn::from_sdk`](super::Sfn::from_sdk).
//!
//! | file | what it holds |
//! |---|---|
//! | `backend.rs` | [`AwsBackend`]: each operation the SDK's of the same name |
//! | `convert.rs` | errors, timestamps, tags, logging: the SDK's types to the client's |
//! | `history.rs` | history events, their details written as AWS's JSON names them |
//! | `sfn.rs` | the constructors of [`Sfn`](super::Sfn) for AWS |

mod backend;
mod convert;
mod history;
mod sfn;

pub use backend::AwsBackend;
