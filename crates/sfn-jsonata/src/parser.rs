//! Tokenizer, Pratt parser and post-parse stage (path flattening, ancestry, tail calls).

use std::sync::Arc;

use super::ast::{
    self, Group, Kind, LambdaDef, Node, RegexLit, SlotRef, SortTerm, Stage, TransformDef,
};
use super::errors::{Error, Result};
use super::signature::Signature;

/// How deeply expressions may nest before parsing fails.
const MAX_NESTING: usize = 400;

/// How much native stack parsing may use before failing (protects small thread stacks).
const STACK_BUDGET: usize = 1024 * 1024;

fn too_deep(base: usize) -> bool {
    super::evaluator::stack_address().abs_diff(base) > STACK_BUDGET
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Name(String),
    Variable(String),
    Str(String),
    Num(f64),
    Bool(bool),
    Null,
    Regex(String, String),
    Op(&'static str),
    End,
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    pos: usize,
}

const OPERATORS: &[&str] = &[
    ".", "[", "]", "{", "}", "(", ")", ",", "@", "#", ";", ":", "?", "+", "-", "*", "/", "%", "|",
    "=", "<", ">", "^", "&", "!", "~",
];

fn is_op_char(c: char) -> bool {
    ".[]{}(),@#;:?+-*/%|=<>^&!~".contains(c)
}

struct Lexer {
    chars: Vec<char>,
    pos: usize,
}

impl Lexer {
    fn at(&self, i: usize) -> Option<char> {
        self.chars.get(i).copied()
    }

    fn scan_regex(&mut self) -> Result<Tok> {
        let start = self.pos;
        let mut depth: i32 = 0;
        while self.pos < self.chars.len() {
            let c = self.chars[self.pos];
            if c == '/' && depth == 0 {
                let mut backslashes = 0;
                while self.pos > backslashes && self.at(self.pos - backslashes - 1) == Some('\\') {
                    backslashes += 1;
                }
                if backslashes % 2 == 0 {
                    let pattern: String = self.chars[start..self.pos].iter().collect();
                    if pattern.is_empty() {
                        return Err(Error::new("S0301").at(self.pos));
                    }
                    self.pos += 1;
                    let fstart = self.pos;
                    while matches!(self.at(self.pos), Some('i') | Some('m')) {
                        self.pos += 1;
                    }
                    let flags: String = self.chars[fstart..self.pos].iter().collect();
                    return Ok(Tok::Regex(pattern, flags));
                }
            }
            let prev_escape = self.pos > 0 && self.at(self.pos - 1) == Some('\\');
            if matches!(c, '(' | '[' | '{') && !prev_escape {
                depth += 1;
            }
            if matches!(c, ')' | ']' | '}') && !prev_escape {
                depth -= 1;
            }
            self.pos += 1;
        }
        Err(Error::new("S0302").at(self.pos))
    }

    fn next(&mut self, prefix: bool) -> Result<Token> {
        loop {
            while let Some(c) = self.at(self.pos) {
                if matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{0b}') {
                    self.pos += 1;
                } else {
                    break;
                }
            }
            if self.at(self.pos) == Some('/') && self.at(self.pos + 1) == Some('*') {
                let start = self.pos;
                self.pos += 2;
                loop {
                    if self.pos >= self.chars.len() {
                        return Err(Error::new("S0106").at(start));
                    }
                    if self.at(self.pos) == Some('*') && self.at(self.pos + 1) == Some('/') {
                        self.pos += 2;
                        break;
                    }
                    self.pos += 1;
                }
                continue;
            }
            break;
        }
        let pos = self.pos;
        let Some(c) = self.at(pos) else {
            return Ok(Token { tok: Tok::End, pos });
        };
        let tok = |tok| Ok(Token { tok, pos });
        if !prefix && c == '/' {
            self.pos += 1;
            let t = self.scan_regex()?;
            return tok(t);
        }
        let c2 = self.at(pos + 1);
        let two = match (c, c2) {
            ('.', Some('.')) => Some(".."),
            (':', Some('=')) => Some(":="),
            ('!', Some('=')) => Some("!="),
            ('>', Some('=')) => Some(">="),
            ('<', Some('=')) => Some("<="),
            ('*', Some('*')) => Some("**"),
            ('~', Some('>')) => Some("~>"),
            ('?', Some(':')) => Some("?:"),
            ('?', Some('?')) => Some("??"),
            _ => None,
        };
        if let Some(op) = two {
            self.pos += 2;
            return tok(Tok::Op(op));
        }
        if let Some(op) = OPERATORS.iter().find(|o| o.starts_with(c)) {
            self.pos += 1;
            return tok(Tok::Op(op));
        }
        if c == '"' || c == '\'' {
            self.pos += 1;
            let mut s = String::new();
            while let Some(ch) = self.at(self.pos) {
                if ch == '\\' {
                    self.pos += 1;
                    let Some(e) = self.at(self.pos) else { break };
                    match e {
                        '"' | '\\' | '/' => s.push(e),
                        'b' => s.push('\u{8}'),
                        'f' => s.push('\u{c}'),
                        'n' => s.push('\n'),
                        'r' => s.push('\r'),
                        't' => s.push('\t'),
                        'u' => {
                            let hex: String =
                                self.chars.iter().skip(self.pos + 1).take(4).collect();
                            if hex.len() == 4 && hex.chars().all(|h| h.is_ascii_hexdigit()) {
                                let mut cp = u32::from_str_radix(&hex, 16).unwrap_or(0xfffd);
                                self.pos += 4;
                                // combine a surrogate pair
                                if (0xd800..0xdc00).contains(&cp)
                                    && self.at(self.pos + 1) == Some('\\')
                                    && self.at(self.pos + 2) == Some('u')
                                {
                                    let lo: String =
                                        self.chars.iter().skip(self.pos + 3).take(4).collect();
                                    if let Ok(l) = u32::from_str_radix(&lo, 16)
                                        && (0xdc00..0xe000).contains(&l)
                                    {
                                        cp = 0x10000 + ((cp - 0xd800) << 10) + (l - 0xdc00);
                                        self.pos += 6;
                                    }
                                }
                                s.push(char::from_u32(cp).unwrap_or('\u{fffd}'));
                            } else {
                                return Err(Error::new("S0104").at(self.pos));
                            }
                        }
                        other => {
                            return Err(Error::new("S0103").at(self.pos).token(other.to_string()));
                        }
                    }
                } else if ch == c {
                    self.pos += 1;
                    return tok(Tok::Str(s));
                } else {
                    s.push(ch);
                }
                self.pos += 1;
            }
            return Err(Error::new("S0101").at(self.pos));
        }
        if let Some(len) = number_len(&self.chars[pos..]) {
            let text: String = self.chars[pos..pos + len].iter().collect();
            let n: f64 = text.parse().unwrap_or(f64::NAN);
            if n.is_finite() {
                self.pos += len;
                return tok(Tok::Num(n));
            }
            return Err(Error::new("S0102").at(pos).token(text));
        }
        if c == '`' {
            self.pos += 1;
            let start = self.pos;
            while let Some(ch) = self.at(self.pos) {
                if ch == '`' {
                    let name: String = self.chars[start..self.pos].iter().collect();
                    self.pos += 1;
                    return tok(Tok::Name(name));
                }
                self.pos += 1;
            }
            return Err(Error::new("S0105").at(self.pos));
        }
        let mut i = pos;
        while let Some(ch) = self.at(i) {
            if matches!(ch, ' ' | '\t' | '\n' | '\r' | '\u{0b}') || is_op_char(ch) {
                break;
            }
            i += 1;
        }
        if c == '$' {
            let name: String = self.chars[pos + 1..i].iter().collect();
            self.pos = i;
            return tok(Tok::Variable(name));
        }
        let name: String = self.chars[pos..i].iter().collect();
        self.pos = i;
        match name.as_str() {
            "or" => tok(Tok::Op("or")),
            "in" => tok(Tok::Op("in")),
            "and" => tok(Tok::Op("and")),
            "true" => tok(Tok::Bool(true)),
            "false" => tok(Tok::Bool(false)),
            "null" => tok(Tok::Null),
            _ => tok(Tok::Name(name)),
        }
    }
}

