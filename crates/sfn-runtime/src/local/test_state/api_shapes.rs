//! The output shapes of the service APIs whose mocked results TestState checks
//! (`mock.fieldValidationMode`), as data.
//!
//! Each [`ApiModel`] is the part of one service's API model (botocore's
//! `data/<service>/<version>/service-2.json`, release 1.40.0, the models Step Functions
//! checked mocks against when its behaviour was recorded, e.g. Lambda's `MemorySize` up
//! to 10,240) that the listed operations' outputs reach: every shape by its model name,
//! structure members under the names Step Functions gives them (the model's, first
//! letter capitalized: `executionArn` is `ExecutionArn`).
//!
//! A service or operation not listed here is not checked: its mocked result is taken
//! as given, whatever the mode.

/// One service's API model: the operations' output shapes and the shapes they reach.
#[derive(Debug)]
pub(super) struct ApiModel {
    /// botocore's name of the service (`lambda`, `stepfunctions`, …).
    pub(super) service: &'static str,
    /// Each operation (`Invoke`) with the name of its output shape, if it has one.
    pub(super) operations: &'static [(&'static str, Option<&'static str>)],
    /// Every shape the outputs reach, sorted by name.
    pub(super) shapes: &'static [(&'static str, Shape)],
}

impl ApiModel {
    /// The shape named `name`.
    pub(super) fn shape(&self, name: &str) -> Option<&'static Shape> {
        self.shapes
            .binary_search_by(|(n, _)| (*n).cmp(name))
            .ok()
            .and_then(|i| self.shapes.get(i))
            .map(|(_, s)| s)
    }

    /// The name of `operation`'s output shape; `None` when the model does not have the
    /// operation or the operation has no output.
    pub(super) fn output(&self, operation: &str) -> Option<&'static str> {
        self.operations
            .iter()
            .find(|(op, _)| *op == operation)
            .and_then(|(_, out)| *out)
    }
}

/// A shape of an API model, with the constraints the check enforces.
#[derive(Debug)]
pub(super) enum Shape {
    /// A JSON object of named members (each with its shape's name); `required` must be
    /// present in `STRICT` mode.
    Structure {
        members: &'static [(&'static str, &'static str)],
        required: &'static [&'static str],
    },
    /// A JSON array of `member`s.
    List { member: &'static str },
    /// A JSON object whose values are `value`s.
    Map { value: &'static str },
    /// A string, one of `values` when there are any, of `min` to `max` characters.
    String {
        values: &'static [&'static str],
        min: Option<u64>,
        max: Option<u64>,
    },
    /// Bytes, written as a string (base64), of `min` to `max` characters.
    Blob { min: Option<u64>, max: Option<u64> },
    /// An integer or long, from `min` to `max`.
    Integer { min: Option<i64>, max: Option<i64> },
    /// A float or double, from `min` to `max`.
    Float { min: Option<f64>, max: Option<f64> },
    /// `true` or `false`.
    Boolean,
    /// A date, written as a string.
    Timestamp,
}

/// The model of the service botocore names `service`.
pub(super) fn model(service: &str) -> Option<&'static ApiModel> {
    MODELS.iter().find(|m| m.service == service)
}

