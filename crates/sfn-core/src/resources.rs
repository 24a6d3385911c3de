//! The resources AWS recognizes in a Task's `Resource`, an `ItemReader` and a
//! `ResultWriter`: the one table of optimized integrations, with the patterns each action
//! supports, and the rules for the other forms.
//!
//! A `Resource` is one of:
//!
//! - an optimized integration, `arn:PARTITION:states:::SERVICE:ACTION[.sync|.sync:2|.waitForTaskToken]`,
//!   where the service, the action and the pattern must appear together in [`OPTIMIZED`];
//! - an AWS SDK integration, `arn:PARTITION:states:::aws-sdk:SERVICE:ACTION[.waitForTaskToken]`
//!   (SDK integrations have no `.sync`), the service the SDK's lower-case identifier and the
//!   action the API's name with a lower-case first letter;
//! - a Lambda function, `arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]`, the
//!   qualifier `$LATEST`, a version number or an alias;
//! - an activity, `arn:PARTITION:states:REGION:ACCOUNT:activity:NAME`, or sfn's placeholder
//!   `arn:aws:states:::activity:NAME`, which registration replaces with the real ARN;
//! - text holding `${…}` definition substitutions (CloudFormation, SAM, CDK), which are
//!   replaced before AWS sees the definition and are checked only for their form.
//!
//! Anything else gets AWS's error, [`Unrecognized`].
//!
//! Source: the AWS Step Functions Developer Guide, "Integrating optimized services with
//! Step Functions" (`integrate-optimized.html`, the table of integration patterns per
//! service) and the page of each service (`connect-lambda.html`, `connect-batch.html`, …,
//! the actions and the patterns each supports); "Integrating AWS SDK services"
//! (`supported-services-awssdk.html`); "ItemReader (Map)" and "ResultWriter (Map)".
//!
//! ```
//! use sfn_core::resources::{recognize, Recognized};
//!
//! assert!(matches!(
//!     recognize("arn:aws:states:::states:startExecution.sync:2"),
//!     Ok(Recognized::Optimized { .. })
//! ));
//! assert!(recognize("arn:aws:states:::lambda:invoke.sync").is_err());
//! assert!(recognize("arn:aws:states:::aws-sdk:s3:listBuckets.waitForTaskToken").is_ok());
//! ```

use crate::model::IntegrationPattern;

/// An optimized integration: one action of one service, and the patterns it supports
/// besides request-response, which every action supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Integration {
    /// The service as written in the ARN (`lambda`, `emr-serverless`).
    pub service: &'static str,
    /// The action as written in the ARN (`invoke`, `startExecution`).
    pub action: &'static str,
    /// Whether `.sync` (run a job) is supported.
    pub sync: bool,
    /// Whether `.sync:2` (run a job, output parsed as JSON) is supported.
    pub sync2: bool,
    /// Whether `.waitForTaskToken` (wait for a callback) is supported.
    pub wait_for_task_token: bool,
}

const fn rr(service: &'static str, action: &'static str) -> Integration {
    Integration {
        service,
        action,
        sync: false,
        sync2: false,
        wait_for_task_token: false,
    }
}

const fn sync(service: &'static str, action: &'static str) -> Integration {
    Integration {
        sync: true,
        ..rr(service, action)
    }
}

const fn wftt(service: &'static str, action: &'static str) -> Integration {
    Integration {
        wait_for_task_token: true,
        ..rr(service, action)
    }
}

const fn sync_wftt(service: &'static str, action: &'static str) -> Integration {
    Integration {
        sync: true,
        wait_for_task_token: true,
        ..rr(service, action)
    }
}

