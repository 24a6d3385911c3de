//! Runnable examples of sfn: see the `src/bin` folder.

pub mod adding;
pub mod orders;
