//! Deleting a state machine as AWS does: at once when none of its executions runs;
//! otherwise the machine is `DELETING` (described so, refused to new executions, updates
//! and versions with [`Error::StateMachineDeleting`]), its running Standard executions
//! fail at their next state transition (`States.Runtime`, "State machine NAME has been
//! deleted."), and it is removed when the last of them ends.

use std::{
    collections::HashSet,
    sync::atomic::{AtomicBool, Ordering},
};

use super::{
    engine::{Inner, LocalEngine},
    error::Error,
    execution::ExecutionStatus,
    sync::lock,
};

/// The machines being deleted, by ARN: `DELETING` until their executions end.
#[derive(Debug, Default)]
pub(crate) struct Deleting {
    machines: std::sync::Mutex<HashSet<String>>,
    /// Whether `machines` holds any, kept under its lock: every state transition asks
    /// [`Inner::is_deleting`], which then takes no lock while no machine is being
    /// deleted.
    any: AtomicBool,
}

impl Deleting {
    /// Marks `arn` as being deleted, or no longer, under the held lock `machines`.
    fn set(&self, machines: &mut HashSet<String>, arn: &str, deleting: bool) {
        if deleting {
            machines.insert(arn.to_owned());
        } else {
            machines.remove(arn);
        }
        self.any.store(!machines.is_empty(), Ordering::Release);
    }
}

impl Inner {
    /// Whether the machine `arn` is being deleted. Read on every state transition of a
    /// Standard execution: without a machine being deleted, one atomic load. (A
    /// transition racing the delete itself may go on; the next one stops.)
    pub(crate) fn is_deleting(&self, arn: &str) -> bool {
        self.deleting.any.load(Ordering::Acquire) && lock(&self.deleting.machines).contains(arn)
    }

    /// [`Error::StateMachineDeleting`] for a machine being deleted.
    pub(super) fn refuse_deleting(&self, arn: &str) -> Result<(), Error> {
        if self.is_deleting(arn) {
            return Err(Error::StateMachineDeleting {
                arn: arn.to_owned(),
            });
        }
        Ok(())
    }

    /// Whether an execution of the machine `arn` (started through the machine, one of
    /// its versions or aliases) runs.
    fn runs(&self, arn: &str) -> bool {
        lock(&self.executions)
            .values()
            .any(|e| e.machine_arn == arn && lock(&e.state).status == ExecutionStatus::Running)
    }

    /// An execution of the machine `arn` ended: a machine being deleted goes once none
    /// of its executions runs.
    pub(super) fn execution_ended(&self, arn: &str) {
        // Under the lock, not the flag: a delete that saw this execution running must be
        // seen here.
        let mut deleting = lock(&self.deleting.machines);
        if deleting.contains(arn) && !self.runs(arn) {
            self.deleting.set(&mut deleting, arn, false);
            self.remove_machine(arn);
        }
    }

    /// Removes a machine with its versions, aliases and tags.
    fn remove_machine(&self, arn: &str) {
        // All at once, in the order `register_machine` takes them: a machine created
        // again meanwhile keeps all it was created with.
        let mut machines = lock(&self.machines);
        let mut metas = lock(&self.registry.machines);
        let mut published = lock(&self.published);
        let mut tags = lock(&self.registry.tags);
        machines.shift_remove(arn);
        metas.remove(arn);
        published.remove(arn);
        tags.remove(arn);
    }
}

impl LocalEngine {
    /// Deletes a state machine with its versions and aliases (`DeleteStateMachine`). As
    /// on AWS, a machine none of whose executions runs goes at once; otherwise it is
    /// `DELETING` until they end: it cannot be started, updated or published
    /// ([`Error::StateMachineDeleting`]), and its running Standard executions fail at
    /// their next state transition. Deleting one that does not exist does nothing.
    pub fn delete_state_machine(&self, arn: &str) {
        let inner = &self.inner;
        // Under the lock that an ending execution takes too: either it ends first and
        // the machine goes now, or it finds the machine being deleted and removes it.
        let mut deleting = lock(&inner.deleting.machines);
        if lock(&inner.machines).contains_key(arn) && inner.runs(arn) {
            inner.deleting.set(&mut deleting, arn, true);
        } else {
            inner.deleting.set(&mut deleting, arn, false);
            inner.remove_machine(arn);
        }
    }
}