/// Every optimized integration, by service then action (see the module's sources).
///
/// Where the overview table and a service's own page disagree on a pattern (Amazon EKS
/// and Amazon Bedrock list `.waitForTaskToken` in the overview, not on their pages), the
/// table accepts it: a definition AWS would accept must never be refused here.
pub const OPTIMIZED: &[Integration] = &[
    // Amazon API Gateway (connect-api-gateway.html)
    wftt("apigateway", "invoke"),
    // Amazon Athena (connect-athena.html)
    sync("athena", "startQueryExecution"),
    rr("athena", "stopQueryExecution"),
    rr("athena", "getQueryExecution"),
    rr("athena", "getQueryResults"),
    // AWS Batch (connect-batch.html)
    sync("batch", "submitJob"),
    // Amazon Bedrock (connect-bedrock.html)
    rr("bedrock", "invokeModel"),
    sync_wftt("bedrock", "createModelCustomizationJob"),
    // AWS CodeBuild (connect-codebuild.html)
    sync("codebuild", "startBuild"),
    rr("codebuild", "stopBuild"),
    rr("codebuild", "batchDeleteBuilds"),
    rr("codebuild", "batchGetReports"),
    sync("codebuild", "startBuildBatch"),
    rr("codebuild", "stopBuildBatch"),
    sync("codebuild", "retryBuild"),
    sync("codebuild", "retryBuildBatch"),
    rr("codebuild", "deleteBuildBatch"),
    // Amazon DynamoDB (connect-ddb.html)
    rr("dynamodb", "getItem"),
    rr("dynamodb", "putItem"),
    rr("dynamodb", "deleteItem"),
    rr("dynamodb", "updateItem"),
    // Amazon ECS / Fargate (connect-ecs.html)
    sync_wftt("ecs", "runTask"),
    // Amazon EKS (connect-eks.html)
    sync_wftt("eks", "createCluster"),
    sync_wftt("eks", "deleteCluster"),
    sync_wftt("eks", "createFargateProfile"),
    sync_wftt("eks", "deleteFargateProfile"),
    sync_wftt("eks", "createNodegroup"),
    sync_wftt("eks", "deleteNodegroup"),
    sync_wftt("eks", "runJob"),
    rr("eks", "call"),
    // Amazon EMR (connect-emr.html)
    sync("elasticmapreduce", "createCluster"),
    sync("elasticmapreduce", "terminateCluster"),
    sync("elasticmapreduce", "addStep"),
    rr("elasticmapreduce", "cancelStep"),
    rr("elasticmapreduce", "setClusterTerminationProtection"),
    rr("elasticmapreduce", "modifyInstanceFleetByName"),
    rr("elasticmapreduce", "modifyInstanceGroupByName"),
    // Amazon EMR on EKS (connect-emr-eks.html)
    rr("emr-containers", "createVirtualCluster"),
    sync("emr-containers", "deleteVirtualCluster"),
    sync("emr-containers", "startJobRun"),
    // Amazon EMR Serverless (connect-emr-serverless.html)
    sync("emr-serverless", "createApplication"),
    sync("emr-serverless", "startApplication"),
    sync("emr-serverless", "stopApplication"),
    sync("emr-serverless", "deleteApplication"),
    sync("emr-serverless", "startJobRun"),
    sync("emr-serverless", "cancelJobRun"),
    // Amazon EventBridge (connect-eventbridge.html)
    wftt("events", "putEvents"),
    // AWS Glue (connect-glue.html)
    sync("glue", "startJobRun"),
    // AWS Glue DataBrew (connect-databrew.html)
    sync("databrew", "startJobRun"),
    // HTTP Task (call-https-apis.html)
    rr("http", "invoke"),
    // AWS Lambda (connect-lambda.html)
    wftt("lambda", "invoke"),
    // AWS Elemental MediaConvert (connect-mediaconvert.html)
    sync("mediaconvert", "createJob"),
    // Amazon SageMaker AI (connect-sagemaker.html)
    rr("sagemaker", "createEndpoint"),
    rr("sagemaker", "createEndpointConfig"),
    sync("sagemaker", "createHyperParameterTuningJob"),
    sync("sagemaker", "createLabelingJob"),
    rr("sagemaker", "createModel"),
    sync("sagemaker", "createProcessingJob"),
    sync("sagemaker", "createTrainingJob"),
    sync("sagemaker", "createTransformJob"),
    rr("sagemaker", "updateEndpoint"),
    // Amazon SNS (connect-sns.html)
    wftt("sns", "publish"),
    // Amazon SQS (connect-sqs.html)
    wftt("sqs", "sendMessage"),
    // AWS Step Functions (connect-stepfunctions.html)
    Integration {
        sync2: true,
        ..sync_wftt("states", "startExecution")
    },
];

/// The resources of a distributed Map's `ItemReader` (`arn:aws:states:::SERVICE:ACTION`).
pub const ITEM_READERS: &[(&str, &str)] = &[("s3", "getObject"), ("s3", "listObjectsV2")];

/// The resources of a distributed Map's `ResultWriter`.
pub const RESULT_WRITERS: &[(&str, &str)] = &[("s3", "putObject")];

