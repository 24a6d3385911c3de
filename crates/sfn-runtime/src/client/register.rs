//! Registration: a machine and the activities it calls, created or brought up to date in
//! one call, and removed again, exactly what was registered and nothing else.
//!
//! Activities a registration creates carry the tag [`REGISTERED_BY`] with the machine's
//! name. Deregistering deletes the machine and, of the activities its definition calls,
//! only those with that tag and value: never an activity somebody else created, never by
//! a name prefix, and never anything with an empty prefix.

use std::{fmt, future::IntoFuture};

use serde_json::Value;
use sfn_core::{definition, model::ExecutionType};

use super::{
    CreateStateMachine, Error, LoggingConfig, Sfn, StateMachineInfo, Tag, UpdateStateMachine,
    names, sfn::is_arn,
};
use crate::{activity::BoxFuture, definition::StateMachineDefinition};

/// The tag a registration puts on the activities it creates, with the machine's name as
/// its value.
pub const REGISTERED_BY: &str = "sfn:registered-by";

/// What a registration did, or would do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Outcome {
    /// The machine did not exist and was created.
    Created,
    /// The machine existed and was changed.
    Updated,
    /// The machine existed as asked.
    Unchanged,
}

impl Outcome {
    /// `created`, `updated` or `unchanged`.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Created => "created",
            Outcome::Updated => "updated",
            Outcome::Unchanged => "unchanged",
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An activity a registration made sure of.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RegisteredActivity {
    /// Its full name (with the prefix).
    pub name: String,
    /// Its ARN.
    pub activity_arn: String,
    /// Whether this registration created it (rather than finding it).
    pub created: bool,
}

/// What [`Register::send`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Registration {
    /// The machine's name.
    pub name: String,
    /// The machine's ARN.
    pub state_machine_arn: String,
    /// Whether the machine was created, updated or left as it was.
    pub outcome: Outcome,
    /// The activities its definition calls.
    pub activities: Vec<RegisteredActivity>,
    /// The version published, when one was.
    pub state_machine_version_arn: Option<String>,
}

impl fmt::Display for Registration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} {}: {}",
            self.outcome, self.name, self.state_machine_arn
        )?;
        if let Some(v) = &self.state_machine_version_arn {
            writeln!(f, "  version {v}")?;
        }
        for a in &self.activities {
            let what = if a.created { "created" } else { "exists" };
            writeln!(f, "  activity {} ({what}): {}", a.name, a.activity_arn)?;
        }
        Ok(())
    }
}

/// One difference between the machine as it is and as it would be registered.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Change {
    /// What differs: `definition` (with the JSON Pointer of the member), `roleArn`,
    /// `type`, `loggingConfiguration`, `tracingConfiguration`, `tags`, `activity`.
    pub what: String,
    /// As it is (none: absent).
    pub before: Option<Value>,
    /// As it would be (none: removed).
    pub after: Option<Value>,
}

/// What a registration would do: [`Register::dry_run`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Plan {
    /// The machine's name.
    pub name: String,
    /// What would happen to the machine.
    pub outcome: Outcome,
    /// The differences: the definition as a JSON diff, then the settings, then the
    /// activities to create.
    pub changes: Vec<Change>,
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verb = match self.outcome {
            Outcome::Created => "would create",
            Outcome::Updated => "would update",
            Outcome::Unchanged => "would leave unchanged",
        };
        writeln!(f, "{verb} {}", self.name)?;
        let show = |v: &Option<Value>| v.as_ref().map_or("(none)".to_owned(), Value::to_string);
        for c in &self.changes {
            match (&c.before, &c.after) {
                (None, Some(_)) => writeln!(f, "  + {}: {}", c.what, show(&c.after))?,
                (Some(_), None) => writeln!(f, "  - {}: {}", c.what, show(&c.before))?,
                _ => writeln!(
                    f,
                    "  ~ {}: {} -> {}",
                    c.what,
                    show(&c.before),
                    show(&c.after)
                )?,
            }
        }
        Ok(())
    }
}

