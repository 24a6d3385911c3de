use sfn_runtime::prelude::*;

// The worker beats every 60 s when the activity declares no heartbeat: a state asking for
// one every 2 s would time out.
#[activity]
fn slow(n: u64) -> u64 {
    n
}

state_machine! {
    pub M {
        start_at: A,
        states: {
            A: Task(slow) { heartbeat_seconds: 2, end: true },
        }
    }
}

fn main() {}