/// Length of a JSON-like number at the start of `s` (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([Ee][-+]?[0-9]+)?`).
fn number_len(s: &[char]) -> Option<usize> {
    let mut i = 0;
    if s.first() == Some(&'-') {
        i += 1;
    }
    match s.get(i) {
        Some('0') => i += 1,
        Some(c) if c.is_ascii_digit() => {
            while s.get(i).is_some_and(|c| c.is_ascii_digit()) {
                i += 1;
            }
        }
        _ => return None,
    }
    if s.get(i) == Some(&'.') && s.get(i + 1).is_some_and(|c| c.is_ascii_digit()) {
        i += 1;
        while s.get(i).is_some_and(|c| c.is_ascii_digit()) {
            i += 1;
        }
    }
    if matches!(s.get(i), Some('e') | Some('E')) {
        let mut j = i + 1;
        if matches!(s.get(j), Some('+') | Some('-')) {
            j += 1;
        }
        if s.get(j).is_some_and(|c| c.is_ascii_digit()) {
            while s.get(j).is_some_and(|c| c.is_ascii_digit()) {
                j += 1;
            }
            i = j;
        }
    }
    Some(i)
}

fn lbp(tok: &Tok) -> u32 {
    match tok {
        Tok::Op(op) => match *op {
            "." => 75,
            "[" | "(" | "@" | "#" => 80,
            "{" => 70,
            "?" => 20,
            "+" | "-" | "&" => 50,
            "*" | "/" | "%" => 60,
            "=" | "<" | ">" | "^" | "!=" | "<=" | ">=" | "~>" | "in" | "??" | "?:" => 40,
            ":=" => 10,
            "and" => 30,
            "or" => 25,
            _ => 0,
        },
        _ => 0,
    }
}

struct Parser {
    lexer: Lexer,
    node: Token,
    depth: usize,
    source_len: usize,
    stack_base: usize,
}

fn describe(tok: &Tok) -> String {
    match tok {
        Tok::Name(n) => n.clone(),
        Tok::Variable(v) => format!("${v}"),
        Tok::Str(s) => s.clone(),
        Tok::Num(n) => super::value::format_number(*n),
        Tok::Bool(b) => b.to_string(),
        Tok::Null => "null".into(),
        Tok::Regex(p, _) => format!("/{p}/"),
        Tok::Op(o) => (*o).to_owned(),
        Tok::End => "(end)".into(),
    }
}

impl Parser {
    fn advance(&mut self, expect: Option<&str>, infix: bool) -> Result<()> {
        if let Some(id) = expect {
            let matches = matches!(&self.node.tok, Tok::Op(o) if *o == id);
            if !matches {
                let code = if self.node.tok == Tok::End {
                    "S0203"
                } else {
                    "S0202"
                };
                return Err(Error::new(code)
                    .at(self.node.pos)
                    .token(describe(&self.node.tok))
                    .value(id));
            }
        }
        let t = self.lexer.next(infix)?;
        if t.tok == Tok::End {
            self.node = Token {
                tok: Tok::End,
                pos: self.source_len,
            };
            return Ok(());
        }
        if let Tok::Op(op) = t.tok
            && matches!(op, "!" | "~")
        {
            return Err(Error::new("S0204").at(t.pos).token(op));
        }
        self.node = t;
        Ok(())
    }

    fn is(&self, op: &str) -> bool {
        matches!(&self.node.tok, Tok::Op(o) if *o == op)
    }

    fn expression(&mut self, rbp: u32) -> Result<Node> {
        self.depth += 1;
        if self.depth > MAX_NESTING || too_deep(self.stack_base) {
            return Err(Error::new("S0201")
                .at(self.node.pos)
                .token(describe(&self.node.tok))
                .message("Syntax error: the expression is nested too deeply".to_owned()));
        }
        let t = self.node.clone();
        self.advance(None, true)?;
        let mut left = self.nud(t)?;
        while rbp < lbp(&self.node.tok) {
            let t = self.node.clone();
            self.advance(None, false)?;
            left = self.led(t, left)?;
        }
        self.depth -= 1;
        Ok(left)
    }

