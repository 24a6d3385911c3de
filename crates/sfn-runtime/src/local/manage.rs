//! Managing resources as the Step Functions API does: what a machine or an activity was
//! created with and when, updating and deleting machines, and tags.
//!
//! The engine runs machines from their models; this module keeps what the management
//! operations report besides (the definition's text as it was sent, the role, the type,
//! creation and update dates, tags), in a [`Registry`] beside the engine's state.

use std::{collections::HashMap, sync::Arc};

use chrono::{DateTime, Utc};
use indexmap::IndexMap;
use sfn_core::{
    StateMachine,
    definition::resolve_activity_arns,
    model::ExecutionType,
    validate::{ValidateOptions, validate_str_with},
};

use super::{
    Error, LocalEngine,
    engine::{MachineEntry, check_name},
    plan,
    sync::lock,
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
        }
    }

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

/// What `DescribeStateMachine` tells about a machine.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct StateMachineDescription {
    /// The machine's ARN.
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
    /// When it was created.
    pub creation_date: DateTime<Utc>,
    /// When its definition or role last changed (its creation date if never).
    pub update_date: DateTime<Utc>,
    /// Changes with every update.
    pub revision_id: String,
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

/// One revision of a machine: what it was between two updates.
#[derive(Debug, Clone)]
struct Revision {
    definition: Arc<str>,
    role_arn: Arc<str>,
    date: DateTime<Utc>,
    id: u64,
}

#[derive(Debug, Clone)]
struct MachineMeta {
    machine_type: ExecutionType,
    creation_date: DateTime<Utc>,
    /// Oldest first; never empty.
    revisions: Vec<Revision>,
}

impl MachineMeta {
    fn current(&self) -> &Revision {
        // `revisions` is never empty: it starts with the creation.
        &self.revisions[self.revisions.len() - 1]
    }
}

/// What the management API reports besides the engine's own state: kept per engine.
#[derive(Debug, Default)]
pub(crate) struct Registry {
    machines: std::sync::Mutex<HashMap<String, MachineMeta>>,
    activities: std::sync::Mutex<HashMap<String, DateTime<Utc>>>,
    tags: std::sync::Mutex<HashMap<String, IndexMap<String, String>>>,
}

/// The name in a machine or activity ARN: what follows `:stateMachine:` or `:activity:`.
fn name_in_arn(arn: &str) -> String {
    arn.rsplit(':').next().unwrap_or(arn).to_owned()
}

impl LocalEngine {
    /// Creates a state machine from its JSON text (`CreateStateMachine`), recording the
    /// text, role, type and tags, and returns its description. As on AWS, creating one
    /// again with the same definition and type returns the existing machine, whatever
    /// the role and tags (which are then left as they were).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidName`], [`Error::InvalidDefinition`] with every diagnostic,
    /// [`Error::StateMachineAlreadyExists`] (same name, another definition or type).
    pub fn create_state_machine_from(
        &self,
        create: CreateStateMachine,
    ) -> Result<StateMachineDescription, Error> {
        check_name(&create.name)?;
        let machine = self.read_definition(&create.definition, create.machine_type)?;
        let role = create.role_arn.unwrap_or_else(|| self.inner.arns.role());
        let arn = self.insert_machine_of_type(&create.name, machine, create.machine_type)?;
        let now = self.inner.clock.now();
        {
            let mut metas = lock(&self.inner.registry.machines);
            match metas.get(&arn) {
                Some(meta) => {
                    let current = meta.current();
                    if *current.definition != *create.definition
                        || meta.machine_type != create.machine_type
                    {
                        return Err(Error::StateMachineAlreadyExists { arn });
                    }
                    return Ok(describe(&arn, meta, current));
                }
                None => {
                    metas.insert(
                        arn.clone(),
                        MachineMeta {
                            machine_type: create.machine_type,
                            creation_date: now,
                            revisions: vec![Revision {
                                definition: Arc::from(create.definition.as_str()),
                                role_arn: Arc::from(role.as_str()),
                                date: now,
                                id: 1,
                            }],
                        },
                    );
                }
            }
        }
        if !create.tags.is_empty() {
            self.tag_resource(&arn, create.tags)?;
        }
        self.describe_state_machine(&arn)
    }

    /// Reads and validates a definition's text for a machine of this type.
    fn read_definition(
        &self,
        text: &str,
        machine_type: ExecutionType,
    ) -> Result<StateMachine, Error> {
        let options = ValidateOptions {
            machine_type,
            warnings: false,
        };
        let (machine, diagnostics) = validate_str_with(text, options);
        match machine {
            Some(mut machine) if diagnostics.is_valid() => {
                resolve_activity_arns(&mut machine, |name| self.inner.arns.activity(name));
                Ok(machine)
            }
            _ => Err(Error::InvalidDefinition { diagnostics }),
        }
    }

