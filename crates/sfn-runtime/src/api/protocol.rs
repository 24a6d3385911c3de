//! AWS JSON 1.0 as Step Functions speaks it: reading a request's members with AWS's
//! validation messages, writing timestamps and errors, and pagination tokens.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

/// The header that names the operation: `AWSStepFunctions.<Operation>`.
#[cfg(feature = "server")]
pub(crate) const TARGET_HEADER: &str = "x-amz-target";
/// The prefix of every target.
#[cfg(feature = "server")]
pub(crate) const TARGET_PREFIX: &str = "AWSStepFunctions.";
/// The media type of requests and responses.
#[cfg(feature = "server")]
pub(crate) const CONTENT_TYPE: &str = "application/x-amz-json-1.0";
/// The largest request body accepted, in bytes.
#[cfg(feature = "server")]
pub(crate) const MAX_BODY_BYTES: usize = 1024 * 1024;
/// The page size of a list operation called without `maxResults` (or with 0).
const DEFAULT_PAGE_SIZE: usize = 100;
/// The largest `maxResults` of a list operation.
pub(crate) const MAX_PAGE_SIZE: i64 = 1000;

/// An error as the API answers it: `{"__type": kind, "message": …}` with an HTTP status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub(crate) kind: &'static str,
    pub(crate) message: String,
    pub(crate) status: u16,
    /// The constraints the request's members break (`Value … at '…' failed to satisfy
    /// constraint: …`), when this is a `ValidationException` about them.
    violations: Vec<String>,
}

impl ApiError {
    /// A client error (HTTP 400), as every Step Functions exception is.
    pub(crate) fn new(kind: &'static str, message: impl Into<String>) -> Self {
        ApiError::with_status(kind, message, 400)
    }

    /// An error answered with another HTTP status.
    pub(crate) fn with_status(kind: &'static str, message: impl Into<String>, status: u16) -> Self {
        ApiError {
            kind,
            message: message.into(),
            status,
            violations: Vec::new(),
        }
    }

    /// `ValidationException`.
    pub(crate) fn validation(message: impl Into<String>) -> Self {
        ApiError::new("ValidationException", message)
    }

    /// A constraint a member breaks, worded as AWS words it.
    pub(crate) fn constraint(value: &str, field: &str, constraint: &str) -> Self {
        ApiError::violated(vec![format!(
            "Value {value} at '{field}' failed to satisfy constraint: {constraint}"
        )])
    }

    /// The `ValidationException` that lists every constraint broken, as AWS words it:
    /// `1 validation error detected: …`, `2 validation errors detected: …; …`.
    fn violated(violations: Vec<String>) -> Self {
        let n = violations.len();
        let noun = if n == 1 { "error" } else { "errors" };
        let mut e = ApiError::validation(format!(
            "{n} validation {noun} detected: {}",
            violations.join("; ")
        ));
        e.violations = violations;
        e
    }

    /// The errors of several members as one: every constraint they break, in their order,
    /// as AWS checks all of a request's members before anything else; without any, the
    /// first error.
    pub(crate) fn combine(errors: Vec<ApiError>) -> Self {
        let violations: Vec<String> = errors
            .iter()
            .flat_map(|e| e.violations.iter().cloned())
            .collect();
        if !violations.is_empty() {
            return ApiError::violated(violations);
        }
        errors
            .into_iter()
            .next()
            .unwrap_or_else(|| ApiError::validation("the request is not valid"))
    }

    /// The error's body.
    #[cfg(feature = "server")]
    pub(crate) fn body(&self) -> Value {
        json!({"__type": self.kind, "message": self.message})
    }
}

/// Several members read at once (a tuple of their results): all of them, or an error
/// that names every constraint they break ([`ApiError::combine`]).
pub(crate) trait Members {
    /// The members' values.
    type Values;
    /// The values, or the combined error.
    fn all(self) -> Result<Self::Values, ApiError>;
}

