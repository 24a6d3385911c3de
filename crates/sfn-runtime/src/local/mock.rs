//! Mocked task responses, in the format of AWS Step Functions Local's MockConfigFile.
//!
//! A mock configuration file names, for each state machine and test case, the mocked
//! response each Task state uses; a mocked response gives the result or the error of
//! each invocation of the state, retries included:
//!
//! ```json
//! {
//!   "StateMachines": {
//!     "orders": {
//!       "TestCases": {
//!         "HappyPath": {"Charge": "ChargeAfterRetry"}
//!       }
//!     }
//!   },
//!   "MockedResponses": {
//!     "ChargeAfterRetry": {
//!       "0": {"Throw": {"Error": "Payment.Unavailable", "Cause": "try again"}},
//!       "1-2": {"Return": {"chargeId": "ch_1"}}
//!     }
//!   }
//! }
//! ```
//!
//! Invocations count from 0; a key is one invocation (`"3"`) or an inclusive range
//! (`"1-2"`). As in Step Functions Local, every invocation needs a response: the keys
//! must cover `0..=N` without gaps or overlaps, and an invocation past the last one
//! fails the task.
//!
//! ```
//! use sfn_runtime::local::{MockConfig, Mocks};
//!
//! let config: MockConfig = r#"{
//!   "StateMachines": {"orders": {"TestCases": {"HappyPath": {"Charge": "Charged"}}}},
//!   "MockedResponses": {"Charged": {"0": {"Return": {"chargeId": "ch_1"}}}}
//! }"#.parse()?;
//! let mocks = Mocks::from_config(&config, "orders", "HappyPath")?;
//! assert!(mocks.get("Charge").is_some());
//! # Ok::<(), sfn_runtime::local::Error>(())
//! ```

use std::{collections::HashMap, path::Path, str::FromStr};

use indexmap::IndexMap;
use serde_json::{Map, Value};
use sfn_core::diagnostic::{push_pointer_token, value_kind as kind};

use super::error::Error;

/// One mocked response.
#[derive(Debug, Clone, PartialEq)]
pub enum MockResponse {
    /// The task returns this result.
    Return(Value),
    /// The task fails with this error and cause.
    Throw {
        /// The error name.
        error: String,
        /// The cause.
        cause: Option<String>,
    },
}

impl MockResponse {
    /// Reads `{"Return": …}` or `{"Throw": {"Error": …, "Cause": …}}` found at `pointer`.
    fn parse(value: &Value, pointer: &str) -> Result<Self, Error> {
        let Value::Object(map) = value else {
            return Err(Error::mocks_at(
                pointer,
                format!(
                    "a response must be an object with a Return or a Throw field, not {}",
                    kind(value)
                ),
            ));
        };
        if let Some(other) = map.keys().find(|k| *k != "Return" && *k != "Throw") {
            return Err(Error::mocks_at(
                &child(pointer, other),
                format!("unknown field '{other}': a response has a Return or a Throw field"),
            ));
        }
        match (map.get("Return"), map.get("Throw")) {
            (Some(v), None) => Ok(MockResponse::Return(v.clone())),
            (None, Some(t)) => Self::parse_throw(t, &child(pointer, "Throw")),
            (Some(_), Some(_)) => Err(Error::mocks_at(
                pointer,
                "a response has either a Return or a Throw field, not both",
            )),
            (None, None) => Err(Error::mocks_at(
                pointer,
                "a response must have a Return or a Throw field",
            )),
        }
    }

    fn parse_throw(value: &Value, pointer: &str) -> Result<Self, Error> {
        let Value::Object(map) = value else {
            return Err(Error::mocks_at(
                pointer,
                format!(
                    "Throw must be an object with Error and Cause fields, not {}",
                    kind(value)
                ),
            ));
        };
        if let Some(other) = map.keys().find(|k| *k != "Error" && *k != "Cause") {
            return Err(Error::mocks_at(
                &child(pointer, other),
                format!("unknown field '{other}': Throw has the fields Error and Cause"),
            ));
        }
        let string = |field: &str| -> Result<Option<String>, Error> {
            match map.get(field) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(other) => Err(Error::mocks_at(
                    &child(pointer, field),
                    format!("{field} must be a string, not {}", kind(other)),
                )),
            }
        };
        Ok(MockResponse::Throw {
            error: string("Error")?.unwrap_or_default(),
            cause: string("Cause")?,
        })
    }
}

