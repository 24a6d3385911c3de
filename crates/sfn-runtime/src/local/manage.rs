//! Managing resources as the Step Functions API does: what a machine or an activity was
//! created with and when, updating machines (each change a revision, which can be
//! published as a version at once) and deleting them, and tags.
//!
//! The engine runs machines from their models; this module keeps what the management
//! operations report besides (the definition's text as it was sent, the role, the type,
//! creation and update dates, tags), in a [`Registry`] beside the engine's state.

use std::{collections::HashMap, sync::Arc};

use chrono::{DateTime, Utc};
use indexmap::IndexMap;
use serde_json::{Map, Value};

pub use crate::client::{CreatedStateMachine, UpdatedStateMachine};
use sfn_core::{
    StateMachine,
    definition::resolve_activity_arns,
    model::ExecutionType,
    validate::{ValidateOptions, validate_str_with},
};

use super::{
    Error, LocalEngine,
    arn::MachineRef,
    engine::{MachineEntry, check_name},
    plan,
    sync::lock,
    versions::check_description,
};

/// How to create a state machine from its JSON text, with what the `CreateStateMachine`
/// API takes besides.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CreateStateMachine {
    /// The machine's name.
    pub name: String,
    /// The definition, as JSON text.
    pub definition: String,
    /// The role the machine runs as (recorded and reported; the engine checks no
    /// permissions).
    pub role_arn: Option<String>,
    /// Standard or Express.
    pub machine_type: ExecutionType,
    /// Tags to put on the machine.
    pub tags: Vec<(String, String)>,
    /// Whether to publish the machine as its version 1 at once (`publish`).
    pub publish: bool,
    /// The description of the version published (`versionDescription`; only with
    /// `publish`).
    pub version_description: Option<String>,
    /// Settings the engine records and reports but does not act on, by their API member
    /// name (`loggingConfiguration`, `tracingConfiguration`, `encryptionConfiguration`).
    pub settings: Map<String, Value>,
}

/// The setters of `publish` and `versionDescription`, which [`CreateStateMachine`] and
/// [`UpdateStateMachine`] both take.
macro_rules! publish_setters {
    () => {
        /// Publishes the machine's latest revision as a version, once created or updated
        /// (`publish`).
        pub fn publish(mut self, publish: bool) -> Self {
            self.publish = publish;
            self
        }

        /// Records a setting the engine reports but does not act on
        /// (`loggingConfiguration`, `tracingConfiguration`, `encryptionConfiguration`).
        pub fn setting(mut self, member: impl Into<String>, value: Value) -> Self {
            self.settings.insert(member.into(), value);
            self
        }

        /// The description of the version published (`versionDescription`; only with
        /// `publish`).
        pub fn version_description(mut self, description: impl Into<String>) -> Self {
            self.version_description = Some(description.into());
            self
        }
    };
}

impl CreateStateMachine {
    /// A Standard machine with this name and definition text.
    pub fn new(name: impl Into<String>, definition: impl Into<String>) -> Self {
        CreateStateMachine {
            name: name.into(),
            definition: definition.into(),
            role_arn: None,
            machine_type: ExecutionType::Standard,
            tags: Vec::new(),
            publish: false,
            version_description: None,
            settings: Map::new(),
        }
    }

    publish_setters!();

    /// The role ARN to record.
    pub fn role_arn(mut self, role_arn: impl Into<String>) -> Self {
        self.role_arn = Some(role_arn.into());
        self
    }

    /// The machine's type.
    pub fn machine_type(mut self, machine_type: ExecutionType) -> Self {
        self.machine_type = machine_type;
        self
    }

    /// Tags to put on the machine.
    pub fn tags(mut self, tags: Vec<(String, String)>) -> Self {
        self.tags = tags;
        self
    }
}

/// How to update a state machine: what `UpdateStateMachine` takes.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct UpdateStateMachine {
    /// The new definition, as JSON text.
    pub definition: Option<String>,
    /// The new role.
    pub role_arn: Option<String>,
    /// Whether to publish the latest revision as a version after the update.
    pub publish: bool,
    /// The description of the version published (only with `publish`).
    pub version_description: Option<String>,
    /// Settings to record, replacing those of the same name (see
    /// [`CreateStateMachine::settings`]).
    pub settings: Map<String, Value>,
}

