//! [`LocalEngine`]: the machines and executions it keeps, their Map Runs, and the
//! handlers that answer Task states.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use chrono::{DateTime, Utc};
use indexmap::IndexMap;
use serde_json::Value;
use sfn_core::{
    StateMachine, definition::resolve_activity_arns, eval::limits, model::ExecutionType,
    names::check_resource_name,
};

use super::{
    Clock, Error, Execution, ExecutionDescription, ExecutionStatus, History, LocalEngineBuilder,
    MapRunDescription, MapRunUpdate, Mocks, StartExecution, TaskHandler,
    arn::Arns,
    execution::{ExecutionEntry, Input},
    express::not_kept,
    handlers::Handlers,
    lock,
    map_run::MapRunEntry,
    plan::ScopePlan,
    redrive::Launch,
    retention::Retained,
    tokens::Tasks,
    versions::{MachineVersions, StartTarget},
};
use crate::definition::StateMachineDefinition;

/// Checks a machine, execution or activity name against AWS's rules.
pub(super) fn check_name(name: &str) -> Result<(), Error> {
    check_resource_name(name).map_err(|reason| Error::InvalidName {
        name: name.to_owned(),
        reason,
    })
}

/// A state machine the engine keeps, with its plan.
pub(super) struct MachineEntry {
    pub(super) arn: String,
    pub(super) name: String,
    pub(super) definition: Arc<StateMachine>,
    pub(super) plan: Arc<ScopePlan>,
    /// Standard or Express.
    pub(super) machine_type: ExecutionType,
    /// Which of the machine's revisions this is: its place among them, 1 for the first
    /// (as the registry numbers them). An execution records it when it starts.
    pub(super) revision: u64,
}

/// What the clones of one [`LocalEngine`] share.
pub(crate) struct Inner {
    pub(super) clock: Arc<dyn Clock>,
    /// The region and account of the engine's ARNs.
    pub(super) arns: Arns,
    pub(super) handlers: Arc<Handlers>,
    pub(super) tasks: Arc<Tasks>,
    pub(super) machines: Mutex<IndexMap<String, Arc<MachineEntry>>>,
    pub(super) executions: Mutex<IndexMap<String, Arc<ExecutionEntry>>>,
    pub(super) map_runs: Mutex<IndexMap<String, Arc<MapRunEntry>>>,
    pub(super) activity_poll_micros: std::sync::atomic::AtomicU64,
    pub(super) registry: super::manage::Registry,
    /// The finished executions, and how many are kept.
    pub(super) retention: Retained,
    /// The versions and aliases of each machine, by the machine's ARN.
    pub(super) published: Mutex<HashMap<String, MachineVersions>>,
    /// The machines being deleted.
    pub(super) deleting: super::deletion::Deleting,
    /// The engine's random numbers (seeded by [`LocalEngineBuilder::seed`]).
    pub(super) rng: Mutex<fastrand::Rng>,
    /// Where distributed Maps read items and write results.
    pub(super) object_store: Option<Arc<dyn super::ObjectStore>>,
}

/// The embedded engine. Cheap to clone; clones share everything.
#[derive(Clone)]
pub struct LocalEngine {
    pub(super) inner: Arc<Inner>,
}

impl Default for LocalEngine {
    fn default() -> Self {
        LocalEngine::new()
    }
}

impl std::fmt::Debug for LocalEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalEngine").finish_non_exhaustive()
    }
}

impl LocalEngine {
    /// An engine on the real clock, in the default region and account
    /// (`us-east-1`, `123456789012`).
    pub fn new() -> Self {
        LocalEngine::builder().build()
    }

    /// An engine on the given clock ([`VirtualClock`](super::VirtualClock) for instant,
    /// deterministic runs), in the default region and account.
    pub fn with_clock(clock: Arc<dyn Clock>) -> Self {
        LocalEngine::builder().clock(clock).build()
    }

    /// A builder, to choose the engine's region, account and clock.
    pub fn builder() -> LocalEngineBuilder {
        LocalEngineBuilder::new()
    }

