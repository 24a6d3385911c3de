//! The validator: every problem in a definition, at once.
//!
//! [`validate_str`] reads the text, reports every field-level problem (see
//! [`crate::parse`]) and then the checks that need the whole machine: transition targets,
//! reachability, terminal states, duplicate names across nested scopes, and the
//! restrictions of Express machines. The graph checks read the JSON leniently, so a
//! broken field elsewhere does not hide them.

use std::collections::{HashMap, HashSet, VecDeque};

use serde_json::{Map, Value};

use crate::{
    diagnostic::{Diagnostic, DiagnosticCode as Code, Diagnostics},
    model::{ExecutionType, StateMachine},
    parse::{self, ParseOutcome},
    resources::{self, Pattern, Recognized},
    template::push_pointer,
};

/// What to validate against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValidateOptions {
    /// The type of the state machine (`STANDARD` by default): Express machines may not
    /// use `.sync` or `.waitForTaskToken` integrations, nor activities.
    pub machine_type: ExecutionType,
    /// Whether to report warnings (on by default).
    pub warnings: bool,
}

impl Default for ValidateOptions {
    fn default() -> Self {
        ValidateOptions {
            machine_type: ExecutionType::Standard,
            warnings: true,
        }
    }
}

/// Validates a model (built in code, or read earlier).
pub fn validate(machine: &StateMachine) -> Diagnostics {
    validate_value_with(&machine.to_value(), ValidateOptions::default()).1
}

/// Validates a definition's text.
pub fn validate_str(text: &str) -> Diagnostics {
    validate_str_with(text, ValidateOptions::default()).1
}

/// Validates a definition's text with options; returns the model too when it could be
/// read.
pub fn validate_str_with(
    text: &str,
    options: ValidateOptions,
) -> (Option<StateMachine>, Diagnostics) {
    match parse::read_json(text) {
        Ok(value) => {
            let ParseOutcome {
                machine,
                mut diagnostics,
            } = parse::parse_value(&value);
            graph_checks(&value, options, &mut diagnostics.0);
            finish(machine, diagnostics, options)
        }
        Err(diagnostic) => (None, Diagnostics(vec![diagnostic])),
    }
}

/// Validates a definition given as JSON.
pub fn validate_value(value: &Value) -> Diagnostics {
    validate_value_with(value, ValidateOptions::default()).1
}

/// Validates a definition given as JSON, with options; returns the model too when it
/// could be read.
pub fn validate_value_with(
    value: &Value,
    options: ValidateOptions,
) -> (Option<StateMachine>, Diagnostics) {
    let ParseOutcome {
        machine,
        mut diagnostics,
    } = parse::parse_value(value);
    graph_checks(value, options, &mut diagnostics.0);
    if let Ok(text) = serde_json::to_string(value) {
        let chars = text.chars().count();
        if chars > parse::MAX_DEFINITION_CHARS {
            diagnostics.push(Diagnostic::error(
                Code::DefinitionTooLarge,
                "",
                format!(
                    "The definition is {chars} characters long; at most {} are allowed",
                    parse::MAX_DEFINITION_CHARS
                ),
            ));
        }
    }
    finish(machine, diagnostics, options)
}

fn finish(
    machine: Option<StateMachine>,
    mut diagnostics: Diagnostics,
    options: ValidateOptions,
) -> (Option<StateMachine>, Diagnostics) {
    if !options.warnings {
        diagnostics.0.retain(Diagnostic::is_error);
    }
    // Errors first, causes before what follows from them, then by location.
    diagnostics.0.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| cause_rank(a).cmp(&cause_rank(b)))
            .then_with(|| a.pointer.cmp(&b.pointer))
    });
    diagnostics.0.dedup();
    (machine, diagnostics)
}

/// How early a diagnostic comes: malformed input, then unknown or misplaced fields, then
/// missing transition targets, then the rest (which often follow from those).
fn cause_rank(d: &Diagnostic) -> u8 {
    match d.code {
        Code::InvalidJsonDescription | Code::DefinitionTooLarge => 0,
        Code::SchemaValidationFailed if d.subject == crate::diagnostic::Subject::Value => 1,
        Code::SchemaValidationFailed => 2,
        Code::MissingTransitionTarget => 3,
        _ => 4,
    }
}