/// What [`Sfn::deregister_machine`] removed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Deregistered {
    /// The machine deleted; none when there was none.
    pub state_machine_arn: Option<String>,
    /// The activities deleted: those the registration had created.
    pub activities_deleted: Vec<String>,
    /// The activities the machine calls that were kept: not created by its registration.
    pub activities_kept: Vec<String>,
}

impl fmt::Display for Deregistered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.state_machine_arn {
            Some(arn) => writeln!(f, "deleted {arn}")?,
            None => writeln!(f, "no such state machine")?,
        }
        for a in &self.activities_deleted {
            writeln!(f, "  deleted activity {a}")?;
        }
        for a in &self.activities_kept {
            writeln!(f, "  kept activity {a} (not created by this registration)")?;
        }
        Ok(())
    }
}

impl Sfn {
    /// Registers the machine `M` and its activities: see [`Register`].
    pub fn register<M: StateMachineDefinition>(&self) -> Register<'_> {
        let mut r = self.register_definition(M::NAME, M::ASL);
        r.machine_type = M::MACHINE_TYPE;
        r
    }

    /// Registers the machine `name` with the definition `definition` (ASL text), and the
    /// activities it names with placeholder resources (`arn:aws:states:::activity:NAME`):
    /// see [`Register`].
    pub fn register_definition(
        &self,
        name: impl Into<String>,
        definition: impl Into<String>,
    ) -> Register<'_> {
        Register {
            sfn: self,
            name: name.into(),
            definition: definition.into(),
            machine_type: ExecutionType::Standard,
            role_arn: None,
            tags: Vec::new(),
            logging: None,
            tracing: false,
            publish: false,
            version_description: None,
            prefix: String::new(),
        }
    }

    /// Deregisters the machine `M`: see [`Sfn::deregister_machine`].
    ///
    /// # Errors
    ///
    /// As [`Sfn::deregister_machine`].
    pub async fn deregister<M: StateMachineDefinition>(&self) -> Result<Deregistered, Error> {
        self.deregister_machine(M::NAME).await
    }

    /// Deletes the machine `name_or_arn` and the activities its registration created:
    /// of the activities its definition calls, those tagged [`REGISTERED_BY`] with the
    /// machine's name. Nothing else. A machine that does not exist is not an error
    /// (`state_machine_arn` is none). As on AWS, a machine with running executions is
    /// `DELETING` until they end: it cannot be started or registered again meanwhile
    /// ([`Error::StateMachineDeleting`]), and its Standard executions fail at their next
    /// state transition.
    ///
    /// # Errors
    ///
    /// What the service answers.
    pub async fn deregister_machine(&self, name_or_arn: &str) -> Result<Deregistered, Error> {
        let mut out = Deregistered {
            state_machine_arn: None,
            activities_deleted: Vec::new(),
            activities_kept: Vec::new(),
        };
        let Some(arn) = self.find_state_machine(name_or_arn).await? else {
            return Ok(out);
        };
        let machine = match self.backend.describe_state_machine(&arn).await {
            Ok(m) => m,
            Err(Error::StateMachineDoesNotExist { .. }) => return Ok(out),
            Err(e) => return Err(e),
        };
        let activities = sfn_core::parse::parse_str(&machine.definition)
            .machine
            .map(|m| definition::activity_resources(&m))
            .unwrap_or_default();
        self.backend.delete_state_machine(&arn).await?;
        out.state_machine_arn = Some(arn);
        for activity in activities
            .into_iter()
            .filter(|a| is_arn(a) && !a.contains(":::"))
        {
            let tags = match self.backend.list_tags(&activity).await {
                Ok(t) => t,
                Err(Error::ResourceNotFound { .. } | Error::ActivityDoesNotExist { .. }) => {
                    continue;
                }
                Err(e) => return Err(e),
            };
            let ours = tags
                .iter()
                .any(|t| t.key == REGISTERED_BY && t.value == machine.name);
            if ours {
                self.backend.delete_activity(&activity).await?;
                out.activities_deleted.push(activity);
            } else {
                out.activities_kept.push(activity);
            }
        }
        Ok(out)
    }
}

