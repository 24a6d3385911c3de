//! The engine's ARNs: every one carries the region and account the engine was built
//! with ([`LocalEngineBuilder`](super::LocalEngineBuilder)).

use std::{fmt::Display, sync::Arc};

use sfn_core::definition::activity_arn;

/// The region and account of an engine, and the ARNs of its resources.
#[derive(Debug, Clone)]
pub(crate) struct Arns {
    region: Arc<str>,
    account: Arc<str>,
}

impl Arns {
    pub(crate) fn new(region: Arc<str>, account: Arc<str>) -> Self {
        Arns { region, account }
    }

    /// The region (`us-east-1`).
    pub(crate) fn region(&self) -> &Arc<str> {
        &self.region
    }

    /// A Step Functions resource: `arn:aws:states:REGION:ACCOUNT:RESOURCE`
    /// (`stateMachine:NAME`, `execution:MACHINE:NAME`, `mapRun:…`).
    pub(crate) fn states(&self, resource: impl Display) -> String {
        format!("arn:aws:states:{}:{}:{resource}", self.region, self.account)
    }

    /// The activity `name`.
    pub(crate) fn activity(&self, name: &str) -> String {
        activity_arn("aws", &self.region, &self.account, name)
    }

    /// The role executions run as.
    pub(crate) fn role(&self) -> String {
        format!("arn:aws:iam::{}:role/sfn-local", self.account)
    }
}
