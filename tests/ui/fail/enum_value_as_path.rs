use sfn_runtime::prelude::*;

state_machine! {
    pub M {
        start_at: A,
        states: {
            A: Map {
                item_processor: {
                    processor_config: { mode: ProcessorMode::Distributed, execution_type: Express },
                    start_at: B,
                    states: { B: Succeed },
                },
                end: true,
            },
        }
    }
}

fn main() {}
