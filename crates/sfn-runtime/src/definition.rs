//! State machines defined in Rust: the trait `state_machine!` implements.
//!
//! The definition's activity resources are placeholders until the machine is registered:
//! see [`sfn_core::definition`]. To deploy the machine with CloudFormation, SAM,
//! Terraform or the CDK instead, export it: [`StateMachineDefinition::export`].

use serde::{Serialize, de::DeserializeOwned};
use sfn_core::model::{ExecutionType, StateMachine};

pub use sfn_core::export::{ExportError, ExportFormat, ExportOptions};

use crate::activity::Activity;

/// A state machine known at compile time, with its activities.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a state machine definition",
    label = "not a state machine",
    note = "define it with `state_machine!`"
)]
pub trait StateMachineDefinition: 'static {
    /// The machine's name.
    const NAME: &'static str;
    /// The definition, in the Amazon States Language.
    const ASL: &'static str;
    /// `STANDARD` or `EXPRESS`.
    const MACHINE_TYPE: ExecutionType = ExecutionType::Standard;
    /// The type of an execution's input (`serde_json::Value` unless declared).
    type Input: Serialize;
    /// The type of an execution's output (`serde_json::Value` unless declared).
    type Output: DeserializeOwned;

    /// The definition as a model.
    fn definition() -> StateMachine {
        support::parse_definition(Self::NAME, Self::ASL)
    }

    /// The activities the machine's Task states call, each once.
    fn activities() -> Vec<&'static dyn Activity>;

    /// The machine for infrastructure as code: a CloudFormation or SAM template that
    /// creates it with its activities, a Terraform configuration that does the same, or
    /// its definition with `${…}` substitution variables where the activity placeholders
    /// and Lambda functions were (see [`sfn_core::export`]). Pure and deterministic.
    ///
    /// ```
    /// use sfn_runtime::definition::{ExportFormat, ExportOptions, StateMachineDefinition};
    /// use sfn_runtime::state_machine;
    ///
    /// state_machine! {
    ///     /// Says hello.
    ///     pub Hello {
    ///         start_at: Greet,
    ///         states: { Greet: Pass { result: "hello", end: true } }
    ///     }
    /// }
    ///
    /// let tf = Hello::export(ExportFormat::Terraform, &ExportOptions::new())?;
    /// assert!(tf.contains("resource \"aws_sfn_state_machine\" \"hello\""));
    /// # Ok::<(), sfn_runtime::definition::ExportError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ExportError::InvalidName`] when AWS would refuse the machine's name;
    /// [`ExportError::IntrinsicKey`] for SAM when the definition has an object with a
    /// `Ref` or `Fn::…` key.
    fn export(format: ExportFormat, options: &ExportOptions) -> Result<String, ExportError> {
        sfn_core::export::export(
            format,
            Self::NAME,
            &Self::definition(),
            Self::MACHINE_TYPE,
            options,
        )
    }
}

/// Support for the code `state_machine!` and `#[activity]` generate. Not a public API.
#[doc(hidden)]
pub mod support {
    use serde::{Serialize, de::DeserializeOwned};
    use serde_json::Value;

    use sfn_core::model::StateMachine;

    use crate::activity::{IntoTaskFailure, TaskFailure};

