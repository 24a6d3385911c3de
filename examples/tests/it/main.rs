//! The examples, each run as its program runs, so that none can rot: one test binary.

mod add_worker;
mod adding;
mod orders;
mod print_asl;
mod task_tools;
