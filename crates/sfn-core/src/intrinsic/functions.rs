//! Evaluation of intrinsic function calls.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use base64::Engine as _;
use serde_json::{Map, Value};

use super::format::{Piece, parse_template, render};
use super::{Arg, IntrinsicCall, IntrinsicFunction};
use crate::error::StatesError;
use crate::eval::Env;

/// The longest string `States.Base64Encode`, `States.Base64Decode` and `States.Hash` accept.
const MAX_INPUT_CHARS: usize = 10_000;

/// The most elements `States.ArrayRange` may produce.
const MAX_RANGE: i128 = 1_000;

pub(crate) fn evaluate(
    call: &IntrinsicCall,
    scope: &Env<'_>,
    field: Option<&str>,
) -> Result<Value, StatesError> {
    let mut args = Vec::with_capacity(call.args.len());
    for arg in &call.args {
        args.push(argument(arg, scope, field)?);
    }
    apply(call, &args)
}

fn argument<'a>(
    arg: &Arg,
    scope: &Env<'a>,
    field: Option<&str>,
) -> Result<Cow<'a, Value>, StatesError> {
    Ok(match arg {
        Arg::String(s) => Cow::Owned(Value::String(s.clone())),
        Arg::Number(n) => Cow::Owned(Value::Number(n.clone())),
        Arg::Bool(b) => Cow::Owned(Value::Bool(*b)),
        Arg::Null => Cow::Owned(Value::Null),
        Arg::Path(path) => match path.select_cow(scope) {
            Some(v) => v,
            None => return Err(crate::eval::template::path_not_found(path, field, scope)),
        },
        Arg::Call(call) => Cow::Owned(evaluate(call, scope, field)?),
    })
}

/// The error Step Functions raises for arguments of the wrong type or out of range.
fn invalid(function: IntrinsicFunction) -> StatesError {
    StatesError::runtime(format!("Invalid arguments in {}", function.name()))
}

