//! Payload sizes, as Step Functions limits them.

use serde_json::Value;

/// The largest state or execution input or output, in bytes of UTF-8 JSON.
pub const MAX_PAYLOAD_BYTES: usize = 262_144;

/// The size of `value` as compact JSON, in bytes. Serializes without allocating.
pub fn payload_size(value: &Value) -> usize {
    struct Counter(usize);
    impl std::io::Write for Counter {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut counter = Counter(0);
    // Writing a `Value` to an infallible writer cannot fail.
    let _ = serde_json::to_writer(&mut counter, value);
    counter.0
}

/// Whether `value` is larger than [`MAX_PAYLOAD_BYTES`].
pub fn exceeds_limit(value: &Value) -> bool {
    match value {
        // Scalars and small containers cannot reach the limit; skip the walk.
        Value::Null | Value::Bool(_) | Value::Number(_) => false,
        Value::String(s) => {
            s.len() + 2 > MAX_PAYLOAD_BYTES / 6 && payload_size(value) > MAX_PAYLOAD_BYTES
        }
        _ => payload_size(value) > MAX_PAYLOAD_BYTES,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sizes() {
        assert_eq!(payload_size(&json!({"a": 1})), 7);
        assert!(!exceeds_limit(&json!("x".repeat(1000))));
        assert!(exceeds_limit(&json!("x".repeat(MAX_PAYLOAD_BYTES))));
        assert!(exceeds_limit(&json!([
            "x".repeat(MAX_PAYLOAD_BYTES / 2),
            "y".repeat(MAX_PAYLOAD_BYTES / 2)
        ])));
    }
}
