//! Names the client makes or checks: execution names, prefixed activity names.

use chrono::{DateTime, Utc};
use sfn_core::names::{MAX_RESOURCE_NAME_LEN, check_resource_name};

/// Checks an execution, machine or activity name against AWS's rules, with the name in
/// the message.
pub(super) fn check(name: &str) -> Result<(), String> {
    check_resource_name(name).map_err(|e| format!("invalid name {name:?}: {e}"))
}

/// The name in a machine's ARN (`arn:aws:states:REGION:ACCOUNT:stateMachine:NAME[:V]`),
/// or the whole text when it is not an ARN; without the `#TestCase` that picks a test
/// case of a local endpoint's mock configuration.
pub(super) fn machine_of(arn: &str) -> &str {
    let name = arn.split(':').nth(6).unwrap_or(arn);
    name.split('#').next().unwrap_or(name)
}

/// A generated execution name: `{machine}-{UTC time}-{8 hex digits}`, the machine's name
/// cut (on a character boundary) so that the whole is at most 80 characters. Always a
/// valid name when `machine` is a valid machine name, and random enough that two
/// executions started in the same second do not collide.
pub(super) fn execution_name(machine: &str, now: DateTime<Utc>) -> String {
    let suffix = format!(
        "-{}-{:08x}",
        now.format("%Y%m%dT%H%M%SZ"),
        fastrand::u32(..)
    );
    let room = MAX_RESOURCE_NAME_LEN - suffix.chars().count();
    let mut name: String = machine.chars().take(room).collect();
    name.push_str(&suffix);
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> DateTime<Utc> {
        DateTime::from_timestamp(1_796_000_000, 0).unwrap_or_default()
    }

    #[test]
    fn generated_names_fit_and_are_valid() {
        let name = execution_name("orders", at());
        assert!(name.starts_with("orders-20"), "{name}");
        assert_eq!(name.len(), "orders".len() + 26);
        assert!(check(&name).is_ok());
        let long = "m".repeat(80);
        let name = execution_name(&long, at());
        assert_eq!(name.chars().count(), 80);
        assert!(check(&name).is_ok());
        let wide = "é".repeat(80);
        let name = execution_name(&wide, at());
        assert_eq!(name.chars().count(), 80);
        assert_ne!(execution_name("m", at()), execution_name("m", at()));
    }

    #[test]
    fn machine_names_come_out_of_arns() {
        assert_eq!(
            machine_of("arn:aws:states:us-east-1:123456789012:stateMachine:orders:3"),
            "orders"
        );
        assert_eq!(machine_of("orders"), "orders");
        assert_eq!(
            machine_of("arn:aws:states:us-east-1:123456789012:stateMachine:orders#HappyPath"),
            "orders"
        );
    }
}
