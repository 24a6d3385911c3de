//! A definition that is not JSON, described the way AWS describes it.
//!
//! AWS reads definitions with a Java JSON reader and passes its words on: the problem
//! (worded by [`super::jackson`]), then ` at [Source: (String)"<the text>"; line: L,
//! column: C]`, which is also the diagnostic's location. An unknown bare word is
//! `Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')`,
//! with the column just past the word; an unquoted field name is
//! `Unexpected character (''' (code 39)): was expecting double-quote to start field name`,
//! with the column just past the quote. Jackson's scan says where the fault is; for a
//! fault it does not word, `serde_json`'s error says what and where.

/// How much of the text the source description quotes; the rest is counted.
const QUOTED_CHARS: usize = 500;

/// What AWS says of a JSON syntax error: the message and the location, where
/// [`super::jackson`] finds the fault, else from the error `serde_json` found in `text`.
pub(super) fn describe(text: &str, error: &serde_json::Error) -> (String, String) {
    let (problem, line, column) = match super::jackson::located(text) {
        Some((problem, end)) => {
            let (line, column) = line_column(text, end);
            (problem, line, column)
        }
        None => (reworded(error), error.line(), error.column()),
    };
    let source = source(text, line, column);
    (format!("{problem}\n at {source}"), source)
}

/// `[Source: (String)"…"; line: L, column: C]`.
fn source(text: &str, line: usize, column: usize) -> String {
    let total = text.chars().count();
    let quoted: String = text.chars().take(QUOTED_CHARS).collect();
    let rest = if total > QUOTED_CHARS {
        format!("[truncated {} chars]", total - QUOTED_CHARS)
    } else {
        String::new()
    };
    format!("[Source: (String)\"{quoted}\"{rest}; line: {line}, column: {column}]")
}

/// The 1-based line and column of the point `end` characters into `text`.
fn line_column(text: &str, end: usize) -> (usize, usize) {
    let (mut line, mut column) = (1, 1);
    for c in text.chars().take(end) {
        if c == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    (line, column)
}

/// serde_json's description without its own position (the source says where).
fn reworded(error: &serde_json::Error) -> String {
    let s = error.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_owned(),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn described(text: &str) -> (String, String) {
        match serde_json::from_str::<serde_json::Value>(text) {
            Err(e) => describe(text, &e),
            Ok(_) => panic!("{text} is JSON"),
        }
    }

    #[test]
    fn a_bare_word_is_an_unrecognized_token() {
        let (message, location) = described("not a definition");
        assert_eq!(
            location,
            "[Source: (String)\"not a definition\"; line: 1, column: 4]"
        );
        assert_eq!(
            message,
            "Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at [Source: (String)\"not a definition\"; line: 1, column: 4]"
        );
        let (message, _) = described("{\"a\": yes}");
        assert!(message.starts_with("Unrecognized token 'yes'"), "{message}");
    }

    #[test]
    fn a_field_name_must_be_quoted() {
        let (message, location) = described("{'not': 'json'");
        assert_eq!(
            message,
            format!(
                "Unexpected character (''' (code 39)): was expecting double-quote to start field name\n at {location}"
            )
        );
        assert!(location.ends_with("; line: 1, column: 3]"), "{location}");
    }

    #[test]
    fn other_errors_are_worded_and_say_where() {
        let (message, location) = described("{\"a\": 1");
        assert!(
            message.starts_with("Unexpected end-of-input: expected close marker for Object"),
            "{message}"
        );
        // A fault Jackson's words are not known for keeps serde_json's.
        let (message, _) = described("{} x");
        assert!(message.starts_with("trailing characters"), "{message}");
        assert!(
            location.starts_with("[Source: (String)\"{\"a\": 1\"; line: 1, column: "),
            "{location}"
        );
    }

    #[test]
    fn the_column_is_just_past_the_offending_token() {
        let (_, location) = described("[1 2]");
        assert!(location.ends_with("; line: 1, column: 5]"), "{location}");
        let (message, location) = described("{\"a\":\n  nope}");
        assert!(
            message.starts_with("Unrecognized token 'nope'"),
            "{message}"
        );
        assert!(location.ends_with("; line: 2, column: 7]"), "{location}");
        let (_, location) = described("\"abc");
        assert!(location.ends_with("; line: 1, column: 5]"), "{location}");
    }

    #[test]
    fn long_texts_are_quoted_in_part() {
        let text = format!("[{}", "1,".repeat(400));
        let (_, location) = described(&text);
        assert!(
            location.contains("\"[truncated 301 chars]; line: 1"),
            "{location}"
        );
    }
}
