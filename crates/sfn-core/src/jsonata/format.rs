//! Number and date/time formatting functions (`$formatNumber`, `$fromMillis`, …).

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};

use super::errors::{Error, Result};
use super::evaluator::{Env, Evaluator};
use super::value::{Value, describe};

type Args<'x> = &'x [Value];

fn unsupported(what: &str) -> Error {
    Error::new("D3137").message(format!("{what} is not supported by this implementation"))
}

/// `$formatNumber(number, picture, options)`.
pub(crate) fn f_format_number(
    _: &mut Evaluator<'_>,
    a: Args<'_>,
    _: &Value,
    _: &Env,
) -> Result<Value> {
    if a.first().is_none_or(Value::is_undefined) {
        return Ok(Value::Undefined);
    }
    Err(unsupported("$formatNumber"))
}

/// `$formatInteger(number, picture)`.
pub(crate) fn f_format_integer(
    _: &mut Evaluator<'_>,
    a: Args<'_>,
    _: &Value,
    _: &Env,
) -> Result<Value> {
    if a.first().is_none_or(Value::is_undefined) {
        return Ok(Value::Undefined);
    }
    Err(unsupported("$formatInteger"))
}

/// `$parseInteger(string, picture)`.
pub(crate) fn f_parse_integer(
    _: &mut Evaluator<'_>,
    a: Args<'_>,
    _: &Value,
    _: &Env,
) -> Result<Value> {
    if a.first().is_none_or(Value::is_undefined) {
        return Ok(Value::Undefined);
    }
    Err(unsupported("$parseInteger"))
}

fn iso_millis(t: &str) -> Option<i64> {
    if let Ok(d) = DateTime::parse_from_rfc3339(t) {
        return Some(d.timestamp_millis());
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M:%S%z",
        "%Y-%m-%dT%H:%M%z",
    ] {
        if let Ok(d) = DateTime::parse_from_str(t, fmt) {
            return Some(d.timestamp_millis());
        }
    }
    let t2 = t.strip_suffix('Z').unwrap_or(t);
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(t2, fmt) {
            return Some(Utc.from_utc_datetime(&d).timestamp_millis());
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(t2, "%Y-%m-%d") {
        return Some(
            Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0)?)
                .timestamp_millis(),
        );
    }
    if let Ok(d) = NaiveDate::parse_from_str(&format!("{t2}-01"), "%Y-%m-%d") {
        return Some(
            Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0)?)
                .timestamp_millis(),
        );
    }
    if t2.len() == 4
        && let Ok(d) = NaiveDate::parse_from_str(&format!("{t2}-01-01"), "%Y-%m-%d")
    {
        return Some(
            Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0)?)
                .timestamp_millis(),
        );
    }
    None
}

/// `$toMillis(timestamp, picture)`.
pub(crate) fn f_to_millis(_: &mut Evaluator<'_>, a: Args<'_>, _: &Value, _: &Env) -> Result<Value> {
    let Some(Value::String(t)) = a.first() else {
        return Ok(Value::Undefined);
    };
    if a.get(1).is_some_and(|p| !p.is_undefined()) {
        return Err(unsupported("$toMillis with a picture string"));
    }
    match iso_millis(t) {
        Some(ms) => Ok(Value::Number(ms as f64)),
        None => Err(Error::new("D3110").value(describe(&a[0]))),
    }
}

/// Formats milliseconds since the epoch as ISO 8601 in UTC.
pub(crate) fn iso_string(ms: f64) -> Option<String> {
    let dt = Utc.timestamp_millis_opt(ms as i64).single()?;
    Some(dt.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
}

/// `$fromMillis(millis, picture, timezone)`.
pub(crate) fn f_from_millis(
    _: &mut Evaluator<'_>,
    a: Args<'_>,
    _: &Value,
    _: &Env,
) -> Result<Value> {
    let Some(Value::Number(ms)) = a.first() else {
        return Ok(Value::Undefined);
    };
    if a.get(1).is_some_and(|p| !p.is_undefined()) || a.get(2).is_some_and(|p| !p.is_undefined()) {
        return Err(unsupported("$fromMillis with a picture string"));
    }
    Ok(iso_string(*ms)
        .map(Value::string)
        .unwrap_or(Value::Undefined))
}

/// `$now(picture, timezone)`.
pub(crate) fn f_now(ev: &mut Evaluator<'_>, a: Args<'_>, i: &Value, env: &Env) -> Result<Value> {
    let mut args = vec![Value::Number(ev.now_millis as f64)];
    args.extend(a.iter().cloned());
    f_from_millis(ev, &args, i, env)
}
