//! Case conversions between the DSL's Rust-style names and ASL's: field names
//! (`result_path` ↔ `ResultPath`), enumeration values (`Distributed` → `DISTRIBUTED`) and
//! service actions (`send_message` → `sendMessage`).

/// `ResultPath` → `result_path`, `CSVHeaders` → `csv_headers`.
pub(crate) fn snake(pascal: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = pascal.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() {
            let prev_lower =
                i > 0 && (chars[i - 1].is_ascii_lowercase() || chars[i - 1].is_ascii_digit());
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            let prev_upper = i > 0 && chars[i - 1].is_ascii_uppercase();
            if i > 0 && (prev_lower || (prev_upper && next_lower)) {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// `result_path` → `ResultPath`: each word capitalized. ASL's own field names come from
/// sfn-core's table instead (see `fields`), which also knows `CSVHeaders`.
pub(crate) fn pascal(snake: &str) -> String {
    snake
        .split('_')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// `Distributed` → `DISTRIBUTED`, `FirstRow` → `FIRST_ROW`.
pub(crate) fn screaming(s: &str) -> String {
    snake(s).to_ascii_uppercase()
}

/// `send_message` → `sendMessage`.
pub(crate) fn camel(s: &str) -> String {
    let p = pascal(s);
    let mut c = p.chars();
    match c.next() {
        Some(f) => f.to_ascii_lowercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(
            snake("NumericGreaterThanEqualsPath"),
            "numeric_greater_than_equals_path"
        );
        assert_eq!(snake("CSVHeaders"), "csv_headers");
        assert_eq!(pascal("result_path"), "ResultPath");
        assert_eq!(screaming("Distributed"), "DISTRIBUTED");
        assert_eq!(screaming("S3Inventory"), "S3_INVENTORY");
        assert_eq!(camel("send_message"), "sendMessage");
    }
}
