use sfn_runtime::prelude::*;

state_machine!(Orders = "/etc/orders.asl.json");

fn main() {}
