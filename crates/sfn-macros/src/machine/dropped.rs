//! What the lowering left out of the JSON because of a DSL error, and which of the
//! validator's diagnostics follow from that: one mistake, one error.
//!
//! The validator always runs, so that its findings elsewhere come in the same build;
//! only the diagnostics that report an absence the DSL error already explains are
//! dropped.

use std::collections::BTreeSet;

use serde_json::Value as Json;
use sfn_core::{Diagnostic, DiagnosticCode as Code, diagnostic::push_pointer_token};

/// The JSON Pointers of the states and fields the lowering could not lower.
#[derive(Default)]
pub(crate) struct Dropped(BTreeSet<String>);

/// The fields of a state whose absence changes the scope's graph: which states follow
/// which, and which end it.
const TRANSITIONS: [&str; 6] = ["Type", "Next", "End", "Default", "Choices", "Catch"];

impl Dropped {
    /// Records that nothing was lowered at `ptr`.
    pub(crate) fn record(&mut self, ptr: &str) {
        self.0.insert(ptr.to_owned());
    }

    /// Whether `d` only reports what the lowering dropped: something at or below a
    /// dropped pointer, a required field that was dropped, a transition to a dropped
    /// state, or a scope's graph (no state, no terminal state, unreachable states) made
    /// incomplete by a drop.
    pub(crate) fn explains(&self, d: &Diagnostic, json: &Json) -> bool {
        let at = d.pointer.as_str();
        if self.0.iter().any(|p| at_or_below(at, p)) {
            return true;
        }
        match d.code {
            Code::SchemaValidationFailed => {
                required(&d.message).any(|f| self.0.contains(&child(at, f)))
                    || (state_of(at).is_some_and(|(_, _, rest)| rest.is_empty())
                        && d.message.contains("'Next'")
                        && ["Next", "End"]
                            .iter()
                            .any(|f| self.0.contains(&child(at, f))))
                    || (at.rsplit('/').next() == Some("States")
                        && self.0.iter().any(|p| {
                            state_of(p).is_some_and(|(scope, _, rest)| {
                                rest.is_empty() && at.strip_prefix(scope) == Some("/States")
                            })
                        }))
            }
            Code::MissingTransitionTarget => {
                match (scope_of(at), json.pointer(at).and_then(Json::as_str)) {
                    (Some(scope), Some(target)) => {
                        let mut p = format!("{scope}/States");
                        push_pointer_token(&mut p, target);
                        self.0.contains(&p)
                    }
                    _ => false,
                }
            }
            Code::MissingEndState => self.touches_graph(at),
            Code::UnreachableState => {
                state_of(at).is_some_and(|(scope, _, _)| self.touches_graph(scope))
            }
            _ => false,
        }
    }

    /// Whether the graph of the scope `ptr` is in was changed by a drop: the states
    /// a diagnostic there says a transition cuts off may be cut off by the drop instead.
    pub(crate) fn changed_graph_at(&self, ptr: &str) -> bool {
        scope_of(ptr).is_some_and(|s| self.touches_graph(s))
    }

    /// Whether a state of the scope at `scope`, or one of its transitions, was dropped.
    fn touches_graph(&self, scope: &str) -> bool {
        self.0.iter().any(|p| {
            state_of(p).is_some_and(|(s, _, rest)| {
                s == scope
                    && rest
                        .split('/')
                        .nth(1)
                        .is_none_or(|field| TRANSITIONS.contains(&field))
            })
        })
    }
}

/// The scope `ptr` is in: the one its `StartAt` starts, or its state's.
fn scope_of(ptr: &str) -> Option<&str> {
    match ptr.strip_suffix("/StartAt") {
        Some(scope) => Some(scope),
        None => state_of(ptr).map(|(scope, _, _)| scope),
    }
}