/// Amazon DynamoDB (`dynamodb` 2012-08-10).
#[rustfmt::skip]
const DYNAMODB: ApiModel = ApiModel {
    service: "dynamodb",
    operations: &[
        ("DeleteItem", Some("DeleteItemOutput")),
        ("GetItem", Some("GetItemOutput")),
        ("PutItem", Some("PutItemOutput")),
        ("UpdateItem", Some("UpdateItemOutput")),
    ],
    shapes: &[
        ("AttributeMap", Shape::Map { value: "AttributeValue" }),
        ("AttributeValue", Shape::Structure { members: &[("S", "StringAttributeValue"), ("N", "NumberAttributeValue"), ("B", "BinaryAttributeValue"), ("SS", "StringSetAttributeValue"), ("NS", "NumberSetAttributeValue"), ("BS", "BinarySetAttributeValue"), ("M", "MapAttributeValue"), ("L", "ListAttributeValue"), ("NULL", "NullAttributeValue"), ("BOOL", "BooleanAttributeValue")], required: &[] }),
        ("BinaryAttributeValue", Shape::Blob { min: None, max: None }),
        ("BinarySetAttributeValue", Shape::List { member: "BinaryAttributeValue" }),
        ("BooleanAttributeValue", Shape::Boolean),
        ("Capacity", Shape::Structure { members: &[("ReadCapacityUnits", "ConsumedCapacityUnits"), ("WriteCapacityUnits", "ConsumedCapacityUnits"), ("CapacityUnits", "ConsumedCapacityUnits")], required: &[] }),
        ("ConsumedCapacity", Shape::Structure { members: &[("TableName", "TableArn"), ("CapacityUnits", "ConsumedCapacityUnits"), ("ReadCapacityUnits", "ConsumedCapacityUnits"), ("WriteCapacityUnits", "ConsumedCapacityUnits"), ("Table", "Capacity"), ("LocalSecondaryIndexes", "SecondaryIndexesCapacityMap"), ("GlobalSecondaryIndexes", "SecondaryIndexesCapacityMap")], required: &[] }),
        ("ConsumedCapacityUnits", Shape::Float { min: None, max: None }),
        ("DeleteItemOutput", Shape::Structure { members: &[("Attributes", "AttributeMap"), ("ConsumedCapacity", "ConsumedCapacity"), ("ItemCollectionMetrics", "ItemCollectionMetrics")], required: &[] }),
        ("GetItemOutput", Shape::Structure { members: &[("Item", "AttributeMap"), ("ConsumedCapacity", "ConsumedCapacity")], required: &[] }),
        ("ItemCollectionKeyAttributeMap", Shape::Map { value: "AttributeValue" }),
        ("ItemCollectionMetrics", Shape::Structure { members: &[("ItemCollectionKey", "ItemCollectionKeyAttributeMap"), ("SizeEstimateRangeGB", "ItemCollectionSizeEstimateRange")], required: &[] }),
        ("ItemCollectionSizeEstimateBound", Shape::Float { min: None, max: None }),
        ("ItemCollectionSizeEstimateRange", Shape::List { member: "ItemCollectionSizeEstimateBound" }),
        ("ListAttributeValue", Shape::List { member: "AttributeValue" }),
        ("MapAttributeValue", Shape::Map { value: "AttributeValue" }),
        ("NullAttributeValue", Shape::Boolean),
        ("NumberAttributeValue", Shape::String { values: &[], min: None, max: None }),
        ("NumberSetAttributeValue", Shape::List { member: "NumberAttributeValue" }),
        ("PutItemOutput", Shape::Structure { members: &[("Attributes", "AttributeMap"), ("ConsumedCapacity", "ConsumedCapacity"), ("ItemCollectionMetrics", "ItemCollectionMetrics")], required: &[] }),
        ("SecondaryIndexesCapacityMap", Shape::Map { value: "Capacity" }),
        ("StringAttributeValue", Shape::String { values: &[], min: None, max: None }),
        ("StringSetAttributeValue", Shape::List { member: "StringAttributeValue" }),
        ("TableArn", Shape::String { values: &[], min: Some(1), max: Some(1024) }),
        ("UpdateItemOutput", Shape::Structure { members: &[("Attributes", "AttributeMap"), ("ConsumedCapacity", "ConsumedCapacity"), ("ItemCollectionMetrics", "ItemCollectionMetrics")], required: &[] }),
    ],
};

/// Amazon EventBridge (`events` 2015-10-07).
#[rustfmt::skip]
const EVENTS: ApiModel = ApiModel {
    service: "events",
    operations: &[
        ("PutEvents", Some("PutEventsResponse")),
    ],
    shapes: &[
        ("ErrorCode", Shape::String { values: &[], min: None, max: None }),
        ("ErrorMessage", Shape::String { values: &[], min: None, max: None }),
        ("EventId", Shape::String { values: &[], min: None, max: Some(64) }),
        ("Integer", Shape::Integer { min: None, max: None }),
        ("PutEventsResponse", Shape::Structure { members: &[("FailedEntryCount", "Integer"), ("Entries", "PutEventsResultEntryList")], required: &[] }),
        ("PutEventsResultEntry", Shape::Structure { members: &[("EventId", "EventId"), ("ErrorCode", "ErrorCode"), ("ErrorMessage", "ErrorMessage")], required: &[] }),
        ("PutEventsResultEntryList", Shape::List { member: "PutEventsResultEntry" }),
    ],
};