/// A registration of a machine and its activities: created, or updated to match, or left
/// as it is; [`send`](Register::send) does it, [`dry_run`](Register::dry_run) tells what
/// it would do. Awaiting the builder sends it.
///
/// On AWS a role ARN is required ([`role_arn`](Register::role_arn)); the embedded engine
/// uses its own when none is given.
#[derive(Debug)]
#[must_use = "a registration does nothing until sent or awaited"]
pub struct Register<'a> {
    sfn: &'a Sfn,
    name: String,
    definition: String,
    machine_type: ExecutionType,
    role_arn: Option<String>,
    tags: Vec<Tag>,
    logging: Option<LoggingConfig>,
    tracing: bool,
    publish: bool,
    version_description: Option<String>,
    prefix: String,
}

/// What a registration needs, worked out before anything changes.
struct Prepared {
    definition: String,
    role_arn: String,
    /// Each activity: its full name, and its ARN when it exists.
    activities: Vec<(String, Option<String>)>,
    /// The machine as it is, when it exists, with its tags.
    existing: Option<(StateMachineInfo, Vec<Tag>)>,
}

impl Register<'_> {
    /// The IAM role the machine's executions run as (required on AWS unless the client
    /// has one: [`Sfn::with_role_arn`]).
    pub fn role_arn(mut self, role_arn: impl Into<String>) -> Self {
        self.role_arn = Some(role_arn.into());
        self
    }

    /// Standard (the default for a definition) or Express.
    pub fn machine_type(mut self, machine_type: ExecutionType) -> Self {
        self.machine_type = machine_type;
        self
    }

    /// A tag on the machine (set when created, added or changed when updated; tags not
    /// named here are left alone).
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.tags.push(Tag::new(key, value));
        self
    }

    /// The machine's logging.
    pub fn logging(mut self, logging: LoggingConfig) -> Self {
        self.logging = Some(logging);
        self
    }

    /// X-Ray tracing on or off (off by default).
    pub fn tracing(mut self, enabled: bool) -> Self {
        self.tracing = enabled;
        self
    }

    /// Publishes a version when the machine is created or changed, with `description`.
    pub fn publish(mut self, description: Option<&str>) -> Self {
        self.publish = true;
        self.version_description = description.map(str::to_owned);
        self
    }

    /// A prefix put before every activity's name, as sfini's `ActivityRegistration`
    /// prefix: the activity `add` is registered as `{prefix}add`. Workers must use the
    /// same prefix.
    pub fn activity_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// What the registration would do, without changing anything.
    ///
    /// # Errors
    ///
    /// As [`send`](Register::send), but for the changes themselves.
    pub async fn dry_run(self) -> Result<Plan, Error> {
        let prepared = self.prepare().await?;
        let mut changes = Vec::new();
        for (name, arn) in &prepared.activities {
            if arn.is_none() {
                changes.push(Change {
                    what: "activity".into(),
                    before: None,
                    after: Some(Value::String(name.clone())),
                });
            }
        }
        let outcome = match &prepared.existing {
            None => Outcome::Created,
            Some((machine, tags)) => {
                let mut diff = self.differences(&prepared, machine, tags)?;
                diff.append(&mut changes);
                changes = diff;
                if changes.is_empty() {
                    Outcome::Unchanged
                } else {
                    Outcome::Updated
                }
            }
        };
        Ok(Plan {
            name: self.name,
            outcome,
            changes,
        })
    }

    /// Registers: creates the activities that do not exist (tagged [`REGISTERED_BY`]),
    /// then creates the machine, or updates it where it differs (definition, role,
    /// logging, tracing; tags added or changed), or leaves it as it is.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidDefinition`] with the diagnostics when the definition is not
    /// valid (nothing is sent); [`Error::InvalidArgument`] for a name that is not valid,
    /// a missing role ARN on AWS, or a change of type (Standard and Express cannot be
    /// changed into each other: deregister first); what the service answers.
    pub async fn send(self) -> Result<Registration, Error> {
        let mut prepared = self.prepare().await?;
        let machine_tag = [Tag::new(REGISTERED_BY, self.name.clone())];
        let mut activities = Vec::with_capacity(prepared.activities.len());
        for (name, arn) in &prepared.activities {
            let (activity_arn, created) = match arn {
                Some(arn) => (arn.clone(), false),
                None => (
                    self.sfn.backend.create_activity(name, &machine_tag).await?,
                    true,
                ),
            };
            prepared.definition = resolve(&prepared.definition, name, &self.prefix, &activity_arn);
            activities.push(RegisteredActivity {
                name: name.clone(),
                activity_arn,
                created,
            });
        }
        let (state_machine_arn, outcome, version) = match &prepared.existing {
            None => {
                let mut create = CreateStateMachine::new(
                    self.name.clone(),
                    prepared.definition.clone(),
                    prepared.role_arn.clone(),
                );
                create.machine_type = self.machine_type;
                create.logging = self.logging.clone();
                create.tracing = self.tracing;
                create.tags = self.tags.clone();
                create.publish = self.publish;
                create.version_description = self.version_description.clone();
                let created = self.sfn.backend.create_state_machine(create).await?;
                (
                    created.state_machine_arn,
                    Outcome::Created,
                    created.state_machine_version_arn,
                )
            }
            Some((machine, tags)) => {
                let arn = machine.state_machine_arn.clone();
                let diff = self.differences(&prepared, machine, tags)?;
                if diff.is_empty() {
                    (arn, Outcome::Unchanged, None)
                } else {
                    let settings = diff.iter().any(|c| c.what != "tags");
                    let mut version = None;
                    if settings {
                        let mut update = UpdateStateMachine::new(arn.clone());
                        update.definition = Some(prepared.definition.clone());
                        update.role_arn = Some(prepared.role_arn.clone());
                        update.logging = Some(self.logging.clone().unwrap_or_default());
                        update.tracing = Some(self.tracing);
                        update.publish = self.publish;
                        update.version_description = self.version_description.clone();
                        version = self
                            .sfn
                            .backend
                            .update_state_machine(update)
                            .await?
                            .state_machine_version_arn;
                    }
                    let missing = missing_tags(&self.tags, tags);
                    if !missing.is_empty() {
                        self.sfn.backend.tag_resource(&arn, &missing).await?;
                    }
                    (arn, Outcome::Updated, version)
                }
            }
        };
        Ok(Registration {
            name: self.name,
            state_machine_arn,
            outcome,
            activities,
            state_machine_version_arn: version,
        })
    }

    /// Checks everything that can be checked here, then reads what exists.
    async fn prepare(&self) -> Result<Prepared, Error> {
        names::check(&self.name).map_err(Error::InvalidArgument)?;
        let diagnostics = sfn_core::validate_str(&self.definition);
        if !diagnostics.is_valid() {
            let message = diagnostics
                .errors()
                .map(|d| format!("{}: {} at {}", d.code, d.message, d.location()))
                .collect::<Vec<_>>()
                .join("; ");
            return Err(Error::InvalidDefinition {
                message,
                diagnostics,
            });
        }
        let given = self
            .role_arn
            .clone()
            .or_else(|| self.sfn.role_arn().map(str::to_owned));
        let role_arn = match (given, self.local_role()) {
            (Some(role), _) => role,
            (None, Some(role)) => role,
            (None, None) => {
                return Err(Error::InvalidArgument(format!(
                    "registering {} on AWS needs the IAM role its executions run as: give it with role_arn(…) (sfn register --role-arn)",
                    self.name
                )));
            }
        };
        let placeholders = placeholder_names(&self.definition);
        let mut wanted = Vec::with_capacity(placeholders.len());
        for short in placeholders {
            let full = format!("{}{short}", self.prefix);
            names::check(&full).map_err(|e| {
                Error::InvalidArgument(format!(
                    "activity {short} with prefix {:?}: {e}",
                    self.prefix
                ))
            })?;
            wanted.push(full);
        }
        // The activities that exist, read once: one list, however many the machine calls.
        let mut existing_activities = std::collections::HashMap::new();
        if !wanted.is_empty() {
            use futures_util::TryStreamExt;
            let mut listed = std::pin::pin!(self.sfn.list_activities());
            while let Some(a) = listed.try_next().await? {
                existing_activities.insert(a.name, a.activity_arn);
            }
        }
        let activities: Vec<(String, Option<String>)> = wanted
            .into_iter()
            .map(|full| {
                let arn = existing_activities.remove(&full);
                (full, arn)
            })
            .collect();
        let existing = match self.sfn.find_state_machine(&self.name).await? {
            None => None,
            Some(arn) => {
                let machine = self.sfn.backend.describe_state_machine(&arn).await?;
                let tags = self.sfn.backend.list_tags(&arn).await?;
                Some((machine, tags))
            }
        };
        let mut definition = self.definition.clone();
        // Activities that exist already: their ARNs now, for the comparison.
        for (full, arn) in &activities {
            if let Some(arn) = arn {
                definition = resolve(&definition, full, &self.prefix, arn);
            }
        }
        Ok(Prepared {
            definition,
            role_arn,
            activities,
            existing,
        })
    }

    /// The embedded engine's role, for a client of one.
    fn local_role(&self) -> Option<String> {
        #[cfg(feature = "local")]
        if let Some(engine) = &self.sfn.engine {
            return Some(engine.default_role_arn());
        }
        None
    }

    /// How the machine as it is differs from the registration.
    fn differences(
        &self,
        prepared: &Prepared,
        machine: &StateMachineInfo,
        tags: &[Tag],
    ) -> Result<Vec<Change>, Error> {
        if machine.machine_type != self.machine_type {
            return Err(Error::InvalidArgument(format!(
                "{} is a {} machine and cannot become {}: deregister it first",
                self.name,
                machine.machine_type.as_str(),
                self.machine_type.as_str()
            )));
        }
        let mut changes = Vec::new();
        let before: Value = serde_json::from_str(&machine.definition)
            .unwrap_or(Value::String(machine.definition.clone()));
        // Activities still to be created keep their placeholders in the comparison.
        let after: Value = serde_json::from_str(&prepared.definition).unwrap_or(Value::Null);
        json_diff("", &before, &after, &mut changes);
        if machine.role_arn != prepared.role_arn {
            changes.push(Change {
                what: "roleArn".into(),
                before: Some(Value::String(machine.role_arn.clone())),
                after: Some(Value::String(prepared.role_arn.clone())),
            });
        }
        let logging = self.logging.clone().unwrap_or_default();
        if machine.logging != logging {
            changes.push(Change {
                what: "loggingConfiguration".into(),
                before: Some(machine.logging.to_json()),
                after: Some(logging.to_json()),
            });
        }
        if machine.tracing != self.tracing {
            changes.push(Change {
                what: "tracingConfiguration".into(),
                before: Some(Value::Bool(machine.tracing)),
                after: Some(Value::Bool(self.tracing)),
            });
        }
        for t in missing_tags(&self.tags, tags) {
            let before = tags
                .iter()
                .find(|x| x.key == t.key)
                .map(|x| Value::String(x.value.clone()));
            changes.push(Change {
                what: format!("tags/{}", t.key),
                before,
                after: Some(Value::String(t.value)),
            });
        }
        Ok(changes)
    }
}

