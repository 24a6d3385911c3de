//! The JSONPath parser: text to [`Body`] once, so selection never looks at text again.

use serde_json::{Number, Value};

use super::PathError;
use super::PathRoot;
use super::ast::{Body, CompareOp, Filter, Operand, Selector, Step};

/// How deeply filters may nest (`?( ( ( … ) ) )`), to keep recursion bounded.
const MAX_DEPTH: usize = 64;

pub(crate) fn parse(text: &str) -> Result<(PathRoot, Body), PathError> {
    let mut p = Parser {
        text,
        pos: 0,
        depth: 0,
    };
    // Jayway trims surrounding whitespace.
    p.skip_ws();
    let root = p.root()?;
    let body = p.body(false)?;
    p.skip_ws();
    if let Some(c) = p.peek() {
        return Err(p.error(format!("unexpected character '{c}'")));
    }
    Ok((root, body))
}

/// Whether `name` is a valid variable name: letters, digits and `_`, not starting with a digit.
pub(crate) fn is_variable_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
}

struct Parser<'t> {
    text: &'t str,
    pos: usize,
    depth: usize,
}

impl<'t> Parser<'t> {
    fn error(&self, reason: impl std::fmt::Display) -> PathError {
        let position = self
            .text
            .get(..self.pos)
            .map_or(self.pos, |s| s.chars().count());
        PathError {
            message: format!(
                "invalid JSONPath '{}': {reason} at position {position}",
                self.text
            ),
        }
    }

    fn rest(&self) -> &str {
        self.text.get(self.pos..).unwrap_or("")
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn peek2(&self) -> Option<char> {
        self.rest().chars().nth(1)
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }

    fn eat_str(&mut self, s: &str) -> bool {
        if self.rest().starts_with(s) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: char) -> Result<(), PathError> {
        if self.eat(c) {
            Ok(())
        } else {
            match self.peek() {
                Some(found) => Err(self.error(format!("expected '{c}' but found '{found}'"))),
                None => Err(self.error(format!("expected '{c}' but the path ended"))),
            }
        }
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.bump();
        }
    }

