//! The JSON Schema of the definition format, generated from the model.

/// The JSON Schema (draft 2020-12) of a state machine definition.
pub fn definition_schema() -> serde_json::Value {
    let schema = schemars::schema_for!(crate::model::StateMachine);
    schema.to_value()
}

#[cfg(test)]
mod tests {
    #[test]
    fn schema_names_every_state_type() {
        let text = super::definition_schema().to_string();
        for t in crate::model::StateType::ALL.map(crate::model::StateType::as_str) {
            assert!(
                text.contains(&format!("\"{t}\"")),
                "{t} missing from the schema"
            );
        }
        assert!(text.contains("StartAt"));
    }
}
