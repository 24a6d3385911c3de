use sfn_runtime::prelude::*;

#[derive(Debug, TaskError)]
enum ChargeError {
    Declined { reason: String },
    #[task_error(name = "Payments.Unavailable")]
    Unavailable,
}

impl std::fmt::Display for ChargeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChargeError::Declined { reason } => write!(f, "declined: {reason}"),
            ChargeError::Unavailable => f.write_str("the payment service is unavailable"),
        }
    }
}

#[activity]
fn charge(cents: u64) -> Result<u64, ChargeError> {
    if cents == 0 { Err(ChargeError::Unavailable) } else { Ok(cents) }
}

fn general(cents: u64) -> Result<u64, TaskError> {
    Ok(charge(cents)?)
}

fn main() {
    let e = ChargeError::Declined { reason: "no funds".into() }.to_task_failure();
    assert_eq!((e.error.as_str(), e.cause.as_deref()), ("Declined", Some("declined: no funds")));
    assert_eq!(general(0).unwrap_err().name(), "Payments.Unavailable");
}