    /// A part of a definition's text.
    #[derive(Debug, Clone, Copy)]
    pub enum Piece {
        /// Text as it is.
        Text(&'static str),
        /// An activity's name, inside a resource string.
        Name(&'static str),
        /// The default `TimeoutSeconds` and `HeartbeatSeconds` of a Task state, each on
        /// its own line.
        Defaults {
            /// The indentation of the lines.
            indent: &'static str,
            /// The activity's default timeout, unless the state sets one.
            timeout: Option<u64>,
            /// The activity's default heartbeat, unless the state sets one.
            heartbeat: Option<u64>,
        },
    }

    const TIMEOUT_KEY: &[u8] = b"\"TimeoutSeconds\": ";
    const HEARTBEAT_KEY: &[u8] = b"\"HeartbeatSeconds\": ";

    const fn digits(mut n: u64) -> usize {
        let mut d = 1;
        while n >= 10 {
            n /= 10;
            d += 1;
        }
        d
    }

    const fn field_len(indent: &str, key: &[u8], v: Option<u64>) -> usize {
        match v {
            Some(n) => indent.len() + key.len() + digits(n) + 2,
            None => 0,
        }
    }

    /// The length of the text.
    pub const fn asl_len(pieces: &[Piece]) -> usize {
        let mut len = 0;
        let mut i = 0;
        while i < pieces.len() {
            len += match pieces[i] {
                Piece::Text(s) | Piece::Name(s) => s.len(),
                Piece::Defaults {
                    indent,
                    timeout,
                    heartbeat,
                } => {
                    field_len(indent, TIMEOUT_KEY, timeout)
                        + field_len(indent, HEARTBEAT_KEY, heartbeat)
                }
            };
            i += 1;
        }
        len
    }

    const fn copy<const N: usize>(mut out: [u8; N], mut at: usize, s: &[u8]) -> ([u8; N], usize) {
        let mut i = 0;
        while i < s.len() {
            out[at] = s[i];
            at += 1;
            i += 1;
        }
        (out, at)
    }

    const fn field<const N: usize>(
        out: [u8; N],
        at: usize,
        indent: &str,
        key: &[u8],
        v: Option<u64>,
    ) -> ([u8; N], usize) {
        let Some(n) = v else { return (out, at) };
        let (out, at) = copy(out, at, indent.as_bytes());
        let (mut out, at) = copy(out, at, key);
        let d = digits(n);
        let mut k = 0;
        let mut m = n;
        while k < d {
            out[at + d - 1 - k] = b'0' + (m % 10) as u8;
            m /= 10;
            k += 1;
        }
        copy(out, at + d, b",\n")
    }

    /// The text, as bytes; `N` is [`asl_len`].
    pub const fn asl_bytes<const N: usize>(pieces: &[Piece]) -> [u8; N] {
        let mut out = [0u8; N];
        let mut at = 0;
        let mut i = 0;
        while i < pieces.len() {
            (out, at) = match pieces[i] {
                Piece::Text(s) | Piece::Name(s) => copy(out, at, s.as_bytes()),
                Piece::Defaults {
                    indent,
                    timeout,
                    heartbeat,
                } => {
                    let (out, at) = field(out, at, indent, TIMEOUT_KEY, timeout);
                    field(out, at, indent, HEARTBEAT_KEY, heartbeat)
                }
            };
            i += 1;
        }
        out
    }

    /// The bytes as text. Every piece is UTF-8, so the whole is.
    pub const fn asl_str(bytes: &'static [u8]) -> &'static str {
        match std::str::from_utf8(bytes) {
            Ok(s) => s,
            Err(_) => panic!("a state machine definition is not UTF-8"),
        }
    }

    /// Whether an activity's default heartbeat, or the state's own, is below the timeout.
    pub const fn heartbeat_below_timeout(heartbeat: Option<u64>, timeout: Option<u64>) -> bool {
        match (heartbeat, timeout) {
            (Some(h), Some(t)) => h < t,
            _ => true,
        }
    }

    /// Whether sfn's worker beats a task of an activity declaring `activity_heartbeat`
    /// often enough for a Task state whose own `HeartbeatSeconds` is `state_heartbeat`:
    /// the worker beats every third of the activity's value, or every 60 s without one
    /// (`worker::heartbeat_interval`); at least two beats must fall in the state's
    /// window, so that one may be lost: a third of the activity's value at most half the
    /// state's, or the state's at least 120 s when the activity declares none.
    pub const fn beats_in_time(activity_heartbeat: Option<u64>, state_heartbeat: u64) -> bool {
        match activity_heartbeat {
            Some(h) if h > 0 => 2 * (h as u128) <= 3 * (state_heartbeat as u128),
            _ => state_heartbeat >= 120,
        }
    }

    /// Whether two strings are equal, at compile time.
    pub const fn str_eq(a: &str, b: &str) -> bool {
        let (a, b) = (a.as_bytes(), b.as_bytes());
        if a.len() != b.len() {
            return false;
        }
        let mut i = 0;
        while i < a.len() {
            if a[i] != b[i] {
                return false;
            }
            i += 1;
        }
        true
    }

    /// The first of two options that is set.
    pub const fn or(a: Option<u64>, b: Option<u64>) -> Option<u64> {
        match a {
            Some(_) => a,
            None => b,
        }
    }

    /// Reads a definition checked at compile time.
    pub fn parse_definition(name: &str, asl: &str) -> StateMachine {
        match asl.parse() {
            Ok(m) => m,
            Err(e) => panic!(
                "the definition of the state machine {name} was checked at compile time but does not read: {e}"
            ),
        }
    }

    /// The input type of an activity: read from a task's JSON, described by a schema.
    #[diagnostic::on_unimplemented(
        message = "the input of an activity must implement `Deserialize` and `JsonSchema`; `{Self}` does not",
        label = "this type cannot be read from a task's JSON input",
        note = "add `#[derive(Deserialize, JsonSchema)]` to `{Self}`"
    )]
    pub trait ActivityInput: Sized {
        /// Reads a task's input.
        fn decode(activity: &str, input: Value) -> Result<Self, TaskFailure>;
        /// The JSON Schema of the type.
        fn schema() -> Value;
    }

