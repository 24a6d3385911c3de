//! Takes two orders on the embedded engine, no AWS account needed: one ships after a
//! retried payment, one is declined and caught. Prints each result, and the history of
//! the first.
//!
//! ```sh
//! cargo run -p sfn-examples --bin orders
//! ```

use sfn_examples::orders;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), sfn_runtime::local::Error> {
    let engine = orders::engine();

    let (shipped, history) = orders::run(&engine, orders::sample_order()).await?;
    println!("History of o-1001:\n{}", history.display());
    println!("o-1001: {}", shipped.to_json());

    let (declined, _) = orders::run(&engine, orders::expensive_order()).await?;
    println!("o-1002: {}", declined.to_json());
    Ok(())
}
