//! The orders example, run as its program runs it, so it cannot rot.

use serde_json::json;
use sfn_examples::orders;
use sfn_runtime::local::{EventType, ExecutionStatus};

#[tokio::test]
async fn the_sample_order_ships_after_a_retried_payment() -> Result<(), sfn_runtime::local::Error> {
    let engine = orders::engine();
    let (done, history) = orders::run(&engine, orders::sample_order()).await?;
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    assert_eq!(
        done.output,
        Some(
            json!({"orderId": "o-1001", "status": "SHIPPED", "total": 91.0, "chargeId": "ch_o-1001", "items": 2})
        )
    );
    let count = |t: EventType| {
        history
            .events()
            .iter()
            .filter(|e| e.event_type == t)
            .count()
    };
    assert_eq!(count(EventType::MapIterationSucceeded), 2);
    assert_eq!(
        count(EventType::LambdaFunctionFailed),
        1,
        "one retried payment"
    );
    assert_eq!(count(EventType::WaitStateExited), 1);
    // The hour-long Wait and the 30 s retry interval passed on the virtual clock.
    let (Some(first), Some(last)) = (history.events().first(), history.events().last()) else {
        panic!("no history");
    };
    assert!((last.timestamp - first.timestamp).num_seconds() >= 3600);
    Ok(())
}

#[tokio::test]
async fn an_expensive_order_is_declined_and_caught() -> Result<(), sfn_runtime::local::Error> {
    let engine = orders::engine();
    let (done, _) = orders::run(&engine, orders::expensive_order()).await?;
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some("PaymentFailed"));
    assert_eq!(
        done.cause.as_deref(),
        Some("4999 is over the card's limit.")
    );
    Ok(())
}

#[tokio::test]
async fn an_empty_order_is_rejected() -> Result<(), sfn_runtime::local::Error> {
    let engine = orders::engine();
    let (done, _) = orders::run(&engine, json!({"orderId": "o-0", "items": []})).await?;
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some("OrderRejected"));
    Ok(())
}

#[test]
fn the_program_runs() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_orders"))
        .output()
        .unwrap_or_else(|e| panic!("cannot run the orders example: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(r#"o-1001: {"status":"SUCCEEDED""#),
        "{stdout}"
    );
    assert!(
        stdout.contains(r#"o-1002: {"status":"FAILED","error":"PaymentFailed""#),
        "{stdout}"
    );
    assert!(stdout.contains("WaitStateExited"), "{stdout}");
}
