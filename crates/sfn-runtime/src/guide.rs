//! The guide: how to define, run, test, deploy and operate state machines with sfn.
//!
//! Each chapter is a page of its own; their examples are compiled and run as tests.
//!
//! | chapter | what it answers |
//! |---|---|
//! | [`reference`] | every state and field of `state_machine!`, in both query languages |

#[doc = include_str!("../guide/reference.md")]
pub mod reference {}
