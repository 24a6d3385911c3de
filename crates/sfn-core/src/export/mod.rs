//! Deploying a definition through infrastructure as code: CloudFormation, AWS SAM,
//! Terraform, or the bare definition with its substitution variables (for the CDK's
//! `DefinitionBody.fromFile` with `definitionSubstitutions`, or SAM's `DefinitionUri`).
//!
//! A definition built at compile time names its activities with placeholders,
//! `arn:aws:states:::activity:NAME`, which AWS does not accept as they are. The export
//! turns every such placeholder into a definition substitution, `${ActivityName}`, and
//! every Lambda function the definition calls (a Task whose `Resource` is a function's ARN,
//! or the literal `FunctionName` of a `lambda:invoke` Task) into another,
//! `${LambdaName}`. Each format then binds the variables its own way:
//!
//! | format | activities | Lambda functions | role |
//! |---|---|---|---|
//! | [`ExportFormat::Asl`] | `${ActivityX}` left for the deployer | `${LambdaX}` | — |
//! | [`ExportFormat::CloudFormation`] | an `AWS::StepFunctions::Activity` each, bound with `!Ref` | a template parameter each, defaulting to what the definition said | parameter `RoleArn` |
//! | [`ExportFormat::Sam`] | as CloudFormation | as CloudFormation | parameter `RoleArn`, the machine's `Role` |
//! | [`ExportFormat::Terraform`] | an `aws_sfn_activity` each, its `id` (the ARN) in the definition | a `variable` each, with the same default | `variable "role_arn"` |
//!
//! Activities given by full ARN (`arn:aws:states:REGION:ACCOUNT:activity:NAME`) exist
//! already and are left as they are; so is any `${…}` text the definition holds itself,
//! whose names the export never reuses. CloudFormation and SAM templates are YAML, the
//! definition an object in them (`Definition`), except where the definition has an
//! object with a `Ref` or `Fn::…` key, which CloudFormation would read as an intrinsic
//! function: CloudFormation then gets the definition as JSON text (`DefinitionString`),
//! and SAM, which has no such property, is refused ([`ExportError::IntrinsicKey`]).
//!
//! The export is pure and deterministic: the same machine and options give the same bytes.
//! It does not validate the definition; validate it first ([`crate::validate()`]).
//!
//! ```
//! use sfn_core::export::{export, ExportFormat, ExportOptions};
//! use sfn_core::model::ExecutionType;
//!
//! let machine: sfn_core::StateMachine = r#"{"StartAt": "Add", "States": {
//!     "Add": {"Type": "Task", "Resource": "arn:aws:states:::activity:add", "End": true}
//! }}"#.parse()?;
//! let template = export(
//!     ExportFormat::CloudFormation,
//!     "adder",
//!     &machine,
//!     ExecutionType::Standard,
//!     &ExportOptions::new(),
//! )?;
//! assert!(template.contains("Type: AWS::StepFunctions::Activity"));
//! assert!(template.contains(r#"Resource: "${ActivityAdd}""#));
//! assert!(template.contains("ActivityAdd: !Ref ActivityAdd"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod cloudformation;
mod error;
mod format;
mod hcl;
mod idents;
mod options;
mod render;
mod sam;
mod substitute;
mod terraform;
mod yaml;

pub use error::ExportError;
pub use format::ExportFormat;
pub use options::ExportOptions;
pub use render::export;
pub use substitute::{AslExport, Substitution, SubstitutionKind, with_substitutions};
