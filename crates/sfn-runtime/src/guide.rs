//! The guide: how to define, run, test, deploy and operate state machines with sfn.
//!
//! Each chapter is a page of its own; their examples are compiled and run as tests.
//!
//! | chapter | what it answers |
//! |---|---|
//! | [`defining`] | the four ways to define a machine: the DSL, an ASL file, the builder, JSON at run time; validation; typed activities |
//! | [`reference`](mod@reference) | every state and field of `state_machine!`, in both query languages |
//! | [`activities_and_workers`] | activities, the task context, heartbeats, typed errors; workers that never lose a task |
//! | [`local_testing`] | the embedded engine, mock configuration files, the virtual clock, TestState, `sfn run` |
//! | [`deploying`] | registering machines and activities on AWS, placeholders and ARNs, versions and aliases |
//! | [`infrastructure_as_code`] | `sfn export` and `M::export`: CloudFormation, SAM and Terraform templates |
//! | [`state_data`] | a task stopping its execution; state data beyond 256 KiB, in a file or DynamoDB and S3; Map fan-out |
//! | [`serve`] | `sfn serve` with the AWS CLI and the SDKs for Python, Rust, JavaScript, Go and Java |
//! | [`cli`] | every `sfn` command, its output formats and exit status |
//! | [`limits`] | AWS's limits that sfn enforces, and what differs from AWS |

#[doc = include_str!("../guide/reference.md")]
pub mod reference {}

#[doc = include_str!("../guide/defining.md")]
pub mod defining {}

#[doc = include_str!("../guide/activities_and_workers.md")]
pub mod activities_and_workers {}

#[doc = include_str!("../guide/local_testing.md")]
pub mod local_testing {}

#[doc = include_str!("../guide/deploying.md")]
pub mod deploying {}

#[doc = include_str!("../guide/infrastructure-as-code.md")]
pub mod infrastructure_as_code {}

#[doc = include_str!("../guide/state_data.md")]
pub mod state_data {}

#[doc = include_str!("../guide/serve.md")]
pub mod serve {}

#[doc = include_str!("../guide/cli.md")]
pub mod cli {}

#[doc = include_str!("../guide/limits.md")]
pub mod limits {}