impl UpdateStateMachine {
    /// An update that changes nothing yet.
    pub fn new() -> Self {
        UpdateStateMachine::default()
    }

    /// Replaces the definition with this JSON text.
    pub fn definition(mut self, definition: impl Into<String>) -> Self {
        self.definition = Some(definition.into());
        self
    }

    /// Replaces the role.
    pub fn role_arn(mut self, role_arn: impl Into<String>) -> Self {
        self.role_arn = Some(role_arn.into());
        self
    }

    publish_setters!();
}

/// What `DescribeStateMachine` tells about a machine or one of its versions.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct StateMachineDescription {
    /// The ARN described: the machine's, or a version's.
    pub state_machine_arn: String,
    /// Its name.
    pub name: String,
    /// The definition as it was sent (or, for a machine created from a model, the
    /// model's JSON).
    pub definition: String,
    /// The role ARN.
    pub role_arn: String,
    /// Standard or Express.
    pub machine_type: ExecutionType,
    /// When it was created; for a version, when the version was published.
    pub creation_date: DateTime<Utc>,
    /// When its definition or role last changed (its creation date if never).
    pub update_date: DateTime<Utc>,
    /// The revision's id: none for the machine as created, a new UUID for each update
    /// that changes the definition or the role.
    pub revision_id: Option<String>,
    /// For a version, its description.
    pub description: Option<String>,
    /// The settings recorded (see [`CreateStateMachine::settings`]); empty for a
    /// version.
    pub settings: Map<String, Value>,
    /// `ACTIVE`, or `DELETING` while a deleted machine waits for its executions to end.
    pub status: StateMachineStatus,
}

/// A state machine's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum StateMachineStatus {
    /// It can be started.
    Active,
    /// It was deleted and waits for its executions to end
    /// ([`LocalEngine::delete_state_machine`]).
    Deleting,
}

impl StateMachineStatus {
    /// The status as AWS names it: `ACTIVE`, `DELETING`.
    pub fn as_str(self) -> &'static str {
        match self {
            StateMachineStatus::Active => "ACTIVE",
            StateMachineStatus::Deleting => "DELETING",
        }
    }
}

/// What `DescribeActivity` tells about an activity.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ActivityDescription {
    /// The activity's ARN.
    pub activity_arn: String,
    /// Its name.
    pub name: String,
    /// When it was created.
    pub creation_date: DateTime<Utc>,
}

/// A machine to register: its model, and its definition's text as the management API
/// reports it.
pub(super) struct NewMachine<'a> {
    pub(super) name: &'a str,
    /// Validated, its activity placeholders resolved.
    pub(super) definition: StateMachine,
    /// The text as sent, or the model's JSON.
    pub(super) text: &'a str,
    /// Whether the definition was sent as text: a machine that exists is then the same
    /// when its text is, otherwise when its model is.
    pub(super) sent_as_text: bool,
    pub(super) machine_type: ExecutionType,
    /// The role; the engine's default when none.
    pub(super) role_arn: Option<String>,
    /// Put on the machine when it is created.
    pub(super) tags: Vec<(String, String)>,
    /// Recorded when it is created (see [`CreateStateMachine::settings`]).
    pub(super) settings: Map<String, Value>,
}

/// A machine registered, or found alike.
pub(super) struct Registered {
    pub(super) arn: String,
    pub(super) creation_date: DateTime<Utc>,
}

/// One revision of a machine: what it was between two updates.
#[derive(Debug, Clone)]
pub(super) struct Revision {
    definition: Arc<str>,
    role_arn: Arc<str>,
    date: DateTime<Utc>,
    /// The revision's place among the machine's: 1 for the first.
    pub(super) id: u64,
    /// Its id as AWS gives it: none for the first revision, a UUID after.
    pub(super) revision_id: Option<Arc<str>>,
}

