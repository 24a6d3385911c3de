//! TestState: one state run on its own
//! ([`LocalEngine::test_state`](crate::local::LocalEngine::test_state)).
//!
//! The members are checked here with AWS's wording; the request is then read, and the
//! answer written, by the engine's own [`TestStateRequest::from_json`] and
//! [`TestStateOutput::to_json`](crate::local::TestStateOutput::to_json).

use super::{ARN_MAX, Ctx, DATA_MAX, DEFINITION_MAX, until_shutdown};
use crate::{
    api::{
        error::from_engine,
        protocol::{Input, OpResult, all},
    },
    local::TestStateRequest,
};

/// The longest state name.
const STATE_NAME_MAX: usize = 80;

pub(super) async fn test_state(ctx: &Ctx, input: &Input) -> OpResult {
    // In the order of AWS's members.
    all((
        input.string("definition", 1, DEFINITION_MAX),
        input.opt_string("roleArn", 1, ARN_MAX),
        input.opt_string("input", 0, DATA_MAX),
        input.opt_enum("inspectionLevel", &["INFO", "DEBUG", "TRACE"]),
        input.opt_bool("revealSecrets"),
        input.opt_string("variables", 0, DATA_MAX),
        input.opt_string("stateName", 1, STATE_NAME_MAX),
        input.opt_string("context", 0, DATA_MAX),
    ))?;
    let request = TestStateRequest::from_json(&input.to_value()).map_err(from_engine)?;
    let tested = until_shutdown(ctx, ctx.engine.test_state(request))
        .await?
        .map_err(from_engine)?;
    Ok(tested.to_json())
}
