//! Intrinsic functions (`States.Format`, `States.MathAdd`, …): parsing and evaluation.
//!
//! A call is parsed once into a tree of [`IntrinsicCall`]s whose arguments are literals,
//! [`JsonPath`]s or nested calls. Parsing checks what can be checked before any data is
//! seen: the function name, the number of arguments, the types of literal arguments and of
//! nested calls' results, and that a literal `States.Format` template has as many `{}` as
//! there are arguments after it.
//!
//! ```
//! use serde_json::json;
//! use sfn_core::eval::Env;
//! use sfn_core::intrinsic::IntrinsicCall;
//!
//! let input = json!({"name": "World", "a": 40});
//! let scope = Env::new(&input);
//!
//! let call = IntrinsicCall::parse("States.Format('Hello, {}!', $.name)")?;
//! assert_eq!(call.evaluate(&scope), Ok(json!("Hello, World!")));
//!
//! let call = IntrinsicCall::parse("States.MathAdd($.a, 2)")?;
//! assert_eq!(call.evaluate(&scope), Ok(json!(42)));
//!
//! assert!(IntrinsicCall::parse("States.MathAdd(1)").is_err());
//! # Ok::<(), sfn_core::intrinsic::IntrinsicParseError>(())
//! ```
//!
//! # Errors at run time
//!
//! As Step Functions does, a call whose arguments have the wrong type or are out of range
//! fails with `States.Runtime` and the cause `Invalid arguments in States.Name`; a path
//! argument that selects nothing fails with `States.Runtime` and the cause
//! `The JSONPath '$.x' specified for the field 'f.$' could not be found in the input '…'`
//! (see [`IntrinsicCall::evaluate_for_field`]).

mod format;
mod functions;
mod parse;

use serde_json::{Number, Value};
use std::borrow::Cow;
use std::fmt;

use crate::path::JsonPath;
use crate::{error::StatesError, eval::Env};

use format::Piece;

/// Why an intrinsic function call failed to parse or check.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct IntrinsicParseError {
    /// What is wrong, for a person, with the position (in characters) where it was found.
    pub message: String,
}

/// The intrinsic functions of the States Language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum IntrinsicFunction {
    /// `States.Format(template, args…)`: a string with each `{}` replaced by an argument.
    Format,
    /// `States.StringToJson(string)`: parses JSON text.
    StringToJson,
    /// `States.JsonToString(value)`: compact JSON text.
    JsonToString,
    /// `States.Array(values…)`: an array of the arguments.
    Array,
    /// `States.ArrayPartition(array, size)`: chunks of `size` elements.
    ArrayPartition,
    /// `States.ArrayContains(array, value)`: whether the array holds the value.
    ArrayContains,
    /// `States.ArrayRange(start, end, step)`: integers from `start` to `end` inclusive.
    ArrayRange,
    /// `States.ArrayGetItem(array, index)`: one element.
    ArrayGetItem,
    /// `States.ArrayLength(array)`: the number of elements.
    ArrayLength,
    /// `States.ArrayUnique(array)`: the elements without duplicates, first occurrences kept.
    ArrayUnique,
    /// `States.Base64Encode(string)`.
    Base64Encode,
    /// `States.Base64Decode(string)`.
    Base64Decode,
    /// `States.Hash(data, algorithm)`: hex digest with MD5, SHA-1, SHA-256, SHA-384 or SHA-512.
    Hash,
    /// `States.JsonMerge(object, object, false)`: a shallow merge, the second object winning.
    JsonMerge,
    /// `States.MathRandom(start, end[, seed])`: a random integer in `[start, end)`.
    MathRandom,
    /// `States.MathAdd(a, b)`: the sum of two numbers, each rounded to an integer first.
    MathAdd,
    /// `States.StringSplit(string, delimiters)`: splits at any of the delimiter characters.
    StringSplit,
    /// `States.UUID()`: a version 4 UUID.
    Uuid,
}

