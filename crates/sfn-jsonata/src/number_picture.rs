//! `$formatNumber`: decimal picture strings (XPath F&O 3.1 `format-number` §4.7) with the
//! decimal-format properties jsonata-js lets the caller override, following its
//! `formatNumber` step by step (including where it departs from the specification).

use super::errors::{Error, Result};
use super::functions::round_half_even;
use super::value::format_number;

/// The decimal-format properties (`decimal-separator`, `zero-digit`, …).
#[derive(Debug, Clone)]
pub(crate) struct DecimalFormat {
    decimal_separator: String,
    grouping_separator: String,
    exponent_separator: String,
    minus_sign: String,
    percent: String,
    per_mille: String,
    zero_digit: String,
    digit: String,
    pattern_separator: String,
}

impl Default for DecimalFormat {
    fn default() -> Self {
        DecimalFormat {
            decimal_separator: ".".into(),
            grouping_separator: ",".into(),
            exponent_separator: "e".into(),
            minus_sign: "-".into(),
            percent: "%".into(),
            per_mille: "\u{2030}".into(),
            zero_digit: "0".into(),
            digit: "#".into(),
            pattern_separator: ";".into(),
        }
    }
}

impl DecimalFormat {
    /// Overrides one property by its name; unknown names are ignored (`infinity` and `NaN`
    /// are accepted but never used: JSON has no such numbers).
    pub(crate) fn set(&mut self, name: &str, value: String) {
        let slot = match name {
            "decimal-separator" => &mut self.decimal_separator,
            "grouping-separator" => &mut self.grouping_separator,
            "exponent-separator" => &mut self.exponent_separator,
            "minus-sign" => &mut self.minus_sign,
            "percent" => &mut self.percent,
            "per-mille" => &mut self.per_mille,
            "zero-digit" => &mut self.zero_digit,
            "digit" => &mut self.digit,
            "pattern-separator" => &mut self.pattern_separator,
            _ => return,
        };
        *slot = value;
    }
}

type Chars = Vec<char>;

fn chars(s: &str) -> Chars {
    s.chars().collect()
}

/// `haystack.indexOf(needle, from)` over characters.
fn index_of(haystack: &[char], needle: &[char], from: usize) -> Option<usize> {
    if needle.is_empty() {
        return Some(from.min(haystack.len()));
    }
    (from..haystack.len())
        .find(|&i| haystack.len() - i >= needle.len() && haystack[i..i + needle.len()] == *needle)
}

fn last_index_of(haystack: &[char], needle: &[char]) -> Option<usize> {
    if needle.is_empty() {
        return Some(haystack.len());
    }
    (0..haystack.len())
        .rev()
        .find(|&i| haystack.len() - i >= needle.len() && haystack[i..i + needle.len()] == *needle)
}

fn contains(haystack: &[char], needle: &[char]) -> bool {
    index_of(haystack, needle, 0).is_some()
}

/// JavaScript's `substring(start, end)`: clamped, and swapped when `start > end`.
fn substring(s: &[char], start: usize, end: usize) -> Chars {
    let (a, b) = (start.min(s.len()), end.min(s.len()));
    let (a, b) = if a > b { (b, a) } else { (a, b) };
    s[a..b].to_vec()
}

/// `c === property` (a property of several characters never equals one character).
fn is(c: char, property: &[char]) -> bool {
    property.len() == 1 && property[0] == c
}

struct Props {
    decimal: Chars,
    grouping: Chars,
    exponent: Chars,
    percent: Chars,
    per_mille: Chars,
    zero: Chars,
    digit: Chars,
    pattern: Chars,
    family: [char; 10],
}

impl Props {
    fn new(f: &DecimalFormat) -> Props {
        let zero = f.zero_digit.encode_utf16().next().map_or(0x30, u32::from);
        let family = std::array::from_fn(|i| {
            char::from_u32(zero + i as u32).unwrap_or(char::REPLACEMENT_CHARACTER)
        });
        Props {
            decimal: chars(&f.decimal_separator),
            grouping: chars(&f.grouping_separator),
            exponent: chars(&f.exponent_separator),
            percent: chars(&f.percent),
            per_mille: chars(&f.per_mille),
            zero: chars(&f.zero_digit),
            digit: chars(&f.digit),
            pattern: chars(&f.pattern_separator),
            family,
        }
    }

    fn is_family(&self, c: char) -> bool {
        self.family.contains(&c)
    }