/// A pattern as written after the action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Pattern {
    /// No suffix: call and continue with the response.
    RequestResponse,
    /// `.sync`.
    Sync,
    /// `.sync:2`.
    Sync2,
    /// `.waitForTaskToken`.
    WaitForTaskToken,
}

impl Pattern {
    /// The pattern's kind (`.sync` and `.sync:2` are both [`IntegrationPattern::Sync`]).
    pub fn kind(self) -> IntegrationPattern {
        match self {
            Pattern::RequestResponse => IntegrationPattern::RequestResponse,
            Pattern::Sync | Pattern::Sync2 => IntegrationPattern::Sync,
            Pattern::WaitForTaskToken => IntegrationPattern::WaitForTaskToken,
        }
    }

    fn split(rest: &str) -> (&str, Pattern) {
        if let Some(a) = rest.strip_suffix(".sync:2") {
            (a, Pattern::Sync2)
        } else if let Some(a) = rest.strip_suffix(".sync") {
            (a, Pattern::Sync)
        } else if let Some(a) = rest.strip_suffix(".waitForTaskToken") {
            (a, Pattern::WaitForTaskToken)
        } else {
            (rest, Pattern::RequestResponse)
        }
    }
}

impl Integration {
    /// Whether the action supports the pattern.
    pub fn supports(&self, pattern: Pattern) -> bool {
        match pattern {
            Pattern::RequestResponse => true,
            Pattern::Sync => self.sync,
            Pattern::Sync2 => self.sync2,
            Pattern::WaitForTaskToken => self.wait_for_task_token,
        }
    }
}

/// What a recognized `Resource` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Recognized<'a> {
    /// An optimized integration, with the pattern used.
    Optimized {
        /// The table's entry.
        integration: &'static Integration,
        /// The pattern written.
        pattern: Pattern,
    },
    /// An AWS SDK integration.
    Sdk {
        /// The service (`s3`).
        service: &'a str,
        /// The action (`listBuckets`).
        action: &'a str,
        /// The pattern written (request-response or `.waitForTaskToken`).
        pattern: Pattern,
    },
    /// A Lambda function's ARN.
    LambdaFunction,
    /// An activity's ARN (or sfn's `arn:aws:states:::activity:NAME` placeholder).
    Activity,
    /// Text with `${…}` definition substitutions, replaced before AWS sees it.
    Substitution,
}

impl Recognized<'_> {
    /// The integration pattern (request-response for functions, activities and
    /// substitutions).
    pub fn pattern(&self) -> Pattern {
        match self {
            Recognized::Optimized { pattern, .. } | Recognized::Sdk { pattern, .. } => *pattern,
            _ => Pattern::RequestResponse,
        }
    }
}

/// AWS's error for a resource it does not recognize.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "The resource provided {resource} is not recognized. The value is not a valid resource ARN, or the resource is not available in this region."
)]
#[non_exhaustive]
pub struct Unrecognized {
    /// The resource as written.
    pub resource: String,
}

/// Tells what a Task's `Resource` is, as AWS does when it creates a state machine.
pub fn recognize(resource: &str) -> Result<Recognized<'_>, Unrecognized> {
    let unrecognized = || Unrecognized {
        resource: resource.to_owned(),
    };
    if resource.contains("${") || resource.contains('}') {
        return if substitutions_well_formed(resource) {
            Ok(Recognized::Substitution)
        } else {
            Err(unrecognized())
        };
    }
    let arn = Arn::parse(resource).ok_or_else(unrecognized)?;
    match arn.service {
        "lambda" => lambda_function(&arn).ok_or_else(unrecognized),
        "states" if arn.region.is_empty() && arn.account.is_empty() => {
            if let Some(name) = arn.rest.strip_prefix("activity:") {
                return activity_name(name).ok_or_else(unrecognized);
            }
            if let Some(sdk) = arn.rest.strip_prefix("aws-sdk:") {
                let (service, rest) = sdk.split_once(':').ok_or_else(unrecognized)?;
                let (action, pattern) = Pattern::split(rest);
                let service_ok = !service.is_empty()
                    && service
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
                let action_ok = action
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_lowercase())
                    && action.chars().all(|c| c.is_ascii_alphanumeric());
                let pattern_ok = matches!(
                    pattern,
                    Pattern::RequestResponse | Pattern::WaitForTaskToken
                );
                return if service_ok && action_ok && pattern_ok {
                    Ok(Recognized::Sdk {
                        service,
                        action,
                        pattern,
                    })
                } else {
                    Err(unrecognized())
                };
            }
            let (service, rest) = arn.rest.split_once(':').ok_or_else(unrecognized)?;
            let (action, pattern) = Pattern::split(rest);
            OPTIMIZED
                .iter()
                .find(|i| i.service == service && i.action == action && i.supports(pattern))
                .map(|integration| Recognized::Optimized {
                    integration,
                    pattern,
                })
                .ok_or_else(unrecognized)
        }
        "states" if !arn.region.is_empty() && !arn.account.is_empty() => arn
            .rest
            .strip_prefix("activity:")
            .and_then(activity_name)
            .ok_or_else(unrecognized),
        _ => Err(unrecognized()),
    }
}