    /// The region the engine's ARNs carry.
    pub fn region(&self) -> &str {
        self.inner.arns.region()
    }

    /// The IAM role the engine's machines run as when none is given
    /// (`arn:aws:iam::ACCOUNT:role/sfn-local`).
    pub fn default_role_arn(&self) -> String {
        self.inner.arns.role()
    }

    /// The engine's clock.
    pub fn clock(&self) -> Arc<dyn Clock> {
        self.inner.clock.clone()
    }

    /// Answers every Task state whose `Resource` is `resource` with `handler`.
    pub fn register_handler(&self, resource: impl Into<String>, handler: impl TaskHandler) {
        self.inner
            .handlers
            .register(resource.into(), Arc::new(handler));
    }

    /// Creates a state machine and returns its ARN. Creating one again with the same
    /// definition returns the same ARN.
    ///
    /// The definition is validated first, as AWS validates `CreateStateMachine`: a model
    /// built or changed by hand reaches the engine only if the validator accepts it.
    /// Placeholder activity resources (`arn:aws:states:::activity:NAME`, as
    /// `state_machine!` writes them) are resolved to the activity `NAME` of this engine's
    /// region and account, the ARN [`create_activity`](Self::create_activity) returns.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidName`], [`Error::InvalidDefinition`] with the validator's
    /// diagnostics, [`Error::StateMachineAlreadyExists`] (same name, another
    /// definition).
    pub fn create_state_machine(
        &self,
        name: &str,
        definition: StateMachine,
    ) -> Result<String, Error> {
        self.create_state_machine_of_type(name, definition, ExecutionType::Standard)
    }

    /// Creates the machine `M` (named [`M::NAME`](StateMachineDefinition::NAME), from
    /// [`M::definition`](StateMachineDefinition::definition)) and the activities it
    /// calls, and returns the machine's ARN. Idempotent, as
    /// [`create_state_machine`](Self::create_state_machine) is.
    ///
    /// The activities only exist: something must answer their tasks, such as
    /// [`serve_activity`](Self::serve_activity) or a worker polling
    /// [`poll_activity_task`](Self::poll_activity_task).
    ///
    /// # Errors
    ///
    /// As [`create_activity`](Self::create_activity) and
    /// [`create_state_machine`](Self::create_state_machine).
    pub fn create_state_machine_for<M: StateMachineDefinition>(&self) -> Result<String, Error> {
        let definition = M::definition();
        let mut names: Vec<String> = M::activities()
            .iter()
            .map(|a| a.name().to_owned())
            .collect();
        // The activities the definition names, listed or not.
        resolve_activity_arns(&mut definition.clone(), |name| {
            names.push(name.to_owned());
            self.inner.arns.activity(name)
        });
        names.sort();
        names.dedup();
        for name in &names {
            self.create_activity(name)?;
        }
        self.create_state_machine(M::NAME, definition)
    }

    /// Reads, validates and creates a state machine from its JSON text.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidDefinition`] with every diagnostic, or as
    /// [`create_state_machine`](Self::create_state_machine).
    pub fn create_state_machine_json(&self, name: &str, definition: &str) -> Result<String, Error> {
        self.create_state_machine_json_of_type(name, definition, ExecutionType::Standard)
    }

    /// The ARNs of the state machines, in creation order.
    pub fn list_state_machines(&self) -> Vec<String> {
        lock(&self.inner.machines).keys().cloned().collect()
    }

