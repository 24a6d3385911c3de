//! The shared conformance corpus (`../shared/conformance`): every validation case gets
//! AWS's verdict, every execution-case definition parses and round-trips.
//!
//! Where the corpus is absent the tests say so and pass, except under `CI=true`, where
//! its absence fails.

use serde_json::Value;
use sfn_core::{
    StateMachine,
    validate::{ValidateOptions, validate_str_with},
};

use crate::support::{cases, corpus};

/// Cases whose recorded verdict we knowingly do not follow, and why. Each is a
/// third-party verdict contradicting AWS's documented or recorded behaviour, or a verdict
/// that depends on information the case does not carry.
const DISAGREEMENTS: &[(&str, &str)] = &[
    ("asl-validator__valid-task-parameters", PLACEHOLDER_RESOURCE),
    ("statelint-py__catcher__test_ok__1", PLACEHOLDER_RESOURCE),
    (
        "statelint-py__map_state__test_empty_reader_config__27",
        PLACEHOLDER_RESOURCE,
    ),
    (
        "statelint-py__map_state__test_ok_2022_min__21",
        PLACEHOLDER_RESOURCE,
    ),
    (
        "statelint-py__task_state__test_ok_min__60",
        PLACEHOLDER_RESOURCE,
    ),
    (
        "statelint-rb__backoff-with-backoffrate-integer",
        PLACEHOLDER_RESOURCE,
    ),
    (
        "statelint-rb__backoff-with-jitter-on-retry",
        PLACEHOLDER_RESOURCE,
    ),
    (
        "statelint-rb__states-encoding-decoding-intrinsic-functions",
        PLACEHOLDER_RESOURCE,
    ),
    (
        "statelint-rb__states-json-intrinsic-functions",
        PLACEHOLDER_RESOURCE,
    ),
    (
        "statelint-rb__states-math-intrinsic-functions",
        PLACEHOLDER_RESOURCE,
    ),
    (
        "statelint-rb__states-stringtojson-invocation",
        PLACEHOLDER_RESOURCE,
    ),
    (
        "statelint-rb__states-uuid-intrinsic-functions",
        PLACEHOLDER_RESOURCE,
    ),
    (
        "statelint-rb__task-with-resultselector",
        PLACEHOLDER_RESOURCE,
    ),
    (
        "asl-validator__valid-task-credentials",
        "a placeholder Resource (an 'arn:aws:swf' task), and Credentials without the 'RoleArn' AWS requires (it holds arbitrary fields)",
    ),
    (
        "statelint-py__task_state__test_ok__59",
        "a placeholder Resource ('arn:x'), and empty Credentials, without the 'RoleArn' AWS requires",
    ),
    (
        "statelint-rb__task-with-credentials",
        "a placeholder Resource ('foo:bar'), and Credentials naming 'roleArn' where AWS requires 'RoleArn'",
    ),
    (
        "statelint-py__parallel_state__test_empty_branches__40",
        "AWS rejects a Parallel state without branches: 'SCHEMA_VALIDATION_FAILED: Value cannot be empty at /States/…/Branches'",
    ),
    (
        "statelint-rb__succeed-with-comment-in-catcher",
        "AWS accepts 'Comment' in a catcher: the AWS-recorded execution corpus runs a definition with one",
    ),
    (
        "asl-validator__invalid-jsonata-surround-syntax-no-spaces",
        "AWS documents a JSONata expression as a string starting with '{%' and ending with '%}'; '{%10%}' is one",
    ),
    (
        "asl-validator__invalid-json-surround-syntax-extra-spaces",
        "AWS documents a JSONata expression as a string starting with '{%' and ending with '%}'; whitespace inside is JSONata's, which allows it",
    ),
    (
        "asl-validator__invalid-jsonata-surround-syntax-no-open",
        "a string not starting with '{%' is a literal string in JSONata states, which AWS accepts as Output",
    ),
    (
        "statelint-py__choice_rule__test_ok_all_of_or_not_and__6",
        "the ASL specification gives a choice rule exactly one of And, Or, Not or a comparison; one holding all three has no defined meaning",
    ),
    (
        "asl-validator__valid-task-intrisic-function",
        "'Resource' holds CloudFormation intrinsic objects ({\"Fn::GetAtt\": …}), which CloudFormation replaces before AWS sees the definition; AWS itself rejects a non-string Resource",
    ),
];

/// Third-party suites accept any URI as a Task's (or an ItemReader's, a ResultWriter's)
/// `Resource`; AWS recognizes only its integrations, Lambda functions and activities.
const PLACEHOLDER_RESOURCE: &str = "a placeholder Resource ('foo:bar', 'arn:x', an 'arn:aws:swf' task) that the third-party validator takes as any URI; AWS refuses it: 'The resource provided … is not recognized'";

