//! [`LocalEngine::test_state`]: the definition, the run under a probe, the verdict.

use std::sync::{Arc, Mutex};

use serde_json::{Map, Value, json};
use sfn_core::{
    Diagnostics, StateMachine, definition::resolve_activity_arns, error::states, model::State,
};
use tokio_util::sync::CancellationToken;

use super::{
    InspectionLevel, TestStateOutput, TestStateRequest, TestStatus, context::check_context,
    mock_check::check_mock, request::invalid,
};
use crate::local::{
    Error, LocalEngine, MockedResponses, Mocks,
    history::History,
    interp::{ContextIds, Failure, Frame, Probe, Run, Step, TESTED_STATE},
    plan::{self, ScopePlan, StatePlan},
};

/// The machine name in the context object of a state given on its own.
const TEST_MACHINE: &str = "TestStateMachine";

/// How long a tested state may run, as AWS limits a TestState call.
const TEST_STATE_LIMIT: std::time::Duration = std::time::Duration::from_secs(300);

impl LocalEngine {
    /// Runs one state on its own, as AWS Step Functions' `TestState` API does: the
    /// state's input and output processing, its choice, wait or task (mocked, or
    /// answered as an execution's would be), and what its `Retry` and `Catch` would do
    /// with a failure, reported as [`TestStatus::Retriable`] or
    /// [`TestStatus::CaughtError`] rather than carried out.
    ///
    /// The definition is one state, or with
    /// [`state_name`](TestStateRequest::state_name) a whole machine in which the state
    /// is found (inside Parallel branches and Map processors too). As on AWS, Map and
    /// Parallel states, activities and `.sync` or `.waitForTaskToken` tasks run only
    /// with a mock.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidDefinition`] with the validator's diagnostics;
    /// [`Error::TestStateUnsupported`] for a Map or Parallel state without a mock;
    /// [`Error::Validation`] for input, variables, context or item reader data that is
    /// not JSON of the right kind, a context object with members or fields an
    /// execution's has not (or a task token for a state that takes none), a state name
    /// the machine does not have, a missing mock, an unmocked Task without a role, or a
    /// mock AWS refuses: on a state that is not a Task, Map or Parallel, a Map's or
    /// Parallel's result of the wrong kind, or a service integration's result that does
    /// not fit the API's output shape (see
    /// [`FieldValidationMode`](super::FieldValidationMode)).
    pub async fn test_state(&self, request: TestStateRequest) -> Result<TestStateOutput, Error> {
        let input = json_field("input", request.input.as_deref())?.unwrap_or_else(|| json!({}));
        let vars = match json_field("variables", request.variables.as_deref())? {
            None => Map::new(),
            Some(Value::Object(vars)) => vars,
            Some(_) => return Err(invalid("variables must be a JSON object")),
        };
        let context = match json_field("context", request.context.as_deref())? {
            Some(c) if !c.is_object() => {
                return Err(invalid("context must be a JSON object"));
            }
            c => c,
        };
        let configuration = &request.state_configuration;
        let reader_data = json_field(
            "mapItemReaderData",
            configuration.map_item_reader_data.as_deref(),
        )?;
        let (machine, name) = machine_of(&request)?;
        let plan = self.compile(&machine)?;
        let Some((scope, st)) = find_state(&plan, &name) else {
            return Err(invalid("State not found in definition"));
        };
        check_mock(st, &request)?;
        // AWS calls a Task's service with the role the request gives: one is required
        // unless the Task is mocked.
        if request.role_arn.is_none() && request.mock.is_none() && matches!(st.def, State::Task(_))
        {
            return Err(invalid(
                "RoleArn must be specified when testing a Task state",
            ));
        }
        if let Some(Value::Object(given)) = &context {
            check_context(given, &st.def)?;
        }
        if let Some(origin) = &configuration.error_caused_by_state
            && !st.nested.iter().any(|s| find_state(s, origin).is_some())
        {
            return Err(invalid(format!(
                "errorCausedByState names '{origin}', which is not a state of '{name}''s branches or item processor"
            )));
        }
        let mut mocks = Mocks::new();
        if let Some(mock) = request.mock.clone() {
            mocks.insert(st.name.to_string(), MockedResponses::sequence([mock]));
        }
        let probe = Arc::new(Probe {
            context,
            retrier_retry_count: configuration.retrier_retry_count.unwrap_or(0),
            map_iteration_failure_count: configuration.map_iteration_failure_count.unwrap_or(0),
            item_reader_data: reader_data,
            ..Probe::default()
        });
        let run = self.test_run(&request, &input, mocks, probe.clone());
        let mut frame = Frame {
            history: Arc::new(Mutex::new(History::with_capacity(8))),
            last: 0,
            vars,
            map_item: None,
            verified: None,
            redrive: Default::default(),
            closing_failure: None,
            assigned: None,
        };
        // As on AWS, a tested state runs for five minutes at most (States.Timeout).
        let clock = run.clock.clone();
        let outcome = tokio::select! {
            biased;
            r = run.run_state(st, Arc::new(input.clone()), &mut frame) => match r {
                Ok((_, step)) => step,
                Err(f) => Err(f),
            },
            _ = clock.sleep(TEST_STATE_LIMIT) => Err(Failure::TimedOut),
        };
        let (mut data, verdict) = probe.finish();
        let state_name = |i: usize| scope.states.get(i).map(|s| s.name.to_string());
        let mut tested = TestStateOutput {
            status: TestStatus::Succeeded,
            output: None,
            error: None,
            cause: None,
            next_state: None,
            inspection_data: None,
        };
        match outcome {
            Ok(Step::Next(i, out)) => {
                tested.output = Some(Arc::unwrap_or_clone(out));
                tested.next_state = state_name(i);
                if let Some((error, cause)) = verdict.caught {
                    tested.status = TestStatus::CaughtError;
                    tested.error = Failure::reported(&error);
                    tested.cause = cause;
                }
            }
            Ok(Step::End(out)) => tested.output = Some(Arc::unwrap_or_clone(out)),
            Err(failure) => {
                tested.status = if verdict.retriable {
                    TestStatus::Retriable
                } else {
                    TestStatus::Failed
                };
                let (error, cause) = match failure {
                    Failure::Error { error, cause } => (error, cause),
                    Failure::TimedOut => (states::TIMEOUT.to_owned(), None),
                    Failure::Aborted | Failure::HistoryFull => (
                        states::RUNTIME.to_owned(),
                        Some("The state did not finish.".to_owned()),
                    ),
                };
                // A Fail state without `Error` fails without an error name.
                tested.error = Failure::reported(&error);
                tested.cause = cause;
            }
        }
        if request.inspection_level != InspectionLevel::Info {
            data.input = Some(input);
            if !frame.vars.is_empty() {
                data.variables = Some(Value::Object(frame.vars));
            }
            tested.inspection_data = Some(data);
        }
        Ok(tested)
    }

