//! An ended execution's result as `sfn run` and `sfn start --wait` print it.

use serde_json::Value;

/// The result as text, from its JSON (`{"status", "output"}` or `{"status", "error",
/// "cause"}`): the status, the output pretty-printed, and for an execution that did not
/// succeed its error and cause.
pub(crate) fn result_text(result: &Value) -> String {
    let status = result["status"].as_str().unwrap_or("-");
    let mut out = format!("status: {status}\n");
    if let Some(o) = result.get("output") {
        let pretty = serde_json::to_string_pretty(o).unwrap_or_default();
        out.push_str(&format!("output:\n{pretty}\n"));
    }
    if status != "SUCCEEDED" {
        let text = |m: &str| result[m].as_str().unwrap_or("-").to_owned();
        out.push_str(&format!("error:  {}\n", text("error")));
        out.push_str(&format!("cause:  {}\n", text("cause")));
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn success_and_failure() {
        assert_eq!(
            result_text(&json!({"status": "SUCCEEDED", "output": {"a": 1}})),
            "status: SUCCEEDED\noutput:\n{\n  \"a\": 1\n}\n"
        );
        assert_eq!(
            result_text(&json!({"status": "FAILED", "error": "E", "cause": null})),
            "status: FAILED\nerror:  E\ncause:  -\n"
        );
    }
}
