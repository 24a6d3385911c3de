// Included (hidden) by the examples of `reference.md`: checks that the ASL a machine
// produces is the ASL the page shows. `shown("id", "/States", M::ASL)` reads the ```json
// block that follows the marker `<!-- asl: id -->` in the page and asserts that each of
// its keys has the same value in the machine's ASL at the JSON Pointer given.
pub(super) fn shown(id: &str, at: &str, asl: &str) {
    let page = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/guide/reference.md"));
    let marker = format!("<!-- asl: {id} -->");
    assert_eq!(page.matches(marker.as_str()).count(), 1, "{marker} must be in the page once");
    let block = page
        .split(marker.as_str())
        .nth(1)
        .and_then(|rest| rest.split("```json\n").nth(1))
        .and_then(|rest| rest.split("\n```").next())
        .unwrap_or_else(|| panic!("no ```json block after {marker}"));
    let want: serde_json::Value =
        serde_json::from_str(block).unwrap_or_else(|e| panic!("the block {id}: {e}"));
    let asl: serde_json::Value = serde_json::from_str(asl).expect("the ASL is JSON");
    let got = asl.pointer(at).unwrap_or_else(|| panic!("no {at} in the ASL"));
    let want = want.as_object().unwrap_or_else(|| panic!("the block {id} is not an object"));
    assert!(!want.is_empty(), "the block {id} is empty");
    for (key, value) in want {
        assert_eq!(&got[key], value, "{id}: {at}/{key}");
    }
}
