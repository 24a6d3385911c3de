//! Date/time picture strings (XPath F&O 3.1 `format-dateTime` §9.8), as jsonata-js's
//! `datetime.js` implements them for `$fromMillis`, `$toMillis` and `$now`: literal text,
//! `[[`/`]]` escapes and variable markers `[component presentation, width]`.
//!
//! Calendar arithmetic follows JavaScript's `Date` in UTC (proleptic Gregorian calendar,
//! milliseconds since the epoch as `f64`), with `chrono` for the civil date of a day.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use chrono::{Datelike, NaiveDate};

use super::errors::{Error, Result};
use super::integer_picture::{self as integer, Case, Grouping, IntegerFormat, Primary};

const DAYS: [&str; 8] = [
    "",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MILLIS_IN_DAY: f64 = 86_400_000.0;
/// The largest time value a JavaScript `Date` holds (±100,000,000 days).
const MAX_TIME: f64 = 8.64e15;
/// The widest a marker's width modifier may ask a component to be (a guard against
/// pictures that would build enormous strings).
const MAX_WIDTH: usize = 1000;
/// The picture `$fromMillis` uses when none is given.
const ISO_PICTURE: &str = "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]";

/// The width modifier of a marker (`,min-max`).
#[derive(Debug, Clone, Copy, Default)]
struct Width {
    min: Option<usize>,
    max: Option<usize>,
}

/// A variable marker.
#[derive(Debug, Clone)]
struct Marker {
    component: char,
    width: Option<Width>,
    presentation2: Option<char>,
    /// Set when the component is written as a name (`N`, `n`, `Nn`).
    names: Option<Case>,
    integer: Option<IntegerFormat>,
    /// How many digits of the year to keep (`None` for all).
    year_digits: Option<usize>,
}

#[derive(Debug, Clone)]
enum Part {
    Literal(String),
    Marker(Box<Marker>),
}

fn default_presentation(component: char) -> Option<&'static str> {
    Some(match component {
        'Y' | 'M' | 'D' | 'd' | 'W' | 'w' | 'X' | 'x' | 'H' | 'h' | 'f' => "1",
        'F' | 'P' | 'C' | 'E' => "n",
        'm' | 's' => "01",
        'Z' | 'z' => "01:01",
        _ => return None,
    })
}

/// `parseInt` of a width: `None` for `*`, a missing or a malformed width.
fn parse_width(w: Option<&str>) -> Option<usize> {
    let w = w?;
    if w == "*" {
        return None;
    }
    let n = integer::js_parse_int(w);
    (n.is_finite() && n >= 0.0).then_some(n as usize)
}

fn analyse_marker(marker: &str, spec: &mut [Part]) -> Result<Marker> {
    let marker: String = marker.chars().filter(|c| !c.is_whitespace()).collect();
    let mut chars = marker.chars();
    let component = chars.next().unwrap_or('\0');
    let rest = chars.as_str();
    let (presentation, width) = match rest.rfind(',') {
        Some(comma) => {
            let width_mod = &rest[comma + 1..];
            let (min, max) = match width_mod.find('-') {
                None => (Some(width_mod), None),
                Some(dash) => (Some(&width_mod[..dash]), Some(&width_mod[dash + 1..])),
            };
            let width = Width {
                min: parse_width(min),
                max: parse_width(max),
            };
            if width.min.max(width.max).is_some_and(|w| w > MAX_WIDTH) {
                return Err(Error::new("D3137").message(format!(
                    "The width modifier of [{marker}] is larger than {MAX_WIDTH}"
                )));
            }
            (&rest[..comma], Some(width))
        }
        None => (rest, None),
    };
    let mut presentation2 = None;
    let presentation1: String = match presentation.chars().count() {
        0 => match default_presentation(component) {
            Some(p) => p.to_owned(),
            None => {
                return Err(Error::new("D3132").value(component.to_string()));
            }
        },
        1 => presentation.to_owned(),
        _ => {
            let last = presentation.chars().next_back().unwrap_or('\0');
            if "atco".contains(last) {
                presentation2 = Some(last);
                presentation[..presentation.len() - last.len_utf8()].to_owned()
            } else {
                presentation.to_owned()
            }
        }
    };
    let mut m = Marker {
        component,
        width,
        presentation2,
        names: None,
        integer: None,
        year_digits: None,
    };
    let mut p1 = presentation1.chars();
    match (p1.next(), p1.next()) {
        (Some('n'), _) => m.names = Some(Case::Lower),
        (Some('N'), Some('n')) => m.names = Some(Case::Title),
        (Some('N'), _) => m.names = Some(Case::Upper),
        _ if "YMDdFWwXxHhmsf".contains(component) => {
            let mut pattern = presentation1.clone();
            if let Some(p2) = presentation2 {
                pattern.push(';');
                pattern.push(p2);
            }
            let mut format = integer::analyse(&pattern)?;
            if let Some(min) = width.and_then(|w| w.min) {
                format.mandatory_digits = format.mandatory_digits.max(min);
            }
            if component == 'Y' {
                if let Some(max) = width.and_then(|w| w.max) {
                    m.year_digits = Some(max);
                    format.mandatory_digits = max;
                } else {
                    let w = format.mandatory_digits + format.optional_digits;
                    if w >= 2 {
                        m.year_digits = Some(w);
                    }
                }
            }
            // an integer right after another (no literal between) must be parsed at its width
            if let Some(Part::Marker(prev)) = spec.last_mut()
                && let Some(prev_format) = prev.integer.as_mut()
            {
                prev_format.parse_width = Some(prev_format.mandatory_digits);
            }
            m.integer = Some(format);
        }
        _ => {}
    }
    if component == 'Z' || component == 'z' {
        m.integer = Some(integer::analyse(&presentation1)?);
    }
    Ok(m)
}

