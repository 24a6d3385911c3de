//! Express machines: created with their type, run for five minutes at most, started
//! asynchronously (`StartExecution`) or synchronously (`StartSyncExecution`), and not kept.
//!
//! As on AWS (<https://docs.aws.amazon.com/step-functions/latest/dg/concepts-standard-vs-express.html>):
//! an Express machine may not call activities nor use the `.sync` and
//! `.waitForTaskToken` patterns (refused when it is created); its executions are named
//! freely (a name may repeat), their ARNs take the Express form
//! `arn:aws:states:REGION:ACCOUNT:express:MACHINE:NAME:ID`, and the engine keeps no
//! record of them: `DescribeExecution`, `GetExecutionHistory` and `StopExecution` refuse
//! such an ARN ([`Error::InvalidArn`]), and listing an Express machine's executions is
//! refused ([`Error::StateMachineTypeNotSupported`]). A Rust caller still has the
//! [`Execution`] handle that `start_execution` returned, to wait on it.
//!
//! # What differs from AWS
//!
//! - **How many times a run happens.** AWS runs an asynchronous Express execution *at
//!   least once* (a workflow, or a state of it, may run again: tasks must be
//!   idempotent) and a synchronous one *at most once*. The engine runs each exactly
//!   once, so a test here never sees the repeats AWS may cause; test idempotency on its
//!   own.
//! - **History.** AWS keeps none (only CloudWatch Logs, when logging is on); the
//!   engine records one while the run lasts, which the returned handle reads, and drops
//!   it at the end.
//! - **Billing.** `StartSyncExecution`'s `billingDetails` are computed as AWS bills them
//!   (memory in 64 MB steps, duration in 100 ms steps) from the engine's own measures,
//!   which are not AWS's.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::Value;
use sfn_core::{
    StateMachine, definition::resolve_activity_arns, model::ExecutionType,
    validate::validate_value_with,
};

use super::{
    CreateStateMachine, Error, Execution, ExecutionStatus, LocalEngine, StartExecution,
    engine::{MachineEntry, check_name},
    execution::Via,
    lock,
    manage::{NewMachine, validate_options},
    redrive::Launch,
};

/// The longest an Express execution runs, in seconds.
pub const EXPRESS_MAX_SECONDS: u64 = 300;

/// The step AWS bills an Express execution's duration in, in milliseconds.
const BILLED_DURATION_STEP_MS: u64 = 100;

/// The step AWS bills an Express execution's memory in, in MB.
const BILLED_MEMORY_STEP_MB: u64 = 64;

/// How long an execution of `machine` may run, in seconds: its `TimeoutSeconds`, and for
/// an Express machine five minutes at most.
pub(crate) fn time_limit(machine: &MachineEntry) -> Option<u64> {
    let own = machine.definition.timeout_seconds;
    match machine.machine_type {
        ExecutionType::Express => {
            Some(own.map_or(EXPRESS_MAX_SECONDS, |t| t.min(EXPRESS_MAX_SECONDS)))
        }
        _ => own,
    }
}

/// The error for an execution ARN the engine does not keep: an Express execution's ARN is
/// of a kind the operation does not take; any other names no execution.
pub(crate) fn not_kept(arn: &str) -> Error {
    if arn.split(':').nth(5) == Some("express") {
        Error::InvalidArn {
            arn: arn.to_owned(),
            message: "Invalid Arn: 'Resource type not valid in this context: express'".to_owned(),
        }
    } else {
        Error::ExecutionDoesNotExist {
            arn: arn.to_owned(),
        }
    }
}

/// What AWS bills for an Express execution (`billingDetails`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct BillingDetails {
    /// The memory billed, in MB: AWS estimates it from the size of the definition and of
    /// the execution's data and bills it in 64 MB steps, so 64 MB for any execution
    /// within the service's limits.
    pub billed_memory_used_in_mb: u64,
    /// The duration billed, in milliseconds: the run's, rounded up to the next 100 ms
    /// (100 ms at least).
    pub billed_duration_in_milliseconds: u64,
}

