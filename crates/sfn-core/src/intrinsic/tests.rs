use serde_json::{Map, Value, json};

use super::{Arg, IntrinsicCall, IntrinsicFunction};
use crate::error::StatesError;
use crate::eval::Env;

fn call(text: &str) -> IntrinsicCall {
    match IntrinsicCall::parse(text) {
        Ok(c) => c,
        Err(e) => panic!("{text}: {e}"),
    }
}

fn eval(text: &str, input: &Value) -> Result<Value, StatesError> {
    call(text).evaluate(&Env::new(input))
}

fn ok(text: &str, input: &Value) -> Value {
    match eval(text, input) {
        Ok(v) => v,
        Err(e) => panic!("{text}: {e}"),
    }
}

fn invalid(text: &str, input: &Value) {
    let name = call(text).function().name();
    assert_eq!(
        eval(text, input),
        Err(StatesError::runtime(format!("Invalid arguments in {name}"))),
        "{text}"
    );
}

#[test]
fn looks_like_call() {
    assert!(IntrinsicCall::looks_like_call("States.Format('x')"));
    assert!(IntrinsicCall::looks_like_call("States.UUID()"));
    assert!(IntrinsicCall::looks_like_call("States.Nope(1) "));
    assert!(!IntrinsicCall::looks_like_call("$.a"));
    assert!(!IntrinsicCall::looks_like_call("States.Format"));
    assert!(!IntrinsicCall::looks_like_call("States.(1)"));
    assert!(!IntrinsicCall::looks_like_call("States.Format('x'"));
    assert!(!IntrinsicCall::looks_like_call(" States.UUID()"));
}

#[test]
fn parse_tree() {
    let c = call("States.Format('{} {}', $.a, States.MathAdd(1, -2.5))");
    assert_eq!(c.function(), IntrinsicFunction::Format);
    assert_eq!(
        c.as_str(),
        "States.Format('{} {}', $.a, States.MathAdd(1, -2.5))"
    );
    assert_eq!(c.args().len(), 3);
    assert_eq!(c.args()[0], Arg::String("{} {}".into()));
    assert!(matches!(&c.args()[1], Arg::Path(p) if p.as_str() == "$.a"));
    match &c.args()[2] {
        Arg::Call(inner) => {
            assert_eq!(inner.function(), IntrinsicFunction::MathAdd);
            assert_eq!(inner.as_str(), "States.MathAdd(1, -2.5)");
        }
        other => panic!("{other:?}"),
    }
    let c = call("States.Array(true, false, null, 'x', 1e3, $$.a, $v.b, $.a[?(@.x == 'a,)')])");
    assert_eq!(c.args().len(), 8);
    assert!(matches!(&c.args()[7], Arg::Path(p) if p.as_str() == "$.a[?(@.x == 'a,)')]"));
}

#[test]
fn names_and_arity() {
    for f in IntrinsicFunction::ALL {
        assert_eq!(IntrinsicFunction::from_name(f.name()), Some(f));
    }
    assert_eq!(IntrinsicFunction::from_name("States.Nope"), None);
    for bad in [
        "States.Nope(1)",
        "States.MathAdd(1)",
        "States.MathAdd(1, 2, 3)",
        "States.Format()",
        "States.UUID(1)",
        "States.MathRandom(1)",
        "States.MathRandom(1, 2, 3, 4)",
        "States.Hash($.a)",
        "States.ArrayRange(1, 2)",
        "States.JsonMerge($.a, $.b)",
        "States.ArrayGetItem($.a)",
        "States.StringToJson()",
        "States.ArrayLength($.a, $.b)",
    ] {
        assert!(IntrinsicCall::parse(bad).is_err(), "{bad}");
    }
    let message = IntrinsicCall::parse("States.MathAdd(1)")
        .err()
        .map(|e| e.message)
        .unwrap_or_default();
    assert!(message.contains("exactly 2"), "{message}");
}