/// Splits a picture into literals and analysed markers.
fn analyse(picture: &str) -> Result<Vec<Part>> {
    let chars: Vec<char> = picture.chars().collect();
    let mut spec: Vec<Part> = Vec::new();
    let add_literal = |spec: &mut Vec<Part>, start: usize, end: usize| {
        if end > start {
            let literal: String = chars[start..end].iter().collect();
            spec.push(Part::Literal(literal.replace("]]", "]")));
        }
    };
    let (mut start, mut pos) = (0, 0);
    while pos < chars.len() {
        if chars[pos] == '[' {
            if chars.get(pos + 1) == Some(&'[') {
                add_literal(&mut spec, start, pos);
                spec.push(Part::Literal("[".into()));
                pos += 2;
                start = pos;
                continue;
            }
            add_literal(&mut spec, start, pos);
            start = pos;
            let Some(close) = chars[start..].iter().position(|&c| c == ']') else {
                return Err(Error::new("D3135"));
            };
            pos = start + close;
            let marker: String = chars[start + 1..pos].iter().collect();
            let m = analyse_marker(&marker, &mut spec)?;
            spec.push(Part::Marker(Box::new(m)));
            start = pos + 1;
        }
        pos += 1;
    }
    add_literal(&mut spec, start, pos);
    Ok(spec)
}

/// Values computed from a picture string, by picture (bounded: cleared when full).
type Cache<T> = OnceLock<Mutex<HashMap<String, Arc<T>>>>;

fn cached<T>(
    cache: &'static Cache<T>,
    picture: &str,
    build: impl FnOnce() -> Result<T>,
) -> Result<Arc<T>> {
    let cache = cache.get_or_init(Mutex::default);
    if let Some(hit) = cache
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(picture)
    {
        return Ok(hit.clone());
    }
    let value = Arc::new(build()?);
    let mut cache = cache.lock().unwrap_or_else(PoisonError::into_inner);
    if cache.len() >= 256 {
        cache.clear();
    }
    cache.insert(picture.to_owned(), value.clone());
    Ok(value)
}

/// The analysed picture.
fn cached_analysis(picture: &str) -> Result<Arc<Vec<Part>>> {
    static ANALYSED: Cache<Vec<Part>> = OnceLock::new();
    cached(&ANALYSED, picture, || analyse(picture))
}

// ---- calendar arithmetic, as JavaScript's Date in UTC ----

/// Days from 1970-01-01 to the first of a month (`month0` may be out of 0..12).
fn days_from_civil(year: f64, month0: f64) -> Option<f64> {
    let year = year + (month0 / 12.0).floor();
    let month0 = month0.rem_euclid(12.0);
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1)?;
    let y = i32::try_from(year as i64).ok()?;
    let date = NaiveDate::from_ymd_opt(y, month0 as u32 + 1, 1)?;
    Some((date - epoch).num_days() as f64)
}