    fn nud(&mut self, t: Token) -> Result<Node> {
        let pos = t.pos;
        Ok(match t.tok {
            Tok::Name(n) => Node::new(Kind::Name(n), pos),
            Tok::Variable(v) => Node::new(Kind::Variable(v), pos),
            Tok::Str(s) => Node::new(Kind::Str(s), pos),
            Tok::Num(n) => Node::new(Kind::Num(n), pos),
            Tok::Bool(b) => Node::new(Kind::Bool(b), pos),
            Tok::Null => Node::new(Kind::Null, pos),
            Tok::Regex(pattern, flags) => {
                let mut src = String::new();
                if !flags.is_empty() {
                    src.push_str("(?");
                    src.push_str(&flags);
                    src.push(')');
                }
                src.push_str(&translate_regex(&pattern));
                let regex = regex::Regex::new(&src)
                    .map_err(|_| Error::new("S0303").at(pos).value(pattern.clone()))?;
                Node::new(
                    Kind::Regex(Arc::new(RegexLit {
                        source: pattern,
                        regex,
                    })),
                    pos,
                )
            }
            Tok::End => return Err(Error::new("S0207").at(pos).token("(end)")),
            Tok::Op(op) => match op {
                "and" | "or" | "in" => Node::new(Kind::OperatorName(op.to_owned()), pos),
                "-" => {
                    let e = self.expression(70)?;
                    Node::new(Kind::Negate(Box::new(e)), pos)
                }
                "*" => Node::new(Kind::Wildcard, pos),
                "**" => Node::new(Kind::Descendant, pos),
                "%" => Node::new(Kind::ParentRaw, pos),
                "(" => {
                    let mut exprs = Vec::new();
                    while !self.is(")") {
                        exprs.push(self.expression(0)?);
                        if !self.is(";") {
                            break;
                        }
                        self.advance(Some(";"), false)?;
                    }
                    self.advance(Some(")"), true)?;
                    Node::new(Kind::Block(exprs), pos)
                }
                "[" => {
                    let mut items = Vec::new();
                    if !self.is("]") {
                        loop {
                            let mut item = self.expression(0)?;
                            if self.is("..") {
                                let rpos = self.node.pos;
                                self.advance(Some(".."), false)?;
                                let rhs = self.expression(0)?;
                                item = Node::new(
                                    Kind::Infix("..".into(), Box::new(item), Box::new(rhs)),
                                    rpos,
                                );
                            }
                            items.push(item);
                            if !self.is(",") {
                                break;
                            }
                            self.advance(Some(","), false)?;
                        }
                    }
                    self.advance(Some("]"), true)?;
                    Node::new(Kind::Array(items), pos)
                }
                "{" => {
                    let pairs = self.object_pairs()?;
                    Node::new(Kind::Object(pairs), pos)
                }
                "|" => {
                    let pattern = self.expression(0)?;
                    self.advance(Some("|"), false)?;
                    let update = self.expression(0)?;
                    let mut delete = None;
                    if self.is(",") {
                        self.advance(Some(","), false)?;
                        delete = Some(self.expression(0)?);
                    }
                    self.advance(Some("|"), false)?;
                    Node::new(
                        Kind::Transform(Arc::new(TransformDef {
                            pattern,
                            update,
                            delete,
                        })),
                        pos,
                    )
                }
                _ => return Err(Error::new("S0211").at(pos).token(op)),
            },
        })
    }

    fn object_pairs(&mut self) -> Result<Vec<(Node, Node)>> {
        let mut pairs = Vec::new();
        if !self.is("}") {
            loop {
                let k = self.expression(0)?;
                self.advance(Some(":"), false)?;
                let v = self.expression(0)?;
                pairs.push((k, v));
                if !self.is(",") {
                    break;
                }
                self.advance(Some(","), false)?;
            }
        }
        self.advance(Some("}"), true)?;
        Ok(pairs)
    }