/// The checks that need the whole machine.
fn graph_checks(root: &Value, options: ValidateOptions, out: &mut Vec<Diagnostic>) {
    let Value::Object(map) = root else { return };
    let mut seen: HashMap<String, String> = HashMap::new();
    check_scope(map, "", options, &mut seen, out);
    // Diagnostics superseded by their cause (see `malformed_transition`).
    out.retain(|d| !d.message.is_empty());
}

fn state_ptr(scope_ptr: &str, name: &str) -> String {
    let mut p = format!("{scope_ptr}/States");
    push_pointer(&mut p, name);
    p
}

fn check_scope(
    scope: &Map<String, Value>,
    ptr: &str,
    options: ValidateOptions,
    seen: &mut HashMap<String, String>,
    out: &mut Vec<Diagnostic>,
) {
    let Some(Value::Object(states)) = scope.get("States") else {
        return;
    };
    let start_at = scope.get("StartAt").and_then(Value::as_str);

    // Names: unique in this scope and every enclosing one (sibling branches may repeat
    // a name, as AWS accepts).
    for name in states.keys() {
        let here = state_ptr(ptr, name);
        if let Some(first) = seen.get(name) {
            out.push(Diagnostic::error(
                Code::DuplicateStateName,
                here.clone(),
                format!("The state name '{name}' is used more than once (also at {first}); state names must be unique in the whole machine"),
            ));
        } else {
            seen.insert(name.clone(), here);
        }
    }

    // Transition targets: AWS calls every one of them 'Next', `StartAt` too.
    if let Some(start) = start_at
        && !states.contains_key(start)
    {
        out.push(missing_target(start, format!("{ptr}/StartAt"), states));
    }
    let mut edges: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut terminal: HashSet<&str> = HashSet::new();
    let mut broken: Vec<Broken<'_>> = Vec::new();
    for (name, state) in states {
        let Value::Object(s) = state else { continue };
        let sp = state_ptr(ptr, name);
        let targets = successors(s, &sp);
        for (target, at) in &targets {
            if !states.contains_key(*target) {
                out.push(missing_target(target, at.clone(), states));
                broken.push(Broken {
                    from: name,
                    diagnostic: out.len() - 1,
                    meant: closest_state(target, states),
                    excuses: false,
                });
            }
        }
        broken.extend(malformed_transition(name, s, &sp, states, out));
        edges.insert(name.as_str(), targets.into_iter().map(|(t, _)| t).collect());
        let ty = s.get("Type").and_then(Value::as_str);
        if matches!(ty, Some("Succeed" | "Fail")) || s.get("End") == Some(&Value::Bool(true)) {
            terminal.insert(name.as_str());
        }

        // Nested scopes.
        if let Some(Value::Array(branches)) = s.get("Branches") {
            for (i, b) in branches.iter().enumerate() {
                if let Value::Object(b) = b {
                    check_scope(
                        b,
                        &format!("{sp}/Branches/{i}"),
                        options,
                        &mut seen.clone(),
                        out,
                    );
                }
            }
        }
        for key in ["ItemProcessor", "Iterator"] {
            if let Some(Value::Object(p)) = s.get(key) {
                check_scope(p, &format!("{sp}/{key}"), options, &mut seen.clone(), out);
            }
        }

        if ty == Some("Task") {
            check_task(s, &sp, options, out);
        }
        if ty == Some("Map") {
            check_reader_writer(s, &sp, out);
        }
    }

    if terminal.is_empty() && !states.is_empty() {
        // AWS then reports no state as unreachable.
        out.push(
            Diagnostic::error(
                Code::MissingEndState,
                ptr.to_owned(),
                "Workflow has no terminal state",
            )
            .about_workflow()
            .with_note(format!(
                "no state of {} has 'End: true', and it has no Succeed or Fail state",
                scope_name(ptr)
            )),
        );
        return;
    }

    // Reachability from StartAt (with no `StartAt` at all, AWS reports that alone; with
    // one that names no state, nothing is reached from it).
    let Some(start) = start_at else {
        return;
    };
    let mut reached: HashSet<&str> = HashSet::new();
    if states.contains_key(start) {
        reach(start, states, &edges, &mut reached);
    }
    let truly_reached = reached.clone();
    // The states a broken transition cuts off are named in a note on its diagnostic. A
    // broken transition whose meaning is clear (a misspelled target) is followed as if it
    // were right; the states still cut off then go to the first broken transition whose
    // meaning is not. AWS reports the states a missing target cuts off as unreachable;
    // those a malformed field cuts off (AWS reports that field alone) are not reported
    // again.
    let mut cut: Vec<(usize, Vec<String>, bool)> = Vec::new();
    let mut done = vec![false; broken.len()];
    loop {
        let mut progress = false;
        for (i, b) in broken.iter().enumerate() {
            if done[i] || !reached.contains(b.from) {
                continue;
            }
            done[i] = true;
            progress = true;
            if let Some(meant) = b.meant {
                let newly = reach(meant, states, &edges, &mut reached);
                if !newly.is_empty() {
                    cut.push((b.diagnostic, newly, b.excuses));
                }
            }
        }
        if !progress {
            break;
        }
    }
    if let Some(b) = broken
        .iter()
        .find(|b| b.meant.is_none() && reached.contains(b.from))
    {
        let rest: Vec<String> = states
            .keys()
            .filter(|n| !reached.contains(n.as_str()))
            .cloned()
            .collect();
        if !rest.is_empty() {
            for n in &rest {
                reached.insert(states.get_key_value(n.as_str()).map_or("", |(k, _)| k));
            }
            cut.push((b.diagnostic, rest, b.excuses));
        }
    }
    let mut excused: HashSet<String> = HashSet::new();
    for (diagnostic, names, excuses) in cut {
        let list = names
            .iter()
            .map(|n| format!("'{n}'"))
            .collect::<Vec<_>>()
            .join(", ");
        out[diagnostic]
            .notes
            .push(format!("this cuts off {list}, which nothing else leads to"));
        if excuses {
            excused.extend(names);
        }
    }
    unreachable_states(ptr, states, &edges, &truly_reached, &excused, out);

    // Warning: reachable states from which no terminal state can be reached.
    if options.warnings {
        let mut reverse: HashMap<&str, Vec<&str>> = HashMap::new();
        for (from, tos) in &edges {
            for to in tos {
                reverse.entry(to).or_default().push(from);
            }
        }
        let mut can_end: HashSet<&str> = HashSet::new();
        let mut queue: VecDeque<&str> = terminal.iter().copied().collect();
        while let Some(n) = queue.pop_front() {
            if can_end.insert(n) {
                queue.extend(reverse.get(n).into_iter().flatten().copied());
            }
        }
        // Of the states that cannot end, those that lead into a loop: the others only
        // lead to a transition that cannot be followed, an error reported already.
        let mut looping: HashSet<&str> = states
            .keys()
            .map(String::as_str)
            .filter(|n| reached.contains(n) && !can_end.contains(n))
            .collect();
        loop {
            let dead_ends: Vec<&str> = looping
                .iter()
                .copied()
                .filter(|n| {
                    !edges
                        .get(n)
                        .into_iter()
                        .flatten()
                        .any(|t| looping.contains(t))
                })
                .collect();
            if dead_ends.is_empty() {
                break;
            }
            for n in dead_ends {
                looping.remove(n);
            }
        }
        for name in states.keys() {
            if looping.contains(name.as_str()) {
                out.push(Diagnostic::warning(
                    Code::NoTerminalReachable,
                    state_ptr(ptr, name),
                    format!("No terminal state can be reached from '{name}': every way on from it ends in a loop with no way out, so an execution that gets here runs until it times out"),
                ));
            }
        }
    }
}