    /// Starts an execution of the machine `machine_arn`: its latest revision, or given a
    /// version's ARN (`…:stateMachine:NAME:3`) that version, or given an alias's ARN
    /// (`…:stateMachine:NAME:PROD`) one of the alias's versions, picked at random by
    /// weight. The execution records the version and alias it started through.
    ///
    /// An Express machine's execution is not kept: its ARN is in the Express form, its
    /// name may repeat, and only the returned handle can wait on it (see
    /// [`start_sync_execution`](Self::start_sync_execution)).
    ///
    /// # Errors
    ///
    /// [`Error::StateMachineDoesNotExist`] (also for a version or alias that does not
    /// exist), [`Error::InvalidName`], [`Error::InvalidExecutionInput`] (over 256 KiB),
    /// [`Error::ExecutionAlreadyExists`]; [`Error::StateMachineDeleting`] while the machine
    /// is being deleted.
    pub async fn start_execution(
        &self,
        machine_arn: &str,
        start: StartExecution,
    ) -> Result<Execution, Error> {
        let StartTarget { machine, via } = self.start_target(machine_arn)?;
        let name = start
            .name
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        check_name(&name)?;
        let too_large = || Error::InvalidExecutionInput {
            message: format!(
                "the input is larger than {} bytes",
                limits::MAX_PAYLOAD_BYTES
            ),
        };
        // Sent as text, the input is kept as it came: AWS gives the text back.
        let (start_input, input_text) = match start.input {
            Input::Value(v) => {
                if limits::exceeds_limit(&v) {
                    return Err(too_large());
                }
                (v, None)
            }
            Input::Text(text) => {
                if text.len() > limits::MAX_PAYLOAD_BYTES {
                    return Err(too_large());
                }
                let value =
                    serde_json::from_str(&text).map_err(|e| Error::InvalidExecutionInput {
                        message: input_error(&text, &e),
                    })?;
                (value, Some(Arc::from(text)))
            }
        };
        if machine.machine_type == ExecutionType::Express {
            let mut launch = Launch::new(machine, start.mocks);
            launch.sync = start.sync;
            return Ok(self.start_express(launch, via, name, start_input, input_text));
        }
        let arn = self
            .inner
            .arns
            .states(format_args!("execution:{}:{name}", machine.name));
        let input = Arc::new(start_input);
        let entry = self.started(
            arn.clone(),
            name,
            &machine,
            via,
            (input.clone(), input_text),
            64,
        );
        {
            let mut executions = lock(&self.inner.executions);
            if let Some(existing) = executions.get(&arn) {
                let same = *existing.input == *input
                    && lock(&existing.state).status == ExecutionStatus::Running;
                if same {
                    return Ok(Execution {
                        engine: self.clone(),
                        entry: existing.clone(),
                    });
                }
                return Err(Error::ExecutionAlreadyExists { arn });
            }
            executions.insert(arn.clone(), entry.clone());
        }
        self.retain();
        Ok(self.launch(entry, Launch::new(machine, start.mocks), None))
    }

    pub(super) fn execution(&self, arn: &str) -> Result<Arc<ExecutionEntry>, Error> {
        lock(&self.inner.executions)
            .get(arn)
            .cloned()
            .ok_or_else(|| not_kept(arn))
    }

    /// Describes an execution.
    ///
    /// # Errors
    ///
    /// [`Error::ExecutionDoesNotExist`]; [`Error::InvalidArn`] for an Express execution,
    /// which the engine does not keep (unless a distributed Map started it).
    pub fn describe_execution(&self, arn: &str) -> Result<ExecutionDescription, Error> {
        Ok(self.execution(arn)?.describe(self.inner.clock.now()))
    }

    /// A handle on an execution.
    ///
    /// # Errors
    ///
    /// [`Error::ExecutionDoesNotExist`].
    pub fn get_execution(&self, arn: &str) -> Result<Execution, Error> {
        Ok(Execution {
            engine: self.clone(),
            entry: self.execution(arn)?,
        })
    }

    /// Stops an execution at once, even with a task outstanding. Returns the stop date.
    ///
    /// # Errors
    ///
    /// [`Error::ExecutionDoesNotExist`]; [`Error::InvalidArn`] for an Express execution.
    pub fn stop_execution(
        &self,
        arn: &str,
        error: Option<String>,
        cause: Option<String>,
    ) -> Result<DateTime<Utc>, Error> {
        let entry = self.execution(arn)?;
        let now = self.inner.clock.now();
        Ok(entry.request_stop(now, error, cause))
    }

