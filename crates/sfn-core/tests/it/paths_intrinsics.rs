//! JSONPath and intrinsic functions through the public API, and against the recorded
//! conformance corpus (`../shared/conformance` next to the workspace).

use serde_json::{Map, Value, json};
use sfn_core::StatesError;
use sfn_core::eval::Env;
use sfn_core::intrinsic::{IntrinsicCall, IntrinsicFunction};
use sfn_core::path::{JsonPath, PathRoot};

use crate::support::{cases, corpus};

fn path(text: &str) -> JsonPath {
    JsonPath::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

#[test]
fn definite_and_indefinite_results() {
    let input = json!({"a": [{"b": 1}, {"b": 2}, {"c": 3}], "x": {"y": null}});
    let scope = Env::new(&input);
    // Definite: the value, or nothing.
    assert_eq!(path("$.a[1].b").select(&scope), Some(json!(2)));
    assert_eq!(path("$.a[2].b").select(&scope), None);
    assert_eq!(path("$.x.y").select(&scope), Some(Value::Null));
    // Indefinite: an array of matches, empty when there are none.
    assert_eq!(path("$.a[*].b").select(&scope), Some(json!([1, 2])));
    assert_eq!(path("$.a[*].zz").select(&scope), Some(json!([])));
    assert_eq!(path("$..b").select(&scope), Some(json!([1, 2])));
    assert_eq!(
        path("$.a[?(@.b >= 2)]").select(&scope),
        Some(json!([{"b": 2}]))
    );
    assert_eq!(path("$.a[0:2].b").select(&scope), Some(json!([1, 2])));
    assert_eq!(
        path("$.a[0,2]").select(&scope),
        Some(json!([{"b": 1}, {"c": 3}]))
    );
    assert!(path("$.a[1].b").is_reference_path());
    assert!(!path("$.a[*].b").is_reference_path());
}

#[test]
fn roots_and_scopes() {
    let input = json!({"v": 1});
    let context = json!({"Execution": {"Input": {"v": 2}}});
    let mut vars = Map::new();
    vars.insert("myVar".to_owned(), json!({"v": 3}));
    let scope = Env::new(&input)
        .with_context(&context)
        .with_variables(&vars);
    assert_eq!(path("$.v").select(&scope), Some(json!(1)));
    assert_eq!(path("$$.Execution.Input.v").select(&scope), Some(json!(2)));
    assert_eq!(path("$myVar.v").select(&scope), Some(json!(3)));
    assert_eq!(path("$myVar.v").select_ref(&scope), Some(&json!(3)));
    assert_eq!(
        path("$myVar").root(),
        PathRoot::Variable("myVar".to_owned())
    );
}

#[test]
fn result_path() {
    let mut state = json!({"input": true});
    path("$.result.value")
        .set(&mut state, json!(5))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(state, json!({"input": true, "result": {"value": 5}}));
    assert!(path("$.input.deeper").set(&mut state, json!(1)).is_err());
    assert!(path("$.a[*]").set(&mut state, json!(1)).is_err());
    path("$")
        .set(&mut state, json!([1]))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(state, json!([1]));
}

#[test]
fn parse_errors_have_positions() {
    for (text, position) in [
        ("$.", 2),
        ("$[", 2),
        ("$.a[", 4),
        ("a.b", 0),
        ("$..", 3),
        ("$.a b", 4),
    ] {
        let message = JsonPath::parse(text)
            .err()
            .map(|e| e.message)
            .unwrap_or_default();
        assert!(
            message.contains(&format!("position {position}")),
            "{text}: {message}"
        );
    }
    assert!(JsonPath::parse("$.a[?(@.x ==)]").is_err());
    let message = IntrinsicCall::parse("States.Format('{}')")
        .err()
        .map(|e| e.message)
        .unwrap_or_default();
    assert!(message.contains("placeholder"), "{message}");
}

#[test]
fn intrinsic_calls() {
    let input = json!({"list": [3, 1, 3], "name": "sfn"});
    let scope = Env::new(&input);
    let eval = |text: &str| {
        IntrinsicCall::parse(text)
            .unwrap_or_else(|e| panic!("{text}: {e}"))
            .evaluate(&scope)
    };
    assert_eq!(eval("States.ArrayUnique($.list)"), Ok(json!([3, 1])));
    assert_eq!(
        eval("States.Format('{} has {} items', $.name, States.ArrayLength($.list))"),
        Ok(json!("sfn has 3 items"))
    );
    assert_eq!(
        eval("States.ArrayGetItem($.list, 7)"),
        Err(StatesError::runtime(
            "Invalid arguments in States.ArrayGetItem"
        ))
    );
    assert_eq!(
        IntrinsicCall::parse("States.UUID()")
            .map(|c| c.function())
            .ok(),
        Some(IntrinsicFunction::Uuid)
    );
}

/// The corpus's execution cases; none where the corpus is absent.
fn execution_cases() -> Vec<(String, Value)> {
    corpus()
        .map(|dir| cases(&dir.join("execution")))
        .unwrap_or_default()
}

/// Every path-or-call string in a JSONPath definition: values of keys ending in `.$`, and of
/// `InputPath`, `OutputPath`, `ResultPath`, `ItemsPath`, `Variable` and other `…Path` keys.
/// `Result` is a literal, and JSONata states hold no paths.
fn collect_expressions(value: &Value, jsonata: bool, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            let jsonata = map
                .get("QueryLanguage")
                .and_then(Value::as_str)
                .map_or(jsonata, |l| l == "JSONata");
            for (key, v) in map {
                if key == "Result" {
                    continue;
                }
                match v {
                    Value::String(s) if !jsonata && is_path_key(key) => {
                        out.push((key.clone(), s.clone()))
                    }
                    _ => collect_expressions(v, jsonata, out),
                }
            }
        }
        Value::Array(items) => items
            .iter()
            .for_each(|v| collect_expressions(v, jsonata, out)),
        _ => {}
    }
}

