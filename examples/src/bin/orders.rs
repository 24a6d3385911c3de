//! Takes two orders on the embedded engine, no AWS account needed: one ships after a
//! retried payment, one is declined and caught. Prints each result, and the history of
//! the first with the (virtual) time of each event.
//!
//! ```sh
//! cargo run -p sfn-examples --bin orders
//! ```

use sfn_examples::orders;
use sfn_runtime::local::{EventDetails, History};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), sfn_runtime::local::Error> {
    let engine = orders::engine();

    let (shipped, history) = orders::run(&engine, orders::sample_order()).await?;
    println!("History of o-1001:");
    print_history(&history);
    println!();
    println!("o-1001: {}", shipped.to_json());

    let (declined, _) = orders::run(&engine, orders::expensive_order()).await?;
    println!("o-1002: {}", declined.to_json());
    Ok(())
}

/// One line per event: id, seconds since the start, type, and the state or error.
fn print_history(history: &History) {
    let Some(start) = history.events().first().map(|e| e.timestamp) else {
        return;
    };
    for e in history.events() {
        let about = match &e.details {
            EventDetails::StateEntered { name, .. } | EventDetails::StateExited { name, .. } => {
                name.to_string()
            }
            EventDetails::MapIteration { name, index } => format!("{name} #{index}"),
            EventDetails::TaskFailed { error, cause, .. } => format!(
                "{}: {}",
                error.as_deref().unwrap_or_default(),
                cause.as_deref().unwrap_or_default()
            ),
            _ => String::new(),
        };
        let at = format!("+{}s", (e.timestamp - start).num_seconds());
        let line = format!("{:>4} {at:>7}  {:<26} {about}", e.id, e.event_type.as_str());
        println!("{}", line.trim_end());
    }
}
