//! Timestamps, as `Wait` and the `Timestamp…` choice rules read them.

use chrono::{DateTime, FixedOffset};

/// Parses an ISO-8601 extended offset date-time (`2016-03-14T01:59:00Z`,
/// `2016-03-14T01:59:00.123+01:00`), the only format Step Functions accepts: a `T`
/// between date and time and an offset are required.
pub fn parse_timestamp(text: &str) -> Option<DateTime<FixedOffset>> {
    let bytes = text.as_bytes();
    if bytes.len() < 20
        || bytes.get(10) != Some(&b'T')
        || !bytes[..4].iter().all(u8::is_ascii_digit)
    {
        return None;
    }
    let last = *bytes.last()?;
    if last == b'z' {
        return None;
    }
    DateTime::parse_from_rfc3339(text).ok()
}

/// Whether `text` is a timestamp [`parse_timestamp`] accepts.
pub fn is_timestamp(text: &str) -> bool {
    parse_timestamp(text).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_and_rejected() {
        assert!(is_timestamp("2016-03-14T01:59:00Z"));
        assert!(is_timestamp("2016-03-14T01:59:00.123+01:00"));
        assert!(!is_timestamp("2016-12-05T25:29:29Z"));
        assert!(!is_timestamp("2016-12-05T21:29:29"));
        assert!(!is_timestamp("2016-12-05 21:29:29Z"));
        assert!(!is_timestamp("05-12-2016T21:29:29Z"));
        assert!(!is_timestamp("2016-13-05T21:29:29Z"));
    }
}
