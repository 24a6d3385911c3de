//! Function signatures (`<s-n?:s>`) and argument validation against them.

use super::errors::{Error, Result};
use super::value::{Flags, Value, describe};

#[derive(Debug, Clone)]
struct Param {
    regex: String,
    ty: String,
    context: bool,
    context_regex: Option<regex::Regex>,
    subtype: Option<String>,
}

/// A parsed signature.
#[derive(Debug)]
pub(crate) struct Signature {
    params: Vec<Param>,
    regex: regex::Regex,
}

fn symbol(v: &Value) -> char {
    match v {
        Value::Lambda(_) | Value::Native(_) | Value::Regex(_) => 'f',
        Value::String(_) => 's',
        Value::Number(_) => 'n',
        Value::Bool(_) => 'b',
        Value::Null => 'l',
        Value::Array(..) => 'a',
        Value::Object(_) => 'o',
        Value::Undefined => 'm',
    }
}

fn closing(chars: &[char], start: usize, open: char, close: char) -> usize {
    let mut depth = 1;
    let mut pos = start;
    while pos + 1 < chars.len() {
        pos += 1;
        let c = chars[pos];
        if c == close {
            depth -= 1;
            if depth == 0 {
                break;
            }
        } else if c == open {
            depth += 1;
        }
    }
    pos
}

impl Signature {
    /// Parses a signature such as `<a<n>f?:a>`.
    pub(crate) fn parse(sig: &str) -> Result<Signature> {
        let chars: Vec<char> = sig.chars().collect();
        let mut params: Vec<Param> = Vec::new();
        let mut position = 1;
        let new_param = || Param {
            regex: String::new(),
            ty: String::new(),
            context: false,
            context_regex: None,
            subtype: None,
        };
        let mut param = new_param();
        while position < chars.len() {
            let c = chars[position];
            if c == ':' {
                break;
            }
            let next = |param: &mut Param, params: &mut Vec<Param>| {
                params.push(std::mem::replace(param, new_param()));
            };
            match c {
                's' | 'n' | 'b' | 'l' | 'o' => {
                    param.regex = format!("[{c}m]");
                    param.ty = c.to_string();
                    next(&mut param, &mut params);
                }
                'a' => {
                    param.regex = "[asnblfom]".into();
                    param.ty = "a".into();
                    next(&mut param, &mut params);
                }
                'f' => {
                    param.regex = "f".into();
                    param.ty = "f".into();
                    next(&mut param, &mut params);
                }
                'j' => {
                    param.regex = "[asnblom]".into();
                    param.ty = "j".into();
                    next(&mut param, &mut params);
                }
                'x' => {
                    param.regex = "[asnblfom]".into();
                    param.ty = "x".into();
                    next(&mut param, &mut params);
                }
                '-' => {
                    if let Some(prev) = params.last_mut() {
                        prev.context = true;
                        prev.context_regex = regex::Regex::new(&format!("^{}$", prev.regex)).ok();
                        prev.regex.push('?');
                    }
                }
                '?' | '+' => {
                    if let Some(prev) = params.last_mut() {
                        prev.regex.push(c);
                    }
                }
                '(' => {
                    let end = closing(&chars, position, '(', ')');
                    let choice: String = chars[position + 1..end.min(chars.len())].iter().collect();
                    if choice.contains('<') {
                        return Err(Error::new("S0402").value(choice));
                    }
                    param.regex = format!("[{choice}m]");
                    param.ty = format!("({choice})");
                    position = end;
                    next(&mut param, &mut params);
                }
                '<' => {
                    let prev_ty = params.last().map(|p| p.ty.clone()).unwrap_or_default();
                    if prev_ty == "a" || prev_ty == "f" {
                        let end = closing(&chars, position, '<', '>');
                        let sub: String =
                            chars[position + 1..end.min(chars.len())].iter().collect();
                        if let Some(prev) = params.last_mut() {
                            prev.subtype = Some(sub);
                        }
                        position = end;
                    } else {
                        return Err(Error::new("S0401").value(prev_ty));
                    }
                }
                _ => {}
            }
            position += 1;
        }
        let pattern = format!(
            "^{}$",
            params
                .iter()
                .map(|p| format!("({})", p.regex))
                .collect::<String>()
        );
        let regex = regex::Regex::new(&pattern).map_err(|_| Error::new("S0401"))?;
        Ok(Signature { params, regex })
    }

    /// Checks `args` against the signature, filling in the context value and wrapping
    /// singletons into arrays where the signature asks for an array.
    pub(crate) fn validate(&self, args: &[Value], context: &Value) -> Result<Vec<Value>> {
        let supplied: String = args.iter().map(symbol).collect();
        let Some(caps) = self.regex.captures(&supplied) else {
            return Err(self.validation_error(args, &supplied));
        };
        let mut out = Vec::with_capacity(self.params.len());
        let mut arg_index = 0;
        for (index, param) in self.params.iter().enumerate() {
            let matched = caps.get(index + 1).map(|m| m.as_str()).unwrap_or("");
            if matched.is_empty() {
                if param.context && param.context_regex.is_some() {
                    let ctype = symbol(context).to_string();
                    if param
                        .context_regex
                        .as_ref()
                        .is_some_and(|r| r.is_match(&ctype))
                    {
                        out.push(context.clone());
                    } else {
                        return Err(Error::new("T0411")
                            .value(describe(context))
                            .index(arg_index + 1));
                    }
                } else {
                    out.push(args.get(arg_index).cloned().unwrap_or(Value::Undefined));
                    arg_index += 1;
                }
                continue;
            }
            for single in matched.chars() {
                let arg = args.get(arg_index).cloned().unwrap_or(Value::Undefined);
                if param.ty == "a" {
                    if single == 'm' {
                        out.push(Value::Undefined);
                    } else {
                        let mut ok = true;
                        if let Some(sub) = &param.subtype {
                            if single != 'a' && matched != sub {
                                ok = false;
                            } else if single == 'a'
                                && let Value::Array(items, _) = &arg
                                && let Some(first) = items.first()
                            {
                                let it = symbol(first);
                                if !sub.starts_with(it) {
                                    ok = false;
                                } else {
                                    ok = items.iter().all(|v| symbol(v) == it);
                                }
                            }
                        }
                        if !ok {
                            let mut e = Error::new("T0412")
                                .value(describe(&arg))
                                .index(arg_index + 1);
                            e.type_name = Some(
                                match param.subtype.as_deref() {
                                    Some("a") => "arrays",
                                    Some("b") => "booleans",
                                    Some("f") => "functions",
                                    Some("n") => "numbers",
                                    Some("o") => "objects",
                                    Some("s") => "strings",
                                    _ => "values",
                                }
                                .to_owned(),
                            );
                            return Err(e);
                        }
                        if single != 'a' {
                            out.push(Value::Array(std::rc::Rc::new(vec![arg]), Flags::NONE));
                        } else {
                            out.push(arg);
                        }
                    }
                } else {
                    out.push(arg);
                }
                arg_index += 1;
            }
        }
        Ok(out)
    }

    fn validation_error(&self, args: &[Value], supplied: &str) -> Error {
        let mut partial = String::from("^");
        let mut good_to = 0;
        for p in &self.params {
            partial.push_str(&p.regex);
            let m = regex::Regex::new(&partial)
                .ok()
                .and_then(|r| r.find(supplied).map(|m| m.end()));
            match m {
                None => break,
                Some(end) => good_to = end,
            }
        }
        let value = args
            .get(good_to)
            .map(describe)
            .unwrap_or_else(|| "undefined".into());
        Error::new("T0410").value(value).index(good_to + 1)
    }
}
