//! The built-in function library, including the functions Step Functions adds.

use std::collections::HashMap;
use std::rc::Rc;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use super::ast::RegexLit;
use super::errors::{Error, Result};
use super::evaluator::{Env, Evaluator, append, boolize, js_str_lt, lookup_field, to_boolean};
use super::signature::Signature;
use super::value::{
    Flags, Map, Native, NativeFn, Value, deep_equal, describe, format_number, stringify,
};

type Args<'x> = &'x [Value];

fn arg(args: Args<'_>, i: usize) -> Value {
    args.get(i).cloned().unwrap_or(Value::Undefined)
}

fn num(args: Args<'_>, i: usize) -> Option<f64> {
    args.get(i).and_then(Value::as_f64)
}

fn s(args: Args<'_>, i: usize) -> Option<String> {
    args.get(i).and_then(|v| v.as_str().map(str::to_owned))
}

/// Parsed signatures, shared by every thread: parsing one compiles a regex.
static SIGNATURES: OnceLock<Mutex<SignatureCache>> = OnceLock::new();

/// Signatures by their text (`None` for one that does not parse).
type SignatureCache = HashMap<&'static str, Option<Arc<Signature>>>;

fn signature(sig: &'static str) -> Option<Arc<Signature>> {
    let cache = SIGNATURES.get_or_init(Mutex::default);
    let mut cache = cache.lock().unwrap_or_else(PoisonError::into_inner);
    cache
        .entry(sig)
        .or_insert_with(|| Signature::parse(sig).ok().map(Arc::new))
        .clone()
}

/// The signature of a transform expression's function.
pub(crate) fn transform_signature() -> Option<Arc<Signature>> {
    signature("<(oa):o>")
}

fn native(name: &'static str, sig: &'static str, arity: usize, f: NativeFn) -> Value {
    Value::Native(Rc::new(Native {
        name,
        arity,
        signature: signature(sig),
        f,
    }))
}

/// Looks up a built-in function by name (`$eval` is deliberately absent: Step Functions removes it).
pub(crate) fn builtin(name: &str) -> Option<Value> {
    Some(match name {
        "sum" => native("sum", "<a<n>:n>", 1, f_sum),
        "count" => native("count", "<a:n>", 1, f_count),
        "max" => native("max", "<a<n>:n>", 1, f_max),
        "min" => native("min", "<a<n>:n>", 1, f_min),
        "average" => native("average", "<a<n>:n>", 1, f_average),
        "string" => native("string", "<x-b?:s>", 1, f_string),
        "substring" => native("substring", "<s-nn?:s>", 3, f_substring),
        "substringBefore" => native("substringBefore", "<s-s:s>", 2, f_substring_before),
        "substringAfter" => native("substringAfter", "<s-s:s>", 2, f_substring_after),
        "lowercase" => native("lowercase", "<s-:s>", 1, f_lowercase),
        "uppercase" => native("uppercase", "<s-:s>", 1, f_uppercase),
        "length" => native("length", "<s-:n>", 1, f_length),
        "trim" => native("trim", "<s-:s>", 1, f_trim),
        "pad" => native("pad", "<s-ns?:s>", 3, f_pad),
        "match" => native("match", "<s-f<s:o>n?:a<o>>", 3, f_match),
        "contains" => native("contains", "<s-(sf):b>", 2, f_contains),
        "replace" => native("replace", "<s-(sf)(sf)n?:s>", 4, f_replace),
        "split" => native("split", "<s-(sf)n?:a<s>>", 3, f_split),
        "join" => native("join", "<a<s>s?:s>", 2, f_join),
        "formatNumber" => native(
            "formatNumber",
            "<n-so?:s>",
            3,
            super::format::f_format_number,
        ),
        "formatBase" => native("formatBase", "<n-n?:s>", 2, f_format_base),
        "formatInteger" => native(
            "formatInteger",
            "<n-s:s>",
            2,
            super::format::f_format_integer,
        ),
        "parseInteger" => native("parseInteger", "<s-s:n>", 2, super::format::f_parse_integer),
        "number" => native("number", "<(nsb)-:n>", 1, f_number),
        "floor" => native("floor", "<n-:n>", 1, |_, a, _, _| {
            Ok(num_map(a, f64::floor))
        }),
        "ceil" => native("ceil", "<n-:n>", 1, |_, a, _, _| Ok(num_map(a, f64::ceil))),
        "round" => native("round", "<n-n?:n>", 2, f_round),
        "abs" => native("abs", "<n-:n>", 1, |_, a, _, _| Ok(num_map(a, f64::abs))),
        "sqrt" => native("sqrt", "<n-:n>", 1, f_sqrt),
        "power" => native("power", "<n-n:n>", 2, f_power),
        "random" => native("random", "<n?:n>", 1, f_random),
        "boolean" => native("boolean", "<x-:b>", 1, |_, a, _, _| {
            Ok(to_boolean(&arg(a, 0))
                .map(Value::Bool)
                .unwrap_or(Value::Undefined))
        }),
        "not" => native("not", "<x-:b>", 1, |_, a, _, _| {
            Ok(to_boolean(&arg(a, 0))
                .map(|b| Value::Bool(!b))
                .unwrap_or(Value::Undefined))
        }),
        "map" => native("map", "<af>", 2, f_map),
        "zip" => native("zip", "<a+>", 0, f_zip),
        "filter" => native("filter", "<af>", 2, f_filter),
        "single" => native("single", "<af?>", 2, f_single),
        "reduce" => native("reduce", "<afj?:j>", 3, f_reduce),
        "sift" => native("sift", "<o-f?:o>", 2, f_sift),
        "keys" => native("keys", "<x-:a<s>>", 1, f_keys),
        "lookup" => native("lookup", "<x-s:x>", 2, |_, a, _, _| {
            Ok(lookup_field(&arg(a, 0), s(a, 1).as_deref().unwrap_or("")))
        }),
        "append" => native("append", "<xx:a>", 2, |_, a, _, _| {
            Ok(append(arg(a, 0), arg(a, 1)))
        }),
        "exists" => native("exists", "<x:b>", 1, |_, a, _, _| {
            Ok(Value::Bool(!arg(a, 0).is_undefined()))
        }),
        "spread" => native("spread", "<x-:a<o>>", 1, |_, a, _, _| {
            Ok(spread(&arg(a, 0)))
        }),
        "merge" => native("merge", "<a<o>:o>", 1, f_merge),
        "reverse" => native("reverse", "<a:a>", 1, f_reverse),
        "each" => native("each", "<o-f:a>", 2, f_each),
        "error" => native("error", "<s?:x>", 1, |_, a, _, _| {
            Err(Error::new("D3137")
                .message(s(a, 0).unwrap_or_else(|| "$error() function evaluated".into())))
        }),
        "assert" => native("assert", "<bs?:x>", 2, |_, a, _, _| {
            if matches!(arg(a, 0), Value::Bool(true)) {
                Ok(Value::Undefined)
            } else {
                Err(Error::new("D3141")
                    .message(s(a, 1).unwrap_or_else(|| "$assert() statement failed".into())))
            }
        }),
        "type" => native("type", "<x:s>", 1, |_, a, _, _| {
            Ok(arg(a, 0)
                .type_name()
                .map(Value::str)
                .unwrap_or(Value::Undefined))
        }),
        "sort" => native("sort", "<af?:a>", 2, f_sort),
        "shuffle" => native("shuffle", "<a:a>", 1, f_shuffle),
        "distinct" => native("distinct", "<x:x>", 1, f_distinct),
        "base64encode" => native("base64encode", "<s-:s>", 1, f_base64encode),
        "base64decode" => native("base64decode", "<s-:s>", 1, f_base64decode),
        "encodeUrlComponent" => native("encodeUrlComponent", "<s-:s>", 1, |_, a, _, _| {
            url_encode(a, true)
        }),
        "encodeUrl" => native("encodeUrl", "<s-:s>", 1, |_, a, _, _| url_encode(a, false)),
        "decodeUrlComponent" => native("decodeUrlComponent", "<s-:s>", 1, |_, a, _, _| {
            url_decode(a, true)
        }),
        "decodeUrl" => native("decodeUrl", "<s-:s>", 1, |_, a, _, _| url_decode(a, false)),
        "toMillis" => native("toMillis", "<s-s?:n>", 2, super::format::f_to_millis),
        "fromMillis" => native("fromMillis", "<n-s?s?:s>", 3, super::format::f_from_millis),
        "now" => native("now", "<s?s?:s>", 2, super::format::f_now),
        "millis" => native("millis", "<:n>", 0, |ev, _, _, _| {
            Ok(Value::Number(ev.now_millis as f64))
        }),
        "clone" => native("clone", "<(oa)-:o>", 1, |_, a, _, _| {
            Ok(deep_clone(&arg(a, 0)))
        }),
        // Step Functions additions
        "partition" => native("partition", "<an:a>", 2, f_partition),
        "range" => native("range", "<nnn?:a>", 3, f_range),
        "hash" => native("hash", "<ss?:s>", 2, f_hash),
        "uuid" => native("uuid", "<:s>", 0, f_uuid),
        "parse" => native("parse", "<s:j>", 1, f_parse),
        _ => return None,
    })
}

