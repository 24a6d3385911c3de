//! JSONPath and reference paths as Step Functions reads them.
//!
//! Step Functions evaluates JSONPath with the semantics of Jayway JsonPath: a *definite*
//! path (only field names and single indices) selects one value or nothing; an *indefinite*
//! path (wildcards, deep scan, slices, unions, filters) selects an array of every match,
//! empty when nothing matches.
//!
//! ```
//! use serde_json::json;
//! use sfn_core::eval::Env;
//! use sfn_core::path::JsonPath;
//!
//! let input = json!({"books": [{"price": 8}, {"price": 12}], "counter": 3});
//! let scope = Env::new(&input);
//!
//! let counter = JsonPath::parse("$.counter")?;
//! assert_eq!(counter.select(&scope), Some(json!(3)));
//!
//! let cheap = JsonPath::parse("$.books[?(@.price < 10)].price")?;
//! assert_eq!(cheap.select(&scope), Some(json!([8])));
//!
//! let mut output = json!({"a": 1});
//! JsonPath::parse("$.result.sum")?.set(&mut output, json!(42))?;
//! assert_eq!(output, json!({"a": 1, "result": {"sum": 42}}));
//! # Ok::<(), sfn_core::path::PathError>(())
//! ```
//!
//! Paths are parsed once into a list of steps; selection never looks at the text again, and
//! selecting with a reference path such as `$.counter` only follows references.

mod ast;
mod parse;
mod select;

use serde_json::Value;
use std::borrow::Cow;
use std::fmt;

use crate::eval::Env;

use ast::{Body, Selector};

/// Where a path starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathRoot {
    /// `$`: the state's input (or whatever value the field applies to).
    Input,
    /// `$$`: the context object.
    Context,
    /// `$name`: a variable.
    Variable(String),
}

/// Why a path failed to parse, or could not be applied as a `ResultPath`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct PathError {
    /// What is wrong, for a person; for syntax errors it names the position (in characters).
    pub message: String,
}

/// A parsed JSONPath (`$.a.b[0]`, `$$.Execution.Id`, `$var.x`, `$..a[?(@.b > 1)]`).
#[derive(Clone)]
pub struct JsonPath {
    text: Box<str>,
    root: PathRoot,
    body: Body,
    definite: bool,
    reference: bool,
}

impl JsonPath {
    /// Parses a path.
    ///
    /// # Errors
    ///
    /// A [`PathError`] naming the position of the first syntax error.
    pub fn parse(text: &str) -> Result<Self, PathError> {
        let (root, body) = parse::parse(text)?;
        let definite = body.is_definite() || body.length;
        let reference = body.is_reference();
        Ok(JsonPath {
            text: text.into(),
            root,
            body,
            definite,
            reference,
        })
    }

    /// The path as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether this is a reference path: only names and indices, selecting one node.
    pub fn is_reference_path(&self) -> bool {
        self.reference
    }

    /// Whether the path is definite in Jayway's sense: it selects a single value (or nothing)
    /// rather than an array of matches. Every reference path is definite; so are paths ending
    /// in a multi-name selection such as `$['a','b']` (merged into one object) or in
    /// `.length()`.
    pub fn is_definite(&self) -> bool {
        self.definite
    }

    /// Where the path starts.
    pub fn root(&self) -> PathRoot {
        self.root.clone()
    }

    /// Where the path starts, borrowed.
    pub fn root_ref(&self) -> &PathRoot {
        &self.root
    }

