//! The AWS Step Functions API over the embedded engine, without a transport: requests and
//! answers as AWS JSON 1.0 documents, errors as AWS's exceptions. The server
//! ([`crate::server`]) serves it over HTTP; the client's embedded back end
//! ([`crate::client`]) calls it in-process, so that both answer exactly alike.

pub(crate) mod error;
pub(crate) mod ops;
pub(crate) mod protocol;