fn is_path_key(key: &str) -> bool {
    key.ends_with(".$") || key == "Variable" || key.ends_with("Path")
}

#[test]
fn every_corpus_expression_parses() {
    let mut checked = 0;
    let mut failures = Vec::new();
    for (name, case) in execution_cases() {
        let mut found = Vec::new();
        collect_expressions(&case["definition"], false, &mut found);
        for (key, text) in found {
            checked += 1;
            let result = if IntrinsicCall::looks_like_call(&text) {
                IntrinsicCall::parse(&text)
                    .map(|_| ())
                    .map_err(|e| e.message)
            } else {
                JsonPath::parse(&text).map(|_| ()).map_err(|e| e.message)
            };
            if let Err(message) = result {
                failures.push(format!("{name}: {key}: {message}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("{checked} corpus expressions parsed");
}

/// One-state machines `{"Type": "Pass", "Parameters": {"k.$": …}}` recorded with an exact
/// output: evaluating each field must give exactly what AWS gave.
#[test]
fn corpus_pass_state_parameters_evaluate_as_recorded() {
    let mut compared = 0;
    let mut failures = Vec::new();
    for (name, case) in execution_cases() {
        let definition = &case["definition"];
        let Some(states) = definition["States"].as_object() else {
            continue;
        };
        if states.len() != 1
            || case["hard"] != json!(true)
            || case["expected"]["status"] != json!("SUCCEEDED")
        {
            continue;
        }
        let Some(state) = states.values().next().and_then(Value::as_object) else {
            continue;
        };
        let extra = [
            "InputPath",
            "OutputPath",
            "ResultPath",
            "QueryLanguage",
            "Assign",
            "ResultSelector",
        ];
        if state.get("Type") != Some(&json!("Pass"))
            || extra.iter().any(|k| state.contains_key(*k))
            || definition.get("QueryLanguage").is_some()
        {
            continue;
        }
        let Some(parameters) = state.get("Parameters").and_then(Value::as_object) else {
            continue;
        };
        let input = &case["input"];
        let scope = Env::new(input);
        let mut output = Map::new();
        let mut usable = true;
        for (key, value) in parameters {
            let (Some(field), Some(text)) = (key.strip_suffix(".$"), value.as_str()) else {
                usable = false;
                break;
            };
            if text.contains("$$") {
                usable = false;
                break;
            }
            let result = if IntrinsicCall::looks_like_call(text) {
                IntrinsicCall::parse(text)
                    .map_err(|e| e.message)
                    .and_then(|c| c.evaluate_for_field(&scope, key).map_err(|e| e.to_string()))
            } else {
                JsonPath::parse(text).map_err(|e| e.message).and_then(|p| {
                    p.select(&scope)
                        .ok_or_else(|| format!("{text} selected nothing"))
                })
            };
            match result {
                Ok(v) => {
                    output.insert(field.to_owned(), v);
                }
                Err(e) => {
                    failures.push(format!("{name}: {key}: {e}"));
                    usable = false;
                    break;
                }
            }
        }
        if !usable {
            continue;
        }
        compared += 1;
        let output = Value::Object(output);
        if output != case["expected"]["output"] {
            failures.push(format!(
                "{name}: got {output}, AWS gave {}",
                case["expected"]["output"]
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("{compared} recorded Pass states compared");
}

/// The variables each state references through JSONPath, nested states included, as AWS
/// lists them in `DescribeStateMachine`'s `variableReferences`.
#[test]
fn variable_references_by_state() {
    let def = json!({"StartAt": "Set", "States": {
        "Set": {"Type": "Pass", "Assign": {"n": 1, "items": [1], "s": "x"}, "Next": "Use"},
        "Use": {"Type": "Pass", "InputPath": "$n",
            "Parameters": {"a.$": "States.Format('{}', $s)", "b": "$literal"}, "Next": "Check"},
        "Check": {"Type": "Choice", "Choices": [
            {"Variable": "$n", "NumericGreaterThanPath": "$limit", "Next": "Each"}],
            "Default": "Each"},
        "Each": {"Type": "Map", "ItemsPath": "$items", "End": true,
            "ItemProcessor": {"StartAt": "Inner", "States": {
                "Inner": {"Type": "Wait", "SecondsPath": "$n", "End": true}}}}
    }});
    let machine = sfn_core::StateMachine::from_value(&def).unwrap_or_else(|e| panic!("{e}"));
    let refs = sfn_core::eval::reads::variable_references(&machine);
    assert_eq!(
        serde_json::to_value(&refs).ok(),
        Some(json!({
            "Use": ["n", "s"],
            "Check": ["limit", "n"],
            "Each": ["items"],
            "Inner": ["n"]
        }))
    );
}

#[test]
fn a_context_path_that_selects_nothing_is_worded_as_aws() {
    // AWS says "in the input" for `$$.…` too, and shows the context object.
    let input = json!({"a": 1});
    let ctx = json!({"Execution": {"Id": "id"}});
    let scope = Env::new(&input).with_context(&ctx);
    let err = sfn_core::eval::template::path_not_found(
        &path("$$.Execution.Input.missing"),
        Some("value.$"),
        &scope,
    );
    assert_eq!(err.error, "States.Runtime");
    assert_eq!(
        err.cause,
        "The JSONPath '$$.Execution.Input.missing' specified for the field 'value.$' could not be found in the input '{\"Execution\":{\"Id\":\"id\"}}'"
    );
}
