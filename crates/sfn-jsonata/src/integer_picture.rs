//! Integer picture strings (XPath F&O 3.1 `format-integer`), as jsonata-js's `datetime.js`
//! implements them: decimal digit patterns with grouping separators and any Unicode decimal
//! digit family, `a`/`A` letters, `i`/`I` roman numerals, `w`/`W`/`Ww` English words and
//! the `;o` ordinal modifier. Used by `$formatInteger`, `$parseInteger` and the integer
//! components of date/time pictures.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::errors::{Error, Result};
use super::value::format_number;

/// The zero of every Unicode decimal digit family jsonata-js recognises.
const DECIMAL_GROUPS: [u32; 37] = [
    0x30, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
    0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80,
    0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0,
    0xFF10,
];

const FEW: [&str; 20] = [
    "Zero",
    "One",
    "Two",
    "Three",
    "Four",
    "Five",
    "Six",
    "Seven",
    "Eight",
    "Nine",
    "Ten",
    "Eleven",
    "Twelve",
    "Thirteen",
    "Fourteen",
    "Fifteen",
    "Sixteen",
    "Seventeen",
    "Eighteen",
    "Nineteen",
];
const ORDINALS: [&str; 20] = [
    "Zeroth",
    "First",
    "Second",
    "Third",
    "Fourth",
    "Fifth",
    "Sixth",
    "Seventh",
    "Eighth",
    "Ninth",
    "Tenth",
    "Eleventh",
    "Twelfth",
    "Thirteenth",
    "Fourteenth",
    "Fifteenth",
    "Sixteenth",
    "Seventeenth",
    "Eighteenth",
    "Nineteenth",
];
const DECADES: [&str; 9] = [
    "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety", "Hundred",
];
const MAGNITUDES: [&str; 4] = ["Thousand", "Million", "Billion", "Trillion"];

/// The largest value written in roman numerals (beyond it the output is only `m`s; jsonata-js
/// overflows its stack long before).
const MAX_ROMAN: f64 = 10_000_000.0;

/// How an integer is written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Primary {
    /// Decimal digits.
    Decimal,
    /// `a`, `b`, … `z`, `aa`, …
    Letters,
    /// Roman numerals.
    Roman,
    /// English words.
    Words,
    /// A numbering sequence jsonata-js does not support (the picture, for `D3130`).
    Sequence(String),
}

/// Letter case of letters, numerals, words and names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Case {
    Upper,
    Lower,
    Title,
}

/// Where grouping separators go in a decimal number.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Grouping {
    /// The same separator every `every` digits.
    Regular { every: usize, sep: char },
    /// Separators at these digit counts from the right, rightmost first.
    Irregular(Vec<(usize, char)>),
}

/// An analysed integer picture.
#[derive(Debug, Clone)]
pub(crate) struct IntegerFormat {
    pub(crate) primary: Primary,
    pub(crate) case: Case,
    pub(crate) ordinal: bool,
    /// The code point of the digit family's zero.
    pub(crate) zero: u32,
    pub(crate) mandatory_digits: usize,
    pub(crate) optional_digits: usize,
    pub(crate) grouping: Grouping,
    /// How many digits a parse must take (when the next component follows without a
    /// literal in between).
    pub(crate) parse_width: Option<usize>,
}

