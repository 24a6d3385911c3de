//! State machines as the management operations see them: creating one with the options
//! `CreateStateMachine` takes (publishing version 1 at once), describing a machine or one
//! of its versions, updating a machine (each change a new revision, with a new id) and
//! deleting it with its versions and aliases.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use sfn_core::StateMachine;

use super::{
    Error, LocalEngine,
    arn::MachineRef,
    engine::{MachineEntry, compile_plan},
    lock,
    versions::check_description,
};

/// A definition as the management operations take it: JSON text, as the API sends it, or
/// a model.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum MachineDefinition {
    /// The definition's JSON text.
    Json(String),
    /// A model, built or read already.
    Model(StateMachine),
}

impl From<String> for MachineDefinition {
    fn from(text: String) -> Self {
        MachineDefinition::Json(text)
    }
}

impl From<&str> for MachineDefinition {
    fn from(text: &str) -> Self {
        MachineDefinition::Json(text.to_owned())
    }
}

impl From<StateMachine> for MachineDefinition {
    fn from(model: StateMachine) -> Self {
        MachineDefinition::Model(model)
    }
}

/// The setters of `publish` and `versionDescription`, which `CreateStateMachine` and
/// `UpdateStateMachine` both take.
macro_rules! publish_setters {
    () => {
        /// Publishes the machine's latest revision as a version, once created or updated
        /// (`publish`).
        pub fn publish(mut self, publish: bool) -> Self {
            self.publish = publish;
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

/// How to create a state machine: what `CreateStateMachine` takes.
///
/// ```
/// use sfn_runtime::local::{CreateStateMachine, LocalEngine};
///
/// let engine = LocalEngine::new();
/// let def = r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}"#;
/// let created = engine.create_state_machine_with(
///     CreateStateMachine::new("orders", def).publish(true).version_description("first"),
/// )?;
/// assert_eq!(
///     created.state_machine_version_arn.as_deref(),
///     Some("arn:aws:states:us-east-1:123456789012:stateMachine:orders:1")
/// );
/// # Ok::<(), sfn_runtime::local::Error>(())
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CreateStateMachine {
    /// The machine's name.
    pub name: String,
    /// Its definition.
    pub definition: MachineDefinition,
    /// Whether to publish the machine as its version 1 at once.
    pub publish: bool,
    /// The description of the version published (only with `publish`).
    pub version_description: Option<String>,
}

impl CreateStateMachine {
    /// A machine named `name` with this definition, not published.
    pub fn new(name: impl Into<String>, definition: impl Into<MachineDefinition>) -> Self {
        CreateStateMachine {
            name: name.into(),
            definition: definition.into(),
            publish: false,
            version_description: None,
        }
    }

    publish_setters!();
}

/// What `CreateStateMachine` answers.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CreatedStateMachine {
    /// The machine's ARN.
    pub state_machine_arn: String,
    /// When the machine was created.
    pub creation_date: DateTime<Utc>,
    /// The version published, when asked to publish.
    pub state_machine_version_arn: Option<String>,
}

/// How to update a state machine: what `UpdateStateMachine` takes.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct UpdateStateMachine {
    /// The new definition.
    pub definition: Option<MachineDefinition>,
    /// Whether to publish the revision the update leaves as a version.
    pub publish: bool,
    /// The description of the version published (only with `publish`).
    pub version_description: Option<String>,
}

impl UpdateStateMachine {
    /// An update that changes nothing yet.
    pub fn new() -> Self {
        UpdateStateMachine::default()
    }

    /// Replaces the definition.
    pub fn definition(mut self, definition: impl Into<MachineDefinition>) -> Self {
        self.definition = Some(definition.into());
        self
    }

    publish_setters!();
}

/// What `UpdateStateMachine` answers.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct UpdatedStateMachine {
    /// When the machine was updated.
    pub update_date: DateTime<Utc>,
    /// The id of the machine's latest revision (none while it is the first).
    pub revision_id: Option<String>,
    /// The version published, when asked to publish.
    pub state_machine_version_arn: Option<String>,
}

