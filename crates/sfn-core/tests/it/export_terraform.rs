//! The Terraform export checked against the `hashicorp/aws` provider's documented schema,
//! without Terraform: the golden configurations are read by a minimal HCL reader, their
//! blocks and attributes must be documented ones, their names valid identifiers, every
//! reference declared, and the `jsonencode(…)` body the definition with its substitutions.

use std::collections::BTreeMap;

use serde_json::{Map, Value};
use sfn_core::export::{ExportFormat, SubstitutionKind, with_substitutions};

use crate::export_golden::{exported, fixture, fixtures};

/// Arguments and attributes of `aws_sfn_state_machine`.
/// Source: <https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/sfn_state_machine>
/// (`website/docs/r/sfn_state_machine.html.markdown` in `hashicorp/terraform-provider-aws`).
const STATE_MACHINE_ARGUMENTS: &[&str] = &[
    "region",
    "definition",
    "encryption_configuration",
    "logging_configuration",
    "name",
    "name_prefix",
    "publish",
    "role_arn",
    "tags",
    "tracing_configuration",
    "type",
];
const STATE_MACHINE_ATTRIBUTES: &[&str] = &[
    "id",
    "arn",
    "creation_date",
    "state_machine_version_arn",
    "status",
    "tags_all",
];

/// Arguments and attributes of `aws_sfn_activity` (`id` is the activity's ARN).
/// Source: <https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/sfn_activity>
/// (`website/docs/r/sfn_activity.html.markdown`).
const ACTIVITY_ARGUMENTS: &[&str] = &["name", "tags"];
const ACTIVITY_ATTRIBUTES: &[&str] = &["id", "creation_date", "tags_all"];

/// Arguments of `variable` and `output` blocks.
/// Source: <https://developer.hashicorp.com/terraform/language/values/variables> and
/// <https://developer.hashicorp.com/terraform/language/values/outputs>.
const VARIABLE_ARGUMENTS: &[&str] = &["description", "type", "default", "sensitive", "nullable"];
const OUTPUT_ARGUMENTS: &[&str] = &["description", "value", "sensitive", "depends_on"];

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    Str(String),
    Num(String),
    Punct(char),
}

/// The tokens of a configuration; strings decoded (`$${` is `${`, `%%{` is `%{`), and any
/// template interpolation in a string refused.
fn tokens(text: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut depth: Vec<char> = Vec::new();
    while i < chars.len() {
        let c = chars[i];
        match c {
            '#' => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            c if c.is_whitespace() => i += 1,
            '"' => {
                i += 1;
                let mut s = String::new();
                loop {
                    let Some(&c) = chars.get(i) else {
                        return Err("unterminated string".into());
                    };
                    let next = |k: usize| chars.get(i + k).copied();
                    match c {
                        '"' => {
                            i += 1;
                            break;
                        }
                        '\n' => return Err("newline in a string".into()),
                        '\\' => {
                            let e = next(1).ok_or("escape at the end")?;
                            i += 2;
                            match e {
                                'n' => s.push('\n'),
                                'r' => s.push('\r'),
                                't' => s.push('\t'),
                                '"' => s.push('"'),
                                '\\' => s.push('\\'),
                                'u' => {
                                    let hex: String = chars[i..i + 4].iter().collect();
                                    let n =
                                        u32::from_str_radix(&hex, 16).map_err(|e| e.to_string())?;
                                    s.push(char::from_u32(n).ok_or("bad \\u")?);
                                    i += 4;
                                }
                                other => return Err(format!("unknown escape \\{other}")),
                            }
                        }
                        '$' | '%' if next(1) == Some(c) && next(2) == Some('{') => {
                            s.push(c);
                            s.push('{');
                            i += 3;
                        }
                        '$' | '%' if next(1) == Some('{') => {
                            return Err(format!("a template sequence {c}{{ in a string: {s}"));
                        }
                        c => {
                            s.push(c);
                            i += 1;
                        }
                    }
                }
                out.push(Token::Str(s));
            }
            c if c.is_ascii_digit()
                || (c == '-' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) =>
            {
                let start = i;
                i += 1;
                while chars
                    .get(i)
                    .is_some_and(|c| c.is_ascii_digit() || ".eE+-".contains(*c))
                {
                    i += 1;
                }
                out.push(Token::Num(chars[start..i].iter().collect()));
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                let start = i;
                while chars
                    .get(i)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                {
                    i += 1;
                }
                out.push(Token::Ident(chars[start..i].iter().collect()));
            }
            '{' | '[' | '(' => {
                depth.push(c);
                out.push(Token::Punct(c));
                i += 1;
            }
            '}' | ']' | ')' => {
                let open = depth.pop().ok_or(format!("unbalanced {c}"))?;
                if !matches!((open, c), ('{', '}') | ('[', ']') | ('(', ')')) {
                    return Err(format!("{open} closed by {c}"));
                }
                out.push(Token::Punct(c));
                i += 1;
            }
            '=' | ',' | '.' => {
                out.push(Token::Punct(c));
                i += 1;
            }
            other => return Err(format!("unexpected {other:?}")),
        }
    }
    if !depth.is_empty() {
        return Err(format!("unclosed {depth:?}"));
    }
    Ok(out)
}