    fn led(&mut self, t: Token, left: Node) -> Result<Node> {
        let pos = t.pos;
        let Tok::Op(op) = t.tok else {
            return Err(Error::new("S0201").at(pos).token(describe(&t.tok)));
        };
        Ok(match op {
            "(" => {
                let mut args = Vec::new();
                let mut partial = false;
                if !self.is(")") {
                    loop {
                        if self.is("?") {
                            partial = true;
                            args.push(Node::new(Kind::Placeholder, self.node.pos));
                            self.advance(Some("?"), false)?;
                        } else {
                            args.push(self.expression(0)?);
                        }
                        if !self.is(",") {
                            break;
                        }
                        self.advance(Some(","), false)?;
                    }
                }
                self.advance(Some(")"), true)?;
                if let Kind::Name(n) = &left.kind
                    && (n == "function" || n == "\u{3bb}")
                {
                    let mut params = Vec::new();
                    for (i, a) in args.iter().enumerate() {
                        match &a.kind {
                            Kind::Variable(v) => params.push(v.clone()),
                            _ => {
                                return Err(Error::new("S0208")
                                    .at(a.pos)
                                    .token(token_text(a))
                                    .value((i + 1).to_string()));
                            }
                        }
                    }
                    let mut signature = None;
                    if self.is("<") {
                        let sig_pos = self.node.pos;
                        let mut depth = 1;
                        let mut sig = String::from("<");
                        while depth > 0 && !self.is("{") && self.node.tok != Tok::End {
                            self.advance(None, false)?;
                            if self.is(">") {
                                depth -= 1;
                            } else if self.is("<") {
                                depth += 1;
                            }
                            sig.push_str(&describe(&self.node.tok));
                        }
                        self.advance(Some(">"), false)?;
                        signature =
                            Some(Arc::new(Signature::parse(&sig).map_err(|e| e.at(sig_pos))?));
                    }
                    self.advance(Some("{"), false)?;
                    let body = self.expression(0)?;
                    self.advance(Some("}"), false)?;
                    return Ok(Node::new(
                        Kind::Lambda(Arc::new(LambdaDef {
                            params,
                            signature,
                            body,
                            thunk: false,
                        })),
                        pos,
                    ));
                }
                if partial {
                    Node::new(Kind::Partial(Box::new(left), args), pos)
                } else {
                    Node::new(Kind::Function(Box::new(left), args), pos)
                }
            }
            "[" => {
                if self.is("]") {
                    let mut left = left;
                    set_keep_array(&mut left);
                    self.advance(Some("]"), false)?;
                    return Ok(left);
                }
                let rhs = self.expression(0)?;
                self.advance(Some("]"), true)?;
                Node::new(Kind::Filter(Box::new(left), Box::new(rhs)), pos)
            }
            "^" => {
                self.advance(Some("("), false)?;
                let mut terms = Vec::new();
                loop {
                    let mut descending = false;
                    if self.is("<") {
                        self.advance(Some("<"), false)?;
                    } else if self.is(">") {
                        descending = true;
                        self.advance(Some(">"), false)?;
                    }
                    let expr = self.expression(0)?;
                    terms.push(SortTerm { descending, expr });
                    if !self.is(",") {
                        break;
                    }
                    self.advance(Some(","), false)?;
                }
                self.advance(Some(")"), false)?;
                Node::new(Kind::OrderBy(Box::new(left), terms), pos)
            }
            "{" => {
                let pairs = self.object_pairs()?;
                Node::new(Kind::GroupBy(Box::new(left), pairs), pos)
            }
            ":=" => {
                if !matches!(left.kind, Kind::Variable(_)) {
                    return Err(Error::new("S0212").at(left.pos).token(token_text(&left)));
                }
                let rhs = self.expression(9)?;
                Node::new(Kind::Infix(":=".into(), Box::new(left), Box::new(rhs)), pos)
            }
            "@" | "#" => {
                let rhs = self.expression(80)?;
                let Kind::Variable(v) = rhs.kind else {
                    return Err(Error::new("S0214").at(rhs.pos).token(op));
                };
                if op == "@" {
                    Node::new(Kind::FocusBind(Box::new(left), v), pos)
                } else {
                    Node::new(Kind::IndexBind(Box::new(left), v), pos)
                }
            }
            "?" => {
                let then = self.expression(0)?;
                let mut els = None;
                if self.is(":") {
                    self.advance(Some(":"), false)?;
                    els = Some(Box::new(self.expression(0)?));
                }
                Node::new(Kind::Condition(Box::new(left), Box::new(then), els), pos)
            }
            "." | "+" | "-" | "*" | "/" | "%" | "=" | "<" | ">" | "!=" | "<=" | ">=" | "&"
            | "and" | "or" | "in" | "~>" | "??" | "?:" => {
                let rhs = self.expression(lbp(&Tok::Op(op)))?;
                Node::new(
                    Kind::Infix(op.to_owned(), Box::new(left), Box::new(rhs)),
                    pos,
                )
            }
            _ => return Err(Error::new("S0201").at(pos).token(op)),
        })
    }
}

fn token_text(n: &Node) -> String {
    match &n.kind {
        Kind::Name(s) | Kind::Str(s) | Kind::OperatorName(s) => s.clone(),
        Kind::Variable(v) => v.clone(),
        Kind::Num(x) => super::value::format_number(*x),
        Kind::Bool(b) => b.to_string(),
        Kind::Null => "null".into(),
        _ => n.type_name().to_owned(),
    }
}