#[derive(Debug, Clone)]
pub(super) struct MachineMeta {
    pub(super) machine_type: ExecutionType,
    creation_date: DateTime<Utc>,
    /// Oldest first; never empty.
    revisions: Vec<Revision>,
    /// See [`CreateStateMachine::settings`].
    settings: Map<String, Value>,
}

impl MachineMeta {
    pub(super) fn current(&self) -> &Revision {
        // `revisions` is never empty: it starts with the creation.
        &self.revisions[self.revisions.len() - 1]
    }
}

/// What the management API reports besides the engine's own state: kept per engine.
#[derive(Debug, Default)]
pub(crate) struct Registry {
    pub(super) machines: std::sync::Mutex<HashMap<String, MachineMeta>>,
    activities: std::sync::Mutex<HashMap<String, DateTime<Utc>>>,
    pub(super) tags: std::sync::Mutex<HashMap<String, IndexMap<String, String>>>,
}

/// The name in a machine or activity ARN: what follows `:stateMachine:` or `:activity:`.
fn name_in_arn(arn: &str) -> String {
    arn.rsplit(':').next().unwrap_or(arn).to_owned()
}

impl LocalEngine {
    /// Creates a state machine from its JSON text (`CreateStateMachine`), recording the
    /// text, role, type and tags, and returns its description. As on AWS, creating one
    /// again with the same definition, type and settings returns the existing machine,
    /// whatever the role and tags (which are then left as they were).
    ///
    /// With `publish`, the machine's first revision is published as version 1 at once;
    /// created again alike, the version of its latest revision is given.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidName`], [`Error::InvalidDefinition`] with every diagnostic,
    /// [`Error::StateMachineAlreadyExists`] (same name, another definition, type or
    /// settings),
    /// [`Error::Validation`] for a version description without `publish` or over 256
    /// characters; [`Error::StateMachineDeleting`] while a machine of that name is being
    /// deleted.
    pub fn create_state_machine_from(
        &self,
        create: CreateStateMachine,
    ) -> Result<CreatedStateMachine, Error> {
        check_name(&create.name)?;
        check_publish(create.publish, create.version_description.as_deref())?;
        let definition = self.read_definition(&create.definition, create.machine_type)?;
        let Registered { arn, creation_date } = self.register_machine(NewMachine {
            name: &create.name,
            definition,
            text: &create.definition,
            sent_as_text: true,
            machine_type: create.machine_type,
            role_arn: create.role_arn,
            tags: create.tags,
            settings: create.settings,
        })?;
        let version = if create.publish {
            let description = create.version_description.as_deref();
            Some(self.publish_state_machine_version(&arn, None, description)?)
        } else {
            None
        };
        Ok(CreatedStateMachine {
            state_machine_arn: arn,
            creation_date,
            state_machine_version_arn: version.map(|v| v.state_machine_version_arn),
        })
    }