/// What `DescribeStateMachine` tells about a machine or one of its versions.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct StateMachineDescription {
    /// The ARN described: the machine's, or the version's.
    pub state_machine_arn: String,
    /// The machine's name.
    pub name: String,
    /// The definition's JSON text: as it was sent, or for a machine made from a model, the
    /// model's JSON (placeholder activity resources resolved).
    pub definition: String,
    /// The role executions run as.
    pub role_arn: String,
    /// When the machine was created, or for a version when it was published.
    pub creation_date: DateTime<Utc>,
    /// The revision's id (none for the machine's first revision).
    pub revision_id: Option<String>,
    /// For a version, its description.
    pub description: Option<String>,
}

/// A message for `versionDescription` given without `publish`.
fn check_publish(publish: bool, version_description: Option<&str>) -> Result<(), Error> {
    if !publish && version_description.is_some() {
        return Err(Error::validation(
            "Version description can only be set when publish is true",
        ));
    }
    check_description(version_description)
}

impl LocalEngine {
    /// Creates a state machine with the options of `CreateStateMachine`: with `publish`,
    /// its first revision is published as version 1 at once. As
    /// [`create_state_machine`](Self::create_state_machine), creating it again with the
    /// same definition returns the machine as it is (and, with `publish`, the version of
    /// its latest revision).
    ///
    /// # Errors
    ///
    /// As [`create_state_machine`](Self::create_state_machine) and
    /// [`create_state_machine_json`](Self::create_state_machine_json);
    /// [`Error::Validation`] for a version description without `publish`, or over 256
    /// characters.
    pub fn create_state_machine_with(
        &self,
        create: CreateStateMachine,
    ) -> Result<CreatedStateMachine, Error> {
        let CreateStateMachine {
            name,
            definition,
            publish,
            version_description,
        } = create;
        check_publish(publish, version_description.as_deref())?;
        let arn = match definition {
            MachineDefinition::Json(text) => self.create_state_machine_json(&name, &text)?,
            MachineDefinition::Model(model) => self.create_state_machine(&name, model)?,
        };
        let version = if publish {
            Some(self.publish_state_machine_version(&arn, None, version_description.as_deref())?)
        } else {
            None
        };
        let creation_date = self.machine_entry(&arn)?.creation_date;
        Ok(CreatedStateMachine {
            state_machine_arn: arn,
            creation_date,
            state_machine_version_arn: version.map(|v| v.state_machine_version_arn),
        })
    }

    /// The latest revision of the machine `arn`.
    fn machine_entry(&self, arn: &str) -> Result<Arc<MachineEntry>, Error> {
        lock(&self.inner.machines).get(arn).cloned().ok_or_else(|| {
            Error::StateMachineDoesNotExist {
                arn: arn.to_owned(),
            }
        })
    }

    /// Describes a machine's latest revision, or given a version's ARN that version
    /// (`DescribeStateMachine`).
    ///
    /// # Errors
    ///
    /// [`Error::StateMachineDoesNotExist`] (also for a deleted version, and for an
    /// alias's ARN); [`Error::InvalidArn`].
    pub fn describe_state_machine(&self, arn: &str) -> Result<StateMachineDescription, Error> {
        let not_found = || Error::StateMachineDoesNotExist {
            arn: arn.to_owned(),
        };
        let (machine, creation_date, description) = match self.machine_ref(arn)? {
            MachineRef::Machine { .. } => {
                let machine = self.machine_entry(arn)?;
                let created = machine.creation_date;
                (machine, created, None)
            }
            MachineRef::Version { name, number } => {
                let version = self
                    .version_entry(&self.inner.arns.machine(name), number)
                    .ok_or_else(not_found)?;
                (
                    version.machine.clone(),
                    version.creation_date,
                    version.description.clone(),
                )
            }
            MachineRef::Alias { .. } => return Err(not_found()),
        };
        Ok(StateMachineDescription {
            state_machine_arn: arn.to_owned(),
            name: machine.name.clone(),
            definition: machine
                .definition_text
                .as_deref()
                .map_or_else(|| machine.definition.to_json(), str::to_owned),
            role_arn: self.inner.arns.role(),
            creation_date,
            revision_id: machine.revision_id.as_deref().map(str::to_owned),
            description,
        })
    }