#[test]
fn validation_cases_agree_with_aws() {
    let Some(dir) = corpus() else { return };
    let mut total = 0;
    let mut agree = 0;
    let mut known = 0;
    let mut failures = Vec::new();
    for verdict in ["valid", "invalid"] {
        for (name, case) in cases(&dir.join("validation").join(verdict)) {
            total += 1;
            let text = case["definition_text"].as_str().unwrap_or_default();
            let expected = case["expected"]["valid"]
                .as_bool()
                .unwrap_or(verdict == "valid");
            let (_, diags) = validate_str_with(text, options_for(&name));
            let got = diags.is_valid();
            if let Some((_, why)) = DISAGREEMENTS.iter().find(|(n, _)| *n == name) {
                assert_ne!(
                    got, expected,
                    "{name} is listed as a disagreement ({why}) but now agrees: remove it from the list"
                );
                known += 1;
                continue;
            }
            if got == expected {
                agree += 1;
            } else {
                failures.push(format!(
                    "{name}: expected {}, got {}:\n{diags}",
                    if expected { "valid" } else { "invalid" },
                    if got { "valid" } else { "invalid" }
                ));
            }
        }
    }
    let compared = total - known;
    println!(
        "validation corpus: {agree}/{total} agree ({:.1}%), {known} known disagreements listed, {} unexpected",
        100.0 * agree as f64 / total as f64,
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {compared} cases disagree:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn express_cases() {
    let Some(dir) = corpus() else { return };
    for (name, case) in cases(&dir.join("validation").join("invalid")) {
        if !is_express(&name) {
            continue;
        }
        let text = case["definition_text"].as_str().unwrap_or_default();
        let (_, diags) = validate_str_with(text, options_for(&name));
        assert!(
            !diags.is_valid(),
            "{name} must be rejected as an EXPRESS machine"
        );
        if let Some(aws) = case["expected"]["aws"]["diagnostics"].as_array() {
            for d in aws {
                if let Some(loc) = d["location"].as_str() {
                    assert!(
                        diags.errors().any(|e| e.location() == loc),
                        "{name}: AWS reports {loc}; we report:\n{diags}"
                    );
                }
            }
        }
    }
}

/// Where AWS recorded a location, our diagnostics include an error at it.
#[test]
fn aws_locations_match() {
    let Some(dir) = corpus() else { return };
    for (name, case) in cases(&dir.join("validation").join("invalid")) {
        if !name.starts_with("aws__") || is_express(&name) {
            continue;
        }
        let aws = &case["expected"]["aws"];
        let loc = aws["location"]
            .as_str()
            .or_else(|| aws["diagnostics"][0]["location"].as_str());
        let Some(loc) = loc else { continue };
        let text = case["definition_text"].as_str().unwrap_or_default();
        let diags = sfn_core::validate_str(text);
        let within = |e: &sfn_core::Diagnostic| {
            e.location() == loc || (loc != "/" && e.location().starts_with(&format!("{loc}/")))
        };
        assert!(
            diags.errors().any(within),
            "{name}: AWS reports an error at {loc}; we report:\n{diags}"
        );
    }
}

/// Whether a recorded case was validated as an EXPRESS machine: the case does not say,
/// its name does.
fn is_express(name: &str) -> bool {
    name.contains("express") || name.contains("Express")
}

/// The options a recorded case was validated with: its machine type, no warnings.
fn options_for(name: &str) -> ValidateOptions {
    ValidateOptions {
        machine_type: if is_express(name) {
            sfn_core::model::ExecutionType::Express
        } else {
            sfn_core::model::ExecutionType::Standard
        },
        warnings: false,
    }
}

/// Where AWS recorded the text of its answer, ours is the same: `CreateStateMachine`'s
/// `InvalidDefinition` message, or `ValidateStateMachineDefinition`'s diagnostics.
#[test]
fn aws_messages_match() {
    let Some(dir) = corpus() else { return };
    let mut compared = 0;
    let mut failures = Vec::new();
    for (name, case) in cases(&dir.join("validation").join("invalid")) {
        if !name.starts_with("aws__") {
            continue;
        }
        let aws = &case["expected"]["aws"];
        let text = case["definition_text"].as_str().unwrap_or_default();
        let (_, diags) = validate_str_with(text, options_for(&name));
        if let Some(expected) = aws["diagnostics"].as_array() {
            let ours: Vec<Value> = diags
                .errors()
                .map(|d| {
                    let mut item = serde_json::json!({
                        "code": d.code.as_str(),
                        "message": d.message,
                        "severity": "ERROR",
                    });
                    if let Some(location) = d.aws_location() {
                        item["location"] = location.into();
                    }
                    item
                })
                .collect();
            compared += 1;
            if &ours != expected {
                failures.push(format!(
                    "{name}:\n  AWS: {}\n  ours: {}",
                    Value::from(expected.clone()),
                    Value::from(ours)
                ));
            }
        } else if let Some(message) = aws["message"].as_str()
            && let Some(at) = message.find("Invalid State Machine Definition: '")
        {
            compared += 1;
            let ours = diags.invalid_definition_message();
            if ours != message[at..] {
                failures.push(format!(
                    "{name}:\n  AWS: {}\n  ours: {ours}",
                    &message[at..]
                ));
            }
        }
    }
    println!(
        "AWS messages: {}/{compared} the same",
        compared - failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {compared} differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn execution_definitions_round_trip() {
    let Some(dir) = corpus() else { return };
    let mut total = 0;
    let mut failures = Vec::new();
    for (name, case) in cases(&dir.join("execution")) {
        total += 1;
        let def = &case["definition"];
        match StateMachine::from_value(def) {
            Ok(m) => {
                let back = serde_json::to_value(&m).unwrap_or(Value::Null);
                if &back != def {
                    failures.push(format!(
                        "{name}: round trip differs:\n  in:  {def}\n  out: {back}"
                    ));
                }
            }
            Err(e) => failures.push(format!("{name}: {e}\n{}", e.diagnostics)),
        }
    }
    println!(
        "execution corpus: {}/{total} definitions parse and round-trip",
        total - failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {total} fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn valid_definitions_round_trip() {
    let Some(dir) = corpus() else { return };
    for (name, case) in cases(&dir.join("validation").join("valid")) {
        let text = case["definition_text"].as_str().unwrap_or_default();
        let Ok(def) = serde_json::from_str::<Value>(text) else {
            continue;
        };
        if let Ok(m) = StateMachine::from_value(&def) {
            assert_eq!(
                serde_json::to_value(&m).ok().as_ref(),
                Some(&def),
                "{name} does not round-trip"
            );
        }
    }
}
