//! `StateMachineDefinition::export`: a machine written with `state_machine!` and its
//! activities, as CloudFormation, SAM, Terraform and ASL with substitutions.

use sfn_runtime::definition::{ExportFormat, ExportOptions, StateMachineDefinition};
use sfn_runtime::prelude::*;

#[derive(Debug, Deserialize, JsonSchema)]
struct Numbers {
    a: i64,
    b: i64,
}

/// Adds two numbers.
#[activity(name = "add-numbers")]
async fn add_numbers(input: Numbers, _ctx: &TaskContext) -> Result<i64, TaskError> {
    Ok(input.a + input.b)
}

state_machine! {
    /// Adds the numbers of each pair, then reports through a Lambda function.
    pub SumPairs {
        start_at: Each,
        states: {
            Each: Map {
                items_path: "$.pairs",
                item_processor: {
                    start_at: Add,
                    states: { Add: Task(add_numbers) { end: true } },
                },
                result_path: "$.sums",
                next: Report,
            },
            Report: Task(lambda::invoke) {
                parameters: { "FunctionName": "report-sums", "Payload.$": "$" },
                end: true,
            },
        }
    }
}

#[test]
fn a_macro_machine_exports_its_activities_and_functions() {
    let options = ExportOptions::new();
    for &format in ExportFormat::ALL {
        let text = SumPairs::export(format, &options).unwrap_or_else(|e| panic!("{format}: {e}"));
        let direct = sfn_runtime::core::export::export(
            format,
            SumPairs::NAME,
            &SumPairs::definition(),
            SumPairs::MACHINE_TYPE,
            &options,
        )
        .unwrap_or_else(|e| panic!("{format}: {e}"));
        assert_eq!(text, direct, "{format}");
    }
    let cfn =
        SumPairs::export(ExportFormat::CloudFormation, &options).unwrap_or_else(|e| panic!("{e}"));
    assert!(cfn.contains("  ActivityAddNumbers:\n    Type: AWS::StepFunctions::Activity\n    Properties:\n      Name: add-numbers\n"), "{cfn}");
    assert!(cfn.contains("  SumPairsStateMachine:\n"), "{cfn}");
    assert!(cfn.contains("  LambdaReportSums:\n"), "{cfn}");
    let asl = SumPairs::export(ExportFormat::Asl, &options).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        asl.contains("\"Resource\": \"${ActivityAddNumbers}\""),
        "{asl}"
    );
    assert!(
        asl.contains("\"FunctionName\": \"${LambdaReportSums}\""),
        "{asl}"
    );
    assert!(!asl.contains("arn:aws:states:::activity:"), "{asl}");
}