/// Rewrites the parts of JavaScript regex syntax the `regex` crate spells differently.
pub(crate) fn translate_regex(src: &str) -> String {
    // `regex` does not know `\/` as an escape, and `{` must be escaped when not a repetition.
    let mut out = String::with_capacity(src.len());
    let chars: Vec<char> = src.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' && i + 1 < chars.len() {
            let n = chars[i + 1];
            if n == '/' {
                out.push('/');
            } else if n == 'd' {
                out.push_str("[0-9]");
            } else {
                out.push(c);
                out.push(n);
            }
            i += 2;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Parses and post-processes an expression.
pub(crate) fn parse(source: &str) -> Result<Node> {
    let chars: Vec<char> = source.chars().collect();
    let source_len = chars.len();
    let stack_base = super::evaluator::stack_address();
    let mut p = Parser {
        lexer: Lexer { chars, pos: 0 },
        node: Token {
            tok: Tok::End,
            pos: 0,
        },
        depth: 0,
        source_len,
        stack_base,
    };
    p.advance(None, false)?;
    let expr = p.expression(0)?;
    if p.node.tok != Tok::End {
        return Err(Error::new("S0201")
            .at(p.node.pos)
            .token(describe(&p.node.tok)));
    }
    let mut post = Post {
        ancestor_label: 0,
        depth: 0,
        stack_base,
    };
    let expr = post.process(expr)?;
    if matches!(expr.kind, Kind::Parent(_)) || !expr.seeking_parent.is_empty() {
        return Err(Error::new("S0217").at(expr.pos).token(expr.type_name()));
    }
    Ok(expr)
}

struct Post {
    ancestor_label: usize,
    depth: usize,
    stack_base: usize,
}

fn push_ancestry(result: &mut Vec<SlotRef>, value: &Node) {
    result.extend(value.seeking_parent.iter().cloned());
    if let Kind::Parent(slot) = &value.kind {
        result.push(slot.clone());
    }
}

fn seek_parent(node: &mut Node, slot: &SlotRef) -> Result<()> {
    match &mut node.kind {
        Kind::Name(_) | Kind::Wildcard => {
            let level = {
                let mut s = ast::slot(slot);
                s.level -= 1;
                s.level
            };
            if level == 0 {
                if let Some(existing) = &node.ancestor {
                    let label = ast::slot(existing).label.clone();
                    ast::slot(slot).label = label;
                }
                node.ancestor = Some(slot.clone());
                node.tuple = true;
            }
        }
        Kind::Parent(_) => {
            ast::slot(slot).level += 1;
        }
        Kind::Block(exprs) => {
            if let Some(last) = exprs.last_mut() {
                node.tuple = true;
                seek_parent(last, slot)?;
            }
        }
        Kind::Path(steps) => {
            node.tuple = true;
            let mut index = steps.len() as isize - 1;
            if index >= 0 {
                seek_parent(&mut steps[index as usize], slot)?;
                index -= 1;
            }
            while ast::slot(slot).level > 0 && index >= 0 {
                seek_parent(&mut steps[index as usize], slot)?;
                index -= 1;
            }
        }
        _ => return Err(Error::new("S0217").at(node.pos).token(node.type_name())),
    }
    Ok(())
}

fn resolve_ancestry(path: &mut Node) -> Result<()> {
    let Kind::Path(steps) = &mut path.kind else {
        return Ok(());
    };
    let Some(last) = steps.last() else {
        return Ok(());
    };
    let mut slots: Vec<SlotRef> = last.seeking_parent.clone();
    if let Kind::Parent(s) = &last.kind {
        slots.push(s.clone());
    }
    let mut unresolved = Vec::new();
    for slot in slots {
        let mut index = steps.len() as isize - 2;
        while ast::slot(&slot).level > 0 {
            if index < 0 {
                unresolved.push(slot.clone());
                break;
            }
            let mut i = index as usize;
            index -= 1;
            while index >= 0 && steps[i].focus.is_some() && steps[index as usize].focus.is_some() {
                i = index as usize;
                index -= 1;
            }
            seek_parent(&mut steps[i], &slot)?;
        }
    }
    path.seeking_parent.extend(unresolved);
    Ok(())
}

fn tail_call_optimize(expr: Node) -> Node {
    match expr.kind {
        Kind::Function(..) if expr.predicate.is_empty() => {
            let pos = expr.pos;
            Node::new(
                Kind::Lambda(Arc::new(LambdaDef {
                    params: vec![],
                    signature: None,
                    body: expr,
                    thunk: true,
                })),
                pos,
            )
        }
        Kind::Condition(c, t, e) => {
            let mut n = Node {
                kind: Kind::Null,
                ..expr
            };
            let t = Box::new(tail_call_optimize(*t));
            let e = e.map(|e| Box::new(tail_call_optimize(*e)));
            n.kind = Kind::Condition(c, t, e);
            n
        }
        Kind::Block(mut exprs) => {
            if let Some(last) = exprs.pop() {
                exprs.push(tail_call_optimize(last));
            }
            Node {
                kind: Kind::Block(exprs),
                ..expr
            }
        }
        _ => expr,
    }
}

impl Post {
    fn process(&mut self, expr: Node) -> Result<Node> {
        self.depth += 1;
        if self.depth > MAX_NESTING * 2 || too_deep(self.stack_base) {
            return Err(Error::new("S0201").at(expr.pos).token(expr.type_name()));
        }
        let r = self.process_inner(expr);
        self.depth -= 1;
        r
    }

    #[inline(never)]
    fn process_arm_0(&mut self, expr: Node) -> Result<Node> {
        let keep_array = expr.keep_array;
        let pos = expr.pos;
        let _ = (keep_array, pos);
        Ok(match expr.kind {
            Kind::Infix(op, lhs, rhs) => match op.as_str() {
                "." => {
                    let lstep = self.process(*lhs)?;
                    let mut result = if matches!(lstep.kind, Kind::Path(_)) {
                        lstep
                    } else {
                        let mut seeking = Vec::new();
                        if let Kind::Parent(s) = &lstep.kind {
                            seeking.push(s.clone());
                        }
                        let mut p = Node::new(Kind::Path(vec![lstep]), pos);
                        p.seeking_parent = seeking;
                        p
                    };
                    let mut rest = self.process(*rhs)?;
                    let Kind::Path(steps) = &mut result.kind else {
                        unreachable_path()?
                    };
                    if let Kind::Path(rsteps) = rest.kind {
                        steps.extend(rsteps);
                    } else {
                        if !rest.predicate.is_empty() {
                            let preds = std::mem::take(&mut rest.predicate);
                            rest.stages = preds.into_iter().map(Stage::Filter).collect();
                        }
                        steps.push(rest);
                    }
                    for step in steps.iter_mut() {
                        match &step.kind {
                            Kind::Num(n) => {
                                return Err(Error::new("S0213")
                                    .at(step.pos)
                                    .value(super::value::format_number(*n)));
                            }
                            Kind::Bool(b) => {
                                return Err(Error::new("S0213").at(step.pos).value(b.to_string()));
                            }
                            Kind::Null => {
                                return Err(Error::new("S0213").at(step.pos).value("null"));
                            }
                            Kind::Str(s) => {
                                let s = s.clone();
                                step.kind = Kind::Name(s);
                            }
                            _ => {}
                        }
                    }
                    if steps.iter().any(|s| s.keep_array) {
                        result.keep_singleton_array = true;
                    }
                    let Kind::Path(steps) = &mut result.kind else {
                        unreachable_path()?
                    };
                    if let Some(first) = steps.first_mut()
                        && first.is_array_constructor()
                    {
                        first.consarray = true;
                    }
                    if let Some(last) = steps.last_mut()
                        && last.is_array_constructor()
                    {
                        last.consarray = true;
                    }
                    resolve_ancestry(&mut result)?;
                    result
                }
                ":=" => {
                    let Kind::Variable(name) = lhs.kind else {
                        return Err(Error::new("S0212").at(lhs.pos));
                    };
                    let rhs = self.process(*rhs)?;
                    let mut n = Node::new(Kind::Null, pos);
                    push_ancestry(&mut n.seeking_parent, &rhs);
                    n.kind = Kind::Bind(name, Box::new(rhs));
                    n
                }
                "~>" => {
                    let l = self.process(*lhs)?;
                    let r = self.process(*rhs)?;
                    Node::new(Kind::Apply(Box::new(l), Box::new(r)), pos)
                }
                "??" | "?:" => {
                    let l = self.process(*lhs)?;
                    let r = self.process(*rhs)?;
                    let mut n = Node::new(Kind::Null, pos);
                    push_ancestry(&mut n.seeking_parent, &l);
                    push_ancestry(&mut n.seeking_parent, &r);
                    n.kind = if op == "??" {
                        Kind::Coalesce(Box::new(l), Box::new(r))
                    } else {
                        Kind::Elvis(Box::new(l), Box::new(r))
                    };
                    n
                }
                other => {
                    let bop = super::ast::BinOp::from_symbol(other)
                        .ok_or_else(|| Error::new("S0201").at(pos).token(other))?;
                    let l = self.process(*lhs)?;
                    let r = self.process(*rhs)?;
                    let mut n = Node::new(Kind::Null, pos);
                    push_ancestry(&mut n.seeking_parent, &l);
                    push_ancestry(&mut n.seeking_parent, &r);
                    n.kind = Kind::Binary(bop, Box::new(l), Box::new(r));
                    n
                }
            },
            #[allow(unreachable_patterns)]
            _ => return Err(Error::new("S0201").at(pos)),
        })
    }

    #[inline(never)]
    fn process_arm_1(&mut self, expr: Node) -> Result<Node> {
        let keep_array = expr.keep_array;
        let pos = expr.pos;
        let _ = (keep_array, pos);
        Ok(match expr.kind {
            Kind::Filter(lhs, rhs) => {
                let mut result = self.process(*lhs)?;
                let is_path = matches!(result.kind, Kind::Path(_));
                let predicate = self.process(*rhs)?;
                {
                    let step: &mut Node = match &mut result.kind {
                        Kind::Path(steps) if is_path => match steps.last_mut() {
                            Some(s) => s,
                            None => return Err(Error::new("S0201").at(pos)),
                        },
                        _ => &mut result,
                    };
                    if step.group.is_some() {
                        return Err(Error::new("S0209").at(pos));
                    }
                    let predicate = predicate;
                    if !predicate.seeking_parent.is_empty() {
                        let slots = predicate.seeking_parent.clone();
                        for slot in &slots {
                            let level = ast::slot(slot).level;
                            if level == 1 {
                                seek_parent(step, slot)?;
                            } else {
                                ast::slot(slot).level -= 1;
                            }
                        }
                        let mut sp = std::mem::take(&mut step.seeking_parent);
                        push_ancestry(&mut sp, &predicate);
                        step.seeking_parent = sp;
                    }
                    if is_path {
                        step.stages.push(Stage::Filter(predicate));
                    } else {
                        step.predicate.push(predicate);
                    }
                }
                result
            }
            #[allow(unreachable_patterns)]
            _ => return Err(Error::new("S0201").at(pos)),
        })
    }

    #[inline(never)]
    fn process_arm_2(&mut self, expr: Node) -> Result<Node> {
        let keep_array = expr.keep_array;
        let pos = expr.pos;
        let _ = (keep_array, pos);
        Ok(match expr.kind {
            Kind::GroupBy(lhs, pairs) => {
                let mut result = self.process(*lhs)?;
                if result.group.is_some() {
                    return Err(Error::new("S0210").at(pos));
                }
                let mut out = Vec::new();
                for (k, v) in pairs {
                    out.push((self.process(k)?, self.process(v)?));
                }
                result.group = Some(Box::new(Group { pairs: out, pos }));
                result
            }
            #[allow(unreachable_patterns)]
            _ => return Err(Error::new("S0201").at(pos)),
        })
    }

    #[inline(never)]
    fn process_arm_3(&mut self, expr: Node) -> Result<Node> {
        let keep_array = expr.keep_array;
        let pos = expr.pos;
        let _ = (keep_array, pos);
        Ok(match expr.kind {
            Kind::OrderBy(lhs, terms) => {
                let result = self.process(*lhs)?;
                let mut result = if matches!(result.kind, Kind::Path(_)) {
                    result
                } else {
                    Node::new(Kind::Path(vec![result]), pos)
                };
                let mut sort = Node::new(Kind::Null, pos);
                let mut out = Vec::new();
                for t in terms {
                    let e = self.process(t.expr)?;
                    push_ancestry(&mut sort.seeking_parent, &e);
                    out.push(SortTerm {
                        descending: t.descending,
                        expr: e,
                    });
                }
                sort.kind = Kind::Sort(out);
                if let Kind::Path(steps) = &mut result.kind {
                    steps.push(sort);
                }
                resolve_ancestry(&mut result)?;
                result
            }
            #[allow(unreachable_patterns)]
            _ => return Err(Error::new("S0201").at(pos)),
        })
    }

    #[inline(never)]
    fn process_arm_4(&mut self, expr: Node) -> Result<Node> {
        let keep_array = expr.keep_array;
        let pos = expr.pos;
        let _ = (keep_array, pos);
        Ok(match expr.kind {
            Kind::FocusBind(lhs, var) => {
                let lhs_keep = lhs.keep_array;
                let mut result = self.process(*lhs)?;
                let step: &mut Node = match &mut result.kind {
                    Kind::Path(steps) => match steps.last_mut() {
                        Some(s) => s,
                        None => return Err(Error::new("S0201").at(pos)),
                    },
                    _ => &mut result,
                };
                if !step.stages.is_empty() || !step.predicate.is_empty() {
                    return Err(Error::new("S0215").at(pos));
                }
                if matches!(step.kind, Kind::Sort(_)) {
                    return Err(Error::new("S0216").at(pos));
                }
                if keep_array || lhs_keep {
                    step.keep_array = true;
                }
                step.focus = Some(var);
                step.tuple = true;
                result
            }
            #[allow(unreachable_patterns)]
            _ => return Err(Error::new("S0201").at(pos)),
        })
    }

    #[inline(never)]
    fn process_arm_5(&mut self, expr: Node) -> Result<Node> {
        let keep_array = expr.keep_array;
        let pos = expr.pos;
        let _ = (keep_array, pos);
        Ok(match expr.kind {
            Kind::IndexBind(lhs, var) => {
                let result = self.process(*lhs)?;
                let mut result = if matches!(result.kind, Kind::Path(_)) {
                    result
                } else {
                    let mut r = result;
                    if !r.predicate.is_empty() {
                        let preds = std::mem::take(&mut r.predicate);
                        r.stages = preds.into_iter().map(Stage::Filter).collect();
                    }
                    Node::new(Kind::Path(vec![r]), pos)
                };
                if let Kind::Path(steps) = &mut result.kind
                    && let Some(step) = steps.last_mut()
                {
                    if step.stages.is_empty() {
                        step.index = Some(var);
                    } else {
                        step.stages.push(Stage::Index(var));
                    }
                    step.tuple = true;
                }
                result
            }
            #[allow(unreachable_patterns)]
            _ => return Err(Error::new("S0201").at(pos)),
        })
    }

    #[inline(never)]
    fn process_arm_6(&mut self, expr: Node) -> Result<Node> {
        let keep_array = expr.keep_array;
        let pos = expr.pos;
        let _ = (keep_array, pos);
        Ok(match expr.kind {
            Kind::Negate(e) => {
                let e = self.process(*e)?;
                if let Kind::Num(n) = e.kind {
                    Node {
                        kind: Kind::Num(-n),
                        ..e
                    }
                } else {
                    let mut n = Node::new(Kind::Null, pos);
                    push_ancestry(&mut n.seeking_parent, &e);
                    n.kind = Kind::Negate(Box::new(e));
                    n
                }
            }
            #[allow(unreachable_patterns)]
            _ => return Err(Error::new("S0201").at(pos)),
        })
    }

    #[inline(never)]
    fn process_arm_7(&mut self, expr: Node) -> Result<Node> {
        let keep_array = expr.keep_array;
        let pos = expr.pos;
        let _ = (keep_array, pos);
        Ok(match expr.kind {
            Kind::Array(items) => {
                let mut n = Node::new(Kind::Null, pos);
                let mut out = Vec::new();
                for item in items {
                    let v = self.process(item)?;
                    push_ancestry(&mut n.seeking_parent, &v);
                    out.push(v);
                }
                n.kind = Kind::Array(out);
                n
            }
            #[allow(unreachable_patterns)]
            _ => return Err(Error::new("S0201").at(pos)),
        })
    }

    #[inline(never)]
    fn process_arm_8(&mut self, expr: Node) -> Result<Node> {
        let keep_array = expr.keep_array;
        let pos = expr.pos;
        let _ = (keep_array, pos);
        Ok(match expr.kind {
            Kind::Object(pairs) => {
                let mut n = Node::new(Kind::Null, pos);
                let mut out = Vec::new();
                for (k, v) in pairs {
                    let k = self.process(k)?;
                    push_ancestry(&mut n.seeking_parent, &k);
                    let v = self.process(v)?;
                    push_ancestry(&mut n.seeking_parent, &v);
                    out.push((k, v));
                }
                n.kind = Kind::Object(out);
                n
            }
            #[allow(unreachable_patterns)]
            _ => return Err(Error::new("S0201").at(pos)),
        })
    }

    #[inline(never)]
    fn process_arm_9(&mut self, expr: Node) -> Result<Node> {
        let keep_array = expr.keep_array;
        let pos = expr.pos;
        let _ = (keep_array, pos);
        Ok(match expr.kind {
            Kind::Function(proc, args) => {
                let mut n = Node::new(Kind::Null, pos);
                let mut out = Vec::new();
                for a in args {
                    let a = self.process(a)?;
                    push_ancestry(&mut n.seeking_parent, &a);
                    out.push(a);
                }
                let p = self.process(*proc)?;
                n.kind = Kind::Function(Box::new(p), out);
                n
            }
            #[allow(unreachable_patterns)]
            _ => return Err(Error::new("S0201").at(pos)),
        })
    }

    #[inline(never)]
    fn process_arm_10(&mut self, expr: Node) -> Result<Node> {
        let keep_array = expr.keep_array;
        let pos = expr.pos;
        let _ = (keep_array, pos);
        Ok(match expr.kind {
            Kind::Partial(proc, args) => {
                let mut n = Node::new(Kind::Null, pos);
                let mut out = Vec::new();
                for a in args {
                    let a = self.process(a)?;
                    push_ancestry(&mut n.seeking_parent, &a);
                    out.push(a);
                }
                let p = self.process(*proc)?;
                n.kind = Kind::Partial(Box::new(p), out);
                n
            }
            #[allow(unreachable_patterns)]
            _ => return Err(Error::new("S0201").at(pos)),
        })
    }

    #[inline(never)]
    fn process_arm_11(&mut self, expr: Node) -> Result<Node> {
        let keep_array = expr.keep_array;
        let pos = expr.pos;
        let _ = (keep_array, pos);
        Ok(match expr.kind {
            Kind::Lambda(def) => {
                let def = Arc::try_unwrap(def).map_err(|_| Error::new("S0201").at(pos))?;
                let body = self.process(def.body)?;
                let body = tail_call_optimize(body);
                Node::new(
                    Kind::Lambda(Arc::new(LambdaDef {
                        params: def.params,
                        signature: def.signature,
                        body,
                        thunk: false,
                    })),
                    pos,
                )
            }
            #[allow(unreachable_patterns)]
            _ => return Err(Error::new("S0201").at(pos)),
        })
    }

    #[inline(never)]
    fn process_arm_12(&mut self, expr: Node) -> Result<Node> {
        let keep_array = expr.keep_array;
        let pos = expr.pos;
        let _ = (keep_array, pos);
        Ok(match expr.kind {
            Kind::Condition(c, t, e) => {
                let mut n = Node::new(Kind::Null, pos);
                let c = self.process(*c)?;
                push_ancestry(&mut n.seeking_parent, &c);
                let t = self.process(*t)?;
                push_ancestry(&mut n.seeking_parent, &t);
                let e = match e {
                    Some(e) => {
                        let e = self.process(*e)?;
                        push_ancestry(&mut n.seeking_parent, &e);
                        Some(Box::new(e))
                    }
                    None => None,
                };
                n.kind = Kind::Condition(Box::new(c), Box::new(t), e);
                n
            }
            #[allow(unreachable_patterns)]
            _ => return Err(Error::new("S0201").at(pos)),
        })
    }

    #[inline(never)]
    fn process_arm_13(&mut self, expr: Node) -> Result<Node> {
        let keep_array = expr.keep_array;
        let pos = expr.pos;
        let _ = (keep_array, pos);
        Ok(match expr.kind {
            Kind::Transform(def) => {
                let def = Arc::try_unwrap(def).map_err(|_| Error::new("S0201").at(pos))?;
                let pattern = self.process(def.pattern)?;
                let update = self.process(def.update)?;
                let delete = match def.delete {
                    Some(d) => Some(self.process(d)?),
                    None => None,
                };
                Node::new(
                    Kind::Transform(Arc::new(TransformDef {
                        pattern,
                        update,
                        delete,
                    })),
                    pos,
                )
            }
            #[allow(unreachable_patterns)]
            _ => return Err(Error::new("S0201").at(pos)),
        })
    }

    #[inline(never)]
    fn process_arm_14(&mut self, expr: Node) -> Result<Node> {
        let keep_array = expr.keep_array;
        let pos = expr.pos;
        let _ = (keep_array, pos);
        Ok(match expr.kind {
            Kind::Block(exprs) => {
                let mut n = Node::new(Kind::Null, pos);
                let mut out = Vec::new();
                for e in exprs {
                    let part = self.process(e)?;
                    push_ancestry(&mut n.seeking_parent, &part);
                    if part.consarray
                        || matches!(&part.kind, Kind::Path(s) if s.first().is_some_and(|f| f.consarray))
                    {
                        n.consarray = true;
                    }
                    out.push(part);
                }
                n.kind = Kind::Block(out);
                n
            }
            #[allow(unreachable_patterns)]
            _ => return Err(Error::new("S0201").at(pos)),
        })
    }

    #[inline(never)]
    fn process_arm_15(&mut self, expr: Node) -> Result<Node> {
        let keep_array = expr.keep_array;
        let pos = expr.pos;
        let _ = (keep_array, pos);
        Ok(match expr.kind {
            Kind::Name(name) => {
                let keep = keep_array;
                let mut step = Node::new(Kind::Name(name), pos);
                step.keep_array = keep;
                let mut p = Node::new(Kind::Path(vec![step]), pos);
                if keep {
                    p.keep_singleton_array = true;
                }
                p
            }
            #[allow(unreachable_patterns)]
            _ => return Err(Error::new("S0201").at(pos)),
        })
    }

    #[inline(never)]
    fn process_arm_16(&mut self, expr: Node) -> Result<Node> {
        let keep_array = expr.keep_array;
        let pos = expr.pos;
        let _ = (keep_array, pos);
        Ok(match expr.kind {
            Kind::ParentRaw => {
                let label = format!("!{}", self.ancestor_label);
                self.ancestor_label += 1;
                Node::new(Kind::Parent(ast::new_slot(label)), pos)
            }
            #[allow(unreachable_patterns)]
            _ => return Err(Error::new("S0201").at(pos)),
        })
    }

    #[inline(never)]
    #[allow(unreachable_code)]
    fn process_arm_17(&mut self, expr: Node) -> Result<Node> {
        let keep_array = expr.keep_array;
        let pos = expr.pos;
        let _ = (keep_array, pos);
        Ok(match expr.kind {
            Kind::OperatorName(name) => {
                let n = Node {
                    kind: Kind::Name(name),
                    ..Node::new(Kind::Null, pos)
                };
                let n = Node { keep_array, ..n };
                return self.process(n);
            }
            #[allow(unreachable_patterns)]
            _ => return Err(Error::new("S0201").at(pos)),
        })
    }

    #[inline(never)]
    fn process_arm_18(&mut self, expr: Node) -> Result<Node> {
        let keep_array = expr.keep_array;
        let pos = expr.pos;
        let _ = (keep_array, pos);
        Ok(match expr.kind {
            kind => Node {
                kind,
                ..Node::new(Kind::Null, pos)
            },
            #[allow(unreachable_patterns)]
            _ => return Err(Error::new("S0201").at(pos)),
        })
    }

    fn process_inner(&mut self, expr: Node) -> Result<Node> {
        let keep_array = expr.keep_array;
        let mut result = match expr.kind {
            Kind::Infix(..) => self.process_arm_0(expr)?,
            Kind::Filter(..) => self.process_arm_1(expr)?,
            Kind::GroupBy(..) => self.process_arm_2(expr)?,
            Kind::OrderBy(..) => self.process_arm_3(expr)?,
            Kind::FocusBind(..) => self.process_arm_4(expr)?,
            Kind::IndexBind(..) => self.process_arm_5(expr)?,
            Kind::Negate(..) => self.process_arm_6(expr)?,
            Kind::Array(..) => self.process_arm_7(expr)?,
            Kind::Object(..) => self.process_arm_8(expr)?,
            Kind::Function(..) => self.process_arm_9(expr)?,
            Kind::Partial(..) => self.process_arm_10(expr)?,
            Kind::Lambda(..) => self.process_arm_11(expr)?,
            Kind::Condition(..) => self.process_arm_12(expr)?,
            Kind::Transform(..) => self.process_arm_13(expr)?,
            Kind::Block(..) => self.process_arm_14(expr)?,
            Kind::Name(..) => self.process_arm_15(expr)?,
            Kind::ParentRaw => self.process_arm_16(expr)?,
            Kind::OperatorName(..) => self.process_arm_17(expr)?,
            _ => self.process_arm_18(expr)?,
        };
        if keep_array {
            result.keep_array = true;
        }
        Ok(result)
    }
}

fn unreachable_path<T>() -> Result<T> {
    Err(Error::new("S0201"))
}

fn set_keep_array(n: &mut Node) {
    match &mut n.kind {
        Kind::Filter(lhs, _) => set_keep_array(lhs),
        _ => n.keep_array = true,
    }
}