#[derive(Debug, Clone)]
enum Expr {
    Lit(Value),
    Ref(Vec<String>),
    Call(String, Vec<Expr>),
    Object(Vec<(String, Expr)>),
    Tuple(Vec<Expr>),
}

#[derive(Debug, Clone)]
struct Block {
    kind: String,
    labels: Vec<String>,
    attributes: BTreeMap<String, Expr>,
    blocks: Vec<Block>,
}

struct Reader {
    tokens: Vec<Token>,
    at: usize,
}

impl Reader {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Result<Token, String> {
        let t = self.tokens.get(self.at).cloned().ok_or("unexpected end")?;
        self.at += 1;
        Ok(t)
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(&Token::Punct(c)) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: char) -> Result<(), String> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(format!("expected {c:?}, found {:?}", self.peek()))
        }
    }

    /// A body's attributes and blocks, up to `}` or the end.
    fn body(&mut self, kind: &str, labels: Vec<String>) -> Result<Block, String> {
        let mut block = Block {
            kind: kind.to_owned(),
            labels,
            attributes: BTreeMap::new(),
            blocks: Vec::new(),
        };
        while let Some(t) = self.peek().cloned() {
            if t == Token::Punct('}') {
                break;
            }
            let Token::Ident(name) = self.next()? else {
                return Err(format!("expected a name, found {t:?}"));
            };
            if self.eat('=') {
                let e = self.expr()?;
                if block.attributes.insert(name.clone(), e).is_some() {
                    return Err(format!("{name} set twice"));
                }
            } else {
                let mut labels = Vec::new();
                while let Some(Token::Str(l)) = self.peek() {
                    labels.push(l.clone());
                    self.at += 1;
                }
                self.expect('{')?;
                let inner = self.body(&name, labels)?;
                self.expect('}')?;
                block.blocks.push(inner);
            }
        }
        Ok(block)
    }

    fn expr(&mut self) -> Result<Expr, String> {
        match self.next()? {
            Token::Str(s) => Ok(Expr::Lit(Value::String(s))),
            Token::Num(n) => Ok(Expr::Lit(
                serde_json::from_str(&n).map_err(|e| format!("{n}: {e}"))?,
            )),
            Token::Ident(w) if w == "true" => Ok(Expr::Lit(Value::Bool(true))),
            Token::Ident(w) if w == "false" => Ok(Expr::Lit(Value::Bool(false))),
            Token::Ident(w) if w == "null" => Ok(Expr::Lit(Value::Null)),
            Token::Ident(w) => {
                if self.eat('(') {
                    let mut args = Vec::new();
                    while !self.eat(')') {
                        args.push(self.expr()?);
                        self.eat(',');
                    }
                    return Ok(Expr::Call(w, args));
                }
                let mut path = vec![w];
                while self.eat('.') {
                    match self.next()? {
                        Token::Ident(p) => path.push(p),
                        t => return Err(format!("expected a name after '.', found {t:?}")),
                    }
                }
                Ok(Expr::Ref(path))
            }
            Token::Punct('{') => {
                let mut items = Vec::new();
                while !self.eat('}') {
                    let key = match self.next()? {
                        Token::Str(k) | Token::Ident(k) => k,
                        t => return Err(format!("expected a key, found {t:?}")),
                    };
                    self.expect('=')?;
                    items.push((key, self.expr()?));
                    self.eat(',');
                }
                Ok(Expr::Object(items))
            }
            Token::Punct('[') => {
                let mut items = Vec::new();
                while !self.eat(']') {
                    items.push(self.expr()?);
                    self.eat(',');
                }
                Ok(Expr::Tuple(items))
            }
            t => Err(format!("unexpected {t:?}")),
        }
    }
}