    impl<T: DeserializeOwned + schemars::JsonSchema> ActivityInput for T {
        fn decode(activity: &str, input: Value) -> Result<Self, TaskFailure> {
            serde_json::from_value(input).map_err(|e| {
                TaskFailure::new(
                    sfn_core::error::states::RUNTIME,
                    format!("the input of the activity {activity} does not match its type: {e}"),
                )
            })
        }

        fn schema() -> Value {
            schemars::SchemaGenerator::default()
                .into_root_schema_for::<T>()
                .to_value()
        }
    }

    /// The output type of an activity: written as JSON, described by a schema.
    #[diagnostic::on_unimplemented(
        message = "the output of an activity must implement `Serialize` and `JsonSchema`; `{Self}` does not",
        label = "this type cannot be written as a task's JSON output",
        note = "add `#[derive(Serialize, JsonSchema)]` to `{Self}`"
    )]
    pub trait ActivityOutput {
        /// Writes a task's output.
        fn encode(self, activity: &str) -> Result<Value, TaskFailure>;
        /// The JSON Schema of the type.
        fn schema() -> Value;
    }

    impl<T: Serialize + schemars::JsonSchema> ActivityOutput for T {
        fn encode(self, activity: &str) -> Result<Value, TaskFailure> {
            serde_json::to_value(self).map_err(|e| {
                TaskFailure::new(
                    sfn_core::error::states::RUNTIME,
                    format!("the output of the activity {activity} cannot be written as JSON: {e}"),
                )
            })
        }

        fn schema() -> Value {
            schemars::SchemaGenerator::default()
                .into_root_schema_for::<T>()
                .to_value()
        }
    }

    /// A handler's `Result`: its value is written as JSON, its error reported.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` cannot be the result of an activity",
        label = "the error type must name itself for Step Functions",
        note = "return `Result<_, TaskError>`, or add `#[derive(TaskError)]` to the error type"
    )]
    pub trait ActivityResult {
        /// Writes the output, or reports the error.
        fn encode(self, activity: &str) -> Result<Value, TaskFailure>;
    }

    impl<O: ActivityOutput, E: IntoTaskFailure> ActivityResult for Result<O, E> {
        fn encode(self, activity: &str) -> Result<Value, TaskFailure> {
            match self {
                Ok(o) => o.encode(activity),
                Err(e) => Err(e.into_task_failure()),
            }
        }
    }

    /// An activity as a trait object.
    pub fn as_activity<A: crate::activity::ActivityDefinition>(
        a: &'static A,
    ) -> &'static dyn crate::activity::Activity {
        a
    }
}

#[cfg(test)]
mod tests {
    use super::support::*;

    #[test]
    fn two_beats_of_the_worker_fit_in_the_state_heartbeat() {
        // The worker beats every h/3 (60 s without h): two beats in the state's window.
        assert!(!beats_in_time(Some(60), 30));
        assert!(beats_in_time(Some(60), 40));
        assert!(!beats_in_time(Some(60), 39));
        assert!(beats_in_time(Some(20), 20));
        assert!(beats_in_time(None, 120));
        assert!(!beats_in_time(None, 119));
        assert!(!beats_in_time(Some(0), 2));
        assert!(beats_in_time(Some(u64::MAX), u64::MAX));
    }

    #[test]
    fn pieces_concatenate_at_compile_time() {
        const PIECES: &[Piece] = &[
            Piece::Text("{\n  \"Resource\": \"arn:aws:states:::activity:"),
            Piece::Name("add"),
            Piece::Text("\",\n"),
            Piece::Defaults {
                indent: "  ",
                timeout: Some(300),
                heartbeat: None,
            },
            Piece::Defaults {
                indent: "  ",
                timeout: None,
                heartbeat: Some(7),
            },
            Piece::Text("  \"End\": true\n}"),
        ];
        const LEN: usize = asl_len(PIECES);
        const BYTES: [u8; LEN] = asl_bytes::<LEN>(PIECES);
        const TEXT: &str = asl_str(&BYTES);
        assert_eq!(
            TEXT,
            "{\n  \"Resource\": \"arn:aws:states:::activity:add\",\n  \"TimeoutSeconds\": 300,\n  \"HeartbeatSeconds\": 7,\n  \"End\": true\n}"
        );
    }
}