    /// Registers a machine: the engine's entry, which executions run, and what the
    /// management API reports (its text, role, dates and tags) are written together, so
    /// that a concurrent describe, list or delete sees both or neither. A machine of that
    /// name with the same definition, type and settings is returned as it is; with
    /// another, [`Error::StateMachineAlreadyExists`].
    pub(super) fn register_machine(&self, new: NewMachine<'_>) -> Result<Registered, Error> {
        let NewMachine {
            name,
            definition,
            text,
            sent_as_text,
            machine_type,
            role_arn,
            tags,
            settings,
        } = new;
        let plan = plan::compile(&definition).map_err(|e| Error::InvalidDefinition {
            diagnostics: sfn_core::Diagnostics(vec![e.to_diagnostic()]),
        })?;
        let arn = self.inner.arns.states(format_args!("stateMachine:{name}"));
        self.inner.refuse_deleting(&arn)?;
        let role = role_arn.unwrap_or_else(|| self.inner.arns.role());
        let now = self.inner.clock.now();
        // The order `update_state_machine` and `delete_state_machine` take them in.
        let mut machines = lock(&self.inner.machines);
        let mut metas = lock(&self.inner.registry.machines);
        if let Some(existing) = machines.get(&arn) {
            let meta = metas
                .get(&arn)
                .ok_or_else(|| Error::StateMachineDoesNotExist { arn: arn.clone() })?;
            let same = if sent_as_text {
                *meta.current().definition == *text
            } else {
                *existing.definition == definition
            };
            // The settings too, as AWS's idempotency check has them (the role and the
            // tags it leaves out).
            if !same || existing.machine_type != machine_type || meta.settings != settings {
                return Err(Error::StateMachineAlreadyExists { arn });
            }
            return Ok(Registered {
                arn,
                creation_date: meta.creation_date,
            });
        }
        machines.insert(
            arn.clone(),
            Arc::new(MachineEntry {
                arn: arn.clone(),
                name: name.to_owned(),
                definition: Arc::new(definition),
                plan: Arc::new(plan),
                machine_type,
                revision: 1,
            }),
        );
        metas.insert(
            arn.clone(),
            MachineMeta {
                machine_type,
                creation_date: now,
                revisions: vec![Revision {
                    definition: Arc::from(text),
                    role_arn: Arc::from(role.as_str()),
                    date: now,
                    id: 1,
                    revision_id: None,
                }],
                settings,
            },
        );
        if !tags.is_empty() {
            let mut all = lock(&self.inner.registry.tags);
            add_tags(all.entry(arn.clone()).or_default(), tags);
        }
        Ok(Registered {
            arn,
            creation_date: now,
        })
    }

    /// The role an execution of `machine` runs as: the role of the revision it runs
    /// (the engine's own for a machine the management API does not know).
    pub(super) fn role_of(&self, machine: &MachineEntry) -> Arc<str> {
        let metas = lock(&self.inner.registry.machines);
        metas
            .get(&machine.arn)
            .and_then(|meta| {
                meta.revisions
                    .iter()
                    .find(|r| r.id == machine.revision)
                    .map(|r| r.role_arn.clone())
            })
            .unwrap_or_else(|| Arc::from(self.inner.arns.role()))
    }

    /// Reads and validates a definition's text for a machine of this type, its activity
    /// placeholders resolved: how every definition sent as text is read.
    pub(super) fn read_definition(
        &self,
        text: &str,
        machine_type: ExecutionType,
    ) -> Result<StateMachine, Error> {
        let (machine, diagnostics) = validate_str_with(text, validate_options(machine_type));
        match machine {
            Some(mut machine) if diagnostics.is_valid() => {
                resolve_activity_arns(&mut machine, |name| self.inner.arns.activity(name));
                Ok(machine)
            }
            _ => Err(Error::InvalidDefinition { diagnostics }),
        }
    }

    /// The metadata of a machine.
    pub(super) fn machine_meta(&self, arn: &str) -> Result<MachineMeta, Error> {
        lock(&self.inner.registry.machines)
            .get(arn)
            .cloned()
            .ok_or_else(|| Error::StateMachineDoesNotExist {
                arn: arn.to_owned(),
            })
    }

    /// Describes a state machine's latest revision, or given a version's ARN that version
    /// (`DescribeStateMachine`).
    ///
    /// # Errors
    ///
    /// [`Error::StateMachineDoesNotExist`] (also for a deleted version, and for an
    /// alias's ARN).
    pub fn describe_state_machine(&self, arn: &str) -> Result<StateMachineDescription, Error> {
        let not_found = || Error::StateMachineDoesNotExist {
            arn: arn.to_owned(),
        };
        match self.inner.arns.machine_ref(arn) {
            Some(MachineRef::Version { .. }) => {
                let version = self.version_by_arn(arn).ok_or_else(not_found)?;
                Ok(version.describe_as(arn))
            }
            Some(MachineRef::Alias { .. }) => Err(not_found()),
            Some(MachineRef::Machine { .. }) | None => {
                let meta = self.machine_meta(arn)?;
                let mut d = describe(arn, &meta, meta.current());
                if self.inner.is_deleting(arn) {
                    d.status = StateMachineStatus::Deleting;
                }
                Ok(d)
            }
        }
    }

