//! What `create_state_machine` accepts: the validator's verdict on the model it is given
//! (built or changed by hand included), typed errors that carry what went wrong.

use serde_json::json;
use sfn_runtime::core::{
    DiagnosticCode, StateMachine,
    model::{State, StateName},
    names::NameError,
};
use sfn_runtime::local::{Error, MockConfig, Mocks};

use crate::support::engine;

const CHOICE: &str = r#"{"StartAt": "Check", "States": {
    "Check": {"Type": "Choice",
              "Choices": [{"Variable": "$.n", "NumericGreaterThan": 0, "Next": "Yes"}],
              "Default": "No"},
    "Yes": {"Type": "Succeed"},
    "No": {"Type": "Fail", "Error": "No"}}}"#;

fn choice_machine() -> StateMachine {
    CHOICE.parse().expect("the machine reads")
}

fn choice_rules(machine: &mut StateMachine) -> &mut Vec<sfn_runtime::core::model::ChoiceRule> {
    match machine.states.get_mut("Check") {
        Some(State::Choice(c)) => &mut c.choices,
        other => panic!("not a Choice: {other:?}"),
    }
}

#[test]
fn a_choice_rule_without_next_is_refused_with_its_diagnostics() {
    let mut machine = choice_machine();
    choice_rules(&mut machine)[0].next = None;
    let r = engine().create_state_machine("choice", machine);
    let Err(Error::InvalidDefinition { diagnostics }) = r else {
        panic!("accepted: {r:?}");
    };
    assert!(!diagnostics.is_valid());
    assert!(
        diagnostics
            .errors()
            .any(|d| d.pointer.starts_with("/States/Check/Choices/0")),
        "{diagnostics}"
    );
}

#[test]
fn a_transition_to_a_missing_state_is_refused() {
    let mut machine = choice_machine();
    choice_rules(&mut machine)[0].next = Some(StateName::new("Nowhere"));
    let r = engine().create_state_machine("choice", machine);
    let Err(Error::InvalidDefinition { diagnostics }) = r else {
        panic!("accepted: {r:?}");
    };
    assert!(
        diagnostics
            .errors()
            .any(|d| d.code == DiagnosticCode::MissingTransitionTarget),
        "{diagnostics}"
    );
    let shown = Error::InvalidDefinition { diagnostics }.to_string();
    assert!(shown.contains("/States/Check/Choices/0/Next"), "{shown}");
}

#[test]
fn a_valid_model_is_accepted_and_the_json_text_is_checked_the_same_way() {
    let engine = engine();
    assert!(
        engine
            .create_state_machine("choice", choice_machine())
            .is_ok()
    );
    let r = engine.create_state_machine_json("broken", r#"{"StartAt": "A", "States": {}}"#);
    assert!(
        matches!(&r, Err(Error::InvalidDefinition { diagnostics }) if !diagnostics.is_valid()),
        "{r:?}"
    );
}

#[test]
fn parse_errors_convert_with_their_diagnostics() {
    let parsed: Result<StateMachine, _> = r#"{"StartAt": 1}"#.parse();
    let e = Error::from(parsed.err().unwrap());
    assert!(
        matches!(&e, Error::InvalidDefinition { diagnostics } if diagnostics.errors().count() > 0),
        "{e:?}"
    );
}

#[test]
fn names_carry_the_rule_they_break() {
    let engine = engine();
    let r = engine.create_state_machine("has space", choice_machine());
    assert!(
        matches!(
            &r,
            Err(Error::InvalidName { name, reason: NameError::ForbiddenCharacter(' ') })
                if name == "has space"
        ),
        "{r:?}"
    );
    let r = engine.create_activity("");
    assert!(
        matches!(
            r,
            Err(Error::InvalidName {
                reason: NameError::Empty,
                ..
            })
        ),
        "{r:?}"
    );
}

#[test]
fn mock_errors_are_engine_errors_with_their_location() {
    let e = Mocks::from_value(&json!({"A": {"x": {"Return": 1}}})).err();
    assert!(
        matches!(&e, Some(Error::InvalidMocks { file: None, pointer, .. }) if pointer == "/A/x"),
        "{e:?}"
    );
    let e = MockConfig::from_value(&json!({"MockedResponses": {"R": {"0": {}}}})).err();
    assert!(
        matches!(
            &e,
            Some(Error::InvalidMocks { pointer, message, .. })
                if pointer == "/MockedResponses/R/0" && message.contains("Return or a Throw")
        ),
        "{e:?}"
    );
    let e = MockConfig::from_file("/nonexistent/mocks.json").err();
    assert!(
        matches!(&e, Some(Error::InvalidMocks { file: Some(f), .. }) if f == "/nonexistent/mocks.json"),
        "{e:?}"
    );
}