fn num_map(a: Args<'_>, f: fn(f64) -> f64) -> Value {
    match num(a, 0) {
        Some(n) => Value::Number(f(n)),
        None => Value::Undefined,
    }
}

fn numbers(v: &Value) -> Vec<f64> {
    v.members().iter().filter_map(Value::as_f64).collect()
}

fn f_sum(_: &mut Evaluator<'_>, a: Args<'_>, _: &Value, _: &Env) -> Result<Value> {
    if arg(a, 0).is_undefined() {
        return Ok(Value::Undefined);
    }
    Ok(Value::Number(numbers(&arg(a, 0)).iter().sum()))
}

fn f_count(_: &mut Evaluator<'_>, a: Args<'_>, _: &Value, _: &Env) -> Result<Value> {
    Ok(Value::Number(arg(a, 0).members().len() as f64))
}

fn f_max(_: &mut Evaluator<'_>, a: Args<'_>, _: &Value, _: &Env) -> Result<Value> {
    let n = numbers(&arg(a, 0));
    Ok(n.into_iter()
        .reduce(f64::max)
        .map(Value::Number)
        .unwrap_or(Value::Undefined))
}

fn f_min(_: &mut Evaluator<'_>, a: Args<'_>, _: &Value, _: &Env) -> Result<Value> {
    let n = numbers(&arg(a, 0));
    Ok(n.into_iter()
        .reduce(f64::min)
        .map(Value::Number)
        .unwrap_or(Value::Undefined))
}

fn f_average(_: &mut Evaluator<'_>, a: Args<'_>, _: &Value, _: &Env) -> Result<Value> {
    let n = numbers(&arg(a, 0));
    if n.is_empty() {
        return Ok(Value::Undefined);
    }
    Ok(Value::Number(n.iter().sum::<f64>() / n.len() as f64))
}

/// jsonata's `$string()` of a defined value.
pub(crate) fn to_js_string(v: &Value) -> Result<String> {
    to_js_string_pretty(v, false)
}

fn check_finite(v: &Value) -> Result<()> {
    match v {
        Value::Number(n) if !n.is_finite() => Err(Error::new("D1001").value(describe(v))),
        Value::Array(a, _) => a.iter().try_for_each(check_finite),
        Value::Object(o) => o.values().try_for_each(check_finite),
        _ => Ok(()),
    }
}

fn to_js_string_pretty(v: &Value, pretty: bool) -> Result<String> {
    Ok(match v {
        Value::String(s) => s.to_string(),
        Value::Lambda(_) | Value::Native(_) | Value::Regex(_) => String::new(),
        Value::Number(n) if !n.is_finite() => return Err(Error::new("D3001").value(describe(v))),
        Value::Array(a, f) if f.outer_wrapper && !a.is_empty() => {
            to_js_string_pretty(&a[0], pretty)?
        }
        other => {
            check_finite(other)?;
            stringify(other, if pretty { Some(2) } else { None })
        }
    })
}

fn f_string(_: &mut Evaluator<'_>, a: Args<'_>, _: &Value, _: &Env) -> Result<Value> {
    let v = arg(a, 0);
    if v.is_undefined() {
        return Ok(Value::Undefined);
    }
    let pretty = matches!(arg(a, 1), Value::Bool(true));
    Ok(Value::string(to_js_string_pretty(&v, pretty)?))
}

fn to_int(n: f64) -> i64 {
    if n.is_nan() {
        0
    } else {
        n.trunc().clamp(-1e15, 1e15) as i64
    }
}