impl BillingDetails {
    /// What an execution that ran `millis` milliseconds over `bytes` of definition and
    /// data is billed.
    pub fn for_run(millis: u64, bytes: u64) -> Self {
        const MB: u64 = 1024 * 1024;
        let chunk = BILLED_MEMORY_STEP_MB * MB;
        BillingDetails {
            billed_memory_used_in_mb: bytes.max(1).div_ceil(chunk) * BILLED_MEMORY_STEP_MB,
            billed_duration_in_milliseconds: millis.max(1).div_ceil(BILLED_DURATION_STEP_MS)
                * BILLED_DURATION_STEP_MS,
        }
    }
}

/// What `StartSyncExecution` answers: how an Express execution ended.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct SyncExecution {
    /// The execution's ARN, in the Express form.
    pub execution_arn: String,
    /// The machine's ARN.
    pub state_machine_arn: String,
    /// The execution's name.
    pub name: String,
    /// [`ExecutionStatus::Succeeded`], [`ExecutionStatus::Failed`] or
    /// [`ExecutionStatus::TimedOut`].
    pub status: ExecutionStatus,
    /// When it started.
    pub start_date: DateTime<Utc>,
    /// When it ended.
    pub stop_date: DateTime<Utc>,
    /// Its input.
    pub input: Value,
    /// Its input as it was sent, when it was sent as JSON text
    /// ([`StartExecution::from_json`]): AWS keeps the text and gives it back as it came
    /// (none: the JSON of `input`).
    pub input_text: Option<String>,
    /// Its output, when it succeeded.
    pub output: Option<Value>,
    /// The error, when it did not.
    pub error: Option<String>,
    /// The cause.
    pub cause: Option<String>,
    /// What AWS would bill for it.
    pub billing_details: BillingDetails,
}

impl LocalEngine {
    /// Creates a state machine of a type (`CreateStateMachine` with `type`) and returns
    /// its ARN; as [`create_state_machine`](Self::create_state_machine), which creates a
    /// Standard one. An Express machine's definition is validated as one: activities,
    /// `.sync` and `.waitForTaskToken` are refused.
    ///
    /// # Errors
    ///
    /// As [`create_state_machine`](Self::create_state_machine);
    /// [`Error::StateMachineAlreadyExists`] also when the machine exists with the other
    /// type.
    pub fn create_state_machine_of_type(
        &self,
        name: &str,
        mut definition: StateMachine,
        machine_type: ExecutionType,
    ) -> Result<String, Error> {
        check_name(name)?;
        resolve_activity_arns(&mut definition, |name| self.inner.arns.activity(name));
        let (_, diagnostics) =
            validate_value_with(&definition.to_value(), validate_options(machine_type));
        if !diagnostics.is_valid() {
            return Err(Error::InvalidDefinition { diagnostics });
        }
        let text = definition.to_json();
        let registered = self.register_machine(NewMachine {
            name,
            definition,
            text: &text,
            sent_as_text: false,
            machine_type,
            role_arn: None,
            tags: Vec::new(),
            settings: serde_json::Map::new(),
        })?;
        Ok(registered.arn)
    }

    /// Reads, validates and creates a state machine of a type from its JSON text, as
    /// [`create_state_machine_from`](Self::create_state_machine_from) does: the text is
    /// recorded as sent.
    ///
    /// # Errors
    ///
    /// As [`create_state_machine_of_type`](Self::create_state_machine_of_type).
    pub fn create_state_machine_json_of_type(
        &self,
        name: &str,
        definition: &str,
        machine_type: ExecutionType,
    ) -> Result<String, Error> {
        let create = CreateStateMachine::new(name, definition).machine_type(machine_type);
        Ok(self.create_state_machine_from(create)?.state_machine_arn)
    }

    /// The type of the machine `arn`.
    ///
    /// # Errors
    ///
    /// [`Error::StateMachineDoesNotExist`].
    pub fn state_machine_type(&self, arn: &str) -> Result<ExecutionType, Error> {
        Ok(self.machine(arn)?.machine_type)
    }