    /// The value the root stands for in `scope`; `None` for an undefined variable.
    fn root_value<'a>(&self, scope: &Env<'a>) -> Option<&'a Value> {
        match &self.root {
            PathRoot::Input => Some(scope.input),
            PathRoot::Context => Some(scope.context),
            PathRoot::Variable(name) => scope.variables.get(name),
        }
    }

    /// Selects from the scope. `None` when the path matches nothing.
    ///
    /// A definite path yields the value it names; an indefinite path yields an array of all
    /// matches (empty when none match), as Jayway JsonPath does.
    pub fn select(&self, scope: &Env<'_>) -> Option<Value> {
        if self.reference {
            return self.select_ref(scope).cloned();
        }
        self.select_cow(scope).map(Cow::into_owned)
    }

    /// Selects without cloning when the result is a node of the scope's data.
    ///
    /// For a reference path this is always `Some(Cow::Borrowed(_))` or `None`; paths that
    /// build their result (indefinite paths, `['a','b']` merges, `.length()`) give an owned
    /// value.
    pub fn select_cow<'a>(&self, scope: &Env<'a>) -> Option<Cow<'a, Value>> {
        let root = self.root_value(scope)?;
        if self.reference {
            return select::follow(root, &self.body.steps).map(Cow::Borrowed);
        }
        select::evaluate(&self.body, root, root)
    }

    /// Selects by reference, for reference paths.
    ///
    /// Returns the selected node for a reference path ([`is_reference_path`](Self::is_reference_path)),
    /// and `None` when it selects nothing. Paths that build their result rather than name a
    /// node (indefinite paths, `['a','b']`, `.length()`) also give `None`: use
    /// [`select`](Self::select) or [`select_cow`](Self::select_cow) for those.
    #[inline]
    pub fn select_ref<'a>(&self, scope: &Env<'a>) -> Option<&'a Value> {
        if !self.reference {
            return None;
        }
        select::follow(self.root_value(scope)?, &self.body.steps)
    }

    /// Writes `value` where this path points, as `ResultPath` does.
    ///
    /// `$` replaces the whole target. `$.a.b` creates the missing objects along the way and
    /// replaces whatever is at the end. An index must name an existing element of an array.
    ///
    /// # Errors
    ///
    /// When the path is not a reference path rooted at `$`, or when a node along the way
    /// exists but is not an object (or, for an index, not an array long enough). The engine
    /// reports that as `States.ResultPathMatchFailure`.
    pub fn set(&self, target: &mut Value, value: Value) -> Result<(), PathError> {
        if !self.reference || self.root != PathRoot::Input {
            return Err(PathError {
                message: format!(
                    "'{}' cannot be written to: only reference paths starting with '$.' can",
                    self.text
                ),
            });
        }
        let mut node = target;
        for (i, step) in self.body.steps.iter().enumerate() {
            let last = i + 1 == self.body.steps.len();
            node = match &step.selector {
                Selector::Name(name) => {
                    let Value::Object(map) = node else {
                        return Err(self.set_error(&self.walked(i), node));
                    };
                    if last {
                        map.insert(name.to_string(), value);
                        return Ok(());
                    }
                    map.entry(name.to_string())
                        .or_insert_with(|| Value::Object(Default::default()))
                }
                Selector::Index(index) => {
                    let Value::Array(items) = node else {
                        return Err(self.set_error(&self.walked(i), node));
                    };
                    let len = items.len();
                    let position = usize::try_from(if *index < 0 {
                        index + len as i64
                    } else {
                        *index
                    })
                    .ok()
                    .filter(|p| *p < len);
                    let Some(position) = position else {
                        return Err(PathError {
                            message: format!(
                                "Unable to apply ResultPath '{}': index {index} is out of bounds at {}",
                                self.text,
                                self.walked(i)
                            ),
                        });
                    };
                    if last {
                        items[position] = value;
                        return Ok(());
                    }
                    &mut items[position]
                }
                _ => {
                    return Err(PathError {
                        message: format!("'{}' is not a reference path", self.text),
                    });
                }
            };
        }
        *node = value;
        Ok(())
    }

    /// The part of the path before step `upto`, as `$['a'][0]`: only for error messages,
    /// so a successful write formats nothing.
    fn walked(&self, upto: usize) -> String {
        let mut out = String::from("$");
        for step in self.body.steps.iter().take(upto) {
            match &step.selector {
                Selector::Name(name) => out.push_str(&format!("['{name}']")),
                Selector::Index(index) => out.push_str(&format!("[{index}]")),
                _ => {}
            }
        }
        out
    }

    fn set_error(&self, walked: &str, found: &Value) -> PathError {
        let kind = match found {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        };
        PathError {
            message: format!(
                "Unable to apply ResultPath '{}': {walked} is {kind}",
                self.text
            ),
        }
    }
}

impl std::str::FromStr for JsonPath {
    type Err = PathError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        JsonPath::parse(text)
    }
}

impl PartialEq for JsonPath {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for JsonPath {}

impl std::hash::Hash for JsonPath {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.text.hash(state);
    }
}

impl fmt::Debug for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "JsonPath({:?})", self.text)
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl serde::Serialize for JsonPath {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> serde::Deserialize<'de> for JsonPath {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Cow::<'de, str>::deserialize(deserializer)?;
        JsonPath::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl schemars::JsonSchema for JsonPath {
    fn schema_name() -> Cow<'static, str> {
        "JsonPath".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^\\s*\\$",
            "description": "A JSONPath: `$` (input), `$$` (context object) or `$name` (a variable), followed by steps."
        })
    }
}

#[cfg(test)]
mod tests;