/// The responses of one Task state, by invocation (0 is the first, retries included).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MockedResponses {
    /// Inclusive ranges of invocations, sorted, contiguous from 0.
    ranges: Vec<(u64, u64, MockResponse)>,
}

impl MockedResponses {
    /// One response per invocation, in order: the first answers invocation 0.
    pub fn sequence(responses: impl IntoIterator<Item = MockResponse>) -> Self {
        MockedResponses {
            ranges: responses
                .into_iter()
                .zip(0u64..)
                .map(|(r, n)| (n, n, r))
                .collect(),
        }
    }

    /// Reads `{"0": {"Return": …}, "1-3": {"Throw": {…}}}`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidMocks`] when a key is not `N` or `N-M`, the keys leave a gap or
    /// overlap, or a response is not one `Return` or `Throw` field.
    pub fn from_value(value: &Value) -> Result<Self, Error> {
        Self::parse(value, "")
    }

    /// Reads the responses found at `pointer`.
    fn parse(value: &Value, pointer: &str) -> Result<Self, Error> {
        let Value::Object(map) = value else {
            return Err(Error::mocks_at(
                pointer,
                format!(
                    "a mocked response must be an object keyed by invocation (\"0\", \"1-2\"), not {}",
                    kind(value)
                ),
            ));
        };
        if map.is_empty() {
            return Err(Error::mocks_at(
                pointer,
                "a mocked response must answer at least invocation \"0\"",
            ));
        }
        let mut ranges = Vec::with_capacity(map.len());
        for (key, response) in map {
            let here = child(pointer, key);
            let (from, to) = parse_range(key).ok_or_else(|| {
                Error::mocks_at(
                    &here,
                    format!(
                        "'{key}' is not an invocation number (\"0\") or an inclusive range (\"1-3\")"
                    ),
                )
            })?;
            ranges.push((from, to, MockResponse::parse(response, &here)?, here));
        }
        ranges.sort_by_key(|r| r.0);
        let mut next = 0u64;
        for (from, to, _, here) in &ranges {
            if *from > next {
                let missing = if *from - 1 == next {
                    format!("{next}")
                } else {
                    format!("{next}-{}", from - 1)
                };
                return Err(Error::mocks_at(
                    pointer,
                    format!(
                        "invocation {missing} has no response: the keys must cover every invocation from 0"
                    ),
                ));
            }
            if *from < next {
                return Err(Error::mocks_at(
                    here,
                    format!("invocation {from} has two responses: the ranges overlap"),
                ));
            }
            next = to.saturating_add(1);
        }
        Ok(MockedResponses {
            ranges: ranges.into_iter().map(|(a, b, r, _)| (a, b, r)).collect(),
        })
    }

    /// The response to invocation `n` (from 0); `None` past the last one given, which
    /// fails the task as it does in Step Functions Local.
    pub fn response(&self, n: u64) -> Option<&MockResponse> {
        self.ranges
            .iter()
            .find(|(a, b, _)| (*a..=*b).contains(&n))
            .map(|(_, _, r)| r)
    }

    /// How many invocations have a response.
    pub fn len(&self) -> u64 {
        self.ranges
            .last()
            .map_or(0, |(_, b, _)| b.saturating_add(1))
    }

    /// Whether no invocation has a response.
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }
}

/// `"3"` → (3, 3); `"1-2"` → (1, 2); anything else, or a range that ends before it
/// starts, → `None`.
fn parse_range(key: &str) -> Option<(u64, u64)> {
    let number = |s: &str| {
        let s = s.trim();
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u64>().ok())
            .flatten()
    };
    let (from, to) = match key.split_once('-') {
        Some((a, b)) => (number(a)?, number(b)?),
        None => {
            let n = number(key)?;
            (n, n)
        }
    };
    (from <= to).then_some((from, to))
}

/// Mocked responses for the Task states of one execution, by state name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Mocks {
    states: HashMap<String, MockedResponses>,
}

impl Mocks {
    /// No mocks.
    pub fn new() -> Self {
        Mocks::default()
    }

