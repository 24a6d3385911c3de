use sfn_runtime::prelude::*;

#[activity]
async fn add(a: i64, b: i64) -> i64 {
    a + b
}

fn main() {}