/// `Date.UTC(year, month0, day, hours, minutes, seconds, millis)`; `NaN` when out of range.
fn date_utc(year: f64, month0: f64, day: f64, h: f64, m: f64, s: f64, ms: f64) -> f64 {
    let args = [year, month0, day, h, m, s, ms];
    if args.iter().any(|v| !v.is_finite()) {
        return f64::NAN;
    }
    let [year, month0, day, h, m, s, ms] = args.map(f64::trunc);
    let year = if (0.0..=99.0).contains(&year) {
        1900.0 + year
    } else {
        year
    };
    let Some(days) = days_from_civil(year, month0) else {
        return f64::NAN;
    };
    let t = (days + day - 1.0) * MILLIS_IN_DAY + h * 3_600_000.0 + m * 60_000.0 + s * 1000.0 + ms;
    if t.abs() > MAX_TIME { f64::NAN } else { t }
}

/// The UTC fields of a time value.
#[derive(Debug, Clone, Copy)]
struct Fields {
    time: f64,
    year: f64,
    /// 0 to 11.
    month0: f64,
    day: f64,
    /// 0 (Sunday) to 6.
    weekday: f64,
    hours: f64,
    minutes: f64,
    seconds: f64,
    millis: f64,
}

fn fields(time: f64) -> Option<Fields> {
    if !time.is_finite() || time.abs() > MAX_TIME {
        return None;
    }
    let time = time.trunc();
    let days = (time / MILLIS_IN_DAY).floor();
    let in_day = time - days * MILLIS_IN_DAY;
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1)?;
    let date = epoch.checked_add_signed(chrono::TimeDelta::try_days(days as i64)?)?;
    Some(Fields {
        time,
        year: f64::from(date.year()),
        month0: f64::from(date.month0()),
        day: f64::from(date.day()),
        weekday: f64::from(date.weekday().num_days_from_sunday()),
        hours: (in_day / 3_600_000.0).floor(),
        minutes: (in_day / 60_000.0).floor() % 60.0,
        seconds: (in_day / 1000.0).floor() % 60.0,
        millis: in_day % 1000.0,
    })
}

/// The start of week 1 of a year or month: the week (from Monday) with its first Thursday.
fn start_of_first_week(year: f64, month0: f64) -> f64 {
    let first = date_utc(year, month0, 1.0, 0.0, 0.0, 0.0, 0.0);
    let mut dow = fields(first).map_or(0.0, |f| f.weekday);
    if dow == 0.0 {
        dow = 7.0;
    }
    if dow > 4.0 {
        first + (8.0 - dow) * MILLIS_IN_DAY
    } else {
        first - (dow - 1.0) * MILLIS_IN_DAY
    }
}

fn delta_weeks(start: f64, end: f64) -> f64 {
    (end - start) / (MILLIS_IN_DAY * 7.0) + 1.0
}