    /// Reads `{"StateName": {"0": {"Return": …}}, …}`: a test case with its mocked
    /// responses written in place.
    ///
    /// # Errors
    ///
    /// As [`MockedResponses::from_value`]; the message names the JSON Pointer.
    pub fn from_value(value: &Value) -> Result<Self, Error> {
        let Value::Object(map) = value else {
            return Err(Error::mocks_at(
                "",
                format!(
                    "the mocks must be an object keyed by state name, not {}",
                    kind(value)
                ),
            ));
        };
        let mut states = HashMap::with_capacity(map.len());
        for (name, responses) in map {
            states.insert(
                name.clone(),
                MockedResponses::parse(responses, &child("", name))?,
            );
        }
        Ok(Mocks { states })
    }

    /// The mocks of one test case of one state machine in a mock configuration file.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidMocks`] when the file has no such machine or test case (the message
    /// lists those it has).
    pub fn from_config(config: &MockConfig, machine: &str, test_case: &str) -> Result<Self, Error> {
        config.mocks(machine, test_case)
    }

    /// Reads a mock configuration file and takes the mocks of one test case of one
    /// state machine.
    ///
    /// # Errors
    ///
    /// As [`MockConfig::from_file`] and [`Mocks::from_config`].
    pub fn from_config_file(
        path: impl AsRef<Path>,
        machine: &str,
        test_case: &str,
    ) -> Result<Self, Error> {
        MockConfig::from_file(path)?.mocks(machine, test_case)
    }

    /// Sets the responses of a state.
    pub fn insert(&mut self, state: impl Into<String>, responses: MockedResponses) {
        self.states.insert(state.into(), responses);
    }

    /// The responses of a state.
    pub fn get(&self, state: &str) -> Option<&MockedResponses> {
        self.states.get(state)
    }

    /// The names of the mocked states, sorted.
    pub fn states(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.states.keys().map(String::as_str).collect();
        names.sort_unstable();
        names
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.states.is_empty()
    }
}

/// A mock configuration file ("MockConfigFile.json") of AWS Step Functions Local:
/// test cases by state machine, and the mocked responses they use.
///
/// Reading checks the whole file: every test case must name mocked responses that
/// exist, and every mocked response must be well formed, so a mistake is reported with
/// its JSON Pointer whichever test case is run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MockConfig {
    file: Option<String>,
    /// machine → test case → state → mocked response name.
    machines: IndexMap<String, IndexMap<String, IndexMap<String, String>>>,
    responses: IndexMap<String, MockedResponses>,
}

impl MockConfig {
    /// Reads a mock configuration from its JSON value.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidMocks`] at the first field that is not in the MockConfigFile format:
    /// an unknown field, a test case naming a mocked response that does not exist, a
    /// malformed invocation key or response.
    pub fn from_value(value: &Value) -> Result<Self, Error> {
        let root = object(
            value,
            "",
            "the mock configuration must be an object with StateMachines and MockedResponses",
        )?;
        for key in root.keys() {
            if key != "StateMachines" && key != "MockedResponses" {
                return Err(Error::mocks_at(
                    &child("", key),
                    format!(
                        "unknown field '{key}'{}: the mock configuration has the fields StateMachines and MockedResponses",
                        suggest(key, ["StateMachines", "MockedResponses"])
                    ),
                ));
            }
        }
        let mut responses = IndexMap::new();
        if let Some(v) = root.get("MockedResponses") {
            for (name, r) in object(
                v,
                "/MockedResponses",
                "MockedResponses must be an object keyed by mocked response name",
            )? {
                let here = child("/MockedResponses", name);
                responses.insert(name.clone(), MockedResponses::parse(r, &here)?);
            }
        }
        let mut machines = IndexMap::new();
        if let Some(v) = root.get("StateMachines") {
            for (machine, m) in object(
                v,
                "/StateMachines",
                "StateMachines must be an object keyed by state machine name",
            )? {
                let here = child("/StateMachines", machine);
                let m = object(m, &here, "a state machine must be an object with TestCases")?;
                if let Some(other) = m.keys().find(|k| *k != "TestCases") {
                    return Err(Error::mocks_at(
                        &child(&here, other),
                        format!(
                            "unknown field '{other}'{}: a state machine has the field TestCases",
                            suggest(other, ["TestCases"])
                        ),
                    ));
                }
                let here = child(&here, "TestCases");
                let mut cases = IndexMap::new();
                if let Some(tc) = m.get("TestCases") {
                    for (case, states) in object(
                        tc,
                        &here,
                        "TestCases must be an object keyed by test case name",
                    )? {
                        let here = child(&here, case);
                        let mut mocked = IndexMap::new();
                        for (state, response) in object(
                            states,
                            &here,
                            "a test case must be an object mapping state names to mocked response names",
                        )? {
                            let here = child(&here, state);
                            let Value::String(response) = response else {
                                return Err(Error::mocks_at(
                                    &here,
                                    format!(
                                        "the mocked response of a state must be named by a string, not {}",
                                        kind(response)
                                    ),
                                ));
                            };
                            if !responses.contains_key(response) {
                                return Err(Error::mocks_at(
                                    &here,
                                    format!(
                                        "no mocked response '{response}' in MockedResponses{}",
                                        suggest(response, responses.keys().map(String::as_str))
                                    ),
                                ));
                            }
                            mocked.insert(state.clone(), response.clone());
                        }
                        cases.insert(case.clone(), mocked);
                    }
                }
                machines.insert(machine.clone(), cases);
            }
        }
        Ok(MockConfig {
            file: None,
            machines,
            responses,
        })
    }

