//! Identifiers derived from names: substitution variables and CloudFormation logical IDs
//! (ASCII letters and digits, `PascalCase`), Terraform names (`snake_case`), each unique
//! among those already taken.

use std::collections::BTreeSet;

/// The ASCII letters and digits of `name` in `PascalCase`: `add-numbers`, `add_numbers`
/// and `addNumbers` are all `AddNumbers`.
pub(super) fn pascal(name: &str) -> String {
    words(name)
        .iter()
        .map(|w| {
            let mut chars = w.chars();
            chars.next().map_or_else(String::new, |c| {
                c.to_ascii_uppercase().to_string() + &chars.as_str().to_ascii_lowercase()
            })
        })
        .collect()
}

/// The ASCII letters and digits of `name` in `snake_case`: `addNumbers` is `add_numbers`.
pub(super) fn snake(name: &str) -> String {
    words(name)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_")
}

/// The words of `name`: runs of ASCII letters and digits, split where a lower-case letter
/// or a digit is followed by an upper-case one.
fn words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut prev: Option<char> = None;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            prev = None;
            continue;
        }
        let boundary = c.is_ascii_uppercase()
            && prev.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit());
        if boundary && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        word.push(c);
        prev = Some(c);
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// The function's name (and qualifier) in a Lambda function's ARN, partial ARN or name.
pub(super) fn function_part(function: &str) -> &str {
    function
        .split_once("function:")
        .map_or(function, |(_, name)| name)
}

/// Identifiers handed out once each.
#[derive(Debug, Default)]
pub(super) struct Taken(BTreeSet<String>);

impl Taken {
    /// Marks `name` as taken without handing it out.
    pub(super) fn reserve(&mut self, name: impl Into<String>) {
        self.0.insert(name.into());
    }

    /// `base` if it is free, else `base2`, `base3`, … (`base_2`, … when `sep` is `_`);
    /// the one returned is taken from then on.
    pub(super) fn unique(&mut self, base: &str, sep: &str) -> String {
        let mut candidate = base.to_owned();
        let mut n = 2;
        while self.0.contains(&candidate) {
            candidate = format!("{base}{sep}{n}");
            n += 1;
        }
        self.0.insert(candidate.clone());
        candidate
    }
}

/// A Terraform name for `name`: its `snake_case`, after `prefix_` when it would not start
/// with a letter (or is empty).
pub(super) fn terraform_name(name: &str, prefix: &str) -> String {
    let s = snake(name);
    if s.starts_with(|c: char| c.is_ascii_alphabetic()) {
        s
    } else if s.is_empty() {
        prefix.to_owned()
    } else {
        format!("{prefix}_{s}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases() {
        assert_eq!(pascal("add-numbers"), "AddNumbers");
        assert_eq!(pascal("addNumbers"), "AddNumbers");
        assert_eq!(pascal("add_numbers.v2"), "AddNumbersV2");
        assert_eq!(pascal("ÄÖ"), "");
        assert_eq!(snake("addNumbers"), "add_numbers");
        assert_eq!(snake("HTTPServer-2"), "httpserver_2");
        assert_eq!(terraform_name("2fast", "activity"), "activity_2fast");
        assert_eq!(terraform_name("é", "activity"), "activity");
    }

    #[test]
    fn unique_names() {
        let mut t = Taken::default();
        t.reserve("A");
        assert_eq!(t.unique("A", ""), "A2");
        assert_eq!(t.unique("A", ""), "A3");
        assert_eq!(t.unique("b", "_"), "b");
        assert_eq!(t.unique("b", "_"), "b_2");
    }
}