/// `Array.prototype.slice` index arithmetic.
fn slice_bounds(len: usize, start: f64, end: Option<f64>) -> (usize, usize) {
    let len_i = len as i64;
    let norm = |x: f64| {
        let x = to_int(x);
        if x < 0 {
            (len_i + x).max(0)
        } else {
            x.min(len_i)
        }
    };
    let s = norm(start);
    let e = end.map(norm).unwrap_or(len_i);
    if e <= s {
        (0, 0)
    } else {
        (s as usize, e as usize)
    }
}

fn f_substring(_: &mut Evaluator<'_>, a: Args<'_>, _: &Value, _: &Env) -> Result<Value> {
    let Some(st) = s(a, 0) else {
        return Ok(Value::Undefined);
    };
    let chars: Vec<char> = st.chars().collect();
    let len = chars.len() as f64;
    let mut start = num(a, 1).unwrap_or(0.0);
    if len + start < 0.0 {
        start = 0.0;
    }
    if let Some(length) = num(a, 2) {
        if length <= 0.0 {
            return Ok(Value::str(""));
        }
        let end = if start >= 0.0 {
            start + length
        } else {
            len + start + length
        };
        let (x, y) = slice_bounds(chars.len(), start, Some(end));
        return Ok(Value::string(chars[x..y].iter().collect()));
    }
    let (x, y) = slice_bounds(chars.len(), start, None);
    Ok(Value::string(chars[x..y].iter().collect()))
}

fn f_substring_before(_: &mut Evaluator<'_>, a: Args<'_>, _: &Value, _: &Env) -> Result<Value> {
    let Some(st) = s(a, 0) else {
        return Ok(Value::Undefined);
    };
    let chars = s(a, 1).unwrap_or_default();
    Ok(Value::string(match st.find(&chars) {
        Some(i) => st[..i].to_owned(),
        None => st,
    }))
}

fn f_substring_after(_: &mut Evaluator<'_>, a: Args<'_>, _: &Value, _: &Env) -> Result<Value> {
    let Some(st) = s(a, 0) else {
        return Ok(Value::Undefined);
    };
    let chars = s(a, 1).unwrap_or_default();
    Ok(Value::string(match st.find(&chars) {
        Some(i) => st[i + chars.len()..].to_owned(),
        None => st,
    }))
}

fn f_lowercase(_: &mut Evaluator<'_>, a: Args<'_>, _: &Value, _: &Env) -> Result<Value> {
    Ok(s(a, 0)
        .map(|x| Value::string(x.to_lowercase()))
        .unwrap_or(Value::Undefined))
}

fn f_uppercase(_: &mut Evaluator<'_>, a: Args<'_>, _: &Value, _: &Env) -> Result<Value> {
    Ok(s(a, 0)
        .map(|x| Value::string(x.to_uppercase()))
        .unwrap_or(Value::Undefined))
}

fn f_length(_: &mut Evaluator<'_>, a: Args<'_>, _: &Value, _: &Env) -> Result<Value> {
    Ok(s(a, 0)
        .map(|x| Value::Number(x.chars().count() as f64))
        .unwrap_or(Value::Undefined))
}

fn f_trim(_: &mut Evaluator<'_>, a: Args<'_>, _: &Value, _: &Env) -> Result<Value> {
    let Some(st) = s(a, 0) else {
        return Ok(Value::Undefined);
    };
    let mut out = String::new();
    let mut ws = false;
    for c in st.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r') {
            if !ws {
                out.push(' ');
            }
            ws = true;
        } else {
            out.push(c);
            ws = false;
        }
    }
    Ok(Value::string(out.trim_matches(' ').to_owned()))
}

fn f_pad(_: &mut Evaluator<'_>, a: Args<'_>, _: &Value, _: &Env) -> Result<Value> {
    let Some(st) = s(a, 0) else {
        return Ok(Value::Undefined);
    };
    let width = num(a, 1).unwrap_or(0.0);
    let mut ch = s(a, 2).unwrap_or_default();
    if ch.is_empty() {
        ch = " ".into();
    }
    let len = st.chars().count() as f64;
    let size = width.abs().floor();
    let pad_len = size - len;
    if pad_len <= 0.0 {
        return Ok(Value::string(st));
    }
    let padding: String = ch.chars().cycle().take(pad_len as usize).collect();
    Ok(Value::string(if width < 0.0 {
        padding + &st
    } else {
        st + &padding
    }))
}

/// One regex match, in character offsets.
pub(crate) struct Match {
    pub(crate) text: String,
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) groups: Vec<Option<String>>,
}

fn char_index(s: &str, byte: usize) -> usize {
    s[..byte].chars().count()
}

/// All matches of `r` in `s` (up to `limit`); a zero-length match after the first is D1004.
pub(crate) fn regex_matches(r: &RegexLit, s: &str, limit: Option<usize>) -> Result<Vec<Match>> {
    let mut out = Vec::new();
    for caps in r.regex.captures_iter(s) {
        if limit.is_some_and(|l| out.len() >= l) {
            break;
        }
        let Some(m) = caps.get(0) else { continue };
        if m.as_str().is_empty() {
            return Err(Error::new("D1004").value(r.source.clone()));
        }
        out.push(Match {
            text: m.as_str().to_owned(),
            start: char_index(s, m.start()),
            end: char_index(s, m.end()),
            groups: caps
                .iter()
                .skip(1)
                .map(|g| g.map(|g| g.as_str().to_owned()))
                .collect(),
        });
    }
    Ok(out)
}

/// The object a regex returns when invoked as a function.
pub(crate) fn regex_match_object(r: &RegexLit, s: &str, _from: usize) -> Value {
    match r.regex.captures(s) {
        Some(caps) => {
            let Some(m) = caps.get(0) else {
                return Value::Undefined;
            };
            let mut o = Map::new();
            o.insert("match".into(), Value::str(m.as_str()));
            o.insert(
                "start".into(),
                Value::Number(char_index(s, m.start()) as f64),
            );
            o.insert("end".into(), Value::Number(char_index(s, m.end()) as f64));
            o.insert(
                "groups".into(),
                Value::array(
                    caps.iter()
                        .skip(1)
                        .map(|g| {
                            g.map(|g| Value::str(g.as_str()))
                                .unwrap_or(Value::Undefined)
                        })
                        .collect(),
                ),
            );
            Value::object(o)
        }
        None => Value::Undefined,
    }
}

