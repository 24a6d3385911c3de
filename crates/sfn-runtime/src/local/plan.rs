//! A definition compiled for the interpreter: states by index, transitions resolved,
//! names interned, and what each state needs computed once.

use std::{collections::HashMap, sync::Arc};

use sfn_core::{
    Diagnostic, DiagnosticCode,
    eval::reads::{Reads, StateReads},
    model::{self, QueryLanguage, ResourceKind, State, StateMachine},
};

use super::interp::StateEvents;

/// Why a definition cannot be compiled. The validator refuses such definitions first;
/// this catches a model changed after it was validated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum PlanError {
    /// A `StartAt`, `Next`, `Default` or catcher `Next` names a state not in its scope.
    #[error("the state '{target}' does not exist")]
    NoSuchState {
        /// The name looked for.
        target: String,
        /// Where it is named: a JSON Pointer.
        pointer: String,
    },
    /// A state of a kind the engine does not run.
    #[error("the local engine does not run {state_type} states")]
    UnsupportedState {
        /// The state's `Type`.
        state_type: String,
        /// The state: a JSON Pointer.
        pointer: String,
    },
    /// A top-level choice rule has no `Next`.
    #[error("a choice rule has no Next")]
    ChoiceRuleWithoutNext {
        /// The rule: a JSON Pointer.
        pointer: String,
    },
}

impl PlanError {
    /// The error as a validator diagnostic.
    pub(crate) fn to_diagnostic(&self) -> Diagnostic {
        match self {
            PlanError::NoSuchState { pointer, .. } => Diagnostic::error(
                DiagnosticCode::MissingTransitionTarget,
                pointer.clone(),
                self.to_string(),
            ),
            PlanError::ChoiceRuleWithoutNext { pointer }
            | PlanError::UnsupportedState { pointer, .. } => Diagnostic::error(
                DiagnosticCode::SchemaValidationFailed,
                pointer.clone(),
                self.to_string(),
            ),
        }
    }
}

/// A scope (the machine, a branch, an item processor), compiled.
#[derive(Debug)]
pub(crate) struct ScopePlan {
    pub(crate) states: Vec<StatePlan>,
    pub(crate) start: usize,
}

/// One state, compiled.
#[derive(Debug)]
pub(crate) struct StatePlan {
    pub(crate) name: Arc<str>,
    pub(crate) def: State,
    pub(crate) jsonata: bool,
    /// The history events that open and close it.
    pub(crate) events: StateEvents,
    /// What the state's own fields read of the context object (a Map's `ItemSelector`
    /// apart); `needs_context` when they read any of it.
    pub(crate) context: ContextUse,
    /// What a Map's `ItemSelector` (or `Parameters`) reads of each item's context object.
    pub(crate) selector_context: ContextUse,
    pub(crate) next: Option<usize>,
    pub(crate) choice_next: Vec<usize>,
    pub(crate) default_next: Option<usize>,
    pub(crate) catch_next: Vec<usize>,
    pub(crate) nested: Vec<ScopePlan>,
    /// The Task's resource as its history events name it (`resource`, `resourceType`).
    pub(crate) resource: Arc<str>,
    pub(crate) resource_type: Arc<str>,
}

impl StatePlan {
    /// Whether anything in the state (nested states apart) reads the context object.
    pub(crate) fn needs_context(&self) -> bool {
        self.context.any || self.selector_context.any
    }
}

/// What a state reads of the context object (sfn-core's [`StateReads`] finds it), as
/// the engine builds it.
#[derive(Debug, Clone, Default)]
pub(crate) struct ContextUse {
    /// Whether it reads anything: when not, no context object is built.
    pub(crate) any: bool,
    /// What it reads of `$$.Execution.Input`: only that part is copied into the context
    /// object.
    pub(crate) input: Reads,
}

impl ContextUse {
    fn new(reads: &Reads) -> Self {
        ContextUse {
            any: !reads.is_nothing(),
            input: reads.below("Execution").below("Input"),
        }
    }
}