fn digit_group(c: char) -> Option<u32> {
    let cp = c as u32;
    DECIMAL_GROUPS
        .iter()
        .copied()
        .find(|&g| cp >= g && cp <= g + 9)
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// The interval of regularly spaced grouping positions, or 0.
pub(crate) fn regular_interval(positions: &[usize]) -> usize {
    let Some(factor) = positions.iter().copied().reduce(gcd) else {
        return 0;
    };
    if factor == 0 {
        return 0;
    }
    let regular = (1..=positions.len()).all(|i| positions.contains(&(i * factor)));
    if regular { factor } else { 0 }
}

/// Analyses an integer picture (`#,##0`, `w;o`, `I`, …).
pub(crate) fn analyse(picture: &str) -> Result<IntegerFormat> {
    let mut format = IntegerFormat {
        primary: Primary::Decimal,
        case: Case::Lower,
        ordinal: false,
        zero: 0x30,
        mandatory_digits: 0,
        optional_digits: 0,
        grouping: Grouping::Irregular(Vec::new()),
        parse_width: None,
    };
    let primary = match picture.rfind(';') {
        None => picture,
        Some(i) => {
            format.ordinal = picture[i + 1..].starts_with('o');
            &picture[..i]
        }
    };
    match primary {
        "A" | "a" => {
            format.case = if primary == "A" {
                Case::Upper
            } else {
                Case::Lower
            };
            format.primary = Primary::Letters;
        }
        "I" | "i" => {
            format.case = if primary == "I" {
                Case::Upper
            } else {
                Case::Lower
            };
            format.primary = Primary::Roman;
        }
        "W" => {
            format.case = Case::Upper;
            format.primary = Primary::Words;
        }
        "Ww" => {
            format.case = Case::Title;
            format.primary = Primary::Words;
        }
        "w" => format.primary = Primary::Words,
        _ => {
            let mut zero = None;
            let mut separators = Vec::new();
            let mut position = 0;
            for c in primary.chars().rev() {
                if let Some(group) = digit_group(c) {
                    format.mandatory_digits += 1;
                    position += 1;
                    match zero {
                        None => zero = Some(group),
                        Some(z) if z != group => return Err(Error::new("D3131")),
                        Some(_) => {}
                    }
                } else if c == '#' {
                    position += 1;
                    format.optional_digits += 1;
                } else {
                    separators.push((position, c));
                }
            }
            match zero {
                Some(z) if format.mandatory_digits > 0 => {
                    format.zero = z;
                    let same_char = separators.windows(2).all(|w| w[0].1 == w[1].1);
                    let positions: Vec<usize> = separators.iter().map(|s| s.0).collect();
                    let every = if same_char {
                        regular_interval(&positions)
                    } else {
                        0
                    };
                    format.grouping = match separators.first() {
                        Some(&(_, sep)) if every > 0 => Grouping::Regular { every, sep },
                        _ => Grouping::Irregular(separators),
                    };
                }
                _ => format.primary = Primary::Sequence(primary.to_owned()),
            }
        }
    }
    Ok(format)
}

fn words(num: f64, prev: bool, ordinal: bool, out: &mut String) {
    if num <= 19.0 {
        if prev {
            out.push_str(" and ");
        }
        let i = num.max(0.0) as usize;
        out.push_str(if ordinal { ORDINALS[i] } else { FEW[i] });
    } else if num < 100.0 {
        let tens = (num / 10.0).floor() as usize;
        let remainder = num % 10.0;
        if prev {
            out.push_str(" and ");
        }
        let decade = DECADES[tens - 2];
        if remainder > 0.0 {
            out.push_str(decade);
            out.push('-');
            words(remainder, false, ordinal, out);
        } else if ordinal {
            out.push_str(&decade[..decade.len() - 1]);
            out.push_str("ieth");
        } else {
            out.push_str(decade);
        }
    } else if num < 1000.0 {
        let hundreds = (num / 100.0).floor() as usize;
        let remainder = num % 100.0;
        if prev {
            out.push_str(", ");
        }
        out.push_str(FEW[hundreds]);
        out.push_str(" Hundred");
        if remainder > 0.0 {
            words(remainder, true, ordinal, out);
        } else if ordinal {
            out.push_str("th");
        }
    } else {
        let mag = ((num.log10() / 3.0).floor() as usize).clamp(1, MAGNITUDES.len());
        let factor = 10f64.powi(mag as i32 * 3);
        let mant = (num / factor).floor();
        let remainder = num - mant * factor;
        if prev {
            out.push_str(", ");
        }
        words(mant, false, false, out);
        out.push(' ');
        out.push_str(MAGNITUDES[mag - 1]);
        if remainder > 0.0 {
            words(remainder, true, ordinal, out);
        } else if ordinal {
            out.push_str("th");
        }
    }
}

/// A number in English words (title case: "Five Hundred and Fifty-Five").
fn number_to_words(value: f64, ordinal: bool) -> String {
    let mut out = String::new();
    words(value, false, ordinal, &mut out);
    out
}

fn to_roman(mut value: f64) -> String {
    const NUMERALS: [(f64, &str); 13] = [
        (1000.0, "m"),
        (900.0, "cm"),
        (500.0, "d"),
        (400.0, "cd"),
        (100.0, "c"),
        (90.0, "xc"),
        (50.0, "l"),
        (40.0, "xl"),
        (10.0, "x"),
        (9.0, "ix"),
        (5.0, "v"),
        (4.0, "iv"),
        (1.0, "i"),
    ];
    let mut out = String::new();
    for (amount, symbol) in NUMERALS {
        while value >= amount {
            out.push_str(symbol);
            value -= amount;
        }
    }
    out
}

fn to_letters(mut value: f64, a: u8) -> String {
    let mut letters = Vec::new();
    while value > 0.0 {
        letters.push(char::from(a + ((value - 1.0) % 26.0) as u8));
        value = ((value - 1.0) / 26.0).floor();
    }
    letters.iter().rev().collect()
}

fn apply_case(s: String, case: Case) -> String {
    match case {
        Case::Upper => s.to_uppercase(),
        Case::Lower => s.to_lowercase(),
        Case::Title => s,
    }
}

/// Formats an (already floored) integer with an analysed picture.
pub(crate) fn format(value: f64, format: &IntegerFormat) -> Result<String> {
    if !value.is_finite() {
        return Err(Error::new("D3137").message(format!(
            "Cannot format {} as an integer",
            format_number(value)
        )));
    }
    let negative = value < 0.0;
    let value = value.abs();
    let mut out = match &format.primary {
        Primary::Letters => to_letters(
            value,
            if format.case == Case::Upper {
                b'A'
            } else {
                b'a'
            },
        ),
        Primary::Roman => {
            if value > MAX_ROMAN {
                return Err(Error::new("D3137").message(format!(
                    "{} is too large for roman numerals",
                    format_number(value)
                )));
            }
            let r = to_roman(value);
            if format.case == Case::Upper {
                r.to_uppercase()
            } else {
                r
            }
        }
        Primary::Words => apply_case(number_to_words(value, format.ordinal), format.case),
        Primary::Decimal => format_decimal(value, format),
        Primary::Sequence(token) => return Err(Error::new("D3130").value(token.clone())),
    };
    if negative {
        out.insert(0, '-');
    }
    Ok(out)
}

fn format_decimal(value: f64, format: &IntegerFormat) -> String {
    let mut digits: Vec<char> = format_number(value).chars().collect();
    if format.mandatory_digits > digits.len() {
        let pad = format.mandatory_digits - digits.len();
        digits.splice(0..0, std::iter::repeat_n('0', pad));
    }
    if format.zero != 0x30 {
        for c in &mut digits {
            if let Some(d) = char::from_u32(*c as u32 + format.zero - 0x30) {
                *c = d;
            }
        }
    }
    match &format.grouping {
        Grouping::Regular { every, sep } => {
            let n = (digits.len().saturating_sub(1)) / every;
            for i in (1..=n).rev() {
                let pos = digits.len() - i * every;
                digits.insert(pos, *sep);
            }
        }
        Grouping::Irregular(separators) => {
            for &(position, sep) in separators.iter().rev() {
                if let Some(pos) = digits.len().checked_sub(position) {
                    digits.insert(pos, sep);
                }
            }
        }
    }
    let mut out: String = digits.iter().collect();
    if format.ordinal {
        let last = digits.last().copied();
        let before_last = digits.len().checked_sub(2).map(|i| digits[i]);
        let suffix = match last {
            _ if before_last == Some('1') => "th",
            Some('1') => "st",
            Some('2') => "nd",
            Some('3') => "rd",
            _ => "th",
        };
        out.push_str(suffix);
    }
    out
}

/// Number words (lower case) and their values: in jsonata-js's `wordValues` order, and by word.
type WordTable = (Vec<(String, f64)>, HashMap<String, f64>);

/// The value of every number word, as jsonata-js's `wordValues`.
fn word_values() -> &'static WordTable {
    static WORDS: OnceLock<WordTable> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut list: Vec<(String, f64)> = Vec::new();
        let mut add = |w: String, v: f64| {
            if let Some(e) = list.iter_mut().find(|(k, _)| *k == w) {
                e.1 = v;
            } else {
                list.push((w, v));
            }
        };
        for (i, w) in FEW.iter().enumerate() {
            add(w.to_lowercase(), i as f64);
        }
        for (i, w) in ORDINALS.iter().enumerate() {
            add(w.to_lowercase(), i as f64);
        }
        for (i, w) in DECADES.iter().enumerate() {
            let lw = w.to_lowercase();
            let v = ((i + 2) * 10) as f64;
            let ieth = format!("{}ieth", &lw[..lw.len() - 1]);
            add(lw, v);
            add(ieth, v);
        }
        add("hundredth".into(), 100.0);
        for (i, w) in MAGNITUDES.iter().enumerate() {
            let lw = w.to_lowercase();
            let v = 10f64.powi((i as i32 + 1) * 3);
            let th = format!("{lw}th");
            add(lw, v);
            add(th, v);
        }
        let map = list.iter().cloned().collect();
        (list, map)
    })
}

