//! The `#[activity]` attribute and the `state_machine!` macro of sfn.