/// Whether `resource` is one of `table`'s `arn:PARTITION:states:::SERVICE:ACTION` (a
/// Map's `ItemReader` or `ResultWriter`), or holds definition substitutions.
pub fn recognize_in(resource: &str, table: &[(&str, &str)]) -> Result<(), Unrecognized> {
    if (resource.contains("${") || resource.contains('}')) && substitutions_well_formed(resource) {
        return Ok(());
    }
    let ok = Arn::parse(resource).is_some_and(|arn| {
        arn.service == "states"
            && arn.region.is_empty()
            && arn.account.is_empty()
            && table
                .iter()
                .any(|(s, a)| arn.rest.split_once(':') == Some((s, a)))
    });
    if ok {
        Ok(())
    } else {
        Err(Unrecognized {
            resource: resource.to_owned(),
        })
    }
}

/// `arn:PARTITION:SERVICE:REGION:ACCOUNT:REST`.
struct Arn<'a> {
    service: &'a str,
    region: &'a str,
    account: &'a str,
    rest: &'a str,
}

impl<'a> Arn<'a> {
    fn parse(s: &'a str) -> Option<Arn<'a>> {
        let mut parts = s.splitn(6, ':');
        let (Some("arn"), Some(partition), Some(service), Some(region), Some(account), Some(rest)) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return None;
        };
        let partition_ok = partition == "aws"
            || partition.strip_prefix("aws-").is_some_and(|p| {
                !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase() || c == '-')
            });
        let part_ok = |p: &str| p.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        (partition_ok && part_ok(region) && part_ok(account) && !s.contains(char::is_whitespace))
            .then_some(Arn {
                service,
                region,
                account,
                rest,
            })
    }
}

