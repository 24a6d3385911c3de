//! State machine versions and aliases: publishing, revisions, routing by weight,
//! executions started through a version or an alias, and AWS's refusals.

use std::sync::Arc;

use serde_json::{Value, json};
use sfn_runtime::local::{
    CreateStateMachine, Error, EventType, ExecutionStatus, INITIAL_REVISION, LocalEngine,
    MAX_ALIASES, MAX_VERSIONS, RoutingConfig, StartExecution, UpdateStateMachine, VirtualClock,
};

use crate::support::{engine, find, history, manual_engine};

const MACHINE: &str = "arn:aws:states:us-east-1:123456789012:stateMachine";

/// A machine whose one Pass state returns `result`.
fn pass(result: &str) -> String {
    format!(
        r#"{{"StartAt": "P", "States": {{"P": {{"Type": "Pass", "Result": "{result}", "End": true}}}}}}"#
    )
}

/// Creates `name` answering `"one"`, publishes it as version 1, then updates it to answer
/// `"two"` and publishes version 2. Returns the machine's ARN.
fn two_versions(engine: &LocalEngine, name: &str) -> String {
    let created = engine
        .create_state_machine_from(CreateStateMachine::new(name, pass("one")).publish(true))
        .unwrap_or_else(|e| panic!("create: {e}"));
    let arn = created.state_machine_arn;
    engine
        .update_state_machine(
            &arn,
            UpdateStateMachine::new()
                .definition(pass("two"))
                .publish(true),
        )
        .unwrap_or_else(|e| panic!("update: {e}"));
    arn
}

/// Starts an execution through `arn` and waits for its output.
async fn output_through(engine: &LocalEngine, arn: &str) -> (Value, String) {
    let run = engine
        .start_execution(arn, StartExecution::new(json!({})))
        .await
        .unwrap_or_else(|e| panic!("start {arn}: {e}"));
    let done = run.wait().await.unwrap_or_else(|e| panic!("wait: {e}"));
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    (done.output.unwrap_or(Value::Null), done.execution_arn)
}

fn is_invalid_routing(e: &Error) -> bool {
    matches!(e, Error::Validation { .. })
}

/// The ARN an [`Error::InvalidArn`] names.
fn invalid_arn<T: std::fmt::Debug>(r: Result<T, Error>) -> String {
    match r {
        Err(Error::InvalidArn { arn, .. }) => arn,
        other => panic!("expected InvalidArn, got {other:?}"),
    }
}

#[test]
fn publishing_numbers_versions_and_is_idempotent() -> Result<(), Error> {
    let engine = engine();
    let arn = engine.create_state_machine_json("m", &pass("one"))?;
    assert_eq!(engine.describe_state_machine(&arn)?.revision_id, None);
    assert!(engine.list_state_machine_versions(&arn)?.is_empty());

    let v1 = engine.publish_state_machine_version(&arn, None, None)?;
    assert_eq!(v1.state_machine_version_arn, format!("{MACHINE}:m:1"));
    assert_eq!(v1.version, 1);
    assert_eq!(v1.revision_id, None);
    // The latest revision is published already: the same version, description ignored.
    let again = engine.publish_state_machine_version(&arn, None, Some("other"))?;
    assert_eq!(again, v1);

    let updated =
        engine.update_state_machine(&arn, UpdateStateMachine::new().definition(pass("two")))?;
    let revision = updated
        .revision_id
        .clone()
        .expect("an update makes a revision id");
    assert_eq!(updated.state_machine_version_arn, None);
    assert_eq!(
        engine.describe_state_machine(&arn)?.revision_id.as_deref(),
        Some(revision.as_str())
    );
    let v2 = engine.publish_state_machine_version(&arn, None, Some("second"))?;
    assert_eq!(v2.state_machine_version_arn, format!("{MACHINE}:m:2"));
    assert_eq!(v2.revision_id.as_deref(), Some(revision.as_str()));

    let listed: Vec<String> = engine
        .list_state_machine_versions(&arn)?
        .into_iter()
        .map(|v| v.state_machine_version_arn)
        .collect();
    assert_eq!(listed, [format!("{MACHINE}:m:2"), format!("{MACHINE}:m:1")]);

    // A version describes the revision it was published from.
    let d1 = engine.describe_state_machine(&v1.state_machine_version_arn)?;
    assert_eq!(d1.state_machine_arn, v1.state_machine_version_arn);
    assert_eq!(d1.name, "m");
    assert!(d1.definition.contains("\"one\""), "{}", d1.definition);
    assert_eq!(d1.revision_id, None);
    assert_eq!(d1.description, None);
    assert_eq!(d1.creation_date, v1.creation_date);
    let d2 = engine.describe_state_machine(&v2.state_machine_version_arn)?;
    assert!(d2.definition.contains("\"two\""), "{}", d2.definition);
    assert_eq!(d2.description.as_deref(), Some("second"));
    assert_eq!(d2.revision_id.as_deref(), Some(revision.as_str()));
    let latest = engine.describe_state_machine(&arn)?;
    assert_eq!(latest.state_machine_arn, arn);
    assert_eq!(latest.description, None);
    Ok(())
}

