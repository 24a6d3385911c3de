//! The formats a machine is exported in.

use std::{fmt, str::FromStr};

/// What [`crate::export::export`] writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ExportFormat {
    /// The definition as JSON, with `${…}` substitution variables where activities and
    /// Lambda functions were.
    Asl,
    /// An AWS CloudFormation template (YAML).
    CloudFormation,
    /// An AWS SAM template (YAML, `Transform: AWS::Serverless-2016-10-31`).
    Sam,
    /// A Terraform configuration (HCL) for the `hashicorp/aws` provider.
    Terraform,
}

impl ExportFormat {
    /// Every format.
    pub const ALL: &'static [ExportFormat] = &[
        ExportFormat::Asl,
        ExportFormat::CloudFormation,
        ExportFormat::Sam,
        ExportFormat::Terraform,
    ];

    /// The format's name: `asl`, `cloudformation`, `sam` or `terraform`.
    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Asl => "asl",
            ExportFormat::CloudFormation => "cloudformation",
            ExportFormat::Sam => "sam",
            ExportFormat::Terraform => "terraform",
        }
    }

    /// The usual ending of a file in the format: `asl.json`, `yaml` or `tf`.
    pub fn file_extension(self) -> &'static str {
        match self {
            ExportFormat::Asl => "asl.json",
            ExportFormat::CloudFormation | ExportFormat::Sam => "yaml",
            ExportFormat::Terraform => "tf",
        }
    }
}

impl fmt::Display for ExportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ExportFormat {
    type Err = crate::export::ExportError;

    /// Reads a format's name ([`ExportFormat::as_str`]); `cfn` is CloudFormation and `tf`
    /// Terraform.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "asl" => Ok(ExportFormat::Asl),
            "cloudformation" | "cfn" => Ok(ExportFormat::CloudFormation),
            "sam" => Ok(ExportFormat::Sam),
            "terraform" | "tf" => Ok(ExportFormat::Terraform),
            _ => Err(crate::export::ExportError::UnknownFormat(s.to_owned())),
        }
    }
}
