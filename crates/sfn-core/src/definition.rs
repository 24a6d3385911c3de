//! Activity resources in definitions built at compile time.
//!
//! A definition built at compile time names its activities with placeholder resources,
//! `arn:aws:states:::activity:NAME`: the region and account of an activity's ARN are not
//! known until the machine is registered. [`resolve_activity_arns`] replaces them (the
//! runtime does so when it registers the machine); the embedded engine can run the
//! placeholders as they are.

use crate::model::{ItemProcessor, State, StateMachine, TaskState as Task};

/// The placeholder resource of an activity in a definition built at compile time:
/// `arn:aws:states:::activity:NAME`. Region and account are empty because they are not
/// known until the machine is registered; [`crate::definition::resolve_activity_arns`]
/// fills them in.
pub fn activity_placeholder_arn(name: &str) -> String {
    format!("arn:aws:states:::activity:{name}")
}

/// The name of the activity a placeholder resource (`arn:aws:states:::activity:NAME`)
/// refers to; `None` for any other resource, full activity ARNs included.
pub fn placeholder_activity_name(resource: &str) -> Option<&str> {
    resource
        .strip_prefix("arn:aws:states:::activity:")
        .filter(|n| !n.is_empty())
}

/// Replaces every placeholder activity resource (`arn:aws:states:::activity:NAME`), in
/// every scope, with `arn(NAME)`.
///
/// ```
/// use sfn_core::definition::{activity_arn, resolve_activity_arns};
///
/// let mut machine: sfn_core::StateMachine = r#"{"StartAt": "Add", "States": {
///     "Add": {"Type": "Task", "Resource": "arn:aws:states:::activity:add", "End": true}
/// }}"#.parse()?;
/// resolve_activity_arns(&mut machine, |name| activity_arn("aws", "eu-west-1", "123456789012", name));
/// assert!(machine.to_json().contains("arn:aws:states:eu-west-1:123456789012:activity:add"));
/// # Ok::<(), sfn_core::ParseError>(())
/// ```
pub fn resolve_activity_arns(machine: &mut StateMachine, mut arn: impl FnMut(&str) -> String) {
    for_each_task(machine, &mut |t: &mut Task| {
        if let Some(name) = placeholder_activity_name(t.resource.as_str()) {
            t.resource = crate::model::Resource::new(arn(name));
        }
    });
}

/// Replaces the ARN of every activity of `region` and `account`
/// (`arn:PARTITION:states:REGION:ACCOUNT:activity:NAME`), in every scope, with its
/// placeholder, `arn:aws:states:::activity:NAME`: the reverse of
/// [`resolve_activity_arns`], for a definition read back from the service. Activities of
/// other regions or accounts are left as they are.
///
/// ```
/// use sfn_core::definition::restore_activity_placeholders;
///
/// let mut machine: sfn_core::StateMachine = r#"{"StartAt": "Add", "States": {
///     "Add": {"Type": "Task", "Resource": "arn:aws:states:eu-west-1:123456789012:activity:add", "End": true}
/// }}"#.parse()?;
/// restore_activity_placeholders(&mut machine, "eu-west-1", "123456789012");
/// assert!(machine.to_json().contains("\"arn:aws:states:::activity:add\""));
/// # Ok::<(), sfn_core::ParseError>(())
/// ```
pub fn restore_activity_placeholders(machine: &mut StateMachine, region: &str, account: &str) {
    for_each_task(machine, &mut |t: &mut Task| {
        let parts: Vec<&str> = t.resource.as_str().splitn(7, ':').collect();
        if let ["arn", _, "states", r, a, "activity", name] = parts.as_slice()
            && *r == region
            && *a == account
            && !name.is_empty()
        {
            t.resource = crate::model::Resource::new(activity_placeholder_arn(name));
        }
    });
}

