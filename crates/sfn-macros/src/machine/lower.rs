//! Lowering: the DSL tree → the ASL as JSON, remembering which token produced each JSON
//! Pointer so that the validator's diagnostics land on the right token.
//!
//! Field names are Rust-style (`result_path`) and become ASL's (`ResultPath`), as sfn-core's
//! field table says (see `fields`). This step
//! only checks what JSON cannot express (unknown and repeated fields, values of a kind
//! the field cannot hold); everything else is the validator's job.

use std::collections::BTreeMap;

use proc_macro2::Span;
use serde_json::{Map, Number, Value as Json};
use sfn_core::{
    diagnostic::push_pointer_token,
    fields::ObjectKind,
    model::{ExecutionType, StateType},
};
use syn::{Ident, ext::IdentExt};

use super::{
    ast::{Call, Field, Key, Object, Value},
    dropped::Dropped,
    fields::{self, EnumStyle, EnumStyle::*, Kind, Kind::*},
    names::{camel, pascal, screaming, snake},
};
use crate::{ctxt::Errors, docs};

/// The spans of the tokens behind each JSON Pointer: the field's name, and its value.
#[derive(Default)]
pub(crate) struct Spans(BTreeMap<String, (Span, Span)>);

impl Spans {
    fn record(&mut self, ptr: &str, key: Span, value: Span) {
        self.0.insert(ptr.to_owned(), (key, value));
    }

    /// The tokens behind `ptr`, or behind its nearest recorded ancestor.
    pub(crate) fn find(&self, ptr: &str) -> Option<(Span, Span, bool)> {
        let mut p = ptr;
        loop {
            if let Some(&(k, v)) = self.0.get(p) {
                return Some((k, v, p.len() == ptr.len()));
            }
            let cut = p.rfind('/')?;
            p = &p[..cut];
        }
    }
}

/// A Task state that calls a Rust activity.
pub(crate) struct ActivityTask {
    /// The JSON Pointer of the state.
    pub(crate) ptr: String,
    /// The activity, as written in `Task(…)`.
    pub(crate) path: syn::Path,
    /// The state's own `TimeoutSeconds`: `Some(None)` when set by a path or expression.
    pub(crate) timeout: Option<Option<u64>>,
    /// The state's own `HeartbeatSeconds`, likewise.
    pub(crate) heartbeat: Option<Option<u64>>,
}

/// The lowered machine.
pub(crate) struct Lowered {
    pub(crate) json: Json,
    pub(crate) spans: Spans,
    pub(crate) activities: Vec<ActivityTask>,
    pub(crate) machine_type: ExecutionType,
    /// The errors for misspelled fields passed on to the validator, by JSON Pointer: the
    /// validator's diagnostic there is reported with this message.
    pub(crate) misspelled: BTreeMap<String, String>,
    /// What a DSL error left out of the JSON.
    pub(crate) dropped: Dropped,
}

/// Whether `Task(first::…)` names a service integration: `aws_sdk`, or a service of
/// sfn-core's table of optimized integrations (its `-` written `_`).
fn is_service(first: &str) -> bool {
    first == "aws_sdk"
        || sfn_core::resources::OPTIMIZED
            .iter()
            .any(|i| i.service.replace('-', "_") == first)
}

pub(crate) struct Lowerer<'e> {
    errors: &'e mut Errors,
    spans: Spans,
    activities: Vec<ActivityTask>,
    machine_type: ExecutionType,
    misspelled: BTreeMap<String, String>,
    dropped: Dropped,
}

/// `ptr` with the token `key` appended.
fn push(ptr: &str, key: &str) -> String {
    let mut p = ptr.to_owned();
    push_pointer_token(&mut p, key);
    p
}

impl<'e> Lowerer<'e> {
    pub(crate) fn new(errors: &'e mut Errors) -> Self {
        Lowerer {
            errors,
            spans: Spans::default(),
            activities: Vec::new(),
            machine_type: ExecutionType::Standard,
            misspelled: BTreeMap::new(),
            dropped: Dropped::default(),
        }
    }

    pub(crate) fn machine(mut self, body: &Object, name: &Ident, doc: Option<String>) -> Lowered {
        self.spans.record("", name.span(), name.span());
        let mut map = self.object(body, "", ObjectKind::Machine);
        self.doc_comment(&mut map, doc, body, "");
        Lowered {
            json: Json::Object(map),
            spans: self.spans,
            activities: self.activities,
            machine_type: self.machine_type,
            misspelled: self.misspelled,
            dropped: self.dropped,
        }
    }

