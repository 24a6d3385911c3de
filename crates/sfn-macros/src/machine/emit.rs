//! Expansion: the definition as a `&'static str` built at compile time, and the
//! `StateMachineDefinition` impl.
//!
//! A Task that calls a Rust activity needs the activity's name (its `#[activity(name)]`
//! may differ from the function's) and its default timeouts, which only the compiler
//! knows. The ASL text is therefore split into pieces around markers, and a `const fn`
//! joins the pieces with `<add as ActivityDefinition>::NAME` and friends.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use serde_json::{Map, Value as Json};
use sfn_core::{StateMachine, model::ExecutionType};
use syn::{Attribute, LitStr, spanned::Spanned};

use super::{ast::Input, lower::Lowered};
use crate::{ctxt::Errors, krate};

const NAME_MARK: &str = "@@SFN_NAME_";
const DEFAULTS_MARK: &str = "@@SFN_DEFAULTS_";

/// What the expansion needs.
#[derive(Default)]
pub(crate) struct Emitted {
    /// The text pieces; empty when the definition is invalid.
    pieces: Vec<Piece>,
    /// Each distinct activity the machine calls, as written.
    activities: Vec<syn::Path>,
    /// Checks that the activities' default timeouts are consistent.
    checks: Vec<TokenStream>,
    machine_type: Option<ExecutionType>,
    /// For a file: `include_str!` of it.
    file: Option<(String, Span)>,
    /// Each Task that calls an activity: the activity, and whether the state sets its own
    /// timeout and heartbeat.
    tasks_for_pieces: Vec<(syn::Path, bool, bool)>,
    /// For a file: each activity with the name its resource expects.
    file_names: Vec<(syn::Path, String, Span)>,
    /// The machine as a Mermaid flowchart, for the type's documentation; none when the
    /// definition is invalid.
    mermaid: Option<String>,
}

enum Piece {
    Text(String),
    Name(usize),
    Defaults { task: usize, indent: String },
}