/// A regex alternation of every number word (for parsing dates written in words).
pub(crate) fn words_regex() -> String {
    let (list, _) = word_values();
    let mut alts: Vec<&str> = list.iter().map(|(w, _)| w.as_str()).collect();
    alts.push("and");
    alts.push(r"[\-, ]");
    format!("(?:{})+", alts.join("|"))
}

fn words_to_number(text: &str) -> f64 {
    static SPLIT: OnceLock<Option<regex::Regex>> = OnceLock::new();
    let Some(split) = SPLIT
        .get_or_init(|| regex::Regex::new(r",\s|\sand\s|[\s\\\-]").ok())
        .as_ref()
    else {
        return f64::NAN;
    };
    let (_, values) = word_values();
    let mut segs = vec![0.0f64];
    for part in split.split(text) {
        let value = values.get(part).copied().unwrap_or(f64::NAN);
        if value < 100.0 {
            let mut top = segs.pop().unwrap_or(0.0);
            if top >= 1000.0 {
                segs.push(top);
                top = 0.0;
            }
            segs.push(top + value);
        } else {
            let top = segs.pop().unwrap_or(0.0);
            segs.push(top * value);
        }
    }
    segs.iter().sum()
}

fn roman_to_number(roman: &str) -> f64 {
    let mut decimal = 0.0;
    let mut max = 1.0;
    for c in roman.chars().rev() {
        let value = match c {
            'M' => 1000.0,
            'D' => 500.0,
            'C' => 100.0,
            'L' => 50.0,
            'X' => 10.0,
            'V' => 5.0,
            'I' => 1.0,
            _ => return f64::NAN,
        };
        if value < max {
            decimal -= value;
        } else {
            max = value;
            decimal += value;
        }
    }
    decimal
}