/// A configuration as one body.
fn read(text: &str) -> Result<Block, String> {
    let mut r = Reader {
        tokens: tokens(text)?,
        at: 0,
    };
    let body = r.body("", Vec::new())?;
    if r.at != r.tokens.len() {
        return Err(format!("left over at token {}: {:?}", r.at, r.peek()));
    }
    Ok(body)
}

/// Every reference in an expression.
fn references(e: &Expr, out: &mut Vec<Vec<String>>) {
    match e {
        Expr::Ref(p) => out.push(p.clone()),
        Expr::Call(_, args) | Expr::Tuple(args) => args.iter().for_each(|a| references(a, out)),
        Expr::Object(items) => items.iter().for_each(|(_, v)| references(v, out)),
        Expr::Lit(_) => {}
    }
}

/// An expression as JSON, `reference` giving the value of each reference.
fn evaluate(e: &Expr, reference: &dyn Fn(&[String]) -> Value) -> Value {
    match e {
        Expr::Lit(v) => v.clone(),
        Expr::Ref(p) => reference(p),
        Expr::Call(f, _) => panic!("a call to {f} inside the definition"),
        Expr::Tuple(items) => Value::Array(items.iter().map(|v| evaluate(v, reference)).collect()),
        Expr::Object(items) => {
            let mut m = Map::new();
            for (k, v) in items {
                assert!(
                    m.insert(k.clone(), evaluate(v, reference)).is_none(),
                    "{k} twice"
                );
            }
            Value::Object(m)
        }
    }
}

fn is_identifier(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn string_attr<'a>(b: &'a Block, name: &str) -> Option<&'a str> {
    match b.attributes.get(name) {
        Some(Expr::Lit(Value::String(s))) => Some(s),
        _ => None,
    }
}