/// A component's value: a number or a name.
#[derive(Debug, Clone)]
enum Fragment {
    Number(f64),
    Text(&'static str),
    None,
}

fn fragment(d: &Fields, component: char) -> Fragment {
    let today = || date_utc(d.year, d.month0, d.day, 0.0, 0.0, 0.0, 0.0);
    Fragment::Number(match component {
        'Y' => d.year,
        'M' => d.month0 + 1.0,
        'D' => d.day,
        'd' => (today() - date_utc(d.year, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0)) / MILLIS_IN_DAY + 1.0,
        'F' => {
            if d.weekday == 0.0 {
                7.0
            } else {
                d.weekday
            }
        }
        'W' => {
            let today = today();
            let mut week = delta_weeks(start_of_first_week(d.year, 0.0), today);
            if week > 52.0 {
                if today >= start_of_first_week(d.year + 1.0, 0.0) {
                    week = 1.0;
                }
            } else if week < 1.0 {
                week = delta_weeks(start_of_first_week(d.year - 1.0, 0.0), today);
            }
            week.floor()
        }
        'w' => {
            let today = today();
            let mut week = delta_weeks(start_of_first_week(d.year, d.month0), today);
            if week > 4.0 {
                if today >= start_of_first_week(d.year, d.month0 + 1.0) {
                    week = 1.0;
                }
            } else if week < 1.0 {
                week = delta_weeks(start_of_first_week(d.year, d.month0 - 1.0), today);
            }
            week.floor()
        }
        'X' => {
            if d.time < start_of_first_week(d.year, 0.0) {
                d.year - 1.0
            } else if d.time >= start_of_first_week(d.year + 1.0, 0.0) {
                d.year + 1.0
            } else {
                d.year
            }
        }
        'x' => {
            if d.time < start_of_first_week(d.year, d.month0) {
                (d.month0 + 11.0) % 12.0 + 1.0
            } else if d.time >= start_of_first_week(d.year, d.month0 + 1.0) {
                (d.month0 + 1.0) % 12.0 + 1.0
            } else {
                d.month0 + 1.0
            }
        }
        'H' => d.hours,
        'h' => {
            let h = d.hours % 12.0;
            if h == 0.0 { 12.0 } else { h }
        }
        'P' => return Fragment::Text(if d.hours >= 12.0 { "pm" } else { "am" }),
        'm' => d.minutes,
        's' => d.seconds,
        'f' => d.millis,
        'C' | 'E' => return Fragment::Text("ISO"),
        _ => return Fragment::None,
    })
}

fn name_of(component: char, value: f64) -> Option<&'static str> {
    let i = value as usize;
    match component {
        'M' | 'x' if value >= 1.0 => MONTHS.get(i - 1).copied(),
        'F' => DAYS.get(i).copied(),
        _ => None,
    }
}

fn integer_format(m: &Marker) -> Result<&IntegerFormat> {
    m.integer
        .as_ref()
        .ok_or_else(|| Error::new("D3133").value(m.component.to_string()))
}

fn format_component(
    d: &Fields,
    m: &Marker,
    offset_hours: f64,
    offset_minutes: f64,
) -> Result<String> {
    let value = fragment(d, m.component);
    let c = m.component;
    if "YMDdFWwXxHhms".contains(c) {
        let Fragment::Number(mut n) = value else {
            return Ok("undefined".into());
        };
        if let Some(digits) = m.year_digits.filter(|_| c == 'Y') {
            n %= 10f64.powi(digits.min(300) as i32);
        }
        if let Some(case) = m.names {
            let Some(name) = name_of(c, n).filter(|_| matches!(c, 'M' | 'x' | 'F')) else {
                return Err(Error::new("D3133").value(c.to_string()));
            };
            let mut name = match case {
                Case::Upper => name.to_uppercase(),
                Case::Lower => name.to_lowercase(),
                Case::Title => name.to_owned(),
            };
            if let Some(max) = m.width.and_then(|w| w.max)
                && name.chars().count() > max
            {
                name = name.chars().take(max).collect();
            }
            return Ok(name);
        }
        return integer::format(n, integer_format(m)?);
    }
    match c {
        'f' => match value {
            Fragment::Number(n) => integer::format(n, integer_format(m)?),
            _ => Ok("undefined".into()),
        },
        'Z' | 'z' => {
            let format = integer_format(m)?;
            let offset = offset_hours * 100.0 + offset_minutes;
            let mut out = if matches!(format.grouping, Grouping::Regular { .. }) {
                integer::format(offset, format)?
            } else {
                match format.mandatory_digits {
                    1 | 2 => {
                        let mut s = integer::format(offset_hours, format)?;
                        if offset_minutes != 0.0 {
                            s.push(':');
                            s.push_str(&integer::format(offset_minutes, &integer::analyse("00")?)?);
                        }
                        s
                    }
                    3 | 4 => integer::format(offset, format)?,
                    n => return Err(Error::new("D3134").value(n.to_string())),
                }
            };
            if offset >= 0.0 {
                out.insert(0, '+');
            }
            if c == 'z' {
                out.insert_str(0, "GMT");
            }
            if offset == 0.0 && m.presentation2 == Some('t') {
                out = "Z".into();
            }
            Ok(out)
        }
        _ => Ok(match value {
            Fragment::Text(t) if c == 'P' && m.names == Some(Case::Upper) => t.to_uppercase(),
            Fragment::Text(t) => t.to_owned(),
            Fragment::Number(n) => super::value::format_number(n),
            Fragment::None => "undefined".into(),
        }),
    }
}

