//! Runnable examples of sfn: see the `src/bin` folder.

pub mod orders;