    /// The executions, of one machine or of all, in start order. Given a Map Run's ARN,
    /// the child executions it started (as `ListExecutions` with `mapRunArn`); a child
    /// execution's machine ARN is its parent machine's with the Map's label
    /// (`…:stateMachine:MACHINE/LABEL`). Given a version's or an alias's ARN, the
    /// executions started through it (a version's include those an alias routed to it).
    pub fn list_executions(&self, machine_arn: Option<&str>) -> Vec<ExecutionDescription> {
        self.list_executions_with_status(machine_arn, None)
    }

    /// The executions, of one machine or of all, with one status or any, in start order
    /// (`ListExecutions` with `statusFilter`).
    pub fn list_executions_with_status(
        &self,
        machine_arn: Option<&str>,
        status: Option<ExecutionStatus>,
    ) -> Vec<ExecutionDescription> {
        let entries: Vec<Arc<ExecutionEntry>> =
            lock(&self.inner.executions).values().cloned().collect();
        let now = self.inner.clock.now();
        entries
            .iter()
            .filter(|e| {
                machine_arn.is_none_or(|m| {
                    e.machine_arn == m
                        || e.map_run_arn.as_deref() == Some(m)
                        || e.via.version_arn.as_deref() == Some(m)
                        || e.via.alias_arn.as_deref() == Some(m)
                })
            })
            .map(|e| e.describe(now))
            .filter(|d| status.is_none_or(|s| d.status == s))
            .collect()
    }

    /// Describes a Map Run (`DescribeMapRun`): its status, settings and the counts of
    /// its items and child executions.
    ///
    /// # Errors
    ///
    /// [`Error::MapRunDoesNotExist`].
    pub fn describe_map_run(&self, map_run_arn: &str) -> Result<MapRunDescription, Error> {
        lock(&self.inner.map_runs)
            .get(map_run_arn)
            .map(|r| r.describe())
            .ok_or_else(|| Error::MapRunDoesNotExist {
                arn: map_run_arn.to_owned(),
            })
    }

    /// Changes a running Map Run's `maxConcurrency`, `toleratedFailurePercentage` or
    /// `toleratedFailureCount` (`UpdateMapRun`): its children run under the new values
    /// from then on, and [`describe_map_run`](Self::describe_map_run) reports them.
    ///
    /// # Errors
    ///
    /// [`Error::MapRunDoesNotExist`]; [`Error::Validation`] for a percentage outside 0 to
    /// 100, or a Map Run no longer running.
    pub fn update_map_run(&self, map_run_arn: &str, update: MapRunUpdate) -> Result<(), Error> {
        let run = lock(&self.inner.map_runs).get(map_run_arn).cloned();
        run.ok_or_else(|| Error::MapRunDoesNotExist {
            arn: map_run_arn.to_owned(),
        })?
        .update(update)
    }

    /// The Map Runs an execution started, in start order (`ListMapRuns`).
    ///
    /// # Errors
    ///
    /// [`Error::ExecutionDoesNotExist`].
    pub fn list_map_runs(&self, execution_arn: &str) -> Result<Vec<MapRunDescription>, Error> {
        self.execution(execution_arn)?;
        let runs: Vec<Arc<MapRunEntry>> = lock(&self.inner.map_runs).values().cloned().collect();
        Ok(runs
            .iter()
            .filter(|r| r.execution_arn() == execution_arn)
            .map(|r| r.describe())
            .collect())
    }

    /// The child executions a Map Run started, in start order (`ListExecutions` with
    /// `mapRunArn`).
    ///
    /// # Errors
    ///
    /// [`Error::MapRunDoesNotExist`].
    pub fn list_map_run_executions(
        &self,
        map_run_arn: &str,
    ) -> Result<Vec<ExecutionDescription>, Error> {
        if !lock(&self.inner.map_runs).contains_key(map_run_arn) {
            return Err(Error::MapRunDoesNotExist {
                arn: map_run_arn.to_owned(),
            });
        }
        let entries: Vec<Arc<ExecutionEntry>> =
            lock(&self.inner.executions).values().cloned().collect();
        let now = self.inner.clock.now();
        Ok(entries
            .iter()
            .filter(|e| e.map_run_arn.as_deref() == Some(map_run_arn))
            .map(|e| e.describe(now))
            .collect())
    }