/// `$fromMillis(millis, picture, timezone)`: `None` when the time is out of range.
pub(crate) fn format_date_time(
    millis: f64,
    picture: Option<&str>,
    timezone: Option<&str>,
) -> Result<Option<String>> {
    let (mut offset_hours, mut offset_minutes) = (0.0, 0.0);
    if let Some(tz) = timezone {
        let offset = integer::js_parse_int(tz);
        if offset.is_finite() {
            offset_hours = (offset / 100.0).floor();
            offset_minutes = offset % 100.0;
        }
    }
    let spec = cached_analysis(picture.unwrap_or(ISO_PICTURE))?;
    let offset_millis = (60.0 * offset_hours + offset_minutes) * 60_000.0;
    let Some(d) = fields(millis + offset_millis) else {
        return Ok(None);
    };
    let mut out = String::new();
    for part in spec.iter() {
        match part {
            Part::Literal(s) => out.push_str(s),
            Part::Marker(m) => {
                out.push_str(&format_component(&d, m, offset_hours, offset_minutes)?)
            }
        }
    }
    Ok(Some(out))
}

/// How a captured marker turns into a component value (`None`: JavaScript's `undefined`).
enum Parser {
    Integer(IntegerFormat),
    Fraction,
    Timezone { gmt: bool, sep: Option<char> },
    Names(Vec<(String, f64)>),
}

impl Parser {
    fn parse(&self, text: &str) -> Result<Option<f64>> {
        Ok(match self {
            Parser::Integer(f) => Some(integer::parse(text, f)?),
            Parser::Fraction => {
                // fractional seconds: the digits after the point, as milliseconds
                let mut digits: String = text.chars().filter(char::is_ascii_digit).collect();
                while digits.len() < 3 {
                    digits.push('0');
                }
                Some(integer::js_parse_int(&digits[..3]))
            }
            Parser::Timezone { gmt, sep } => {
                let value = if *gmt {
                    text.get(3..).unwrap_or("")
                } else {
                    text
                };
                let (hours, minutes) = match sep.and_then(|s| value.find(s).map(|i| (s, i))) {
                    Some((s, i)) => (
                        integer::js_parse_int(&value[..i]),
                        integer::js_parse_int(&value[i + s.len_utf8()..]),
                    ),
                    None if value.len() <= 3 => (integer::js_parse_int(value), 0.0),
                    None => (
                        integer::js_parse_int(&value[..3]),
                        integer::js_parse_int(&value[3..]),
                    ),
                };
                Some(hours * 60.0 + minutes)
            }
            Parser::Names(lookup) => lookup.iter().find(|(k, _)| k == text).map(|(_, v)| *v),
        })
    }
}

fn integer_regex(f: &IntegerFormat) -> Result<String> {
    let upper = f.case == Case::Upper;
    Ok(match &f.primary {
        Primary::Letters => (if upper { "[A-Z]+" } else { "[a-z]+" }).to_owned(),
        Primary::Roman => (if upper { "[MDCLXVI]+" } else { "[mdclxvi]+" }).to_owned(),
        Primary::Words => integer::words_regex(),
        Primary::Decimal => {
            let mut r = match f.parse_width {
                Some(w) => format!("[0-9]{{{w}}}"),
                None => "[0-9]+".to_owned(),
            };
            if f.ordinal {
                r.push_str("(?:th|st|nd|rd)");
            }
            r
        }
        Primary::Sequence(token) => return Err(Error::new("D3130").value(token.clone())),
    })
}

fn names_lookup(m: &Marker) -> Result<Vec<(String, f64)>> {
    let cut = |name: &str| match m.width.and_then(|w| w.max) {
        Some(max) if max > 0 => name.chars().take(max).collect(),
        _ => name.to_owned(),
    };
    Ok(match m.component {
        'M' | 'x' => MONTHS
            .iter()
            .enumerate()
            .map(|(i, n)| (cut(n), (i + 1) as f64))
            .collect(),
        'F' => DAYS
            .iter()
            .enumerate()
            .skip(1)
            .map(|(i, n)| (cut(n), i as f64))
            .collect(),
        'P' => vec![
            ("am".into(), 0.0),
            ("AM".into(), 0.0),
            ("pm".into(), 1.0),
            ("PM".into(), 1.0),
        ],
        c => return Err(Error::new("D3133").value(c.to_string())),
    })
}