impl IntrinsicFunction {
    /// Every intrinsic function.
    pub const ALL: [IntrinsicFunction; 18] = [
        Self::Format,
        Self::StringToJson,
        Self::JsonToString,
        Self::Array,
        Self::ArrayPartition,
        Self::ArrayContains,
        Self::ArrayRange,
        Self::ArrayGetItem,
        Self::ArrayLength,
        Self::ArrayUnique,
        Self::Base64Encode,
        Self::Base64Decode,
        Self::Hash,
        Self::JsonMerge,
        Self::MathRandom,
        Self::MathAdd,
        Self::StringSplit,
        Self::Uuid,
    ];

    /// The name as written in a definition, such as `States.Format`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Format => "States.Format",
            Self::StringToJson => "States.StringToJson",
            Self::JsonToString => "States.JsonToString",
            Self::Array => "States.Array",
            Self::ArrayPartition => "States.ArrayPartition",
            Self::ArrayContains => "States.ArrayContains",
            Self::ArrayRange => "States.ArrayRange",
            Self::ArrayGetItem => "States.ArrayGetItem",
            Self::ArrayLength => "States.ArrayLength",
            Self::ArrayUnique => "States.ArrayUnique",
            Self::Base64Encode => "States.Base64Encode",
            Self::Base64Decode => "States.Base64Decode",
            Self::Hash => "States.Hash",
            Self::JsonMerge => "States.JsonMerge",
            Self::MathRandom => "States.MathRandom",
            Self::MathAdd => "States.MathAdd",
            Self::StringSplit => "States.StringSplit",
            Self::Uuid => "States.UUID",
        }
    }

    /// The function with this name (`States.Format`), if there is one.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The fewest and the most arguments the function takes (`None`: no upper bound).
    pub fn arity(self) -> (usize, Option<usize>) {
        match self {
            Self::Format => (1, None),
            Self::Array => (0, None),
            Self::Uuid => (0, Some(0)),
            Self::StringToJson
            | Self::JsonToString
            | Self::ArrayLength
            | Self::ArrayUnique
            | Self::Base64Encode
            | Self::Base64Decode => (1, Some(1)),
            Self::ArrayPartition
            | Self::ArrayContains
            | Self::ArrayGetItem
            | Self::Hash
            | Self::MathAdd
            | Self::StringSplit => (2, Some(2)),
            Self::ArrayRange | Self::JsonMerge => (3, Some(3)),
            Self::MathRandom => (2, Some(3)),
        }
    }

    /// The type the function's argument at `index` must have.
    fn parameter(self, index: usize) -> Kind {
        use Kind::*;
        match (self, index) {
            (Self::Format, 0) => String,
            (
                Self::StringToJson | Self::Base64Encode | Self::Base64Decode | Self::StringSplit,
                _,
            ) => String,
            (Self::Hash, _) => String,
            (Self::ArrayPartition | Self::ArrayGetItem, 0) => Array,
            (Self::ArrayPartition | Self::ArrayGetItem, _) => Number,
            (Self::ArrayContains, 0) | (Self::ArrayLength | Self::ArrayUnique, _) => Array,
            (Self::ArrayRange | Self::MathRandom | Self::MathAdd, _) => Number,
            (Self::JsonMerge, 0 | 1) => Object,
            (Self::JsonMerge, _) => Bool,
            _ => Any,
        }
    }

    /// The type of the function's result, when it is always the same.
    fn returns(self) -> Option<Kind> {
        match self {
            Self::Format
            | Self::JsonToString
            | Self::Base64Encode
            | Self::Base64Decode
            | Self::Hash
            | Self::Uuid => Some(Kind::String),
            Self::Array
            | Self::ArrayPartition
            | Self::ArrayRange
            | Self::ArrayUnique
            | Self::StringSplit => Some(Kind::Array),
            Self::ArrayContains => Some(Kind::Bool),
            Self::ArrayLength | Self::MathRandom | Self::MathAdd => Some(Kind::Number),
            Self::JsonMerge => Some(Kind::Object),
            Self::StringToJson | Self::ArrayGetItem => None,
        }
    }
}

impl fmt::Display for IntrinsicFunction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The JSON type of an argument, for the static checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Any,
    String,
    Number,
    Bool,
    Null,
    Array,
    Object,
}

