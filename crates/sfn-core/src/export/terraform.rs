//! Terraform: an `aws_sfn_state_machine` whose `definition` is a `jsonencode(…)` of the
//! definition, an `aws_sfn_activity` for each activity, the role and the Lambda
//! functions as variables (HCL, as `terraform fmt` writes it).
//!
//! Source: the `hashicorp/aws` provider's documentation, resources `aws_sfn_state_machine`
//! (`name`, `definition`, `role_arn`, `type`; attribute `arn`) and `aws_sfn_activity`
//! (`name`; attribute `id`, the activity's ARN).
//!
//! Terraform's `jsonencode` writes object keys in lexical order: AWS reads the same
//! definition, its states listed in another order.

use std::collections::BTreeMap;

use super::{
    hcl::{self, Item, attr},
    idents::{Taken, function_part, snake, terraform_name},
    render::Machine,
    substitute::SubstitutionKind,
};

const PROVIDERS: &str = r#"terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}
"#;

/// The Terraform configuration.
pub(super) fn configuration(m: &Machine<'_>) -> String {
    let mut blocks = vec![
        format!(
            "# The state machine {} and the activities it calls.\n",
            m.name
        ),
        PROVIDERS.to_owned(),
    ];

    let mut variables = Taken::default();
    variables.reserve("role_arn");
    let mut activities = Taken::default();
    let mut outputs = Taken::default();
    outputs.reserve("state_machine_arn");
    // The expression each substitution variable becomes.
    let mut references: BTreeMap<String, String> = BTreeMap::new();
    let mut variable_blocks = Vec::new();
    let mut activity_blocks = Vec::new();
    let mut output_blocks = Vec::new();

    let mut role = vec![
        attr(
            "description",
            hcl::string(&format!(
                "The ARN of the IAM role the executions of the state machine {} run as.",
                m.name
            )),
        ),
        attr("type", "string"),
    ];
    if let Some(arn) = &m.options.role_arn {
        role.push(attr("default", hcl::string(arn)));
    }
    variable_blocks.push(hcl::block("variable \"role_arn\"", &role));

    for s in &m.asl.substitutions {
        match s.kind {
            SubstitutionKind::Activity => {
                let id = activities.unique(&terraform_name(&s.value, "activity"), "_");
                activity_blocks.push(hcl::block(
                    &format!("resource \"aws_sfn_activity\" \"{id}\""),
                    &[attr("name", hcl::string(&s.value))],
                ));
                let output = outputs.unique(&format!("activity_{}_arn", snake(&id)), "_");
                output_blocks.push(hcl::block(
                    &format!("output \"{output}\""),
                    &[
                        attr(
                            "description",
                            hcl::string(&format!("The ARN of the activity {}.", s.value)),
                        ),
                        attr("value", format!("aws_sfn_activity.{id}.id")),
                    ],
                ));
                references.insert(s.placeholder(), format!("aws_sfn_activity.{id}.id"));
            }
            SubstitutionKind::LambdaFunction => {
                let base = match snake(function_part(&s.value)).as_str() {
                    "" => "lambda".to_owned(),
                    part => format!("lambda_{part}"),
                };
                let var = variables.unique(&base, "_");
                variable_blocks.push(hcl::block(
                    &format!("variable \"{var}\""),
                    &[
                        attr(
                            "description",
                            hcl::string(&format!(
                                "The Lambda function the definition names {}.",
                                s.value
                            )),
                        ),
                        attr("type", "string"),
                        attr("default", hcl::string(&s.value)),
                    ],
                ));
                references.insert(s.placeholder(), format!("var.{var}"));
            }
        }
    }

    let machine_id = terraform_name(m.name, "state_machine");
    let mut definition = hcl::value(&m.asl.definition, &|s: &str| references.get(s).cloned());
    if let Some(first) = definition.first_mut() {
        *first = format!("jsonencode({first}");
    }
    if let Some(last) = definition.last_mut() {
        last.push(')');
    }
    let machine: Vec<Item> = vec![
        attr("name", hcl::string(m.name)),
        attr("role_arn", "var.role_arn"),
        attr("type", hcl::string(m.machine_type.as_str())),
        ("definition".to_owned(), definition),
    ];
    let machine_block = hcl::block(
        &format!("resource \"aws_sfn_state_machine\" \"{machine_id}\""),
        &machine,
    );
    output_blocks.insert(
        0,
        hcl::block(
            "output \"state_machine_arn\"",
            &[
                attr(
                    "description",
                    hcl::string(&format!("The ARN of the state machine {}.", m.name)),
                ),
                attr("value", format!("aws_sfn_state_machine.{machine_id}.arn")),
            ],
        ),
    );

    blocks.extend(variable_blocks);
    blocks.extend(activity_blocks);
    blocks.push(machine_block);
    blocks.extend(output_blocks);
    blocks.join("\n")
}