    /// Adds a doc comment as `Comment`, first among the keys.
    fn doc_comment(
        &mut self,
        map: &mut Map<String, Json>,
        doc: Option<String>,
        obj: &Object,
        _ptr: &str,
    ) {
        let Some(doc) = doc else { return };
        if map.contains_key("Comment") {
            if let Some(f) = obj.fields.iter().find(|f| f.key.name() == "comment") {
                self.errors.at(
                    f.key.span(),
                    "this has both a doc comment and `comment`; keep one",
                );
            }
            return;
        }
        let rest = std::mem::take(map);
        map.insert("Comment".to_owned(), Json::String(doc));
        map.extend(rest);
    }

    /// Reads an object's fields with a table.
    fn object(&mut self, obj: &Object, ptr: &str, object: ObjectKind) -> Map<String, Json> {
        // The field a key names, or the key itself in ASL's case when it names none.
        let canonical = |name: &str| match fields::find(object, name) {
            Some((asl, _)) => asl.to_owned(),
            None => pascal(name),
        };
        let mut map = Map::new();
        let mut seen: Vec<String> = Vec::new();
        for f in &obj.fields {
            let name = f.key.name();
            let field = canonical(&name);
            if seen.contains(&field) {
                self.errors
                    .at(f.key.span(), format!("`{name}` is set more than once"));
                continue;
            }
            seen.push(field);
            if matches!(f.key, Key::Str(_)) && !matches!(object, ObjectKind::State(_)) {
                self.errors.at(
                    f.key.span(),
                    format!("write field names as identifiers: `{}`", snake(&name)),
                );
                self.dropped.record(&push(ptr, &canonical(&name)));
                continue;
            }
            if !f.attrs.is_empty() && docs::text(&f.attrs).is_some() {
                self.errors.at(f.key.span(), "doc comments become `Comment` on states and on the machine only; use `comment: \"…\"` here");
            }
            let Some((key, kind)) = fields::find(object, &name) else {
                let expected = fields::expected(object);
                let meant = if name.chars().any(|c| c.is_ascii_uppercase())
                    && expected.contains(&snake(&name))
                {
                    Some(snake(&name))
                } else {
                    sfn_core::names::closest(&name, expected.iter().map(String::as_str))
                        .map(str::to_owned)
                };
                let message = format!(
                    "unknown field `{name}` of {}{}",
                    fields::what(object),
                    one_of(meant.as_deref(), &expected.join(", "))
                );
                // A misspelled `next` goes on to the validator, which follows it as the
                // transition it meant rather than report the states behind it as
                // unreachable; its error is this one.
                let target = match &f.value {
                    Value::Call(c) => c.bare_ident().map(|i| i.unraw().to_string()),
                    Value::Str(s) => Some(s.value()),
                    _ => None,
                };
                if let (ObjectKind::State(_), Some("next"), Some(target)) =
                    (object, meant.as_deref(), target)
                {
                    let at = push(ptr, &pascal(&name));
                    self.spans.record(&at, f.key.span(), f.value.span());
                    self.misspelled.insert(at, message);
                    map.insert(pascal(&name), Json::String(target));
                } else {
                    self.errors.at(f.key.span(), message);
                    // The field it meant, if any, is missing now.
                    let meant_field = meant.as_deref().and_then(|m| fields::find(object, m));
                    if let Some((asl, _)) = meant_field {
                        self.dropped.record(&push(ptr, asl));
                    }
                }
                continue;
            };
            if kind == Kind::MachineType {
                self.machine_type_field(f);
                continue;
            }
            let at = push(ptr, key);
            self.spans.record(&at, f.key.span(), f.value.span());
            match self.field(&f.value, &at, kind) {
                Some(v) => {
                    map.insert(key.to_owned(), v);
                }
                None => self.dropped.record(&at),
            }
        }
        map
    }

    fn machine_type_field(&mut self, f: &Field) {
        match self.enum_text(&f.value, Screaming).as_deref() {
            Some("STANDARD") => self.machine_type = ExecutionType::Standard,
            Some("EXPRESS") => self.machine_type = ExecutionType::Express,
            Some(_) | None => self
                .errors
                .at(f.value.span(), "expected `Standard` or `Express`"),
        }
    }

