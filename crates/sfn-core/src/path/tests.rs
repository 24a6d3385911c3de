use serde_json::{Map, Value, json};

use super::{JsonPath, PathRoot};
use crate::eval::Env;

fn path(text: &str) -> JsonPath {
    match JsonPath::parse(text) {
        Ok(p) => p,
        Err(e) => panic!("{text}: {e}"),
    }
}

fn sel(text: &str, input: &Value) -> Option<Value> {
    path(text).select(&Env::new(input))
}

fn store() -> Value {
    json!({
        "store": {
            "book": [
                {"category": "reference", "author": "Nigel Rees", "title": "Sayings of the Century", "price": 8.95},
                {"category": "fiction", "author": "Evelyn Waugh", "title": "Sword of Honour", "price": 12.99},
                {"category": "fiction", "author": "Herman Melville", "title": "Moby Dick", "isbn": "0-553-21311-3", "price": 8.99},
                {"category": "fiction", "author": "J. R. R. Tolkien", "title": "The Lord of the Rings", "isbn": "0-395-19395-8", "price": 22.99}
            ],
            "bicycle": {"color": "red", "price": 19.95}
        },
        "expensive": 10
    })
}

#[test]
fn roots() {
    assert_eq!(path("$").root(), PathRoot::Input);
    assert_eq!(path("$.a").root(), PathRoot::Input);
    assert_eq!(path("$$").root(), PathRoot::Context);
    assert_eq!(path("$$.Execution.Input").root(), PathRoot::Context);
    assert_eq!(path("$var").root(), PathRoot::Variable("var".into()));
    assert_eq!(
        path("$_x1.field[0]").root(),
        PathRoot::Variable("_x1".into())
    );
    assert_eq!(path("$var").root_ref(), &PathRoot::Variable("var".into()));
}

#[test]
fn definite_selection() {
    let input = store();
    assert_eq!(sel("$", &input), Some(input.clone()));
    assert_eq!(sel("$.expensive", &input), Some(json!(10)));
    assert_eq!(sel("$.store.bicycle.color", &input), Some(json!("red")));
    assert_eq!(
        sel("$['store']['bicycle']['color']", &input),
        Some(json!("red"))
    );
    assert_eq!(
        sel("$[\"store\"].bicycle[\"color\"]", &input),
        Some(json!("red"))
    );
    assert_eq!(
        sel("$.store.book[0].author", &input),
        Some(json!("Nigel Rees"))
    );
    assert_eq!(
        sel("$.store.book[-1].author", &input),
        Some(json!("J. R. R. Tolkien"))
    );
    assert_eq!(sel("$.store.book[4]", &input), None);
    assert_eq!(sel("$.store.book[-5]", &input), None);
    assert_eq!(sel("$.nope", &input), None);
    assert_eq!(sel("$.store.nope.deeper", &input), None);
    assert_eq!(sel("$.expensive.x", &input), None);
    assert_eq!(sel("$.store[0]", &input), None);
    assert_eq!(sel("$.store.book.author", &input), None);
}

#[test]
fn null_is_a_value_not_nothing() {
    let input = json!({"a": null});
    assert_eq!(sel("$.a", &input), Some(Value::Null));
    assert_eq!(sel("$.b", &input), None);
}

