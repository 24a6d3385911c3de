//! The parsed DSL: a tree of values, each keeping its span.
//!
//! The grammar is deliberately small and JSON-like; what each field means is decided
//! when the tree is lowered (`lower.rs`):
//!
//! ```text
//! input   := attr* vis? IDENT ('(' TYPE ')')? ('->' TYPE)? (object | '=' STRING (',' 'activities' '{' (STRING '=>' PATH),* '}')?)
//! object  := '{' (attr* key ':' value),* '}'
//! key     := IDENT | STRING
//! value   := STRING | '-'? NUMBER | BOOL | '[' value,* ']' | object
//!          | PATH ('.' IDENT)? ('(' value ')')? object?      // `Succeed`, `Task(add) { … }`, `Negative`
//! ```

use proc_macro2::Span;
use syn::{
    Attribute, Ident, LitBool, LitFloat, LitInt, LitStr, Token, Type, Visibility, braced,
    bracketed,
    ext::IdentExt,
    parenthesized,
    parse::{Parse, ParseStream},
    token,
};

/// The whole macro input.
pub(crate) struct Input {
    /// Doc comments and `#[sfn(crate = …)]`.
    pub(crate) attrs: Vec<Attribute>,
    pub(crate) vis: Visibility,
    pub(crate) name: Ident,
    pub(crate) input_ty: Option<Type>,
    pub(crate) output_ty: Option<Type>,
    pub(crate) body: Body,
}

/// A definition in the DSL, or in a file.
pub(crate) enum Body {
    Dsl(Object),
    File {
        path: LitStr,
        activities: Vec<(LitStr, syn::Path)>,
    },
}

/// `{ key: value, … }`.
pub(crate) struct Object {
    pub(crate) span: Span,
    pub(crate) fields: Vec<Field>,
}

/// `key: value`, with the doc comments written above it.
pub(crate) struct Field {
    pub(crate) attrs: Vec<Attribute>,
    pub(crate) key: Key,
    pub(crate) value: Value,
}

/// A field name: an identifier or a string (for state names that are not identifiers,
/// and JSON keys such as `"x.$"`).
pub(crate) enum Key {
    Ident(Ident),
    Str(LitStr),
}

impl Key {
    pub(crate) fn name(&self) -> String {
        match self {
            Key::Ident(i) => i.unraw().to_string(),
            Key::Str(s) => s.value(),
        }
    }

    pub(crate) fn span(&self) -> Span {
        match self {
            Key::Ident(i) => i.span(),
            Key::Str(s) => s.span(),
        }
    }
}

/// A value.
pub(crate) enum Value {
    Str(LitStr),
    Int {
        lit: LitInt,
        negative: bool,
        span: Span,
    },
    Float {
        lit: LitFloat,
        negative: bool,
        span: Span,
    },
    Bool(LitBool),
    Array {
        span: Span,
        items: Vec<Value>,
    },
    Object(Object),
    /// A path with what may follow it: `null`, `Positive`, `Task(add) { … }`,
    /// `lambda::invoke.wait_for_task_token`.
    Call(Call),
}

/// `PATH ('.' IDENT)? ('(' value ')')? object?`.
pub(crate) struct Call {
    pub(crate) path: syn::Path,
    pub(crate) suffix: Option<Ident>,
    pub(crate) arg: Option<Box<Value>>,
    pub(crate) body: Option<Object>,
}

impl Call {
    /// The path as a single identifier, if it is one.
    pub(crate) fn ident(&self) -> Option<&Ident> {
        if self.path.leading_colon.is_none() && self.path.segments.len() == 1 {
            self.path.segments.first().map(|s| &s.ident)
        } else {
            None
        }
    }

    /// Whether this is a bare identifier (no suffix, argument or body).
    pub(crate) fn bare_ident(&self) -> Option<&Ident> {
        if self.suffix.is_none() && self.arg.is_none() && self.body.is_none() {
            self.ident()
        } else {
            None
        }
    }
}

impl Value {
    /// The span of the whole value (its first token for compound values).
    pub(crate) fn span(&self) -> Span {
        match self {
            Value::Str(s) => s.span(),
            Value::Int { span, .. } | Value::Float { span, .. } => *span,
            Value::Bool(b) => b.span,
            Value::Array { span, .. } => *span,
            Value::Object(o) => o.span,
            Value::Call(c) => c
                .path
                .segments
                .first()
                .map(|s| s.ident.span())
                .unwrap_or_else(Span::call_site),
        }
    }

    /// What kind of value this is, for messages.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Value::Str(_) => "a string",
            Value::Int { .. } | Value::Float { .. } => "a number",
            Value::Bool(_) => "a boolean",
            Value::Array { .. } => "a list",
            Value::Object(_) => "an object",
            Value::Call(c) if c.path.leading_colon.is_some() || c.path.segments.len() > 1 => {
                "a path"
            }
            Value::Call(c) if c.suffix.is_some() => "a name followed by `.…`",
            Value::Call(c) if c.arg.is_some() => "a name followed by `(…)`",
            Value::Call(c) if c.body.is_some() => "a name followed by `{ … }`",
            Value::Call(_) => "a name",
        }
    }
}