    /// Reads a mock configuration file; errors name the file.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidMocks`] when the file cannot be read, is not JSON, or as
    /// [`MockConfig::from_value`].
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::mocks_at("", format!("cannot read: {e}")).in_file(file.clone()))?;
        let mut config = text
            .parse::<MockConfig>()
            .map_err(|e| e.in_file(file.clone()))?;
        config.file = Some(file);
        Ok(config)
    }

    /// The file it was read from, if any.
    pub fn file(&self) -> Option<&str> {
        self.file.as_deref()
    }

    /// The names of the state machines, in file order.
    pub fn state_machines(&self) -> impl Iterator<Item = &str> {
        self.machines.keys().map(String::as_str)
    }

    /// The names of a state machine's test cases, in file order; `None` when the file
    /// has no such machine.
    pub fn test_cases(&self, machine: &str) -> Option<impl Iterator<Item = &str>> {
        self.machines
            .get(machine)
            .map(|cases| cases.keys().map(String::as_str))
    }

    /// A mocked response by name.
    pub fn mocked_response(&self, name: &str) -> Option<&MockedResponses> {
        self.responses.get(name)
    }

    /// The mocks of one test case of one state machine.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidMocks`] when the file has no such machine or test case (the message
    /// lists those it has).
    pub fn mocks(&self, machine: &str, test_case: &str) -> Result<Mocks, Error> {
        let error = |pointer: &str, message: String| {
            let e = Error::mocks_at(pointer, message);
            match &self.file {
                Some(f) => e.in_file(f.clone()),
                None => e,
            }
        };
        let Some(cases) = self.machines.get(machine) else {
            return Err(error(
                "/StateMachines",
                format!(
                    "no state machine '{machine}'{} ({})",
                    suggest(machine, self.state_machines()),
                    listing("state machines", self.state_machines())
                ),
            ));
        };
        let here = child(&child("/StateMachines", machine), "TestCases");
        let Some(states) = cases.get(test_case) else {
            let names = cases.keys().map(String::as_str);
            return Err(error(
                &here,
                format!(
                    "no test case '{test_case}' for the state machine '{machine}'{} ({})",
                    suggest(test_case, names.clone()),
                    listing("test cases", names)
                ),
            ));
        };
        let mut mocks = Mocks::new();
        for (state, response) in states {
            // Reading checked that every name exists.
            if let Some(r) = self.responses.get(response) {
                mocks.insert(state.clone(), r.clone());
            }
        }
        Ok(mocks)
    }
}

impl FromStr for MockConfig {
    type Err = Error;

    /// Reads a mock configuration from its JSON text.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let value: Value = serde_json::from_str(text)
            .map_err(|e| Error::mocks_at("", format!("not valid JSON: {e}")))?;
        MockConfig::from_value(&value)
    }
}