#[test]
fn indefinite_selection() {
    let input = store();
    assert_eq!(
        sel("$.store.book[*].author", &input),
        Some(json!([
            "Nigel Rees",
            "Evelyn Waugh",
            "Herman Melville",
            "J. R. R. Tolkien"
        ]))
    );
    assert_eq!(
        sel("$..author", &input),
        Some(json!([
            "Nigel Rees",
            "Evelyn Waugh",
            "Herman Melville",
            "J. R. R. Tolkien"
        ]))
    );
    assert_eq!(
        sel("$.store.*", &input).and_then(|v| v.as_array().map(Vec::len)),
        Some(2)
    );
    assert_eq!(
        sel("$.store..price", &input),
        Some(json!([8.95, 12.99, 8.99, 22.99, 19.95]))
    );
    assert_eq!(sel("$..book[2].title", &input), Some(json!(["Moby Dick"])));
    assert_eq!(
        sel("$..book[-1:].title", &input),
        Some(json!(["The Lord of the Rings"]))
    );
    assert_eq!(
        sel("$..book[-2:].price", &input),
        Some(json!([8.99, 22.99]))
    );
    assert_eq!(sel("$..book[:2].price", &input), Some(json!([8.95, 12.99])));
    assert_eq!(
        sel("$..book[1:3].price", &input),
        Some(json!([12.99, 8.99]))
    );
    assert_eq!(
        sel("$..book[0,1].price", &input),
        Some(json!([8.95, 12.99]))
    );
    assert_eq!(
        sel("$.store.book[?(@.isbn)].title", &input),
        Some(json!(["Moby Dick", "The Lord of the Rings"]))
    );
    assert_eq!(
        sel("$.store.book[?(@.price < 10)].price", &input),
        Some(json!([8.95, 8.99]))
    );
    assert_eq!(
        sel("$.store.book[?(@.price <= $['expensive'])].price", &input),
        Some(json!([8.95, 8.99]))
    );
    // Regular expressions are not supported.
    assert!(JsonPath::parse("$..book[?(@.author =~ /x/)]").is_err());
    assert_eq!(sel("$.nothing[*]", &input), Some(json!([])));
    assert_eq!(sel("$..nothing", &input), Some(json!([])));
}

#[test]
fn filters() {
    let input = json!({"items": [
        {"n": 1, "s": "a", "b": true},
        {"n": 2, "s": "b", "b": false},
        {"n": 3.5, "s": "c"},
        {"n": null},
        {"s": "e"}
    ]});
    let count = |filter: &str| -> usize {
        let text = format!("$.items[?({filter})]");
        sel(&text, &input)
            .and_then(|v| v.as_array().map(Vec::len))
            .unwrap_or(usize::MAX)
    };
    assert_eq!(count("@.n == 1"), 1);
    assert_eq!(count("@.n == 1.0"), 1);
    assert_eq!(count("@.n != 1"), 4);
    assert_eq!(count("@.n > 1"), 2);
    assert_eq!(count("@.n >= 2"), 2);
    assert_eq!(count("@.n < 3.5"), 2);
    assert_eq!(count("@.n <= 3.5"), 3);
    assert_eq!(count("@.s == 'b'"), 1);
    assert_eq!(count("@.s == \"b\""), 1);
    assert_eq!(count("@.s > 'b'"), 2);
    assert_eq!(count("@.b == true"), 1);
    assert_eq!(count("@.b == false"), 1);
    assert_eq!(count("@.n == null"), 1);
    assert_eq!(count("@.n"), 4);
    assert_eq!(count("!@.n"), 1);
    assert_eq!(count("@.n > 1 && @.s"), 2);
    assert_eq!(count("@.n == 1 || @.s == 'e'"), 2);
    assert_eq!(count("(@.n == 1 || @.n == 2) && @.b == false"), 1);
    assert_eq!(count("@.s in ['a', 'c']"), 2);
    assert_eq!(count("@.s nin ['a', 'c']"), 3);
    assert_eq!(count("@.n == '1'"), 0);
    assert_eq!(count("@.missing > 0"), 0);
}

#[test]
fn deep_scan_with_filter_tests_objects() {
    let input = store();
    assert_eq!(
        sel("$..[?(@.isbn)].title", &input),
        Some(json!(["Moby Dick", "The Lord of the Rings"]))
    );
    assert_eq!(
        sel("$..[?(@.price > 20)].price", &input),
        Some(json!([22.99]))
    );
}

#[test]
fn multi_name_union() {
    let input = json!({"a": 1, "b": 2, "c": 3, "arr": [{"a": 1, "b": 2}, {"a": 3}]});
    assert_eq!(sel("$['a','b']", &input), Some(json!({"a": 1, "b": 2})));
    assert_eq!(sel("$['a','zz']", &input), Some(json!({"a": 1})));
    assert!(path("$['a','b']").is_definite());
    assert!(!path("$['a','b']").is_reference_path());
    assert_eq!(
        sel("$.arr[*]['a','b']", &input),
        Some(json!([{"a": 1, "b": 2}, {"a": 3}]))
    );
    assert!(!path("$['a','b'].c").is_definite());
}

#[test]
fn length_function() {
    let input = json!({"a": [1, 2, 3], "o": {"x": 1}, "n": 1});
    assert_eq!(sel("$.a.length()", &input), Some(json!(3)));
    assert_eq!(sel("$.o.length()", &input), Some(json!(1)));
    assert_eq!(sel("$.n.length()", &input), None);
    assert_eq!(sel("$.a[*].length()", &input), Some(json!(3)));
    assert_eq!(sel("$.a[?(@ > 1)].length()", &input), Some(json!(2)));
    assert!(!path("$.a.length()").is_reference_path());
}

