//! AWS's limits on what a worker sends: error names, causes and outputs.

/// The longest error name `SendTaskFailure` takes, in characters.
pub const MAX_ERROR_CHARS: usize = 256;

/// The longest cause `SendTaskFailure` takes, in characters.
pub const MAX_CAUSE_CHARS: usize = 32_768;

/// The largest output `SendTaskSuccess` takes, in bytes of UTF-8.
pub const MAX_OUTPUT_BYTES: usize = sfn_core::eval::limits::MAX_PAYLOAD_BYTES;

/// What ends a text cut to a limit.
pub const TRUNCATED: &str = "…[truncated]";

/// `text` cut to at most `max` characters, on a character boundary, ending with
/// [`TRUNCATED`] when it was cut (or a prefix of the marker when `max` is smaller than
/// the marker).
///
/// ```
/// use sfn_runtime::worker::limits::truncate;
///
/// assert_eq!(truncate("short", 10), "short");
/// assert_eq!(truncate("ééééééééééééééééééé", 15), "ééé…[truncated]");
/// ```
pub fn truncate(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    if text.len() <= max || text.chars().nth(max).is_none() {
        return std::borrow::Cow::Borrowed(text);
    }
    let marker_chars = TRUNCATED.chars().count();
    if max <= marker_chars {
        return TRUNCATED.chars().take(max).collect::<String>().into();
    }
    let keep = max - marker_chars;
    let end = text.char_indices().nth(keep).map_or(text.len(), |(i, _)| i);
    let mut out = String::with_capacity(end + TRUNCATED.len());
    out.push_str(&text[..end]);
    out.push_str(TRUNCATED);
    out.into()
}

/// The error name cut to [`MAX_ERROR_CHARS`].
pub fn error_name(error: &str) -> std::borrow::Cow<'_, str> {
    truncate(error, MAX_ERROR_CHARS)
}

/// The cause cut to [`MAX_CAUSE_CHARS`].
pub fn cause(cause: &str) -> std::borrow::Cow<'_, str> {
    truncate(cause, MAX_CAUSE_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_within_the_limit_are_kept() {
        assert_eq!(truncate("", 0), "");
        assert_eq!(truncate("abc", 3), "abc");
        let name = "E".repeat(MAX_ERROR_CHARS);
        assert!(matches!(error_name(&name), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn long_texts_are_cut_on_character_boundaries_with_a_marker() {
        let long = "€".repeat(MAX_CAUSE_CHARS + 10);
        let cut = cause(&long);
        assert_eq!(cut.chars().count(), MAX_CAUSE_CHARS);
        assert!(cut.ends_with(TRUNCATED));
        assert!(cut.starts_with("€€€"));
        let name = error_name(&"x".repeat(1000)).into_owned();
        assert_eq!(name.chars().count(), MAX_ERROR_CHARS);
        assert!(name.ends_with(TRUNCATED));
        // One character over is cut too.
        assert_eq!(truncate("abcdefghijklmnopq", 16).chars().count(), 16);
    }

    #[test]
    fn a_limit_below_the_marker_keeps_a_prefix_of_it() {
        assert_eq!(truncate("abcdef", 3), "…[t");
        assert_eq!(truncate("abcdef", 0), "");
    }
}
