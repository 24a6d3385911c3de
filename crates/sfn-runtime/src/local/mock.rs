//! Mocked task responses, in the `MockedResponses` shape of AWS Step Functions Local's
//! MockConfigFile: `{"0": {"Return": …}, "1-3": {"Throw": {"Error": …, "Cause": …}}}`.

use std::collections::HashMap;

use serde_json::Value;

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

/// The responses of one Task state, by invocation (0 is the first, retries included).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MockedResponses {
    ranges: Vec<(u64, u64, MockResponse)>,
}

impl MockedResponses {
    /// Reads `{"0": {"Return": …}, "1-3": {"Throw": {…}}}`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidMocks`] when a key is not `N` or `N-M`, or a response is neither
    /// `Return` nor `Throw`.
    pub fn from_value(value: &Value) -> Result<Self, Error> {
        let bad = |m: String| Error::InvalidMocks { message: m };
        let Value::Object(map) = value else {
            return Err(bad("the responses must be an object".into()));
        };
        let mut ranges = Vec::new();
        for (key, response) in map {
            let (from, to) = match key.split_once('-') {
                Some((a, b)) => (a.trim().parse::<u64>(), b.trim().parse::<u64>()),
                None => (key.trim().parse::<u64>(), key.trim().parse::<u64>()),
            };
            let (Ok(from), Ok(to)) = (from, to) else {
                return Err(bad(format!("'{key}' is not N or N-M")));
            };
            let response = if let Some(v) = response.get("Return") {
                MockResponse::Return(v.clone())
            } else if let Some(t) = response.get("Throw") {
                MockResponse::Throw {
                    error: t
                        .get("Error")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned(),
                    cause: t.get("Cause").and_then(Value::as_str).map(str::to_owned),
                }
            } else {
                return Err(bad(format!(
                    "the response '{key}' has neither Return nor Throw"
                )));
            };
            ranges.push((from, to, response));
        }
        ranges.sort_by_key(|r| r.0);
        Ok(MockedResponses { ranges })
    }

    /// The response to invocation `n` (from 0); past the last one given, the last.
    pub fn response(&self, n: u64) -> Option<&MockResponse> {
        self.ranges
            .iter()
            .find(|(a, b, _)| (*a..=*b).contains(&n))
            .or_else(|| {
                self.ranges
                    .iter()
                    .filter(|(_, b, _)| *b < n)
                    .max_by_key(|(_, b, _)| *b)
            })
            .map(|(_, _, r)| r)
    }
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

    /// Reads `{"StateName": {"0": {"Return": …}}, …}`.
    ///
    /// # Errors
    ///
    /// As [`MockedResponses::from_value`].
    pub fn from_value(value: &Value) -> Result<Self, Error> {
        let Value::Object(map) = value else {
            return Err(Error::InvalidMocks {
                message: "the mocks must be an object keyed by state name".into(),
            });
        };
        let mut states = HashMap::new();
        for (name, responses) in map {
            states.insert(name.clone(), MockedResponses::from_value(responses)?);
        }
        Ok(Mocks { states })
    }

    /// Sets the responses of a state.
    pub fn insert(&mut self, state: impl Into<String>, responses: MockedResponses) {
        self.states.insert(state.into(), responses);
    }

    /// The responses of a state.
    pub fn get(&self, state: &str) -> Option<&MockedResponses> {
        self.states.get(state)
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.states.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ranges() {
        let m = MockedResponses::from_value(
            &json!({"0": {"Return": 1}, "1-2": {"Throw": {"Error": "E", "Cause": "c"}}}),
        );
        let Ok(m) = m else { panic!("{m:?}") };
        assert_eq!(m.response(0), Some(&MockResponse::Return(json!(1))));
        assert!(matches!(m.response(2), Some(MockResponse::Throw { error, .. }) if error == "E"));
        assert!(matches!(m.response(7), Some(MockResponse::Throw { .. })));
        assert!(MockedResponses::from_value(&json!({"x": {"Return": 1}})).is_err());
    }
}
