//! Property test: the reader and the validator never panic, whatever they are given.
//! Valid definitions are mutated at random (fields dropped, renamed, retyped, values
//! swapped for arbitrary JSON) and every result is read, validated and, when accepted,
//! serialized back and read again.

use proptest::prelude::*;
use serde_json::{Value, json};
use sfn_core::{StateMachine, validate::validate_value};

fn seeds() -> Vec<Value> {
    vec![
        json!({"Comment": "c", "StartAt": "A", "TimeoutSeconds": 10, "States": {
            "A": {"Type": "Pass", "Result": {"x": 1}, "ResultPath": "$.r", "Next": "B"},
            "B": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f", "Payload.$": "$"},
                  "TimeoutSeconds": 30, "HeartbeatSeconds": 10,
                  "Retry": [{"ErrorEquals": ["States.Timeout"], "IntervalSeconds": 2, "MaxAttempts": 3, "BackoffRate": 1.5, "JitterStrategy": "FULL"}],
                  "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.err", "Next": "F"}], "Next": "C"},
            "C": {"Type": "Choice", "Choices": [
                {"Variable": "$.n", "NumericGreaterThan": 1, "Next": "W"},
                {"And": [{"Variable": "$.s", "StringMatches": "a*"}, {"Not": {"Variable": "$.b", "IsNull": true}}], "Next": "P"}
            ], "Default": "S"},
            "W": {"Type": "Wait", "SecondsPath": "$.wait", "Next": "P"},
            "P": {"Type": "Parallel", "Branches": [{"StartAt": "P1", "States": {"P1": {"Type": "Pass", "End": true}}}], "Next": "M"},
            "M": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 2, "ItemSelector": {"v.$": "$$.Map.Item.Value"},
                  "ItemProcessor": {"StartAt": "M1", "States": {"M1": {"Type": "Pass", "End": true}}}, "Next": "S"},
            "S": {"Type": "Succeed"},
            "F": {"Type": "Fail", "ErrorPath": "$.err.Error", "Cause": "failed"}
        }}),
        json!({"QueryLanguage": "JSONata", "StartAt": "A", "States": {
            "A": {"Type": "Pass", "Assign": {"x": "{% $states.input.a %}"}, "Output": {"y": "{% $x + 1 %}"}, "Next": "C"},
            "C": {"Type": "Choice", "Choices": [{"Condition": "{% $x > 1 %}", "Next": "M"}], "Default": "M"},
            "M": {"Type": "Map", "Items": "{% [1, 2, 3] %}", "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                "StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Arguments": {"Payload": "{% $states.input %}"}, "End": true}}},
                "ItemBatcher": {"MaxItemsPerBatch": 2}, "ToleratedFailurePercentage": 5, "Label": "L", "End": true}
        }}),
    ]
}

#[derive(Debug, Clone)]
enum Mutation {
    Remove(usize),
    Replace(usize, Value),
    Rename(usize, String),
    Insert(usize, String, Value),
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (-1e6f64..1e6).prop_map(|f| json!(f)),
        prop_oneof![
            "[a-zA-Z$.\\[\\]*@?()'{}% ]{0,12}".prop_map(Value::String),
            "\\PC{0,12}".prop_map(Value::String),
            Just(Value::String("$.é.ß[0]".into())),
            Just(Value::String("States.Format('ü{}€', $.日本)".into())),
            Just(Value::String("{% $states.input.é & '😀' %}".into())),
            Just(Value::String("$.x".into())),
            Just(Value::String("States.Format('{}', $.a)".into())),
            Just(Value::String("{% $x %}".into())),
            Just(Value::String("A".into())),
        ],
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(("[A-Za-z.$]{1,8}", inner), 0..4)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

fn arb_key() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Next".to_owned()),
        Just("End".to_owned()),
        Just("Type".to_owned()),
        Just("Parameters".to_owned()),
        Just("ResultPath".to_owned()),
        Just("Choices".to_owned()),
        Just("Branches".to_owned()),
        Just("QueryLanguage".to_owned()),
        Just("x.$".to_owned()),
        "[A-Za-z]{1,10}",
    ]
}

fn arb_mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Remove),
        (any::<usize>(), arb_json()).prop_map(|(i, v)| Mutation::Replace(i, v)),
        (any::<usize>(), arb_key()).prop_map(|(i, k)| Mutation::Rename(i, k)),
        (any::<usize>(), arb_key(), arb_json()).prop_map(|(i, k, v)| Mutation::Insert(i, k, v)),
    ]
}

