//! The AWS Step Functions API in front of the embedded engine: a local endpoint that the
//! AWS SDKs, the AWS CLI and any other Step Functions client drive unchanged.
//!
//! The protocol is AWS's own: AWS JSON 1.0 over HTTP/1.1, `POST /` with
//! `X-Amz-Target: AWSStepFunctions.<Operation>` and
//! `Content-Type: application/x-amz-json-1.0`; timestamps are epoch seconds; errors are
//! `{"__type": "<Exception>", "message": "…"}` with AWS's exception names and status
//! codes. Requests are not authenticated: **any credentials are accepted**, and the
//! `Host` header is ignored (so a request an SDK sends to `sync-<host>` works wherever
//! that name resolves). Bodies over 1 MiB are refused; malformed JSON, members of the
//! wrong type and missing members get a `ValidationException` that names the member.
//!
//! Machines and activities live in the engine's account and region
//! (`arn:aws:states:us-east-1:123456789012:…`).
//!
//! ```
//! use sfn_runtime::{local::LocalEngine, server::Server};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # tokio::runtime::Builder::new_multi_thread().enable_all().build()?.block_on(async {
//! let server = Server::builder()
//!     .engine(LocalEngine::new())
//!     .bind("127.0.0.1:0".parse()?) // port 0: any free port
//!     .build()
//!     .await?;
//! let url = server.endpoint_url(); // point clients here, with any credentials
//! assert!(url.starts_with("http://127.0.0.1:"));
//! server.shutdown().await;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # })?;
//! # Ok(())
//! # }
//! ```
//!
//! # Operations
//!
//! Activities (`CreateActivity`, `DeleteActivity`, `DescribeActivity`,
//! `ListActivities`), tasks (`GetActivityTask`, held up to
//! [`activity_poll_timeout`](ServerBuilder::activity_poll_timeout); `SendTaskSuccess`,
//! `SendTaskFailure`, `SendTaskHeartbeat`), state machines (`CreateStateMachine`,
//! `UpdateStateMachine`, `DeleteStateMachine`, `DescribeStateMachine`,
//! `DescribeStateMachineForExecution`, `ListStateMachines`; `publish` and
//! `versionDescription`), versions (`PublishStateMachineVersion`,
//! `ListStateMachineVersions`, `DeleteStateMachineVersion`), aliases
//! (`CreateStateMachineAlias`, `DescribeStateMachineAlias`, `UpdateStateMachineAlias`,
//! `DeleteStateMachineAlias`, `ListStateMachineAliases`; an execution started through an
//! alias picks a version by weight), executions
//! (`StartExecution`, which for an Express machine answers its `…:express:…` ARN and
//! keeps nothing; `StartSyncExecution` for Express machines; `StopExecution`,
//! `DescribeExecution` with `redriveCount`, `redriveDate`, `redriveStatus` and
//! `redriveStatusReason`; `ListExecutions` with `statusFilter`, `mapRunArn` and
//! `redriveFilter`; `GetExecutionHistory`; `RedriveExecution` with `clientToken`), Map
//! Runs (`DescribeMapRun`, `ListMapRuns`, `UpdateMapRun`), `TestState` (a state on its
//! own or named by `stateName` in a whole definition; `mock`, `inspectionLevel`,
//! `variables`, `context`, `stateConfiguration`), `ValidateStateMachineDefinition`, and
//! tags (`TagResource`, `UntagResource`, `ListTagsForResource`). Every list operation
//! pages with `nextToken` and `maxResults` (at most 1,000; 0 or none means 100).
//!
//! The AWS SDKs send `StartSyncExecution` and `TestState` to the host
//! `sync-<endpoint host>`: make that name resolve to the server, or remove the prefix
//! (botocore: `Config(inject_host_prefix=False)`; the Rust SDK: the interceptor
//! `sfn_runtime::aws::NoSyncPrefix`, which `sfn_runtime::aws::local_config` adds, with
//! timeouts that outlast a held poll; feature `aws`).
//!
//! # Faults
//!
//! For testing clients and workers, [`ServerBuilder::faults`] answers a share of the
//! requests (per operation, or all) with a 500 (`InternalFailure`), a
//! `ThrottlingException` (HTTP 400, as AWS sends it), or serves them after a delay:
//! `GetActivityTask:throttle=0.2,SendTaskSuccess:error=0.1,*:delay=0.1@300ms` (the
//! syntax is [`Faults`]'). Faults are drawn before the operation runs, so a faulted
//! request has no effect on the engine; [`ServerBuilder::faults_seed`] makes the draws
//! repeatable.

mod faults;
mod listen;

pub use faults::{Faults, FaultsError};
pub use listen::{Server, ServerBuilder, ServerError, ServerHandle};