    fn is_active(&self, c: char) -> bool {
        self.is_family(c)
            || is(c, &self.decimal)
            || is(c, &self.exponent)
            || is(c, &self.grouping)
            || is(c, &self.digit)
            || is(c, &self.pattern)
    }

    fn is_digit_sign(&self, c: char) -> bool {
        self.is_family(c) || is(c, &self.digit)
    }

    fn count_family(&self, s: &[char]) -> usize {
        s.iter().filter(|&&c| self.is_family(c)).count()
    }
}

/// A sub-picture split into its parts (F&O 4.7.3).
#[derive(Debug, Clone)]
struct Parts {
    prefix: Chars,
    suffix: Chars,
    active: Chars,
    mantissa: Chars,
    exponent: Option<Chars>,
    integer: Chars,
    fractional: Chars,
    subpicture: Chars,
}

fn split_parts(sub: Chars, p: &Props) -> Parts {
    let is_boundary = |c: char| p.is_active(c) && !is(c, &p.exponent);
    let prefix = match sub.iter().position(|&c| is_boundary(c)) {
        Some(i) => sub[..i].to_vec(),
        None => Vec::new(),
    };
    let suffix = match sub.iter().rposition(|&c| is_boundary(c)) {
        Some(i) => sub[i + 1..].to_vec(),
        None => Vec::new(),
    };
    let active = substring(&sub, prefix.len(), sub.len() - suffix.len());
    let exponent_position =
        index_of(&sub, &p.exponent, prefix.len()).filter(|&i| i <= sub.len() - suffix.len());
    let (mantissa, exponent) = match exponent_position {
        None => (active.clone(), None),
        Some(i) => (
            substring(&active, 0, i),
            Some(substring(&active, i + 1, active.len())),
        ),
    };
    let (integer, fractional) = match index_of(&mantissa, &p.decimal, 0) {
        None => (mantissa.clone(), suffix.clone()),
        Some(i) => (
            mantissa[..i].to_vec(),
            substring(&mantissa, i + 1, mantissa.len()),
        ),
    };
    Parts {
        prefix,
        suffix,
        active,
        mantissa,
        exponent,
        integer,
        fractional,
        subpicture: sub,
    }
}

/// Validates a sub-picture (F&O 4.7.3); like jsonata-js, the last rule broken wins.
fn validate(parts: &Parts, p: &Props) -> Result<()> {
    let sub = &parts.subpicture;
    let mut error = None;
    let decimal_pos = index_of(sub, &p.decimal, 0);
    if decimal_pos != last_index_of(sub, &p.decimal) {
        error = Some("D3081");
    }
    if index_of(sub, &p.percent, 0) != last_index_of(sub, &p.percent) {
        error = Some("D3082");
    }
    if index_of(sub, &p.per_mille, 0) != last_index_of(sub, &p.per_mille) {
        error = Some("D3083");
    }
    if contains(sub, &p.percent) && contains(sub, &p.per_mille) {
        error = Some("D3084");
    }
    if !parts.mantissa.iter().any(|&c| p.is_digit_sign(c)) {
        error = Some("D3085");
    }
    if parts.active.iter().any(|&c| !p.is_active(c)) {
        error = Some("D3086");
    }
    match decimal_pos {
        Some(d) => {
            let before = d.checked_sub(1).and_then(|i| sub.get(i));
            let after = sub.get(d + 1);
            if before.is_some_and(|&c| is(c, &p.grouping))
                || after.is_some_and(|&c| is(c, &p.grouping))
            {
                error = Some("D3087");
            }
        }
        None => {
            if parts.integer.last().is_some_and(|&c| is(c, &p.grouping)) {
                error = Some("D3088");
            }
        }
    }
    let double_grouping: Chars = p
        .grouping
        .iter()
        .chain(p.grouping.iter())
        .copied()
        .collect();
    if contains(sub, &double_grouping) {
        error = Some("D3089");
    }
    if let Some(i) = index_of(&parts.integer, &p.digit, 0)
        && p.count_family(&parts.integer[..i]) > 0
    {
        error = Some("D3090");
    }
    if let Some(i) = last_index_of(&parts.fractional, &p.digit)
        && p.count_family(&parts.fractional[i.min(parts.fractional.len())..]) > 0
    {
        error = Some("D3091");
    }
    if let Some(exponent) = &parts.exponent {
        if !exponent.is_empty() && (contains(sub, &p.percent) || contains(sub, &p.per_mille)) {
            error = Some("D3092");
        }
        if exponent.is_empty() || exponent.iter().any(|&c| !p.is_family(c)) {
            error = Some("D3093");
        }
    }
    match error {
        Some(code) => Err(Error::new(code)),
        None => Ok(()),
    }
}