    fn root(&mut self) -> Result<PathRoot, PathError> {
        if !self.eat('$') {
            return Err(self.error("a path must start with '$'"));
        }
        match self.peek() {
            Some('$') => {
                self.bump();
                Ok(PathRoot::Context)
            }
            Some(c) if c.is_alphanumeric() || c == '_' => {
                let start = self.pos;
                while self.peek().is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    self.bump();
                }
                let name = &self.text[start..self.pos];
                if !is_variable_name(name) {
                    self.pos = start;
                    return Err(self.error(format!("'{name}' is not a valid variable name")));
                }
                Ok(PathRoot::Variable(name.to_owned()))
            }
            _ => Ok(PathRoot::Input),
        }
    }

    /// Steps until something that cannot continue a path.
    fn body(&mut self, in_filter: bool) -> Result<Body, PathError> {
        let mut body = Body::default();
        loop {
            let deep = match self.peek() {
                Some('.') if self.peek2() == Some('.') => {
                    self.pos += 2;
                    true
                }
                Some('.') => {
                    self.pos += 1;
                    false
                }
                Some('[') => false,
                _ => break,
            };
            if body.length {
                return Err(self.error("nothing may follow the function length()"));
            }
            let selector = if self.peek() == Some('[') {
                if !deep && self.text.as_bytes().get(self.pos.wrapping_sub(1)) == Some(&b'.') {
                    return Err(self.error("expected a field name or '*' after '.'"));
                }
                self.bump();
                self.bracket()?
            } else if self.eat('*') {
                Selector::Wildcard
            } else {
                let name = self.name(in_filter)?;
                if self.peek() == Some('(') {
                    if deep || name != "length" {
                        return Err(self.error(format!("unsupported function '{name}'")));
                    }
                    self.bump();
                    self.skip_ws();
                    self.expect(')')?;
                    body.length = true;
                    continue;
                }
                Selector::Name(name.into())
            };
            body.steps.push(Step { deep, selector });
        }
        Ok(body)
    }

    /// A field name in dot notation: everything up to a character that ends it.
    fn name(&mut self, in_filter: bool) -> Result<&'t str, PathError> {
        let start = self.pos;
        while let Some(c) = self.peek() {
            let ends = c.is_whitespace()
                || matches!(c, '.' | '[' | '(')
                || (in_filter && matches!(c, ')' | ']' | '<' | '>' | '=' | '!' | '&' | '|' | ','));
            if ends {
                break;
            }
            self.bump();
        }
        if self.pos == start {
            return Err(match self.peek() {
                Some(c) => self.error(format!(
                    "expected a field name, '*' or '[' after '.' but found '{c}'"
                )),
                None => {
                    self.error("expected a field name, '*' or '[' after '.' but the path ended")
                }
            });
        }
        let text = self.text;
        Ok(&text[start..self.pos])
    }

    /// After `[`: up to and including `]`.
    fn bracket(&mut self) -> Result<Selector, PathError> {
        self.skip_ws();
        let selector = match self.peek() {
            Some('*') => {
                self.bump();
                Selector::Wildcard
            }
            Some('?') => {
                self.bump();
                self.skip_ws();
                self.expect('(')?;
                let filter = self.filter_or()?;
                self.skip_ws();
                self.expect(')')?;
                Selector::Filter(Box::new(filter))
            }
            Some('\'' | '"') => {
                let mut names = Vec::new();
                loop {
                    self.skip_ws();
                    names.push(self.quoted_raw()?.into());
                    self.skip_ws();
                    if !self.eat(',') {
                        break;
                    }
                }
                if names.len() == 1 {
                    Selector::Name(names.swap_remove(0))
                } else {
                    Selector::Names(names)
                }
            }
            Some(c) if c == '-' || c == ':' || c.is_ascii_digit() => self.indices_or_slice()?,
            Some(c) => return Err(self.error(format!("unexpected character '{c}' in brackets"))),
            None => return Err(self.error("unclosed '['")),
        };
        self.skip_ws();
        match self.peek() {
            Some(']') => {
                self.bump();
                Ok(selector)
            }
            Some(c) => Err(self.error(format!("expected ']' but found '{c}'"))),
            None => Err(self.error("unclosed '['")),
        }
    }

    /// A quoted field name in brackets. The text between the quotes is kept as written
    /// (AWS does not unescape it); a backslash only stops the next character from closing it.
    fn quoted_raw(&mut self) -> Result<&'t str, PathError> {
        let Some(quote) = self.bump().filter(|c| *c == '\'' || *c == '"') else {
            return Err(self.error("expected a quoted field name"));
        };
        let start = self.pos;
        loop {
            match self.bump() {
                None => return Err(self.error("unterminated quoted field name")),
                Some('\\') => {
                    self.bump();
                }
                Some(c) if c == quote => {
                    let text = self.text;
                    return Ok(&text[start..self.pos - 1]);
                }
                Some(_) => {}
            }
        }
    }

    fn integer(&mut self) -> Result<Option<i64>, PathError> {
        self.skip_ws();
        let start = self.pos;
        self.eat('-');
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.bump();
        }
        let digits = &self.text[start..self.pos];
        if digits.is_empty() {
            return Ok(None);
        }
        digits.parse().map(Some).map_err(|_| {
            self.pos = start;
            self.error(format!("'{digits}' is not a valid array index"))
        })
    }

    fn indices_or_slice(&mut self) -> Result<Selector, PathError> {
        let first = self.integer()?;
        self.skip_ws();
        if self.eat(':') {
            let end = self.integer()?;
            self.skip_ws();
            if self.peek() == Some(':') {
                return Err(self.error("array slice steps are not supported"));
            }
            if first.is_none() && end.is_none() {
                return Err(self.error("an array slice needs a start or an end"));
            }
            return Ok(Selector::Slice { start: first, end });
        }
        let Some(first) = first else {
            return Err(self.error("expected an array index"));
        };
        let mut indices = vec![first];
        while self.eat(',') {
            match self.integer()? {
                Some(i) => indices.push(i),
                None => return Err(self.error("expected an array index after ','")),
            }
            self.skip_ws();
        }
        Ok(if indices.len() == 1 {
            Selector::Index(first)
        } else {
            Selector::Indices(indices)
        })
    }

    fn enter(&mut self) -> Result<(), PathError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("filter expression nested too deeply"));
        }
        Ok(())
    }

    fn filter_or(&mut self) -> Result<Filter, PathError> {
        self.enter()?;
        let mut items = vec![self.filter_and()?];
        loop {
            self.skip_ws();
            if !self.eat_str("||") {
                break;
            }
            items.push(self.filter_and()?);
        }
        self.depth -= 1;
        Ok(if items.len() == 1 {
            items.swap_remove(0)
        } else {
            Filter::Or(items)
        })
    }

    fn filter_and(&mut self) -> Result<Filter, PathError> {
        let mut items = vec![self.filter_unary()?];
        loop {
            self.skip_ws();
            if !self.eat_str("&&") {
                break;
            }
            items.push(self.filter_unary()?);
        }
        Ok(if items.len() == 1 {
            items.swap_remove(0)
        } else {
            Filter::And(items)
        })
    }

    fn filter_unary(&mut self) -> Result<Filter, PathError> {
        self.skip_ws();
        if self.peek() == Some('!') && self.peek2() != Some('=') {
            self.bump();
            self.enter()?;
            let inner = self.filter_unary()?;
            self.depth -= 1;
            return Ok(Filter::Not(Box::new(inner)));
        }
        if self.eat('(') {
            let inner = self.filter_or()?;
            self.skip_ws();
            self.expect(')')?;
            return Ok(inner);
        }
        let left = self.operand()?;
        self.skip_ws();
        let Some(op) = self.operator() else {
            return match left {
                Operand::Literal(_) => match self.peek() {
                    Some(c) => {
                        Err(self.error(format!("expected a comparison operator but found '{c}'")))
                    }
                    None => Err(self.error("expected a comparison operator")),
                },
                path => Ok(Filter::Exists(path)),
            };
        };
        let right = self.operand()?;
        Ok(Filter::Compare(left, op, right))
    }

    fn operator(&mut self) -> Option<CompareOp> {
        const OPS: [(&str, CompareOp); 6] = [
            ("==", CompareOp::Eq),
            ("!=", CompareOp::Ne),
            ("<=", CompareOp::Le),
            (">=", CompareOp::Ge),
            ("<", CompareOp::Lt),
            (">", CompareOp::Gt),
        ];
        for (text, op) in OPS {
            if self.eat_str(text) {
                return Some(op);
            }
        }
        for (word, op) in [("nin", CompareOp::Nin), ("in", CompareOp::In)] {
            let rest = self.rest();
            if rest.starts_with(word)
                && rest[word.len()..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_whitespace() || c == '[' || c == '@' || c == '$')
            {
                self.pos += word.len();
                return Some(op);
            }
        }
        None
    }

    fn operand(&mut self) -> Result<Operand, PathError> {
        self.skip_ws();
        match self.peek() {
            Some('@') => {
                self.bump();
                Ok(Operand::Current(self.body(true)?))
            }
            Some('$') => {
                self.bump();
                if self
                    .peek()
                    .is_some_and(|c| c != '.' && c != '[' && !self.ends_operand(c))
                {
                    return Err(self.error("only '$' and '@' paths may appear in a filter"));
                }
                Ok(Operand::Root(self.body(true)?))
            }
            Some(_) => Ok(Operand::Literal(self.literal()?)),
            None => Err(self.error("expected a value but the path ended")),
        }
    }

    fn ends_operand(&self, c: char) -> bool {
        c.is_whitespace() || matches!(c, ')' | '<' | '>' | '=' | '!' | '&' | '|' | ',' | ']')
    }

    fn literal(&mut self) -> Result<Value, PathError> {
        self.skip_ws();
        match self.peek() {
            Some(q @ ('\'' | '"')) => {
                self.bump();
                let mut s = String::new();
                loop {
                    match self.bump() {
                        None => return Err(self.error("unterminated string")),
                        Some('\\') => match self.bump() {
                            Some('n') => s.push('\n'),
                            Some('t') => s.push('\t'),
                            Some('r') => s.push('\r'),
                            Some('b') => s.push('\u{8}'),
                            Some('f') => s.push('\u{c}'),
                            Some(c) => s.push(c),
                            None => return Err(self.error("unterminated string")),
                        },
                        Some(c) if c == q => break,
                        Some(c) => s.push(c),
                    }
                }
                Ok(Value::String(s))
            }
            Some('[') => {
                self.bump();
                let mut items = Vec::new();
                self.skip_ws();
                if !self.eat(']') {
                    loop {
                        items.push(self.literal()?);
                        self.skip_ws();
                        if self.eat(']') {
                            break;
                        }
                        self.expect(',')?;
                    }
                }
                Ok(Value::Array(items))
            }
            Some(c) if c == '-' || c.is_ascii_digit() => {
                let start = self.pos;
                while self
                    .peek()
                    .is_some_and(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E'))
                {
                    self.bump();
                }
                let text = &self.text[start..self.pos];
                text.parse::<Number>().map(Value::Number).map_err(|_| {
                    self.pos = start;
                    self.error(format!("'{text}' is not a valid number"))
                })
            }
            Some(_) => {
                for (word, value) in [
                    ("true", Value::Bool(true)),
                    ("false", Value::Bool(false)),
                    ("null", Value::Null),
                ] {
                    let rest = self.rest();
                    if rest.starts_with(word)
                        && !rest[word.len()..]
                            .chars()
                            .next()
                            .is_some_and(char::is_alphanumeric)
                    {
                        self.pos += word.len();
                        return Ok(value);
                    }
                }
                match self.peek() {
                    Some(c) => Err(self.error(format!("expected a value but found '{c}'"))),
                    None => Err(self.error("expected a value but the path ended")),
                }
            }
            None => Err(self.error("expected a value but the path ended")),
        }
    }
}