macro_rules! members {
    ($($t:ident $v:ident),+) => {
        impl<$($t),+> Members for ($(Result<$t, ApiError>,)+) {
            type Values = ($($t,)+);
            fn all(self) -> Result<Self::Values, ApiError> {
                match self {
                    ($(Ok($v),)+) => Ok(($($v,)+)),
                    ($($v,)+) => {
                        let mut errors = Vec::new();
                        $(if let Err(e) = $v { errors.push(e); })+
                        Err(ApiError::combine(errors))
                    }
                }
            }
        }
    };
}

members!(A a, B b);
members!(A a, B b, C c);
members!(A a, B b, C c, D d);
members!(A a, B b, C c, D d, E e);
members!(A a, B b, C c, D d, E e, F f);
members!(A a, B b, C c, D d, E e, F f, G g);
members!(A a, B b, C c, D d, E e, F f, G g, H h);

/// The values of several members read at once, or one error naming every constraint
/// they break: `let (a, b) = all((input.string(…), input.opt_int(…)))?;`.
pub(crate) fn all<M: Members>(members: M) -> Result<M::Values, ApiError> {
    members.all()
}

/// What an operation answers.
pub(crate) type OpResult = Result<Value, ApiError>;

/// A timestamp as AWS JSON 1.0 writes it: epoch seconds, with milliseconds.
pub(crate) fn epoch(t: DateTime<Utc>) -> Value {
    json!(t.timestamp_millis() as f64 / 1000.0)
}

/// How a member's value is quoted in a validation message: whole, however long, as AWS
/// quotes it.
fn quoted(v: &Value) -> String {
    match v {
        Value::String(s) => format!("'{s}'"),
        other => format!("'{other}'"),
    }
}

/// The JSON kind of a value, for type errors.
fn kind(v: &Value) -> &'static str {
    sfn_core::diagnostic::value_kind(v)
}

/// `n`, the `measure` (`value`, `length`) of the value `v` of `field`, if it is in
/// `min..=max`.
fn in_range<T: PartialOrd + std::fmt::Display>(
    v: &Value,
    field: &str,
    measure: &str,
    n: T,
    min: T,
    max: T,
) -> Result<T, ApiError> {
    if n < min {
        return Err(ApiError::constraint(
            &quoted(v),
            field,
            &format!("Member must have {measure} greater than or equal to {min}"),
        ));
    }
    if n > max {
        return Err(ApiError::constraint(
            &quoted(v),
            field,
            &format!("Member must have {measure} less than or equal to {max}"),
        ));
    }
    Ok(n)
}

/// A request's members, read with AWS's validation.
#[derive(Debug)]
pub(crate) struct Input {
    members: Map<String, Value>,
}

impl Input {
    /// A request already read as a JSON object, as an in-process caller sends it.
    pub(crate) fn from_members(members: Map<String, Value>) -> Self {
        Input { members }
    }

