//! `sfn_core::export`: every fixture in every format equals its golden file, the output
//! is deterministic, the definitions it writes are valid once substituted, and the
//! CloudFormation and SAM templates pass `cfn-lint`.

use std::path::PathBuf;

use serde_json::Value;
use sfn_core::{
    StateMachine,
    export::{ExportFormat, ExportOptions, SubstitutionKind, export, with_substitutions},
    model::ExecutionType,
};

use crate::support::{cfn_lint, check_golden, export_dir};

/// Every fixture's name (`orders` for `orders.asl.json`), sorted.
pub(crate) fn fixtures() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(export_dir())
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .filter_map(|e| {
            e.file_name()
                .to_str()
                .and_then(|n| n.strip_suffix(".asl.json"))
                .map(str::to_owned)
        })
        .collect();
    names.sort();
    names
}

/// A fixture's definition.
pub(crate) fn fixture(name: &str) -> StateMachine {
    let path = export_dir().join(format!("{name}.asl.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.parse()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The golden file of a fixture in a format.
pub(crate) fn golden(name: &str, format: ExportFormat) -> PathBuf {
    let ext = match format {
        ExportFormat::Asl => "asl.json",
        ExportFormat::CloudFormation => "cloudformation.yaml",
        ExportFormat::Sam => "sam.yaml",
        _ => "tf",
    };
    export_dir().join("golden").join(format!("{name}.{ext}"))
}

/// A fixture exported as the golden files have it.
pub(crate) fn exported(name: &str, format: ExportFormat) -> String {
    export(
        format,
        name,
        &fixture(name),
        ExecutionType::Standard,
        &ExportOptions::new(),
    )
    .unwrap_or_else(|e| panic!("{name} as {format}: {e}"))
}

#[test]
fn every_format_matches_its_golden_file() {
    let names = fixtures();
    assert!(!names.is_empty());
    let mut failures = Vec::new();
    for name in &names {
        for &format in ExportFormat::ALL {
            if let Err(e) = check_golden(&golden(name, format), &exported(name, format)) {
                failures.push(e);
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn export_is_deterministic() {
    for name in fixtures() {
        for &format in ExportFormat::ALL {
            assert_eq!(
                exported(&name, format),
                exported(&name, format),
                "{name} {format}"
            );
        }
    }
}

#[test]
fn the_asl_export_is_valid_and_resolves_back_to_the_definition() {
    for name in fixtures() {
        let machine = fixture(&name);
        let asl = with_substitutions(&machine);
        let text: Value = serde_json::from_str(&exported(&name, ExportFormat::Asl))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(text, asl.definition);
        let report = sfn_core::validate_str(&asl.to_json_pretty());
        assert!(report.is_valid(), "{name}: {report:?}");
        let back = asl.resolve(|s| match s.kind {
            SubstitutionKind::Activity => sfn_core::definition::activity_placeholder_arn(&s.value),
            _ => s.value.clone(),
        });
        assert_eq!(back, machine.to_value(), "{name}");
    }
}

#[test]
fn orders_has_every_kind_of_substitution() {
    let asl = with_substitutions(&fixture("orders"));
    let vars: Vec<(&str, &str)> = asl
        .substitutions
        .iter()
        .map(|s| (s.variable.as_str(), s.value.as_str()))
        .collect();
    assert_eq!(
        vars,
        [
            ("ActivityValidateOrder", "validate-order"),
            ("LambdaPriceOrder", "price-order"),
            ("ActivityReserveItem", "reserve-item"),
            (
                "LambdaShipItemLive",
                "arn:aws:lambda:us-east-1:123456789012:function:ship-item:live"
            ),
        ]
    );
}

#[test]
fn express_machines_and_role_defaults() {
    let options = ExportOptions::new().role_arn("arn:aws:iam::123456789012:role/sfn");
    let m = fixture("orders");
    let cfn = export(
        ExportFormat::CloudFormation,
        "orders",
        &m,
        ExecutionType::Express,
        &options,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(cfn.contains("      StateMachineType: EXPRESS\n"), "{cfn}");
    assert!(
        cfn.contains("    Default: arn:aws:iam::123456789012:role/sfn\n"),
        "{cfn}"
    );
    let sam = export(
        ExportFormat::Sam,
        "orders",
        &m,
        ExecutionType::Express,
        &options,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(sam.contains("      Type: EXPRESS\n"), "{sam}");
    let tf = export(
        ExportFormat::Terraform,
        "orders",
        &m,
        ExecutionType::Express,
        &options,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(tf.contains("  type     = \"EXPRESS\"\n"), "{tf}");
    assert!(
        tf.contains("  default     = \"arn:aws:iam::123456789012:role/sfn\"\n"),
        "{tf}"
    );
}

#[test]
fn invalid_names_and_intrinsic_keys_are_refused() {
    let m = fixture("orders");
    let e = export(
        ExportFormat::Terraform,
        "has space",
        &m,
        ExecutionType::Standard,
        &ExportOptions::new(),
    )
    .err()
    .map(|e| e.to_string());
    assert!(e.is_some_and(|e| e.contains("\"has space\" is not valid")));

    let m: StateMachine = r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"Ref": "x"}, "End": true}}}"#
        .parse()
        .unwrap_or_else(|e| panic!("{e}"));
    let e = export(
        ExportFormat::Sam,
        "m",
        &m,
        ExecutionType::Standard,
        &ExportOptions::new(),
    )
    .err()
    .map(|e| e.to_string())
    .unwrap_or_default();
    assert!(e.contains("\"Ref\" at /States/P/Result"), "{e}");
    let cfn = export(
        ExportFormat::CloudFormation,
        "m",
        &m,
        ExecutionType::Standard,
        &ExportOptions::new(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(cfn.contains("      DefinitionString: \"{\\n"), "{cfn}");
    assert!(!cfn.contains("      Definition:"), "{cfn}");
}

#[test]
fn cloudformation_and_sam_templates_pass_cfn_lint() {
    let Some(lint) = cfn_lint() else { return };
    let files: Vec<PathBuf> = fixtures()
        .iter()
        .flat_map(|n| {
            [
                golden(n, ExportFormat::CloudFormation),
                golden(n, ExportFormat::Sam),
            ]
        })
        .collect();
    let out = std::process::Command::new(&lint)
        .args(&files)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", lint.display()));
    assert!(
        out.status.success(),
        "cfn-lint found problems ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn escaping_corner_cases_in_every_format() {
    let m: StateMachine = r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {
        "text.$": "States.Format('${} costs {} %{x}', $.a, $.b)",
        "quoted": "say \"hi\": now # not a comment",
        "lines": "one\ntwo\tthree\u0001",
        "unicode": "ünï 😀 \u0085\ufeff",
        "dollars": "$${kept}"
    }, "End": true}}}"#
        .parse()
        .unwrap_or_else(|e| panic!("{e}"));
    let out = |format| {
        export(
            format,
            "m",
            &m,
            ExecutionType::Standard,
            &ExportOptions::new(),
        )
        .unwrap_or_else(|e| panic!("{e}"))
    };
    let yaml = out(ExportFormat::CloudFormation);
    for line in [
        r#"text.$: "States.Format('${} costs {} %{x}', $.a, $.b)""#,
        r#"quoted: "say \"hi\": now # not a comment""#,
        r#"lines: "one\ntwo\tthree\x01""#,
        r#"unicode: "ünï 😀 \x85\uFEFF""#,
        r#"dollars: "$${kept}""#,
    ] {
        assert!(yaml.contains(line), "{line} in\n{yaml}");
    }
    let tf = out(ExportFormat::Terraform);
    for line in [
        r#""text.$"  = "States.Format('$${} costs {} %%{x}', $.a, $.b)""#,
        r#""quoted"  = "say \"hi\": now # not a comment""#,
        r#""lines"   = "one\ntwo\tthree\u0001""#,
        "\"unicode\" = \"ünï 😀 \\u0085\u{feff}\"",
        r#""dollars" = "$$${kept}""#,
    ] {
        assert!(tf.contains(line), "{line} in\n{tf}");
    }
    let asl: Value =
        serde_json::from_str(&out(ExportFormat::Asl)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(asl, m.to_value());
}
