//! Executions: starting one ([`StartRequest`]), and the handle on one ([`Execution`]):
//! describe, wait, read its output, stop it, read or follow its history.

use std::{collections::VecDeque, time::Duration};

use chrono::{DateTime, Utc};
use futures_util::{Stream, stream};
use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;

use super::{
    Error, ExecutionInfo, ExecutionStatus, ExecutionSummary, GetHistory, History, HistoryEvent,
    ListExecutions, PageRequest, Sfn, StartExecution, names, sfn::pages,
};
use crate::definition::StateMachineDefinition;

/// The first pause between two polls of an execution on AWS.
pub const POLL_FIRST: Duration = Duration::from_millis(250);
/// The longest pause between two polls of an execution on AWS.
pub const POLL_MAX: Duration = Duration::from_secs(5);

/// How long to wait before the next poll, after `pause`: half as long again, up to
/// [`POLL_MAX`].
fn next_pause(pause: Duration) -> Duration {
    (pause + pause / 2).min(POLL_MAX)
}

impl Sfn {
    /// Starts an execution of the machine `M` (registered under its name) with a typed
    /// input, checked at compile time, and a generated name.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] when the input does not serialize;
    /// [`Error::StateMachineDoesNotExist`] when `M` is not registered; what the service
    /// answers.
    pub async fn start<M: StateMachineDefinition>(
        &self,
        input: &M::Input,
    ) -> Result<Execution, Error> {
        self.start_execution(M::NAME).input_as(input).send().await
    }

    /// A request to start an execution of the machine, version or alias
    /// `machine_name_or_arn` (a machine's name is looked up).
    pub fn start_execution(&self, machine_name_or_arn: impl Into<String>) -> StartRequest<'_> {
        StartRequest {
            sfn: self,
            machine: machine_name_or_arn.into(),
            input: Ok("{}".to_owned()),
            name: None,
        }
    }

    /// The handle on the execution `execution_arn`.
    pub fn execution(&self, execution_arn: impl Into<String>) -> Execution {
        Execution {
            sfn: self.clone(),
            arn: execution_arn.into(),
        }
    }

    /// The executions of the machine `machine_name_or_arn`, newest first, page after page;
    /// only those with the status `status` when one is given.
    pub fn list_executions(
        &self,
        machine_name_or_arn: impl Into<String>,
        status: Option<ExecutionStatus>,
    ) -> impl Stream<Item = Result<ExecutionSummary, Error>> + '_ {
        let machine = machine_name_or_arn.into();
        let arn = async move { self.state_machine_arn(&machine).await };
        let listed = async move {
            let arn = arn.await?;
            Ok::<_, Error>(pages(move |page: PageRequest| {
                let mut request = ListExecutions::new(arn.clone());
                request.status_filter = status;
                request.page = page;
                self.backend.list_executions(request)
            }))
        };
        futures_util::TryFutureExt::try_flatten_stream(listed)
    }
}

/// A request to start an execution; [`send`](StartRequest::send) starts it.
#[derive(Debug)]
#[must_use = "a start request does nothing until sent"]
pub struct StartRequest<'a> {
    sfn: &'a Sfn,
    machine: String,
    input: Result<String, String>,
    name: Option<String>,
}

impl StartRequest<'_> {
    /// The input, as JSON (the default is `{}`).
    pub fn input(mut self, input: Value) -> Self {
        self.input = Ok(input.to_string());
        self
    }

    /// The input, as JSON text (checked when sent).
    pub fn input_text(mut self, input: impl Into<String>) -> Self {
        self.input = Ok(input.into());
        self
    }

    /// The input, any value that serializes to JSON.
    pub fn input_as<T: Serialize + ?Sized>(mut self, input: &T) -> Self {
        self.input = serde_json::to_string(input)
            .map_err(|e| format!("the execution input does not serialize to JSON: {e}"));
        self
    }

    /// The execution's name (1–80 characters). Without one, a name is made:
    /// `{machine}-{UTC time}-{8 hex digits}`, the machine's name cut so that the whole
    /// fits in 80 characters.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Starts the execution.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for an input that is not JSON or a name that is not
    /// valid; [`Error::StateMachineDoesNotExist`]; what the service answers
    /// ([`Error::ExecutionAlreadyExists`], [`Error::InvalidExecutionInput`], …).
    pub async fn send(self) -> Result<Execution, Error> {
        let input = self.input.map_err(Error::InvalidArgument)?;
        if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(&input) {
            return Err(Error::InvalidArgument(format!(
                "the execution input is not JSON: {e}"
            )));
        }
        let arn = self.sfn.state_machine_arn(&self.machine).await?;
        let name = match self.name {
            Some(n) => {
                names::check(&n).map_err(Error::InvalidArgument)?;
                n
            }
            None => names::execution_name(names::machine_of(&arn), Utc::now()),
        };
        let started = self
            .sfn
            .backend
            .start_execution(StartExecution::new(arn, input).name(name))
            .await?;
        Ok(self.sfn.execution(started.execution_arn))
    }
}

/// The handle on an execution.
#[derive(Debug, Clone)]
pub struct Execution {
    sfn: Sfn,
    arn: String,
}

impl Execution {
    /// The execution's ARN.
    pub fn arn(&self) -> &str {
        &self.arn
    }

    /// The execution as it is now (`DescribeExecution`).
    ///
    /// # Errors
    ///
    /// [`Error::ExecutionDoesNotExist`]; what the service answers.
    pub async fn describe(&self) -> Result<ExecutionInfo, Error> {
        self.sfn.backend.describe_execution(&self.arn).await
    }