    /// Reads a request body: a JSON object (an empty body is `{}`).
    #[cfg(any(feature = "server", test))]
    pub(crate) fn parse(body: &[u8]) -> Result<Self, ApiError> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Input {
                members: Map::new(),
            });
        }
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(members)) => Ok(Input { members }),
            Ok(other) => Err(ApiError::validation(format!(
                "the request body must be a JSON object, not {}",
                kind(&other)
            ))),
            Err(e) => Err(ApiError::validation(format!(
                "the request body is not valid JSON: {e}"
            ))),
        }
    }

    /// Whether the member is there (and not `null`).
    pub(crate) fn has(&self, field: &str) -> bool {
        self.get(field).is_some()
    }

    /// A member's value; JSON `null` is absence, as in AWS JSON.
    fn get(&self, field: &str) -> Option<&Value> {
        self.members.get(field).filter(|v| !v.is_null())
    }

    fn type_error(field: &str, v: &Value, expected: &str) -> ApiError {
        ApiError::constraint(
            &quoted(v),
            field,
            &format!("Member must be {expected}, not {}", kind(v)),
        )
    }

    /// A required string of `min..=max` characters.
    pub(crate) fn string(&self, field: &str, min: usize, max: usize) -> Result<&str, ApiError> {
        self.opt_string(field, min, max)?
            .ok_or_else(|| ApiError::constraint("null", field, "Member must not be null"))
    }

    /// An optional string of `min..=max` characters.
    pub(crate) fn opt_string(
        &self,
        field: &str,
        min: usize,
        max: usize,
    ) -> Result<Option<&str>, ApiError> {
        let Some(v) = self.get(field) else {
            return Ok(None);
        };
        let Value::String(s) = v else {
            return Err(Self::type_error(field, v, "a string"));
        };
        in_range(v, field, "length", s.chars().count(), min, max)?;
        Ok(Some(s))
    }

    /// An optional boolean.
    pub(crate) fn opt_bool(&self, field: &str) -> Result<Option<bool>, ApiError> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(v) => Err(Self::type_error(field, v, "a boolean")),
        }
    }

    /// An optional integer in `min..=max`.
    pub(crate) fn opt_int(&self, field: &str, min: i64, max: i64) -> Result<Option<i64>, ApiError> {
        let Some(v) = self.get(field) else {
            return Ok(None);
        };
        let Some(n) = v.as_i64() else {
            return Err(Self::type_error(field, v, "an integer"));
        };
        in_range(v, field, "value", n, min, max).map(Some)
    }

    /// An optional number in `min..=max` (AWS's `float` members).
    pub(crate) fn opt_float(
        &self,
        field: &str,
        min: f64,
        max: f64,
    ) -> Result<Option<f64>, ApiError> {
        let Some(v) = self.get(field) else {
            return Ok(None);
        };
        let Some(n) = v.as_f64() else {
            return Err(Self::type_error(field, v, "a number"));
        };
        in_range(v, field, "value", n, min, max).map(Some)
    }

    /// An optional member that must be a structure (a JSON object).
    pub(crate) fn opt_object(&self, field: &str) -> Result<Option<Value>, ApiError> {
        match self.get(field) {
            None => Ok(None),
            Some(v @ Value::Object(_)) => Ok(Some(v.clone())),
            Some(v) => Err(Self::type_error(field, v, "a structure")),
        }
    }

    /// The request as the JSON object it was sent as.
    pub(crate) fn to_value(&self) -> Value {
        Value::Object(self.members.clone())
    }

    /// An optional member that must be one of `allowed`.
    pub(crate) fn opt_enum(
        &self,
        field: &str,
        allowed: &[&'static str],
    ) -> Result<Option<&'static str>, ApiError> {
        let Some(v) = self.get(field) else {
            return Ok(None);
        };
        let Value::String(s) = v else {
            return Err(Self::type_error(field, v, "a string"));
        };
        match allowed.iter().find(|a| **a == s) {
            Some(a) => Ok(Some(a)),
            None => Err(ApiError::constraint(
                &quoted(v),
                field,
                &format!(
                    "Member must satisfy enum value set: [{}]",
                    allowed.join(", ")
                ),
            )),
        }
    }

    /// A list member, each item read by `item` with its path (`FIELD.N`); `None` when it
    /// is absent and may be.
    fn list<T>(
        &self,
        field: &str,
        required: bool,
        mut item: impl FnMut(&str, &Value) -> Result<T, ApiError>,
    ) -> Result<Option<Vec<T>>, ApiError> {
        let Some(v) = self.get(field) else {
            if required {
                return Err(ApiError::constraint(
                    "null",
                    field,
                    "Member must not be null",
                ));
            }
            return Ok(None);
        };
        let Value::Array(items) = v else {
            return Err(Self::type_error(field, v, "a list"));
        };
        collect(
            items
                .iter()
                .enumerate()
                .map(|(i, x)| item(&format!("{field}.{}", i + 1), x)),
        )
        .map(Some)
    }

    /// A list of strings.
    pub(crate) fn string_list(&self, field: &str, required: bool) -> Result<Vec<String>, ApiError> {
        let strings = self.list(field, required, |at, item| match item {
            Value::String(s) => Ok(s.clone()),
            other => Err(Self::type_error(at, other, "a string")),
        })?;
        Ok(strings.unwrap_or_default())
    }

    /// An optional list of structures, each read as an input of its own.
    pub(crate) fn object_list(
        &self,
        field: &str,
        required: bool,
    ) -> Result<Option<Vec<Input>>, ApiError> {
        self.list(field, required, |at, item| match item {
            Value::Object(members) => Ok(Input {
                members: members.clone(),
            }),
            other => Err(Self::type_error(at, other, "a structure")),
        })
    }

    /// A list of tags (`[{"key": …, "value": …}]`), at most 50.
    pub(crate) fn tags(
        &self,
        field: &str,
        required: bool,
    ) -> Result<Vec<(String, String)>, ApiError> {
        let items = self.object_list(field, required)?.unwrap_or_default();
        let tags = collect(items.iter().enumerate().map(|(i, tag)| {
            let at = format!("{field}.{}", i + 1);
            let (key, value) = all((
                tag.string("key", 1, 128)
                    .map_err(|e| rename(e, "key", &format!("{at}.member.key"))),
                tag.opt_string("value", 0, 256)
                    .map_err(|e| rename(e, "value", &format!("{at}.member.value"))),
            ))?;
            Ok((key.to_owned(), value.unwrap_or_default().to_owned()))
        }))?;
        if tags.len() > 50 {
            return Err(ApiError::new(
                "TooManyTags",
                format!("Too many tags: {} (at most 50 are allowed)", tags.len()),
            ));
        }
        Ok(tags)
    }
}