#[test]
fn hcl_strings_decode_as_terraform_reads_them() {
    let t = tokens(r#"x = "$$${a} %%{b} \"q\" \\ \u00e9 \n""#).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(t[2], Token::Str("$${a} %{b} \"q\" \\ é \n".into()));
    assert!(tokens(r#"x = "${a}""#).is_err());
    assert!(tokens("x = {").is_err());
    assert!(tokens("x = (]").is_err());
}

#[test]
fn terraform_uses_only_documented_resources_and_attributes() {
    for name in fixtures() {
        let text = exported(&name, ExportFormat::Terraform);
        let config = read(&text).unwrap_or_else(|e| panic!("{name}: {e}\n{text}"));
        assert!(config.attributes.is_empty(), "{name}: top-level attributes");
        let mut declared: BTreeMap<(String, String), &Block> = BTreeMap::new();
        for b in &config.blocks {
            let (kind, label) = match (b.kind.as_str(), b.labels.as_slice()) {
                ("terraform", []) => continue,
                ("variable" | "output", [l]) => (b.kind.clone(), l.clone()),
                ("resource", [t, l]) => (t.clone(), l.clone()),
                _ => panic!("{name}: unexpected block {} {:?}", b.kind, b.labels),
            };
            assert!(
                is_identifier(&label),
                "{name}: {label} is not an identifier"
            );
            let (allowed, required): (&[&str], &[&str]) = match kind.as_str() {
                "aws_sfn_state_machine" => (STATE_MACHINE_ARGUMENTS, &["definition", "role_arn"]),
                "aws_sfn_activity" => (ACTIVITY_ARGUMENTS, &["name"]),
                "variable" => (VARIABLE_ARGUMENTS, &["type"]),
                "output" => (OUTPUT_ARGUMENTS, &["value"]),
                other => panic!("{name}: resource type {other} is not one of ours"),
            };
            for a in b.attributes.keys() {
                assert!(
                    allowed.contains(&a.as_str()),
                    "{name}: {kind}.{label}.{a} is not documented"
                );
            }
            for r in required {
                assert!(
                    b.attributes.contains_key(*r),
                    "{name}: {kind}.{label} lacks {r}"
                );
            }
            assert!(
                b.blocks.is_empty(),
                "{name}: nested blocks in {kind}.{label}"
            );
            assert!(
                declared.insert((kind.clone(), label.clone()), b).is_none(),
                "{name}: {kind}.{label} twice"
            );
        }
        // Every reference names something declared, by a documented attribute.
        let mut refs = Vec::new();
        for b in &config.blocks {
            b.attributes.values().for_each(|e| references(e, &mut refs));
        }
        for r in &refs {
            match r.as_slice() {
                [v, x] if v == "var" => {
                    assert!(
                        declared.contains_key(&("variable".into(), x.clone())),
                        "{name}: var.{x}"
                    );
                }
                [t, x, attr] => {
                    assert!(
                        declared.contains_key(&(t.clone(), x.clone())),
                        "{name}: {t}.{x}"
                    );
                    let known: Vec<&str> = match t.as_str() {
                        "aws_sfn_state_machine" => {
                            [STATE_MACHINE_ARGUMENTS, STATE_MACHINE_ATTRIBUTES].concat()
                        }
                        "aws_sfn_activity" => [ACTIVITY_ARGUMENTS, ACTIVITY_ATTRIBUTES].concat(),
                        _ => Vec::new(),
                    };
                    assert!(
                        known.contains(&attr.as_str()),
                        "{name}: {t}.{x}.{attr} is not documented"
                    );
                }
                [t] if t == "string" => {}
                other => panic!("{name}: unexpected reference {other:?}"),
            }
        }

        // The definition: jsonencode of the definition, references where the
        // substitution variables are.
        let machines: Vec<&&Block> = declared
            .iter()
            .filter(|((k, _), _)| k == "aws_sfn_state_machine")
            .map(|(_, b)| b)
            .collect();
        assert_eq!(machines.len(), 1, "{name}");
        let machine = machines[0];
        assert_eq!(string_attr(machine, "name"), Some(name.as_str()));
        assert_eq!(string_attr(machine, "type"), Some("STANDARD"));
        let Some(Expr::Call(f, args)) = machine.attributes.get("definition") else {
            panic!("{name}: definition is not a call");
        };
        assert_eq!((f.as_str(), args.len()), ("jsonencode", 1), "{name}");
        let asl = with_substitutions(&fixture(&name));
        let placeholder = |path: &[String]| -> Value {
            let (kind, value) = match path {
                [t, x, a] if t == "aws_sfn_activity" && a == "id" => {
                    let b = declared[&(t.clone(), x.clone())];
                    (SubstitutionKind::Activity, string_attr(b, "name"))
                }
                [v, x] if v == "var" => {
                    let b = declared[&("variable".to_owned(), x.clone())];
                    (SubstitutionKind::LambdaFunction, string_attr(b, "default"))
                }
                other => panic!("{name}: {other:?} in the definition"),
            };
            let s = asl
                .substitutions
                .iter()
                .find(|s| s.kind == kind && Some(s.value.as_str()) == value)
                .unwrap_or_else(|| panic!("{name}: no substitution for {path:?}"));
            Value::String(s.placeholder())
        };
        assert_eq!(evaluate(&args[0], &placeholder), asl.definition, "{name}");
    }
}