#[test]
fn publishing_a_revision_that_is_not_the_latest_conflicts() -> Result<(), Error> {
    let engine = engine();
    let arn = engine.create_state_machine_json("m", &pass("one"))?;
    // A machine never updated is its initial revision.
    let v1 = engine.publish_state_machine_version(&arn, Some(INITIAL_REVISION), None)?;
    assert_eq!(v1.version, 1);
    let r2 = engine
        .update_state_machine(&arn, UpdateStateMachine::new().definition(pass("two")))?
        .revision_id
        .unwrap_or_default();
    let r3 = engine
        .update_state_machine(&arn, UpdateStateMachine::new().definition(pass("three")))?
        .revision_id
        .unwrap_or_default();
    assert_ne!(r2, r3);
    match engine.publish_state_machine_version(&arn, Some(&r2), None) {
        Err(Error::Conflict { message }) => assert_eq!(
            message,
            format!(
                "Failed to publish the State Machine version for revision {r2}. \
                 The current State Machine revision is {r3}."
            )
        ),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert!(matches!(
        engine.publish_state_machine_version(&arn, Some(INITIAL_REVISION), None),
        Err(Error::Conflict { .. })
    ));
    let v2 = engine.publish_state_machine_version(&arn, Some(&r3), None)?;
    assert_eq!(v2.version, 2);
    Ok(())
}

#[test]
fn create_and_update_publish_at_once() -> Result<(), Error> {
    let engine = engine();
    let created = engine.create_state_machine_from(
        CreateStateMachine::new("m", pass("one"))
            .publish(true)
            .version_description("first"),
    )?;
    assert_eq!(created.state_machine_arn, format!("{MACHINE}:m"));
    let v1 = format!("{MACHINE}:m:1");
    assert_eq!(
        created.state_machine_version_arn.as_deref(),
        Some(v1.as_str())
    );
    assert_eq!(
        engine.describe_state_machine(&v1)?.description.as_deref(),
        Some("first")
    );
    // Created again alike: the machine and its version as they are.
    let again = engine.create_state_machine_from(
        CreateStateMachine::new("m", pass("one"))
            .publish(true)
            .version_description("first"),
    )?;
    assert_eq!(again, created);

    let arn = created.state_machine_arn;
    // The same definition is no new revision: the version of the latest one comes back.
    let same = engine.update_state_machine(
        &arn,
        UpdateStateMachine::new()
            .definition(pass("one"))
            .publish(true),
    )?;
    assert_eq!(same.revision_id, None);
    assert_eq!(same.state_machine_version_arn.as_deref(), Some(v1.as_str()));
    let changed = engine.update_state_machine(
        &arn,
        UpdateStateMachine::new()
            .definition(pass("two"))
            .publish(true)
            .version_description("second"),
    )?;
    assert!(changed.revision_id.is_some());
    assert_eq!(
        changed.state_machine_version_arn,
        Some(format!("{MACHINE}:m:2"))
    );

    // A version description needs `publish`.
    for result in [
        engine
            .create_state_machine_from(
                CreateStateMachine::new("n", pass("one")).version_description("no"),
            )
            .map(|_| ()),
        engine
            .update_state_machine(
                &arn,
                UpdateStateMachine::new()
                    .definition(pass("three"))
                    .version_description("no"),
            )
            .map(|_| ()),
    ] {
        match result {
            Err(Error::Validation { message, .. }) => assert_eq!(
                message,
                "Version description can only be set when publish is true"
            ),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }
    assert!(matches!(
        engine.create_state_machine_from(
            CreateStateMachine::new("n", pass("one"))
                .publish(true)
                .version_description("x".repeat(257)),
        ),
        Err(Error::Validation { .. })
    ));
    // A version cannot be updated; an update needs a definition.
    assert_eq!(
        engine.update_state_machine(&v1, UpdateStateMachine::new().definition(pass("x"))),
        Err(Error::StateMachineDoesNotExist { arn: v1.clone() })
    );
    // An update that changes nothing publishes the latest revision, published already.
    let nothing = engine.update_state_machine(&arn, UpdateStateMachine::new().publish(true))?;
    assert_eq!(nothing.revision_id, changed.revision_id);
    assert_eq!(
        nothing.state_machine_version_arn,
        Some(format!("{MACHINE}:m:2"))
    );
    // A new role is a new revision.
    let role = engine.update_state_machine(
        &arn,
        UpdateStateMachine::new()
            .role_arn("arn:aws:iam::123456789012:role/other")
            .publish(true),
    )?;
    assert!(role.revision_id.is_some() && role.revision_id != changed.revision_id);
    assert_eq!(
        role.state_machine_version_arn,
        Some(format!("{MACHINE}:m:3"))
    );
    let v3 = engine.describe_state_machine(&format!("{MACHINE}:m:3"))?;
    assert_eq!(v3.role_arn, "arn:aws:iam::123456789012:role/other");
    assert!(v3.definition.contains("\"two\""), "{}", v3.definition);
    assert!(matches!(
        engine.update_state_machine(
            &arn,
            UpdateStateMachine::new().definition(r#"{"StartAt": "Nowhere", "States": {}}"#),
        ),
        Err(Error::InvalidDefinition { .. })
    ));
    assert!(matches!(
        engine.update_state_machine(
            &format!("{MACHINE}:nope"),
            UpdateStateMachine::new().definition(pass("x")),
        ),
        Err(Error::StateMachineDoesNotExist { .. })
    ));
    Ok(())
}

#[test]
fn version_numbers_are_never_reused() -> Result<(), Error> {
    let engine = engine();
    let arn = two_versions(&engine, "m");
    let v2 = format!("{arn}:2");
    engine.delete_state_machine_version(&v2)?;
    // Deleting it again does nothing.
    engine.delete_state_machine_version(&v2)?;
    assert_eq!(
        engine.describe_state_machine(&v2),
        Err(Error::StateMachineDoesNotExist { arn: v2.clone() })
    );
    // The latest revision is no longer published: the next version is 3, not 2.
    let v3 = engine.publish_state_machine_version(&arn, None, None)?;
    assert_eq!(v3.state_machine_version_arn, format!("{arn}:3"));
    let listed: Vec<u64> = engine
        .list_state_machine_versions(&arn)?
        .iter()
        .map(|v| v.version)
        .collect();
    assert_eq!(listed, [3, 1]);
    Ok(())
}

#[tokio::test]
async fn executions_through_a_version_run_its_revision() -> Result<(), Error> {
    let engine = engine();
    let arn = two_versions(&engine, "m");
    let v1 = format!("{arn}:1");

    let (latest, _) = output_through(&engine, &arn).await;
    assert_eq!(latest, json!("two"));
    let (first, exec) = output_through(&engine, &v1).await;
    assert_eq!(first, json!("one"));
    assert!(
        exec.starts_with("arn:aws:states:us-east-1:123456789012:execution:m:"),
        "{exec}"
    );

    let described = engine.describe_execution(&exec)?;
    assert_eq!(described.state_machine_arn, arn);
    assert_eq!(
        described.state_machine_version_arn.as_deref(),
        Some(v1.as_str())
    );
    assert_eq!(described.state_machine_alias_arn, None);
    let started = find(&history(&engine, &exec), EventType::ExecutionStarted).to_json();
    let details = &started["executionStartedEventDetails"];
    assert_eq!(details["stateMachineVersionArn"], json!(v1));
    assert!(details.get("stateMachineAliasArn").is_none(), "{started}");

    // Listing by machine gives every execution; by version, those started through it.
    assert_eq!(engine.list_executions(Some(&arn)).len(), 2);
    let through_v1 = engine.list_executions(Some(&v1));
    assert_eq!(through_v1.len(), 1);
    assert_eq!(through_v1[0].execution_arn, exec);
    let unqualified = engine
        .list_executions(Some(&arn))
        .into_iter()
        .find(|e| e.execution_arn != exec)
        .expect("the execution of the latest revision");
    assert_eq!(unqualified.state_machine_version_arn, None);

    // A version never published.
    let v9 = format!("{arn}:9");
    assert!(matches!(
        engine.start_execution(&v9, StartExecution::new(json!({}))).await,
        Err(Error::StateMachineDoesNotExist { arn }) if arn == v9
    ));
    Ok(())
}

#[tokio::test]
async fn aliases_are_created_described_updated_listed_and_deleted() -> Result<(), Error> {
    let engine = engine();
    let arn = two_versions(&engine, "m");
    let (v1, v2) = (format!("{arn}:1"), format!("{arn}:2"));
    let one = [RoutingConfig::new(v1.clone(), 100)];

    let prod = engine.create_state_machine_alias("PROD", Some("production"), &one)?;
    assert_eq!(prod.state_machine_alias_arn, format!("{arn}:PROD"));
    assert_eq!(prod.name, "PROD");
    assert_eq!(prod.routing_configuration, one);
    assert_eq!(prod.creation_date, prod.update_date);
    // Created again alike: the same alias; otherwise a conflict.
    assert_eq!(
        engine.create_state_machine_alias("PROD", Some("production"), &one)?,
        prod
    );
    let conflict = "Failed to create alias because an alias with the same name and a \
                    different routing configuration already exists.";
    for result in [
        engine.create_state_machine_alias("PROD", Some("other"), &one),
        engine.create_state_machine_alias(
            "PROD",
            Some("production"),
            &[RoutingConfig::new(v2.clone(), 100)],
        ),
    ] {
        assert_eq!(
            result,
            Err(Error::Conflict {
                message: conflict.to_owned()
            })
        );
    }
    let staging = engine.create_state_machine_alias("staging-1.x", None, &one)?;
    assert_eq!(staging.description, None);

    let alias_arn = prod.state_machine_alias_arn.clone();
    assert_eq!(engine.describe_state_machine_alias(&alias_arn)?, prod);
    engine.update_state_machine_alias(&alias_arn, Some("new description"), None)?;
    let split = [
        RoutingConfig::new(v1.clone(), 50),
        RoutingConfig::new(v2.clone(), 50),
    ];
    engine.update_state_machine_alias(&alias_arn, None, Some(&split))?;
    let updated = engine.describe_state_machine_alias(&alias_arn)?;
    assert_eq!(updated.description.as_deref(), Some("new description"));
    assert_eq!(updated.routing_configuration, split);
    assert_eq!(updated.creation_date, prod.creation_date);
    assert!(matches!(
        engine.update_state_machine_alias(&alias_arn, None, None),
        Err(Error::MissingRequiredParameter { .. })
    ));

    // Oldest first; by version, the aliases that route to it.
    let names = |list: Vec<sfn_runtime::local::AliasDescription>| -> Vec<String> {
        list.into_iter().map(|a| a.name).collect()
    };
    assert_eq!(
        names(engine.list_state_machine_aliases(&arn)?),
        ["PROD", "staging-1.x"]
    );
    assert_eq!(names(engine.list_state_machine_aliases(&v2)?), ["PROD"]);
    assert_eq!(
        names(engine.list_state_machine_aliases(&v1)?),
        ["PROD", "staging-1.x"]
    );

    // A version an alias routes to cannot be deleted.
    assert_eq!(
        engine.delete_state_machine_version(&v1),
        Err(Error::Conflict {
            message: "Version to be deleted must not be referenced by an alias. Current list \
                      of aliases referencing this version: [PROD, staging-1.x]"
                .to_owned()
        })
    );
    engine.delete_state_machine_alias(&staging.state_machine_alias_arn)?;
    engine.update_state_machine_alias(
        &alias_arn,
        None,
        Some(&[RoutingConfig::new(v2.clone(), 100)]),
    )?;
    engine.delete_state_machine_version(&v1)?;

    // Through the alias: the version it routes to, both recorded.
    let (out, exec) = output_through(&engine, &alias_arn).await;
    assert_eq!(out, json!("two"));
    let described = engine.describe_execution(&exec)?;
    assert_eq!(described.state_machine_arn, arn);
    assert_eq!(
        described.state_machine_version_arn.as_deref(),
        Some(v2.as_str())
    );
    assert_eq!(
        described.state_machine_alias_arn.as_deref(),
        Some(alias_arn.as_str())
    );
    let started = find(&history(&engine, &exec), EventType::ExecutionStarted).to_json();
    assert_eq!(
        started["executionStartedEventDetails"]["stateMachineAliasArn"],
        json!(alias_arn)
    );
    assert_eq!(
        started["executionStartedEventDetails"]["stateMachineVersionArn"],
        json!(v2)
    );
    assert_eq!(engine.list_executions(Some(&alias_arn)).len(), 1);
    assert_eq!(engine.list_executions(Some(&v2)).len(), 1);

    engine.delete_state_machine_alias(&alias_arn)?;
    // Deleting it again does nothing; it is gone.
    engine.delete_state_machine_alias(&alias_arn)?;
    let gone = Error::ResourceNotFound {
        arn: alias_arn.clone(),
    };
    assert_eq!(
        engine.describe_state_machine_alias(&alias_arn),
        Err(gone.clone())
    );
    assert_eq!(
        engine
            .update_state_machine_alias(&alias_arn, Some("x"), None)
            .map(|_| ()),
        Err(gone)
    );
    assert!(matches!(
        engine
            .start_execution(&alias_arn, StartExecution::new(json!({})))
            .await,
        Err(Error::StateMachineDoesNotExist { .. })
    ));
    assert!(engine.list_state_machine_aliases(&arn)?.is_empty());
    Ok(())
}

#[test]
fn routing_configurations_are_checked_as_aws_checks_them() -> Result<(), Error> {
    let engine = engine();
    let arn = two_versions(&engine, "m");
    engine.update_state_machine(
        &arn,
        UpdateStateMachine::new()
            .definition(pass("three"))
            .publish(true),
    )?;
    let other = two_versions(&engine, "other");
    let v = |n: u32| format!("{arn}:{n}");
    let route = |arn: String, weight: u32| RoutingConfig::new(arn, weight);

    let cases: Vec<(Vec<RoutingConfig>, String)> = vec![
        (
            vec![],
            "at 'routingConfiguration' failed to satisfy constraint: Member must have length greater than or equal to 1".to_owned(),
        ),
        (
            vec![route(v(1), 50), route(v(2), 30), route(v(3), 20)],
            "at 'routingConfiguration' failed to satisfy constraint: Member must have length less than or equal to 2".to_owned(),
        ),
        (
            vec![route(v(1), 101)],
            "1 validation error detected: Value '101' at 'routingConfiguration.1.member.weight' failed to satisfy constraint: Member must have value less than or equal to 100".to_owned(),
        ),
        (
            vec![route(arn.clone(), 70), route(v(2), 30)],
            format!(
                "Routing configuration must contain state machine version ARNs. Received: [{arn}, {}]",
                v(2)
            ),
        ),
        (
            vec![route(format!("{arn}:PROD"), 100)],
            "Routing configuration must contain state machine version ARNs.".to_owned(),
        ),
        (
            vec![route(v(1), 50), route(v(1), 50)],
            format!(
                "Routing configuration must contain distinct state machine version ARNs. Received: [{0}, {0}]",
                v(1)
            ),
        ),
        (
            vec![route(v(1), 70), route(v(2), 29)],
            "Sum of routing configuration weights must equal 100. Received: [70, 29]".to_owned(),
        ),
        (
            vec![route(v(1), 70), route(v(2), 31)],
            "Sum of routing configuration weights must equal 100. Received: [70, 31]".to_owned(),
        ),
        (
            vec![route(v(1), 50), route(format!("{other}:1"), 50)],
            "Routing configuration must contain versions of the same state machine.".to_owned(),
        ),
    ];
    for (routing, expected) in cases {
        let result = engine.create_state_machine_alias("A", None, &routing);
        let Err(e) = &result else {
            panic!("{routing:?} was accepted");
        };
        assert!(is_invalid_routing(e), "{routing:?}: {e:?}");
        let Error::Validation { message, .. } = e else {
            unreachable!()
        };
        assert!(
            message.contains(&expected),
            "{message}\nexpected: {expected}"
        );
    }
    // A version that does not exist.
    assert_eq!(
        engine.create_state_machine_alias("A", None, &[route(v(7), 100)]),
        Err(Error::ResourceNotFound { arn: v(7) })
    );
    // Zero is a weight: the version is routed to, never picked.
    engine.create_state_machine_alias("A", None, &[route(v(1), 0), route(v(2), 100)])?;
    // An update is checked alike, and must keep to the alias's machine.
    let alias = format!("{arn}:A");
    assert_eq!(
        engine.update_state_machine_alias(&alias, None, Some(&[route(v(7), 100)])),
        Err(Error::ResourceNotFound { arn: v(7) })
    );
    assert!(matches!(
        engine.update_state_machine_alias(&alias, None, Some(&[route(v(1), 99)])),
        Err(ref e) if is_invalid_routing(e)
    ));
    assert!(matches!(
        engine.update_state_machine_alias(&alias, None, Some(&[route(format!("{other}:1"), 100)])),
        Err(ref e) if is_invalid_routing(e)
    ));

    // Names: letters, digits, `_`, `-`, `.`, not only digits, 1 to 80.
    let pattern =
        r"Member must satisfy regular expression pattern: ^(?=.*[a-zA-Z_\-\.])[a-zA-Z0-9_\-\.]+$";
    let long = "A".repeat(81);
    for (name, constraint) in [
        ("123", pattern),
        ("INVALID ALIAS", pattern),
        ("!INVALID", pattern),
        ("ALIAS@", pattern),
        ("", "Member must have length greater than or equal to 1"),
        (
            long.as_str(),
            "Member must have length less than or equal to 80",
        ),
    ] {
        assert_eq!(
            engine.create_state_machine_alias(name, None, &[route(v(1), 100)]),
            Err(Error::Validation {
                message: format!(
                    "1 validation error detected: Value '{name}' at 'name' failed to satisfy constraint: {constraint}"
                ),
            })
        );
    }
    assert!(matches!(
        engine.create_state_machine_alias("B", Some(&"d".repeat(257)), &[route(v(1), 100)]),
        Err(Error::Validation { .. })
    ));
    Ok(())
}

#[tokio::test]
async fn an_alias_routes_executions_by_weight() -> Result<(), Error> {
    let engine = engine();
    let arn = two_versions(&engine, "m");
    let (v1, v2) = (format!("{arn}:1"), format!("{arn}:2"));
    let alias = engine
        .create_state_machine_alias(
            "canary",
            None,
            &[
                RoutingConfig::new(v1.clone(), 90),
                RoutingConfig::new(v2.clone(), 10),
            ],
        )?
        .state_machine_alias_arn;
    let mut to_v1 = 0;
    for _ in 0..1000 {
        let run = engine
            .start_execution(&alias, StartExecution::new(json!({})))
            .await?;
        let described = run.describe();
        assert_eq!(
            described.state_machine_alias_arn.as_deref(),
            Some(alias.as_str())
        );
        match described.state_machine_version_arn.as_deref() {
            Some(v) if v == v1 => to_v1 += 1,
            Some(v) if v == v2 => {}
            other => panic!("routed to {other:?}"),
        }
    }
    // 900 expected; the bound is loose (over 8 standard deviations each side).
    assert!((820..=980).contains(&to_v1), "{to_v1} of 1000 to version 1");
    assert_eq!(engine.list_executions(Some(&v1)).len(), to_v1);
    assert_eq!(engine.list_executions(Some(&v2)).len(), 1000 - to_v1);
    Ok(())
}

#[tokio::test]
async fn a_seeded_engine_routes_the_same_way_each_run() -> Result<(), Error> {
    async fn routes(seed: u64) -> Result<Vec<String>, Error> {
        let engine = LocalEngine::builder()
            .clock(Arc::new(VirtualClock::default()))
            .seed(seed)
            .build();
        let arn = two_versions(&engine, "m");
        let alias = engine
            .create_state_machine_alias(
                "half",
                None,
                &[
                    RoutingConfig::new(format!("{arn}:1"), 50),
                    RoutingConfig::new(format!("{arn}:2"), 50),
                ],
            )?
            .state_machine_alias_arn;
        let mut versions = Vec::new();
        for _ in 0..40 {
            let run = engine
                .start_execution(&alias, StartExecution::new(json!({})))
                .await?;
            versions.extend(run.describe().state_machine_version_arn);
        }
        Ok(versions)
    }
    let first = routes(7).await?;
    assert_eq!(first.len(), 40);
    assert_eq!(first, routes(7).await?);
    assert!(first.iter().any(|v| v.ends_with(":1")) && first.iter().any(|v| v.ends_with(":2")));
    Ok(())
}

#[tokio::test]
async fn deleting_a_machine_deletes_its_versions_and_aliases() -> Result<(), Error> {
    let engine = engine();
    let arn = two_versions(&engine, "m");
    let v1 = format!("{arn}:1");
    let alias = engine
        .create_state_machine_alias("PROD", None, &[RoutingConfig::new(v1.clone(), 100)])?
        .state_machine_alias_arn;
    engine.delete_state_machine(&arn);
    // Deleting it again does nothing.
    engine.delete_state_machine(&arn);
    assert!(engine.list_state_machines().is_empty());
    assert_eq!(
        engine.describe_state_machine(&v1),
        Err(Error::StateMachineDoesNotExist { arn: v1.clone() })
    );
    assert!(engine.list_state_machine_versions(&arn)?.is_empty());
    assert_eq!(
        engine.describe_state_machine_alias(&alias),
        Err(Error::ResourceNotFound { arn: alias.clone() })
    );
    for target in [&arn, &v1, &alias] {
        assert!(matches!(
            engine
                .start_execution(target, StartExecution::new(json!({})))
                .await,
            Err(Error::StateMachineDoesNotExist { .. })
        ));
    }
    assert!(matches!(
        engine.publish_state_machine_version(&arn, None, None),
        Err(Error::StateMachineDoesNotExist { .. })
    ));
    // A machine of the same name is a new machine: its versions start at 1 again.
    engine.create_state_machine_json("m", &pass("again"))?;
    let v = engine.publish_state_machine_version(&arn, None, None)?;
    assert_eq!(v.state_machine_version_arn, v1);
    let (out, _) = output_through(&engine, &v1).await;
    assert_eq!(out, json!("again"));
    Ok(())
}

#[test]
fn arns_of_the_wrong_kind_are_refused() -> Result<(), Error> {
    let engine = engine();
    let arn = two_versions(&engine, "m");
    let (v1, alias) = (format!("{arn}:1"), format!("{arn}:PROD"));
    assert_eq!(
        invalid_arn(engine.publish_state_machine_version("invalid_arn", None, None)),
        "invalid_arn"
    );
    // Another region or account is not this engine's.
    let elsewhere = "arn:aws:states:eu-west-1:123456789012:stateMachine:m";
    assert_eq!(
        invalid_arn(engine.list_state_machine_versions(elsewhere)),
        elsewhere
    );
    assert_eq!(
        engine.publish_state_machine_version(&v1, None, None),
        Err(Error::StateMachineDoesNotExist { arn: v1.clone() })
    );
    assert_eq!(
        engine.publish_state_machine_version(&format!("{MACHINE}:nope"), None, None),
        Err(Error::StateMachineDoesNotExist {
            arn: format!("{MACHINE}:nope")
        })
    );
    assert_eq!(invalid_arn(engine.list_state_machine_versions(&v1)), v1);
    assert_eq!(invalid_arn(engine.delete_state_machine_version(&arn)), arn);
    assert_eq!(invalid_arn(engine.describe_state_machine_alias(&v1)), v1);
    assert_eq!(invalid_arn(engine.delete_state_machine_alias(&arn)), arn);
    assert_eq!(
        invalid_arn(engine.list_state_machine_aliases(&alias)),
        alias
    );
    assert_eq!(
        engine.describe_state_machine(&alias),
        Err(Error::StateMachineDoesNotExist { arn: alias.clone() })
    );
    assert!(matches!(
        engine.list_state_machine_aliases(&format!("{MACHINE}:nope")),
        Err(Error::StateMachineDoesNotExist { .. })
    ));
    assert!(matches!(
        engine.list_state_machine_aliases(&format!("{arn}:9")),
        Err(Error::ResourceNotFound { .. })
    ));
    // A Map's labeled machine ARN.
    assert!(matches!(
        engine.publish_state_machine_version(&format!("{arn}/Each"), None, None),
        Err(Error::Validation { .. })
    ));
    Ok(())
}

#[test]
fn a_machine_has_at_most_100_aliases() -> Result<(), Error> {
    let engine = engine();
    let arn = two_versions(&engine, "m");
    let route = [RoutingConfig::new(format!("{arn}:1"), 100)];
    for i in 0..MAX_ALIASES {
        engine.create_state_machine_alias(&format!("a{i}"), None, &route)?;
    }
    assert!(matches!(
        engine.create_state_machine_alias("one-more", None, &route),
        Err(Error::ServiceQuotaExceeded { .. })
    ));
    // Creating one that exists is still answered.
    engine.create_state_machine_alias("a0", None, &route)?;
    Ok(())
}

#[test]
fn a_description_gives_the_definition_as_it_was_sent() -> Result<(), Error> {
    let engine = engine();
    let text = "{ \"StartAt\":\"P\",\n  \"States\": {\"P\": {\"Type\": \"Pass\", \"End\": true}} }";
    let arn = engine
        .create_state_machine_from(CreateStateMachine::new("m", text))?
        .state_machine_arn;
    let v1 = engine.publish_state_machine_version(&arn, None, None)?;
    assert_eq!(engine.describe_state_machine(&arn)?.definition, text);
    // The same model in other words is another revision, as AWS compares the text.
    let compact = pass("x").replace(r#", "Result": "x""#, "");
    let updated = engine
        .update_state_machine(&arn, UpdateStateMachine::new().definition(compact.as_str()))?;
    assert!(updated.revision_id.is_some());
    assert_eq!(engine.describe_state_machine(&arn)?.definition, compact);
    assert_eq!(
        engine
            .describe_state_machine(&v1.state_machine_version_arn)?
            .definition,
        text
    );
    // A machine made from a model describes as the model's JSON.
    let model: sfn_runtime::core::StateMachine = pass("y").parse()?;
    let from_model = engine.create_state_machine("n", model.clone())?;
    assert_eq!(
        engine.describe_state_machine(&from_model)?.definition,
        model.to_json()
    );
    Ok(())
}

#[test]
fn a_machine_has_at_most_1000_versions() -> Result<(), Error> {
    let engine = engine();
    let arn = engine.create_state_machine_json("m", &pass("0"))?;
    engine.publish_state_machine_version(&arn, None, None)?;
    for i in 1..MAX_VERSIONS {
        let update = UpdateStateMachine::new()
            .definition(pass(&i.to_string()))
            .publish(true);
        engine.update_state_machine(&arn, update)?;
    }
    assert_eq!(
        engine.list_state_machine_versions(&arn)?.len(),
        MAX_VERSIONS
    );
    engine.update_state_machine(&arn, UpdateStateMachine::new().definition(pass("more")))?;
    assert!(matches!(
        engine.publish_state_machine_version(&arn, None, None),
        Err(Error::ServiceQuotaExceeded { .. })
    ));
    // With one deleted there is room again, under the next number.
    engine.delete_state_machine_version(&format!("{arn}:1"))?;
    let next = engine.publish_state_machine_version(&arn, None, None)?;
    assert_eq!(next.version, MAX_VERSIONS as u64 + 1);
    Ok(())
}

#[tokio::test]
async fn express_machines_run_through_versions_and_aliases() -> Result<(), Error> {
    use sfn_runtime::core::model::ExecutionType;
    let engine = engine();
    let arn =
        engine.create_state_machine_json_of_type("e", &pass("one"), ExecutionType::Express)?;
    let v1 = engine.publish_state_machine_version(&arn, None, None)?;
    engine.update_state_machine(&arn, UpdateStateMachine::new().definition(pass("two")))?;
    let alias = engine
        .create_state_machine_alias(
            "LIVE",
            None,
            &[RoutingConfig::new(
                v1.state_machine_version_arn.clone(),
                100,
            )],
        )?
        .state_machine_alias_arn;
    let done = engine
        .start_sync_execution(&alias, StartExecution::new(json!({})))
        .await?;
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    assert_eq!(done.output, Some(json!("one")));
    let latest = engine
        .start_sync_execution(&arn, StartExecution::new(json!({})))
        .await?;
    assert_eq!(latest.output, Some(json!("two")));
    let run = engine
        .start_execution(&alias, StartExecution::new(json!({})))
        .await?;
    let described = run.describe();
    assert_eq!(
        described.state_machine_version_arn.as_deref(),
        Some(v1.state_machine_version_arn.as_str())
    );
    assert_eq!(
        described.state_machine_alias_arn.as_deref(),
        Some(alias.as_str())
    );
    let gone = format!("{arn}:7");
    assert!(matches!(
        engine.start_sync_execution(&gone, StartExecution::new(json!({}))).await,
        Err(Error::StateMachineDoesNotExist { arn }) if arn == gone
    ));
    Ok(())
}

#[tokio::test]
async fn described_for_an_execution_a_machine_is_the_revision_it_started_with() -> Result<(), Error>
{
    // The clock stands still: the executions and the updates share one instant.
    let (engine, _clock) = manual_engine();
    let arn = engine
        .create_state_machine_from(CreateStateMachine::new("m", pass("one")))?
        .state_machine_arn;
    let (_, first) = output_through(&engine, &arn).await;
    let updated =
        engine.update_state_machine(&arn, UpdateStateMachine::new().definition(pass("two")))?;
    let (_, second) = output_through(&engine, &arn).await;
    let role = "arn:aws:iam::123456789012:role/other";
    let by_role = engine.update_state_machine(&arn, UpdateStateMachine::new().role_arn(role))?;
    let (_, third) = output_through(&engine, &arn).await;

    let described = engine.describe_state_machine_for_execution(&first)?;
    assert_eq!(described.definition, pass("one"));
    assert_eq!(described.revision_id, None);
    let described = engine.describe_state_machine_for_execution(&second)?;
    assert_eq!(described.definition, pass("two"));
    assert_eq!(described.revision_id, updated.revision_id);
    assert_ne!(described.role_arn, role);
    let described = engine.describe_state_machine_for_execution(&third)?;
    assert_eq!(described.definition, pass("two"));
    assert_eq!(described.role_arn, role);
    assert_eq!(described.revision_id, by_role.revision_id);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_machine_created_while_described_is_created_with_all_it_was_given() {
    const NAMES: usize = 64;
    const ROLE: &str = "arn:aws:iam::123456789012:role/creator";
    let engine = engine();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..NAMES {
        // Describers and listers race the creation of each machine.
        for _ in 0..2 {
            let engine = engine.clone();
            tasks.spawn(async move {
                let arn = format!("{MACHINE}:m{i}");
                for _ in 0..20 {
                    let _ = engine.describe_state_machine(&arn);
                    let _ = engine.list_state_machine_descriptions();
                    tokio::task::yield_now().await;
                }
            });
        }
        for _ in 0..2 {
            let engine = engine.clone();
            tasks.spawn(async move {
                let create = CreateStateMachine::new(format!("m{i}"), pass("same"))
                    .role_arn(ROLE)
                    .tags(vec![("team".to_owned(), "a".to_owned())]);
                match engine.create_state_machine_from(create) {
                    Ok(created) => assert_eq!(created.state_machine_arn, format!("{MACHINE}:m{i}")),
                    Err(e) => panic!("creating m{i}: {e}"),
                }
            });
        }
    }
    while let Some(joined) = tasks.join_next().await {
        joined.unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()));
    }
    assert_eq!(engine.list_state_machines().len(), NAMES);
    for i in 0..NAMES {
        let arn = format!("{MACHINE}:m{i}");
        let described = engine
            .describe_state_machine(&arn)
            .unwrap_or_else(|e| panic!("{arn}: {e}"));
        assert_eq!(described.definition, pass("same"));
        assert_eq!(described.role_arn, ROLE);
        assert_eq!(
            engine.list_tags_for_resource(&arn),
            Ok(vec![("team".to_owned(), "a".to_owned())])
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_machine_created_and_deleted_at_once_is_described_when_listed() {
    let engine = engine();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..8 {
        let engine = engine.clone();
        tasks.spawn(async move {
            let arn = format!("{MACHINE}:m{}", i % 2);
            for _ in 0..200 {
                if i < 4 {
                    let create = CreateStateMachine::new(format!("m{}", i % 2), pass("same"));
                    if let Err(e) = engine.create_state_machine_from(create) {
                        panic!("creating: {e}");
                    }
                } else {
                    engine.delete_state_machine(&arn);
                }
                tokio::task::yield_now().await;
            }
        });
    }
    while let Some(joined) = tasks.join_next().await {
        joined.unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()));
    }
    // Each machine left has its registry entry: created whole, deleted whole.
    for arn in engine.list_state_machines() {
        let described = engine
            .describe_state_machine(&arn)
            .unwrap_or_else(|e| panic!("{arn}: {e}"));
        assert_eq!(described.definition, pass("same"));
    }
}