    /// The machine `arn`.
    pub(super) fn machine(&self, arn: &str) -> Result<Arc<MachineEntry>, Error> {
        lock(&self.inner.machines).get(arn).cloned().ok_or_else(|| {
            Error::StateMachineDoesNotExist {
                arn: arn.to_owned(),
            }
        })
    }

    /// Starts an Express execution, started through `via`: not kept, so neither listed
    /// nor described.
    pub(super) fn start_express(
        &self,
        launch: Launch,
        via: Via,
        name: String,
        input: Value,
        input_text: Option<Arc<str>>,
    ) -> Execution {
        let machine = launch.machine.clone();
        let id = uuid::Uuid::new_v4();
        let arn = self
            .inner
            .arns
            .states(format_args!("express:{}:{name}:{id}", machine.name));
        let entry = self.started(arn, name, &machine, via, (Arc::new(input), input_text), 16);
        self.launch(entry, launch, None)
    }

    /// Runs an Express execution to its end and returns how it ended
    /// (`StartSyncExecution`): its status (succeeded, failed, or timed out past five
    /// minutes or the machine's `TimeoutSeconds`), output or error and cause, dates and
    /// billing. The name may repeat; the execution is not kept.
    ///
    /// # Errors
    ///
    /// [`Error::StateMachineDoesNotExist`], [`Error::StateMachineTypeNotSupported`] (a
    /// Standard machine), [`Error::InvalidName`], [`Error::InvalidExecutionInput`],
    /// [`Error::EngineStopped`].
    pub async fn start_sync_execution(
        &self,
        machine_arn: &str,
        start: StartExecution,
    ) -> Result<SyncExecution, Error> {
        // A version's or an alias's ARN runs a revision of the machine.
        let machine = match self.qualified_machine(machine_arn) {
            Some(found) => found.map_err(|_| Error::StateMachineDoesNotExist {
                arn: machine_arn.to_owned(),
            })?,
            None => self.machine(machine_arn)?,
        };
        if machine.machine_type != ExecutionType::Express {
            return Err(Error::StateMachineTypeNotSupported {
                arn: machine_arn.to_owned(),
            });
        }
        let run = self
            .start_execution(
                machine_arn,
                StartExecution {
                    sync: true,
                    ..start
                },
            )
            .await?;
        let done = run.wait().await?;
        let stop_date = done.stop_date.unwrap_or(done.start_date);
        let millis = stop_date
            .signed_duration_since(done.start_date)
            .num_milliseconds();
        let size = |v: &Value| v.to_string().len() as u64;
        let bytes = size(&machine.definition.to_value())
            + size(&done.input)
            + done.output.as_ref().map_or(0, size);
        let status = match done.status {
            ExecutionStatus::Succeeded | ExecutionStatus::TimedOut => done.status,
            _ => ExecutionStatus::Failed,
        };
        Ok(SyncExecution {
            execution_arn: done.execution_arn,
            state_machine_arn: done.state_machine_arn,
            name: done.name,
            status,
            start_date: done.start_date,
            stop_date,
            input: done.input,
            input_text: done.input_text,
            output: done.output,
            error: done.error,
            cause: done.cause,
            billing_details: BillingDetails::for_run(u64::try_from(millis).unwrap_or(0), bytes),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::BillingDetails;

    #[test]
    fn billing_rounds_up_to_100_ms_and_64_mb() {
        let b = BillingDetails::for_run(0, 10);
        assert_eq!(b.billed_duration_in_milliseconds, 100);
        assert_eq!(b.billed_memory_used_in_mb, 64);
        assert_eq!(
            BillingDetails::for_run(101, 10).billed_duration_in_milliseconds,
            200
        );
        assert_eq!(
            BillingDetails::for_run(1_000, 10).billed_duration_in_milliseconds,
            1_000
        );
        assert_eq!(
            BillingDetails::for_run(1, 64 * 1024 * 1024 + 1).billed_memory_used_in_mb,
            128
        );
    }
}