/// The activities the definition's Task states call, in every scope, each once, in the
/// order met: placeholder resources (`arn:aws:states:::activity:NAME`) and full activity
/// ARNs alike.
pub fn activity_resources(machine: &StateMachine) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut machine = machine.clone();
    for_each_task(&mut machine, &mut |t: &mut Task| {
        let r = t.resource.as_str();
        let is_activity = placeholder_activity_name(r).is_some()
            || (r.starts_with("arn:") && r.split(':').nth(5) == Some("activity"));
        if is_activity && !found.iter().any(|f| f == r) {
            found.push(r.to_owned());
        }
    });
    found
}

/// Calls `f` on every Task state of the machine, in every scope.
fn for_each_task(machine: &mut StateMachine, f: &mut dyn FnMut(&mut Task)) {
    fn states<'a>(list: impl Iterator<Item = &'a mut State>, f: &mut dyn FnMut(&mut Task)) {
        for state in list {
            match state {
                State::Task(t) => f(t),
                State::Parallel(p) => {
                    for b in &mut p.branches {
                        states(b.states.values_mut(), f);
                    }
                }
                State::Map(m) => {
                    for p in [&mut m.item_processor, &mut m.iterator]
                        .into_iter()
                        .flatten()
                    {
                        processor(p, f);
                    }
                }
                _ => {}
            }
        }
    }
    fn processor(p: &mut ItemProcessor, f: &mut dyn FnMut(&mut Task)) {
        states(p.states.values_mut(), f);
    }
    states(machine.states.values_mut(), f);
}

/// The ARN of an activity: `arn:PARTITION:states:REGION:ACCOUNT:activity:NAME`.
pub fn activity_arn(partition: &str, region: &str, account: &str, name: &str) -> String {
    format!("arn:{partition}:states:{region}:{account}:activity:{name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_placeholders_in_every_scope() {
        let mut m: crate::StateMachine = r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
            {"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::activity:add","End":true}}}]}}}"#
            .parse()
            .expect("valid");
        resolve_activity_arns(&mut m, |n| {
            activity_arn("aws", "eu-west-1", "123456789012", n)
        });
        assert!(
            m.to_json()
                .contains("arn:aws:states:eu-west-1:123456789012:activity:add")
        );
    }

    #[test]
    fn activity_resources_are_found_once_in_every_scope() {
        let m: crate::StateMachine = r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","Next":"L","Branches":[
            {"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::activity:add","End":true}}}]},
            "L":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","Next":"B"},
            "B":{"Type":"Task","Resource":"arn:aws:states:eu-west-1:123456789012:activity:sub","Next":"C"},
            "C":{"Type":"Task","Resource":"arn:aws:states:::activity:add","End":true}}}"#
            .parse()
            .expect("valid");
        assert_eq!(
            activity_resources(&m),
            [
                "arn:aws:states:::activity:add",
                "arn:aws:states:eu-west-1:123456789012:activity:sub"
            ]
        );
    }

    #[test]
    fn placeholders_are_restored_for_one_region_and_account() {
        let mut m: crate::StateMachine = r#"{"StartAt":"A","States":{
            "A":{"Type":"Task","Resource":"arn:aws:states:eu-west-1:123456789012:activity:add","Next":"B"},
            "B":{"Type":"Task","Resource":"arn:aws:states:us-east-1:123456789012:activity:sub","End":true}}}"#
            .parse()
            .expect("valid");
        restore_activity_placeholders(&mut m, "eu-west-1", "123456789012");
        assert_eq!(
            activity_resources(&m),
            [
                "arn:aws:states:::activity:add",
                "arn:aws:states:us-east-1:123456789012:activity:sub"
            ]
        );
    }

    #[test]
    fn placeholders() {
        assert_eq!(
            activity_placeholder_arn("add"),
            "arn:aws:states:::activity:add"
        );
        assert_eq!(
            placeholder_activity_name("arn:aws:states:::activity:add"),
            Some("add")
        );
        assert_eq!(
            placeholder_activity_name("arn:aws:states:us-east-1:1:activity:add"),
            None
        );
    }
}