    /// Describes the machine an execution ran (`DescribeStateMachineForExecution`): the
    /// revision current when it started, even if the machine changed since; for one
    /// started through a version or an alias, the version's revision. A Map Run's child
    /// execution gets its parent machine's.
    ///
    /// # Errors
    ///
    /// [`Error::ExecutionDoesNotExist`]; [`Error::StateMachineDoesNotExist`] when the
    /// machine was deleted.
    pub fn describe_state_machine_for_execution(
        &self,
        execution_arn: &str,
    ) -> Result<StateMachineDescription, Error> {
        let execution = self.execution(execution_arn)?;
        if let Some(version) = execution
            .via
            .version_arn
            .as_deref()
            .and_then(|arn| self.version_by_arn(arn))
        {
            return Ok(version.describe_as(&execution.machine_arn));
        }
        // A child execution's machine is `…:stateMachine:MACHINE/LABEL`.
        let machine_arn = match execution.map_run_arn {
            Some(_) => execution
                .machine_arn
                .split_once('/')
                .map_or(execution.machine_arn.as_str(), |(m, _)| m),
            None => execution.machine_arn.as_str(),
        };
        let metas = lock(&self.inner.registry.machines);
        let meta = metas
            .get(machine_arn)
            .ok_or_else(|| Error::StateMachineDoesNotExist {
                arn: machine_arn.to_owned(),
            })?;
        // The revision it started with; a machine deleted and created again since has
        // revisions of its own, and the first stands in.
        let revision = meta
            .revisions
            .iter()
            .find(|r| r.id == execution.revision)
            .unwrap_or(&meta.revisions[0]);
        Ok(describe(machine_arn, meta, revision))
    }

    /// The machines with their descriptions, in creation order (`ListStateMachines`).
    pub fn list_state_machine_descriptions(&self) -> Vec<StateMachineDescription> {
        self.list_state_machines()
            .iter()
            .filter_map(|arn| self.describe_state_machine(arn).ok())
            .collect()
    }

    /// Changes a machine's definition, role or settings (`UpdateStateMachine`). A change
    /// is a new revision with a new id; a definition, role or setting the same as the
    /// latest's changes nothing (as on AWS, the same text again is no new revision). Running executions
    /// go on with the revision they started with. With `publish`, the latest revision is
    /// then published (or its version given, when it is published already).
    ///
    /// # Errors
    ///
    /// [`Error::StateMachineDoesNotExist`] (also for a version's or an alias's ARN, as
    /// on AWS), [`Error::InvalidDefinition`], [`Error::Validation`] for a version
    /// description without `publish`; as
    /// [`publish_state_machine_version`](Self::publish_state_machine_version);
    /// [`Error::StateMachineDeleting`] while the machine is being deleted.
    pub fn update_state_machine(
        &self,
        arn: &str,
        update: UpdateStateMachine,
    ) -> Result<UpdatedStateMachine, Error> {
        let UpdateStateMachine {
            definition,
            role_arn,
            publish,
            version_description,
            settings,
        } = update;
        let not_found = || Error::StateMachineDoesNotExist {
            arn: arn.to_owned(),
        };
        if let Some(MachineRef::Version { .. } | MachineRef::Alias { .. }) =
            self.inner.arns.machine_ref(arn)
        {
            return Err(not_found());
        }
        check_publish(publish, version_description.as_deref())?;
        self.inner.refuse_deleting(arn)?;
        let meta = self.machine_meta(arn)?;
        let current = meta.current();
        let definition = definition.filter(|d| d.as_str() != &*current.definition);
        let role_arn = role_arn.filter(|r| r.as_str() != &*current.role_arn);
        let compiled = match &definition {
            Some(text) => {
                let machine = self.read_definition(text, meta.machine_type)?;
                let plan = plan::compile(&machine).map_err(|e| Error::InvalidDefinition {
                    diagnostics: sfn_core::Diagnostics(vec![e.to_diagnostic()]),
                })?;
                Some((machine, plan))
            }
            None => None,
        };
        // A setting changed is a new revision too, as on AWS; the same again is none.
        let settings_changed = settings
            .iter()
            .any(|(member, value)| meta.settings.get(member) != Some(value));
        let now = self.inner.clock.now();
        if !settings.is_empty() {
            let mut metas = lock(&self.inner.registry.machines);
            let meta = metas.get_mut(arn).ok_or_else(not_found)?;
            meta.settings.extend(settings);
        }
        let revision_id = if definition.is_none() && role_arn.is_none() && !settings_changed {
            current.revision_id.clone()
        } else {
            let revision_id = Some(self.new_revision_id());
            // The machine and its revision change together: a version published meanwhile
            // sees both or neither.
            let mut machines = lock(&self.inner.machines);
            let old = machines.get(arn).cloned().ok_or_else(not_found)?;
            let mut metas = lock(&self.inner.registry.machines);
            let meta = metas.get_mut(arn).ok_or_else(not_found)?;
            let last = meta.current().clone();
            // A new entry for each revision, a new role alone included: an execution
            // records the revision of the entry it starts.
            let (model, plan) = match compiled {
                Some((machine, plan)) => (Arc::new(machine), Arc::new(plan)),
                None => (old.definition.clone(), old.plan.clone()),
            };
            machines.insert(
                arn.to_owned(),
                Arc::new(MachineEntry {
                    arn: old.arn.clone(),
                    name: old.name.clone(),
                    definition: model,
                    plan,
                    machine_type: old.machine_type,
                    revision: last.id + 1,
                }),
            );
            meta.revisions.push(Revision {
                definition: definition.map_or(last.definition, Arc::from),
                role_arn: role_arn.map_or(last.role_arn, Arc::from),
                date: now,
                id: last.id + 1,
                revision_id: revision_id.clone(),
            });
            revision_id
        };
        let version = if publish {
            let description = version_description.as_deref();
            Some(self.publish_state_machine_version(arn, None, description)?)
        } else {
            None
        };
        Ok(UpdatedStateMachine {
            update_date: now,
            revision_id: revision_id.as_deref().map(str::to_owned),
            state_machine_version_arn: version.map(|v| v.state_machine_version_arn),
        })
    }