impl Kind {
    fn accepts(self, found: Kind) -> bool {
        self == Kind::Any || self == found
    }

    fn describe(self) -> &'static str {
        match self {
            Kind::Any => "any value",
            Kind::String => "a string",
            Kind::Number => "a number",
            Kind::Bool => "a boolean",
            Kind::Null => "null",
            Kind::Array => "an array",
            Kind::Object => "an object",
        }
    }
}

/// One argument of an intrinsic function call.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// A string literal, `'text'`, with its escapes resolved.
    String(String),
    /// A number literal, `3`, `-1.5`.
    Number(Number),
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
    /// A path: `$.x`, `$$.Execution.Id`, `$var`.
    Path(JsonPath),
    /// A nested call.
    Call(Box<IntrinsicCall>),
}

/// A parsed intrinsic function call, such as `States.Format('{}', $.name)`.
#[derive(Clone)]
pub struct IntrinsicCall {
    text: Box<str>,
    function: IntrinsicFunction,
    args: Vec<Arg>,
    /// The `States.Format` template, when it is a literal, split once at parse time.
    template: Option<Vec<Piece>>,
}

impl IntrinsicCall {
    /// Whether `text` looks like an intrinsic function call rather than a path: `States.`,
    /// a name, `(`, and a closing `)` at the end.
    pub fn looks_like_call(text: &str) -> bool {
        let Some(rest) = text.strip_prefix("States.") else {
            return false;
        };
        let name_len = rest.bytes().take_while(u8::is_ascii_alphanumeric).count();
        name_len > 0 && rest[name_len..].starts_with('(') && text.trim_end().ends_with(')')
    }

    /// Parses and checks a call (function name, arity, argument syntax and literal types).
    ///
    /// # Errors
    ///
    /// An [`IntrinsicParseError`] naming the position of the first problem.
    pub fn parse(text: &str) -> Result<Self, IntrinsicParseError> {
        parse::parse(text)
    }

    /// The call as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The function called.
    pub fn function(&self) -> IntrinsicFunction {
        self.function
    }

    /// The arguments, in order.
    pub fn args(&self) -> &[Arg] {
        &self.args
    }

    /// Evaluates the call.
    ///
    /// # Errors
    ///
    /// A `States.Runtime` error worded as Step Functions words it: `Invalid arguments in
    /// States.Name` for arguments of the wrong type or out of range, or a path-not-found
    /// cause when a path argument selects nothing. The cause of the latter names no field;
    /// use [`evaluate_for_field`](Self::evaluate_for_field) to get AWS's full wording.
    pub fn evaluate(&self, scope: &Env<'_>) -> Result<Value, StatesError> {
        functions::evaluate(self, scope, None)
    }

    /// Evaluates the call as the value of the payload field `field` (such as `greeting.$`),
    /// which the cause of a path-not-found error names as AWS does.
    ///
    /// # Errors
    ///
    /// As [`evaluate`](Self::evaluate).
    pub fn evaluate_for_field(&self, scope: &Env<'_>, field: &str) -> Result<Value, StatesError> {
        functions::evaluate(self, scope, Some(field))
    }
}

impl std::str::FromStr for IntrinsicCall {
    type Err = IntrinsicParseError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        IntrinsicCall::parse(text)
    }
}

impl PartialEq for IntrinsicCall {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl fmt::Debug for IntrinsicCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IntrinsicCall({:?})", self.text)
    }
}

impl fmt::Display for IntrinsicCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl serde::Serialize for IntrinsicCall {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> serde::Deserialize<'de> for IntrinsicCall {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Cow::<'de, str>::deserialize(deserializer)?;
        IntrinsicCall::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl schemars::JsonSchema for IntrinsicCall {
    fn schema_name() -> Cow<'static, str> {
        "IntrinsicFunctionCall".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^States\\.[A-Za-z0-9]+\\(.*\\)\\s*$",
            "description": "An intrinsic function call, such as States.Format('{}', $.name)."
        })
    }
}

#[cfg(test)]
mod tests;