    fn field(&mut self, v: &Value, ptr: &str, kind: Kind) -> Option<Json> {
        match kind {
            Json | MachineType => self.json(v, ptr),
            Ref => self.state_ref(v).map(Json::String),
            Enum(style) => match self.enum_text(v, style) {
                Some(s) => Some(Json::String(s)),
                None => {
                    self.errors.at(v.span(), enum_expected(v, style));
                    None
                }
            },
            Errors => match v {
                Value::Array { items, .. } => {
                    let mut out = Vec::new();
                    for (i, item) in items.iter().enumerate() {
                        self.spans
                            .record(&format!("{ptr}/{i}"), item.span(), item.span());
                        match item {
                            Value::Str(s) => out.push(Json::String(s.value())),
                            other => {
                                self.errors.at(
                                    other.span(),
                                    format!(
                                        "error names are strings (`\"States.ALL\"`), not {}",
                                        other.kind()
                                    ),
                                );
                                self.drop_item(&mut out, &format!("{ptr}/{i}"));
                            }
                        }
                    }
                    Some(Json::Array(out))
                }
                other => {
                    self.errors.at(
                        other.span(),
                        format!(
                            "expected a list of error names: `[\"States.ALL\"]`, not {}",
                            other.kind()
                        ),
                    );
                    None
                }
            },
            States => self.states(v, ptr),
            Rules | RuleList => self.list(v, ptr, |me, item, at| {
                me.nested(item, at, ObjectKind::ChoiceRule, "a choice rule `{ … }`")
            }),
            Rule => self.nested(v, ptr, ObjectKind::ChoiceRule, "a choice rule `{ … }`"),
            Retry => self.list(v, ptr, |me, item, at| {
                me.nested(
                    item,
                    at,
                    ObjectKind::Retrier,
                    "a retrier `{ error_equals: […], … }`",
                )
            }),
            Catch => self.list(v, ptr, |me, item, at| {
                me.nested(
                    item,
                    at,
                    ObjectKind::Catcher,
                    "a catcher `{ error_equals: […], next: …, … }`",
                )
            }),
            Branches => self.list(v, ptr, |me, item, at| {
                me.nested(
                    item,
                    at,
                    ObjectKind::Branch,
                    "a branch `{ start_at: …, states: { … } }`",
                )
            }),
            Processor => self.nested(
                v,
                ptr,
                ObjectKind::ItemProcessor,
                "an item processor `{ start_at: …, states: { … } }`",
            ),
            Nested(t) => self.nested(v, ptr, t, "an object `{ … }`"),
            Resource(object) => self.io_resource(v, object).map(Json::String),
        }
    }

    fn list(
        &mut self,
        v: &Value,
        ptr: &str,
        mut item: impl FnMut(&mut Self, &Value, &str) -> Option<Json>,
    ) -> Option<Json> {
        let Value::Array { items, .. } = v else {
            self.errors
                .at(v.span(), format!("expected a list `[…]`, not {}", v.kind()));
            return None;
        };
        let mut out = Vec::new();
        for (i, it) in items.iter().enumerate() {
            let at = format!("{ptr}/{i}");
            self.spans.record(&at, it.span(), it.span());
            match item(self, it, &at) {
                Some(v) => out.push(v),
                None => self.drop_item(&mut out, &at),
            }
        }
        Some(Json::Array(out))
    }

    /// Keeps the place of a list item that could not be lowered, so that the items after
    /// it keep their pointers; the validator's diagnostics about it are dropped.
    fn drop_item(&mut self, out: &mut Vec<Json>, at: &str) {
        out.push(Json::Null);
        self.dropped.record(at);
    }

    fn nested(&mut self, v: &Value, ptr: &str, t: ObjectKind, what: &str) -> Option<Json> {
        let Value::Object(o) = v else {
            self.errors
                .at(v.span(), format!("expected {what}, not {}", v.kind()));
            return None;
        };
        Some(Json::Object(self.object(o, ptr, t)))
    }

    fn state_ref(&mut self, v: &Value) -> Option<String> {
        match v {
            Value::Str(s) => Some(s.value()),
            Value::Call(c) if c.bare_ident().is_some() => {
                c.bare_ident().map(|i| i.unraw().to_string())
            }
            other => {
                self.errors.at(
                    other.span(),
                    format!(
                        "expected a state name (`Next` or `\"Next state\"`), not {}",
                        other.kind()
                    ),
                );
                None
            }
        }
    }