fn apply(v: &mut Value, m: &Mutation) {
    // Mutate the root or one of the nested objects, chosen by index.
    let mut targets: Vec<Vec<String>> = Vec::new();
    collect_paths(v, &mut Vec::new(), &mut targets);
    if targets.is_empty() {
        return;
    }
    let idx = match m {
        Mutation::Remove(i)
        | Mutation::Replace(i, _)
        | Mutation::Rename(i, _)
        | Mutation::Insert(i, _, _) => *i,
    };
    let path = &targets[idx % targets.len()];
    let Some(obj) = lookup(v, path).and_then(Value::as_object_mut) else {
        return;
    };
    let keys: Vec<String> = obj.keys().cloned().collect();
    let key = keys.get(idx % keys.len().max(1)).cloned();
    match (m, key) {
        (Mutation::Remove(_), Some(k)) => {
            obj.remove(&k);
        }
        (Mutation::Replace(_, val), Some(k)) => {
            obj.insert(k, val.clone());
        }
        (Mutation::Rename(_, new), Some(k)) => {
            if let Some(val) = obj.remove(&k) {
                obj.insert(new.clone(), val);
            }
        }
        (Mutation::Insert(_, k, val), _) => {
            obj.insert(k.clone(), val.clone());
        }
        _ => {}
    }
}

fn collect_paths(v: &Value, here: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match v {
        Value::Object(m) => {
            out.push(here.clone());
            for (k, c) in m {
                here.push(k.clone());
                collect_paths(c, here, out);
                here.pop();
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                here.push(i.to_string());
                collect_paths(c, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

fn lookup<'a>(v: &'a mut Value, path: &[String]) -> Option<&'a mut Value> {
    path.iter().try_fold(v, |cur, seg| match cur {
        Value::Object(m) => m.get_mut(seg),
        Value::Array(a) => seg.parse::<usize>().ok().and_then(|i| a.get_mut(i)),
        _ => None,
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn mutated_definitions_never_panic(seed in 0usize..2, mutations in prop::collection::vec(arb_mutation(), 1..6)) {
        let mut def = seeds()[seed].clone();
        for m in &mutations {
            apply(&mut def, m);
        }
        let diags = validate_value(&def);
        if let Ok(machine) = StateMachine::from_value(&def) {
            // Whatever is accepted writes back to what was read.
            prop_assert_eq!(machine.to_value(), def.clone());
            if diags.is_valid() {
                prop_assert!(sfn_core::validate(&machine).is_valid());
            }
        }
        let text = def.to_string();
        let _ = sfn_core::validate_str(&text);
        // Truncated text is not JSON, and says so.
        let mut half = text.len() / 2;
        while !text.is_char_boundary(half) {
            half -= 1;
        }
        let cut = &text[..half];
        prop_assert!(!sfn_core::validate_str(cut).is_valid());
    }

    #[test]
    fn arbitrary_json_never_panics(v in arb_json()) {
        let _ = validate_value(&v);
        let _ = StateMachine::from_value(&v);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    /// The path, intrinsic and JSONata readers slice their input by byte offsets: any
    /// text, multi-byte characters included, is an error or a value, never a panic.
    #[test]
    fn expression_readers_never_panic(
        prefix in prop_oneof![Just(""), Just("$"), Just("$."), Just("$$."), Just("$["), Just("States.Format("), Just("States.Array('"), Just("{% "), Just("$states.")],
        body in "\\PC{0,24}",
        suffix in prop_oneof![Just(""), Just(")"), Just("')"), Just("]"), Just(" %}")],
    ) {
        let text = format!("{prefix}{body}{suffix}");
        let input = json!({"a": [1, "é", {"b": null}], "é": "ß"});
        if let Ok(p) = sfn_core::path::JsonPath::parse(&text) {
            let _ = p.select(&sfn_core::eval::Env::new(&input));
        }
        if let Ok(c) = sfn_core::intrinsic::IntrinsicCall::parse(&text) {
            let _ = c.evaluate(&sfn_core::eval::Env::new(&input));
        }
        if let Ok(e) = sfn_core::jsonata::Expression::parse(&text) {
            let _ = e.evaluate(Some(&input), &sfn_core::eval::NoVariables);
        }
        let _ = sfn_core::template::PathExpr::parse(&text);
    }

    /// Text that is not JSON, whatever its characters, is one error that says so, and
    /// the reader that words it as AWS does never panics.
    #[test]
    fn any_text_is_read_or_refused_in_one_error(text in "[\\PC{}\\[\\]\":,\\\\ \n\t0-9a-z-]{0,40}") {
        let _ = sfn_core::parse::jackson::problem(&text);
        let d = sfn_core::validate_str(&text);
        if serde_json::from_str::<Value>(&text).is_err() {
            prop_assert_eq!(d.errors().count(), 1, "{}", d);
        }
    }
}

#[test]
fn seeds_are_valid() {
    for s in seeds() {
        let d = validate_value(&s);
        assert!(d.is_valid(), "{d}");
    }
}