#[test]
fn syntax_errors() {
    for bad in [
        "States.Format('x'",
        "States.Format('x",
        "States.Format('x' 'y')",
        "States.Format('x',)",
        "States.Format(,'x')",
        "States.Array(nope)",
        "States.Array(1.2.3)",
        "States.Array($.a b)",
        "States.Array($.)",
        "States.Array() trailing",
        "$.a",
        "States.Format('He said, \\\"Hello\\\"')",
        "States.StringToJson('{\"text\":\"An \\\"escaped\\\" quote\"}')",
        "States.Format('\\n')",
        "States.Array(States.Nope())",
        "States.Array(True)",
    ] {
        assert!(IntrinsicCall::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn static_type_checks() {
    for bad in [
        "States.MathAdd('1', 2)",
        "States.MathAdd(true, 2)",
        "States.MathAdd(null, 2)",
        "States.ArrayLength('x')",
        "States.ArrayGetItem(1, 0)",
        "States.ArrayGetItem($.a, 'x')",
        "States.StringSplit(1, ',')",
        "States.Base64Encode(1)",
        "States.Hash('x', 'SHA-999')",
        "States.Hash('x', 1)",
        "States.JsonMerge($.a, $.b, true)",
        "States.JsonMerge('a', $.b, false)",
        "States.Format(1)",
        "States.MathAdd(States.Format('x'), 1)",
        "States.ArrayLength(States.MathAdd(1, 2))",
        "States.StringToJson(States.Array())",
    ] {
        assert!(IntrinsicCall::parse(bad).is_err(), "{bad}");
    }
    // Results of unknown type are checked at run time only.
    call("States.MathAdd(States.ArrayGetItem($.a, 0), 1)");
    call("States.ArrayLength(States.StringToJson($.s))");
}

#[test]
fn format_placeholder_count() {
    assert!(IntrinsicCall::parse("States.Format('{} {}', 1)").is_err());
    assert!(IntrinsicCall::parse("States.Format('{}', 1, 2)").is_err());
    assert!(IntrinsicCall::parse("States.Format('none', 1)").is_err());
    call("States.Format('none')");
    call("States.Format('\\{}')");
    call("States.Format('\\{} {}', 1)");
    // A template from a path is counted at run time.
    let input = json!({"t": "{} and {}"});
    assert_eq!(ok("States.Format($.t, 1, 'b')", &input), json!("1 and b"));
    invalid("States.Format($.t, 1)", &input);
}

#[test]
fn format() {
    let input = json!({"s": "x", "i": 1, "f": 1.1, "g": 1.0, "big": 1.5e20, "small": 0.0001, "n": null, "b": true,
        "o": {"Arg1": 1, "Arg2": [], "s": "t"}, "a": [1, "two", {"k": null}], "tpl": "<{}>"});
    assert_eq!(
        ok("States.Format('Hello {}', $.s)", &input),
        json!("Hello x")
    );
    assert_eq!(ok("States.Format('{}{}', $.i, $.f)", &input), json!("11.1"));
    assert_eq!(ok("States.Format('{}', $.g)", &input), json!("1.0"));
    assert_eq!(ok("States.Format('{}', $.big)", &input), json!("1.5E20"));
    assert_eq!(ok("States.Format('{}', $.small)", &input), json!("1.0E-4"));
    assert_eq!(
        ok("States.Format('{} {}', $.n, $.b)", &input),
        json!("null true")
    );
    assert_eq!(
        ok("States.Format('{}', $.o)", &input),
        json!("{Arg1=1, Arg2=[], s=t}")
    );
    assert_eq!(
        ok("States.Format('{}', $.a)", &input),
        json!("[1, two, {k=null}]")
    );
    assert_eq!(
        ok("States.Format('\\{\\}{}\\'\\\\', 5)", &input),
        json!("{}5'\\")
    );
    assert_eq!(ok("States.Format('{x} {}', 'y')", &input), json!("{x} y"));
    assert_eq!(ok("States.Format($.tpl, 'v')", &input), json!("<v>"));
    assert_eq!(ok("States.Format('{}', -2.5)", &input), json!("-2.5"));
    assert_eq!(ok("States.Format('plain')", &input), json!("plain"));
    invalid("States.Format($.i)", &input);
}

#[test]
fn json_functions() {
    let input = json!({"s": "{\"a\":[1,2.5,\"x\"]}", "blank": " ", "null": "null", "neg0": "-0", "bad": "{", "o": {"b": 1, "a": [true, null]}, "n": 1});
    assert_eq!(
        ok("States.StringToJson($.s)", &input),
        json!({"a": [1, 2.5, "x"]})
    );
    assert_eq!(ok("States.StringToJson($.blank)", &input), Value::Null);
    assert_eq!(ok("States.StringToJson($.null)", &input), Value::Null);
    assert_eq!(ok("States.StringToJson($.neg0)", &input), json!(0));
    assert_eq!(ok("States.StringToJson('\"x\"')", &input), json!("x"));
    invalid("States.StringToJson($.bad)", &input);
    invalid("States.StringToJson($.n)", &input);
    assert_eq!(
        ok("States.JsonToString($.o)", &input),
        json!("{\"b\":1,\"a\":[true,null]}")
    );
    assert_eq!(ok("States.JsonToString($.n)", &input), json!("1"));
    assert_eq!(ok("States.JsonToString('x')", &input), json!("\"x\""));
    assert_eq!(
        ok("States.JsonToString(States.StringToJson($.s))", &input),
        json!("{\"a\":[1,2.5,\"x\"]}")
    );
    let merge = json!({"x": {"a": {"a1": 1}, "b": 2, "d": 3}, "y": {"a": {"a3": 1}, "c": 3, "d": 4}, "s": "no"});
    assert_eq!(
        ok("States.JsonMerge($.x, $.y, false)", &merge),
        json!({"a": {"a3": 1}, "b": 2, "d": 4, "c": 3})
    );
    invalid("States.JsonMerge($.x, $.s, false)", &merge);
    let t = json!({"x": {}, "t": true});
    invalid("States.JsonMerge($.x, $.x, $.t)", &t);
}

#[test]
fn arrays() {
    let input = json!({"a": [0, 1, 2, 3, 4], "e": [], "s": "str", "dup": [1, 2, 2, {"a": 1, "b": 2}, {"b": 2, "a": 1}, 1.0, "1", 1],
        "two": 2, "half": 2.6, "neg": -1});
    assert_eq!(ok("States.Array()", &input), json!([]));
    assert_eq!(
        ok(
            "States.Array(1, 'a', true, null, $.two, States.Array())",
            &input
        ),
        json!([1, "a", true, null, 2, []])
    );
    assert_eq!(
        ok("States.ArrayPartition($.a, 2)", &input),
        json!([[0, 1], [2, 3], [4]])
    );
    assert_eq!(
        ok("States.ArrayPartition($.a, 5)", &input),
        json!([[0, 1, 2, 3, 4]])
    );
    assert_eq!(
        ok("States.ArrayPartition($.a, 9)", &input),
        json!([[0, 1, 2, 3, 4]])
    );
    assert_eq!(ok("States.ArrayPartition($.e, 2)", &input), json!([]));
    assert_eq!(
        ok("States.ArrayPartition($.a, $.half)", &input),
        json!([[0, 1], [2, 3], [4]])
    );
    invalid("States.ArrayPartition($.a, 0)", &input);
    invalid("States.ArrayPartition($.a, 0.6)", &input);
    invalid("States.ArrayPartition($.a, $.neg)", &input);
    invalid("States.ArrayPartition($.s, 2)", &input);
    assert_eq!(ok("States.ArrayContains($.a, 3)", &input), json!(true));
    assert_eq!(ok("States.ArrayContains($.a, 7)", &input), json!(false));
    assert_eq!(
        ok("States.ArrayContains($.dup, $.dup[3])", &input),
        json!(true)
    );
    assert_eq!(ok("States.ArrayContains($.e, null)", &input), json!(false));
    invalid("States.ArrayContains($.s, 1)", &input);
    assert_eq!(
        ok("States.ArrayRange(1, 9, 2)", &input),
        json!([1, 3, 5, 7, 9])
    );
    assert_eq!(ok("States.ArrayRange(5, 1, -2)", &input), json!([5, 3, 1]));
    assert_eq!(ok("States.ArrayRange(3, 3, -1)", &input), json!([3]));
    assert_eq!(ok("States.ArrayRange(5, 1, 1)", &input), json!([]));
    assert_eq!(
        ok("States.ArrayRange(1.4, 5.6, 2.2)", &input),
        json!([1, 3, 5])
    );
    assert_eq!(
        ok("States.ArrayRange(1, 1000, 1)", &input)
            .as_array()
            .map(Vec::len),
        Some(1000)
    );
    invalid("States.ArrayRange(1, 1001, 1)", &input);
    invalid("States.ArrayRange(1, 10, 0)", &input);
    invalid("States.ArrayRange(1, 10, 0.49)", &input);
    invalid("States.ArrayRange($.s, 10, 1)", &input);
    assert_eq!(ok("States.ArrayGetItem($.a, 2)", &input), json!(2));
    assert_eq!(ok("States.ArrayGetItem($.a, 4)", &input), json!(4));
    assert_eq!(ok("States.ArrayGetItem($.a, 2.0)", &input), json!(2));
    invalid("States.ArrayGetItem($.a, 5)", &input);
    invalid("States.ArrayGetItem($.a, -1)", &input);
    invalid("States.ArrayGetItem($.a, 1.5)", &input);
    invalid("States.ArrayGetItem($.s, 0)", &input);
    assert_eq!(ok("States.ArrayLength($.a)", &input), json!(5));
    assert_eq!(ok("States.ArrayLength($.e)", &input), json!(0));
    invalid("States.ArrayLength($.s)", &input);
    assert_eq!(
        ok("States.ArrayUnique($.dup)", &input),
        json!([1, 2, {"a": 1, "b": 2}, 1.0, "1"])
    );
    assert_eq!(ok("States.ArrayUnique($.e)", &input), json!([]));
    invalid("States.ArrayUnique($.s)", &input);
}

#[test]
fn encoding_and_hashing() {
    let input = json!({"d": "Data to encode", "e": "RGF0YSB0byBlbmNvZGU=", "nopad": "RGF0YSB0byBlbmNvZGU", "bad": "***", "n": 1,
        "h": "input data", "long": "x".repeat(10_001)});
    assert_eq!(
        ok("States.Base64Encode($.d)", &input),
        json!("RGF0YSB0byBlbmNvZGU=")
    );
    assert_eq!(
        ok("States.Base64Decode($.e)", &input),
        json!("Data to encode")
    );
    assert_eq!(
        ok("States.Base64Decode($.nopad)", &input),
        json!("Data to encode")
    );
    assert_eq!(ok("States.Base64Decode('')", &input), json!(""));
    assert_eq!(
        ok("States.Base64Decode(States.Base64Encode('héllo'))", &input),
        json!("héllo")
    );
    invalid("States.Base64Decode($.bad)", &input);
    invalid("States.Base64Encode($.n)", &input);
    invalid("States.Base64Encode($.long)", &input);
    assert_eq!(
        ok("States.Hash($.h, 'MD5')", &input),
        json!("812f45842bc6d66ee14572ce20db8e86")
    );
    assert_eq!(
        ok("States.Hash($.h, 'SHA-1')", &input),
        json!("aaff4a450a104cd177d28d18d74485e8cae074b7")
    );
    assert_eq!(
        ok("States.Hash($.h, 'SHA-256')", &input),
        json!("b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3")
    );
    assert_eq!(
        ok("States.Hash($.h, 'SHA-384')", &input)
            .as_str()
            .map(str::len),
        Some(96)
    );
    assert_eq!(
        ok("States.Hash($.h, 'SHA-512')", &input),
        json!(
            "6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4"
        )
    );
    let algo = json!({"h": "x", "a": "sha-256"});
    invalid("States.Hash($.h, $.a)", &algo);
    invalid("States.Hash($.n, 'MD5')", &input);
}

#[test]
fn math() {
    let cases = [
        (json!(-9), json!(3), json!(-6)),
        (json!(1.49), json!(1.5), json!(3)),
        (json!(2.5), json!(0), json!(3)),
        (json!(3.5), json!(0), json!(4)),
        (json!(-0.5), json!(0.5), json!(1)),
        (json!(-3.5), json!(0), json!(-3)),
        (json!(-1.49), json!(-1.5), json!(-2)),
        (json!(-1.5), json!(-1.51), json!(-3)),
        (json!(1.49), json!(-1.49), json!(0)),
        (json!(1.51), json!(0), json!(2)),
    ];
    for (a, b, sum) in cases {
        let input = json!({"a": a, "b": b});
        let result = ok("States.MathAdd($.a, $.b)", &input);
        assert_eq!(result, sum, "{input}");
        assert!(result.is_i64());
    }
    let input = json!({"s": "1", "max": i64::MAX});
    invalid("States.MathAdd($.s, 1)", &input);
    invalid("States.MathAdd($.max, 1)", &input);
    assert_eq!(
        ok("States.MathAdd(States.MathAdd(1, 2), -3)", &input),
        json!(0)
    );

    for _ in 0..50 {
        let v = ok("States.MathRandom(1, 5)", &input).as_i64().unwrap_or(-1);
        assert!((1..5).contains(&v), "{v}");
    }
    let seeded = ok("States.MathRandom(0, 999, 3)", &input);
    assert_eq!(ok("States.MathRandom(0, 999, 3)", &input), seeded);
    assert!(seeded.is_i64());
    invalid("States.MathRandom(5, 5)", &input);
    invalid("States.MathRandom(1.4, 1.6)", &input);
    invalid("States.MathRandom($.s, 5)", &input);
}

#[test]
fn strings_and_uuid() {
    let input = json!({"csv": "a,b,,c", "mixed": "This.is+a,test=string", "n": 1});
    assert_eq!(
        ok("States.StringSplit($.csv, ',')", &input),
        json!(["a", "b", "c"])
    );
    assert_eq!(
        ok("States.StringSplit($.mixed, '.+,=')", &input),
        json!(["This", "is", "a", "test", "string"])
    );
    assert_eq!(
        ok("States.StringSplit('Hello\nWorld', '\n')", &input),
        json!(["Hello", "World"])
    );
    assert_eq!(ok("States.StringSplit('abc', '')", &input), json!(["abc"]));
    assert_eq!(ok("States.StringSplit('', ',')", &input), json!([]));
    invalid("States.StringSplit($.n, ',')", &input);
    let uuid = ok("States.UUID()", &input);
    let text = uuid.as_str().unwrap_or_default();
    assert_eq!(text.len(), 36);
    assert_eq!(text.as_bytes()[14], b'4');
    assert_ne!(ok("States.UUID()", &input), uuid);
}

#[test]
fn paths_that_select_nothing() {
    let input = json!({"a": 1});
    let c = call("States.Format('{}', $.missing)");
    assert_eq!(
        c.evaluate(&Env::new(&input)),
        Err(StatesError::runtime(
            "The JSONPath '$.missing' could not be found in the input '{\"a\":1}'"
        ))
    );
    assert_eq!(
        c.evaluate_for_field(&Env::new(&input), "value.$"),
        Err(StatesError::runtime(
            "The JSONPath '$.missing' specified for the field 'value.$' could not be found in the input '{\"a\":1}'"
        ))
    );
    // An indefinite path that matches nothing is an empty array, not a failure.
    assert_eq!(ok("States.ArrayLength($.missing[*])", &input), json!(0));
}

#[test]
fn variables_and_context() {
    let input = json!({});
    let context = json!({"Map": {"Item": {"Value": "Pikachu"}}});
    let mut vars = Map::new();
    vars.insert("tpl".into(), json!("It's {}!"));
    vars.insert("x".into(), json!(2));
    let scope = Env::new(&input)
        .with_context(&context)
        .with_variables(&vars);
    assert_eq!(
        call("States.Format($tpl, $$.Map.Item.Value)").evaluate(&scope),
        Ok(json!("It's Pikachu!"))
    );
    assert_eq!(
        call("States.MathAdd($x, $x)").evaluate(&scope),
        Ok(json!(4))
    );
}

#[test]
fn nesting_limit() {
    let mut text = "1".to_string();
    for _ in 0..10 {
        text = format!("States.MathAdd({text}, 1)");
    }
    assert_eq!(ok(&text, &json!({})), json!(11));
    let deeper = format!("States.MathAdd({text}, 1)");
    assert!(IntrinsicCall::parse(&deeper).is_err());
}

#[test]
fn serde_round_trip() {
    let c = call("States.UUID()");
    assert_eq!(serde_json::to_value(&c).ok(), Some(json!("States.UUID()")));
    let back: Result<IntrinsicCall, _> = serde_json::from_value(json!("States.UUID()"));
    assert_eq!(back.ok(), Some(c));
    let bad: Result<IntrinsicCall, _> = serde_json::from_value(json!("States.UUID(1)"));
    assert!(bad.is_err());
}
