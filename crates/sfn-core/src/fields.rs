//! Which fields each object of a definition takes, per query language.
//!
//! This is the one table of field names: the reader consults it to tell a field of the
//! other query language, a field another state type takes and an unknown field apart, and
//! to know which fields to read at all; the `state_machine!` macro derives its field names
//! and its "expected one of …" lists from it.
//!
//! ```
//! use sfn_core::fields::ObjectKind;
//! use sfn_core::model::{QueryLanguage, StateType};
//!
//! let pass = ObjectKind::State(StateType::Pass);
//! assert!(pass.takes(QueryLanguage::JSONPath, "ResultPath"));
//! assert!(!pass.takes(QueryLanguage::JSONata, "ResultPath"));
//! assert!(!pass.takes(QueryLanguage::JSONPath, "Resource"));
//! assert_eq!(
//!     sfn_core::fields::state_field("Resource").map(|f| f.only_in),
//!     Some(None),
//! );
//! ```

use crate::model::{ComparisonOp, QueryLanguage, StateType};

/// A field: its name and the query language it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Field {
    /// The name as written in the definition (`ResultPath`).
    pub name: &'static str,
    /// The only query language whose states may have the field, or `None` when both may.
    pub only_in: Option<QueryLanguage>,
}

impl Field {
    /// Whether an object read with query language `ql` may have this field.
    pub fn allowed_in(self, ql: QueryLanguage) -> bool {
        self.only_in.is_none_or(|only| only == ql)
    }
}

/// A field of a state, and the state types that take it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct StateField {
    /// The field.
    pub field: Field,
    /// The state types that take it.
    pub types: &'static [StateType],
}

/// An object of a definition, as far as its fields go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ObjectKind {
    /// The state machine itself.
    Machine,
    /// A branch of a Parallel state.
    Branch,
    /// A Map state's `ItemProcessor` (or `Iterator`).
    ItemProcessor,
    /// An `ItemProcessor`'s `ProcessorConfig`.
    ProcessorConfig,
    /// A state of the given type.
    State(StateType),
    /// An element of `Retry`.
    Retrier,
    /// An element of `Catch`.
    Catcher,
    /// A Choice state's rule, at the top of `Choices` or nested in `And`, `Or`, `Not`.
    ChoiceRule,
    /// A distributed Map's `ItemReader`.
    ItemReader,
    /// An `ItemReader`'s `ReaderConfig`.
    ReaderConfig,
    /// A distributed Map's `ItemBatcher`.
    ItemBatcher,
    /// A distributed Map's `ResultWriter`.
    ResultWriter,
    /// A `ResultWriter`'s `WriterConfig`.
    WriterConfig,
}

use QueryLanguage::{JSONPath, JSONata};
use StateType::{Choice, Fail, Map, Parallel, Pass, Succeed, Task, Wait};

const BOTH: Option<QueryLanguage> = None;
const JSONPATH: Option<QueryLanguage> = Some(JSONPath);
const JSONATA: Option<QueryLanguage> = Some(JSONata);

const fn field(name: &'static str, only_in: Option<QueryLanguage>) -> Field {
    Field { name, only_in }
}

const fn state(
    name: &'static str,
    only_in: Option<QueryLanguage>,
    types: &'static [StateType],
) -> StateField {
    StateField {
        field: field(name, only_in),
        types,
    }
}

/// The state types that read and write data (every type but Fail).
const DATA: &[StateType] = &[Pass, Task, Choice, Wait, Succeed, Parallel, Map];
/// The state types that set variables (every type but Succeed and Fail).
const ASSIGN: &[StateType] = &[Pass, Task, Choice, Wait, Parallel, Map];
/// The state types that go on to another state (every type but Choice, Succeed and Fail).
const TRANSITION: &[StateType] = &[Pass, Task, Wait, Parallel, Map];
/// The state types that produce a result of their own.
const RESULT: &[StateType] = &[Task, Parallel, Map];