    fn enum_text(&mut self, v: &Value, style: EnumStyle) -> Option<String> {
        match v {
            Value::Str(s) => Some(s.value()),
            Value::Call(c) => c.bare_ident().map(|i| {
                let s = i.unraw().to_string();
                match style {
                    AsIs => s,
                    Screaming => screaming(&s),
                }
            }),
            _ => None,
        }
    }

    /// A JSON value: literals, lists and objects, with string or identifier keys.
    fn json(&mut self, v: &Value, ptr: &str) -> Option<Json> {
        Some(match v {
            Value::Str(s) => Json::String(s.value()),
            Value::Bool(b) => Json::Bool(b.value),
            Value::Int {
                lit,
                negative,
                span,
            } => {
                let n = if *negative {
                    lit.base10_parse::<i64>()
                        .ok()
                        .and_then(|n| n.checked_neg())
                        .map(Number::from)
                } else {
                    lit.base10_parse::<u64>().ok().map(Number::from)
                };
                match n {
                    Some(n) => Json::Number(n),
                    None => {
                        self.errors.at(*span, "this number does not fit in 64 bits");
                        return None;
                    }
                }
            }
            Value::Float {
                lit,
                negative,
                span,
            } => {
                let f = lit
                    .base10_parse::<f64>()
                    .ok()
                    .map(|f| if *negative { -f } else { f });
                match f.and_then(Number::from_f64) {
                    Some(n) => Json::Number(n),
                    None => {
                        self.errors.at(*span, "expected a finite number");
                        return None;
                    }
                }
            }
            Value::Array { items, .. } => {
                let mut out = Vec::new();
                for (i, it) in items.iter().enumerate() {
                    let at = format!("{ptr}/{i}");
                    self.spans.record(&at, it.span(), it.span());
                    match self.json(it, &at) {
                        Some(v) => out.push(v),
                        None => self.drop_item(&mut out, &at),
                    }
                }
                Json::Array(out)
            }
            Value::Object(o) => {
                let mut map = Map::new();
                for f in &o.fields {
                    let k = f.key.name();
                    let at = push(ptr, &k);
                    if map.contains_key(&k) {
                        self.errors
                            .at(f.key.span(), format!("`{k}` is set more than once"));
                        continue;
                    }
                    self.spans.record(&at, f.key.span(), f.value.span());
                    match self.json(&f.value, &at) {
                        Some(v) => {
                            map.insert(k, v);
                        }
                        None => self.dropped.record(&at),
                    }
                }
                Json::Object(map)
            }
            Value::Call(c) if c.bare_ident().is_some_and(|i| i == "null") => Json::Null,
            Value::Call(c) => {
                let hint = match c.bare_ident() {
                    Some(i) => format!("; write a string as `\"{i}\"`"),
                    None => String::new(),
                };
                self.errors.at(v.span(), format!("expected a JSON value (a string, number, boolean, `null`, list or object){hint}"));
                let _ = c;
                return None;
            }
        })
    }

    /// A scope's `States`.
    fn states(&mut self, v: &Value, ptr: &str) -> Option<Json> {
        let Value::Object(o) = v else {
            self.errors.at(
                v.span(),
                format!(
                    "expected the states: `{{ Name: Type {{ … }}, … }}`, not {}",
                    v.kind()
                ),
            );
            return None;
        };
        let mut map = Map::new();
        for f in &o.fields {
            let name = f.key.name();
            let at = push(ptr, &name);
            if map.contains_key(&name) {
                self.errors.at(f.key.span(), format!("duplicate state name `{name}`: state names must be unique in the whole machine"));
                continue;
            }
            self.spans.record(&at, f.key.span(), f.key.span());
            match self.state(f, &at) {
                Some(s) => {
                    map.insert(name, s);
                }
                None => self.dropped.record(&at),
            }
        }
        Some(Json::Object(map))
    }

