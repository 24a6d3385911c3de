//! The DSL's view of sfn-core's field table ([`sfn_core::fields`]): each ASL field's key
//! in the DSL, how its value is lowered, and the lists the "unknown field" errors offer.
//!
//! A key is the ASL name in snake case ([`key`]); the table is not copied here.

use sfn_core::{
    fields::{Field, ObjectKind, STATE_FIELDS},
    model::StateType,
};

use super::names::snake;

/// How a field's value is read.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Any JSON value (literals, templates, paths).
    Json,
    /// A state name: an identifier or a string.
    Ref,
    /// An enumeration written as an identifier (`Distributed`) or a string.
    Enum(EnumStyle),
    /// `ErrorEquals`: a list of strings.
    Errors,
    /// A machine's or scope's `States`.
    States,
    /// A Choice state's rules.
    Rules,
    /// `And`, `Or`: a list of nested rules.
    RuleList,
    /// `Not`: one nested rule.
    Rule,
    /// `Retry`.
    Retry,
    /// `Catch`.
    Catch,
    /// A Parallel state's branches.
    Branches,
    /// `ItemProcessor` / `Iterator`.
    Processor,
    /// An object with fields of its own.
    Nested(ObjectKind),
    /// An `ItemReader`'s or `ResultWriter`'s `Resource`: an ARN, or `s3::get_object` as in
    /// `Task(…)`.
    Resource(ObjectKind),
    /// Not ASL: the machine's type.
    MachineType,
}

/// How an enumeration's value is written in ASL.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum EnumStyle {
    /// As written (`JSONata`).
    AsIs,
    /// `SCREAMING_SNAKE_CASE` (`Distributed` → `DISTRIBUTED`).
    Screaming,
}

/// The state fields the DSL writes in a state's head rather than its body:
/// `Pass { … }`, `Task(add) { … }`.
const HEAD: &[&str] = &["Type", "Resource"];

/// The DSL's own field of the machine, which is not ASL.
const MACHINE_TYPE: &str = "machine_type";

/// The DSL's key for an ASL field: its name in snake case, except that a Choice state's
/// `Choices` are its `rules`.
pub(crate) fn key(asl: &str) -> String {
    match asl {
        "Choices" => "rules".to_owned(),
        _ => snake(asl),
    }
}

/// The fields the DSL reads in the body of an object of kind `object`. A state's body
/// may hold any state's fields: the validator says which type takes which.
fn body_fields(object: ObjectKind) -> Box<dyn Iterator<Item = Field>> {
    match object {
        ObjectKind::State(_) => Box::new(
            STATE_FIELDS
                .iter()
                .map(|f| f.field)
                .filter(|f| !HEAD.contains(&f.name)),
        ),
        other => Box::new(other.fields()),
    }
}

/// The field written `name` in an object of kind `object`: its ASL name and how its value
/// is read. Besides its key, a field may be written as its plain snake case name
/// (`choices`).
pub(crate) fn find(object: ObjectKind, name: &str) -> Option<(&'static str, Kind)> {
    if object == ObjectKind::Machine && name == MACHINE_TYPE {
        return Some(("MachineType", Kind::MachineType));
    }
    body_fields(object)
        .find(|f| key(f.name) == name || snake(f.name) == name)
        .map(|f| (f.name, kind(object, f.name)))
}

/// The keys an object of kind `object` takes, for "expected one of …": for a state, the
/// fields of its own type.
pub(crate) fn expected(object: ObjectKind) -> Vec<String> {
    object
        .fields()
        .filter(|f| !matches!(object, ObjectKind::State(_)) || !HEAD.contains(&f.name))
        .map(|f| key(f.name))
        .collect()
}