    /// Creates an activity (or finds it) and describes it (`CreateActivity`), with tags.
    /// As on AWS, the tags of an activity that exists already are left as they were.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidName`].
    pub fn create_activity_with_tags(
        &self,
        name: &str,
        tags: Vec<(String, String)>,
    ) -> Result<ActivityDescription, Error> {
        check_name(name)?;
        let existed = self
            .inner
            .tasks
            .activity_exists(&self.inner.arns.activity(name));
        let arn = self.create_activity(name)?;
        if !existed && !tags.is_empty() {
            self.tag_resource(&arn, tags)?;
        }
        self.describe_activity(&arn)
    }

    /// Describes an activity (`DescribeActivity`).
    ///
    /// # Errors
    ///
    /// [`Error::ActivityDoesNotExist`].
    pub fn describe_activity(&self, arn: &str) -> Result<ActivityDescription, Error> {
        if !self.inner.tasks.activity_exists(arn) {
            lock(&self.inner.registry.activities).remove(arn);
            return Err(Error::ActivityDoesNotExist {
                arn: arn.to_owned(),
            });
        }
        let creation_date = *lock(&self.inner.registry.activities)
            .entry(arn.to_owned())
            .or_insert_with(|| self.inner.clock.now());
        Ok(ActivityDescription {
            activity_arn: arn.to_owned(),
            name: name_in_arn(arn),
            creation_date,
        })
    }

    /// The activities with their descriptions, oldest first (`ListActivities`).
    pub fn list_activity_descriptions(&self) -> Vec<ActivityDescription> {
        let mut all: Vec<ActivityDescription> = self
            .list_activities()
            .iter()
            .filter_map(|arn| self.describe_activity(arn).ok())
            .collect();
        all.sort_by(|a, b| {
            (a.creation_date, &a.activity_arn).cmp(&(b.creation_date, &b.activity_arn))
        });
        all
    }

    /// Deletes an activity and its tags (`DeleteActivity`). Deleting one that does not
    /// exist does nothing, as on AWS.
    pub fn remove_activity(&self, arn: &str) {
        let _ = self.delete_activity(arn);
        lock(&self.inner.registry.activities).remove(arn);
        lock(&self.inner.registry.tags).remove(arn);
    }