/// `pointer` extended by one key, escaped as RFC 6901 says.
fn child(pointer: &str, key: &str) -> String {
    let mut out = pointer.to_owned();
    push_pointer_token(&mut out, key);
    out
}

fn object<'a>(
    value: &'a Value,
    pointer: &str,
    what: &str,
) -> Result<&'a Map<String, Value>, Error> {
    match value {
        Value::Object(m) => Ok(m),
        other => Err(Error::mocks_at(
            pointer,
            format!("{what}, not {}", kind(other)),
        )),
    }
}

fn listing<'a>(what: &str, names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<String> = names.map(|n| format!("'{n}'")).collect();
    if names.is_empty() {
        format!("the file has no {what}")
    } else {
        format!("the {what} are {}", names.join(", "))
    }
}

/// `" (did you mean 'X'?)"` for the closest of `options`, when one is close.
fn suggest<'a>(name: &str, options: impl IntoIterator<Item = &'a str>) -> String {
    sfn_core::names::closest(name, options)
        .map(|o| format!(" (did you mean '{o}'?)"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn config(value: Value) -> Result<MockConfig, Error> {
        MockConfig::from_value(&value)
    }

    fn err(value: Value) -> Located {
        match config(value) {
            Ok(c) => panic!("accepted: {c:?}"),
            Err(e) => located(e),
        }
    }

    /// The parts of an [`Error::InvalidMocks`].
    struct Located {
        file: Option<String>,
        pointer: String,
        message: String,
        shown: String,
    }

    impl std::fmt::Display for Located {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(&self.shown)
        }
    }

    fn located(e: Error) -> Located {
        let shown = e.to_string();
        match e {
            Error::InvalidMocks {
                file,
                pointer,
                message,
            } => Located {
                file,
                pointer,
                message,
                shown,
            },
            other => panic!("not a mock error: {other:?}"),
        }
    }

    const AWS_EXAMPLE: &str = r#"{
      "StateMachines": {
        "LambdaSQSIntegration": {
          "TestCases": {
            "HappyPath": {"LambdaState": "MockedLambdaSuccess", "SQSState": "MockedSQSSuccess"},
            "RetryPath": {"LambdaState": "MockedLambdaRetry", "SQSState": "MockedSQSSuccess"},
            "HybridPath": {"LambdaState": "MockedLambdaSuccess"}
          }
        }
      },
      "MockedResponses": {
        "MockedLambdaSuccess": {"0": {"Return": {"StatusCode": 200, "Payload": {"StatusCode": 200, "body": "Hello from Lambda!"}}}},
        "LambdaMockedResourceNotReady": {"0": {"Throw": {"Error": "Lambda.ResourceNotReadyException", "Cause": "Lambda resource is not ready."}}},
        "MockedSQSSuccess": {"0": {"Return": {"MD5OfMessageBody": "3bcb6e8e", "MessageId": "3bcb6e8e-8b51"}}},
        "MockedLambdaRetry": {
          "0": {"Throw": {"Error": "Lambda.ResourceNotReadyException", "Cause": "Lambda resource is not ready."}},
          "1-2": {"Throw": {"Error": "Lambda.TimeoutException", "Cause": "Lambda timed out."}},
          "3": {"Return": {"StatusCode": 200, "Payload": {"StatusCode": 200, "body": "Hello from Lambda!"}}}
        }
      }
    }"#;

    #[test]
    fn ranges() {
        let m = MockedResponses::from_value(
            &json!({"0": {"Return": 1}, "1-2": {"Throw": {"Error": "E", "Cause": "c"}}}),
        );
        let Ok(m) = m else { panic!("{m:?}") };
        assert_eq!(m.response(0), Some(&MockResponse::Return(json!(1))));
        assert!(matches!(m.response(1), Some(MockResponse::Throw { error, .. }) if error == "E"));
        assert!(
            matches!(m.response(2), Some(MockResponse::Throw { cause: Some(c), .. }) if c == "c")
        );
        assert_eq!(
            m.response(3),
            None,
            "past the last invocation there is no response"
        );
        assert_eq!(m.len(), 3);
        assert!(MockedResponses::from_value(&json!({"x": {"Return": 1}})).is_err());
    }

    #[test]
    fn the_aws_example_reads() -> Result<(), Error> {
        let c: MockConfig = AWS_EXAMPLE.parse()?;
        assert_eq!(
            c.state_machines().collect::<Vec<_>>(),
            ["LambdaSQSIntegration"]
        );
        let cases: Vec<&str> = c
            .test_cases("LambdaSQSIntegration")
            .map(Iterator::collect)
            .unwrap_or_default();
        assert_eq!(cases, ["HappyPath", "RetryPath", "HybridPath"]);
        let retry = Mocks::from_config(&c, "LambdaSQSIntegration", "RetryPath")?;
        assert_eq!(retry.states(), ["LambdaState", "SQSState"]);
        let lambda = retry
            .get("LambdaState")
            .ok_or_else(|| Error::mocks_at("", "none"))?;
        assert_eq!(lambda.len(), 4);
        for n in 0..3 {
            assert!(matches!(
                lambda.response(n),
                Some(MockResponse::Throw { .. })
            ));
        }
        assert!(matches!(
            lambda.response(2),
            Some(MockResponse::Throw { error, cause: Some(cause) })
                if error == "Lambda.TimeoutException" && cause == "Lambda timed out."
        ));
        assert!(
            matches!(lambda.response(3), Some(MockResponse::Return(v)) if v["StatusCode"] == 200)
        );
        let hybrid = c.mocks("LambdaSQSIntegration", "HybridPath")?;
        assert_eq!(hybrid.states(), ["LambdaState"]);
        Ok(())
    }

    #[test]
    fn unknown_machine_or_test_case_lists_the_known_ones() -> Result<(), Error> {
        let c: MockConfig = AWS_EXAMPLE.parse()?;
        let e = c.mocks("LambdaSQSIntegraton", "HappyPath").err();
        let e = e.map(|e| e.to_string()).unwrap_or_default();
        assert_eq!(
            e,
            "invalid mocks: /StateMachines: no state machine 'LambdaSQSIntegraton' (did you mean 'LambdaSQSIntegration'?) (the state machines are 'LambdaSQSIntegration')"
        );
        let e = c.mocks("LambdaSQSIntegration", "SadPath").err();
        let Some(e) = e.map(located) else {
            panic!("accepted")
        };
        assert_eq!(e.file, None);
        assert_eq!(e.pointer, "/StateMachines/LambdaSQSIntegration/TestCases");
        assert!(
            e.message
                .contains("the test cases are 'HappyPath', 'RetryPath', 'HybridPath'"),
            "{e}"
        );
        Ok(())
    }

    #[test]
    fn a_test_case_naming_a_missing_response_is_an_error() {
        let e = err(json!({
            "StateMachines": {"m": {"TestCases": {"T": {"A/B": "Sucess"}}}},
            "MockedResponses": {"Success": {"0": {"Return": 1}}}
        }));
        assert_eq!(e.pointer, "/StateMachines/m/TestCases/T/A~1B");
        assert_eq!(
            e.message,
            "no mocked response 'Sucess' in MockedResponses (did you mean 'Success'?)"
        );
    }

    #[test]
    fn bad_shapes_point_at_the_field() {
        let cases = [
            (json!([]), "", "must be an object"),
            (
                json!({"MockedResponse": {}}),
                "/MockedResponse",
                "did you mean 'MockedResponses'?",
            ),
            (
                json!({"StateMachines": {"m": {"Tests": {}}}}),
                "/StateMachines/m/Tests",
                "unknown field 'Tests'",
            ),
            (
                json!({"StateMachines": {"m": {"TestCases": {"T": {"S": 3}}}}}),
                "/StateMachines/m/TestCases/T/S",
                "named by a string, not a number",
            ),
            (
                json!({"MockedResponses": {"R": {"0": {"Return": 1}, "a-b": {"Return": 2}}}}),
                "/MockedResponses/R/a-b",
                "not an invocation number",
            ),
            (
                json!({"MockedResponses": {"R": {"3-1": {"Return": 1}}}}),
                "/MockedResponses/R/3-1",
                "not an invocation number",
            ),
            (
                json!({"MockedResponses": {"R": {"0": {"Return": 1}, "2": {"Return": 2}}}}),
                "/MockedResponses/R",
                "invocation 1 has no response",
            ),
            (
                json!({"MockedResponses": {"R": {"1-3": {"Return": 1}}}}),
                "/MockedResponses/R",
                "invocation 0 has no response",
            ),
            (
                json!({"MockedResponses": {"R": {"0-2": {"Return": 1}, "2": {"Return": 2}}}}),
                "/MockedResponses/R/2",
                "invocation 2 has two responses",
            ),
            (
                json!({"MockedResponses": {"R": {}}}),
                "/MockedResponses/R",
                "at least invocation \"0\"",
            ),
            (
                json!({"MockedResponses": {"R": {"0": {"Return": 1, "Throw": {}}}}}),
                "/MockedResponses/R/0",
                "not both",
            ),
            (
                json!({"MockedResponses": {"R": {"0": {"Returns": 1}}}}),
                "/MockedResponses/R/0/Returns",
                "unknown field 'Returns'",
            ),
            (
                json!({"MockedResponses": {"R": {"0": {}}}}),
                "/MockedResponses/R/0",
                "must have a Return or a Throw",
            ),
            (
                json!({"MockedResponses": {"R": {"0": {"Throw": "E"}}}}),
                "/MockedResponses/R/0/Throw",
                "not a string",
            ),
            (
                json!({"MockedResponses": {"R": {"0": {"Throw": {"Error": 1}}}}}),
                "/MockedResponses/R/0/Throw/Error",
                "must be a string, not a number",
            ),
            (
                json!({"MockedResponses": {"R": {"0": {"Throw": {"Error": "E", "Message": "m"}}}}}),
                "/MockedResponses/R/0/Throw/Message",
                "unknown field 'Message'",
            ),
        ];
        for (value, pointer, message) in cases {
            let e = err(value.clone());
            assert_eq!(e.pointer, pointer, "{value}: {e}");
            assert!(e.message.contains(message), "{value}: {e}");
        }
    }

    #[test]
    fn files_are_named_in_errors() {
        let dir = std::env::temp_dir().join(format!("sfn-mock-test-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let bad = dir.join("bad.json");
        let _ = std::fs::write(&bad, r#"{"MockedResponses": {"R": {"0": {}}}}"#);
        let e = MockConfig::from_file(&bad).err().map(|e| e.to_string());
        assert_eq!(
            e.as_deref(),
            Some(
                format!(
                    "invalid mocks: {}: /MockedResponses/R/0: a response must have a Return or a Throw field",
                    bad.display()
                )
                .as_str()
            )
        );
        let e = Mocks::from_config_file(dir.join("missing.json"), "m", "t")
            .err()
            .map(located);
        assert!(e.is_some_and(|e| e.message.starts_with("cannot read")
            && e.file.is_some_and(|f| f.ends_with("missing.json"))));
        let not_json = dir.join("not.json");
        let _ = std::fs::write(&not_json, "{");
        let e = MockConfig::from_file(&not_json).err().map(located);
        assert!(e.is_some_and(|e| e.message.starts_with("not valid JSON")));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn flat_mocks_keep_their_shape_and_accept_null_fields() -> Result<(), Error> {
        let m = Mocks::from_value(&json!({
            "A": {"0": {"Throw": {"Error": "States.Timeout", "Cause": null}}, "1": {"Return": {"ok": true}}}
        }))?;
        let a = m.get("A").ok_or(Error::InvalidToken)?;
        assert_eq!(
            a.response(0),
            Some(&MockResponse::Throw {
                error: "States.Timeout".into(),
                cause: None
            })
        );
        let e = Mocks::from_value(&json!({"A": {"0": {"Return": 1}, "0-1": {"Return": 2}}}));
        assert_eq!(
            e.err().map(|e| e.to_string()),
            Some(
                "invalid mocks: /A/0-1: invocation 0 has two responses: the ranges overlap".into()
            )
        );
        Ok(())
    }

    #[test]
    fn sequence_numbers_from_zero() {
        let m = MockedResponses::sequence([
            MockResponse::Throw {
                error: "E".into(),
                cause: None,
            },
            MockResponse::Return(json!(1)),
        ]);
        assert!(matches!(m.response(0), Some(MockResponse::Throw { .. })));
        assert_eq!(m.response(1), Some(&MockResponse::Return(json!(1))));
        assert_eq!(m.len(), 2);
    }
}