/// AWS Key Management Service (`kms` 2014-11-01).
#[rustfmt::skip]
const KMS: ApiModel = ApiModel {
    service: "kms",
    operations: &[
        ("Encrypt", Some("EncryptResponse")),
    ],
    shapes: &[
        ("CiphertextType", Shape::Blob { min: Some(1), max: Some(6144) }),
        ("EncryptResponse", Shape::Structure { members: &[("CiphertextBlob", "CiphertextType"), ("KeyId", "KeyIdType"), ("EncryptionAlgorithm", "EncryptionAlgorithmSpec")], required: &[] }),
        ("EncryptionAlgorithmSpec", Shape::String { values: &["SYMMETRIC_DEFAULT", "RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256", "SM2PKE"], min: None, max: None }),
        ("KeyIdType", Shape::String { values: &[], min: Some(1), max: Some(2048) }),
    ],
};

/// AWS Lambda (`lambda` 2015-03-31).
#[rustfmt::skip]
const LAMBDA: ApiModel = ApiModel {
    service: "lambda",
    operations: &[
        ("GetFunction", Some("GetFunctionResponse")),
        ("Invoke", Some("InvocationResponse")),
    ],
    shapes: &[
        ("ApplicationLogLevel", Shape::String { values: &["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"], min: None, max: None }),
        ("Architecture", Shape::String { values: &["x86_64", "arm64"], min: None, max: None }),
        ("ArchitecturesList", Shape::List { member: "Architecture" }),
        ("Arn", Shape::String { values: &[], min: None, max: None }),
        ("Blob", Shape::Blob { min: None, max: None }),
        ("Concurrency", Shape::Structure { members: &[("ReservedConcurrentExecutions", "ReservedConcurrentExecutions")], required: &[] }),
        ("DeadLetterConfig", Shape::Structure { members: &[("TargetArn", "ResourceArn")], required: &[] }),
        ("Description", Shape::String { values: &[], min: Some(0), max: Some(256) }),
        ("EnvironmentError", Shape::Structure { members: &[("ErrorCode", "String"), ("Message", "SensitiveString")], required: &[] }),
        ("EnvironmentResponse", Shape::Structure { members: &[("Variables", "EnvironmentVariables"), ("Error", "EnvironmentError")], required: &[] }),
        ("EnvironmentVariableValue", Shape::String { values: &[], min: None, max: None }),
        ("EnvironmentVariables", Shape::Map { value: "EnvironmentVariableValue" }),
        ("EphemeralStorage", Shape::Structure { members: &[("Size", "EphemeralStorageSize")], required: &["Size"] }),
        ("EphemeralStorageSize", Shape::Integer { min: Some(512), max: Some(10240) }),
        ("FileSystemArn", Shape::String { values: &[], min: Some(0), max: Some(200) }),
        ("FileSystemConfig", Shape::Structure { members: &[("Arn", "FileSystemArn"), ("LocalMountPath", "LocalMountPath")], required: &["Arn", "LocalMountPath"] }),
        ("FileSystemConfigList", Shape::List { member: "FileSystemConfig" }),
        ("FunctionArn", Shape::String { values: &[], min: None, max: None }),
        ("FunctionCodeLocation", Shape::Structure { members: &[("RepositoryType", "String"), ("Location", "String"), ("ImageUri", "String"), ("ResolvedImageUri", "String"), ("SourceKMSKeyArn", "String")], required: &[] }),
        ("FunctionConfiguration", Shape::Structure { members: &[("FunctionName", "NamespacedFunctionName"), ("FunctionArn", "NameSpacedFunctionArn"), ("Runtime", "Runtime"), ("Role", "RoleArn"), ("Handler", "Handler"), ("CodeSize", "Long"), ("Description", "Description"), ("Timeout", "Timeout"), ("MemorySize", "MemorySize"), ("LastModified", "Timestamp"), ("CodeSha256", "String"), ("Version", "Version"), ("VpcConfig", "VpcConfigResponse"), ("DeadLetterConfig", "DeadLetterConfig"), ("Environment", "EnvironmentResponse"), ("KMSKeyArn", "KMSKeyArn"), ("TracingConfig", "TracingConfigResponse"), ("MasterArn", "FunctionArn"), ("RevisionId", "String"), ("Layers", "LayersReferenceList"), ("State", "State"), ("StateReason", "StateReason"), ("StateReasonCode", "StateReasonCode"), ("LastUpdateStatus", "LastUpdateStatus"), ("LastUpdateStatusReason", "LastUpdateStatusReason"), ("LastUpdateStatusReasonCode", "LastUpdateStatusReasonCode"), ("FileSystemConfigs", "FileSystemConfigList"), ("PackageType", "PackageType"), ("ImageConfigResponse", "ImageConfigResponse"), ("SigningProfileVersionArn", "Arn"), ("SigningJobArn", "Arn"), ("Architectures", "ArchitecturesList"), ("EphemeralStorage", "EphemeralStorage"), ("SnapStart", "SnapStartResponse"), ("RuntimeVersionConfig", "RuntimeVersionConfig"), ("LoggingConfig", "LoggingConfig")], required: &[] }),
        ("GetFunctionResponse", Shape::Structure { members: &[("Configuration", "FunctionConfiguration"), ("Code", "FunctionCodeLocation"), ("Tags", "Tags"), ("TagsError", "TagsError"), ("Concurrency", "Concurrency")], required: &[] }),
        ("Handler", Shape::String { values: &[], min: Some(0), max: Some(128) }),
        ("ImageConfig", Shape::Structure { members: &[("EntryPoint", "StringList"), ("Command", "StringList"), ("WorkingDirectory", "WorkingDirectory")], required: &[] }),
        ("ImageConfigError", Shape::Structure { members: &[("ErrorCode", "String"), ("Message", "SensitiveString")], required: &[] }),
        ("ImageConfigResponse", Shape::Structure { members: &[("ImageConfig", "ImageConfig"), ("Error", "ImageConfigError")], required: &[] }),
        ("Integer", Shape::Integer { min: None, max: None }),
        ("InvocationResponse", Shape::Structure { members: &[("StatusCode", "Integer"), ("FunctionError", "String"), ("LogResult", "String"), ("Payload", "Blob"), ("ExecutedVersion", "Version")], required: &[] }),
        ("KMSKeyArn", Shape::String { values: &[], min: None, max: None }),
        ("LastUpdateStatus", Shape::String { values: &["Successful", "Failed", "InProgress"], min: None, max: None }),
        ("LastUpdateStatusReason", Shape::String { values: &[], min: None, max: None }),
        ("LastUpdateStatusReasonCode", Shape::String { values: &["EniLimitExceeded", "InsufficientRolePermissions", "InvalidConfiguration", "InternalError", "SubnetOutOfIPAddresses", "InvalidSubnet", "InvalidSecurityGroup", "ImageDeleted", "ImageAccessDenied", "InvalidImage", "KMSKeyAccessDenied", "KMSKeyNotFound", "InvalidStateKMSKey", "DisabledKMSKey", "EFSIOError", "EFSMountConnectivityError", "EFSMountFailure", "EFSMountTimeout", "InvalidRuntime", "InvalidZipFileException", "FunctionError"], min: None, max: None }),
        ("Layer", Shape::Structure { members: &[("Arn", "LayerVersionArn"), ("CodeSize", "Long"), ("SigningProfileVersionArn", "Arn"), ("SigningJobArn", "Arn")], required: &[] }),
        ("LayerVersionArn", Shape::String { values: &[], min: Some(1), max: Some(140) }),
        ("LayersReferenceList", Shape::List { member: "Layer" }),
        ("LocalMountPath", Shape::String { values: &[], min: Some(0), max: Some(160) }),
        ("LogFormat", Shape::String { values: &["JSON", "Text"], min: None, max: None }),
        ("LogGroup", Shape::String { values: &[], min: Some(1), max: Some(512) }),
        ("LoggingConfig", Shape::Structure { members: &[("LogFormat", "LogFormat"), ("ApplicationLogLevel", "ApplicationLogLevel"), ("SystemLogLevel", "SystemLogLevel"), ("LogGroup", "LogGroup")], required: &[] }),
        ("Long", Shape::Integer { min: None, max: None }),
        ("MemorySize", Shape::Integer { min: Some(128), max: Some(10240) }),
        ("NameSpacedFunctionArn", Shape::String { values: &[], min: None, max: None }),
        ("NamespacedFunctionName", Shape::String { values: &[], min: Some(1), max: Some(170) }),
        ("NullableBoolean", Shape::Boolean),
        ("PackageType", Shape::String { values: &["Zip", "Image"], min: None, max: None }),
        ("ReservedConcurrentExecutions", Shape::Integer { min: Some(0), max: None }),
        ("ResourceArn", Shape::String { values: &[], min: None, max: None }),
        ("RoleArn", Shape::String { values: &[], min: None, max: None }),
        ("Runtime", Shape::String { values: &["nodejs", "nodejs4.3", "nodejs6.10", "nodejs8.10", "nodejs10.x", "nodejs12.x", "nodejs14.x", "nodejs16.x", "java8", "java8.al2", "java11", "python2.7", "python3.6", "python3.7", "python3.8", "python3.9", "dotnetcore1.0", "dotnetcore2.0", "dotnetcore2.1", "dotnetcore3.1", "dotnet6", "dotnet8", "nodejs4.3-edge", "go1.x", "ruby2.5", "ruby2.7", "provided", "provided.al2", "nodejs18.x", "python3.10", "java17", "ruby3.2", "ruby3.3", "ruby3.4", "python3.11", "nodejs20.x", "provided.al2023", "python3.12", "java21", "python3.13", "nodejs22.x"], min: None, max: None }),
        ("RuntimeVersionArn", Shape::String { values: &[], min: Some(26), max: Some(2048) }),
        ("RuntimeVersionConfig", Shape::Structure { members: &[("RuntimeVersionArn", "RuntimeVersionArn"), ("Error", "RuntimeVersionError")], required: &[] }),
        ("RuntimeVersionError", Shape::Structure { members: &[("ErrorCode", "String"), ("Message", "SensitiveString")], required: &[] }),
        ("SecurityGroupId", Shape::String { values: &[], min: None, max: None }),
        ("SecurityGroupIds", Shape::List { member: "SecurityGroupId" }),
        ("SensitiveString", Shape::String { values: &[], min: None, max: None }),
        ("SnapStartApplyOn", Shape::String { values: &["PublishedVersions", "None"], min: None, max: None }),
        ("SnapStartOptimizationStatus", Shape::String { values: &["On", "Off"], min: None, max: None }),
        ("SnapStartResponse", Shape::Structure { members: &[("ApplyOn", "SnapStartApplyOn"), ("OptimizationStatus", "SnapStartOptimizationStatus")], required: &[] }),
        ("State", Shape::String { values: &["Pending", "Active", "Inactive", "Failed"], min: None, max: None }),
        ("StateReason", Shape::String { values: &[], min: None, max: None }),
        ("StateReasonCode", Shape::String { values: &["Idle", "Creating", "Restoring", "EniLimitExceeded", "InsufficientRolePermissions", "InvalidConfiguration", "InternalError", "SubnetOutOfIPAddresses", "InvalidSubnet", "InvalidSecurityGroup", "ImageDeleted", "ImageAccessDenied", "InvalidImage", "KMSKeyAccessDenied", "KMSKeyNotFound", "InvalidStateKMSKey", "DisabledKMSKey", "EFSIOError", "EFSMountConnectivityError", "EFSMountFailure", "EFSMountTimeout", "InvalidRuntime", "InvalidZipFileException", "FunctionError"], min: None, max: None }),
        ("String", Shape::String { values: &[], min: None, max: None }),
        ("StringList", Shape::List { member: "String" }),
        ("SubnetId", Shape::String { values: &[], min: None, max: None }),
        ("SubnetIds", Shape::List { member: "SubnetId" }),
        ("SystemLogLevel", Shape::String { values: &["DEBUG", "INFO", "WARN"], min: None, max: None }),
        ("TagValue", Shape::String { values: &[], min: None, max: None }),
        ("Tags", Shape::Map { value: "TagValue" }),
        ("TagsError", Shape::Structure { members: &[("ErrorCode", "TagsErrorCode"), ("Message", "TagsErrorMessage")], required: &["ErrorCode", "Message"] }),
        ("TagsErrorCode", Shape::String { values: &[], min: Some(10), max: Some(21) }),
        ("TagsErrorMessage", Shape::String { values: &[], min: Some(84), max: Some(1000) }),
        ("Timeout", Shape::Integer { min: Some(1), max: None }),
        ("Timestamp", Shape::String { values: &[], min: None, max: None }),
        ("TracingConfigResponse", Shape::Structure { members: &[("Mode", "TracingMode")], required: &[] }),
        ("TracingMode", Shape::String { values: &["Active", "PassThrough"], min: None, max: None }),
        ("Version", Shape::String { values: &[], min: Some(1), max: Some(1024) }),
        ("VpcConfigResponse", Shape::Structure { members: &[("SubnetIds", "SubnetIds"), ("SecurityGroupIds", "SecurityGroupIds"), ("VpcId", "VpcId"), ("Ipv6AllowedForDualStack", "NullableBoolean")], required: &[] }),
        ("VpcId", Shape::String { values: &[], min: None, max: None }),
        ("WorkingDirectory", Shape::String { values: &[], min: Some(0), max: Some(1000) }),
    ],
};