    /// Updates a machine (`UpdateStateMachine`). A new definition makes a new revision
    /// with a new id; the same definition again leaves the revision as it is. Running
    /// executions go on with the revision they started with. With `publish`, the latest
    /// revision is then published (or its version returned, when it is published already).
    ///
    /// # Errors
    ///
    /// [`Error::StateMachineDoesNotExist`] (also for a version's or an alias's ARN, as
    /// on AWS); [`Error::InvalidArn`]; [`Error::MissingRequiredParameter`] without a
    /// definition; [`Error::InvalidDefinition`]; [`Error::Validation`] for a version
    /// description without `publish`; as
    /// [`publish_state_machine_version`](Self::publish_state_machine_version).
    pub fn update_state_machine(
        &self,
        arn: &str,
        update: UpdateStateMachine,
    ) -> Result<UpdatedStateMachine, Error> {
        let UpdateStateMachine {
            definition,
            publish,
            version_description,
        } = update;
        let MachineRef::Machine { .. } = self.machine_ref(arn)? else {
            return Err(Error::StateMachineDoesNotExist {
                arn: arn.to_owned(),
            });
        };
        self.machine_entry(arn)?;
        check_publish(publish, version_description.as_deref())?;
        let definition = definition.ok_or_else(|| Error::MissingRequiredParameter {
            message: "Either the definition or the role ARN must be given".to_owned(),
        })?;
        let (model, text) = match definition {
            MachineDefinition::Json(text) => (self.read_definition(&text)?, Some(text)),
            MachineDefinition::Model(model) => (self.check_definition(model)?, None),
        };
        let plan = compile_plan(&model)?;
        let now = self.inner.clock.now();
        let revision_id = {
            let mut machines = lock(&self.inner.machines);
            let current =
                machines
                    .get(arn)
                    .cloned()
                    .ok_or_else(|| Error::StateMachineDoesNotExist {
                        arn: arn.to_owned(),
                    })?;
            // A revision changes the definition, as its model or as text.
            let same_text = match (&current.definition_text, &text) {
                (Some(old), Some(new)) => **old == **new,
                _ => true,
            };
            if *current.definition == model && same_text {
                current.revision_id.clone()
            } else {
                let revision_id = Some(self.new_revision_id());
                machines.insert(
                    arn.to_owned(),
                    Arc::new(MachineEntry {
                        arn: current.arn.clone(),
                        name: current.name.clone(),
                        definition: Arc::new(model),
                        definition_text: text.map(Arc::from),
                        plan: Arc::new(plan),
                        revision_id: revision_id.clone(),
                        creation_date: current.creation_date,
                    }),
                );
                revision_id
            }
        };
        let version = if publish {
            Some(self.publish_state_machine_version(arn, None, version_description.as_deref())?)
        } else {
            None
        };
        Ok(UpdatedStateMachine {
            update_date: now,
            revision_id: revision_id.as_deref().map(str::to_owned),
            state_machine_version_arn: version.map(|v| v.state_machine_version_arn),
        })
    }

    /// Deletes a machine with its versions and aliases (`DeleteStateMachine`): none can
    /// be described or started any more; running executions go on. Deleting a machine
    /// that does not exist does nothing, as on AWS.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArn`]; [`Error::Validation`] for a version's or an alias's ARN
    /// (those are deleted with
    /// [`delete_state_machine_version`](Self::delete_state_machine_version) and
    /// [`delete_state_machine_alias`](Self::delete_state_machine_alias)).
    pub fn delete_state_machine(&self, arn: &str) -> Result<(), Error> {
        let MachineRef::Machine { .. } = self.machine_ref(arn)? else {
            return Err(Error::validation(format!(
                "DeleteStateMachine takes a state machine's ARN, not a version's or an alias's: \
                 '{arn}'"
            )));
        };
        let mut machines = lock(&self.inner.machines);
        machines.shift_remove(arn);
        lock(&self.inner.published).remove(arn);
        Ok(())
    }
}
