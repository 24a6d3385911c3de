use sfn_runtime::prelude::*;

state_machine! {
    pub M {
        start_at: A,
        states: {
            A: Map {
                item_processor: {
                    processor_config: { mode: Distributed, execution_type: Express },
                    start_at: B,
                    states: { B: Succeed },
                },
                item_reader: {
                    resource: get_object,
                    parameters: { "Bucket": "b", "Key": "k.json" },
                },
                end: true,
            },
        }
    }
}

fn main() {}