/// The analysed sub-picture (F&O 4.7.4).
#[derive(Debug, Clone)]
struct Picture {
    integer_grouping: Vec<usize>,
    regular_grouping: usize,
    min_integer: usize,
    scaling_factor: usize,
    prefix: Chars,
    fractional_grouping: Vec<usize>,
    min_fraction: usize,
    max_fraction: usize,
    min_exponent: usize,
    suffix: Chars,
    picture: Chars,
}

fn grouping_positions(part: &[char], integer: &[char], to_left: bool, p: &Props) -> Vec<usize> {
    let mut positions = Vec::new();
    let mut at = index_of(part, &p.grouping, 0);
    while let Some(g) = at {
        let side = if to_left {
            &part[..g.min(part.len())]
        } else {
            &part[g.min(part.len())..]
        };
        positions.push(side.iter().filter(|&&c| p.is_digit_sign(c)).count());
        // jsonata-js looks for the next separator in the integer part, whichever part it is in
        at = index_of(integer, &p.grouping, g + 1);
    }
    positions
}

fn analyse(parts: &Parts, p: &Props) -> Picture {
    let integer_grouping = grouping_positions(&parts.integer, &parts.integer, false, p);
    let regular_grouping = super::integer_picture::regular_interval(&integer_grouping);
    let fractional_grouping = grouping_positions(&parts.fractional, &parts.integer, true, p);
    let mut min_integer = p.count_family(&parts.integer);
    let scaling_factor = min_integer;
    let mut min_fraction = p.count_family(&parts.fractional);
    let mut max_fraction = parts
        .fractional
        .iter()
        .filter(|&&c| p.is_digit_sign(c))
        .count();
    let exponent_present = parts.exponent.is_some();
    if min_integer == 0 && max_fraction == 0 {
        if exponent_present {
            min_fraction = 1;
            max_fraction = 1;
        } else {
            min_integer = 1;
        }
    }
    if exponent_present && min_integer == 0 && contains(&parts.integer, &p.digit) {
        min_integer = 1;
    }
    if min_integer == 0 && min_fraction == 0 {
        min_fraction = 1;
    }
    let min_exponent = parts.exponent.as_ref().map_or(0, |e| p.count_family(e));
    Picture {
        integer_grouping,
        regular_grouping,
        min_integer,
        scaling_factor,
        prefix: parts.prefix.clone(),
        fractional_grouping,
        min_fraction,
        max_fraction,
        min_exponent,
        suffix: parts.suffix.clone(),
        picture: parts.subpicture.clone(),
    }
}

/// `Math.abs(value).toFixed(dp)` in the digit family.
fn make_string(value: f64, dp: usize, p: &Props) -> Chars {
    let v = value.abs();
    let s = if v >= 1e21 {
        format_number(v)
    } else {
        format!("{v:.dp$}")
    };
    s.chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => p.family[d as usize],
            None => c,
        })
        .collect()
}

fn insert(s: &mut Chars, at: usize, what: &[char]) {
    let at = at.min(s.len());
    s.splice(at..at, what.iter().copied());
}