/// Every field of a state, in the order of the model's fields: a state type's fields are
/// those whose `types` name it, in this order.
pub const STATE_FIELDS: &[StateField] = &[
    state("Type", BOTH, &StateType::ALL),
    state("Comment", BOTH, &StateType::ALL),
    state("QueryLanguage", BOTH, &StateType::ALL),
    state("Resource", BOTH, &[Task]),
    state("Branches", BOTH, &[Parallel]),
    state("ItemProcessor", BOTH, &[Map]),
    state("Iterator", BOTH, &[Map]),
    state("InputPath", JSONPATH, DATA),
    state("ItemsPath", JSONPATH, &[Map]),
    state("Items", JSONATA, &[Map]),
    state("ItemSelector", BOTH, &[Map]),
    state("Parameters", JSONPATH, &[Pass, Task, Parallel, Map]),
    state("Arguments", JSONATA, &[Task, Parallel]),
    state("ItemReader", BOTH, &[Map]),
    state("ItemBatcher", BOTH, &[Map]),
    state("ResultWriter", BOTH, &[Map]),
    state("MaxConcurrency", BOTH, &[Map]),
    state("MaxConcurrencyPath", JSONPATH, &[Map]),
    state("ToleratedFailurePercentage", BOTH, &[Map]),
    state("ToleratedFailurePercentagePath", JSONPATH, &[Map]),
    state("ToleratedFailureCount", BOTH, &[Map]),
    state("ToleratedFailureCountPath", JSONPATH, &[Map]),
    state("Label", BOTH, &[Map]),
    state("Result", JSONPATH, &[Pass]),
    state("ResultSelector", JSONPATH, RESULT),
    state("ResultPath", JSONPATH, &[Pass, Task, Parallel, Map]),
    state("OutputPath", JSONPATH, DATA),
    state("Choices", BOTH, &[Choice]),
    state("Default", BOTH, &[Choice]),
    state("Seconds", BOTH, &[Wait]),
    state("Timestamp", BOTH, &[Wait]),
    state("SecondsPath", JSONPATH, &[Wait]),
    state("TimestampPath", JSONPATH, &[Wait]),
    state("Error", BOTH, &[Fail]),
    state("Cause", BOTH, &[Fail]),
    state("ErrorPath", JSONPATH, &[Fail]),
    state("CausePath", JSONPATH, &[Fail]),
    state("Output", JSONATA, DATA),
    state("Assign", BOTH, ASSIGN),
    state("TimeoutSeconds", BOTH, &[Task]),
    state("TimeoutSecondsPath", JSONPATH, &[Task]),
    state("HeartbeatSeconds", BOTH, &[Task]),
    state("HeartbeatSecondsPath", JSONPATH, &[Task]),
    state("Credentials", BOTH, &[Task]),
    state("Retry", BOTH, RESULT),
    state("Catch", BOTH, RESULT),
    state("Next", BOTH, TRANSITION),
    state("End", BOTH, TRANSITION),
];

/// The fields of a scope: the machine, a branch, an item processor.
const SCOPE: [Field; 4] = [
    field("Comment", BOTH),
    field("QueryLanguage", BOTH),
    field("StartAt", BOTH),
    field("States", BOTH),
];

const MACHINE: &[Field] = &[
    SCOPE[0],
    SCOPE[1],
    SCOPE[2],
    SCOPE[3],
    field("Version", BOTH),
    field("TimeoutSeconds", BOTH),
];

const ITEM_PROCESSOR: &[Field] = &[
    SCOPE[0],
    SCOPE[1],
    SCOPE[2],
    SCOPE[3],
    field("ProcessorConfig", BOTH),
];

const PROCESSOR_CONFIG: &[Field] = &[field("Mode", BOTH), field("ExecutionType", BOTH)];

const RETRIER: &[Field] = &[
    field("ErrorEquals", BOTH),
    field("Comment", BOTH),
    field("IntervalSeconds", BOTH),
    field("MaxAttempts", BOTH),
    field("BackoffRate", BOTH),
    field("MaxDelaySeconds", BOTH),
    field("JitterStrategy", BOTH),
];

const CATCHER: &[Field] = &[
    field("ErrorEquals", BOTH),
    field("Comment", BOTH),
    field("Next", BOTH),
    field("ResultPath", JSONPATH),
    field("Output", JSONATA),
    field("Assign", BOTH),
];

/// A choice rule's fields before its comparison operators (which follow, from
/// [`ComparisonOp::ALL`]).
const CHOICE_RULE: &[Field] = &[
    field("Variable", JSONPATH),
    field("Condition", JSONATA),
    field("And", JSONPATH),
    field("Or", JSONPATH),
    field("Not", JSONPATH),
    field("Comment", BOTH),
    field("Next", BOTH),
    field("Assign", BOTH),
    field("Output", JSONATA),
];

const ITEM_READER: &[Field] = &[
    field("Resource", BOTH),
    field("ReaderConfig", BOTH),
    field("Parameters", JSONPATH),
    field("Arguments", JSONATA),
];

const READER_CONFIG: &[Field] = &[
    field("InputType", BOTH),
    field("CSVHeaderLocation", BOTH),
    field("CSVHeaders", BOTH),
    field("CSVDelimiter", BOTH),
    field("ManifestType", BOTH),
    field("MaxItems", BOTH),
    field("MaxItemsPath", JSONPATH),
];

const ITEM_BATCHER: &[Field] = &[
    field("MaxItemsPerBatch", BOTH),
    field("MaxItemsPerBatchPath", JSONPATH),
    field("MaxInputBytesPerBatch", BOTH),
    field("MaxInputBytesPerBatchPath", JSONPATH),
    field("BatchInput", BOTH),
];

const RESULT_WRITER: &[Field] = &[
    field("Resource", BOTH),
    field("WriterConfig", BOTH),
    field("Parameters", JSONPATH),
    field("Arguments", JSONATA),
];

const WRITER_CONFIG: &[Field] = &[field("OutputType", BOTH), field("Transformation", BOTH)];