    fn state(&mut self, f: &Field, ptr: &str) -> Option<Json> {
        let Value::Call(call) = &f.value else {
            self.errors.at(
                f.value.span(),
                format!("expected a state type, one of: {}", fields::state_types()),
            );
            return None;
        };
        let Some((ty_ident, state_type)) = call
            .ident()
            .and_then(|i| Some((i, StateType::from_name(&i.to_string())?)))
        else {
            let written = call
                .path
                .segments
                .last()
                .map(|s| s.ident.unraw().to_string());
            let meant = written
                .and_then(|w| sfn_core::names::closest(&w, StateType::ALL.map(StateType::as_str)));
            self.errors.at(
                call.path.span_of_first(),
                format!(
                    "unknown state type{}",
                    one_of(meant, &fields::state_types())
                ),
            );
            return None;
        };
        let ty = state_type.as_str();
        if let Some(s) = &call.suffix {
            self.errors
                .at(s.span(), "unexpected `.` after the state type");
        }
        let mut map = Map::new();
        map.insert("Type".to_owned(), Json::String(ty.to_owned()));
        if state_type == StateType::Task {
            match &call.arg {
                Some(arg) => {
                    let at = push(ptr, "Resource");
                    self.spans.record(&at, arg.span(), arg.span());
                    match self.resource(arg, ptr, call.body.as_ref()) {
                        Some(r) => {
                            map.insert("Resource".to_owned(), Json::String(r));
                        }
                        None => self.dropped.record(&at),
                    }
                }
                None => {
                    self.errors.at(
                        ty_ident.span(),
                        "a Task names what it calls: `Task(my_activity)`, `Task(lambda::invoke)` or `Task(\"arn:…\")`",
                    );
                    self.dropped.record(&push(ptr, "Resource"));
                }
            }
        } else if let Some(arg) = &call.arg {
            self.errors.at(
                arg.span(),
                format!("only Task takes an argument; write `{ty} {{ … }}`"),
            );
        }
        if let Some(body) = &call.body {
            let fields = self.object(body, ptr, ObjectKind::State(state_type));
            map.extend(fields);
        }
        let doc = docs::text(&f.attrs);
        let empty = Object {
            span: f.key.span(),
            fields: Vec::new(),
        };
        let body = call.body.as_ref().unwrap_or(&empty);
        // `Type` stays first; the comment goes right after it.
        if let Some(doc) = doc {
            if map.contains_key("Comment") {
                if let Some(c) = body.fields.iter().find(|x| x.key.name() == "comment") {
                    self.errors.at(
                        c.key.span(),
                        "this state has both a doc comment and `comment`; keep one",
                    );
                }
            } else {
                let mut out = Map::new();
                out.insert("Type".to_owned(), map.remove("Type").unwrap_or(Json::Null));
                out.insert("Comment".to_owned(), Json::String(doc));
                out.extend(map);
                map = out;
            }
        }
        Some(Json::Object(map))
    }

    /// A Task's `Resource`, from `Task(…)`.
    fn resource(&mut self, arg: &Value, state_ptr: &str, body: Option<&Object>) -> Option<String> {
        match arg {
            Value::Str(s) => Some(s.value()),
            Value::Call(c) if c.arg.is_none() && c.body.is_none() => {
                let segs: Vec<String> = c
                    .path
                    .segments
                    .iter()
                    .map(|s| s.ident.unraw().to_string())
                    .collect();
                let first = segs.first().cloned().unwrap_or_default();
                if segs.len() >= 2 && c.path.leading_colon.is_none() && is_service(&first) {
                    return self.integration(c, &segs);
                }
                if let Some(s) = &c.suffix {
                    self.errors.at(s.span(), "an activity takes no integration pattern; `.sync` and `.wait_for_task_token` are for service integrations");
                }
                let last = segs.last().cloned().unwrap_or_default();
                let (timeout, heartbeat) = own_timeouts(body);
                self.activities.push(ActivityTask {
                    ptr: state_ptr.to_owned(),
                    path: c.path.clone(),
                    timeout,
                    heartbeat,
                });
                Some(sfn_core::definition::activity_placeholder_arn(&last))
            }
            other => {
                self.errors.at(
                    other.span(),
                    "expected an activity (`Task(add)`), a service integration (`Task(lambda::invoke)`) or a resource ARN (`Task(\"arn:…\")`)",
                );
                None
            }
        }
    }

    /// An `ItemReader`'s or `ResultWriter`'s `Resource` (`object` says which): an ARN
    /// string, or `service::action` as in `Task(…)`.
    fn io_resource(&mut self, v: &Value, object: ObjectKind) -> Option<String> {
        if let Value::Str(s) = v {
            return Some(s.value());
        }
        let table = match object {
            ObjectKind::ResultWriter => sfn_core::resources::RESULT_WRITERS,
            _ => sfn_core::resources::ITEM_READERS,
        };
        if let Value::Call(c) = v
            && c.arg.is_none()
            && c.body.is_none()
            && c.path.leading_colon.is_none()
        {
            let segs: Vec<String> = c
                .path
                .segments
                .iter()
                .map(|s| s.ident.unraw().to_string())
                .collect();
            // The validator says whether the reader or writer takes that action.
            if segs.len() >= 2
                && (is_service(&segs[0]) || table.iter().any(|(service, _)| *service == segs[0]))
            {
                return self.integration(c, &segs);
            }
        }
        let forms: Vec<String> = table
            .iter()
            .map(|(service, action)| format!("`{service}::{}`", snake(action)))
            .collect();
        let (service, action) = table.first().copied().unwrap_or_default();
        self.errors.at(
            v.span(),
            format!(
                "expected {} or an ARN such as `\"arn:aws:states:::{service}:{action}\"`, not {}",
                forms.join(" or "),
                v.kind()
            ),
        );
        None
    }