/// Amazon Simple Storage Service (`s3` 2006-03-01).
#[rustfmt::skip]
const S3: ApiModel = ApiModel {
    service: "s3",
    operations: &[
        ("GetObject", Some("GetObjectOutput")),
    ],
    shapes: &[
        ("AcceptRanges", Shape::String { values: &[], min: None, max: None }),
        ("Body", Shape::Blob { min: None, max: None }),
        ("BucketKeyEnabled", Shape::Boolean),
        ("CacheControl", Shape::String { values: &[], min: None, max: None }),
        ("ChecksumCRC32", Shape::String { values: &[], min: None, max: None }),
        ("ChecksumCRC32C", Shape::String { values: &[], min: None, max: None }),
        ("ChecksumCRC64NVME", Shape::String { values: &[], min: None, max: None }),
        ("ChecksumSHA1", Shape::String { values: &[], min: None, max: None }),
        ("ChecksumSHA256", Shape::String { values: &[], min: None, max: None }),
        ("ChecksumType", Shape::String { values: &["COMPOSITE", "FULL_OBJECT"], min: None, max: None }),
        ("ContentDisposition", Shape::String { values: &[], min: None, max: None }),
        ("ContentEncoding", Shape::String { values: &[], min: None, max: None }),
        ("ContentLanguage", Shape::String { values: &[], min: None, max: None }),
        ("ContentLength", Shape::Integer { min: None, max: None }),
        ("ContentRange", Shape::String { values: &[], min: None, max: None }),
        ("ContentType", Shape::String { values: &[], min: None, max: None }),
        ("DeleteMarker", Shape::Boolean),
        ("ETag", Shape::String { values: &[], min: None, max: None }),
        ("Expiration", Shape::String { values: &[], min: None, max: None }),
        ("Expires", Shape::Timestamp),
        ("GetObjectOutput", Shape::Structure { members: &[("Body", "Body"), ("DeleteMarker", "DeleteMarker"), ("AcceptRanges", "AcceptRanges"), ("Expiration", "Expiration"), ("Restore", "Restore"), ("LastModified", "LastModified"), ("ContentLength", "ContentLength"), ("ETag", "ETag"), ("ChecksumCRC32", "ChecksumCRC32"), ("ChecksumCRC32C", "ChecksumCRC32C"), ("ChecksumCRC64NVME", "ChecksumCRC64NVME"), ("ChecksumSHA1", "ChecksumSHA1"), ("ChecksumSHA256", "ChecksumSHA256"), ("ChecksumType", "ChecksumType"), ("MissingMeta", "MissingMeta"), ("VersionId", "ObjectVersionId"), ("CacheControl", "CacheControl"), ("ContentDisposition", "ContentDisposition"), ("ContentEncoding", "ContentEncoding"), ("ContentLanguage", "ContentLanguage"), ("ContentRange", "ContentRange"), ("ContentType", "ContentType"), ("Expires", "Expires"), ("WebsiteRedirectLocation", "WebsiteRedirectLocation"), ("ServerSideEncryption", "ServerSideEncryption"), ("Metadata", "Metadata"), ("SSECustomerAlgorithm", "SSECustomerAlgorithm"), ("SSECustomerKeyMD5", "SSECustomerKeyMD5"), ("SSEKMSKeyId", "SSEKMSKeyId"), ("BucketKeyEnabled", "BucketKeyEnabled"), ("StorageClass", "StorageClass"), ("RequestCharged", "RequestCharged"), ("ReplicationStatus", "ReplicationStatus"), ("PartsCount", "PartsCount"), ("TagCount", "TagCount"), ("ObjectLockMode", "ObjectLockMode"), ("ObjectLockRetainUntilDate", "ObjectLockRetainUntilDate"), ("ObjectLockLegalHoldStatus", "ObjectLockLegalHoldStatus")], required: &[] }),
        ("LastModified", Shape::Timestamp),
        ("Metadata", Shape::Map { value: "MetadataValue" }),
        ("MetadataValue", Shape::String { values: &[], min: None, max: None }),
        ("MissingMeta", Shape::Integer { min: None, max: None }),
        ("ObjectLockLegalHoldStatus", Shape::String { values: &["ON", "OFF"], min: None, max: None }),
        ("ObjectLockMode", Shape::String { values: &["GOVERNANCE", "COMPLIANCE"], min: None, max: None }),
        ("ObjectLockRetainUntilDate", Shape::Timestamp),
        ("ObjectVersionId", Shape::String { values: &[], min: None, max: None }),
        ("PartsCount", Shape::Integer { min: None, max: None }),
        ("ReplicationStatus", Shape::String { values: &["COMPLETE", "PENDING", "FAILED", "REPLICA", "COMPLETED"], min: None, max: None }),
        ("RequestCharged", Shape::String { values: &["requester"], min: None, max: None }),
        ("Restore", Shape::String { values: &[], min: None, max: None }),
        ("SSECustomerAlgorithm", Shape::String { values: &[], min: None, max: None }),
        ("SSECustomerKeyMD5", Shape::String { values: &[], min: None, max: None }),
        ("SSEKMSKeyId", Shape::String { values: &[], min: None, max: None }),
        ("ServerSideEncryption", Shape::String { values: &["AES256", "aws:fsx", "aws:kms", "aws:kms:dsse"], min: None, max: None }),
        ("StorageClass", Shape::String { values: &["STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER", "DEEP_ARCHIVE", "OUTPOSTS", "GLACIER_IR", "SNOW", "EXPRESS_ONEZONE", "FSX_OPENZFS"], min: None, max: None }),
        ("TagCount", Shape::Integer { min: None, max: None }),
        ("WebsiteRedirectLocation", Shape::String { values: &[], min: None, max: None }),
    ],
};

