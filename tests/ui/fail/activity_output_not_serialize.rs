use sfn_runtime::prelude::*;

struct Receipt(u64);

#[activity]
fn charge(cents: u64) -> Result<Receipt, TaskError> {
    Ok(Receipt(cents))
}

fn main() {}