    /// Waits for the execution to end, whatever its end; on the embedded engine without
    /// polling, on AWS polling with backoff from 250 ms to 5 s.
    ///
    /// # Errors
    ///
    /// What the service answers.
    pub async fn wait(&self) -> Result<ExecutionInfo, Error> {
        let mut pause = POLL_FIRST;
        loop {
            let info = self.describe().await?;
            if info.status.is_terminal() {
                return Ok(info);
            }
            match self.sfn.backend.watch_execution(&self.arn, i64::MAX) {
                Some(changed) => changed.await,
                None => {
                    tokio::time::sleep(pause).await;
                    pause = next_pause(pause);
                }
            }
        }
    }

    /// Waits for the execution to end, at most `deadline`.
    ///
    /// # Errors
    ///
    /// [`Error::Deadline`] when it is still running then; what the service answers.
    pub async fn wait_for(&self, deadline: Duration) -> Result<ExecutionInfo, Error> {
        match tokio::time::timeout(deadline, self.wait()).await {
            Ok(done) => done,
            Err(_) => Err(Error::Deadline {
                execution_arn: self.arn.clone(),
                waited: deadline,
            }),
        }
    }

    /// Waits for the execution to end and reads its output as a `T`.
    ///
    /// # Errors
    ///
    /// [`Error::ExecutionFailed`] with the execution's error and cause when it did not
    /// succeed; [`Error::Decode`] when the output is not a `T`.
    pub async fn wait_for_output<T: DeserializeOwned>(&self) -> Result<T, Error> {
        let info = self.wait().await?;
        if info.status != ExecutionStatus::Succeeded {
            return Err(Error::ExecutionFailed {
                execution_arn: info.execution_arn,
                status: info.status,
                error: info.error,
                cause: info.cause,
            });
        }
        info.output_as()
    }

    /// Stops the execution (`StopExecution`); when it stopped.
    ///
    /// # Errors
    ///
    /// What the service answers.
    pub async fn stop(
        &self,
        error: Option<&str>,
        cause: Option<&str>,
    ) -> Result<DateTime<Utc>, Error> {
        self.sfn
            .backend
            .stop_execution(&self.arn, error, cause)
            .await
    }

    /// The history so far, every page of it, oldest first.
    ///
    /// # Errors
    ///
    /// What the service answers.
    pub async fn history(&self) -> Result<History, Error> {
        use futures_util::TryStreamExt;
        let events = pages(|page| {
            let mut request = GetHistory::new(self.arn.clone());
            request.page = page;
            self.sfn.backend.get_execution_history(request)
        })
        .try_collect()
        .await?;
        Ok(History::new(events))
    }

    /// Every event of the execution's history, oldest first, as they happen, until the
    /// execution ends: on the embedded engine as each is recorded, on AWS by polling with
    /// backoff from 250 ms to 5 s (each poll reads only the new events, newest first).
    pub fn events(&self) -> impl Stream<Item = Result<HistoryEvent, Error>> + '_ {
        let state = Follow {
            last_id: 0,
            ready: VecDeque::new(),
            pause: POLL_FIRST,
            ended: false,
            first: true,
        };
        stream::try_unfold(state, move |mut st| async move {
            loop {
                if let Some(event) = st.ready.pop_front() {
                    return Ok(Some((event, st)));
                }
                if st.ended {
                    return Ok(None);
                }
                if !st.first {
                    match self.sfn.backend.watch_execution(&self.arn, st.last_id) {
                        Some(changed) => changed.await,
                        None => {
                            tokio::time::sleep(st.pause).await;
                            st.pause = next_pause(st.pause);
                        }
                    }
                }
                st.first = false;
                // Whether it had ended before the read: then the read has every event.
                let ended = self.describe().await?.status.is_terminal();
                let new = self.events_after(st.last_id).await?;
                if let Some(last) = new.last() {
                    st.last_id = last.id;
                    st.pause = POLL_FIRST;
                }
                st.ready.extend(new);
                st.ended = ended;
            }
        })
    }

    /// The events after the event `after`, oldest first, read newest first so that only
    /// the new pages are read.
    async fn events_after(&self, after: i64) -> Result<Vec<HistoryEvent>, Error> {
        let mut new = Vec::new();
        let mut token = None;
        loop {
            let mut request = GetHistory::new(self.arn.clone());
            request.reverse_order = true;
            request.page = PageRequest::after(token);
            let page = self.sfn.backend.get_execution_history(request).await?;
            let mut reached = false;
            for event in page.items {
                if event.id <= after {
                    reached = true;
                    break;
                }
                new.push(event);
            }
            match page.next_token {
                Some(t) if !reached => token = Some(t),
                _ => break,
            }
        }
        new.reverse();
        Ok(new)
    }
}

struct Follow {
    last_id: i64,
    ready: VecDeque<HistoryEvent>,
    pause: Duration,
    ended: bool,
    first: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polls_back_off_to_five_seconds() {
        let mut pause = POLL_FIRST;
        let mut pauses = vec![pause];
        while pause < POLL_MAX {
            pause = next_pause(pause);
            pauses.push(pause);
        }
        assert_eq!(pauses.first(), Some(&Duration::from_millis(250)));
        assert_eq!(pauses.last(), Some(&POLL_MAX));
        assert!(pauses.len() < 12, "{pauses:?}");
    }
}
