//! State machine versions, as AWS keeps them: a version is the latest revision of a
//! machine, published under a number (`…:stateMachine:NAME:3`) that increases and is
//! never reused. Also where an execution starts given a machine's, a version's or an
//! alias's ARN.

use std::{collections::BTreeMap, sync::Arc};

use chrono::{DateTime, Utc};
use indexmap::IndexMap;
use sfn_core::model::ExecutionType;

use super::{
    Error, LocalEngine, StateMachineDescription,
    aliases::AliasEntry,
    arn::MachineRef,
    engine::MachineEntry,
    execution::Via,
    lock,
    manage::{Revision, describe_revision},
};

/// The most versions AWS lets a machine have.
pub const MAX_VERSIONS: usize = 1000;

/// The longest description of a version or an alias, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 256;

/// The revision id that names a machine's first revision, which has no id of its own
/// (`revisionId` of `PublishStateMachineVersion`).
pub const INITIAL_REVISION: &str = "INITIAL";

/// A published version, as `PublishStateMachineVersion` and `ListStateMachineVersions`
/// tell it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct StateMachineVersion {
    /// The version's ARN: the machine's, a colon and the version number.
    pub state_machine_version_arn: String,
    /// The version number.
    pub version: u64,
    /// When the version was published.
    pub creation_date: DateTime<Utc>,
    /// Its description.
    pub description: Option<String>,
    /// The id of the revision it was published from (none for the first revision).
    pub revision_id: Option<String>,
}

/// A version the engine keeps: the revision it was published from (what runs, shared
/// with the machine while that revision is the latest, and what describes it).
pub(super) struct VersionEntry {
    pub(super) number: u64,
    pub(super) arn: Arc<str>,
    pub(super) machine: Arc<MachineEntry>,
    revision: Revision,
    machine_type: ExecutionType,
    pub(super) description: Option<String>,
    pub(super) creation_date: DateTime<Utc>,
}

impl VersionEntry {
    fn describe(&self) -> StateMachineVersion {
        StateMachineVersion {
            state_machine_version_arn: self.arn.to_string(),
            version: self.number,
            creation_date: self.creation_date,
            description: self.description.clone(),
            revision_id: self.revision.revision_id.as_deref().map(str::to_owned),
        }
    }

    /// The version as `DescribeStateMachine` tells it, under the ARN `arn` (the
    /// version's, or for `DescribeStateMachineForExecution` the machine's).
    pub(super) fn describe_as(&self, arn: &str) -> StateMachineDescription {
        let mut d = describe_revision(
            arn,
            self.machine.name.clone(),
            self.machine_type,
            self.creation_date,
            &self.revision,
        );
        d.description = self.description.clone();
        d
    }
}

/// The versions and aliases of one machine.
#[derive(Default)]
pub(crate) struct MachineVersions {
    /// The number of the last version published, deleted or not.
    last_number: u64,
    pub(super) versions: BTreeMap<u64, Arc<VersionEntry>>,
    /// In creation order.
    pub(super) aliases: IndexMap<String, AliasEntry>,
}

/// Where an execution starts: the revision it runs, and the version and alias it was
/// started through.
pub(super) struct StartTarget {
    pub(super) machine: Arc<MachineEntry>,
    pub(super) via: Via,
}

/// [`Error::InvalidArn`] for `arn`, saying why.
pub(super) fn invalid_arn(arn: &str, message: &str) -> Error {
    Error::InvalidArn {
        arn: arn.to_owned(),
        message: message.to_owned(),
    }
}

/// Checks a version's or an alias's description against AWS's limit.
pub(super) fn check_description(description: Option<&str>) -> Result<(), Error> {
    match description {
        Some(d) if d.chars().count() > MAX_DESCRIPTION_CHARS => Err(Error::validation(format!(
            "1 validation error detected: Value at 'description' failed to satisfy constraint: \
             Member must have length less than or equal to {MAX_DESCRIPTION_CHARS}"
        ))),
        _ => Ok(()),
    }
}

