//! A definition compiled for the interpreter: states by index, transitions resolved,
//! names interned, and what each state needs computed once.

use std::{collections::HashMap, sync::Arc};

use sfn_core::model::{self, QueryLanguage, ResourceKind, State, StateMachine};

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
    /// Whether anything in the state reads the context object.
    pub(crate) needs_context: bool,
    pub(crate) next: Option<usize>,
    pub(crate) choice_next: Vec<usize>,
    pub(crate) default_next: Option<usize>,
    pub(crate) catch_next: Vec<usize>,
    pub(crate) nested: Vec<ScopePlan>,
    pub(crate) resource: Arc<str>,
    pub(crate) resource_type: Arc<str>,
}

/// Compiles a machine. Fails on a transition to a state that does not exist.
pub(crate) fn compile(machine: &StateMachine) -> Result<ScopePlan, String> {
    let jsonata = machine.query_language == Some(QueryLanguage::JSONata);
    compile_scope(machine.scope(), jsonata)
}

fn compile_scope(scope: model::Scope<'_>, inherited_jsonata: bool) -> Result<ScopePlan, String> {
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
    let find = |name: &model::StateName| -> Result<usize, String> {
        index
            .get(name.as_str())
            .copied()
            .ok_or_else(|| format!("the state '{name}' does not exist"))
    };
    let mut states = Vec::with_capacity(scope.states.len());
    for (name, def) in scope.states {
        let jsonata = match def.query_language() {
            Some(q) => q == QueryLanguage::JSONata,
            None => jsonata_default,
        };
        let next = match def.transition() {
            Some(model::Transition::Next(n)) => Some(find(n)?),
            _ => None,
        };
        let (choice_next, default_next) = match &def {
            State::Choice(c) => (
                c.choices
                    .iter()
                    .map(|r| r.next.as_ref().map_or(Ok(usize::MAX), &find))
                    .collect::<Result<Vec<_>, _>>()?,
                c.default.as_ref().map(&find).transpose()?,
            ),
            _ => (Vec::new(), None),
        };
        let catch_next = def
            .catchers()
            .iter()
            .map(|c| find(&c.next))
            .collect::<Result<Vec<_>, _>>()?;
        let nested = def
            .nested()
            .into_iter()
            .map(|(_, s)| compile_scope(s, jsonata))
            .collect::<Result<Vec<_>, _>>()?;
        let text = serde_json::to_string(&def).unwrap_or_default();
        let needs_context =
            text.contains("$$") || text.contains("$states") || text.contains("waitForTaskToken");
        let (resource, resource_type) = match &def {
            State::Task(t) => {
                let kind: Arc<str> = match t.resource.kind() {
                    ResourceKind::Activity { .. } => "activity".into(),
                    ResourceKind::LambdaFunction { .. } => "lambda".into(),
                    ResourceKind::Service { service, .. } => service.into(),
                    ResourceKind::Other => "task".into(),
                };
                (Arc::from(t.resource.as_str()), kind)
            }
            _ => (Arc::from(""), Arc::from("")),
        };
        states.push(StatePlan {
            name: Arc::from(name.as_str()),
            def: def.clone(),
            jsonata,
            needs_context,
            next,
            choice_next,
            default_next,
            catch_next,
            nested,
            resource,
            resource_type,
        });
    }
    let start = find(scope.start_at)?;
    Ok(ScopePlan { states, start })
}
