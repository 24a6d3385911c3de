//! State machine aliases, as AWS keeps them: a name (`…:stateMachine:NAME:PROD`) that
//! routes each execution started through it to one of one or two versions of the same
//! machine, picked at random by weight.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::{
    Error, LocalEngine,
    arn::MachineRef,
    lock,
    versions::{MachineVersions, check_description, invalid_arn},
};

/// The most aliases AWS lets a machine have.
pub const MAX_ALIASES: usize = 100;

/// The longest alias name, in characters.
const MAX_ALIAS_NAME_CHARS: usize = 80;

/// The pattern AWS checks alias names against, as its messages quote it.
const ALIAS_NAME_PATTERN: &str = r"^(?=.*[a-zA-Z_\-\.])[a-zA-Z0-9_\-\.]+$";

/// One route of an alias: a version and the share of executions it gets, in percent.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct RoutingConfig {
    /// The version's ARN.
    pub state_machine_version_arn: String,
    /// The percentage of executions routed to it (0 to 100; an alias's weights sum to
    /// 100).
    pub weight: u32,
}

impl RoutingConfig {
    /// Routes `weight` percent of the executions to the version `state_machine_version_arn`.
    pub fn new(state_machine_version_arn: impl Into<String>, weight: u32) -> Self {
        RoutingConfig {
            state_machine_version_arn: state_machine_version_arn.into(),
            weight,
        }
    }
}

/// What `DescribeStateMachineAlias` tells about an alias (and, in part,
/// `CreateStateMachineAlias` and `ListStateMachineAliases`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AliasDescription {
    /// The alias's ARN: the machine's, a colon and the alias's name.
    pub state_machine_alias_arn: String,
    /// The alias's name.
    pub name: String,
    /// Its description.
    pub description: Option<String>,
    /// The versions it routes to, with their weights, as given.
    pub routing_configuration: Vec<RoutingConfig>,
    /// When it was created.
    pub creation_date: DateTime<Utc>,
    /// When it was last updated (its creation date if never).
    pub update_date: DateTime<Utc>,
}

/// An alias the engine keeps.
pub(super) struct AliasEntry {
    pub(super) arn: Arc<str>,
    pub(super) name: String,
    description: Option<String>,
    routing: Vec<RoutingConfig>,
    /// The version number of each route, in the order of `routing`.
    numbers: Vec<u64>,
    creation_date: DateTime<Utc>,
    update_date: DateTime<Utc>,
}

impl AliasEntry {
    /// Whether the alias routes executions to the version `number` (a route of weight 0
    /// counts: the version is still referenced).
    pub(super) fn routes_to(&self, number: u64) -> bool {
        self.numbers.contains(&number)
    }

    /// The version of the alias's first route.
    pub(super) fn first_version(&self) -> Option<u64> {
        self.numbers.first().copied()
    }

    /// A version for one execution, picked at random by weight.
    pub(super) fn pick(&self, rng: &mut fastrand::Rng) -> u64 {
        let roll = rng.u32(0..100);
        let mut bound = 0;
        for (route, &number) in self.routing.iter().zip(&self.numbers) {
            bound += route.weight;
            if roll < bound {
                return number;
            }
        }
        // The weights sum to 100: not reached.
        self.numbers.last().copied().unwrap_or(0)
    }

    fn describe(&self) -> AliasDescription {
        AliasDescription {
            state_machine_alias_arn: self.arn.to_string(),
            name: self.name.clone(),
            description: self.description.clone(),
            routing_configuration: self.routing.clone(),
            creation_date: self.creation_date,
            update_date: self.update_date,
        }
    }
}

/// A routing configuration that passed AWS's checks: the machine its versions belong to
/// and the version number of each route.
struct Routing {
    machine_arn: String,
    numbers: Vec<u64>,
}

impl Routing {
    /// Checks that each version routed to is published and not deleted, under the lock
    /// that keeps it so.
    fn check_published(
        &self,
        record: Option<&MachineVersions>,
        routing: &[RoutingConfig],
    ) -> Result<(), Error> {
        for (route, number) in routing.iter().zip(&self.numbers) {
            if !record.is_some_and(|r| r.versions.contains_key(number)) {
                return Err(Error::ResourceNotFound {
                    arn: route.state_machine_version_arn.clone(),
                });
            }
        }
        Ok(())
    }
}