/// Runs a matcher function once (jsonata-js's `evaluateMatcher`): `None` when it finds
/// nothing; `T1010` when it returns something other than a match object.
fn evaluate_matcher(
    ev: &mut Evaluator<'_>,
    matcher: &Value,
    args: Vec<Value>,
    env: &Env,
) -> Result<Option<Map>> {
    let result = ev.apply(matcher, args, &Value::Null, env)?;
    let o = match &result {
        Value::Object(o) => o,
        // JavaScript's falsy values: no match
        Value::Undefined | Value::Null | Value::Bool(false) => return Ok(None),
        Value::Number(n) if *n == 0.0 || n.is_nan() => return Ok(None),
        Value::String(t) if t.is_empty() => return Ok(None),
        _ => return Err(Error::new("T1010")),
    };
    let well_formed = matches!(o.get("start"), Some(Value::Number(_)))
        || matches!(o.get("groups"), Some(Value::Array(..)))
        || o.get("next").is_some_and(Value::is_function);
    if !well_formed {
        return Err(Error::new("T1010"));
    }
    Ok(Some(o.as_ref().clone()))
}

/// The matches a custom matcher function (the protocol regexes follow: `{match, start, end,
/// groups, next}`) finds in `s`, up to `limit`.
fn custom_matches(
    ev: &mut Evaluator<'_>,
    matcher: &Value,
    s: &str,
    limit: Option<usize>,
    env: &Env,
) -> Result<Vec<Match>> {
    let len = s.chars().count();
    let offset = |v: Option<&Value>| match v {
        Some(Value::Number(n)) if *n > 0.0 => (n.floor() as usize).min(len),
        _ => 0,
    };
    let mut out = Vec::new();
    let mut next = evaluate_matcher(ev, matcher, vec![Value::str(s)], env)?;
    while let Some(m) = next {
        if limit.is_some_and(|l| out.len() >= l) {
            break;
        }
        let text = match m.get("match") {
            Some(Value::String(t)) => t.to_string(),
            Some(Value::Undefined) | None => String::new(),
            Some(other) => describe(other),
        };
        let start = offset(m.get("start"));
        let end = match m.get("end") {
            Some(Value::Number(_)) => offset(m.get("end")),
            _ => (start + text.chars().count()).min(len),
        };
        let groups = match m.get("groups") {
            Some(Value::Array(g, _)) => g.iter().map(|v| v.as_str().map(str::to_owned)).collect(),
            _ => Vec::new(),
        };
        out.push(Match {
            text,
            start,
            end: end.max(start),
            groups,
        });
        next = match m.get("next") {
            Some(f) if f.is_function() => evaluate_matcher(ev, f, vec![], env)?,
            _ => None,
        };
    }
    Ok(out)
}

/// The matches of a regex or a custom matcher function; `None` for any other pattern.
fn pattern_matches(
    ev: &mut Evaluator<'_>,
    pattern: &Value,
    s: &str,
    limit: Option<usize>,
    env: &Env,
) -> Result<Option<Vec<Match>>> {
    match pattern {
        Value::Regex(r) => regex_matches(r, s, limit).map(Some),
        f if f.is_function() => custom_matches(ev, f, s, limit, env).map(Some),
        _ => Ok(None),
    }
}

fn f_match(ev: &mut Evaluator<'_>, a: Args<'_>, _: &Value, env: &Env) -> Result<Value> {
    let Some(st) = s(a, 0) else {
        return Ok(Value::Undefined);
    };
    let limit = num(a, 2);
    if limit.is_some_and(|l| l < 0.0) {
        return Err(Error::new("D3040").value(describe(&arg(a, 2))));
    }
    let limit = limit.map(|l| l.ceil() as usize);
    if limit == Some(0) {
        return Ok(Value::seq(Vec::new()));
    }
    let Some(ms) = pattern_matches(ev, &arg(a, 1), &st, limit, env)? else {
        return Err(Error::new("T1010"));
    };
    let items = ms
        .into_iter()
        .map(|m| {
            let mut o = Map::new();
            o.insert("match".into(), Value::string(m.text));
            o.insert("index".into(), Value::Number(m.start as f64));
            o.insert(
                "groups".into(),
                Value::array(
                    m.groups
                        .into_iter()
                        .map(|g| g.map(Value::string).unwrap_or(Value::Undefined))
                        .collect(),
                ),
            );
            Value::object(o)
        })
        .collect();
    Ok(Value::seq(items))
}

fn f_contains(ev: &mut Evaluator<'_>, a: Args<'_>, _: &Value, env: &Env) -> Result<Value> {
    let Some(st) = s(a, 0) else {
        return Ok(Value::Undefined);
    };
    if arg(a, 1).is_undefined() {
        return Ok(Value::Undefined);
    }
    Ok(Value::Bool(match arg(a, 1) {
        Value::String(t) => st.contains(t.as_ref()),
        Value::Regex(r) => r.regex.is_match(&st),
        f if f.is_function() => evaluate_matcher(ev, &f, vec![Value::str(&st)], env)?.is_some(),
        _ => false,
    }))
}

fn substitute(replacement: &str, m: &Match) -> String {
    let chars: Vec<char> = replacement.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '$' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        i += 1;
        match chars.get(i) {
            Some('$') => {
                out.push('$');
                i += 1;
            }
            Some('0') => {
                out.push_str(&m.text);
                i += 1;
            }
            _ => {
                let n = m.groups.len();
                let max_digits = if n == 0 {
                    1
                } else {
                    (n as f64).log10().floor() as usize + 1
                };
                let digits: String = chars[i..]
                    .iter()
                    .take(max_digits)
                    .take_while(|c| c.is_ascii_digit())
                    .collect();
                let mut parsed: Option<usize> = digits.parse().ok();
                let mut used = digits.len();
                if max_digits > 1 && parsed.is_some_and(|p| p > n) {
                    let shorter: String = digits.chars().take(max_digits - 1).collect();
                    parsed = shorter.parse().ok();
                    used = shorter.len();
                }
                match parsed {
                    Some(idx) => {
                        if n > 0
                            && idx >= 1
                            && let Some(Some(g)) = m.groups.get(idx - 1)
                        {
                            out.push_str(g);
                        }
                        i += used.max(1).min(idx.to_string().len().max(used));
                    }
                    None => out.push('$'),
                }
            }
        }
    }
    out
}