/// A missing transition target, as AWS words it, with the state most likely meant as a
/// note.
fn missing_target(target: &str, at: String, states: &Map<String, Value>) -> Diagnostic {
    let d = Diagnostic::error(
        Code::MissingTransitionTarget,
        at,
        format!("Missing 'Next' target: {target}"),
    );
    match closest_state(target, states) {
        Some(meant) => d.with_note(format!("did you mean '{meant}'?")),
        None => d,
    }
}

/// Reports the states neither reached from `StartAt` nor cut off by a malformed field, as
/// AWS does: each that no transition names (`State "X" is not reachable.`); of a set of
/// them that only name each other (a loop), the first.
fn unreachable_states(
    ptr: &str,
    states: &Map<String, Value>,
    edges: &HashMap<&str, Vec<&str>>,
    reached: &HashSet<&str>,
    excused: &HashSet<String>,
    out: &mut Vec<Diagnostic>,
) {
    let unreached: Vec<&str> = states
        .keys()
        .map(String::as_str)
        .filter(|n| !reached.contains(n) && !excused.contains(*n))
        .collect();
    if unreached.is_empty() {
        return;
    }
    let named: HashSet<&str> = edges.values().flatten().copied().collect();
    let mut covered: HashSet<&str> = reached.clone();
    covered.extend(excused.iter().map(String::as_str));
    for roots_only in [true, false] {
        for &name in &unreached {
            if covered.contains(name) || (roots_only && named.contains(name)) {
                continue;
            }
            let mut behind = reach(name, states, edges, &mut covered);
            behind.retain(|n| n != name);
            let mut d = Diagnostic::error(
                Code::UnreachableState,
                state_ptr(ptr, name),
                format!("State \"{name}\" is not reachable."),
            );
            if !behind.is_empty() {
                let list = behind
                    .iter()
                    .map(|n| format!("'{n}'"))
                    .collect::<Vec<_>>()
                    .join(", ");
                d = d.with_note(format!("so are the states it leads to: {list}"));
            }
            out.push(d);
        }
    }
}