#[test]
fn filter_on_current_value() {
    let input = json!({"a": [1, 5, 10]});
    assert_eq!(sel("$.a[?(@ > 2)]", &input), Some(json!([5, 10])));
    assert_eq!(sel("$.a[?(@ == 5)]", &input), Some(json!([5])));
}

#[test]
fn reference_paths() {
    for p in [
        "$",
        "$.a",
        "$.a.b",
        "$['a']",
        "$.a[0]",
        "$.a[-1].b",
        "$$.Execution.Id",
        "$v.x",
        "$v",
    ] {
        assert!(path(p).is_reference_path(), "{p}");
        assert!(path(p).is_definite(), "{p}");
    }
    for p in [
        "$.a[*]",
        "$..a",
        "$.a[0:1]",
        "$.a[0,1]",
        "$.a[?(@.b)]",
        "$.*",
        "$['a','b']",
    ] {
        assert!(!path(p).is_reference_path(), "{p}");
    }
}

#[test]
fn dot_notation_field_names() {
    let input = json!({"a-b": 1, "ünï": {"ç": 2}, "a:b": 3, "a$b": 4, "@x": 5});
    assert_eq!(sel("$.a-b", &input), Some(json!(1)));
    assert_eq!(sel("$.ünï.ç", &input), Some(json!(2)));
    assert_eq!(sel("$.a:b", &input), Some(json!(3)));
    assert_eq!(sel("$.a$b", &input), Some(json!(4)));
    assert_eq!(sel("$.@x", &input), Some(json!(5)));
}

#[test]
fn quoted_names_keep_backslashes() {
    // AWS keeps the backslash of `\"` in a bracketed name (recorded in the conformance corpus).
    let input = json!({"Test\\\"\"Name\"": "Value\"\\"});
    assert_eq!(
        sel("$['Test\\\"\"Name\"']", &input),
        Some(json!("Value\"\\"))
    );
    let input = json!({"a b": 1, "a.b": 2, "a]b": 3, "a'b": 4});
    assert_eq!(sel("$[\"a b\"]", &input), Some(json!(1)));
    assert_eq!(sel("$['a.b']", &input), Some(json!(2)));
    assert_eq!(sel("$['a]b']", &input), Some(json!(3)));
    assert_eq!(sel("$[\"a'b\"]", &input), Some(json!(4)));
}

#[test]
fn whitespace() {
    let input = json!({"a": [1, 2, 3]});
    assert_eq!(sel("  $.a  ", &input), Some(json!([1, 2, 3])));
    assert_eq!(sel("$.a[ 0 ]", &input), Some(json!(1)));
    assert_eq!(sel("$.a[ 0 , 2 ]", &input), Some(json!([1, 3])));
    assert_eq!(sel("$.a[?( @ > 1 )]", &input), Some(json!([2, 3])));
}

#[test]
fn invalid_paths() {
    for p in [
        "",
        "$.",
        "$[",
        "$.a[",
        "a.b",
        "$..",
        "$.a[?(@.x ==)]",
        "$.a b",
        "$.a.",
        "$a-b",
        "$1",
        "$.a[1:2:3]",
        "$.a[?(@.x)",
        "$.a[?(@.x == 'y)]",
        "$.a['b'",
        "$.a[b]",
        "$.a[]",
        "$.a.[0]",
        "$.a.length().b",
        "$.a.foo()",
        "$.a[0,]",
        "$.a[:]",
        "$.a[99999999999999999999]",
        "$.a[?(1)]",
        "$$$",
        ".a",
        "$.a[?(x > 1)]",
    ] {
        let err = JsonPath::parse(p).err();
        assert!(err.is_some(), "{p:?} should not parse");
    }
    let message = JsonPath::parse("$.a b")
        .err()
        .map(|e| e.message)
        .unwrap_or_default();
    assert!(message.contains("position 4"), "{message}");
    let message = JsonPath::parse("$.")
        .err()
        .map(|e| e.message)
        .unwrap_or_default();
    assert!(message.contains("position 2"), "{message}");
}