/// How messages name an object of kind `object`.
pub(crate) fn what(object: ObjectKind) -> String {
    match object {
        ObjectKind::Machine => "a state machine".to_owned(),
        ObjectKind::State(ty) => format!("a {ty} state"),
        ObjectKind::Branch => "a branch".to_owned(),
        ObjectKind::ItemProcessor => "an item processor".to_owned(),
        ObjectKind::Retrier => "a retrier".to_owned(),
        ObjectKind::Catcher => "a catcher".to_owned(),
        ObjectKind::ChoiceRule => "a choice rule".to_owned(),
        // The objects a single field holds, named by that field.
        ObjectKind::ProcessorConfig => "`processor_config`".to_owned(),
        ObjectKind::ItemReader => "`item_reader`".to_owned(),
        ObjectKind::ReaderConfig => "`reader_config`".to_owned(),
        ObjectKind::ItemBatcher => "`item_batcher`".to_owned(),
        ObjectKind::ResultWriter => "`result_writer`".to_owned(),
        ObjectKind::WriterConfig => "`writer_config`".to_owned(),
        _ => "an object".to_owned(),
    }
}

/// How the value of the ASL field `asl` of an object of kind `object` is read.
fn kind(object: ObjectKind, asl: &str) -> Kind {
    use EnumStyle::*;
    match asl {
        "StartAt" | "Next" | "Default" => Kind::Ref,
        "QueryLanguage" => Kind::Enum(AsIs),
        "Mode" | "ExecutionType" | "JitterStrategy" | "InputType" | "CSVHeaderLocation"
        | "CSVDelimiter" | "ManifestType" | "OutputType" | "Transformation" => {
            Kind::Enum(Screaming)
        }
        "ErrorEquals" => Kind::Errors,
        "States" => Kind::States,
        "Choices" => Kind::Rules,
        "And" | "Or" => Kind::RuleList,
        "Not" => Kind::Rule,
        "Retry" => Kind::Retry,
        "Catch" => Kind::Catch,
        "Branches" => Kind::Branches,
        "ItemProcessor" | "Iterator" => Kind::Processor,
        // A Task's `Resource` is written in its head, `Task(…)`: this one is a reader's or
        // a writer's.
        "Resource" => Kind::Resource(object),
        "ProcessorConfig" => Kind::Nested(ObjectKind::ProcessorConfig),
        "ItemReader" => Kind::Nested(ObjectKind::ItemReader),
        "ReaderConfig" => Kind::Nested(ObjectKind::ReaderConfig),
        "ItemBatcher" => Kind::Nested(ObjectKind::ItemBatcher),
        "ResultWriter" => Kind::Nested(ObjectKind::ResultWriter),
        "WriterConfig" => Kind::Nested(ObjectKind::WriterConfig),
        _ => Kind::Json,
    }
}

/// Every ASL field name the DSL writes as a key, with that key, longest name first (so
/// that `TimeoutSecondsPath` is replaced before `TimeoutSeconds`), for translating the
/// validator's messages.
pub(crate) fn field_names() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for object in ObjectKind::ALL {
        for f in body_fields(object) {
            if !out.iter().any(|(a, _)| a == f.name) {
                out.push((f.name.to_owned(), key(f.name)));
            }
        }
    }
    out.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
    out
}

/// The state types, for "expected one of …".
pub(crate) fn state_types() -> String {
    StateType::ALL.map(StateType::as_str).join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_follow_the_core_table() {
        assert_eq!(
            expected(ObjectKind::State(StateType::Choice)).join(", "),
            "comment, query_language, input_path, output_path, rules, default, output, assign"
        );
        assert_eq!(
            expected(ObjectKind::State(StateType::Task)).join(", "),
            "comment, query_language, input_path, parameters, arguments, result_selector, \
             result_path, output_path, output, assign, timeout_seconds, timeout_seconds_path, \
             heartbeat_seconds, heartbeat_seconds_path, credentials, retry, catch, next, end"
        );
        let choices = find(ObjectKind::State(StateType::Pass), "choices");
        assert!(choices.is_some_and(|(asl, k)| asl == "Choices" && k == Kind::Rules));
        assert!(find(ObjectKind::State(StateType::Task), "resource").is_none());
        let reader = find(ObjectKind::ItemReader, "resource");
        assert!(reader.is_some_and(|(_, k)| k == Kind::Resource(ObjectKind::ItemReader)));
        let csv = find(ObjectKind::ReaderConfig, "csv_headers");
        assert!(csv.is_some_and(|(asl, _)| asl == "CSVHeaders"));
        let names = field_names();
        assert!(
            names
                .iter()
                .any(|(a, k)| a == "Resource" && k == "resource")
        );
        assert!(!names.iter().any(|(a, _)| a == "Type"));
    }
}