    /// Validates and compiles a machine, its activity placeholders resolved.
    fn compile(&self, definition: &Value) -> Result<ScopePlan, Error> {
        let text = definition.to_string();
        let diagnostics = sfn_core::validate_str(&text);
        if !diagnostics.is_valid() {
            return Err(Error::InvalidDefinition { diagnostics });
        }
        let mut machine: StateMachine = text.parse()?;
        resolve_activity_arns(&mut machine, |name| self.inner.arns.activity(name));
        plan::compile(&machine).map_err(|e| Error::InvalidDefinition {
            diagnostics: Diagnostics(vec![e.to_diagnostic()]),
        })
    }

    /// The run a tested state runs in: an Express execution's, on the engine's clock.
    fn test_run(
        &self,
        request: &TestStateRequest,
        input: &Value,
        mocks: Mocks,
        probe: Arc<Probe>,
    ) -> Run {
        let inner = &self.inner;
        let name = uuid::Uuid::new_v4().to_string();
        let machine_name = TEST_MACHINE;
        let arn = inner
            .arns
            .states(format_args!("express:{machine_name}:{name}"));
        let machine_arn = inner
            .arns
            .states(format_args!("stateMachine:{machine_name}"));
        let role_arn: Arc<str> = match &request.role_arn {
            Some(role) => Arc::from(role.as_str()),
            None => Arc::from(inner.arns.role()),
        };
        let context_base = ContextIds {
            execution_arn: &arn,
            execution_name: &name,
            role_arn: &role_arn,
            start: inner.clock.now(),
            machine_arn: &machine_arn,
            machine_name,
            redrive_count: None,
            redrive_time: None,
        }
        .context_base();
        // With no role given, the context object has none (`$$.Execution.RoleArn` is
        // null), as on AWS.
        let context_base = match &request.role_arn {
            Some(_) => context_base,
            None => {
                let mut base = Arc::unwrap_or_clone(context_base);
                if let Some(Value::Object(execution)) = base.get_mut("Execution") {
                    execution.insert("RoleArn".into(), Value::Null);
                }
                Arc::new(base)
            }
        };
        Run {
            clock: inner.clock.clone(),
            handlers: inner.handlers.clone(),
            tasks: inner.tasks.clone(),
            mocks: Some(Arc::new(mocks)),
            mock_counts: Arc::default(),
            cancel: CancellationToken::new(),
            stopped: Arc::default(),
            execution_arn: Arc::from(arn.as_str()),
            engine: inner.clone(),
            machine_name: Arc::from(machine_name),
            deletable: None,
            revision: 0,
            role_arn,
            context_base,
            input: Arc::new(input.clone()),
            deadline: chrono::Duration::from_std(TEST_STATE_LIMIT)
                .ok()
                .and_then(|d| inner.clock.now().checked_add_signed(d)),
            probe: Some(probe),
        }
    }
}

