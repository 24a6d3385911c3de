//! What the loops of one worker share.

use std::sync::Arc;

use super::{backoff::Backoff, send::SendPolicy, shutdown::Shutdown, stats::Counters};
use crate::{activity::Activity, client::Sfn};

/// The worker's state, shared by its loops and its handle.
pub(super) struct Shared {
    pub(super) sfn: Sfn,
    pub(super) worker_name: String,
    pub(super) counters: Arc<Counters>,
    pub(super) shutdown: Shutdown,
    pub(super) poll_backoff: Backoff,
    pub(super) send: SendPolicy,
    /// The store tasks keep state data in, when the worker was given one.
    #[cfg(feature = "tools")]
    pub(super) state_data: Option<crate::tools::StateData>,
}

/// An activity the worker serves.
pub(super) struct Served {
    pub(super) activity: Arc<dyn Activity>,
    /// The name it is registered under: the prefix and the activity's name.
    pub(super) full_name: String,
    /// How many of its tasks may run at once.
    pub(super) concurrency: usize,
}