/// The values of a list's items, or one error naming every constraint they break.
pub(crate) fn collect<T>(
    items: impl Iterator<Item = Result<T, ApiError>>,
) -> Result<Vec<T>, ApiError> {
    let mut values = Vec::new();
    let mut errors = Vec::new();
    for item in items {
        match item {
            Ok(v) => values.push(v),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(values)
    } else {
        Err(ApiError::combine(errors))
    }
}

/// The same error about a member of a nested structure, named by its full path.
pub(crate) fn rename(mut e: ApiError, field: &str, path: &str) -> ApiError {
    let (from, to) = (format!("at '{field}'"), format!("at '{path}'"));
    e.message = e.message.replace(&from, &to);
    for v in &mut e.violations {
        *v = v.replace(&from, &to);
    }
    e
}

/// Where an item stands in a list: the list is sorted by this key (ascending or
/// descending, see [`Order`]), and a page token remembers the key of the last item it
/// returned. The next page goes on strictly after that key, so that items added or
/// removed between two calls neither repeat nor hide the others.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Key {
    rank: i64,
    id: String,
}

impl Key {
    /// A key by a number first (an event id, a version number), then by `id`.
    pub(crate) fn new(rank: i64, id: impl Into<String>) -> Self {
        Key {
            rank,
            id: id.into(),
        }
    }

    /// A key by a date first (to the nanosecond), then by `id` (an ARN).
    pub(crate) fn dated(date: DateTime<Utc>, id: impl Into<String>) -> Self {
        Key::new(date.timestamp_nanos_opt().unwrap_or(i64::MAX), id)
    }
}

/// The direction in which a list runs by its [`Key`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Order {
    /// Smallest key first (oldest first).
    Ascending,
    /// Largest key first (newest first).
    Descending,
}

/// One page of a list operation: after which item it starts and how long it is.
#[derive(Debug, Clone)]
pub(crate) struct Page {
    after: Option<Key>,
    size: usize,
}

/// The page a request asks for: `maxResults` (0 or absent: 100; at most 1,000) and
/// `nextToken`, which must come from the same operation with the same filters (`scope`).
pub(crate) fn page(input: &Input, scope: &str, token_max: usize) -> Result<Page, ApiError> {
    page_members(input, token_max)?.resolve(scope)
}

/// The members `maxResults` and `nextToken` of a list request, checked, before their
/// token is read ([`PageMembers::resolve`]): for operations that read them among others.
pub(crate) fn page_members(input: &Input, token_max: usize) -> Result<PageMembers<'_>, ApiError> {
    let (size, token) = all((
        input.opt_int("maxResults", 0, MAX_PAGE_SIZE),
        input.opt_string("nextToken", 1, token_max),
    ))?;
    let size = match size {
        None | Some(0) => DEFAULT_PAGE_SIZE,
        Some(n) => usize::try_from(n).unwrap_or(DEFAULT_PAGE_SIZE),
    };
    Ok(PageMembers { size, token })
}