/// Compiles a machine. Fails on a transition to a state that does not exist, or a choice
/// rule without `Next`.
pub(crate) fn compile(machine: &StateMachine) -> Result<ScopePlan, PlanError> {
    let jsonata = machine.query_language == Some(QueryLanguage::JSONata);
    compile_scope(machine.scope(), jsonata, "")
}

/// `pointer` extended by one key, escaped as RFC 6901 says.
fn child(pointer: &str, key: &str) -> String {
    format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"))
}

fn compile_scope(
    scope: model::Scope<'_>,
    inherited_jsonata: bool,
    at: &str,
) -> Result<ScopePlan, PlanError> {
    let jsonata_default = match scope.query_language {
        Some(q) => q == QueryLanguage::JSONata,
        None => inherited_jsonata,
    };
    let index: HashMap<&str, usize> = scope
        .states
        .keys()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    let find = |name: &model::StateName, pointer: String| -> Result<usize, PlanError> {
        index
            .get(name.as_str())
            .copied()
            .ok_or_else(|| PlanError::NoSuchState {
                target: name.to_string(),
                pointer,
            })
    };
    let states_at = child(at, "States");
    let mut states = Vec::with_capacity(scope.states.len());
    for (name, def) in scope.states {
        let here = child(&states_at, name.as_str());
        let events = StateEvents::of(def).ok_or_else(|| PlanError::UnsupportedState {
            state_type: def.state_type().to_string(),
            pointer: here.clone(),
        })?;
        let jsonata = match def.query_language() {
            Some(q) => q == QueryLanguage::JSONata,
            None => jsonata_default,
        };
        let next = match def.transition() {
            Some(model::Transition::Next(n)) => Some(find(n, child(&here, "Next"))?),
            _ => None,
        };
        let (choice_next, default_next) = match &def {
            State::Choice(c) => (
                c.choices
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        let rule = format!("{here}/Choices/{i}");
                        match &r.next {
                            Some(n) => find(n, child(&rule, "Next")),
                            None => Err(PlanError::ChoiceRuleWithoutNext { pointer: rule }),
                        }
                    })
                    .collect::<Result<Vec<_>, _>>()?,
                c.default
                    .as_ref()
                    .map(|d| find(d, child(&here, "Default")))
                    .transpose()?,
            ),
            _ => (Vec::new(), None),
        };
        let catch_next = def
            .catchers()
            .iter()
            .enumerate()
            .map(|(i, c)| find(&c.next, format!("{here}/Catch/{i}/Next")))
            .collect::<Result<Vec<_>, _>>()?;
        let nested = def
            .nested()
            .into_iter()
            .map(|(p, s)| compile_scope(s, jsonata, &format!("{here}{p}")))
            .collect::<Result<Vec<_>, _>>()?;
        let reads = StateReads::of(def);
        let (resource, resource_type) = match &def {
            State::Task(t) => {
                let arn = t.resource.as_str();
                let (resource, kind): (&str, &str) = match t.resource.kind() {
                    ResourceKind::Activity { .. } => (arn, "activity"),
                    ResourceKind::LambdaFunction { .. } => (arn, "lambda"),
                    // AWS's task events name a service integration by what follows the
                    // service in its ARN: `invoke`, `sendMessage.waitForTaskToken`,
                    // `startExecution.sync:2`, `getObject` (of `aws-sdk:s3`).
                    ResourceKind::Service { service, .. } => (
                        arn.split_once(&format!(":{service}:"))
                            .map_or(arn, |(_, action)| action),
                        service,
                    ),
                    // Any other ARN.
                    _ => (arn, "task"),
                };
                (Arc::from(resource), Arc::from(kind))
            }
            _ => (Arc::from(""), Arc::from("")),
        };
        states.push(StatePlan {
            name: Arc::from(name.as_str()),
            def: def.clone(),
            jsonata,
            events,
            context: ContextUse::new(&reads.context),
            selector_context: ContextUse::new(&reads.item_selector_context),
            next,
            choice_next,
            default_next,
            catch_next,
            nested,
            resource,
            resource_type,
        });
    }
    let start = find(scope.start_at, child(at, "StartAt"))?;
    Ok(ScopePlan { states, start })
}
