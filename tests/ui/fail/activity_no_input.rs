use sfn_runtime::prelude::*;

#[activity]
async fn ping() -> Result<(), TaskError> {
    Ok(())
}

fn main() {}