#[test]
fn variables_and_context() {
    let input = json!({});
    let context = json!({"Execution": {"Input": {"x": 1}}, "Map": {"Item": {"Value": "v", "Index": 0}}, "Task": {"Token": "t"}});
    let mut vars = Map::new();
    vars.insert("total".into(), json!({"sum": 7, "list": [1, 2]}));
    let scope = Env::new(&input)
        .with_context(&context)
        .with_variables(&vars);
    assert_eq!(path("$$.Execution.Input.x").select(&scope), Some(json!(1)));
    assert_eq!(path("$$.Map.Item.Value").select(&scope), Some(json!("v")));
    assert_eq!(path("$$.Task.Token").select(&scope), Some(json!("t")));
    assert_eq!(path("$total.sum").select(&scope), Some(json!(7)));
    assert_eq!(path("$total.list[1]").select(&scope), Some(json!(2)));
    assert_eq!(
        path("$total").select(&scope),
        Some(json!({"sum": 7, "list": [1, 2]}))
    );
    assert_eq!(path("$nope").select(&scope), None);
    assert_eq!(path("$nope[*]").select(&scope), None);
    assert_eq!(path("$total.list[*]").select(&scope), Some(json!([1, 2])));
}

#[test]
fn select_ref_and_cow() {
    let input = json!({"a": {"b": [1, 2]}});
    let scope = Env::new(&input);
    let r = path("$.a.b[1]").select_ref(&scope);
    assert!(r.is_some_and(|v| std::ptr::eq(v, &input["a"]["b"][1])));
    assert_eq!(path("$.a.b[*]").select_ref(&scope), None);
    assert!(matches!(
        path("$.a").select_cow(&scope),
        Some(std::borrow::Cow::Borrowed(_))
    ));
    assert_eq!(
        path("$.a.b[*]").select_cow(&scope).map(|c| c.into_owned()),
        Some(json!([1, 2]))
    );
}

#[test]
fn set_result_path() {
    let mut v = json!({"a": 1});
    path("$")
        .set(&mut v, json!("whole"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v, json!("whole"));

    let mut v = json!({"a": 1});
    path("$.b.c.d")
        .set(&mut v, json!(2))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v, json!({"a": 1, "b": {"c": {"d": 2}}}));

    let mut v = json!({"a": {"x": 1}});
    path("$.a.y")
        .set(&mut v, json!(2))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v, json!({"a": {"x": 1, "y": 2}}));

    let mut v = json!({"a": 5});
    path("$.a")
        .set(&mut v, json!({"new": true}))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v, json!({"a": {"new": true}}));

    let mut v = json!({"a": [1, {"b": 2}]});
    path("$.a[1].c")
        .set(&mut v, json!(3))
        .unwrap_or_else(|e| panic!("{e}"));
    path("$.a[0]")
        .set(&mut v, json!(0))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v, json!({"a": [0, {"b": 2, "c": 3}]}));

    let mut v = json!({"a": 5});
    assert!(path("$.a.b").set(&mut v, json!(1)).is_err());
    assert_eq!(v, json!({"a": 5}));
    let mut v = json!("text");
    assert!(path("$.a").set(&mut v, json!(1)).is_err());
    let mut v = json!({"a": [1]});
    assert!(path("$.a[3]").set(&mut v, json!(1)).is_err());
    assert!(path("$.a.b[0]").set(&mut v, json!(1)).is_err());
    assert!(path("$.a[*]").set(&mut v, json!(1)).is_err());
    assert!(path("$$.a").set(&mut v, json!(1)).is_err());
    assert!(path("$var.a").set(&mut v, json!(1)).is_err());
}

#[test]
fn serde_round_trip() {
    let p = path("$.a[0]");
    assert_eq!(serde_json::to_value(&p).ok(), Some(json!("$.a[0]")));
    let back: Result<JsonPath, _> = serde_json::from_value(json!("$.a[0]"));
    assert_eq!(back.ok(), Some(p));
    let bad: Result<JsonPath, _> = serde_json::from_value(json!("$.a["));
    assert!(bad.is_err());
    assert_eq!(path("$.x").to_string(), "$.x");
    assert_eq!(format!("{:?}", path("$.x")), "JsonPath(\"$.x\")");
}

#[test]
fn schema_is_a_string() {
    let schema = schemars::schema_for!(JsonPath);
    assert_eq!(schema.get("type"), Some(&json!("string")));
}
