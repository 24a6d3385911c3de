//! Taking an order, end to end on the embedded engine: the machine of
//! `machines/orders.asl.json` (checked at compile time), its Lambda functions answered
//! by Rust handlers, a virtual clock so the hour-long Wait and the retry interval take
//! no time.
//!
//! The `orders` program runs it; `sfn run examples/machines/orders.asl.json` runs the
//! same file with the mocked responses of `machines/orders.mocks.json` instead.

use std::sync::{
    Arc,
    atomic::{AtomicU32, Ordering},
};

use serde_json::{Value, json};
use sfn_runtime::{
    local::{
        Error, ExecutionDescription, History, LocalEngine, StartExecution, TaskRequest,
        VirtualClock,
    },
    prelude::*,
};

state_machine!(
    /// Validates an order, reserves its items, charges the card and ships.
    pub Orders = "machines/orders.asl.json"
);

/// The Lambda function that validates an order and totals it.
pub const VALIDATE: &str = "arn:aws:lambda:us-east-1:123456789012:function:validate-order";
/// The Lambda function that reserves one item.
pub const RESERVE: &str = "arn:aws:lambda:us-east-1:123456789012:function:reserve-stock";
/// The Lambda function that charges the card.
pub const CHARGE: &str = "arn:aws:lambda:us-east-1:123456789012:function:charge-card";

/// An order the payment service accepts on the second try.
pub fn sample_order() -> Value {
    json!({
        "orderId": "o-1001",
        "customer": "ada@example.com",
        "items": [
            {"sku": "book-rust", "quantity": 2, "price": 39.5},
            {"sku": "mug-ferris", "quantity": 1, "price": 12.0}
        ]
    })
}

/// An order over the card's limit: the payment service declines it.
pub fn expensive_order() -> Value {
    json!({
        "orderId": "o-1002",
        "customer": "grace@example.com",
        "items": [{"sku": "workstation", "quantity": 1, "price": 4999.0}]
    })
}

/// An engine on a virtual clock with the three functions registered. The payment
/// service is "busy" on the first call of each order (`Payment.Unavailable`, which the
/// machine retries) and declines amounts over 1,000 (`Payment.Declined`, which it
/// catches).
pub fn engine() -> LocalEngine {
    let engine = LocalEngine::with_clock(Arc::new(VirtualClock::default()));
    engine.register_handler(VALIDATE, |req: TaskRequest| async move {
        let items = req.input["items"].as_array().cloned().unwrap_or_default();
        let valid = !items.is_empty()
            && items
                .iter()
                .all(|i| i["quantity"].as_u64().is_some_and(|q| q > 0));
        let total: f64 = items
            .iter()
            .map(|i| i["quantity"].as_f64().unwrap_or(0.0) * i["price"].as_f64().unwrap_or(0.0))
            .sum();
        Ok(json!({"valid": valid, "total": total}))
    });
    engine.register_handler(RESERVE, |req: TaskRequest| async move {
        let sku = req.input["sku"].as_str().unwrap_or_default().to_owned();
        Ok(json!({"sku": sku, "reserved": req.input["quantity"], "warehouse": "DUB-1"}))
    });
    let calls = Arc::new(AtomicU32::new(0));
    engine.register_handler(CHARGE, move |req: TaskRequest| {
        let calls = calls.clone();
        async move {
            let order = req.input["orderId"].as_str().unwrap_or_default().to_owned();
            let amount = req.input["amount"].as_f64().unwrap_or(0.0);
            if calls.fetch_add(1, Ordering::Relaxed) % 2 == 0 {
                return Err(TaskFailure::new(
                    "Payment.Unavailable",
                    "The payment service is busy.",
                ));
            }
            if amount > 1000.0 {
                return Err(TaskFailure::new(
                    "Payment.Declined",
                    format!("{amount} is over the card's limit."),
                ));
            }
            Ok(json!({"chargeId": format!("ch_{order}"), "amount": amount}))
        }
    });
    engine
}

/// Runs one order on `engine` and returns how it ended, with its history.
///
/// # Errors
///
/// When the engine refuses the machine or the input.
pub async fn run(
    engine: &LocalEngine,
    order: Value,
) -> Result<(ExecutionDescription, History), Error> {
    let arn = engine.create_state_machine("orders", Orders::definition())?;
    let execution = engine
        .start_execution(&arn, StartExecution::new(order))
        .await?;
    let done = execution.wait().await?;
    Ok((done, execution.history()))
}