fn letters_to_number(letters: &str, a: char) -> f64 {
    let units: Vec<u16> = letters.encode_utf16().collect();
    let mut decimal = 0.0;
    for (i, &u) in units.iter().rev().enumerate() {
        decimal += (f64::from(u) - f64::from(a as u32) + 1.0) * 26f64.powi(i as i32);
    }
    decimal
}

/// JavaScript's `parseInt(s)` (base 10): leading whitespace, a sign, then digits; `NaN`
/// when there are none.
pub(crate) fn js_parse_int(s: &str) -> f64 {
    let t = s.trim_start();
    let (negative, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let digits: &str = &t[..t.bytes().take_while(u8::is_ascii_digit).count()];
    if digits.is_empty() {
        return f64::NAN;
    }
    let v: f64 = digits.parse().unwrap_or(f64::NAN);
    if negative { -v } else { v }
}

/// Parses a string written with an analysed integer picture.
pub(crate) fn parse(value: &str, format: &IntegerFormat) -> Result<f64> {
    Ok(match &format.primary {
        Primary::Letters => {
            letters_to_number(value, if format.case == Case::Upper { 'A' } else { 'a' })
        }
        Primary::Roman => {
            if format.case == Case::Upper {
                roman_to_number(value)
            } else {
                roman_to_number(&value.to_uppercase())
            }
        }
        Primary::Words => words_to_number(&value.to_lowercase()),
        Primary::Decimal => {
            let mut digits: Vec<char> = value.chars().collect();
            if format.ordinal {
                digits.truncate(digits.len().saturating_sub(2));
            }
            match &format.grouping {
                Grouping::Regular { .. } => digits.retain(|&c| c != ','),
                Grouping::Irregular(seps) => digits.retain(|c| !seps.iter().any(|s| s.1 == *c)),
            }
            if format.zero != 0x30 {
                for c in &mut digits {
                    let shifted = (*c as u32).checked_sub(format.zero - 0x30);
                    if let Some(d) = shifted.and_then(char::from_u32) {
                        *c = d;
                    }
                }
            }
            js_parse_int(&digits.iter().collect::<String>())
        }
        Primary::Sequence(token) => return Err(Error::new("D3130").value(token.clone())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(v: f64, p: &str) -> String {
        analyse(p)
            .and_then(|f| format(v, &f))
            .unwrap_or_else(|e| e.code.to_owned())
    }

    #[test]
    fn formats() {
        assert_eq!(fmt(1234567890.0, "#:###,##0"), "1234:567,890");
        assert_eq!(fmt(1234567890.0, "##,##,##0"), "12345,67,890");
        assert_eq!(fmt(1234567890.0, "#,##0"), "1,234,567,890");
        assert_eq!(fmt(555.0, "Ww"), "Five Hundred and Fifty-Five");
        assert_eq!(fmt(1e46, "w"), "ten billion trillion trillion trillion");
        assert_eq!(fmt(123456.0, "A"), "FZPH");
        assert_eq!(fmt(1984.0, "I"), "MCMLXXXIV");
        assert_eq!(fmt(-3.0, "0000"), "-0003");
        assert_eq!(fmt(12.0, "###0;o"), "12th");
        assert_eq!(fmt(123456.0, "α"), "D3130");
    }

    #[test]
    fn parses() {
        let p = |v: &str, pic: &str| analyse(pic).and_then(|f| parse(v, &f)).ok();
        assert_eq!(p("nineteen hundred and eighty-four", "w"), Some(1984.0));
        assert_eq!(p("12345,67,890", "##,##,##0"), Some(1234567890.0));
        assert_eq!(p("xcix", "i"), Some(99.0));
        assert_eq!(p("FZPH", "A"), Some(123456.0));
    }
}