fn f_replace(ev: &mut Evaluator<'_>, a: Args<'_>, _: &Value, env: &Env) -> Result<Value> {
    let Some(st) = s(a, 0) else {
        return Ok(Value::Undefined);
    };
    let pattern = arg(a, 1);
    let replacement = arg(a, 2);
    if matches!(&pattern, Value::String(p) if p.is_empty()) {
        return Err(Error::new("D3010").value("\"\""));
    }
    let limit = num(a, 3);
    if limit.is_some_and(|l| l < 0.0) {
        return Err(Error::new("D3011").value(describe(&arg(a, 3))));
    }
    if limit.is_some_and(|l| l == 0.0) {
        return Ok(Value::string(st));
    }
    let limit = limit.map(|l| l.ceil() as usize);
    match pattern {
        Value::String(p) => {
            let rep = match &replacement {
                Value::String(r) => r.to_string(),
                _ => String::new(),
            };
            let mut out = String::new();
            let mut rest = st.as_str();
            let mut count = 0;
            while let Some(i) = rest.find(p.as_ref()) {
                if limit.is_some_and(|l| count >= l) {
                    break;
                }
                out.push_str(&rest[..i]);
                out.push_str(&rep);
                rest = &rest[i + p.len()..];
                count += 1;
            }
            out.push_str(rest);
            Ok(Value::string(out))
        }
        pattern if pattern.is_function() => {
            let ms = pattern_matches(ev, &pattern, &st, limit, env)?.unwrap_or_default();
            let chars: Vec<char> = st.chars().collect();
            let mut out = String::new();
            let mut pos = 0;
            for m in ms {
                out.extend(chars[pos..m.start].iter());
                match &replacement {
                    Value::String(rep) => out.push_str(&substitute(rep, &m)),
                    f if f.is_function() => {
                        let mut o = Map::new();
                        o.insert("match".into(), Value::str(&m.text));
                        o.insert("index".into(), Value::Number(m.start as f64));
                        o.insert(
                            "groups".into(),
                            Value::array(
                                m.groups
                                    .iter()
                                    .map(|g| {
                                        g.clone().map(Value::string).unwrap_or(Value::Undefined)
                                    })
                                    .collect(),
                            ),
                        );
                        let v = ev.apply(f, vec![Value::object(o)], &Value::Null, env)?;
                        match v {
                            Value::String(x) => out.push_str(&x),
                            other => return Err(Error::new("D3012").value(describe(&other))),
                        }
                    }
                    _ => {}
                }
                pos = m.end;
            }
            out.extend(chars[pos..].iter());
            Ok(Value::string(out))
        }
        _ => Ok(Value::string(st)),
    }
}

fn f_split(ev: &mut Evaluator<'_>, a: Args<'_>, _: &Value, env: &Env) -> Result<Value> {
    let Some(st) = s(a, 0) else {
        return Ok(Value::Undefined);
    };
    let limit = num(a, 2);
    if limit.is_some_and(|l| l < 0.0) {
        return Err(Error::new("D3020").value(describe(&arg(a, 2))));
    }
    let limit = limit.map(|l| l.floor() as usize);
    let mut parts: Vec<String> = match arg(a, 1) {
        Value::String(sep) => {
            if sep.is_empty() {
                st.chars().map(|c| c.to_string()).collect()
            } else {
                st.split(sep.as_ref()).map(str::to_owned).collect()
            }
        }
        pattern if pattern.is_function() => {
            let ms = pattern_matches(ev, &pattern, &st, None, env)?.unwrap_or_default();
            let chars: Vec<char> = st.chars().collect();
            let mut out = Vec::new();
            let mut pos = 0;
            for m in ms {
                out.push(chars[pos..m.start].iter().collect());
                pos = m.end;
            }
            out.push(chars[pos..].iter().collect());
            out
        }
        _ => vec![st],
    };
    if let Some(l) = limit {
        parts.truncate(l);
    }
    Ok(Value::array(parts.into_iter().map(Value::string).collect()))
}

fn f_join(_: &mut Evaluator<'_>, a: Args<'_>, _: &Value, _: &Env) -> Result<Value> {
    let v = arg(a, 0);
    if v.is_undefined() {
        return Ok(Value::Undefined);
    }
    let sep = s(a, 1).unwrap_or_default();
    let parts: Vec<String> = v
        .members()
        .iter()
        .filter_map(|x| x.as_str().map(str::to_owned))
        .collect();
    Ok(Value::string(parts.join(&sep)))
}

fn f_format_base(_: &mut Evaluator<'_>, a: Args<'_>, _: &Value, _: &Env) -> Result<Value> {
    let Some(n) = num(a, 0) else {
        return Ok(Value::Undefined);
    };
    let n = round_half_even(n, 0);
    let radix = num(a, 1).unwrap_or(10.0);
    if !(2.0..=36.0).contains(&radix) {
        return Err(Error::new("D3100").value(format_number(radix)));
    }
    let radix = radix as u32;
    let neg = n < 0.0;
    let mut v = n.abs() as u128;
    let mut digits = Vec::new();
    if v == 0 {
        digits.push('0');
    }
    while v > 0 {
        digits.push(std::char::from_digit((v % radix as u128) as u32, radix).unwrap_or('0'));
        v /= radix as u128;
    }
    if neg {
        digits.push('-');
    }
    Ok(Value::string(digits.into_iter().rev().collect()))
}

fn is_number_string(t: &str) -> bool {
    let c: Vec<char> = t.chars().collect();
    let mut i = 0;
    if c.first() == Some(&'-') {
        i = 1;
    }
    let ds = i;
    while c.get(i).is_some_and(|x| x.is_ascii_digit()) {
        i += 1;
    }
    if i == ds {
        return false;
    }
    if c.get(i) == Some(&'.') {
        i += 1;
        let fs = i;
        while c.get(i).is_some_and(|x| x.is_ascii_digit()) {
            i += 1;
        }
        if i == fs {
            return false;
        }
    }
    if matches!(c.get(i), Some('e') | Some('E')) {
        i += 1;
        if matches!(c.get(i), Some('+') | Some('-')) {
            i += 1;
        }
        let es = i;
        while c.get(i).is_some_and(|x| x.is_ascii_digit()) {
            i += 1;
        }
        if i == es {
            return false;
        }
    }
    i == c.len()
}

fn f_number(_: &mut Evaluator<'_>, a: Args<'_>, _: &Value, _: &Env) -> Result<Value> {
    let v = arg(a, 0);
    Ok(match &v {
        Value::Undefined => Value::Undefined,
        Value::Number(_) => v.clone(),
        Value::Bool(b) => Value::Number(if *b { 1.0 } else { 0.0 }),
        Value::String(t) => {
            if is_number_string(t) {
                let n: f64 = t.parse().unwrap_or(f64::NAN);
                if n.is_finite() {
                    return Ok(Value::Number(n));
                }
                return Err(Error::new("D3030").value(describe(&v)).index(1));
            }
            let lower = t.to_ascii_lowercase();
            let radix = if lower.starts_with("0x") {
                16
            } else if lower.starts_with("0o") {
                8
            } else if lower.starts_with("0b") {
                2
            } else {
                return Err(Error::new("D3030").value(describe(&v)).index(1));
            };
            match i64::from_str_radix(&t[2..], radix) {
                Ok(n) => Value::Number(n as f64),
                Err(_) => return Err(Error::new("D3030").value(describe(&v)).index(1)),
            }
        }
        _ => return Err(Error::new("D3030").value(describe(&v)).index(1)),
    })
}