impl Emitted {
    /// For a DSL machine: the model (when valid) with the activity markers added.
    pub(crate) fn dsl(model: Option<StateMachine>, lowered: &Lowered, errors: &Errors) -> Emitted {
        let mut out = Emitted {
            machine_type: Some(lowered.machine_type),
            ..Emitted::default()
        };
        for a in &lowered.activities {
            if !out.activities.iter().any(|p| same_path(p, &a.path)) {
                out.activities.push(a.path.clone());
            }
        }
        let Some(model) = model.filter(|_| errors.is_empty()) else {
            return out;
        };
        out.mermaid = Some(sfn_graph::Graph::from_machine(&model).to_mermaid());
        let mut json = model.to_value();
        for (i, task) in lowered.activities.iter().enumerate() {
            let Some(Json::Object(state)) = json.pointer_mut(&task.ptr) else {
                continue;
            };
            state.insert(
                "Resource".to_owned(),
                Json::String(format!("arn:aws:states:::activity:{NAME_MARK}{i}@@")),
            );
            if task.timeout.is_none() || task.heartbeat.is_none() {
                insert_before(
                    state,
                    &format!("{DEFAULTS_MARK}{i}@@"),
                    &["Credentials", "Retry", "Catch", "Next", "End"],
                );
            }
        }
        let text = serde_json::to_string_pretty(&json).unwrap_or_default();
        out.pieces = split(&text);
        out.checks = lowered
            .activities
            .iter()
            .map(|t| {
                let path = &t.path;
                let from_activity = |own: Option<Option<u64>>, konst: TokenStream| match own {
                    None => Some(quote!(<#path as __p::ActivityDefinition>::#konst)),
                    Some(Some(n)) => Some(quote!(__p::Some(#n))),
                    Some(None) => None,
                };
                // A heartbeat of the state's own must leave sfn's worker, which beats by
                // the activity's declared heartbeat, time to beat.
                let beats = match t.heartbeat {
                    Some(Some(n)) => quote_spanned! {path.span()=>
                        const _: () = ::core::assert!(
                            __p::beats_in_time(<#path as __p::ActivityDefinition>::HEARTBEAT_SECONDS, #n),
                            "the Task's heartbeat_seconds leaves sfn's worker too little time: it beats every third of the activity's `heartbeat` (every 60 s without one), and two beats must fit in the state's heartbeat_seconds; declare `#[activity(heartbeat = N)]` with N at most one and a half times the state's heartbeat_seconds (or give the state at least 120 s)"
                        );
                    },
                    _ => TokenStream::new(),
                };
                if t.timeout.is_some() && t.heartbeat.is_some() {
                    return beats;
                }
                let hb = from_activity(t.heartbeat, quote!(HEARTBEAT_SECONDS));
                let to = from_activity(t.timeout, quote!(TIMEOUT_SECONDS));
                let (Some(hb), Some(to)) = (hb, to) else {
                    return beats;
                };
                quote_spanned! {path.span()=>
                    #beats
                    const _: () = ::core::assert!(
                        __p::heartbeat_below_timeout(#hb, #to),
                        "the Task's HeartbeatSeconds (its own or its activity's default) must be smaller than its TimeoutSeconds"
                    );
                }
            })
            .collect();
        out.tasks_for_pieces = lowered
            .activities
            .iter()
            .map(|t| (t.path.clone(), t.timeout.is_some(), t.heartbeat.is_some()))
            .collect();
        out
    }

    /// For a file: `include_str!` of it, and its activities.
    pub(crate) fn file(
        abs_path: String,
        span: Span,
        activities: Vec<(syn::Path, String, Span)>,
        valid: bool,
        mermaid: Option<String>,
    ) -> Emitted {
        let mut out = Emitted::default();
        for (p, _, _) in &activities {
            if !out.activities.iter().any(|q| same_path(q, p)) {
                out.activities.push(p.clone());
            }
        }
        if valid {
            out.file = Some((abs_path, span));
        }
        out.file_names = activities;
        out.mermaid = mermaid.filter(|_| valid);
        out
    }
}

fn same_path(a: &syn::Path, b: &syn::Path) -> bool {
    quote!(#a).to_string() == quote!(#b).to_string()
}

/// Inserts `key: null` before the first of `before` present in `map`.
fn insert_before(map: &mut Map<String, Json>, key: &str, before: &[&str]) {
    let Some(pos) = map.keys().position(|k| before.contains(&k.as_str())) else {
        return;
    };
    let old = std::mem::take(map);
    for (i, (k, v)) in old.into_iter().enumerate() {
        if i == pos {
            map.insert(key.to_owned(), Json::Null);
        }
        map.insert(k, v);
    }
}

/// Splits the pretty-printed text at the markers.
fn split(text: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut rest = text;
    loop {
        let name = rest.find(NAME_MARK);
        let defaults = rest.find(DEFAULTS_MARK);
        match (name, defaults) {
            (Some(n), d) if d.is_none_or(|d| n < d) => {
                let after = &rest[n + NAME_MARK.len()..];
                let Some(end) = after.find("@@") else { break };
                let Ok(i) = after[..end].parse() else { break };
                pieces.push(Piece::Text(rest[..n].to_owned()));
                pieces.push(Piece::Name(i));
                rest = &after[end + 2..];
            }
            (_, Some(d)) => {
                // The line `<indent>"@@SFN_DEFAULTS_i@@": null,\n`.
                let quote = d.saturating_sub(1);
                let line_start = rest[..quote].rfind('\n').map(|p| p + 1).unwrap_or(0);
                let after = &rest[d + DEFAULTS_MARK.len()..];
                let Some(end) = after.find("@@") else { break };
                let Ok(task) = after[..end].parse() else {
                    break;
                };
                let Some(eol) = after.find('\n') else { break };
                pieces.push(Piece::Text(rest[..line_start].to_owned()));
                pieces.push(Piece::Defaults {
                    task,
                    indent: rest[line_start..quote].to_owned(),
                });
                rest = &after[eol + 1..];
            }
            _ => break,
        }
    }
    pieces.push(Piece::Text(rest.to_owned()));
    pieces
}

pub(crate) fn expand(
    input: &Input,
    krate: Option<&syn::Path>,
    attrs: &[Attribute],
    out: Emitted,
    errors: Errors,
) -> TokenStream {
    let p = krate::private(krate);
    let vis = &input.vis;
    let ident = &input.name;
    let name = LitStr::new(&ident.to_string(), ident.span());
    let input_ty = input
        .input_ty
        .as_ref()
        .map(|t| quote!(#t))
        .unwrap_or_else(|| quote!(__p::Value));
    let output_ty = input
        .output_ty
        .as_ref()
        .map(|t| quote!(#t))
        .unwrap_or_else(|| quote!(__p::Value));
    let machine_type = match out.machine_type {
        Some(ExecutionType::Express) => quote!(__p::ExecutionType::Express),
        _ => quote!(__p::ExecutionType::Standard),
    };
    let asl = asl(&out);
    let activities = &out.activities;
    let refs = activities
        .iter()
        .map(|a| quote_spanned!(a.span()=> __p::as_activity(&#a)));
    let checks = &out.checks;
    let file_names = out.file_names.iter().map(|(path, expected, span)| {
        let message = format!("the activity's name must be `{expected}`, the name in the resource it is bound to");
        quote_spanned!(*span=> const _: () = ::core::assert!(__p::str_eq(<#path as __p::ActivityDefinition>::NAME, #expected), #message);)
    });
    let errors = errors.into_error().map(|e| e.to_compile_error());
    let diagram = out.mermaid.as_deref().map(diagram_doc);
    quote! {
        #errors

        #(#attrs)*
        #diagram
        #[derive(Debug, Clone, Copy, Default)]
        #vis struct #ident;

        const _: () = {
            use #p as __p;
            #(#checks)*
            #(#file_names)*

            impl __p::StateMachineDefinition for #ident {
                const NAME: &'static str = #name;
                const ASL: &'static str = #asl;
                const MACHINE_TYPE: __p::ExecutionType = #machine_type;
                type Input = #input_ty;
                type Output = #output_ty;

                fn activities() -> __p::Vec<&'static dyn __p::Activity> {
                    __p::Vec::from([#(#refs),*])
                }
            }
        };
    }
}

/// The machine's diagram as doc attributes: a ```` ```mermaid ```` block, which rustdoc
/// shows as text and which the script of `docs/mermaid.html` (given to rustdoc with
/// `--html-in-header`) draws.
fn diagram_doc(mermaid: &str) -> TokenStream {
    let text = mermaid.trim_end();
    quote! {
        #[doc = ""]
        #[doc = "```mermaid"]
        #[doc = #text]
        #[doc = "```"]
    }
}

/// The `ASL` constant's value.
fn asl(out: &Emitted) -> TokenStream {
    if let Some((path, span)) = &out.file {
        return quote_spanned!(*span=> ::core::include_str!(#path));
    }
    match out.pieces.as_slice() {
        [] => quote!(""),
        [Piece::Text(t)] => quote!(#t),
        pieces => {
            let tasks = &out.tasks_for_pieces;
            let items = pieces.iter().map(|piece| match piece {
                Piece::Text(t) => quote!(__p::Piece::Text(#t)),
                Piece::Name(i) => match tasks.get(*i) {
                    Some((path, _, _)) => quote!(__p::Piece::Name(<#path as __p::ActivityDefinition>::NAME)),
                    None => quote!(__p::Piece::Text("")),
                },
                Piece::Defaults { task, indent } => match tasks.get(*task) {
                    Some((path, has_timeout, has_heartbeat)) => {
                        let timeout = if *has_timeout { quote!(__p::None) } else { quote!(<#path as __p::ActivityDefinition>::TIMEOUT_SECONDS) };
                        let heartbeat =
                            if *has_heartbeat { quote!(__p::None) } else { quote!(<#path as __p::ActivityDefinition>::HEARTBEAT_SECONDS) };
                        quote!(__p::Piece::Defaults { indent: #indent, timeout: #timeout, heartbeat: #heartbeat })
                    }
                    None => quote!(__p::Piece::Text("")),
                },
            });
            quote!({
                const PIECES: &[__p::Piece] = &[#(#items),*];
                const LEN: usize = __p::asl_len(PIECES);
                const BYTES: [u8; LEN] = __p::asl_bytes::<LEN>(PIECES);
                __p::asl_str(&BYTES)
            })
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_type_carries_its_diagram() {
        let tokens: proc_macro2::TokenStream = r#"
            /// Says hello.
            pub Hello {
                start_at: Greet,
                states: {
                    Greet: Pass { next: Done },
                    Done: Succeed,
                }
            }
        "#
        .parse()
        .unwrap_or_default();
        let out = super::super::expand(tokens).to_string();
        assert!(out.contains("\"```mermaid\""), "{out}");
        assert!(out.contains("flowchart TD"), "{out}");
        assert!(out.contains("Greet"), "{out}");
    }

    #[test]
    fn an_invalid_machine_has_no_diagram() {
        let tokens: proc_macro2::TokenStream = r#"
            pub Broken {
                start_at: Greet,
                states: { Greet: Pass { next: Nowhere } }
            }
        "#
        .parse()
        .unwrap_or_default();
        let out = super::super::expand(tokens).to_string();
        assert!(!out.contains("mermaid"), "{out}");
    }
}
