use sfn_runtime::prelude::*;

#[activity(name = "bad name", heartbeat = 60, timeout = 30, retries = 3)]
fn charge(cents: u64) -> u64 {
    cents
}

fn main() {}