/// Adds to `reached` the states reachable from `from`; returns them in the order reached.
fn reach<'a>(
    from: &str,
    states: &'a Map<String, Value>,
    edges: &HashMap<&str, Vec<&str>>,
    reached: &mut HashSet<&'a str>,
) -> Vec<String> {
    let mut newly = Vec::new();
    let mut queue = VecDeque::from([from.to_owned()]);
    while let Some(n) = queue.pop_front() {
        let Some((key, _)) = states.get_key_value(n.as_str()) else {
            continue;
        };
        if reached.insert(key.as_str()) {
            newly.push(key.clone());
            queue.extend(
                edges
                    .get(n.as_str())
                    .into_iter()
                    .flatten()
                    .map(|t| (*t).to_owned()),
            );
        }
    }
    newly
}

/// The states a state can go to, with the pointer of each reference.
fn successors<'a>(s: &'a Map<String, Value>, sp: &str) -> Vec<(&'a str, String)> {
    let mut out = Vec::new();
    if let Some(Value::String(n)) = s.get("Next") {
        out.push((n.as_str(), format!("{sp}/Next")));
    }
    if let Some(Value::String(d)) = s.get("Default") {
        out.push((d.as_str(), format!("{sp}/Default")));
    }
    if let Some(Value::Array(rules)) = s.get("Choices") {
        for (i, r) in rules.iter().enumerate() {
            if let Some(Value::String(n)) = r.get("Next") {
                out.push((n.as_str(), format!("{sp}/Choices/{i}/Next")));
            }
        }
    }
    if let Some(Value::Array(catchers)) = s.get("Catch") {
        for (i, c) in catchers.iter().enumerate() {
            if let Some(Value::String(n)) = c.get("Next") {
                out.push((n.as_str(), format!("{sp}/Catch/{i}/Next")));
            }
        }
    }
    out
}

fn check_task(
    s: &Map<String, Value>,
    sp: &str,
    options: ValidateOptions,
    out: &mut Vec<Diagnostic>,
) {
    let resource = s.get("Resource").and_then(Value::as_str);
    let recognized = resource.map(resources::recognize);
    if let Some(Err(unrecognized)) = &recognized {
        out.push(Diagnostic::error(
            Code::SchemaValidationFailed,
            format!("{sp}/Resource"),
            unrecognized.to_string(),
        ));
    }
    if options.machine_type == ExecutionType::Express {
        // AWS's own wording, down to the space that ends the callback's message (and
        // that the '.sync' one has not).
        let message = match &recognized {
            Some(Ok(r)) => match r.pattern() {
                Pattern::WaitForTaskToken => Some(
                    "Express state machine does not support '.waitForTaskToken' service integration ",
                ),
                Pattern::Sync | Pattern::Sync2 => {
                    Some("Express state machine does not support '.sync' service integration")
                }
                _ if matches!(r, Recognized::Activity) => {
                    Some("Express state machine does not support Activity ARN")
                }
                _ => None,
            },
            _ => None,
        };
        if let Some(message) = message {
            out.push(Diagnostic::error(
                Code::SchemaValidationFailed,
                format!("{sp}/Resource"),
                message,
            ));
        }
    }
    if options.warnings
        && !s.contains_key("TimeoutSeconds")
        && !s.contains_key("TimeoutSecondsPath")
    {
        out.push(Diagnostic::warning(
            Code::TaskWithoutTimeout,
            sp.to_owned(),
            "This Task has no 'TimeoutSeconds': if the work never answers, the state waits until the execution times out (a year by default)",
        ));
    }
}