    /// An execution's history.
    ///
    /// # Errors
    ///
    /// [`Error::ExecutionDoesNotExist`]; [`Error::InvalidArn`] for an Express execution.
    pub fn get_execution_history(&self, arn: &str) -> Result<History, Error> {
        Ok(lock(&self.execution(arn)?.history).clone())
    }

    /// Creates (or reuses) a machine named `name`, runs it on `input` with `mocks`, and
    /// waits for the end.
    ///
    /// # Errors
    ///
    /// As [`create_state_machine`](Self::create_state_machine) and
    /// [`start_execution`](Self::start_execution).
    pub async fn run(
        &self,
        name: &str,
        definition: StateMachine,
        input: Value,
        mocks: Option<Mocks>,
    ) -> Result<(ExecutionDescription, History), Error> {
        let arn = self.create_state_machine(name, definition)?;
        let mut start = StartExecution::new(input);
        if let Some(m) = mocks {
            start = start.mocks(m);
        }
        let run = self.start_execution(&arn, start).await?;
        let done = run.wait().await?;
        Ok((done, run.history()))
    }
}

/// What AWS says of an execution input that is not JSON: "Invalid execution input." for
/// blank text, else its JSON reader's words for the fault, or `serde_json`'s where those
/// are not known.
fn input_error(text: &str, error: &serde_json::Error) -> String {
    if text.trim().is_empty() {
        return "Invalid execution input.".to_owned();
    }
    sfn_core::parse::jackson::problem(text)
        .unwrap_or_else(|| format!("the input is not JSON: {error}"))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::local::{EventDetails, TaskRequest, VirtualClock};

    const COUNTER: &str = r#"{"StartAt": "Init", "States": {
        "Init": {"Type": "Pass", "Result": {"count": 0}, "Next": "Check"},
        "Check": {"Type": "Choice", "Choices": [{"Variable": "$.count", "NumericGreaterThanEquals": 5000, "Next": "Done"}], "Default": "Inc"},
        "Inc": {"Type": "Pass", "Parameters": {"count.$": "States.MathAdd($.count, 1)"}, "Next": "Check"},
        "Done": {"Type": "Succeed"}}}"#;

    #[tokio::test]
    async fn counter_loop_with_history() -> Result<(), Error> {
        let engine = LocalEngine::with_clock(Arc::new(VirtualClock::default()));
        let machine: StateMachine = COUNTER.parse()?;
        let arn = engine.create_state_machine("counter", machine)?;
        let started = std::time::Instant::now();
        let run = engine
            .start_execution(&arn, StartExecution::new(json!({})))
            .await?;
        let done = run.wait().await?;
        let elapsed = started.elapsed();
        assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
        assert_eq!(done.output, Some(json!({"count": 5000})));
        let history = run.history();
        let transitions = history
            .events()
            .iter()
            .filter(|e| matches!(e.details, EventDetails::StateEntered { .. }))
            .count();
        assert_eq!(transitions, 10_003);
        println!(
            "{transitions} transitions in {elapsed:?}: {:.0}/s",
            transitions as f64 / elapsed.as_secs_f64()
        );
        Ok(())
    }

    #[tokio::test]
    async fn handler_answers_a_resource() -> Result<(), Error> {
        let engine = LocalEngine::with_clock(Arc::new(VirtualClock::default()));
        engine.register_handler(
            "arn:aws:lambda:us-east-1:123456789012:function:double",
            |req: TaskRequest| async move { Ok(json!(req.input.as_i64().unwrap_or(0) * 2)) },
        );
        let def = r#"{"StartAt": "D", "States": {"D": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:double", "End": true}}}"#;
        let (done, _) = engine.run("double", def.parse()?, json!(21), None).await?;
        assert_eq!(done.output, Some(json!(42)));
        Ok(())
    }
}