/// A list request's page members, checked ([`page_members`]).
#[derive(Debug, Clone)]
pub(crate) struct PageMembers<'a> {
    size: usize,
    token: Option<&'a str>,
}

impl PageMembers<'_> {
    /// The page asked for: the token must come from the same operation with the same
    /// filters (`scope`).
    pub(crate) fn resolve(self, scope: &str) -> Result<Page, ApiError> {
        let after =
            match self.token {
                None => None,
                // AWS names no token, only its fault.
                Some(token) => Some(decode_token(token, scope).ok_or_else(|| {
                    ApiError::new("InvalidToken", "Invalid Token: 'Invalid token'")
                })?),
            };
        Ok(Page {
            after,
            size: self.size,
        })
    }
}

impl Page {
    /// The page's items, and the token of the next page when there are more. The items
    /// are put in `order` by `key` (a stable sort: items of equal keys keep their order),
    /// and the page starts strictly after the key its token remembers.
    pub(crate) fn take<T>(
        self,
        items: Vec<T>,
        scope: &str,
        order: Order,
        key: impl Fn(&T) -> Key,
    ) -> (Vec<T>, Option<String>) {
        let mut keyed: Vec<(Key, T)> = items.into_iter().map(|t| (key(&t), t)).collect();
        match order {
            Order::Ascending => keyed.sort_by(|a, b| a.0.cmp(&b.0)),
            Order::Descending => keyed.sort_by(|a, b| b.0.cmp(&a.0)),
        }
        let start = self.after.as_ref().map_or(0, |after| {
            keyed.partition_point(|(k, _)| match order {
                Order::Ascending => k <= after,
                Order::Descending => k >= after,
            })
        });
        let total = keyed.len();
        let end = start.saturating_add(self.size).min(total);
        let next = match end.checked_sub(1).and_then(|last| keyed.get(last)) {
            Some((last, _)) if end < total && end > start => Some(encode_token(scope, last)),
            _ => None,
        };
        let page = keyed
            .into_iter()
            .skip(start)
            .take(end.saturating_sub(start))
            .map(|(_, t)| t)
            .collect();
        (page, next)
    }
}

/// A token: a digest of the scope and the key of the page's last item, hex-encoded so
/// that clients treat it as opaque. The digest keeps the token short whatever ARNs the
/// scope names.
fn encode_token(scope: &str, key: &Key) -> String {
    let text = format!("{:016x}\n{}\n{}", digest(scope), key.rank, key.id);
    text.bytes().map(|b| format!("{b:02x}")).collect()
}

fn decode_token(token: &str, scope: &str) -> Option<Key> {
    if !token.len().is_multiple_of(2) {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..token.len())
        .step_by(2)
        .map(|i| {
            token
                .get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        })
        .collect();
    let text = String::from_utf8(bytes?).ok()?;
    let mut parts = text.splitn(3, '\n');
    let (token_scope, rank, id) = (parts.next()?, parts.next()?, parts.next()?);
    if token_scope != format!("{:016x}", digest(scope)) {
        return None;
    }
    Some(Key::new(rank.parse().ok()?, id))
}

