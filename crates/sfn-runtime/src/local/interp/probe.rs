//! The probe TestState puts on a run: what it notes of each step of the state's
//! processing, the circumstances it pretends (retries made, Map iterations failed, items
//! read), and the `Retry`/`Catch` decision it reports instead of carrying out.

use std::sync::Mutex;

use serde_json::Value;
use sfn_core::{error::states, eval::retry, model::Retrier};

use super::{Failure, Run};
use crate::local::{
    lock,
    map_run::over_tolerance,
    mock::MockResponse,
    plan::StatePlan,
    test_state::{InspectionData, InspectionErrorDetails},
};

/// The name the tested state runs under (`$$.State.Name`), as on AWS, whether given on
/// its own or named within a machine.
pub(crate) const TESTED_STATE: &str = "StateName";

/// How the tested state's failure was settled.
#[derive(Debug, Default)]
pub(crate) struct Verdict {
    /// A retrier would try the state again.
    pub(crate) retriable: bool,
    /// A catcher took this error and cause.
    pub(crate) caught: Option<(String, Option<String>)>,
}

/// TestState's probe on a run.
#[derive(Debug, Default)]
pub(crate) struct Probe {
    /// The whole context object, when the request gives it.
    pub(crate) context: Option<Value>,
    /// Retries already made by the retrier that takes the error.
    pub(crate) retrier_retry_count: u64,
    /// Failed iterations of a mocked Map.
    pub(crate) map_iteration_failure_count: u64,
    /// What a Map's `ItemReader` reads.
    pub(crate) item_reader_data: Option<Value>,
    pub(crate) data: Mutex<InspectionData>,
    pub(crate) verdict: Mutex<Verdict>,
}

impl Probe {
    /// The data noted, and how a failure was settled.
    pub(crate) fn finish(&self) -> (InspectionData, Verdict) {
        (
            std::mem::take(&mut *lock(&self.data)),
            std::mem::take(&mut *lock(&self.verdict)),
        )
    }

    fn error_details(&self, f: impl FnOnce(&mut InspectionErrorDetails)) {
        let mut data = lock(&self.data);
        f(data.error_details.get_or_insert_with(Default::default));
    }

    /// Whether a retrier takes `error` with attempts left: notes the retrier and the
    /// delay it would wait.
    pub(super) fn retriable(
        &self,
        retriers: &[Retrier],
        error: &str,
        origin: retry::Origin,
    ) -> bool {
        let Some(i) = retry::retrier_for_origin(retriers, error, origin) else {
            return false;
        };
        let delay = retriers
            .get(i)
            .and_then(|r| retry::retry_delay(r, self.retrier_retry_count, fastrand::f64()));
        self.error_details(|d| {
            d.retry_index = Some(i);
            d.retry_backoff_interval_seconds = delay.map(|d| d.as_secs());
        });
        lock(&self.verdict).retriable = delay.is_some();
        delay.is_some()
    }

    /// Notes that the catcher `index` took the error.
    pub(super) fn caught(&self, index: usize, error: &str, cause: Option<&str>) {
        self.error_details(|d| d.catch_index = Some(index));
        lock(&self.verdict).caught = Some((error.to_owned(), cause.map(str::to_owned)));
    }
}

impl Run {
    /// Notes a step's data when TestState probes the run; costs nothing otherwise.
    pub(super) fn note(&self, f: impl FnOnce(&mut InspectionData)) {
        if let Some(p) = &self.probe {
            f(&mut lock(&p.data));
        }
    }

    /// Whether TestState probes the run.
    pub(super) fn probing(&self) -> bool {
        self.probe.is_some()
    }

    /// The context object TestState was given, which replaces the one the run builds.
    pub(super) fn given_context(&self) -> Option<&Value> {
        self.probe.as_ref().and_then(|p| p.context.as_ref())
    }

    /// Under TestState, the mocked result of a Map or Parallel, which stands for its
    /// iterations or branches. A Map's failed iterations (`mapIterationFailureCount`)
    /// beyond the tolerance it sets fail it; as AWS's TestState does, they are counted
    /// only against a tolerance the Map sets (`ToleratedFailureCount` or
    /// `ToleratedFailurePercentage`), not against an execution's default of none.
    pub(super) fn mocked_result(
        &self,
        st: &StatePlan,
        items: Option<(usize, Option<u64>, Option<f64>)>,
    ) -> Option<Result<Value, Failure>> {
        let probe = self.probe.as_ref()?;
        let response = self.mocks.as_ref()?.get(&st.name)?.response(0)?;
        Some(match response {
            MockResponse::Throw { error, cause } => Err(Failure::new(error.clone(), cause.clone())),
            MockResponse::Return(v) => match items {
                Some((total, count, pct))
                    if (count.is_some() || pct.is_some())
                        && over_tolerance(
                            probe.map_iteration_failure_count,
                            total as u64,
                            count,
                            pct,
                        ) =>
                {
                    Err(Failure::new(
                        states::EXCEED_TOLERATED_FAILURE_THRESHOLD,
                        Some(super::map::TOLERANCE_EXCEEDED.into()),
                    ))
                }
                _ => Ok(v.clone()),
            },
        })
    }

    /// The items a Map's `ItemReader` reads under TestState: `mapItemReaderData`.
    pub(super) fn probe_items(&self) -> Option<Result<Vec<Value>, Failure>> {
        match self.probe.as_ref()?.item_reader_data.as_ref()? {
            Value::Array(items) => Some(Ok(items.clone())),
            other => Some(Err(Failure::new(
                states::ITEM_READER_FAILED,
                Some(format!("The items read must be an array but were: {other}")),
            ))),
        }
    }
}
