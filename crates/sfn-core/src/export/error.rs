//! Why a machine cannot be exported.

use crate::names::NameError;

/// Why [`crate::export::export`] refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// The machine's name is not one AWS accepts.
    #[error("the state machine name {name:?} is not valid: {reason}")]
    InvalidName {
        /// The name.
        name: String,
        /// What is wrong with it.
        reason: NameError,
    },
    /// The definition has an object with a `Ref` or `Fn::…` key, which a SAM template
    /// would read as an intrinsic function.
    #[error(
        "the definition has an object with the key {key:?} at {pointer}, which a SAM template would read as an intrinsic function; export to CloudFormation (which then writes the definition as text), Terraform or ASL instead"
    )]
    IntrinsicKey {
        /// The key.
        key: String,
        /// Where the object is, as a JSON Pointer into the definition.
        pointer: String,
    },
    /// No such format.
    #[error("unknown export format {0:?}: expected one of asl, cloudformation, sam, terraform")]
    UnknownFormat(String),
}