fn apply(call: &IntrinsicCall, args: &[Cow<'_, Value>]) -> Result<Value, StatesError> {
    use IntrinsicFunction as F;
    let function = call.function;
    let bad = || invalid(function);
    let arg = |i: usize| args.get(i).map(|v| &**v).ok_or_else(bad);
    let string = |i: usize| arg(i)?.as_str().ok_or_else(bad);
    let array = |i: usize| arg(i)?.as_array().ok_or_else(bad);
    let object = |i: usize| arg(i)?.as_object().ok_or_else(bad);
    match function {
        F::Format => {
            let owned;
            let pieces = match &call.template {
                Some(pieces) => pieces,
                None => {
                    owned = parse_template(string(0)?);
                    &owned
                }
            };
            let values = &args[1.min(args.len())..];
            if pieces
                .iter()
                .filter(|p| matches!(p, Piece::Placeholder))
                .count()
                != values.len()
            {
                return Err(bad());
            }
            let mut out = String::new();
            let mut values = values.iter();
            for piece in pieces {
                match piece {
                    Piece::Text(text) => out.push_str(text),
                    Piece::Placeholder => render(values.next().ok_or_else(bad)?, &mut out),
                }
            }
            Ok(Value::String(out))
        }
        F::StringToJson => {
            let text = string(0)?;
            if text.trim().is_empty() {
                return Ok(Value::Null);
            }
            let mut value: Value = serde_json::from_str(text).map_err(|_| bad())?;
            // serde_json reads `-0` as the float -0.0; Jackson, as AWS, reads the integer 0.
            if text.contains("-0") && !["-0.", "-0e", "-0E"].iter().any(|p| text.contains(p)) {
                negative_zero_to_integer(&mut value);
            }
            Ok(value)
        }
        F::JsonToString => serde_json::to_string(arg(0)?)
            .map(Value::String)
            .map_err(|_| bad()),
        F::Array => Ok(Value::Array(
            args.iter().map(|v| v.as_ref().clone()).collect(),
        )),
        F::ArrayPartition => {
            let items = array(0)?;
            let size = truncate(arg(1)?).filter(|s| *s > 0).ok_or_else(bad)?;
            let size = usize::try_from(size).unwrap_or(usize::MAX);
            Ok(Value::Array(
                items
                    .chunks(size)
                    .map(|c| Value::Array(c.to_vec()))
                    .collect(),
            ))
        }
        F::ArrayContains => {
            let needle = arg(1)?;
            Ok(Value::Bool(array(0)?.iter().any(|v| v == needle)))
        }
        F::ArrayRange => {
            let start = i128::from(truncate(arg(0)?).ok_or_else(bad)?);
            let end = i128::from(truncate(arg(1)?).ok_or_else(bad)?);
            let step = i128::from(truncate(arg(2)?).ok_or_else(bad)?);
            if step == 0 {
                return Err(bad());
            }
            let count = if (step > 0 && start <= end) || (step < 0 && start >= end) {
                (end - start) / step + 1
            } else {
                0
            };
            if count > MAX_RANGE {
                return Err(bad());
            }
            Ok(Value::Array(
                (0..count)
                    .map(|i| Value::from(i64::try_from(start + i * step).unwrap_or(0)))
                    .collect(),
            ))
        }
        F::ArrayGetItem => {
            let items = array(0)?;
            let index = exact_integer(arg(1)?).ok_or_else(bad)?;
            let index = usize::try_from(index).map_err(|_| bad())?;
            items.get(index).cloned().ok_or_else(bad)
        }
        F::ArrayLength => Ok(Value::from(array(0)?.len())),
        F::ArrayUnique => Ok(Value::Array(unique(array(0)?))),
        F::Base64Encode => {
            let text = string(0)?;
            if text.chars().count() > MAX_INPUT_CHARS {
                return Err(bad());
            }
            Ok(Value::String(
                base64::engine::general_purpose::STANDARD.encode(text.as_bytes()),
            ))
        }
        F::Base64Decode => {
            let text = string(0)?;
            if text.chars().count() > MAX_INPUT_CHARS {
                return Err(bad());
            }
            let engine = base64::engine::GeneralPurpose::new(
                &base64::alphabet::STANDARD,
                base64::engine::GeneralPurposeConfig::new()
                    .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
            );
            let bytes = engine.decode(text.as_bytes()).map_err(|_| bad())?;
            Ok(Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        }
        F::Hash => {
            let data = string(0)?;
            if data.chars().count() > MAX_INPUT_CHARS {
                return Err(bad());
            }
            sfn_jsonata::digest::hex_digest(string(1)?, data.as_bytes())
                .map(Value::String)
                .ok_or_else(bad)
        }
        F::JsonMerge => {
            let (left, right) = (object(0)?, object(1)?);
            if arg(2)?.as_bool() != Some(false) {
                return Err(bad());
            }
            let mut merged: Map<String, Value> = left.clone();
            for (k, v) in right {
                merged.insert(k.clone(), v.clone());
            }
            Ok(Value::Object(merged))
        }
        F::MathRandom => {
            let start = truncate(arg(0)?).ok_or_else(bad)?;
            let end = truncate(arg(1)?).ok_or_else(bad)?;
            let bound = end.checked_sub(start).filter(|b| *b > 0).ok_or_else(bad)?;
            let seed = match args.get(2) {
                Some(seed) => truncate(seed).ok_or_else(bad)?,
                None => (uuid::Uuid::new_v4().as_u128() as u64) as i64,
            };
            let offset = JavaRandom::new(seed).next_below(bound);
            Ok(Value::from(start + offset))
        }
        F::MathAdd => {
            let a = java_round(arg(0)?).ok_or_else(bad)?;
            let b = java_round(arg(1)?).ok_or_else(bad)?;
            a.checked_add(b).map(Value::from).ok_or_else(bad)
        }
        F::StringSplit => {
            let text = string(0)?;
            let delimiters = string(1)?;
            Ok(Value::Array(
                text.split(|c: char| delimiters.contains(c))
                    .filter(|s| !s.is_empty())
                    .map(|s| Value::String(s.to_owned()))
                    .collect(),
            ))
        }
        F::Uuid => Ok(Value::String(uuid::Uuid::new_v4().to_string())),
    }
}

fn negative_zero_to_integer(value: &mut Value) {
    match value {
        Value::Number(n) if n.as_f64().is_some_and(|f| f == 0.0 && f.is_sign_negative()) => {
            *value = Value::from(0)
        }
        Value::Array(items) => items.iter_mut().for_each(negative_zero_to_integer),
        Value::Object(map) => map.values_mut().for_each(negative_zero_to_integer),
        _ => {}
    }
}

/// A number truncated toward zero, as Java's `intValue`.
fn truncate(v: &Value) -> Option<i64> {
    let n = v.as_number()?;
    if let Some(i) = n.as_i64() {
        return Some(i);
    }
    let f = n.as_f64()?;
    (f.is_finite() && f.abs() < 9.2e18).then(|| f.trunc() as i64)
}

/// A number rounded half up, as Java's `Math.round`.
fn java_round(v: &Value) -> Option<i64> {
    let n = v.as_number()?;
    if let Some(i) = n.as_i64() {
        return Some(i);
    }
    let f = n.as_f64()?;
    (f.is_finite() && f.abs() < 9.2e18).then(|| (f + 0.5).floor() as i64)
}

/// A number with no fractional part.
fn exact_integer(v: &Value) -> Option<i64> {
    let n = v.as_number()?;
    if let Some(i) = n.as_i64() {
        return Some(i);
    }
    let f = n.as_f64()?;
    (f.fract() == 0.0 && f.abs() < 9.2e18).then_some(f as i64)
}

/// The elements without duplicates, first occurrences kept, in linear time.
fn unique(items: &[Value]) -> Vec<Value> {
    let mut seen: HashMap<u64, Vec<usize>> = HashMap::new();
    let mut out: Vec<Value> = Vec::new();
    for item in items {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        hash_value(item, &mut hasher);
        let bucket = seen.entry(hasher.finish()).or_default();
        if bucket.iter().any(|&i| out[i] == *item) {
            continue;
        }
        bucket.push(out.len());
        out.push(item.clone());
    }
    out
}

/// A hash consistent with `Value`'s equality (objects compare regardless of key order).
fn hash_value<H: Hasher>(value: &Value, state: &mut H) {
    match value {
        Value::Null => 0u8.hash(state),
        Value::Bool(b) => (1u8, b).hash(state),
        Value::Number(n) => (2u8, n.to_string()).hash(state),
        Value::String(s) => (3u8, s).hash(state),
        Value::Array(items) => {
            (4u8, items.len()).hash(state);
            for item in items {
                hash_value(item, state);
            }
        }
        Value::Object(map) => {
            let mut combined = 0u64;
            for (k, v) in map {
                let mut h = std::collections::hash_map::DefaultHasher::new();
                k.hash(&mut h);
                hash_value(v, &mut h);
                combined = combined.wrapping_add(h.finish());
            }
            (5u8, map.len(), combined).hash(state);
        }
    }
}

/// `java.util.Random`, so that a seeded `States.MathRandom` gives the numbers the JVM does.
struct JavaRandom {
    seed: u64,
}

impl JavaRandom {
    const MULTIPLIER: u64 = 0x5_DEEC_E66D;
    const MASK: u64 = (1 << 48) - 1;

    fn new(seed: i64) -> Self {
        JavaRandom {
            seed: (seed as u64 ^ Self::MULTIPLIER) & Self::MASK,
        }
    }

    fn next(&mut self, bits: u32) -> i32 {
        self.seed = (self.seed.wrapping_mul(Self::MULTIPLIER).wrapping_add(0xB)) & Self::MASK;
        (self.seed >> (48 - bits)) as i32
    }

    /// `nextInt(bound)` for bounds that fit an `int`; a uniform draw from two words otherwise.
    fn next_below(&mut self, bound: i64) -> i64 {
        if let Ok(bound) = i32::try_from(bound) {
            let m = bound - 1;
            let mut r = self.next(31);
            if bound & m == 0 {
                return (i64::from(bound) * i64::from(r)) >> 31;
            }
            let mut u = r;
            loop {
                r = u % bound;
                if u.wrapping_sub(r).wrapping_add(m) >= 0 {
                    return i64::from(r);
                }
                u = self.next(31);
            }
        }
        let high = u64::from(self.next(32) as u32);
        let low = u64::from(self.next(32) as u32);
        (((high << 32) | low) % (bound as u64)) as i64
    }
}

#[cfg(test)]
mod java_random_tests {
    use super::JavaRandom;

    #[test]
    fn matches_the_jvm() {
        // `new java.util.Random(42).nextInt()` is -1170105035 on every JVM.
        assert_eq!(JavaRandom::new(42).next(32), -1_170_105_035);
        let mut r = JavaRandom::new(7);
        for _ in 0..1000 {
            let v = r.next_below(10);
            assert!((0..10).contains(&v));
        }
        let mut r = JavaRandom::new(7);
        assert!((0..16).contains(&r.next_below(16)));
        assert!((0..5_000_000_000).contains(&r.next_below(5_000_000_000)));
    }
}