/// A field that holds JSON text, read.
fn json_field(field: &str, text: Option<&str>) -> Result<Option<Value>, Error> {
    text.map(|t| serde_json::from_str(t).map_err(|e| invalid(format!("{field} is not JSON: {e}"))))
        .transpose()
}

/// The machine the tested state is in, and the state's name: the definition itself with
/// a state name; otherwise the lone state, with a `Succeed` state for each state it
/// names as its next.
fn machine_of(request: &TestStateRequest) -> Result<(Value, String), Error> {
    let invalid = || Error::InvalidDefinition {
        diagnostics: sfn_core::validate_str(&request.definition),
    };
    let definition: Value = serde_json::from_str(&request.definition).map_err(|_| invalid())?;
    if let Some(name) = &request.state_name {
        return Ok((definition, name.clone()));
    }
    let mut states = Map::new();
    for target in transitions(&definition) {
        if target != TESTED_STATE {
            states.insert(target, json!({"Type": "Succeed"}));
        }
    }
    states.insert(TESTED_STATE.to_owned(), definition);
    let machine = json!({"StartAt": TESTED_STATE, "States": states});
    Ok((machine, TESTED_STATE.to_owned()))
}

/// The states a state's `Next`, `Default`, choice rules and catchers name.
fn transitions(state: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut push = |v: Option<&Value>| {
        if let Some(Value::String(s)) = v {
            out.push(s.clone());
        }
    };
    push(state.get("Next"));
    push(state.get("Default"));
    for list in ["Choices", "Catch"] {
        if let Some(Value::Array(items)) = state.get(list) {
            for item in items {
                push(item.get("Next"));
            }
        }
    }
    out
}

/// The state named `name` in `scope` or any scope nested in it, with its scope.
fn find_state<'p>(scope: &'p ScopePlan, name: &str) -> Option<(&'p ScopePlan, &'p StatePlan)> {
    scope.states.iter().find_map(|st| {
        if &*st.name == name {
            Some((scope, st))
        } else {
            st.nested.iter().find_map(|s| find_state(s, name))
        }
    })
}