/// AWS Step Functions (`stepfunctions` 2016-11-23).
#[rustfmt::skip]
const STEPFUNCTIONS: ApiModel = ApiModel {
    service: "stepfunctions",
    operations: &[
        ("StartExecution", Some("StartExecutionOutput")),
    ],
    shapes: &[
        ("Arn", Shape::String { values: &[], min: Some(1), max: Some(256) }),
        ("StartExecutionOutput", Shape::Structure { members: &[("ExecutionArn", "Arn"), ("StartDate", "Timestamp")], required: &["ExecutionArn", "StartDate"] }),
        ("Timestamp", Shape::Timestamp),
    ],
};

/// Every service model above, by botocore service name.
#[rustfmt::skip]
const MODELS: &[ApiModel] = &[DYNAMODB, EVENTS, KMS, LAMBDA, S3, STEPFUNCTIONS];

#[cfg(test)]
mod tests {
    use super::{MODELS, Shape};

    #[test]
    fn every_shape_is_found_and_every_reference_resolves() {
        for model in MODELS {
            let names: Vec<&str> = model.shapes.iter().map(|(n, _)| *n).collect();
            assert!(
                names.windows(2).all(|w| w[0] < w[1]),
                "{}: shapes not sorted",
                model.service
            );
            for (op, out) in model.operations {
                if let Some(out) = out {
                    assert!(model.shape(out).is_some(), "{}.{op}: {out}", model.service);
                }
            }
            for (name, shape) in model.shapes {
                let refs: Vec<&str> = match shape {
                    Shape::Structure { members, required } => {
                        for r in *required {
                            assert!(members.iter().any(|(m, _)| m == r), "{name}: {r}");
                        }
                        members.iter().map(|(_, s)| *s).collect()
                    }
                    Shape::List { member } => vec![member],
                    Shape::Map { value } => vec![value],
                    _ => Vec::new(),
                };
                for r in refs {
                    assert!(model.shape(r).is_some(), "{}: {name} -> {r}", model.service);
                }
            }
        }
    }
}