    /// The metadata of a machine the engine has, recorded now if it was created through
    /// the engine's own API.
    fn machine_meta(&self, arn: &str) -> Result<MachineMeta, Error> {
        let entry = lock(&self.inner.machines)
            .get(arn)
            .cloned()
            .ok_or_else(|| Error::StateMachineDoesNotExist {
                arn: arn.to_owned(),
            })?;
        let mut metas = lock(&self.inner.registry.machines);
        let meta = metas.entry(arn.to_owned()).or_insert_with(|| {
            let now = self.inner.clock.now();
            MachineMeta {
                machine_type: entry.machine_type,
                creation_date: now,
                revisions: vec![Revision {
                    definition: Arc::from(entry.definition.to_json().as_str()),
                    role_arn: Arc::from(self.inner.arns.role().as_str()),
                    date: now,
                    id: 1,
                }],
            }
        });
        Ok(meta.clone())
    }

    /// Describes a state machine (`DescribeStateMachine`).
    ///
    /// # Errors
    ///
    /// [`Error::StateMachineDoesNotExist`].
    pub fn describe_state_machine(&self, arn: &str) -> Result<StateMachineDescription, Error> {
        let meta = self.machine_meta(arn)?;
        Ok(describe(arn, &meta, meta.current()))
    }

    /// Describes the machine an execution ran (`DescribeStateMachineForExecution`): the
    /// revision current when it started, even if the machine changed since. A Map Run's
    /// child execution gets its parent machine's.
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
        // A child execution's machine is `…:stateMachine:MACHINE/LABEL`.
        let machine_arn = match execution.map_run_arn {
            Some(_) => execution
                .machine_arn
                .split_once('/')
                .map_or(execution.machine_arn.as_str(), |(m, _)| m),
            None => execution.machine_arn.as_str(),
        };
        let meta = self.machine_meta(machine_arn)?;
        let revision = meta
            .revisions
            .iter()
            .rev()
            .find(|r| r.date <= execution.start)
            .unwrap_or(&meta.revisions[0]);
        Ok(describe(machine_arn, &meta, revision))
    }

    /// The machines with their descriptions, in creation order (`ListStateMachines`).
    pub fn list_state_machine_descriptions(&self) -> Vec<StateMachineDescription> {
        self.list_state_machines()
            .iter()
            .filter_map(|arn| self.describe_state_machine(arn).ok())
            .collect()
    }

    /// Changes a machine's definition or role (`UpdateStateMachine`) and returns the
    /// update date. Running executions go on with the definition they started with.
    ///
    /// # Errors
    ///
    /// [`Error::StateMachineDoesNotExist`], [`Error::InvalidDefinition`].
    pub fn update_state_machine(
        &self,
        arn: &str,
        definition: Option<&str>,
        role_arn: Option<&str>,
    ) -> Result<DateTime<Utc>, Error> {
        let meta = self.machine_meta(arn)?;
        let current = meta.current().clone();
        if let Some(text) = definition {
            let machine = self.read_definition(text, meta.machine_type)?;
            let plan = plan::compile(&machine).map_err(|e| Error::InvalidDefinition {
                diagnostics: sfn_core::Diagnostics(vec![e.to_diagnostic()]),
            })?;
            let mut machines = lock(&self.inner.machines);
            let Some(old) = machines.get(arn).cloned() else {
                return Err(Error::StateMachineDoesNotExist {
                    arn: arn.to_owned(),
                });
            };
            machines.insert(
                arn.to_owned(),
                Arc::new(MachineEntry {
                    arn: old.arn.clone(),
                    name: old.name.clone(),
                    definition: Arc::new(machine),
                    plan: Arc::new(plan),
                    machine_type: old.machine_type,
                }),
            );
        }
        let now = self.inner.clock.now();
        let mut metas = lock(&self.inner.registry.machines);
        let Some(meta) = metas.get_mut(arn) else {
            return Err(Error::StateMachineDoesNotExist {
                arn: arn.to_owned(),
            });
        };
        meta.revisions.push(Revision {
            definition: definition.map_or(current.definition, Arc::from),
            role_arn: role_arn.map_or(current.role_arn, Arc::from),
            date: now,
            id: current.id + 1,
        });
        Ok(now)
    }

    /// Deletes a state machine (`DeleteStateMachine`): it can no longer be described or
    /// started; its executions run on. Deleting one that does not exist does nothing,
    /// as on AWS.
    pub fn delete_state_machine(&self, arn: &str) {
        lock(&self.inner.machines).shift_remove(arn);
        lock(&self.inner.registry.machines).remove(arn);
        lock(&self.inner.registry.tags).remove(arn);
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
        let set = all.entry(arn.to_owned()).or_default();
        for (k, v) in tags {
            set.insert(k, v);
        }
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

fn describe(arn: &str, meta: &MachineMeta, revision: &Revision) -> StateMachineDescription {
    StateMachineDescription {
        state_machine_arn: arn.to_owned(),
        name: name_in_arn(arn),
        definition: revision.definition.to_string(),
        role_arn: revision.role_arn.to_string(),
        machine_type: meta.machine_type,
        creation_date: meta.creation_date,
        update_date: revision.date,
        revision_id: format!("{:032x}", revision.id),
    }
}
