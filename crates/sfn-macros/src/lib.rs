//! The `#[activity]` attribute, the `state_machine!` macro and `#[derive(TaskError)]` of
//! sfn. Use them through `sfn_runtime`, which re-exports them (with `default-features = false`
//! when a project only generates ASL): see the documentation there.
//!
//! Each macro is a pipeline: parse (syn) → a model that keeps every span → checks (for
//! `state_machine!`, sfn-core's validator, whose JSON Pointers map back to the DSL's
//! tokens) → expansion (quote). Every error is reported in one build, on the offending
//! token, and a best-effort expansion keeps one mistake from cascading.

use proc_macro::TokenStream;

mod activity;
mod ctxt;
mod docs;
mod krate;
mod machine;
mod task_error;

/// Turns a function into an activity: a unit struct of the same name that implements
/// `Activity` and stays callable like the function.
///
/// ```
/// use sfn_runtime::prelude::*;
///
/// #[derive(Deserialize, JsonSchema)]
/// struct Numbers {
///     a: i64,
///     b: i64,
/// }
///
/// /// Adds two numbers.
/// #[activity(name = "add", heartbeat = 20, timeout = 300)]
/// async fn add(input: Numbers, ctx: TaskContext) -> Result<i64, TaskError> {
///     Ok(input.a + input.b)
/// }
///
/// assert_eq!(<add as Activity>::name(&add), "add");
/// ```
///
/// Options: `name = "…"` (the function's name by default), `heartbeat = SECONDS` and
/// `timeout = SECONDS` (defaults for the Task states that call it), `crate = path` (where
/// the sfn API is, `::sfn_runtime` by default).
#[proc_macro_attribute]
pub fn activity(args: TokenStream, item: TokenStream) -> TokenStream {
    activity::expand(args.into(), item.into()).into()
}

/// Defines a state machine in Rust, checked at compile time by sfn-core's validator.
///
/// The whole language, every state type and field in both query languages with the ASL
/// each produces, is the guide's reference chapter: `sfn_runtime::guide::reference`.
///
/// ```
/// use sfn_runtime::prelude::*;
///
/// #[derive(Deserialize, JsonSchema)]
/// struct Numbers {
///     a: i64,
///     b: i64,
/// }
///
/// #[activity(name = "add")]
/// async fn add(input: Numbers, ctx: TaskContext) -> Result<i64, TaskError> {
///     Ok(input.a + input.b)
/// }
///
/// state_machine! {
///     /// Adds two numbers and reports the sign.
///     pub TestAdding {
///         start_at: Add,
///         states: {
///             Add: Task(add) { result_path: "$.sum", next: Sign },
///             Sign: Choice {
///                 rules: [ { variable: "$.sum", numeric_greater_than: 0, next: Positive } ],
///                 default: Negative,
///             },
///             Positive: Succeed,
///             Negative: Fail { error: "Negative", cause: "the sum is below zero" },
///         }
///     }
/// }
///
/// assert!(TestAdding::ASL.contains("\"NumericGreaterThan\": 0"));
/// ```
///
/// Or from a file, relative to the crate's manifest:
/// `state_machine!(Orders = "machines/orders.asl.json", activities { "arn:…:charge" => charge })`.
///
/// The generated type's documentation ends with the machine's diagram, a ```` ```mermaid ````
/// block (drawn by `sfn-graph`): rustdoc shows its text, and draws it with the script of
/// the repository's `docs/mermaid.html` given as `--html-in-header` (for docs.rs:
/// `[package.metadata.docs.rs] rustdoc-args = ["--html-in-header", "…/mermaid.html"]`).
#[proc_macro]
pub fn state_machine(input: TokenStream) -> TokenStream {
    machine::expand(input.into()).into()
}

/// Makes an error type reportable to Step Functions: implements `ActivityError`, so it
/// can be an activity's error type and converts into `TaskError` with `?`.
///
/// For an enum the error name is the variant's name, for a struct the type's name; either
/// can be set with `#[task_error(name = "…")]`. The cause is the `Display` text.
#[proc_macro_derive(TaskError, attributes(task_error))]
pub fn derive_task_error(input: TokenStream) -> TokenStream {
    task_error::expand(input.into()).into()
}