    fn integration(&mut self, c: &Call, segs: &[String]) -> Option<String> {
        let pattern = match c.suffix.as_ref().map(|s| s.to_string()) {
            None => "",
            Some(s) if s == "sync" => ".sync",
            Some(s) if s == "sync2" => ".sync:2",
            Some(s) if s == "wait_for_task_token" => ".waitForTaskToken",
            Some(written) => {
                const PATTERNS: [&str; 3] = ["sync", "sync2", "wait_for_task_token"];
                let snake_case = snake(&written);
                let meant = sfn_core::names::closest(&snake_case, PATTERNS).or_else(|| {
                    PATTERNS
                        .into_iter()
                        .find(|p| snake_case.len() >= 3 && p.starts_with(&snake_case))
                });
                if let Some(s) = &c.suffix {
                    self.errors.at(
                        s.span(),
                        format!(
                            "unknown integration pattern{}",
                            one_of(meant, &PATTERNS.join(", "))
                        ),
                    );
                }
                return None;
            }
        };
        let (service, action) = match segs {
            [sdk, svc, action] if sdk == "aws_sdk" => {
                (format!("aws-sdk:{}", svc.replace('_', "")), camel(action))
            }
            [svc, action] if svc != "aws_sdk" => (svc.replace('_', "-"), camel(action)),
            _ => {
                self.errors.at(
                    c.path.span_of_first(),
                    "expected `service::action` (`lambda::invoke`) or `aws_sdk::service::action` (`aws_sdk::s3::list_buckets`)",
                );
                return None;
            }
        };
        Some(format!("arn:aws:states:::{service}:{action}{pattern}"))
    }
}

/// The end of an "unknown …" message: the name `meant` if there is one, then the
/// `options`.
fn one_of(meant: Option<&str>, options: &str) -> String {
    match meant {
        Some(m) => format!(": did you mean `{m}`? Expected one of: {options}"),
        None => format!("; expected one of: {options}"),
    }
}

/// The error for `v`, written where an enumeration's value is expected: for a path or a
/// name with more after it, what to write instead.
fn enum_expected(v: &Value, style: EnumStyle) -> String {
    let Value::Call(c) = v else {
        return format!("expected a name or a string, not {}", v.kind());
    };
    let name = c
        .path
        .segments
        .last()
        .map(|s| s.ident.unraw().to_string())
        .unwrap_or_default();
    let text = match style {
        AsIs => name.clone(),
        Screaming => screaming(&name),
    };
    format!(
        "write the value as a single name (`{name}`) or a string (`\"{text}\"`), not {}",
        v.kind()
    )
}

/// A state's own `TimeoutSeconds` / `HeartbeatSeconds` (or their `…Path` forms).
fn own_timeouts(body: Option<&Object>) -> (Option<Option<u64>>, Option<Option<u64>>) {
    let mut timeout = None;
    let mut heartbeat = None;
    for f in body.map(|b| b.fields.as_slice()).unwrap_or_default() {
        let n = match &f.value {
            Value::Int {
                lit,
                negative: false,
                ..
            } => lit.base10_parse::<u64>().ok(),
            _ => None,
        };
        match f.key.name().as_str() {
            "timeout_seconds" | "timeout_seconds_path" => timeout = Some(n),
            "heartbeat_seconds" | "heartbeat_seconds_path" => heartbeat = Some(n),
            _ => {}
        }
    }
    (timeout, heartbeat)
}

trait SpanOfFirst {
    fn span_of_first(&self) -> Span;
}

impl SpanOfFirst for syn::Path {
    fn span_of_first(&self) -> Span {
        self.segments
            .first()
            .map(|s| s.ident.span())
            .unwrap_or_else(Span::call_site)
    }
}