impl LocalEngine {
    /// What a state machine ARN names.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArn`] for an ARN that is not a machine's, a version's or an
    /// alias's of this engine; [`Error::Validation`] for a machine ARN qualified by a
    /// Map label (`…:stateMachine:NAME/LABEL`).
    pub(super) fn machine_ref<'a>(&self, arn: &'a str) -> Result<MachineRef<'a>, Error> {
        let found = self.inner.arns.machine_ref(arn).ok_or_else(|| {
            invalid_arn(arn, "not a state machine, version or alias of this engine")
        })?;
        if found.machine_name().contains('/') {
            return Err(Error::validation(format!(
                "This operation does not take a labeled ARN: '{arn}'"
            )));
        }
        Ok(found)
    }

    /// A fresh revision id: a random (version 4) UUID from the engine's random numbers.
    pub(super) fn new_revision_id(&self) -> Arc<str> {
        let bits = lock(&self.inner.rng).u128(..);
        let id = uuid::Builder::from_random_bytes(bits.to_le_bytes()).into_uuid();
        Arc::from(id.to_string())
    }

    /// Publishes the latest revision of the machine `machine_arn` as a version
    /// (`PublishStateMachineVersion`). As on AWS it is idempotent: when the latest
    /// revision is published already, that version is returned (its description as it
    /// was). Version numbers start at 1 and are never reused, even after a deletion.
    ///
    /// `revision_id`, when given, must be the machine's latest revision's id
    /// ([`INITIAL_REVISION`] for a machine never updated).
    ///
    /// # Errors
    ///
    /// [`Error::StateMachineDoesNotExist`] (also for a version's or an alias's ARN),
    /// [`Error::InvalidArn`], [`Error::Conflict`] when `revision_id` is not the latest,
    /// [`Error::Validation`] for a description over 256 characters,
    /// [`Error::ServiceQuotaExceeded`] past 1,000 versions;
    /// [`Error::StateMachineDeleting`] while the machine is being deleted.
    pub fn publish_state_machine_version(
        &self,
        machine_arn: &str,
        revision_id: Option<&str>,
        description: Option<&str>,
    ) -> Result<StateMachineVersion, Error> {
        check_description(description)?;
        let not_found = || Error::StateMachineDoesNotExist {
            arn: machine_arn.to_owned(),
        };
        let MachineRef::Machine { .. } = self.machine_ref(machine_arn)? else {
            return Err(not_found());
        };
        self.inner.refuse_deleting(machine_arn)?;
        // The machine and its revisions stay locked until the version is recorded: no
        // update comes between.
        let machines = lock(&self.inner.machines);
        let machine = machines.get(machine_arn).cloned().ok_or_else(not_found)?;
        let metas = lock(&self.inner.registry.machines);
        let meta = metas.get(machine_arn).ok_or_else(not_found)?;
        let latest = meta.current();
        if let Some(expected) = revision_id {
            let current = latest.revision_id.as_deref();
            let matches = match current {
                Some(current) => current == expected,
                None => expected == INITIAL_REVISION,
            };
            if !matches {
                return Err(Error::Conflict {
                    message: format!(
                        "Failed to publish the State Machine version for revision {expected}. \
                         The current State Machine revision is {}.",
                        current.unwrap_or(INITIAL_REVISION)
                    ),
                });
            }
        }
        let mut published = lock(&self.inner.published);
        let record = published.entry(machine_arn.to_owned()).or_default();
        if let Some(existing) = record
            .versions
            .values()
            .find(|v| v.revision.id == latest.id)
        {
            return Ok(existing.describe());
        }
        if record.versions.len() >= MAX_VERSIONS {
            return Err(Error::ServiceQuotaExceeded {
                message: format!(
                    "The state machine {machine_arn} has the most versions allowed ({MAX_VERSIONS})"
                ),
            });
        }
        record.last_number += 1;
        let number = record.last_number;
        let version = Arc::new(VersionEntry {
            number,
            arn: Arc::from(format!("{machine_arn}:{number}")),
            machine,
            revision: latest.clone(),
            machine_type: meta.machine_type,
            description: description.map(str::to_owned),
            creation_date: self.inner.clock.now(),
        });
        record.versions.insert(number, version.clone());
        Ok(version.describe())
    }

    /// The versions of the machine `machine_arn`, newest first
    /// (`ListStateMachineVersions`); none for a machine that does not exist.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArn`] for an ARN that is not a machine's (a version's or an
    /// alias's included).
    pub fn list_state_machine_versions(
        &self,
        machine_arn: &str,
    ) -> Result<Vec<StateMachineVersion>, Error> {
        let MachineRef::Machine { .. } = self.machine_ref(machine_arn)? else {
            return Err(invalid_arn(machine_arn, "not a state machine's ARN"));
        };
        Ok(lock(&self.inner.published)
            .get(machine_arn)
            .map(|r| r.versions.values().rev().map(|v| v.describe()).collect())
            .unwrap_or_default())
    }

    /// Deletes a version (`DeleteStateMachineVersion`). Its running executions go on; it
    /// can no longer be started or routed to. Deleting a version that does not exist does
    /// nothing, as on AWS.
    ///
    /// # Errors
    ///
    /// [`Error::Conflict`] while an alias routes to the version, naming the aliases;
    /// [`Error::InvalidArn`] for an ARN that is not a version's.
    pub fn delete_state_machine_version(&self, version_arn: &str) -> Result<(), Error> {
        let MachineRef::Version { name, number } = self.machine_ref(version_arn)? else {
            return Err(invalid_arn(version_arn, "not a version's ARN"));
        };
        let machine_arn = self.inner.arns.machine(name);
        let mut published = lock(&self.inner.published);
        let Some(record) = published.get_mut(&machine_arn) else {
            return Ok(());
        };
        let routed: Vec<&str> = record
            .aliases
            .values()
            .filter(|a| a.routes_to(number))
            .map(|a| a.name.as_str())
            .collect();
        if !routed.is_empty() {
            return Err(Error::Conflict {
                message: format!(
                    "Version to be deleted must not be referenced by an alias. Current list of \
                     aliases referencing this version: [{}]",
                    routed.join(", ")
                ),
            });
        }
        record.versions.remove(&number);
        Ok(())
    }

    /// The version `number` of the machine `machine_arn`, if published and not deleted.
    pub(super) fn version_entry(
        &self,
        machine_arn: &str,
        number: u64,
    ) -> Option<Arc<VersionEntry>> {
        lock(&self.inner.published)
            .get(machine_arn)
            .and_then(|r| r.versions.get(&number).cloned())
    }

    /// The version whose ARN is `arn`, if published and not deleted.
    pub(super) fn version_by_arn(&self, arn: &str) -> Option<Arc<VersionEntry>> {
        match self.inner.arns.machine_ref(arn)? {
            MachineRef::Version { name, number } => {
                self.version_entry(&self.inner.arns.machine(name), number)
            }
            _ => None,
        }
    }

    /// For a version's or an alias's ARN, the revision it runs (an alias's first route's);
    /// `None` for any other ARN.
    ///
    /// # Errors
    ///
    /// [`Error::ResourceNotFound`] for a version or an alias that does not exist.
    pub(super) fn qualified_machine(&self, arn: &str) -> Option<Result<Arc<MachineEntry>, Error>> {
        let not_found = || Error::ResourceNotFound {
            arn: arn.to_owned(),
        };
        match self.inner.arns.machine_ref(arn)? {
            MachineRef::Version { .. } => Some(
                self.version_by_arn(arn)
                    .map(|v| v.machine.clone())
                    .ok_or_else(not_found),
            ),
            MachineRef::Alias { name, alias } => {
                let published = lock(&self.inner.published);
                let machine = published.get(&self.inner.arns.machine(name)).and_then(|r| {
                    let number = r.aliases.get(alias)?.first_version()?;
                    Some(r.versions.get(&number)?.machine.clone())
                });
                Some(machine.ok_or_else(not_found))
            }
            MachineRef::Machine { .. } => None,
        }
    }

    /// Where an execution started through `arn` begins: the machine's latest revision,
    /// a version, or a version an alias picks by weight.
    pub(super) fn start_target(&self, arn: &str) -> Result<StartTarget, Error> {
        let target = self.find_start_target(arn)?;
        if self.inner.is_deleting(&target.machine.arn) {
            return Err(Error::StateMachineDeleting {
                arn: arn.to_owned(),
            });
        }
        Ok(target)
    }

    fn find_start_target(&self, arn: &str) -> Result<StartTarget, Error> {
        // Most starts name the machine itself: found at once.
        if let Some(machine) = lock(&self.inner.machines).get(arn).cloned() {
            return Ok(StartTarget {
                machine,
                via: Via::default(),
            });
        }
        let not_found = || Error::StateMachineDoesNotExist {
            arn: arn.to_owned(),
        };
        match self.inner.arns.machine_ref(arn) {
            Some(MachineRef::Version { .. }) => {
                let version = self.version_by_arn(arn).ok_or_else(not_found)?;
                Ok(StartTarget {
                    machine: version.machine.clone(),
                    via: Via {
                        version_arn: Some(version.arn.clone()),
                        alias_arn: None,
                    },
                })
            }
            Some(MachineRef::Alias { name, alias }) => {
                let published = lock(&self.inner.published);
                let record = published
                    .get(&self.inner.arns.machine(name))
                    .ok_or_else(not_found)?;
                let alias = record.aliases.get(alias).ok_or_else(not_found)?;
                let number = alias.pick(&mut lock(&self.inner.rng));
                let version = record.versions.get(&number).ok_or_else(not_found)?;
                Ok(StartTarget {
                    machine: version.machine.clone(),
                    via: Via {
                        version_arn: Some(version.arn.clone()),
                        alias_arn: Some(alias.arn.clone()),
                    },
                })
            }
            Some(MachineRef::Machine { .. }) | None => Err(not_found()),
        }
    }
}