/// JavaScript truthiness of a parsed component.
fn truthy(v: Option<&Option<f64>>) -> bool {
    matches!(v, Some(Some(n)) if *n != 0.0 && !n.is_nan())
}

/// How to read timestamps written with one picture: a regex with a group per part.
struct ParsePlan {
    regex: regex::Regex,
    parsers: Vec<Option<(char, Parser)>>,
}

fn parse_plan(picture: &str) -> Result<ParsePlan> {
    let spec = cached_analysis(picture)?;
    let mut regex = String::from("(?i)^");
    let mut parsers: Vec<Option<(char, Parser)>> = Vec::new();
    for part in spec.iter() {
        let (r, parser) = match part {
            Part::Literal(s) => (regex::escape(s), None),
            Part::Marker(m) if m.component == 'Z' || m.component == 'z' => {
                let sep = match integer_format(m)?.grouping {
                    Grouping::Regular { sep, .. } => Some(sep),
                    Grouping::Irregular(_) => None,
                };
                let gmt = m.component == 'z';
                let mut r = String::from(if gmt { "GMT" } else { "" });
                r.push_str("[-+][0-9]+");
                if let Some(s) = sep {
                    r.push_str(&regex::escape(&s.to_string()));
                    r.push_str("[0-9]+");
                }
                (r, Some((m.component, Parser::Timezone { gmt, sep })))
            }
            Part::Marker(m) => match &m.integer {
                Some(f) => {
                    let parser = match (m.component, &f.primary) {
                        ('f', Primary::Decimal) if !f.ordinal => Parser::Fraction,
                        _ => Parser::Integer(f.clone()),
                    };
                    (integer_regex(f)?, Some((m.component, parser)))
                }
                None => (
                    "[a-zA-Z]+".to_owned(),
                    Some((m.component, Parser::Names(names_lookup(m)?))),
                ),
            },
        };
        regex.push('(');
        regex.push_str(&r);
        regex.push(')');
        parsers.push(parser);
    }
    regex.push('$');
    let regex =
        regex::Regex::new(&regex).map_err(|e| Error::new("D3137").message(e.to_string()))?;
    Ok(ParsePlan { regex, parsers })
}

