//! The intrinsic function call parser and its static checks.

use serde_json::Number;

use super::format::{Piece, parse_template};
use super::{Arg, IntrinsicCall, IntrinsicFunction, IntrinsicParseError, Kind};
use crate::path::JsonPath;

/// AWS allows up to 10 nested calls in one field.
pub(crate) const MAX_NESTING: usize = 10;

pub(crate) fn parse(text: &str) -> Result<IntrinsicCall, IntrinsicParseError> {
    let mut p = Parser { text, pos: 0 };
    let mut call = p.call(1)?;
    p.skip_ws();
    if let Some(c) = p.peek() {
        return Err(p.error(format!("unexpected '{c}' after the call")));
    }
    // Keep the text exactly as written (trailing blanks included), so a definition
    // serializes back unchanged.
    call.text = text.into();
    Ok(call)
}

struct Parser<'t> {
    text: &'t str,
    pos: usize,
}

impl<'t> Parser<'t> {
    fn error(&self, reason: impl std::fmt::Display) -> IntrinsicParseError {
        let position = self
            .text
            .get(..self.pos)
            .map_or(self.pos, |s| s.chars().count());
        IntrinsicParseError {
            message: format!(
                "invalid intrinsic function call '{}': {reason} at position {position}",
                self.text
            ),
        }
    }