/// `function:NAME[:QUALIFIER]` under a region and an account.
fn lambda_function(arn: &Arn<'_>) -> Option<Recognized<'static>> {
    if arn.region.is_empty() || arn.account.is_empty() {
        return None;
    }
    let rest = arn.rest.strip_prefix("function:")?;
    let (name, qualifier) = match rest.split_once(':') {
        Some((n, q)) => (n, Some(q)),
        None => (rest, None),
    };
    let word = |s: &str, max: usize| {
        !s.is_empty()
            && s.len() <= max
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    let qualifier_ok = qualifier.is_none_or(|q| q == "$LATEST" || word(q, 128));
    (word(name, 64) && qualifier_ok).then_some(Recognized::LambdaFunction)
}

fn activity_name(name: &str) -> Option<Recognized<'static>> {
    crate::names::check_resource_name(name)
        .is_ok()
        .then_some(Recognized::Activity)
}

/// Every `${` closes with a `}` before any other brace, and names something.
fn substitutions_well_formed(s: &str) -> bool {
    let mut rest = s;
    loop {
        match (rest.find("${"), rest.find('}')) {
            (None, None) => return !rest.contains('{'),
            (Some(open), Some(close)) if open < close => {
                let inner = &rest[open + 2..close];
                if inner.is_empty() || inner.contains('{') || rest[..open].contains('{') {
                    return false;
                }
                rest = &rest[close + 1..];
            }
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(r: &str) {
        assert!(recognize(r).is_ok(), "{r} must be recognized");
    }

    fn refused(r: &str) {
        let e = recognize(r).expect_err(r);
        assert_eq!(
            e.to_string(),
            format!(
                "The resource provided {r} is not recognized. The value is not a valid resource ARN, or the resource is not available in this region."
            )
        );
    }

    #[test]
    fn optimized_integrations_and_their_patterns() {
        ok("arn:aws:states:::lambda:invoke");
        ok("arn:aws:states:::lambda:invoke.waitForTaskToken");
        refused("arn:aws:states:::lambda:invoke.sync");
        ok("arn:aws:states:::states:startExecution");
        ok("arn:aws:states:::states:startExecution.sync");
        ok("arn:aws:states:::states:startExecution.sync:2");
        ok("arn:aws:states:::states:startExecution.waitForTaskToken");
        ok("arn:aws:states:::batch:submitJob.sync");
        refused("arn:aws:states:::batch:submitJob.sync:2");
        refused("arn:aws:states:::batch:submitJob.waitForTaskToken");
        ok("arn:aws:states:::dynamodb:putItem");
        refused("arn:aws:states:::dynamodb:putItem.waitForTaskToken");
        refused("arn:aws:states:::dynamodb:query");
        ok("arn:aws:states:::ecs:runTask.waitForTaskToken");
        ok("arn:aws-cn:states:::sqs:sendMessage.waitForTaskToken");
        ok("arn:aws-us-gov:states:::sns:publish");
        refused("arn:aws:states:us-east-1:123456789012:sns:publish");
        refused("arn:aws:states:::sns:Publish");
        refused("arn:aws:states:::foo:bar");
        refused("arn:aws:states:::s3:getObject");
        ok("arn:aws:states:::emr-serverless:startJobRun.sync");
        ok("arn:aws:states:::http:invoke");
        refused("arn:aws:states:::http:invoke.sync");
        refused("arn:amazon:states:::sns:publish");
    }

    #[test]
    fn sdk_integrations() {
        ok("arn:aws:states:::aws-sdk:s3:listBuckets");
        ok("arn:aws:states:::aws-sdk:s3:listBuckets.waitForTaskToken");
        ok("arn:aws:states:::aws-sdk:sfn:startExecution");
        refused("arn:aws:states:::aws-sdk:sfn:startExecution.sync");
        refused("arn:aws:states:::aws-sdk:s3:ListBuckets");
        refused("arn:aws:states:::aws-sdk:s3");
        refused("arn:aws:states:::aws-sdk:S3:listBuckets");
    }

    #[test]
    fn lambda_functions() {
        ok("arn:aws:lambda:us-east-1:123456789012:function:f");
        ok("arn:aws:lambda:us-east-1:123456789012:function:my-fn_1:$LATEST");
        ok("arn:aws:lambda:us-east-1:123456789012:function:f:3");
        ok("arn:aws:lambda:us-east-1:123456789012:function:f:prod-Alias_1");
        refused("arn:aws:lambda:::function:f");
        refused("arn:aws:lambda:us-east-1:123456789012:function:");
        refused("arn:aws:lambda:us-east-1:123456789012:function:f:$PREVIOUS");
        refused("arn:aws:lambda:us-east-1:123456789012:function:f.g");
        refused("arn:aws:lambda:us-east-1:123456789012:layer:l");
        refused(&format!(
            "arn:aws:lambda:us-east-1:123456789012:function:{}",
            "f".repeat(65)
        ));
    }

    #[test]
    fn activities() {
        ok("arn:aws:states:us-east-1:123456789012:activity:add");
        ok("arn:aws:states:::activity:add");
        refused("arn:aws:states:us-east-1::activity:add");
        refused("arn:aws:states:us-east-1:123456789012:activity:");
        refused("arn:aws:states:us-east-1:123456789012:activity:a b");
        refused("arn:aws:states:us-east-1:123456789012:stateMachine:m");
    }

    #[test]
    fn other_forms() {
        ok("${FunctionArn}");
        ok("arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:${Name}");
        refused("${lambdaArn");
        refused("${}");
        refused("foo:bar");
        refused("arn:x");
        refused("arn:aws:swf:us-east-1:123456789012:task:X");
        refused("not an arn");
        refused("");
    }

    #[test]
    fn readers_and_writers() {
        assert!(recognize_in("arn:aws:states:::s3:getObject", ITEM_READERS).is_ok());
        assert!(recognize_in("arn:aws:states:::s3:listObjectsV2", ITEM_READERS).is_ok());
        assert!(recognize_in("arn:aws:states:::s3:putObject", ITEM_READERS).is_err());
        assert!(recognize_in("arn:aws:states:::s3:putObject", RESULT_WRITERS).is_ok());
    }
}