/// A distributed Map's `ItemReader` and `ResultWriter` resources.
fn check_reader_writer(s: &Map<String, Value>, sp: &str, out: &mut Vec<Diagnostic>) {
    for (key, table) in [
        ("ItemReader", resources::ITEM_READERS),
        ("ResultWriter", resources::RESULT_WRITERS),
    ] {
        let Some(Value::String(resource)) = s.get(key).and_then(|o| o.get("Resource")) else {
            continue;
        };
        if let Err(unrecognized) = resources::recognize_in(resource, table) {
            out.push(Diagnostic::error(
                Code::SchemaValidationFailed,
                format!("{sp}/{key}/Resource"),
                unrecognized.to_string(),
            ));
        }
    }
}

/// The state a missing target most likely meant.
fn closest_state<'a>(target: &str, states: &'a Map<String, Value>) -> Option<&'a str> {
    crate::names::closest(target, states.keys().map(String::as_str))
}

/// A transition that cannot be followed: a missing target, a Choice without rules, a
/// state without `Next` or `End`.
struct Broken<'a> {
    /// The state it leaves.
    from: &'a str,
    /// The index of the diagnostic that reports it.
    diagnostic: usize,
    /// The state it most likely meant, when that is clear.
    meant: Option<&'a str>,
    /// Whether the states it cuts off are not reported as unreachable (AWS reports the
    /// malformed field alone), or are (a missing target: AWS reports both).
    excuses: bool,
}

/// A state whose way on is malformed, with the diagnostic the reader gave it: a Choice
/// without rules, or a state with neither `Next` nor `End` (say, because `Next` was
/// misspelled: then the misspelled field is what is reported, and its value is followed
/// as the target it meant).
fn malformed_transition<'a>(
    name: &'a str,
    s: &'a Map<String, Value>,
    sp: &str,
    states: &'a Map<String, Value>,
    out: &mut [Diagnostic],
) -> Option<Broken<'a>> {
    let find = |out: &[Diagnostic], at: &str| {
        out.iter()
            .position(|d| d.is_error() && d.code == Code::SchemaValidationFailed && d.pointer == at)
    };
    match s.get("Type").and_then(Value::as_str) {
        Some("Choice") => {
            let at = if s.contains_key("Choices") {
                format!("{sp}/Choices")
            } else {
                sp.to_owned()
            };
            let rules = matches!(s.get("Choices"), Some(Value::Array(a)) if !a.is_empty());
            if rules {
                return None;
            }
            Some(Broken {
                from: name,
                diagnostic: find(out, &at)?,
                meant: None,
                excuses: true,
            })
        }
        Some("Pass" | "Task" | "Wait" | "Parallel" | "Map")
            if !s.contains_key("Next") && !s.contains_key("End") =>
        {
            let missing = find(out, sp)?;
            // A field spelled like `Next`, holding a state's name.
            let misspelled = s.iter().find_map(|(key, value)| {
                let target = value.as_str()?;
                crate::names::closest(key, ["Next"])?;
                Some((key, target))
            });
            let Some((key, target)) = misspelled else {
                return Some(Broken {
                    from: name,
                    diagnostic: missing,
                    meant: None,
                    excuses: true,
                });
            };
            let mut at = sp.to_owned();
            push_pointer(&mut at, key);
            let unknown = find(out, &at)?;
            // The misspelled field is the cause; the missing `Next` follows from it.
            out[unknown].message.push_str("; did you mean 'Next'?");
            // Dropped once the checks are done (indices into `out` are held until then).
            out[missing].message.clear();
            Some(Broken {
                from: name,
                diagnostic: unknown,
                meant: states.get_key_value(target).map(|(k, _)| k.as_str()),
                excuses: true,
            })
        }
        _ => None,
    }
}

fn scope_name(ptr: &str) -> String {
    if ptr.is_empty() {
        "the state machine".to_owned()
    } else {
        format!("the scope at {ptr}")
    }
}