impl ObjectKind {
    /// Every kind of object, each state type once.
    pub const ALL: [ObjectKind; 20] = [
        ObjectKind::Machine,
        ObjectKind::Branch,
        ObjectKind::ItemProcessor,
        ObjectKind::ProcessorConfig,
        ObjectKind::State(Pass),
        ObjectKind::State(Task),
        ObjectKind::State(Choice),
        ObjectKind::State(Wait),
        ObjectKind::State(Succeed),
        ObjectKind::State(Fail),
        ObjectKind::State(Parallel),
        ObjectKind::State(Map),
        ObjectKind::Retrier,
        ObjectKind::Catcher,
        ObjectKind::ChoiceRule,
        ObjectKind::ItemReader,
        ObjectKind::ReaderConfig,
        ObjectKind::ItemBatcher,
        ObjectKind::ResultWriter,
        ObjectKind::WriterConfig,
    ];

    /// The fields this kind of object takes, in either query language, in the order of
    /// the model's fields.
    pub fn fields(self) -> impl Iterator<Item = Field> {
        let fixed: &'static [Field] = match self {
            ObjectKind::Machine => MACHINE,
            ObjectKind::Branch => &SCOPE,
            ObjectKind::ItemProcessor => ITEM_PROCESSOR,
            ObjectKind::ProcessorConfig => PROCESSOR_CONFIG,
            ObjectKind::State(_) => &[],
            ObjectKind::Retrier => RETRIER,
            ObjectKind::Catcher => CATCHER,
            ObjectKind::ChoiceRule => CHOICE_RULE,
            ObjectKind::ItemReader => ITEM_READER,
            ObjectKind::ReaderConfig => READER_CONFIG,
            ObjectKind::ItemBatcher => ITEM_BATCHER,
            ObjectKind::ResultWriter => RESULT_WRITER,
            ObjectKind::WriterConfig => WRITER_CONFIG,
        };
        let ty = match self {
            ObjectKind::State(ty) => Some(ty),
            _ => None,
        };
        let states = STATE_FIELDS
            .iter()
            .filter(move |f| ty.is_some_and(|ty| f.types.contains(&ty)))
            .map(|f| f.field);
        let operators = ComparisonOp::ALL
            .iter()
            .filter(move |_| self == ObjectKind::ChoiceRule)
            .flat_map(|op| [Some(op.as_str()), op.path_form()])
            .flatten()
            .map(|name| field(name, JSONPATH));
        fixed.iter().copied().chain(states).chain(operators)
    }

    /// The field `name` of this kind of object, in either query language.
    pub fn field(self, name: &str) -> Option<Field> {
        self.fields().find(|f| f.name == name)
    }

    /// Whether this kind of object, read with query language `ql`, takes the field `name`.
    pub fn takes(self, ql: QueryLanguage, name: &str) -> bool {
        self.field(name).is_some_and(|f| f.allowed_in(ql))
    }
}

/// The field `name` of any state type: tells a field another state type takes from a
/// field no state has.
pub fn state_field(name: &str) -> Option<Field> {
    STATE_FIELDS
        .iter()
        .map(|f| f.field)
        .find(|f| f.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(kind: ObjectKind) -> Vec<&'static str> {
        kind.fields().map(|f| f.name).collect()
    }

    #[test]
    fn each_state_type_in_the_order_of_its_model() {
        assert_eq!(
            names(ObjectKind::State(Pass)),
            [
                "Type",
                "Comment",
                "QueryLanguage",
                "InputPath",
                "Parameters",
                "Result",
                "ResultPath",
                "OutputPath",
                "Output",
                "Assign",
                "Next",
                "End"
            ]
        );
        assert_eq!(
            names(ObjectKind::State(Choice)),
            [
                "Type",
                "Comment",
                "QueryLanguage",
                "InputPath",
                "OutputPath",
                "Choices",
                "Default",
                "Output",
                "Assign"
            ]
        );
        assert_eq!(
            names(ObjectKind::State(Fail)),
            [
                "Type",
                "Comment",
                "QueryLanguage",
                "Error",
                "Cause",
                "ErrorPath",
                "CausePath"
            ]
        );
    }

    #[test]
    fn no_state_field_twice() {
        let names: Vec<_> = STATE_FIELDS.iter().map(|f| f.field.name).collect();
        for (i, n) in names.iter().enumerate() {
            assert!(!names[i + 1..].contains(n), "{n} twice");
        }
    }

    #[test]
    fn choice_rules_take_every_comparison_operator() {
        let rule = ObjectKind::ChoiceRule;
        assert!(rule.takes(JSONPath, "NumericGreaterThanEqualsPath"));
        assert!(rule.takes(JSONPath, "IsPresent"));
        assert!(!rule.takes(JSONata, "StringEquals"));
        assert!(rule.takes(JSONata, "Condition"));
        assert!(!rule.takes(JSONPath, "Condition"));
    }
}