impl<'a> IntoFuture for Register<'a> {
    type Output = Result<Registration, Error>;
    type IntoFuture = BoxFuture<'a, Result<Registration, Error>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// The tags of `wanted` that `present` lacks or holds with another value.
fn missing_tags(wanted: &[Tag], present: &[Tag]) -> Vec<Tag> {
    wanted
        .iter()
        .filter(|t| !present.contains(t))
        .cloned()
        .collect()
}

/// The names of the activities a definition calls through placeholder resources, each
/// once, in order.
fn placeholder_names(definition: &str) -> Vec<String> {
    let Some(machine) = sfn_core::parse::parse_str(definition).machine else {
        return Vec::new();
    };
    definition::activity_resources(&machine)
        .iter()
        .filter_map(|r| definition::placeholder_activity_name(r))
        .map(str::to_owned)
        .collect()
}

/// The definition's text with the placeholder of the activity `full` (`prefix` + short
/// name) replaced by its ARN. The text is replaced as it is, so the definition keeps its
/// layout; a placeholder is a whole JSON string, and names hold no quote or backslash.
fn resolve(definition: &str, full: &str, prefix: &str, arn: &str) -> String {
    let short = full.strip_prefix(prefix).unwrap_or(full);
    let placeholder = format!("\"{}\"", definition::activity_placeholder_arn(short));
    definition.replace(&placeholder, &format!("\"{arn}\""))
}

/// The differences between two JSON values, as changes named `definition` and the JSON
/// Pointer of the member.
fn json_diff(pointer: &str, before: &Value, after: &Value, out: &mut Vec<Change>) {
    let change = |b: Option<&Value>, a: Option<&Value>| Change {
        what: format!("definition{pointer}"),
        before: b.cloned(),
        after: a.cloned(),
    };
    match (before, after) {
        (Value::Object(b), Value::Object(a)) => {
            for (k, bv) in b {
                let p = format!("{pointer}/{}", escape(k));
                match a.get(k) {
                    Some(av) => json_diff(&p, bv, av, out),
                    None => out.push(Change {
                        what: format!("definition{p}"),
                        before: Some(bv.clone()),
                        after: None,
                    }),
                }
            }
            for (k, av) in a {
                if !b.contains_key(k) {
                    out.push(Change {
                        what: format!("definition{pointer}/{}", escape(k)),
                        before: None,
                        after: Some(av.clone()),
                    });
                }
            }
        }
        (Value::Array(b), Value::Array(a)) if b.len() == a.len() => {
            for (i, (bv, av)) in b.iter().zip(a).enumerate() {
                json_diff(&format!("{pointer}/{i}"), bv, av, out);
            }
        }
        (b, a) if b != a => out.push(change(Some(b), Some(a))),
        _ => {}
    }
}

/// A member name as a JSON Pointer token.
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_differences_are_pointed_at() {
        let mut out = Vec::new();
        json_diff(
            "",
            &json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}, "x/y": 1}}),
            &json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true, "Result": 2}}}),
            &mut out,
        );
        let whats: Vec<_> = out.iter().map(|c| c.what.as_str()).collect();
        assert_eq!(
            whats,
            ["definition/States/A/Result", "definition/States/x~1y"]
        );
        assert_eq!(out[0].after, Some(json!(2)));
        assert_eq!(out[1].after, None);
    }

    #[test]
    fn placeholders_are_replaced_whole() {
        let text = r#"{"Resource": "arn:aws:states:::activity:add", "Other": "arn:aws:states:::activity:addition"}"#;
        let out = resolve(text, "p-add", "p-", "arn:aws:states:r:1:activity:p-add");
        assert!(out.contains(r#""Resource": "arn:aws:states:r:1:activity:p-add""#));
        assert!(out.contains("activity:addition"));
    }
}
