//! An execution overlaid on the graph: which states it passed through, which failed,
//! which caught an error, which runs now, which it never reached.
//!
//! | file | what it holds |
//! |---|---|
//! | `event.rs` | [`HistoryEvent`]: what the overlay reads of AWS's history events, from JSON |
//! | `run.rs` | [`ExecutionOverlay`] and [`Status`]: what became of each state |
//! | `apply.rs` | the overlay drawn on a [`Graph`](crate::Graph) |

mod apply;
mod event;
mod run;

pub use event::{HistoryError, HistoryEvent, events_from_history};
pub use run::{ExecutionOverlay, Iterations, StateRun, Status};