    fn rest(&self) -> &'t str {
        let text = self.text;
        text.get(self.pos..).unwrap_or("")
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.bump();
        }
    }

    fn call(&mut self, depth: usize) -> Result<IntrinsicCall, IntrinsicParseError> {
        let start = self.pos;
        if depth > MAX_NESTING {
            return Err(self.error(format!(
                "intrinsic functions may be nested at most {MAX_NESTING} deep"
            )));
        }
        if !self.rest().starts_with("States.") {
            return Err(self.error("expected an intrinsic function call 'States.Name(…)'"));
        }
        self.pos += "States.".len();
        let name_start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_alphanumeric()) {
            self.bump();
        }
        let name = &self.text[start..self.pos];
        let Some(function) = IntrinsicFunction::from_name(name) else {
            self.pos = name_start;
            let known: Vec<&str> = IntrinsicFunction::ALL.iter().map(|f| f.name()).collect();
            return Err(self.error(format!(
                "unknown function '{name}'; expected one of {}",
                known.join(", ")
            )));
        };
        if self.peek() != Some('(') {
            return Err(self.error(format!("expected '(' after {name}")));
        }
        self.bump();
        let mut args = Vec::new();
        let mut template = None;
        self.skip_ws();
        if self.peek() == Some(')') {
            self.bump();
        } else {
            loop {
                self.skip_ws();
                let arg_start = self.pos;
                let (arg, raw) = self.arg(depth)?;
                if function == IntrinsicFunction::Format
                    && args.is_empty()
                    && let Some(raw) = raw
                {
                    template = Some(parse_template(raw));
                }
                args.push((arg, arg_start));
                self.skip_ws();
                match self.bump() {
                    Some(',') => continue,
                    Some(')') => break,
                    Some(c) => {
                        self.pos -= c.len_utf8();
                        return Err(self.error(format!("expected ',' or ')' but found '{c}'")));
                    }
                    None => return Err(self.error(format!("unclosed call to {name}"))),
                }
            }
        }
        let end = self.pos;
        let call_text = &self.text[start..end];
        self.check(function, &args, template.as_deref(), start)?;
        Ok(IntrinsicCall {
            text: call_text.into(),
            function,
            args: args.into_iter().map(|(a, _)| a).collect(),
            template,
        })
    }

    /// Arity, literal types and the `States.Format` placeholder count.
    fn check(
        &mut self,
        function: IntrinsicFunction,
        args: &[(Arg, usize)],
        template: Option<&[Piece]>,
        start: usize,
    ) -> Result<(), IntrinsicParseError> {
        let (min, max) = function.arity();
        let name = function.name();
        if args.len() < min || max.is_some_and(|max| args.len() > max) {
            self.pos = start;
            let expected = match max {
                Some(max) if max == min => format!("exactly {min}"),
                Some(max) => format!("{min} to {max}"),
                None => format!("at least {min}"),
            };
            let plural = if max == Some(1) && min == 1 { "" } else { "s" };
            return Err(self.error(format!(
                "{name} takes {expected} argument{plural}, not {}",
                args.len()
            )));
        }
        for (i, (arg, position)) in args.iter().enumerate() {
            let expected = function.parameter(i);
            if let Some(found) = arg.static_kind()
                && !expected.accepts(found)
            {
                self.pos = *position;
                return Err(self.error(format!(
                    "argument {} of {name} must be {}, not {}",
                    i + 1,
                    expected.describe(),
                    found.describe()
                )));
            }
            let literal_problem = match (function, i, arg) {
                (IntrinsicFunction::Hash, 1, Arg::String(algorithm)) if sfn_jsonata::digest::ALGORITHMS
                    .iter()
                    .all(|a| a != algorithm) =>
                {
                    Some(format!(
                        "'{algorithm}' is not a hash algorithm; expected one of {}",
                        sfn_jsonata::digest::ALGORITHMS.join(", ")
                    ))
                }
                (IntrinsicFunction::JsonMerge, 2, Arg::Bool(true)) => {
                    Some("States.JsonMerge supports only a shallow merge: its third argument must be false".into())
                }
                _ => None,
            };
            if let Some(problem) = literal_problem {
                self.pos = *position;
                return Err(self.error(problem));
            }
        }
        if let Some(pieces) = template {
            let placeholders = pieces
                .iter()
                .filter(|p| matches!(p, Piece::Placeholder))
                .count();
            if placeholders != args.len() - 1 {
                self.pos = start;
                return Err(self.error(format!(
                    "the template of States.Format has {placeholders} placeholder(s) '{{}}' but {} argument(s) follow it",
                    args.len() - 1
                )));
            }
        }
        Ok(())
    }

    /// One argument; for a string literal also its text as written between the quotes.
    fn arg(&mut self, depth: usize) -> Result<(Arg, Option<&'t str>), IntrinsicParseError> {
        match self.peek() {
            Some('\'') => {
                let (value, raw) = self.string()?;
                Ok((Arg::String(value), Some(raw)))
            }
            Some('$') => Ok((Arg::Path(self.path()?), None)),
            Some('S') if self.rest().starts_with("States.") => {
                Ok((Arg::Call(Box::new(self.call(depth + 1)?)), None))
            }
            Some(c) if c == '-' || c.is_ascii_digit() => Ok((Arg::Number(self.number()?), None)),
            Some(_) => {
                for (word, arg) in [
                    ("true", Arg::Bool(true)),
                    ("false", Arg::Bool(false)),
                    ("null", Arg::Null),
                ] {
                    let rest = self.rest();
                    if rest.starts_with(word)
                        && !rest[word.len()..]
                            .chars()
                            .next()
                            .is_some_and(|c| c.is_alphanumeric() || c == '_')
                    {
                        self.pos += word.len();
                        return Ok((arg, None));
                    }
                }
                match self.peek() {
                    Some(c) => Err(self.error(format!(
                        "unexpected '{c}': an argument is a 'string', a number, true, false, null, a path or a call"
                    ))),
                    None => Err(self.error("expected an argument")),
                }
            }
            None => Err(self.error("expected an argument but the call ended")),
        }
    }

    /// A single-quoted string. AWS accepts only `\'`, `\{`, `\}` and `\\` as escapes.
    fn string(&mut self) -> Result<(String, &'t str), IntrinsicParseError> {
        self.bump();
        let start = self.pos;
        let mut value = String::new();
        loop {
            match self.bump() {
                None => return Err(self.error("unterminated string literal")),
                Some('\'') => break,
                Some('\\') => match self.bump() {
                    Some(c @ ('\'' | '{' | '}' | '\\')) => value.push(c),
                    Some(c) => {
                        self.pos -= c.len_utf8() + 1;
                        return Err(self.error(format!(
                            "'\\{c}' is not a valid escape sequence; only \\', \\{{, \\}} and \\\\ are"
                        )));
                    }
                    None => return Err(self.error("unterminated string literal")),
                },
                Some(c) => value.push(c),
            }
        }
        let text = self.text;
        Ok((value, &text[start..self.pos - 1]))
    }

    fn number(&mut self) -> Result<Number, IntrinsicParseError> {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E'))
        {
            self.bump();
        }
        let text = &self.text[start..self.pos];
        text.parse::<Number>().map_err(|_| {
            self.pos = start;
            self.error(format!("'{text}' is not a valid number"))
        })
    }

    /// A path runs to the next `,` or `)` outside brackets, parentheses and quotes.
    fn path(&mut self) -> Result<JsonPath, IntrinsicParseError> {
        let start = self.pos;
        let mut depth = 0usize;
        let mut quote: Option<char> = None;
        while let Some(c) = self.peek() {
            if let Some(q) = quote {
                self.bump();
                if c == '\\' {
                    self.bump();
                } else if c == q {
                    quote = None;
                }
                continue;
            }
            match c {
                '\'' | '"' if depth > 0 => quote = Some(c),
                '[' | '(' => depth += 1,
                ']' | ')' if depth > 0 => depth -= 1,
                ',' | ')' => break,
                _ => {}
            }
            self.bump();
        }
        let text = self.text[start..self.pos].trim_end();
        JsonPath::parse(text).map_err(|e| {
            self.pos = start;
            self.error(format!("invalid path argument: {}", e.message))
        })
    }
}

impl Arg {
    /// The type of a literal or of a call's result, when known before evaluation.
    pub(super) fn static_kind(&self) -> Option<Kind> {
        match self {
            Arg::String(_) => Some(Kind::String),
            Arg::Number(_) => Some(Kind::Number),
            Arg::Bool(_) => Some(Kind::Bool),
            Arg::Null => Some(Kind::Null),
            Arg::Path(_) => None,
            Arg::Call(call) => call.function.returns(),
        }
    }
}