/// Checks an alias name against AWS's pattern and length.
fn check_alias_name(name: &str) -> Result<(), Error> {
    let constraint = if name.is_empty() {
        Some("Member must have length greater than or equal to 1".to_owned())
    } else if name.chars().count() > MAX_ALIAS_NAME_CHARS {
        Some(format!(
            "Member must have length less than or equal to {MAX_ALIAS_NAME_CHARS}"
        ))
    } else {
        let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.');
        let has_non_digit = name.chars().any(|c| !c.is_ascii_digit());
        (!(name.chars().all(allowed) && has_non_digit)).then(|| {
            format!("Member must satisfy regular expression pattern: {ALIAS_NAME_PATTERN}")
        })
    };
    match constraint {
        None => Ok(()),
        Some(c) => Err(Error::validation(format!(
            "1 validation error detected: Value '{name}' at 'name' failed to satisfy constraint: {c}"
        ))),
    }
}

impl LocalEngine {
    /// Checks a routing configuration as AWS does: one or two routes, weights of at most
    /// 100 summing to 100, distinct versions of one machine. Whether they exist is
    /// [`Routing::check_published`]'s to say.
    fn check_routing(&self, routing: &[RoutingConfig]) -> Result<Routing, Error> {
        let arns = || {
            let all: Vec<&str> = routing
                .iter()
                .map(|r| r.state_machine_version_arn.as_str())
                .collect();
            format!("[{}]", all.join(", "))
        };
        if routing.is_empty() || routing.len() > 2 {
            let bound = if routing.is_empty() {
                "greater than or equal to 1"
            } else {
                "less than or equal to 2"
            };
            // AWS quotes the list as its Java model prints it.
            let items: Vec<String> = routing
                .iter()
                .map(|r| {
                    format!(
                        "RoutingConfigurationListItem(stateMachineVersionArn={}, weight={})",
                        r.state_machine_version_arn, r.weight
                    )
                })
                .collect();
            return Err(Error::validation(format!(
                "1 validation error detected: Value '[{}]' at 'routingConfiguration' failed to \
                 satisfy constraint: Member must have length {bound}",
                items.join(", ")
            )));
        }
        for (i, route) in routing.iter().enumerate() {
            if route.weight > 100 {
                return Err(Error::validation(format!(
                    "1 validation error detected: Value '{}' at 'routingConfiguration.{}.member.weight' \
                     failed to satisfy constraint: Member must have value less than or equal to 100",
                    route.weight,
                    i + 1
                )));
            }
        }
        let mut versions = Vec::with_capacity(routing.len());
        for route in routing {
            match self
                .inner
                .arns
                .machine_ref(&route.state_machine_version_arn)
            {
                Some(MachineRef::Version { name, number }) if !name.contains('/') => {
                    versions.push((name, number));
                }
                _ => {
                    return Err(Error::validation(format!(
                        "Routing configuration must contain state machine version ARNs. Received: {}",
                        arns()
                    )));
                }
            }
        }
        if versions.len() == 2 && versions[0] == versions[1] {
            return Err(Error::validation(format!(
                "Routing configuration must contain distinct state machine version ARNs. Received: {}",
                arns()
            )));
        }
        if versions.iter().any(|(name, _)| *name != versions[0].0) {
            return Err(Error::validation(format!(
                "Routing configuration must contain versions of the same state machine. Received: {}",
                arns()
            )));
        }
        let sum: u32 = routing.iter().map(|r| r.weight).sum();
        if sum != 100 {
            let weights: Vec<String> = routing.iter().map(|r| r.weight.to_string()).collect();
            return Err(Error::validation(format!(
                "Sum of routing configuration weights must equal 100. Received: [{}]",
                weights.join(", ")
            )));
        }
        Ok(Routing {
            machine_arn: self.inner.arns.machine(versions[0].0),
            numbers: versions.into_iter().map(|(_, n)| n).collect(),
        })
    }