    /// Checks that a machine or activity exists, for the tag operations.
    fn taggable(&self, arn: &str) -> Result<(), Error> {
        if lock(&self.inner.machines).contains_key(arn) {
            return Ok(());
        }
        if self.inner.tasks.activity_exists(arn) {
            return Ok(());
        }
        if arn.contains(":activity:") {
            Err(Error::ActivityDoesNotExist {
                arn: arn.to_owned(),
            })
        } else {
            Err(Error::StateMachineDoesNotExist {
                arn: arn.to_owned(),
            })
        }
    }

    /// Adds tags to a machine or an activity (`TagResource`); a key already there gets
    /// the new value.
    ///
    /// # Errors
    ///
    /// [`Error::StateMachineDoesNotExist`] or [`Error::ActivityDoesNotExist`].
    pub fn tag_resource(&self, arn: &str, tags: Vec<(String, String)>) -> Result<(), Error> {
        self.taggable(arn)?;
        let mut all = lock(&self.inner.registry.tags);
        add_tags(all.entry(arn.to_owned()).or_default(), tags);
        Ok(())
    }

    /// Removes tags from a machine or an activity (`UntagResource`).
    ///
    /// # Errors
    ///
    /// As [`tag_resource`](Self::tag_resource).
    pub fn untag_resource(&self, arn: &str, keys: &[String]) -> Result<(), Error> {
        self.taggable(arn)?;
        if let Some(set) = lock(&self.inner.registry.tags).get_mut(arn) {
            for k in keys {
                set.shift_remove(k);
            }
        }
        Ok(())
    }

    /// The tags of a machine or an activity, in the order they were added
    /// (`ListTagsForResource`).
    ///
    /// # Errors
    ///
    /// As [`tag_resource`](Self::tag_resource).
    pub fn list_tags_for_resource(&self, arn: &str) -> Result<Vec<(String, String)>, Error> {
        self.taggable(arn)?;
        Ok(lock(&self.inner.registry.tags)
            .get(arn)
            .map(|set| set.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default())
    }
}

/// Adds tags to a resource's; a key already there gets the new value.
fn add_tags(set: &mut IndexMap<String, String>, tags: Vec<(String, String)>) {
    for (k, v) in tags {
        set.insert(k, v);
    }
}

/// How a definition is validated for a machine of `machine_type`, whether sent as text or
/// built as a model: with every diagnostic, warnings included, for an
/// [`Error::InvalidDefinition`] to carry.
pub(super) fn validate_options(machine_type: ExecutionType) -> ValidateOptions {
    ValidateOptions {
        machine_type,
        ..ValidateOptions::default()
    }
}

/// Refuses a version description without `publish`, or over 256 characters.
fn check_publish(publish: bool, version_description: Option<&str>) -> Result<(), Error> {
    if !publish && version_description.is_some() {
        return Err(Error::validation(
            "Version description can only be set when publish is true",
        ));
    }
    check_description(version_description)
}

fn describe(arn: &str, meta: &MachineMeta, revision: &Revision) -> StateMachineDescription {
    let mut d = describe_revision(
        arn,
        name_in_arn(arn),
        meta.machine_type,
        meta.creation_date,
        revision,
    );
    d.settings = meta.settings.clone();
    d
}

/// A description of `revision` of the machine `name`, under the ARN `arn`.
pub(super) fn describe_revision(
    arn: &str,
    name: String,
    machine_type: ExecutionType,
    creation_date: DateTime<Utc>,
    revision: &Revision,
) -> StateMachineDescription {
    StateMachineDescription {
        state_machine_arn: arn.to_owned(),
        name,
        definition: revision.definition.to_string(),
        role_arn: revision.role_arn.to_string(),
        machine_type,
        creation_date,
        update_date: revision.date,
        revision_id: revision.revision_id.as_deref().map(str::to_owned),
        description: None,
        settings: Map::new(),
        status: StateMachineStatus::Active,
    }
}
