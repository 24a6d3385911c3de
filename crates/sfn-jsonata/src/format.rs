//! Number and date/time formatting functions (`$formatNumber`, `$fromMillis`, …).

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};

use super::datetime;
use super::errors::{Error, Result};
use super::evaluator::{Env, Evaluator};
use super::integer_picture;
use super::number_picture::{self, DecimalFormat};
use super::value::{Value, describe, format_number};

type Args<'x> = &'x [Value];

fn string_arg(a: Args<'_>, i: usize) -> Option<&str> {
    a.get(i).and_then(Value::as_str)
}

/// `$formatNumber(number, picture, options)`.
pub(crate) fn f_format_number(
    _: &mut Evaluator<'_>,
    a: Args<'_>,
    _: &Value,
    _: &Env,
) -> Result<Value> {
    let Some(Value::Number(n)) = a.first() else {
        return Ok(Value::Undefined);
    };
    let picture = string_arg(a, 1).unwrap_or("");
    let mut properties = DecimalFormat::default();
    if let Some(Value::Object(options)) = a.get(2) {
        for (name, value) in options.iter() {
            let value = match value {
                Value::String(s) => s.to_string(),
                Value::Number(n) => format_number(*n),
                _ => continue,
            };
            properties.set(name, value);
        }
    }
    Ok(Value::string(number_picture::format(
        *n,
        picture,
        &properties,
    )?))
}

/// `$formatInteger(number, picture)`.
pub(crate) fn f_format_integer(
    _: &mut Evaluator<'_>,
    a: Args<'_>,
    _: &Value,
    _: &Env,
) -> Result<Value> {
    let Some(Value::Number(n)) = a.first() else {
        return Ok(Value::Undefined);
    };
    let format = integer_picture::analyse(string_arg(a, 1).unwrap_or(""))?;
    Ok(Value::string(integer_picture::format(n.floor(), &format)?))
}

/// `$parseInteger(string, picture)`.
pub(crate) fn f_parse_integer(
    _: &mut Evaluator<'_>,
    a: Args<'_>,
    _: &Value,
    _: &Env,
) -> Result<Value> {
    let Some(Value::String(s)) = a.first() else {
        return Ok(Value::Undefined);
    };
    let format = integer_picture::analyse(string_arg(a, 1).unwrap_or(""))?;
    Ok(Value::Number(integer_picture::parse(s, &format)?))
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
pub(crate) fn f_to_millis(
    ev: &mut Evaluator<'_>,
    a: Args<'_>,
    _: &Value,
    _: &Env,
) -> Result<Value> {
    let Some(Value::String(t)) = a.first() else {
        return Ok(Value::Undefined);
    };
    if let Some(picture) = string_arg(a, 1) {
        return Ok(
            match datetime::parse_date_time(t, picture, ev.now_millis as f64)? {
                Some(ms) => Value::Number(ms),
                None => Value::Undefined,
            },
        );
    }
    if !datetime::iso_timestamp_shape(t) {
        return Err(Error::new("D3110").value(describe(&a[0])));
    }
    Ok(Value::Number(
        iso_millis(t).map_or(f64::NAN, |ms| ms as f64),
    ))
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
    Ok(
        match datetime::format_date_time(*ms, string_arg(a, 1), string_arg(a, 2))? {
            Some(s) => Value::string(s),
            None => Value::Undefined,
        },
    )
}

/// `$now(picture, timezone)`.
pub(crate) fn f_now(ev: &mut Evaluator<'_>, a: Args<'_>, i: &Value, env: &Env) -> Result<Value> {
    let mut args = vec![Value::Number(ev.now_millis as f64)];
    args.extend(a.iter().cloned());
    f_from_millis(ev, &args, i, env)
}
