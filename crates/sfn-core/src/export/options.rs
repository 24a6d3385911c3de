//! What an export may be told besides the machine.

/// Options of [`crate::export::export`]; [`ExportOptions::new`] (or `Default`) for none.
///
/// ```
/// use sfn_core::export::ExportOptions;
///
/// let options = ExportOptions::new().role_arn("arn:aws:iam::123456789012:role/sfn");
/// assert_eq!(options.role_arn.as_deref(), Some("arn:aws:iam::123456789012:role/sfn"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ExportOptions {
    /// The default of the role parameter (`RoleArn` in CloudFormation and SAM,
    /// `var.role_arn` in Terraform); without it the deployer must give one.
    pub role_arn: Option<String>,
}

impl ExportOptions {
    /// No options.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the default of the role parameter.
    #[must_use]
    pub fn role_arn(mut self, arn: impl Into<String>) -> Self {
        self.role_arn = Some(arn.into());
        self
    }
}