/// jsonata's `$round` (half to even, at `precision` decimal places).
pub(crate) fn round_half_even(x: f64, precision: i32) -> f64 {
    let shift = |v: f64, p: i32| -> f64 {
        let st = format_number(v);
        let (m, e) = match st.split_once('e') {
            Some((m, e)) => (m.to_owned(), e.parse::<i32>().unwrap_or(0)),
            None => (st, 0),
        };
        format!("{m}e{}", e + p).parse().unwrap_or(v)
    };
    let arg = if precision != 0 {
        shift(x, precision)
    } else {
        x
    };
    let mut result = (arg + 0.5).floor();
    let diff = result - arg;
    if diff.abs() == 0.5 && (result % 2.0).abs() == 1.0 {
        result -= 1.0;
    }
    if precision != 0 {
        result = shift(result, -precision);
    }
    if result == 0.0 { 0.0 } else { result }
}

fn f_round(_: &mut Evaluator<'_>, a: Args<'_>, _: &Value, _: &Env) -> Result<Value> {
    let Some(n) = num(a, 0) else {
        return Ok(Value::Undefined);
    };
    let p = num(a, 1).map(|p| p as i32).unwrap_or(0);
    Ok(Value::Number(round_half_even(n, p)))
}

fn f_sqrt(_: &mut Evaluator<'_>, a: Args<'_>, _: &Value, _: &Env) -> Result<Value> {
    let Some(n) = num(a, 0) else {
        return Ok(Value::Undefined);
    };
    if n < 0.0 {
        return Err(Error::new("D3060").value(format_number(n)).index(1));
    }
    Ok(Value::Number(n.sqrt()))
}

fn f_power(_: &mut Evaluator<'_>, a: Args<'_>, _: &Value, _: &Env) -> Result<Value> {
    let Some(b) = num(a, 0) else {
        return Ok(Value::Undefined);
    };
    let e = num(a, 1).unwrap_or(f64::NAN);
    let r = b.powf(e);
    if !r.is_finite() {
        return Err(Error::new("D3061")
            .value(format_number(b))
            .value2(format_number(e))
            .index(1));
    }
    Ok(Value::Number(r))
}

pub(crate) fn next_random(ev: &mut Evaluator<'_>) -> f64 {
    // xorshift64*
    let mut x = ev.rng;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    ev.rng = x;
    let r = x.wrapping_mul(0x2545_f491_4f6c_dd1d);
    (r >> 11) as f64 / (1u64 << 53) as f64
}

fn f_random(ev: &mut Evaluator<'_>, a: Args<'_>, _: &Value, _: &Env) -> Result<Value> {
    if let Some(seed) = num(a, 0) {
        let mut x = seed.to_bits() ^ 0x9e37_79b9_7f4a_7c15;
        x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        x ^= x >> 31;
        let saved = ev.rng;
        ev.rng = x.max(1);
        let r = next_random(ev);
        ev.rng = saved;
        return Ok(Value::Number(r));
    }
    Ok(Value::Number(next_random(ev)))
}

fn func_arity(f: &Value) -> usize {
    match f {
        Value::Lambda(l) => l.params.len(),
        Value::Native(n) => n.arity,
        Value::Regex(_) => 1,
        _ => 0,
    }
}

fn hof_args(f: &Value, v: Value, i: Value, all: &Value) -> Vec<Value> {
    let n = func_arity(f);
    let mut args = vec![v];
    if n >= 2 {
        args.push(i);
    }
    if n >= 3 {
        args.push(all.clone());
    }
    args
}

fn f_map(ev: &mut Evaluator<'_>, a: Args<'_>, _: &Value, env: &Env) -> Result<Value> {
    let arr = arg(a, 0);
    if arr.is_undefined() {
        return Ok(Value::Undefined);
    }
    let f = arg(a, 1);
    let mut out = Vec::new();
    for (i, v) in arr.members().into_iter().enumerate() {
        let r = ev.apply(
            &f,
            hof_args(&f, v, Value::Number(i as f64), &arr),
            &Value::Null,
            env,
        )?;
        if !r.is_undefined() {
            out.push(r);
        }
    }
    Ok(Value::seq(out))
}

fn f_filter(ev: &mut Evaluator<'_>, a: Args<'_>, _: &Value, env: &Env) -> Result<Value> {
    let arr = arg(a, 0);
    if arr.is_undefined() {
        return Ok(Value::Undefined);
    }
    let f = arg(a, 1);
    let mut out = Vec::new();
    for (i, v) in arr.members().into_iter().enumerate() {
        let r = ev.apply(
            &f,
            hof_args(&f, v.clone(), Value::Number(i as f64), &arr),
            &Value::Null,
            env,
        )?;
        if boolize(&r) {
            out.push(v);
        }
    }
    Ok(Value::seq(out))
}

fn f_single(ev: &mut Evaluator<'_>, a: Args<'_>, _: &Value, env: &Env) -> Result<Value> {
    let arr = arg(a, 0);
    if arr.is_undefined() {
        return Ok(Value::Undefined);
    }
    let f = arg(a, 1);
    let mut found = None;
    for (i, v) in arr.members().into_iter().enumerate() {
        let ok = if f.is_undefined() {
            true
        } else {
            let r = ev.apply(
                &f,
                hof_args(&f, v.clone(), Value::Number(i as f64), &arr),
                &Value::Null,
                env,
            )?;
            boolize(&r)
        };
        if ok {
            if found.is_some() {
                return Err(Error::new("D3138").value(describe(&v)).index(i));
            }
            found = Some(v);
        }
    }
    found.ok_or_else(|| Error::new("D3139"))
}

fn f_zip(_: &mut Evaluator<'_>, a: Args<'_>, _: &Value, _: &Env) -> Result<Value> {
    let arrays: Vec<Vec<Value>> = a
        .iter()
        .map(|v| {
            if let Value::Array(x, _) = v {
                x.as_ref().clone()
            } else {
                vec![]
            }
        })
        .collect();
    let len = arrays.iter().map(Vec::len).min().unwrap_or(0);
    Ok(Value::array(
        (0..len)
            .map(|i| Value::array(arrays.iter().map(|x| x[i].clone()).collect()))
            .collect(),
    ))
}

