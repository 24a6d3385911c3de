//! Why a text is not JSON, worded as AWS words it: AWS reads JSON (definitions,
//! execution input) with a Java reader (Jackson) and passes its messages on, such as
//! `Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token
//! 'null', 'true' or 'false')` or `Unexpected character (''' (code 39)): was expecting
//! double-quote to start field name`.

/// The end of Jackson's message about a token that is no JSON value.
const EXPECTED_VALUE: &str =
    "was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')";

/// Jackson's message for the first fault in `text`, which is not JSON; `None` when the
/// fault is one this reading does not word (the caller then words it from `serde_json`'s
/// error), and for blank text, which each caller words in its own way.
#[must_use]
pub fn problem(text: &str) -> Option<String> {
    located(text).map(|(message, _)| message)
}

/// Jackson's message for the first fault in `text`, as [`problem`], with where Jackson
/// reports it: the number of characters before the point just past the offending token
/// (past the character it did not expect, the word it did not know, or at the end).
pub(super) fn located(text: &str) -> Option<(String, usize)> {
    if text.trim().is_empty() {
        return None;
    }
    let mut scan = Scan {
        chars: text.chars().collect(),
        at: 0,
    };
    match scan.value().and_then(|()| scan.trailing()) {
        Err(fault) => fault,
        Ok(()) => None,
    }
}

/// A fault: Jackson's message and where it reports it (see [`located`]), or `None` for
/// one this scan does not word.
type Fault = Option<(String, usize)>;

/// A character as Jackson quotes it: `'x' (code 120)`, or `CTRL-CHAR, code 9`.
fn quote(c: char) -> String {
    let code = u32::from(c);
    if c.is_control() {
        format!("(CTRL-CHAR, code {code})")
    } else {
        format!("('{c}' (code {code}))")
    }
}

/// A character the reader takes into a bare word (a Java identifier's), which it then
/// reports whole when the word is not `true`, `false` or `null`.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

/// A cursor over the text, checking it as Jackson reads it.
struct Scan {
    chars: Vec<char>,
    at: usize,
}

impl Scan {
    /// The character at the cursor was not expected: reported past it.
    fn unexpected(&self, c: char, expecting: &str) -> Fault {
        Some((
            format!("Unexpected character {}: {expecting}", quote(c)),
            self.at + 1,
        ))
    }

    /// The text ended: reported at its end.
    fn end_of_input(&self, message: impl Into<String>) -> Fault {
        Some((message.into(), self.chars.len()))
    }

    fn end_of_container(&self, container: &str) -> Fault {
        self.end_of_input(format!(
            "Unexpected end-of-input: expected close marker for {container}"
        ))
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    /// The next character after whitespace, not consumed.
    fn next_token(&mut self) -> Option<char> {
        while self
            .peek()
            .is_some_and(|c| matches!(c, ' ' | '\t' | '\n' | '\r'))
        {
            self.at += 1;
        }
        self.peek()
    }

    fn value(&mut self) -> Result<(), Fault> {
        let Some(c) = self.next_token() else {
            return Err(self.end_of_input("Unexpected end-of-input: expected a JSON value"));
        };
        match c {
            '{' => self.object(),
            '[' => self.array(),
            '"' => self.string(),
            '-' | '0'..='9' => self.number(),
            c if is_word_char(c) => self.word(),
            c => Err(self.unexpected(
                c,
                "expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
            )),
        }
    }

    /// A bare word: `true`, `false` or `null`, else an unrecognized token.
    fn word(&mut self) -> Result<(), Fault> {
        let start = self.at;
        while self.peek().is_some_and(is_word_char) {
            self.at += 1;
        }
        let word: String = self.chars[start..self.at].iter().collect();
        match word.as_str() {
            "true" | "false" | "null" => Ok(()),
            _ => Err(Some((
                format!("Unrecognized token '{word}': {EXPECTED_VALUE}"),
                self.at,
            ))),
        }
    }

    /// A number's characters; serde_json's message words the faults within one.
    fn number(&mut self) -> Result<(), Fault> {
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E'))
        {
            self.at += 1;
        }
        Ok(())
    }

    fn string(&mut self) -> Result<(), Fault> {
        self.at += 1;
        loop {
            match self.peek() {
                None => {
                    return Err(self.end_of_input(
                        "Unexpected end-of-input: was expecting closing quote for a string value",
                    ));
                }
                Some('"') => {
                    self.at += 1;
                    return Ok(());
                }
                Some('\\') => self.at += 2,
                Some(c) if u32::from(c) < 0x20 => {
                    return Err(Some((
                        format!(
                            "Illegal unquoted character ({}): has to be escaped using backslash to be included in string value",
                            quote(c)
                        ),
                        self.at + 1,
                    )));
                }
                Some(_) => self.at += 1,
            }
        }
    }

    fn object(&mut self) -> Result<(), Fault> {
        self.at += 1;
        if self.next_token() == Some('}') {
            self.at += 1;
            return Ok(());
        }
        loop {
            match self.next_token() {
                Some('"') => self.string()?,
                Some(c) => {
                    return Err(
                        self.unexpected(c, "was expecting double-quote to start field name")
                    );
                }
                None => return Err(self.end_of_container("Object")),
            }
            match self.next_token() {
                Some(':') => self.at += 1,
                Some(c) => {
                    return Err(self
                        .unexpected(c, "was expecting a colon to separate field name and value"));
                }
                None => return Err(self.end_of_container("Object")),
            }
            self.value()?;
            match self.next_token() {
                Some(',') => self.at += 1,
                Some('}') => {
                    self.at += 1;
                    return Ok(());
                }
                Some(c) => {
                    return Err(
                        self.unexpected(c, "was expecting comma to separate Object entries")
                    );
                }
                None => return Err(self.end_of_container("Object")),
            }
        }
    }

    fn array(&mut self) -> Result<(), Fault> {
        self.at += 1;
        if self.next_token() == Some(']') {
            self.at += 1;
            return Ok(());
        }
        loop {
            if self.next_token().is_none() {
                return Err(self.end_of_container("Array"));
            }
            self.value()?;
            match self.next_token() {
                Some(',') => self.at += 1,
                Some(']') => {
                    self.at += 1;
                    return Ok(());
                }
                Some(c) => {
                    return Err(self.unexpected(c, "was expecting comma to separate Array entries"));
                }
                None => return Err(self.end_of_container("Array")),
            }
        }
    }

    /// Anything after the value: serde_json's message words it.
    fn trailing(&mut self) -> Result<(), Fault> {
        match self.next_token() {
            None => Ok(()),
            Some(_) => Err(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::problem;

    fn message(text: &str) -> Option<String> {
        assert!(
            serde_json::from_str::<serde_json::Value>(text).is_err(),
            "{text} is JSON"
        );
        problem(text)
    }

    #[test]
    fn faults_are_worded_as_aws_words_them() {
        assert_eq!(
            message("not some json").as_deref(),
            Some(
                "Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"
            )
        );
        assert_eq!(
            message("{'not': 'json'").as_deref(),
            Some(
                "Unexpected character (''' (code 39)): was expecting double-quote to start field name"
            )
        );
        assert_eq!(
            message("[1 2]").as_deref(),
            Some(
                "Unexpected character ('2' (code 50)): was expecting comma to separate Array entries"
            )
        );
        assert_eq!(
            message("{\"a\": 1").as_deref(),
            Some("Unexpected end-of-input: expected close marker for Object")
        );
        assert_eq!(message("{} x"), None);
        assert_eq!(message("  "), None);
    }
}