/// Whether `ptr` is `base` or below it.
fn at_or_below(ptr: &str, base: &str) -> bool {
    ptr.strip_prefix(base)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

fn child(ptr: &str, field: &str) -> String {
    let mut p = ptr.to_owned();
    push_pointer_token(&mut p, field);
    p
}

/// The fields named by a "These fields are required: [A, B]" message.
fn required(message: &str) -> impl Iterator<Item = &str> {
    message
        .split_once("These fields are required: [")
        .and_then(|(_, rest)| rest.split_once(']'))
        .map(|(list, _)| list)
        .into_iter()
        .flat_map(|list| list.split(", "))
}

/// The innermost state `ptr` is in or at: its scope's pointer, its name (escaped), and
/// what follows it (`""` for the state itself, `/Next`, `/Catch/0/Next`, …).
fn state_of(ptr: &str) -> Option<(&str, &str, &str)> {
    // `ptr[from..]` starts right after the current scope.
    let mut from = 0;
    loop {
        let rest = ptr[from..].strip_prefix("/States/")?;
        let start = from + "/States/".len();
        let end = rest.find('/').map_or(ptr.len(), |i| start + i);
        let after = &ptr[end..];
        // A nested scope: `/Branches/<i>`, `/ItemProcessor` or `/Iterator`.
        let nested = if let Some(b) = after.strip_prefix("/Branches/") {
            b.find('/').map(|i| "/Branches/".len() + i)
        } else {
            ["/ItemProcessor", "/Iterator"]
                .into_iter()
                .find(|k| after.starts_with(k) && after[k.len()..].starts_with('/'))
                .map(str::len)
        };
        match nested {
            Some(len) if ptr[end + len..].starts_with("/States/") => from = end + len,
            _ => return Some((&ptr[..from], &ptr[start..end], after)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_innermost_state() {
        assert_eq!(state_of("/States/A"), Some(("", "A", "")));
        assert_eq!(state_of("/States/A/Next"), Some(("", "A", "/Next")));
        assert_eq!(
            state_of("/States/P/Branches/0/States/B/Catch/0/Next"),
            Some(("/States/P/Branches/0", "B", "/Catch/0/Next"))
        );
        assert_eq!(
            state_of("/States/M/ItemProcessor/States/B"),
            Some(("/States/M/ItemProcessor", "B", ""))
        );
        assert_eq!(
            state_of("/States/P/Branches/0"),
            Some(("", "P", "/Branches/0"))
        );
        assert_eq!(state_of("/StartAt"), None);
        assert_eq!(state_of(""), None);
    }

    #[test]
    fn reads_required_fields() {
        let m = "These fields are required: [StartAt, States]";
        assert_eq!(required(m).collect::<Vec<_>>(), ["StartAt", "States"]);
        assert_eq!(required("other").count(), 0);
    }

    /// The codes and locations of the validator's errors on `json` that `dropped` does
    /// not explain.
    fn kept(json: Json, dropped: &[&str]) -> Vec<(Code, String)> {
        let mut d = Dropped::default();
        for p in dropped {
            d.record(p);
        }
        sfn_core::validate::validate_value(&json)
            .errors()
            .filter(|x| !d.explains(x, &json))
            .map(|x| (x.code, x.pointer.clone()))
            .collect()
    }

    #[test]
    fn drops_what_a_dropped_state_explains() {
        // `C` was dropped: the transition to it, the state only it leads to, and the
        // missing terminal state follow from that; `Missing` does not.
        let json = serde_json::json!({
            "StartAt": "A",
            "States": {
                "A": { "Type": "Pass", "Next": "C" },
                "B": { "Type": "Pass", "Next": "Missing" },
            }
        });
        assert_eq!(
            kept(json, &["/States/C"]),
            [(Code::MissingTransitionTarget, "/States/B/Next".to_owned())]
        );
    }

    #[test]
    fn drops_what_a_dropped_field_explains() {
        let json = serde_json::json!({
            "States": {
                "A": { "Type": "Task", "Next": "B" },
                "B": { "Type": "Pass" },
            }
        });
        // `StartAt`, `A`'s `Resource` and `B`'s `End` were dropped.
        assert_eq!(
            kept(json, &["/StartAt", "/States/A/Resource", "/States/B/End"]),
            []
        );
    }

    #[test]
    fn drops_an_empty_nested_scope() {
        let json = serde_json::json!({
            "StartAt": "P",
            "States": {
                "P": {
                    "Type": "Parallel",
                    "Branches": [ { "StartAt": "X", "States": {} } ],
                    "End": true,
                },
            }
        });
        assert_eq!(kept(json.clone(), &["/States/P/Branches/0/States/X"]), []);
        assert_ne!(kept(json, &[]), []);
    }
}