/// The 64-bit FNV-1a hash of `text`: the same in every process and every build.
fn digest(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Checks that `arn` is a Step Functions ARN of the resource type `kind`
/// (`stateMachine`, `activity`, `execution`, `mapRun`).
pub(crate) fn check_arn(arn: &str, kinds: &[&str]) -> Result<(), ApiError> {
    if !arn.starts_with("arn:") {
        return Err(ApiError::new(
            "InvalidArn",
            format!("Invalid Arn: 'Invalid ARN prefix: {arn}'"),
        ));
    }
    let parts: Vec<&str> = arn.splitn(7, ':').collect();
    let valid = parts.len() == 7
        && parts[0] == "arn"
        && !parts[1].is_empty()
        && parts[2] == "states"
        && !parts[6].is_empty();
    if !valid {
        return Err(ApiError::new("InvalidArn", format!("Invalid Arn: '{arn}'")));
    }
    if !kinds.contains(&parts[5]) {
        return Err(ApiError::new(
            "InvalidArn",
            format!(
                "Invalid Arn: 'Resource type not valid in this context: {}'",
                parts[5]
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_within_their_scope() {
        let key = Key::new(-7, "arn:aws:states:us-east-1:1:activity:a\nb");
        let t = encode_token("ListActivities", &key);
        assert_eq!(decode_token(&t, "ListActivities"), Some(key));
        assert_eq!(decode_token(&t, "ListStateMachines"), None);
        assert_eq!(decode_token("zz", "ListActivities"), None);
        assert_eq!(decode_token("abc", "ListActivities"), None);
        assert!(t.bytes().all(|b| b.is_ascii_hexdigit()));
    }

    fn by_number(n: &i64) -> Key {
        Key::new(*n, "")
    }

    fn after(next: &str) -> Page {
        Page {
            after: Some(decode_token(next, "s").expect("a valid token")),
            size: 2,
        }
    }

    #[test]
    fn pages_split_a_list() {
        let p = Page {
            after: None,
            size: 2,
        };
        let (items, next) = p.take(vec![3, 1, 2], "s", Order::Ascending, by_number);
        assert_eq!(items, vec![1, 2]);
        let next = next.expect("a next page");
        let p = after(&next);
        assert_eq!(
            p.take(vec![1, 2, 3], "s", Order::Ascending, by_number),
            (vec![3], None)
        );
    }

    #[test]
    fn pages_go_on_after_the_last_item_whatever_came_or_went() {
        let first = Page {
            after: None,
            size: 2,
        };
        let (items, next) = first.take(vec![1, 2, 3, 4, 5], "s", Order::Descending, by_number);
        assert_eq!(items, vec![5, 4]);
        let next = next.expect("a next page");
        // A newer item at the front repeats nothing.
        let (items, _) =
            after(&next).take(vec![1, 2, 3, 4, 5, 6], "s", Order::Descending, by_number);
        assert_eq!(items, vec![3, 2]);
        // The last item returned gone, and the one after it: nothing is skipped.
        let (items, _) = after(&next).take(vec![1, 2, 5], "s", Order::Descending, by_number);
        assert_eq!(items, vec![2, 1]);
        // The last page has no token.
        let (items, next) = after(&next).take(vec![1, 4, 5], "s", Order::Descending, by_number);
        assert_eq!((items, next), (vec![1], None));
    }

    #[test]
    fn members_are_checked_with_aws_wording() {
        let input = Input::parse(br#"{"name": 3, "n": 2000, "t": "X"}"#).expect("an object");
        let e = input.string("name", 1, 80).expect_err("a number");
        assert_eq!(e.kind, "ValidationException");
        assert!(e.message.contains("'name'"), "{}", e.message);
        let e = input.string("missing", 1, 80).expect_err("absent");
        assert!(e.message.contains("Member must not be null"));
        let e = input.opt_int("n", 0, 1000).expect_err("too large");
        assert!(e.message.contains("less than or equal to 1000"));
        let e = input.opt_float("n", 0.0, 100.0).expect_err("too large");
        assert!(e.message.contains("value less than or equal to 100"));
        assert_eq!(input.opt_float("n", 0.0, 5000.0), Ok(Some(2000.0)));
        assert!(input.opt_float("name", 0.0, 1.0).is_err());
        let e = input.string("t", 2, 80).expect_err("too short");
        assert!(e.message.contains("length greater than or equal to 2"));
        assert!(input.opt_enum("t", &["A", "B"]).is_err());
        assert!(Input::parse(b"[1]").is_err());
        assert!(Input::parse(b"{").is_err());
        assert!(Input::parse(b"  ").is_ok());
    }

    #[test]
    fn arns_are_checked_by_kind() {
        assert!(check_arn("arn:aws:states:us-east-1:1:activity:a", &["activity"]).is_ok());
        assert!(check_arn("arn:aws:states:us-east-1:1:activity:a", &["stateMachine"]).is_err());
        let e = check_arn("nope", &["activity"]).expect_err("no ARN");
        assert_eq!(e.message, "Invalid Arn: 'Invalid ARN prefix: nope'");
    }
}
