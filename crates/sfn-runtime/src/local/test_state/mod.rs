//! TestState: one state run on its own, as AWS Step Functions' `TestState` API runs it.
//!
//! The state runs through the interpreter, the same code an execution uses; a probe on
//! the run notes what each step of its input and output processing produced
//! ([`InspectionData`]) and reports the `Retry` and `Catch` decision instead of
//! carrying it out (`RETRIABLE`, `CAUGHT_ERROR`).
//!
//! ```
//! use sfn_runtime::local::{InspectionLevel, LocalEngine, TestStateRequest, TestStatus};
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let engine = LocalEngine::new();
//! let request = TestStateRequest::new(r#"{"Type": "Pass", "InputPath": "$.a", "End": true}"#)
//!     .input(r#"{"a": {"b": 1}}"#)
//!     .inspection_level(InspectionLevel::Debug);
//! let tested = engine.test_state(request).await?;
//! assert_eq!(tested.status, TestStatus::Succeeded);
//! assert_eq!(tested.output, Some(serde_json::json!({"b": 1})));
//! let data = tested.inspection_data.unwrap_or_default();
//! assert_eq!(data.after_input_path, Some(serde_json::json!({"b": 1})));
//! # Ok::<(), sfn_runtime::local::Error>(())
//! # }).unwrap();
//! ```
//!
//! | file | what it holds |
//! |---|---|
//! | `request.rs` | [`TestStateRequest`], [`InspectionLevel`], [`StateConfiguration`], [`FieldValidationMode`] |
//! | `response.rs` | [`TestStateOutput`], [`TestStatus`], [`InspectionData`], [`InspectionErrorDetails`] |
//! | `context.rs` | the context object a request gives, checked as AWS checks it |
//! | `mock_check.rs` | what AWS checks of a mock before the run: the state types that take one, a Map's or Parallel's mocked result, a task's result against its API's output shape |
//! | `api_shapes.rs` | the output shapes of the service APIs those checks know, as data |
//! | `run.rs` | [`LocalEngine::test_state`](super::LocalEngine::test_state): the definition, the run, the verdict |

mod api_shapes;
mod context;
mod mock_check;
mod request;
mod response;
mod run;

pub use request::{FieldValidationMode, InspectionLevel, StateConfiguration, TestStateRequest};
pub use response::{InspectionData, InspectionErrorDetails, TestStateOutput, TestStatus};
