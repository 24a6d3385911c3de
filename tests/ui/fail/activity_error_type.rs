use sfn_runtime::prelude::*;

#[derive(Debug)]
struct Oops;

#[activity]
fn charge(cents: u64) -> Result<u64, Oops> {
    Err(Oops).or(Ok(cents))
}

fn main() {}
