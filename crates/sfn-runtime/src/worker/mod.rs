//! Activity workers that never lose a task.
//!
//! [`Sfn::worker`](crate::client::Sfn::worker) builds one: the activities it serves, each
//! with its own [`Concurrency`], an optional name prefix, a worker name; then
//! [`spawn`](WorkerBuilder::spawn) starts it in the background and answers a
//! [`WorkerHandle`] (counters, [`shutdown`](WorkerHandle::shutdown)), or
//! [`run_until_ctrl_c`](WorkerBuilder::run_until_ctrl_c) runs it in a binary's `main`.
//!
//! ```no_run
//! use sfn_runtime::{client::Sfn, prelude::*, worker::Concurrency};
//!
//! #[derive(Deserialize, JsonSchema)]
//! struct Numbers { a: i64, b: i64 }
//!
//! /// Adds two numbers.
//! #[activity(name = "add", heartbeat = 20)]
//! async fn add(input: Numbers, _ctx: &TaskContext) -> Result<i64, TaskError> {
//!     Ok(input.a + input.b)
//! }
//!
//! # async fn run(sfn: Sfn) -> Result<(), Box<dyn std::error::Error>> {
//! let stats = sfn.worker().activity_with(add, Concurrency(8)).run_until_ctrl_c().await?;
//! println!("{} tasks done", stats.answered());
//! # Ok(())
//! # }
//! ```
//!
//! # What it guarantees
//!
//! - **A poll only for a free slot.** Each activity has as many slots as its
//!   concurrency; a slot polls while it is free and runs what it gets, so no task waits
//!   in a local queue while its timeout runs.
//! - **No poll dropped.** A stop starts no new `GetActivityTask` and awaits the ones out
//!   (the service may hand one a task). The AWS back end's client gives that call an
//!   attempt timeout above the 60 s hold, which the worker relies on to never hang on a
//!   dead connection. On the embedded engine, where dropping a poll is safe, polls end at
//!   once. On AWS a stop can therefore take up to the 60 s hold plus the grace: give a
//!   supervisor that much before it kills the process (Kubernetes'
//!   `terminationGracePeriodSeconds` of at least 70 + the grace, say), or a task a poll
//!   took in the last moment is lost until its timeout.
//! - **Every task answered once.** Within the grace a task runs to its end; after it, it
//!   is answered `SendTaskFailure` with the error `Worker.ShuttingDown`.
//! - **Errors never end it.** Failed polls and sends (transport, 5xx, throttling) are
//!   retried with exponential backoff and full jitter ([`Backoff`]); a poll refused for
//!   another reason (`ActivityDoesNotExist`) waits the backoff's cap and tries again.
//!   Everything is logged with `tracing` (a span per task: activity, token prefix) and
//!   counted ([`WorkerStats`]).
//! - **Heartbeats.** While a handler runs, a heartbeat goes every third of the
//!   activity's `HeartbeatSeconds` ([`heartbeat_interval`]; every minute without one, to
//!   learn of stopped executions); `ctx.heartbeat()` sends one by hand. When one answers
//!   `TaskTimedOut` or `TaskDoesNotExist`, the handler's future is dropped and nothing is
//!   sent ([`TaskContext::cancelled`](crate::activity::TaskContext::cancelled) tells work
//!   the handler started elsewhere).
//! - **Results within AWS's limits.** Error names and causes are cut to 256 and 32,768
//!   characters ([`limits`]); an output over 262,144 bytes fails the task with
//!   `States.DataLimitExceeded`; a panic in a handler fails it with `Worker.Panic` and
//!   the panic message. Sends are final on `TaskTimedOut`, `TaskDoesNotExist` and
//!   `InvalidToken`.
//! - **Blocking handlers** run on tokio's blocking threads ([`BlockingActivity`]).
//!
//! # Where things are
//!
//! | file | what it holds |
//! |---|---|
//! | `builder.rs` | [`WorkerBuilder`], [`Concurrency`], [`IntoActivity`] |
//! | `handle.rs` | [`WorkerHandle`] |
//! | `poll.rs` | the supervisor and the poll loops |
//! | `task.rs` | one task: the handler, its heartbeats, its answer |
//! | `control.rs` | the [`TaskControl`](crate::activity::TaskControl) a handler reaches its worker through |
//! | `heartbeat.rs` | how often to beat, and the loop |
//! | `send.rs` | answers, retried |
//! | `backoff.rs` | [`Backoff`] |
//! | `limits.rs` | AWS's limits on answers, and truncation |
//! | `shutdown.rs` | the stages of a stop, the signals |
//! | `blocking.rs` | [`BlockingActivity`] |
//! | `stats.rs` | [`WorkerStats`] |
//! | `name.rs` | the default worker name |
//! | `error.rs` | [`WorkerError`] |

mod backoff;
mod blocking;
mod builder;
mod control;
mod error;
mod handle;
mod heartbeat;
pub mod limits;
mod name;
mod poll;
mod send;
mod shared;
mod shutdown;
mod stats;
mod task;

pub use backoff::Backoff;
pub use blocking::BlockingActivity;
pub use builder::{Concurrency, IntoActivity, WorkerBuilder};
pub use error::WorkerError;
pub use handle::WorkerHandle;
pub use heartbeat::{UNBOUNDED_HEARTBEAT_INTERVAL, heartbeat_interval};
pub use shutdown::{DEFAULT_GRACE, SHUTTING_DOWN};
pub use stats::WorkerStats;
pub use task::{INVALID_INPUT, INVALID_OUTPUT, PANIC};
