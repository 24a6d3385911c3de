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

    /// The state machine `name`: `…:stateMachine:NAME`.
    pub(crate) fn machine(&self, name: &str) -> String {
        self.states(format_args!("stateMachine:{name}"))
    }

    /// What a state machine ARN of this engine's region and account names: a machine, one
    /// of its versions (`…:stateMachine:NAME:3`) or one of its aliases
    /// (`…:stateMachine:NAME:PROD`). `None` for any other ARN.
    pub(crate) fn machine_ref<'a>(&self, arn: &'a str) -> Option<MachineRef<'a>> {
        let prefix = self.states("stateMachine:");
        let rest = arn.strip_prefix(prefix.as_str())?;
        let (name, qualifier) = match rest.split_once(':') {
            Some((name, qualifier)) => (name, Some(qualifier)),
            None => (rest, None),
        };
        if name.is_empty() {
            return None;
        }
        Some(match qualifier {
            None => MachineRef::Machine { name },
            Some(q) if !q.is_empty() && q.bytes().all(|b| b.is_ascii_digit()) => {
                MachineRef::Version {
                    name,
                    number: q.parse().ok()?,
                }
            }
            Some(alias) if !alias.is_empty() && !alias.contains(':') => {
                MachineRef::Alias { name, alias }
            }
            Some(_) => return None,
        })
    }

    /// The role executions run as.
    pub(crate) fn role(&self) -> String {
        format!("arn:aws:iam::{}:role/sfn-local", self.account)
    }
}

/// What a state machine ARN names (see [`Arns::machine_ref`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MachineRef<'a> {
    /// The machine itself, unqualified: its latest revision.
    Machine {
        /// The machine's name.
        name: &'a str,
    },
    /// A published version.
    Version {
        /// The machine's name.
        name: &'a str,
        /// The version number.
        number: u64,
    },
    /// An alias.
    Alias {
        /// The machine's name.
        name: &'a str,
        /// The alias's name.
        alias: &'a str,
    },
}

impl<'a> MachineRef<'a> {
    /// The name of the machine the ARN belongs to.
    pub(crate) fn machine_name(self) -> &'a str {
        match self {
            MachineRef::Machine { name }
            | MachineRef::Version { name, .. }
            | MachineRef::Alias { name, .. } => name,
        }
    }
}