impl Parse for Input {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis: Visibility = input.parse()?;
        let name: Ident = input.parse()?;
        let input_ty = if input.peek(token::Paren) {
            let content;
            parenthesized!(content in input);
            Some(content.parse()?)
        } else {
            None
        };
        let output_ty = if input.peek(Token![->]) {
            input.parse::<Token![->]>()?;
            Some(input.parse()?)
        } else {
            None
        };
        let body = if input.peek(Token![=]) {
            input.parse::<Token![=]>()?;
            let path: LitStr = input.parse()?;
            let mut activities = Vec::new();
            if input.peek(Token![,]) {
                input.parse::<Token![,]>()?;
            }
            if !input.is_empty() {
                let kw: Ident = input.parse()?;
                if kw != "activities" {
                    return Err(syn::Error::new(
                        kw.span(),
                        "expected `activities { \"<resource>\" => <activity>, … }`",
                    ));
                }
                let content;
                braced!(content in input);
                while !content.is_empty() {
                    let resource: LitStr = content.parse()?;
                    content.parse::<Token![=>]>()?;
                    let activity = content.call(syn::Path::parse_mod_style)?;
                    activities.push((resource, activity));
                    if !content.is_empty() {
                        content.parse::<Token![,]>()?;
                    }
                }
            }
            Body::File { path, activities }
        } else {
            Body::Dsl(input.parse()?)
        };
        if input.peek(Token![,]) {
            input.parse::<Token![,]>()?;
        }
        if !input.is_empty() {
            return Err(input.error(
                "unexpected tokens after the state machine; `state_machine!` defines one machine",
            ));
        }
        Ok(Input {
            attrs,
            vis,
            name,
            input_ty,
            output_ty,
            body,
        })
    }
}

impl Parse for Object {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let content;
        let brace = braced!(content in input);
        let mut fields = Vec::new();
        while !content.is_empty() {
            let attrs = content.call(Attribute::parse_outer)?;
            let key = if content.peek(LitStr) {
                Key::Str(content.parse()?)
            } else if content.peek(Ident::peek_any) {
                Key::Ident(content.call(Ident::parse_any)?)
            } else {
                return Err(content.error("expected a field name"));
            };
            content.parse::<Token![:]>()?;
            let value = content.parse()?;
            fields.push(Field { attrs, key, value });
            if content.is_empty() {
                break;
            }
            content.parse::<Token![,]>()?;
        }
        Ok(Object {
            span: brace.span.join(),
            fields,
        })
    }
}

impl Parse for Value {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        if input.peek(LitStr) {
            return Ok(Value::Str(input.parse()?));
        }
        if input.peek(LitBool) {
            return Ok(Value::Bool(input.parse()?));
        }
        let negative = if input.peek(Token![-]) {
            input.parse::<Token![-]>()?;
            true
        } else {
            false
        };
        if input.peek(LitInt) {
            let lit: LitInt = input.parse()?;
            return Ok(Value::Int {
                span: lit.span(),
                lit,
                negative,
            });
        }
        if input.peek(LitFloat) {
            let lit: LitFloat = input.parse()?;
            return Ok(Value::Float {
                span: lit.span(),
                lit,
                negative,
            });
        }
        if negative {
            return Err(input.error("expected a number after `-`"));
        }
        if input.peek(token::Bracket) {
            let content;
            let bracket = bracketed!(content in input);
            let mut items = Vec::new();
            while !content.is_empty() {
                items.push(content.parse()?);
                if content.is_empty() {
                    break;
                }
                content.parse::<Token![,]>()?;
            }
            return Ok(Value::Array {
                span: bracket.span.join(),
                items,
            });
        }
        if input.peek(token::Brace) {
            return Ok(Value::Object(input.parse()?));
        }
        if input.peek(Ident::peek_any) || input.peek(Token![::]) {
            let path = input.call(syn::Path::parse_mod_style)?;
            let suffix = if input.peek(Token![.]) {
                input.parse::<Token![.]>()?;
                Some(input.call(Ident::parse_any)?)
            } else {
                None
            };
            let arg = if input.peek(token::Paren) {
                let content;
                parenthesized!(content in input);
                let v: Value = content.parse()?;
                if !content.is_empty() {
                    return Err(content.error("expected one argument"));
                }
                Some(Box::new(v))
            } else {
                None
            };
            let body = if input.peek(token::Brace) {
                Some(input.parse()?)
            } else {
                None
            };
            return Ok(Value::Call(Call {
                path,
                suffix,
                arg,
                body,
            }));
        }
        Err(input.error("expected a value: a string, a number, `true`, `false`, `null`, a list `[…]`, an object `{…}` or a state"))
    }
}
