use sfn_runtime::prelude::*;

#[derive(JsonSchema)]
struct Numbers {
    a: i64,
}

#[activity]
fn double(input: Numbers) -> i64 {
    input.a * 2
}

fn main() {}