fn f_reduce(ev: &mut Evaluator<'_>, a: Args<'_>, _: &Value, env: &Env) -> Result<Value> {
    let seq = arg(a, 0);
    if seq.is_undefined() {
        return Ok(Value::Undefined);
    }
    let f = arg(a, 1);
    let arity = func_arity(&f);
    if arity < 2 {
        return Err(Error::new("D3050").index(2));
    }
    let items = seq.members();
    let init = arg(a, 2);
    let (mut result, start) = if init.is_undefined() && !items.is_empty() {
        (items[0].clone(), 1)
    } else {
        (init, 0)
    };
    for (i, item) in items.iter().enumerate().skip(start) {
        let mut args = vec![result, item.clone()];
        if arity >= 3 {
            args.push(Value::Number(i as f64));
        }
        if arity >= 4 {
            args.push(seq.clone());
        }
        result = ev.apply(&f, args, &Value::Null, env)?;
    }
    Ok(result)
}

fn f_sift(ev: &mut Evaluator<'_>, a: Args<'_>, _: &Value, env: &Env) -> Result<Value> {
    let Value::Object(o) = arg(a, 0) else {
        return Ok(Value::Undefined);
    };
    let f = arg(a, 1);
    let whole = Value::Object(o.clone());
    let mut out = Map::new();
    for (k, v) in o.iter() {
        let r = ev.apply(
            &f,
            hof_args(&f, v.clone(), Value::str(k), &whole),
            &Value::Null,
            env,
        )?;
        if boolize(&r) {
            out.insert(k.clone(), v.clone());
        }
    }
    if out.is_empty() {
        Ok(Value::Undefined)
    } else {
        Ok(Value::object(out))
    }
}

fn keys_of(v: &Value, out: &mut indexmap::IndexSet<String>) {
    match v {
        Value::Array(a, _) => a.iter().for_each(|x| keys_of(x, out)),
        Value::Object(o) => o.keys().for_each(|k| {
            out.insert(k.clone());
        }),
        _ => {}
    }
}

fn f_keys(_: &mut Evaluator<'_>, a: Args<'_>, _: &Value, _: &Env) -> Result<Value> {
    let mut set = indexmap::IndexSet::new();
    keys_of(&arg(a, 0), &mut set);
    Ok(Value::seq(set.into_iter().map(Value::string).collect()))
}