/// `$toMillis(timestamp, picture)`: `None` when the timestamp does not match the picture.
pub(crate) fn parse_date_time(
    timestamp: &str,
    picture: &str,
    now_millis: f64,
) -> Result<Option<f64>> {
    static PLANS: Cache<ParsePlan> = OnceLock::new();
    let plan = cached(&PLANS, picture, || parse_plan(picture))?;
    let Some(caps) = plan.regex.captures(timestamp) else {
        return Ok(None);
    };
    let mut components: HashMap<char, Option<f64>> = HashMap::new();
    for (i, parser) in plan.parsers.iter().enumerate() {
        if let Some((component, parser)) = parser {
            let text = caps.get(i + 1).map_or("", |m| m.as_str());
            components.insert(*component, parser.parse(text)?);
        }
    }
    if components.is_empty() {
        return Ok(None);
    }

    //        date mask  YXMxWwdD          time mask  PHhmsf
    const DATE_A: u32 = 0b1010_0001;
    const DATE_B: u32 = 0b1000_0010;
    const DATE_C: u32 = 0b0101_0100;
    const DATE_D: u32 = 0b0100_1000;
    const TIME_A: u32 = 0b01_0111;
    const TIME_B: u32 = 0b10_1111;
    let mask_of = |parts: &str| {
        parts.chars().fold(0u32, |m, c| {
            (m << 1) | u32::from(truthy(components.get(&c)))
        })
    };
    let is_type = |t: u32, mask: u32| (!t & mask) == 0 && (t & mask) != 0;
    let date_mask = mask_of("YXMxWwdD");
    let date_a = is_type(DATE_A, date_mask);
    let date_b = !date_a && is_type(DATE_B, date_mask);
    let date_c = is_type(DATE_C, date_mask);
    let date_d = !date_c && is_type(DATE_D, date_mask);
    let time_mask = mask_of("PHhmsf");
    let time_a = is_type(TIME_A, time_mask);
    let time_b = !time_a && is_type(TIME_B, time_mask);

    let date_comps = if date_b {
        "YD"
    } else if date_c {
        "XxwF"
    } else if date_d {
        "XWF"
    } else {
        "YMD"
    };
    let time_comps = if time_b { "Phmsf" } else { "Hmsf" };
    let now = fields(now_millis);
    let (mut start_specified, mut end_specified) = (false, false);
    for part in date_comps.chars().chain(time_comps.chars()) {
        if matches!(components.get(&part), None | Some(None)) {
            let value = if start_specified {
                end_specified = true;
                if "MDd".contains(part) { 1.0 } else { 0.0 }
            } else {
                match now.as_ref().map(|d| fragment(d, part)) {
                    Some(Fragment::Number(n)) => n,
                    Some(Fragment::Text(t)) => {
                        if t == "pm" {
                            1.0
                        } else {
                            0.0
                        }
                    }
                    _ => f64::NAN,
                }
            };
            components.insert(part, Some(value));
        } else {
            start_specified = true;
            if end_specified {
                return Err(Error::new("D3136"));
            }
        }
    }
    let get = |c: char| components.get(&c).copied().flatten().unwrap_or(f64::NAN);
    let (mut month0, mut day) = (get('M'), get('D'));
    month0 = if month0 > 0.0 { month0 - 1.0 } else { 0.0 };
    if date_b {
        let derived =
            date_utc(get('Y'), 0.0, 1.0, 0.0, 0.0, 0.0, 0.0) + (get('d') - 1.0) * MILLIS_IN_DAY;
        let f = fields(derived);
        month0 = f.map_or(f64::NAN, |f| f.month0);
        day = f.map_or(f64::NAN, |f| f.day);
    }
    if date_c || date_d {
        // week-based dates are not supported for parsing, as in jsonata-js
        return Err(Error::new("D3136"));
    }
    let mut hours = get('H');
    if time_b {
        let h = get('h');
        hours = if h == 12.0 { 0.0 } else { h };
        if get('P') == 1.0 {
            hours += 12.0;
        }
    }
    let mut millis = date_utc(get('Y'), month0, day, hours, get('m'), get('s'), get('f'));
    let offset = [get('Z'), get('z')]
        .into_iter()
        .find(|v| *v != 0.0 && !v.is_nan());
    if let Some(offset) = offset {
        millis -= offset * 60_000.0;
    }
    Ok(Some(millis))
}

/// `$toMillis` without a picture: the ISO 8601 forms JavaScript's `Date.parse` reads.
pub(crate) fn iso_timestamp_shape(t: &str) -> bool {
    static ISO: OnceLock<Option<regex::Regex>> = OnceLock::new();
    ISO.get_or_init(|| {
        regex::Regex::new(
            r"^\d{4}(-[01]\d)*(-[0-3]\d)*(T[0-2]\d:[0-5]\d:[0-5]\d)*(\.\d+)?([+-][0-2]\d:?[0-5]\d|Z)?$",
        )
        .ok()
    })
    .as_ref()
    .is_some_and(|re| re.is_match(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses() {
        let f = |ms: f64, p: &str, tz: Option<&str>| format_date_time(ms, Some(p), tz);
        assert_eq!(
            f(1521801216617.0, "[FNn], [D1o] [MNn] [Y]", None)
                .ok()
                .flatten()
                .as_deref(),
            Some("Friday, 23rd March 2018")
        );
        assert_eq!(
            f(
                1531310400000.0,
                "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z0]",
                Some("+0530")
            )
            .ok()
            .flatten()
            .as_deref(),
            Some("2018-07-11T17:30:00+5:30")
        );
        assert_eq!(
            parse_date_time("4/4/2018 12:06 pm", "[D1]/[M1]/[Y0001] [h]:[m] [P]", 0.0).ok(),
            Some(Some(1522843560000.0))
        );
        assert_eq!(
            parse_date_time("2018-22", "[Y]-[D]", 0.0)
                .map_err(|e| e.code)
                .err(),
            Some("D3136")
        );
    }
}
