//! `Retry` and `Catch`: retriers, catchers and their `ErrorEquals`.

use serde_json::{Map, Value};

use super::{fields::Obj, state::StateReader};
use crate::{diagnostic::value_kind as kind, fields::ObjectKind, model::*};

impl StateReader<'_, '_> {
    pub(super) fn retry_catch(&mut self) -> (Option<Vec<Retrier>>, Option<Vec<Catcher>>) {
        let retry = self.list("Retry", Self::retrier);
        let catch = self.list("Catch", Self::catcher);
        let retry_all = retry.as_deref().map(|r| {
            r.iter()
                .map(|x| x.error_equals.iter().any(ErrorName::is_all))
                .collect()
        });
        let catch_all = catch.as_deref().map(|c| {
            c.iter()
                .map(|x| x.error_equals.iter().any(ErrorName::is_all))
                .collect()
        });
        for (key, all) in [("Retry", retry_all), ("Catch", catch_all)] {
            let all: Vec<bool> = all.unwrap_or_default();
            for (i, _) in all
                .iter()
                .enumerate()
                .filter(|(i, a)| **a && i + 1 < all.len())
            {
                let at = format!("{}/{i}/ErrorEquals", self.at(key));
                let what = if key == "Retry" { "retrier" } else { "catcher" };
                self.p.error(&at, format!("'States.ALL' must appear in the last {what} only; the {what}s after it can never match"));
            }
        }
        (retry, catch)
    }

    fn error_equals(&mut self, obj: &mut Obj<'_>) -> Option<Vec<ErrorName>> {
        let at = obj.at("ErrorEquals");
        let Some(v) = obj.get("ErrorEquals") else {
            let ptr = obj.ptr.clone();
            self.p
                .error(&ptr, "These fields are required: [ErrorEquals]");
            return None;
        };
        let Value::Array(items) = v else {
            self.p.error(
                &at,
                format!(
                    "The field 'ErrorEquals' must be an array of strings, not {}",
                    kind(v)
                ),
            );
            return None;
        };
        if items.is_empty() {
            self.p.empty_array(&at, "error name");
        }
        let mut names = Vec::with_capacity(items.len());
        for (i, v) in items.iter().enumerate() {
            match v {
                Value::String(s) => names.push(ErrorName::new(s.clone())),
                v => self.p.error(
                    &format!("{at}/{i}"),
                    format!("Error names must be strings, not {}", kind(v)),
                ),
            }
        }
        if let Some(i) = names.iter().position(ErrorName::is_all)
            && names.len() > 1
        {
            self.p.error(
                &format!("{at}/{i}"),
                "'States.ALL' must appear alone in 'ErrorEquals'",
            );
        }
        for (i, n) in names.iter().enumerate() {
            if n.is_unknown_reserved() {
                self.p.error(&format!("{at}/{i}"), format!("'{n}' is not an error Step Functions defines; names starting with 'States.' are reserved"));
            }
        }
        Some(names)
    }

    fn retrier(&mut self, map: &Map<String, Value>, ptr: &str) -> Option<Retrier> {
        let mut obj = Obj::new(map, ptr);
        let error_equals = self.error_equals(&mut obj);
        let comment = self.p.string(&mut obj, "Comment");
        let interval_seconds = self
            .p
            .uint(&mut obj, "IntervalSeconds", 1, Some(99_999_999));
        let max_attempts = self.p.uint(&mut obj, "MaxAttempts", 0, Some(99_999_999));
        let max_delay_seconds = self
            .p
            .uint(&mut obj, "MaxDelaySeconds", 1, Some(31_622_400));
        let backoff_rate = match obj.get("BackoffRate") {
            None => None,
            Some(Value::Number(n)) => {
                if n.as_f64().is_some_and(|f| f < 1.0) {
                    let at = obj.at("BackoffRate");
                    self.p.error(
                        &at,
                        format!("The field 'BackoffRate' must be at least 1.0; it is {n}"),
                    );
                }
                Some(n.clone())
            }
            Some(v) => {
                let at = obj.at("BackoffRate");
                self.p.error(
                    &at,
                    format!("The field 'BackoffRate' must be a number, not {}", kind(v)),
                );
                None
            }
        };
        let jitter_at = obj.at("JitterStrategy");
        let jitter_strategy = match self.p.string(&mut obj, "JitterStrategy").as_deref() {
            None => None,
            Some("FULL") => Some(JitterStrategy::Full),
            Some("NONE") => Some(JitterStrategy::None),
            Some(other) => {
                self.p.error(
                    &jitter_at,
                    format!("The field 'JitterStrategy' must be 'FULL' or 'NONE', not '{other}'"),
                );
                None
            }
        };
        self.p.finish(obj, "a retrier");
        Some(Retrier {
            error_equals: error_equals?,
            comment,
            interval_seconds,
            max_attempts,
            backoff_rate,
            max_delay_seconds,
            jitter_strategy,
        })
    }

    fn catcher(&mut self, map: &Map<String, Value>, ptr: &str) -> Option<Catcher> {
        let mut obj = Obj::new(map, ptr);
        let error_equals = self.error_equals(&mut obj);
        let comment = self.p.string(&mut obj, "Comment");
        if !obj.has("Next") {
            self.p.error(ptr, "These fields are required: [Next]");
        }
        let next = self.p.string(&mut obj, "Next").map(StateName::new);
        let ql = self.ql;
        let catcher = ObjectKind::Catcher;
        let result_path = if catcher.takes(ql, "ResultPath") {
            self.p.nullable_path(&mut obj, "ResultPath", true)
        } else {
            None
        };
        let output = if catcher.takes(ql, "Output") {
            self.p.template(&mut obj, "Output", ql, false)
        } else {
            None
        };
        let assign = self.p.template(&mut obj, "Assign", ql, true);
        // `ResultPath` in JSONata, `Output` in JSONPath.
        let foreign: Vec<&str> = catcher
            .fields()
            .filter(|f| !f.allowed_in(ql) && obj.has(f.name))
            .map(|f| f.name)
            .collect();
        for other in foreign {
            let at = obj.at(other);
            obj.get(other);
            self.p.field_error(
                &at,
                format!("The field '{other}' of a catcher is not supported in {ql} states"),
            );
        }
        self.p.finish(obj, "a catcher");
        Some(Catcher {
            error_equals: error_equals?,
            comment,
            next: next?,
            result_path,
            output,
            assign,
        })
    }
}