    /// Creates an alias of the machine whose versions `routing` names
    /// (`CreateStateMachineAlias`) and describes it. As on AWS it is idempotent: creating
    /// it again with the same description and routing returns the alias as it is.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use serde_json::json;
    /// use sfn_runtime::local::{
    ///     CreateStateMachine, LocalEngine, RoutingConfig, StartExecution, UpdateStateMachine,
    ///     VirtualClock,
    /// };
    ///
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let engine = LocalEngine::with_clock(Arc::new(VirtualClock::default()));
    /// let pass = |r: &str| format!(r#"{{"StartAt": "P", "States": {{"P": {{"Type": "Pass", "Result": "{r}", "End": true}}}}}}"#);
    /// let machine = engine
    ///     .create_state_machine_from(CreateStateMachine::new("orders", pass("v1")).publish(true))?
    ///     .state_machine_arn;
    /// let v2 = engine
    ///     .update_state_machine(&machine, UpdateStateMachine::new().definition(pass("v2")).publish(true))?
    ///     .state_machine_version_arn
    ///     .unwrap_or_default();
    /// // Nine executions in ten run version 1, one in ten version 2.
    /// let alias = engine.create_state_machine_alias(
    ///     "PROD",
    ///     Some("production"),
    ///     &[RoutingConfig::new(format!("{machine}:1"), 90), RoutingConfig::new(v2, 10)],
    /// )?;
    /// assert_eq!(alias.state_machine_alias_arn, format!("{machine}:PROD"));
    /// let run = engine
    ///     .start_execution(&alias.state_machine_alias_arn, StartExecution::new(json!({})))
    ///     .await?;
    /// let done = run.wait().await?;
    /// assert_eq!(done.state_machine_alias_arn, Some(alias.state_machine_alias_arn));
    /// assert!(done.state_machine_version_arn.is_some());
    /// # Ok::<(), sfn_runtime::local::Error>(())
    /// # }).unwrap();
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Validation`] for a name AWS refuses (1 to 80 letters, digits, `_`, `-`,
    /// `.`, not only digits), a description over 256 characters or a routing
    /// configuration AWS refuses;
    /// [`Error::ResourceNotFound`] for a version that does not exist;
    /// [`Error::Conflict`] when an alias of that name exists with another description or
    /// routing; [`Error::ServiceQuotaExceeded`] past 100 aliases;
    /// [`Error::StateMachineDeleting`] while the machine is being deleted.
    pub fn create_state_machine_alias(
        &self,
        name: &str,
        description: Option<&str>,
        routing: &[RoutingConfig],
    ) -> Result<AliasDescription, Error> {
        check_alias_name(name)?;
        check_description(description)?;
        let checked = self.check_routing(routing)?;
        self.inner.refuse_deleting(&checked.machine_arn)?;
        let mut published = lock(&self.inner.published);
        checked.check_published(published.get(&checked.machine_arn), routing)?;
        let Routing {
            machine_arn,
            numbers,
        } = checked;
        let record = published.entry(machine_arn.clone()).or_default();
        if let Some(existing) = record.aliases.get(name) {
            if existing.description.as_deref() == description && existing.routing == routing {
                return Ok(existing.describe());
            }
            return Err(Error::Conflict {
                message: "Failed to create alias because an alias with the same name and a \
                          different routing configuration already exists."
                    .to_owned(),
            });
        }
        if record.aliases.len() >= MAX_ALIASES {
            return Err(Error::ServiceQuotaExceeded {
                message: format!(
                    "The state machine {machine_arn} has the most aliases allowed ({MAX_ALIASES})"
                ),
            });
        }
        let now = self.inner.clock.now();
        let alias = AliasEntry {
            arn: Arc::from(format!("{machine_arn}:{name}")),
            name: name.to_owned(),
            description: description.map(str::to_owned),
            routing: routing.to_vec(),
            numbers,
            creation_date: now,
            update_date: now,
        };
        let description = alias.describe();
        record.aliases.insert(name.to_owned(), alias);
        Ok(description)
    }

    /// The machine's ARN and the alias's name in an alias ARN.
    fn alias_ref(&self, alias_arn: &str) -> Result<(String, String), Error> {
        match self.machine_ref(alias_arn)? {
            MachineRef::Alias { name, alias } => {
                Ok((self.inner.arns.machine(name), alias.to_owned()))
            }
            _ => Err(invalid_arn(alias_arn, "not an alias's ARN")),
        }
    }

    /// Describes an alias (`DescribeStateMachineAlias`).
    ///
    /// # Errors
    ///
    /// [`Error::ResourceNotFound`]; [`Error::InvalidArn`] for an ARN that is not an
    /// alias's.
    pub fn describe_state_machine_alias(&self, alias_arn: &str) -> Result<AliasDescription, Error> {
        let (machine_arn, name) = self.alias_ref(alias_arn)?;
        lock(&self.inner.published)
            .get(&machine_arn)
            .and_then(|r| r.aliases.get(&name))
            .map(AliasEntry::describe)
            .ok_or_else(|| Error::ResourceNotFound {
                arn: alias_arn.to_owned(),
            })
    }

    /// Changes an alias's description, routing or both (`UpdateStateMachineAlias`) and
    /// returns the update date. Executions started from then on follow the new routing.
    ///
    /// # Errors
    ///
    /// [`Error::ResourceNotFound`]; [`Error::InvalidArn`];
    /// [`Error::MissingRequiredParameter`] when neither is given;
    /// [`Error::StateMachineDeleting`] while the machine is being deleted; as
    /// [`create_state_machine_alias`](Self::create_state_machine_alias) for the
    /// description and routing, which must name versions of the alias's machine.
    pub fn update_state_machine_alias(
        &self,
        alias_arn: &str,
        description: Option<&str>,
        routing: Option<&[RoutingConfig]>,
    ) -> Result<DateTime<Utc>, Error> {
        let (machine_arn, name) = self.alias_ref(alias_arn)?;
        self.inner.refuse_deleting(&machine_arn)?;
        if description.is_none() && routing.is_none() {
            return Err(Error::MissingRequiredParameter {
                message: "Either the description or the routing configuration must be given"
                    .to_owned(),
            });
        }
        check_description(description)?;
        let checked = routing.map(|r| self.check_routing(r)).transpose()?;
        if checked
            .as_ref()
            .is_some_and(|c| c.machine_arn != machine_arn)
        {
            return Err(Error::validation(format!(
                "Routing configuration must contain versions of the alias's state machine \
                 {machine_arn}"
            )));
        }
        let mut published = lock(&self.inner.published);
        if let (Some(checked), Some(routing)) = (&checked, routing) {
            checked.check_published(published.get(&machine_arn), routing)?;
        }
        let alias = published
            .get_mut(&machine_arn)
            .and_then(|r| r.aliases.get_mut(&name))
            .ok_or_else(|| Error::ResourceNotFound {
                arn: alias_arn.to_owned(),
            })?;
        let now = self.inner.clock.now();
        if let Some(d) = description {
            alias.description = Some(d.to_owned());
        }
        if let (Some(routing), Some(checked)) = (routing, checked) {
            alias.routing = routing.to_vec();
            alias.numbers = checked.numbers;
        }
        alias.update_date = now;
        Ok(now)
    }

    /// Deletes an alias (`DeleteStateMachineAlias`); its versions stay. Deleting an alias
    /// that does not exist does nothing, as on AWS.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArn`] for an ARN that is not an alias's.
    pub fn delete_state_machine_alias(&self, alias_arn: &str) -> Result<(), Error> {
        let (machine_arn, name) = self.alias_ref(alias_arn)?;
        if let Some(record) = lock(&self.inner.published).get_mut(&machine_arn) {
            record.aliases.shift_remove(&name);
        }
        Ok(())
    }

    /// The aliases of a machine, oldest first, as AWS lists them
    /// (`ListStateMachineAliases`); given a version's ARN, the aliases that route to it.
    ///
    /// # Errors
    ///
    /// [`Error::StateMachineDoesNotExist`]; [`Error::ResourceNotFound`] for a version
    /// that does not exist; [`Error::InvalidArn`] for an ARN that is neither a machine's
    /// nor a version's; [`Error::StateMachineDeleting`] while the machine is being
    /// deleted.
    pub fn list_state_machine_aliases(
        &self,
        machine_arn: &str,
    ) -> Result<Vec<AliasDescription>, Error> {
        let (name, version) = match self.machine_ref(machine_arn)? {
            MachineRef::Machine { name } => (name, None),
            MachineRef::Version { name, number } => (name, Some(number)),
            MachineRef::Alias { .. } => {
                return Err(invalid_arn(
                    machine_arn,
                    "not a state machine's or a version's ARN",
                ));
            }
        };
        let machine = self.inner.arns.machine(name);
        if !lock(&self.inner.machines).contains_key(&machine) {
            return Err(Error::StateMachineDoesNotExist {
                arn: machine_arn.to_owned(),
            });
        }
        self.inner.refuse_deleting(&machine)?;
        if version.is_some_and(|n| self.version_entry(&machine, n).is_none()) {
            return Err(Error::ResourceNotFound {
                arn: machine_arn.to_owned(),
            });
        }
        Ok(lock(&self.inner.published)
            .get(&machine)
            .map(|r| {
                r.aliases
                    .values()
                    .filter(|a| version.is_none_or(|n| a.routes_to(n)))
                    .map(AliasEntry::describe)
                    .collect()
            })
            .unwrap_or_default())
    }
}
