//! Activities served in-process ([`LocalEngine::serve_activity_with_state`]) with state
//! data.

use std::sync::Arc;

use super::StateData;
use crate::{
    activity::Activity,
    local::{Error, LocalEngine},
};

impl LocalEngine {
    /// [`serve_activity`](Self::serve_activity), each task's context given `state_data`
    /// ([`TaskContext::state_data`](crate::activity::TaskContext::state_data) then
    /// answers it, namespaced by the task's execution).
    ///
    /// # Errors
    ///
    /// As [`create_activity`](Self::create_activity).
    pub fn serve_activity_with_state(
        &self,
        activity: &'static dyn Activity,
        state_data: StateData,
    ) -> Result<String, Error> {
        self.serve_activity_with(
            activity,
            Arc::new(move |ctx| ctx.with_state_data(state_data.clone())),
        )
    }
}