/// Formats a number with a decimal picture (`#,##0.00`, `0.0e0`, `##%`, …).
pub(crate) fn format(value: f64, picture: &str, format: &DecimalFormat) -> Result<String> {
    let p = Props::new(format);
    let picture = chars(picture);
    let mut subpictures: Vec<Chars> = Vec::new();
    let mut rest = picture.as_slice();
    while let Some(i) = index_of(rest, &p.pattern, 0).filter(|_| !p.pattern.is_empty()) {
        subpictures.push(rest[..i].to_vec());
        rest = &rest[i + p.pattern.len()..];
    }
    subpictures.push(rest.to_vec());
    if subpictures.len() > 2 {
        return Err(Error::new("D3080"));
    }
    let parts: Vec<Parts> = subpictures
        .into_iter()
        .map(|s| split_parts(s, &p))
        .collect();
    for part in &parts {
        validate(part, &p)?;
    }
    let mut variables: Vec<Picture> = parts.iter().map(|part| analyse(part, &p)).collect();
    let minus = chars(&format.minus_sign);
    if variables.len() == 1 {
        let mut negative = variables[0].clone();
        negative.prefix = minus
            .iter()
            .chain(negative.prefix.iter())
            .copied()
            .collect();
        variables.push(negative);
    }
    let pic = if value >= 0.0 {
        &variables[0]
    } else {
        &variables[1]
    };
    let adjusted = if contains(&pic.picture, &p.percent) {
        value * 100.0
    } else if contains(&pic.picture, &p.per_mille) {
        value * 1000.0
    } else {
        value
    };
    let mut mantissa = adjusted;
    let mut exponent = None;
    if pic.min_exponent != 0 {
        let max_mantissa = 10f64.powi(pic.scaling_factor as i32);
        let min_mantissa = 10f64.powi(pic.scaling_factor as i32 - 1);
        let mut e = 0i32;
        if mantissa != 0.0 && mantissa.is_finite() {
            while mantissa.abs() < min_mantissa {
                mantissa *= 10.0;
                e -= 1;
            }
            while mantissa.abs() > max_mantissa {
                mantissa /= 10.0;
                e += 1;
            }
        }
        exponent = Some(e);
    }
    let rounded = round_half_even(mantissa, pic.max_fraction as i32);
    let mut s = make_string(rounded, pic.max_fraction, &p);
    match s.iter().position(|&c| c == '.') {
        None => s.extend(p.decimal.iter().copied()),
        Some(i) => {
            s.splice(i..=i, p.decimal.iter().copied());
        }
    }
    if p.zero.len() == 1 {
        let zero = p.zero[0];
        let lead = s.iter().take_while(|&&c| c == zero).count();
        s.drain(..lead);
        let trail = s.iter().rev().take_while(|&&c| c == zero).count();
        s.truncate(s.len() - trail);
    }
    let zero_pad = |n: usize| -> Chars { (0..n).flat_map(|_| p.zero.iter().copied()).collect() };
    let mut decimal_pos = index_of(&s, &p.decimal, 0).unwrap_or(s.len());
    let pad_left = pic.min_integer.saturating_sub(decimal_pos);
    let fraction_len = s.len().saturating_sub(decimal_pos + 1);
    let pad_right = pic.min_fraction.saturating_sub(fraction_len);
    insert(&mut s, 0, &zero_pad(pad_left));
    s.extend(zero_pad(pad_right));
    decimal_pos = index_of(&s, &p.decimal, 0).unwrap_or(s.len());
    if let Some(groups) = decimal_pos
        .saturating_sub(1)
        .checked_div(pic.regular_grouping)
    {
        for group in 1..=groups {
            insert(
                &mut s,
                decimal_pos - group * pic.regular_grouping,
                &p.grouping,
            );
        }
    } else {
        for &pos in &pic.integer_grouping {
            if let Some(at) = decimal_pos.checked_sub(pos) {
                insert(&mut s, at, &p.grouping);
            }
            decimal_pos += 1;
        }
    }
    decimal_pos = index_of(&s, &p.decimal, 0).unwrap_or(s.len());
    for &pos in &pic.fractional_grouping {
        insert(&mut s, pos + decimal_pos + 1, &p.grouping);
    }
    decimal_pos = index_of(&s, &p.decimal, 0).unwrap_or(s.len());
    if !contains(&pic.picture, &p.decimal) || decimal_pos + 1 == s.len() {
        s.pop();
    }
    if let Some(e) = exponent {
        let mut digits = make_string(f64::from(e), 0, &p);
        let pad = pic.min_exponent.saturating_sub(digits.len());
        insert(&mut digits, 0, &zero_pad(pad));
        s.extend(p.exponent.iter().copied());
        if e < 0 {
            s.extend(minus.iter().copied());
        }
        s.extend(digits);
    }
    let mut out: String = pic.prefix.iter().collect();
    out.extend(s);
    out.extend(pic.suffix.iter());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(v: f64, pic: &str) -> String {
        format(v, pic, &DecimalFormat::default()).unwrap_or_else(|e| e.code.to_owned())
    }

    #[test]
    fn pictures() {
        assert_eq!(f(12345.6, "#,###.00"), "12,345.60");
        assert_eq!(f(123412345678.9, "9,9,99.99"), "123412345,6,78.90");
        assert_eq!(f(1234.56789, "9,999.999,999"), "1,234.567,890");
        assert_eq!(f(0.234, "#.00e0"), "0.23e0");
        assert_eq!(f(-42.0, "0e0"), "-4e1");
        assert_eq!(f(1e20, "#,######"), "100,000000,000000,000000");
        assert_eq!(f(20.0, "#0.#0e0"), "D3091");
        assert_eq!(f(42.0, "%%"), "D3086");
    }
}
