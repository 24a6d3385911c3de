//! `sfn export`: a definition file, or a registered machine, as CloudFormation, SAM,
//! Terraform or ASL with substitutions; bad input is exit status 2, an unreachable
//! service 3.

use std::process::Output;

use serde_json::Value;

use crate::support::{Server, TempDir, path, sfn, stderr, stdout, without_endpoint_variables};

const ORDERS: &str = r#"{"StartAt": "Charge", "States": {
    "Charge": {"Type": "Task", "Resource": "arn:aws:states:::activity:charge-card", "TimeoutSeconds": 60, "Next": "Notify"},
    "Notify": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "TimeoutSeconds": 60,
        "Parameters": {"FunctionName": "notify", "Payload.$": "$"}, "End": true}}}"#;

const ROLE: &str = "arn:aws:iam::123456789012:role/sfn";

fn export<'a>(args: impl IntoIterator<Item = &'a str>) -> Output {
    sfn()
        .arg("export")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run sfn export: {e}"))
}

fn code(out: &Output) -> Option<i32> {
    out.status.code()
}

#[test]
fn a_definition_file_in_every_format() {
    let dir = TempDir::new("export");
    let file = dir.write("orders.asl.json", ORDERS);

    let out = export([path(&file), "--format", "cloudformation"]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    let cfn = stdout(&out);
    for part in [
        "  ActivityChargeCard:\n    Type: AWS::StepFunctions::Activity\n    Properties:\n      Name: charge-card\n",
        "  OrdersStateMachine:\n    Type: AWS::StepFunctions::StateMachine\n",
        "      StateMachineName: orders\n      StateMachineType: STANDARD\n      RoleArn: !Ref RoleArn\n",
        "            Resource: \"${ActivityChargeCard}\"\n",
        "        LambdaNotify: !Ref LambdaNotify\n",
    ] {
        assert!(cfn.contains(part), "{part} in\n{cfn}");
    }

    let out = export([path(&file), "--format", "sam", "--name", "shop"]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    let sam = stdout(&out);
    assert!(
        sam.contains("Transform: AWS::Serverless-2016-10-31\n"),
        "{sam}"
    );
    assert!(
        sam.contains("  ShopStateMachine:\n    Type: AWS::Serverless::StateMachine\n"),
        "{sam}"
    );
    assert!(
        sam.contains("      Name: shop\n      Type: STANDARD\n"),
        "{sam}"
    );

    // Checked as the type it is exported as: Express machines run no activities.
    let out = export([path(&file), "--format", "sam", "--type", "express"]);
    assert_eq!(code(&out), Some(2));
    assert!(
        stderr(&out).contains("Express state machine does not support Activity ARN"),
        "{}",
        stderr(&out)
    );
    let pass = dir.write(
        "greet.asl.json",
        r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}"#,
    );
    let out = export([path(&pass), "--format", "sam", "--type", "express"]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("      Type: EXPRESS\n"),
        "{}",
        stdout(&out)
    );

    let out = export([path(&file), "--format", "tf", "--role-arn", ROLE]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    let tf = stdout(&out);
    assert!(
        tf.contains(
            "resource \"aws_sfn_activity\" \"charge_card\" {\n  name = \"charge-card\"\n}\n"
        ),
        "{tf}"
    );
    assert!(
        tf.contains("  default     = \"arn:aws:iam::123456789012:role/sfn\"\n"),
        "{tf}"
    );
    assert!(
        tf.contains("\"Resource\"       = aws_sfn_activity.charge_card.id\n"),
        "{tf}"
    );

    let out = export([path(&file), "--format", "asl"]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    let asl: Value = serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(asl["States"]["Charge"]["Resource"], "${ActivityChargeCard}");
    assert_eq!(
        asl["States"]["Notify"]["Parameters"]["FunctionName"],
        "${LambdaNotify}"
    );
    assert!(stderr(&out).contains("${ActivityChargeCard}: the ARN of the activity charge-card"));

    // -o writes the same bytes as standard output.
    let target = dir.join("orders.tf");
    let out = export([
        path(&file),
        "--format",
        "terraform",
        "-o",
        path(&target),
        "--role-arn",
        ROLE,
    ]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
    let written = std::fs::read_to_string(&target).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(written, tf);
}

#[test]
fn bad_input_is_exit_status_2() {
    let dir = TempDir::new("export-bad");
    let file = dir.write("orders.asl.json", ORDERS);

    let out = export([path(&file), "--format", "xml"]);
    assert_eq!(code(&out), Some(2));
    assert!(
        stderr(&out).contains("possible values: cloudformation, sam, terraform, asl"),
        "{}",
        stderr(&out)
    );

    let invalid = dir.write(
        "broken.asl.json",
        r#"{"StartAt": "Nowhere", "States": {"A": {"Type": "Succeed"}}}"#,
    );
    let out = export([path(&invalid), "--format", "sam"]);
    assert_eq!(code(&out), Some(2));
    assert!(
        stderr(&out).contains("MISSING_TRANSITION_TARGET"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("broken.asl.json: invalid ("),
        "{}",
        stderr(&out)
    );
    assert_eq!(stdout(&out), "");

    let out = export([path(&dir.join("missing.asl.json")), "--format", "asl"]);
    assert_eq!(code(&out), Some(2));
    assert!(stderr(&out).contains("cannot read"), "{}", stderr(&out));

    let out = export([path(&file), "--format", "asl", "--name", "not valid"]);
    assert_eq!(code(&out), Some(2));
    assert!(
        stderr(&out).contains("\"not valid\" is not valid"),
        "{}",
        stderr(&out)
    );

    let out = export(["--format", "asl"]);
    assert_eq!(code(&out), Some(2));
}

#[test]
fn a_registered_machine_gets_its_activities_back_as_resources() {
    let server = Server::start();
    let dir = TempDir::new("export-machine");
    let file = dir.write("orders.asl.json", ORDERS);
    let out = server.sfn(["register", path(&file), "--role-arn", ROLE]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));

    let out = server.sfn([
        "export",
        "--machine",
        "orders",
        "--format",
        "cloudformation",
    ]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    let cfn = stdout(&out);
    assert!(
        cfn.contains(
            "    Type: AWS::StepFunctions::Activity\n    Properties:\n      Name: charge-card\n"
        ),
        "{cfn}"
    );
    assert!(
        cfn.contains("            Resource: \"${ActivityChargeCard}\"\n"),
        "{cfn}"
    );
    assert!(cfn.contains(&format!("    Default: {ROLE}\n")), "{cfn}");
    assert!(!cfn.contains(":activity:charge-card"), "{cfn}");

    // The same template as the file gives, the role aside.
    let from_file = export([
        path(&file),
        "--format",
        "cloudformation",
        "--role-arn",
        ROLE,
    ]);
    assert_eq!(stdout(&from_file), cfn);

    let out = server.sfn(["export", "--machine", "nothing-here", "--format", "asl"]);
    assert_eq!(code(&out), Some(3), "{}", stderr(&out));
}

#[test]
fn an_unreachable_service_is_exit_status_3() {
    let out = without_endpoint_variables(sfn())
        .args([
            "export",
            "--machine",
            "orders",
            "--format",
            "sam",
            "--endpoint",
            "http://127.0.0.1:9",
        ])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(code(&out), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).starts_with("sfn export: "), "{}", stderr(&out));
}
