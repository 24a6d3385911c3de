//! What AWS checks of a Task's parameters before it starts the task: a value an
//! integration cannot take fails the state with `States.Runtime`, and no task is
//! scheduled.
//!
//! Source: the AWS Step Functions Developer Guide, "Invoke API Gateway with Step
//! Functions" (`connect-api-gateway.html`: `Headers` maps each name to a list of
//! values), and AWS's recorded answer to a header given as a single string (LocalStack's
//! `test_invoke_with_headers[singleStringHeader]`):
//! `The Parameters '…' could not be used to start the Task: [The value of the field
//! 'Headers' has an invalid format]`.

use serde_json::Value;

use crate::StatesError;

/// Checks `params`, the parameters of a Task on `resource`, as AWS does before it
/// starts the task.
///
/// # Errors
///
/// `States.Runtime` naming the parameters and the fields AWS refuses.
///
/// ```
/// use serde_json::json;
/// use sfn_core::eval::task_params::check;
///
/// let ok = json!({"ApiEndpoint": "x", "Method": "GET", "Headers": {"h": ["v"]}});
/// assert!(check("arn:aws:states:::apigateway:invoke", &ok).is_ok());
/// let bad = json!({"ApiEndpoint": "x", "Method": "GET", "Headers": {"h": "v"}});
/// assert!(check("arn:aws:states:::apigateway:invoke", &bad).is_err());
/// ```
pub fn check(resource: &str, params: &Value) -> Result<(), StatesError> {
    let mut invalid = Vec::new();
    if is_api_gateway_invoke(resource)
        && let Some(headers) = params.get("Headers")
        && !headers_valid(headers)
    {
        invalid.push("The value of the field 'Headers' has an invalid format");
    }
    if invalid.is_empty() {
        return Ok(());
    }
    Err(StatesError::runtime(format!(
        "The Parameters '{params}' could not be used to start the Task: [{}]",
        invalid.join(", ")
    )))
}

/// `arn:PARTITION:states:::apigateway:invoke`, with any pattern.
fn is_api_gateway_invoke(resource: &str) -> bool {
    resource
        .split_once(":states:::apigateway:invoke")
        .is_some_and(|(head, tail)| {
            head.starts_with("arn:") && (tail.is_empty() || tail.starts_with('.'))
        })
}

/// `Headers` maps each name to a list of strings.
fn headers_valid(headers: &Value) -> bool {
    headers.as_object().is_some_and(|m| {
        m.values().all(|v| {
            v.as_array()
                .is_some_and(|values| values.iter().all(Value::is_string))
        })
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::check;

    #[test]
    fn api_gateway_headers_are_lists_of_strings() {
        let r = "arn:aws:states:::apigateway:invoke";
        for ok in [
            json!({"Method": "GET"}),
            json!({"Headers": {"a": ["x"], "b": ["x", "y"]}}),
            json!({"Headers": {}}),
        ] {
            assert!(check(r, &ok).is_ok(), "{ok}");
        }
        let e = check(r, &json!({"Headers": {"a": "x"}})).err();
        assert_eq!(
            e.map(|e| (e.error, e.cause)),
            Some((
                "States.Runtime".to_owned(),
                r#"The Parameters '{"Headers":{"a":"x"}}' could not be used to start the Task: [The value of the field 'Headers' has an invalid format]"#
                    .to_owned()
            ))
        );
        assert!(check(r, &json!({"Headers": ["x"]})).is_err());
        assert!(check(r, &json!({"Headers": {"a": [1]}})).is_err());
        assert!(
            check(
                "arn:aws:states:::apigateway:invoke.waitForTaskToken",
                &json!({"Headers": 1})
            )
            .is_err()
        );
        // Other resources take what they are given.
        assert!(
            check(
                "arn:aws:states:::lambda:invoke",
                &json!({"Headers": {"a": "x"}})
            )
            .is_ok()
        );
    }
}