fn spread(v: &Value) -> Value {
    match v {
        Value::Array(a, _) => {
            let mut result = Value::seq(vec![]);
            for item in a.iter() {
                result = append(result, spread(item));
            }
            result
        }
        Value::Object(o) => Value::seq(
            o.iter()
                .map(|(k, x)| {
                    let mut m = Map::new();
                    m.insert(k.clone(), x.clone());
                    Value::object(m)
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

fn f_merge(_: &mut Evaluator<'_>, a: Args<'_>, _: &Value, _: &Env) -> Result<Value> {
    let v = arg(a, 0);
    if v.is_undefined() {
        return Ok(Value::Undefined);
    }
    let mut out = Map::new();
    for item in v.members() {
        if let Value::Object(o) = item {
            for (k, x) in o.iter() {
                out.insert(k.clone(), x.clone());
            }
        }
    }
    Ok(Value::object(out))
}

fn f_reverse(_: &mut Evaluator<'_>, a: Args<'_>, _: &Value, _: &Env) -> Result<Value> {
    let v = arg(a, 0);
    match &v {
        Value::Array(x, _) if x.len() > 1 => Ok(Value::array(x.iter().rev().cloned().collect())),
        _ => Ok(v),
    }
}

fn f_each(ev: &mut Evaluator<'_>, a: Args<'_>, _: &Value, env: &Env) -> Result<Value> {
    let Value::Object(o) = arg(a, 0) else {
        return Ok(Value::Undefined);
    };
    let f = arg(a, 1);
    let whole = Value::Object(o.clone());
    let mut out = Vec::new();
    for (k, v) in o.iter() {
        let r = ev.apply(
            &f,
            hof_args(&f, v.clone(), Value::str(k), &whole),
            &Value::Null,
            env,
        )?;
        if !r.is_undefined() {
            out.push(r);
        }
    }
    Ok(Value::seq(out))
}

fn f_sort(ev: &mut Evaluator<'_>, a: Args<'_>, _: &Value, env: &Env) -> Result<Value> {
    let v = arg(a, 0);
    let items = match &v {
        Value::Undefined => return Ok(Value::Undefined),
        Value::Array(x, _) if x.len() <= 1 => return Ok(v),
        Value::Array(x, _) => x.as_ref().clone(),
        _ => return Ok(v),
    };
    let f = arg(a, 1);
    let sorted = if f.is_undefined() {
        let all_num = items.iter().all(|x| matches!(x, Value::Number(_)));
        let all_str = items.iter().all(|x| matches!(x, Value::String(_)));
        if !all_num && !all_str {
            return Err(Error::new("D3070").index(1));
        }
        ev.merge_sort(items, &mut |_, x, y| {
            Ok(match (x, y) {
                (Value::Number(p), Value::Number(q)) => p > q,
                (Value::String(p), Value::String(q)) => js_str_lt(q, p),
                _ => false,
            })
        })?
    } else {
        let env = env.clone();
        ev.merge_sort(items, &mut |ev, x, y| {
            let r = ev.apply(&f, vec![x.clone(), y.clone()], &Value::Null, &env)?;
            Ok(boolize(&r))
        })?
    };
    Ok(Value::array(sorted))
}

fn f_shuffle(ev: &mut Evaluator<'_>, a: Args<'_>, _: &Value, _: &Env) -> Result<Value> {
    let v = arg(a, 0);
    let mut items = match &v {
        Value::Array(x, _) if x.len() > 1 => x.as_ref().clone(),
        _ => return Ok(v),
    };
    for i in (1..items.len()).rev() {
        let j = (next_random(ev) * (i + 1) as f64) as usize;
        items.swap(i, j.min(i));
    }
    Ok(Value::array(items))
}

fn f_distinct(_: &mut Evaluator<'_>, a: Args<'_>, _: &Value, _: &Env) -> Result<Value> {
    let v = arg(a, 0);
    let Value::Array(items, f) = &v else {
        return Ok(v);
    };
    if items.len() <= 1 {
        return Ok(v);
    }
    let mut out: Vec<Value> = Vec::new();
    for x in items.iter() {
        if !out.iter().any(|y| deep_equal(x, y)) {
            out.push(x.clone());
        }
    }
    Ok(Value::Array(
        Rc::new(out),
        if f.sequence { Flags::SEQ } else { Flags::NONE },
    ))
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn f_base64encode(_: &mut Evaluator<'_>, a: Args<'_>, _: &Value, _: &Env) -> Result<Value> {
    let Some(st) = s(a, 0) else {
        return Ok(Value::Undefined);
    };
    let bytes = st.as_bytes();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    Ok(Value::string(out))
}

fn f_base64decode(_: &mut Evaluator<'_>, a: Args<'_>, _: &Value, _: &Env) -> Result<Value> {
    let Some(st) = s(a, 0) else {
        return Ok(Value::Undefined);
    };
    let mut bits = 0u32;
    let mut nbits = 0;
    let mut out = Vec::new();
    for c in st.bytes() {
        let Some(v) = B64.iter().position(|&x| x == c) else {
            continue;
        };
        bits = (bits << 6) | v as u32;
        nbits += 6;
        if nbits >= 8 {
            nbits -= 8;
            out.push((bits >> nbits) as u8);
            bits &= (1 << nbits) - 1;
        }
    }
    Ok(Value::string(String::from_utf8_lossy(&out).into_owned()))
}

fn url_encode(a: Args<'_>, component: bool) -> Result<Value> {
    let Some(st) = s(a, 0) else {
        return Ok(Value::Undefined);
    };
    let keep = |c: char| {
        c.is_ascii_alphanumeric()
            || "-_.!~*'()".contains(c)
            || (!component && ";,/?:@&=+$#".contains(c))
    };
    let mut out = String::new();
    for c in st.chars() {
        if keep(c) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    Ok(Value::string(out))
}

fn url_decode(a: Args<'_>, component: bool) -> Result<Value> {
    let Some(st) = s(a, 0) else {
        return Ok(Value::Undefined);
    };
    let name = if component {
        "$decodeUrlComponent"
    } else {
        "$decodeUrl"
    };
    let malformed =
        || Error::new("D3140").message(format!("Malformed URL passed to {name}(): \"{st}\""));
    let bytes = st.as_bytes();
    let mut out: Vec<u8> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = st.get(i + 1..i + 3).ok_or_else(malformed)?;
            let b = u8::from_str_radix(hex, 16).map_err(|_| malformed())?;
            if !component && b < 0x80 && ";,/?:@&=+$#".contains(b as char) {
                out.extend_from_slice(&bytes[i..i + 3]);
            } else {
                out.push(b);
            }
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out)
        .map(Value::string)
        .map_err(|_| malformed())
}

/// A deep copy with fresh identities (what `$clone` does through JSON).
pub(crate) fn deep_clone(v: &Value) -> Value {
    match v {
        Value::Array(a, f) => Value::Array(Rc::new(a.iter().map(deep_clone).collect()), *f),
        Value::Object(o) => {
            Value::object(o.iter().map(|(k, x)| (k.clone(), deep_clone(x))).collect())
        }
        other => other.clone(),
    }
}

// ---- Step Functions additions ----

fn f_partition(_: &mut Evaluator<'_>, a: Args<'_>, _: &Value, _: &Env) -> Result<Value> {
    let v = arg(a, 0);
    if v.is_undefined() {
        return Ok(Value::Undefined);
    }
    let size = num(a, 1).unwrap_or(0.0);
    if size < 1.0 || size.fract() != 0.0 {
        return Err(Error::new("D3200").message(format!(
            "The second argument of $partition must be a positive integer; got {}",
            describe(&arg(a, 1))
        )));
    }
    let items = v.members();
    Ok(Value::array(
        items
            .chunks(size as usize)
            .map(|c| Value::array(c.to_vec()))
            .collect(),
    ))
}

fn f_range(_: &mut Evaluator<'_>, a: Args<'_>, _: &Value, _: &Env) -> Result<Value> {
    let (Some(start), Some(end)) = (num(a, 0), num(a, 1)) else {
        return Ok(Value::Undefined);
    };
    let step = num(a, 2).unwrap_or(1.0);
    if step == 0.0 || !step.is_finite() {
        return Err(
            Error::new("D3201").message("The step of $range must be a non-zero number".to_owned())
        );
    }
    let mut out = Vec::new();
    let mut x = start;
    while (step > 0.0 && x <= end) || (step < 0.0 && x >= end) {
        out.push(Value::Number(x));
        if out.len() > 10_000_000 {
            return Err(Error::new("D2014").value(format_number(out.len() as f64)));
        }
        x += step;
    }
    // A sequence: one number comes out as that number, as AWS's `$range(1, 9, 9)` gives
    // `1` (LocalStack's AWS-checked TestArrayJSONata test_array_range).
    if out.is_empty() {
        return Ok(Value::array(out));
    }
    Ok(Value::seq(out))
}

fn f_hash(_: &mut Evaluator<'_>, a: Args<'_>, _: &Value, _: &Env) -> Result<Value> {
    let Some(st) = s(a, 0) else {
        return Ok(Value::Undefined);
    };
    let alg = s(a, 1).unwrap_or_else(|| "SHA-256".into());
    match crate::digest::hex_digest(&alg, st.as_bytes()) {
        Some(digest) => Ok(Value::string(digest)),
        None => Err(Error::new("D3202").message(format!(
            "The hash algorithm {alg:?} is not supported; use one of {}",
            crate::digest::ALGORITHMS.join(", ")
        ))),
    }
}

fn f_uuid(ev: &mut Evaluator<'_>, _: Args<'_>, _: &Value, _: &Env) -> Result<Value> {
    let mut bytes = [0u8; 16];
    for chunk in bytes.chunks_mut(4) {
        let r = (next_random(ev) * 4_294_967_296.0) as u32;
        chunk.copy_from_slice(&r.to_be_bytes());
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let h: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    Ok(Value::string(format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )))
}

fn f_parse(_: &mut Evaluator<'_>, a: Args<'_>, _: &Value, _: &Env) -> Result<Value> {
    let Some(st) = s(a, 0) else {
        return Ok(Value::Undefined);
    };
    match serde_json::from_str::<serde_json::Value>(&st) {
        Ok(v) => Ok(Value::from_json(&v)),
        Err(e) => Err(Error::new("D3203").message(format!("Unable to parse {st:?} as JSON: {e}"))),
    }
}
