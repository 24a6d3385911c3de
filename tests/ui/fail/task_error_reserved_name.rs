use sfn_runtime::prelude::*;

#[derive(Debug, TaskError)]
enum ChargeError {
    #[task_error(name = "States.Timeout")]
    Late,
    #[task_error(nmae = "Declined")]
    Declined,
}

impl std::fmt::Display for ChargeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("charge failed")
    }
}

fn main() {}
