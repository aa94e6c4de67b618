# What `invoke deploy` (terraform apply of the stack) and `invoke publish` need, scoped to resources
# named with the stack's prefix, tagged with its `stack` tag, or named exactly (the distribution and
# the KeyValueStore the administrator's first apply created). The role can never change itself,
# the OIDC trust or the boundary, and every role it creates or changes carries the boundary.

locals {
  arn = {
    functions   = "arn:${local.partition}:lambda:*:${local.account}:function:${local.prefix}-*"
    roles       = "arn:${local.partition}:iam::${local.account}:role/${local.prefix}-*"
    self        = "arn:${local.partition}:iam::${local.account}:role/${local.role_name}"
    tables      = "arn:${local.partition}:dynamodb:*:${local.account}:table/${local.prefix}-*"
    queues      = "arn:${local.partition}:sqs:*:${local.account}:${local.prefix}-*"
    topics      = "arn:${local.partition}:sns:*:${local.account}:${local.prefix}-*"
    alarms      = "arn:${local.partition}:cloudwatch:*:${local.account}:alarm:${local.prefix}-*"
    dashboard   = "arn:${local.partition}:cloudwatch::${local.account}:dashboard/${local.prefix}"
    lambda_logs = "arn:${local.partition}:logs:*:${local.account}:log-group:/aws/lambda/${local.prefix}-*"
    api_logs    = "arn:${local.partition}:logs:*:${local.account}:log-group:/aws/apigateway/${local.prefix}-*"
    buckets     = "arn:${local.partition}:s3:::${local.prefix}-*"
    aliases     = "arn:${local.partition}:kms:*:${local.account}:alias/${local.prefix}-*"
    apigateway  = "arn:${local.partition}:apigateway:*::"
    cloudfront  = "arn:${local.partition}:cloudfront::${local.account}"
    certs       = "arn:${local.partition}:acm:*:${local.account}:certificate/*"
    web_acls    = "arn:${local.partition}:wafv2:us-east-1:${local.account}:global/*/${local.prefix}-*/*"
    managed_rs  = "arn:${local.partition}:wafv2:us-east-1:${local.account}:global/managedruleset/*/*"
    state       = "arn:${local.partition}:s3:::${var.state_bucket}"
    # The analytics module's Firehose error log.
    stream_logs     = "arn:${local.partition}:logs:*:${local.account}:log-group:/aws/kinesisfirehose/${local.prefix}-*"
    event_buses     = "arn:${local.partition}:events:*:${local.account}:event-bus/${local.prefix}-*"
    event_rules     = "arn:${local.partition}:events:*:${local.account}:rule/${local.prefix}-*"
    streams         = "arn:${local.partition}:firehose:*:${local.account}:deliverystream/${local.prefix}-*"
    glue_catalog    = "arn:${local.partition}:glue:*:${local.account}:catalog"
    glue_databases  = "arn:${local.partition}:glue:*:${local.account}:database/${local.glue_prefix}_*"
    glue_tables     = "arn:${local.partition}:glue:*:${local.account}:table/${local.glue_prefix}_*/*"
    workgroups      = "arn:${local.partition}:athena:*:${local.account}:workgroup/${local.prefix}-*"
    schedule_groups = "arn:${local.partition}:scheduler:*:${local.account}:schedule-group/${local.prefix}-*"
    schedules       = "arn:${local.partition}:scheduler:*:${local.account}:schedule/${local.prefix}-*/*"
    # The demo's tokens (<prefix>/demo/...) and the API's origin secret (<prefix>-api-origin-secret);
    # Secrets Manager appends six random characters to every name.
    secrets       = "arn:${local.partition}:secretsmanager:*:${local.account}:secret:${local.prefix}/*"
    named_secrets = "arn:${local.partition}:secretsmanager:*:${local.account}:secret:${local.prefix}-*"
    origin_secret = "arn:${local.partition}:secretsmanager:*:${local.account}:secret:${local.prefix}-api-origin-secret-??????"
  }
  # The partition of the site lock item (LOCK_PARTITION in cloudfolio/publish/lock.py).
  publish_lock_partition = "PUBLISH#LOCK"
  # Glue names allow no hyphen: the analytics database is <prefix with underscores>_analytics.
  glue_prefix = replace(local.prefix, "-", "_")
  # Every service a stack role trusts, and so the only ones the deploy role may hand one to.
  role_services = [
    "lambda.amazonaws.com", "edgelambda.amazonaws.com", "events.amazonaws.com",
    "firehose.amazonaws.com", "scheduler.amazonaws.com",
  ]
}

data "aws_iam_policy_document" "deploy" {
  # Never edit the boundary, never remove one from any role.
  source_policy_documents = [data.aws_iam_policy_document.protect_boundaries.json]

  statement {
    sid       = "ReadWriteOwnState"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${local.arn.state}/${var.state_key_prefix}*"]
  }

  statement {
    sid       = "ListOwnState"
    actions   = ["s3:ListBucket"]
    resources = [local.arn.state]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${var.state_key_prefix}*"]
    }
  }

  statement {
    sid       = "PublishReleases"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${var.site_bucket_arn}/*"]
  }

  statement {
    sid = "ManageStackBuckets"
    actions = [
      "s3:CreateBucket", "s3:DeleteBucket", "s3:ListBucket", "s3:ListBucketVersions",
      "s3:GetBucket*", "s3:PutBucket*", "s3:DeleteBucketPolicy",
      "s3:GetAccelerateConfiguration", "s3:GetEncryptionConfiguration", "s3:PutEncryptionConfiguration",
      "s3:GetLifecycleConfiguration", "s3:PutLifecycleConfiguration", "s3:GetReplicationConfiguration",
    ]
    resources = [local.arn.buckets]
  }

  # The one object publish writes outside the site bucket; HeadObject (GetObject) skips an unchanged PDF.
  statement {
    sid       = "PublishResume"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = [var.resume_object_arn]
  }

  # The site lock (cloudfolio/publish/lock.py): one item of the ephemeral table, and no other.
  dynamic "statement" {
    for_each = var.lock_table_arn == null ? [] : [var.lock_table_arn]
    content {
      sid       = "HoldThePublishLock"
      actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"]
      resources = [statement.value]
      condition {
        test     = "ForAllValues:StringEquals"
        variable = "dynamodb:LeadingKeys"
        values   = [local.publish_lock_partition]
      }
    }
  }

  dynamic "statement" {
    for_each = var.kvs_arn == null ? [] : [var.kvs_arn]
    content {
      sid       = "SwitchLiveRelease"
      actions   = ["cloudfront-keyvaluestore:DescribeKeyValueStore", "cloudfront-keyvaluestore:GetKey", "cloudfront-keyvaluestore:PutKey", "cloudfront-keyvaluestore:DeleteKey", "cloudfront-keyvaluestore:ListKeys"]
      resources = [statement.value]
    }
  }

  statement {
    sid = "ManageStackFunctions"
    actions = [
      "lambda:CreateFunction", "lambda:DeleteFunction", "lambda:GetFunction", "lambda:GetFunctionConfiguration",
      "lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration", "lambda:ListVersionsByFunction",
      "lambda:PublishVersion", "lambda:GetFunctionCodeSigningConfig", "lambda:GetFunctionConcurrency",
      "lambda:PutFunctionConcurrency", "lambda:DeleteFunctionConcurrency", "lambda:AddPermission",
      "lambda:RemovePermission", "lambda:GetPolicy", "lambda:TagResource", "lambda:UntagResource",
      "lambda:ListTags", "lambda:EnableReplication*", "lambda:DisableReplication*",
      "lambda:PutFunctionEventInvokeConfig", "lambda:GetFunctionEventInvokeConfig",
      "lambda:UpdateFunctionEventInvokeConfig", "lambda:DeleteFunctionEventInvokeConfig",
    ]
    resources = [local.arn.functions, "${local.arn.functions}:*"]
  }

  statement {
    sid = "ManageStackRoles"
    actions = [
      "iam:GetRole", "iam:DeleteRole", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:TagRole",
      "iam:UntagRole", "iam:GetRolePolicy", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies",
      "iam:ListInstanceProfilesForRole",
    ]
    resources = [local.arn.roles]
  }

  # What a role may do changes only with the module's boundary on it. Trust policies of stack
  # roles (UpdateAssumeRolePolicy cannot be tied to a boundary) change only by an administrator.
  statement {
    sid = "ChangeStackRolesWithinTheBoundary"
    actions = [
      "iam:CreateRole", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:AttachRolePolicy",
      "iam:DetachRolePolicy", "iam:PutRolePermissionsBoundary",
    ]
    resources = [local.arn.roles]
    condition {
      test     = "StringEquals"
      variable = "iam:PermissionsBoundary"
      values   = [local.boundary_arn]
    }
  }

  statement {
    sid       = "ReadTheBoundary"
    actions   = ["iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListPolicyVersions"]
    resources = [local.boundary_arn]
  }

  statement {
    sid       = "PassStackRolesToTheirServices"
    actions   = ["iam:PassRole"]
    resources = [local.arn.roles]
    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = local.role_services
    }
  }

  statement {
    sid       = "ManageStackTables"
    actions   = ["dynamodb:CreateTable", "dynamodb:DeleteTable", "dynamodb:DescribeTable", "dynamodb:UpdateTable", "dynamodb:DescribeTimeToLive", "dynamodb:UpdateTimeToLive", "dynamodb:DescribeContinuousBackups", "dynamodb:UpdateContinuousBackups", "dynamodb:ListTagsOfResource", "dynamodb:TagResource", "dynamodb:UntagResource"]
    resources = [local.arn.tables]
  }

  statement {
    sid       = "ManageStackLogs"
    actions   = ["logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:PutRetentionPolicy", "logs:ListTagsForResource", "logs:TagResource", "logs:UntagResource", "logs:CreateLogDelivery"]
    resources = [local.arn.lambda_logs, local.arn.api_logs, local.arn.stream_logs]
  }

  # Firehose writes its delivery errors into a stream Terraform creates; Lambda makes its own.
  statement {
    sid       = "ManageStackLogStreams"
    actions   = ["logs:CreateLogStream", "logs:DeleteLogStream", "logs:DescribeLogStreams"]
    resources = [local.arn.stream_logs]
  }

  statement {
    sid = "ManageStackEvents"
    actions = [
      "events:CreateEventBus", "events:DescribeEventBus", "events:UpdateEventBus", "events:DeleteEventBus",
      "events:PutRule", "events:DescribeRule", "events:DeleteRule", "events:EnableRule", "events:DisableRule",
      "events:PutTargets", "events:RemoveTargets", "events:ListTargetsByRule",
      "events:ListTagsForResource", "events:TagResource", "events:UntagResource",
    ]
    resources = [local.arn.event_buses, local.arn.event_rules]
  }

  statement {
    sid = "ManageStackDeliveryStreams"
    actions = [
      "firehose:CreateDeliveryStream", "firehose:DeleteDeliveryStream", "firehose:DescribeDeliveryStream",
      "firehose:UpdateDestination", "firehose:StartDeliveryStreamEncryption", "firehose:StopDeliveryStreamEncryption",
      "firehose:ListTagsForDeliveryStream", "firehose:TagDeliveryStream", "firehose:UntagDeliveryStream",
    ]
    resources = [local.arn.streams]
  }

  # Glue authorises every database and table call on the account's catalog as well: the catalog
  # is named exactly, and the database and table ARNs carry the prefix, so both must match.
  statement {
    sid = "ManageStackCatalog"
    actions = [
      "glue:CreateDatabase", "glue:GetDatabase", "glue:UpdateDatabase", "glue:DeleteDatabase",
      "glue:CreateTable", "glue:GetTable", "glue:UpdateTable", "glue:DeleteTable", "glue:GetPartitionIndexes",
      "glue:GetTags", "glue:TagResource", "glue:UntagResource",
    ]
    resources = [local.arn.glue_catalog, local.arn.glue_databases, local.arn.glue_tables]
  }

  # Named queries are authorised on their workgroup.
  statement {
    sid = "ManageStackWorkgroups"
    actions = [
      "athena:CreateWorkGroup", "athena:GetWorkGroup", "athena:UpdateWorkGroup", "athena:DeleteWorkGroup",
      "athena:CreateNamedQuery", "athena:GetNamedQuery", "athena:UpdateNamedQuery", "athena:DeleteNamedQuery",
      "athena:BatchGetNamedQuery", "athena:ListNamedQueries",
      "athena:ListTagsForResource", "athena:TagResource", "athena:UntagResource",
    ]
    resources = [local.arn.workgroups]
  }

  statement {
    sid = "ManageStackSchedules"
    actions = [
      "scheduler:CreateScheduleGroup", "scheduler:GetScheduleGroup", "scheduler:DeleteScheduleGroup",
      "scheduler:CreateSchedule", "scheduler:GetSchedule", "scheduler:UpdateSchedule", "scheduler:DeleteSchedule",
      "scheduler:ListTagsForResource", "scheduler:TagResource", "scheduler:UntagResource",
    ]
    resources = [local.arn.schedule_groups, local.arn.schedules]
  }

  # Secrets are created empty: the demo's token values are set outside Terraform and the role
  # cannot read them.
  statement {
    sid = "ManageStackSecrets"
    actions = [
      "secretsmanager:CreateSecret", "secretsmanager:DescribeSecret", "secretsmanager:UpdateSecret",
      "secretsmanager:DeleteSecret", "secretsmanager:GetResourcePolicy",
      "secretsmanager:TagResource", "secretsmanager:UntagResource",
    ]
    resources = [local.arn.secrets, local.arn.named_secrets]
  }

  # The one value Terraform generates and keeps (CloudFront sends it with every /api request).
  statement {
    sid       = "SetOriginSecretValue"
    actions   = ["secretsmanager:PutSecretValue", "secretsmanager:GetSecretValue"]
    resources = [local.arn.origin_secret]
  }

  statement {
    sid       = "ManageStackQueuesAndTopics"
    actions   = ["sqs:CreateQueue", "sqs:DeleteQueue", "sqs:GetQueueAttributes", "sqs:SetQueueAttributes", "sqs:ListQueueTags", "sqs:TagQueue", "sqs:UntagQueue", "sns:CreateTopic", "sns:DeleteTopic", "sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:Subscribe", "sns:Unsubscribe", "sns:GetSubscriptionAttributes", "sns:ListTagsForResource", "sns:TagResource", "sns:UntagResource"]
    resources = [local.arn.queues, local.arn.topics]
  }

  statement {
    sid       = "ManageStackAlarms"
    actions   = ["cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms", "cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource", "cloudwatch:TagResource", "cloudwatch:UntagResource", "cloudwatch:PutDashboard", "cloudwatch:GetDashboard", "cloudwatch:DeleteDashboards"]
    resources = [local.arn.alarms, local.arn.dashboard]
  }

  # A new key has no alias and no tag the role could be trusted to set (tagging at creation needs
  # kms:TagResource on every key, which would let it adopt any key). So the role creates keys
  # untagged and manages them through their key policy, which names it (the monitoring module's
  # deploy_role_arn); no IAM statement reaches any key.
  statement {
    sid       = "CreateKeys"
    actions   = ["kms:CreateKey"]
    resources = ["*"]
  }

  statement {
    sid       = "ManageStackKeyAliases"
    actions   = ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"]
    resources = [local.arn.aliases]
  }

  # HTTP API ids are random: APIs and custom domains are created with the stack tag and managed
  # only while they carry it (child resources are authorised with their API's tags).
  statement {
    sid       = "CreateStackApis"
    actions   = ["apigateway:POST"]
    resources = ["${local.arn.apigateway}/apis", "${local.arn.apigateway}/domainnames"]
    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/stack"
      values   = [local.prefix]
    }
  }

  statement {
    sid       = "ManageStackApis"
    actions   = ["apigateway:GET", "apigateway:POST", "apigateway:PUT", "apigateway:PATCH", "apigateway:DELETE"]
    resources = ["${local.arn.apigateway}/apis/*", "${local.arn.apigateway}/domainnames/*", "${local.arn.apigateway}/tags/*"]
    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/stack"
      values   = [local.prefix]
    }
  }

  statement {
    sid = "ManageStackEdgeFunctions"
    actions = [
      "cloudfront:CreateFunction", "cloudfront:DescribeFunction", "cloudfront:GetFunction", "cloudfront:UpdateFunction",
      "cloudfront:PublishFunction", "cloudfront:DeleteFunction", "cloudfront:TestFunction",
    ]
    resources = ["${local.arn.cloudfront}:function/${local.prefix}-*"]
  }

  dynamic "statement" {
    for_each = var.distribution_arn == null ? [] : [var.distribution_arn]
    content {
      sid = "ManageStackDistribution"
      actions = [
        "cloudfront:GetDistribution", "cloudfront:GetDistributionConfig", "cloudfront:UpdateDistribution",
        "cloudfront:ListTagsForResource", "cloudfront:TagResource", "cloudfront:UntagResource",
      ]
      resources = [statement.value]
    }
  }

  dynamic "statement" {
    for_each = var.kvs_arn == null ? [] : [var.kvs_arn]
    content {
      sid       = "ManageStackKeyValueStore"
      actions   = ["cloudfront:DescribeKeyValueStore", "cloudfront:UpdateKeyValueStore"]
      resources = [statement.value]
    }
  }

  # Cache, origin-access, origin-request and response-headers policies have random ids and no tags: the role may
  # read them (plans refresh them) and an administrator changes them.
  statement {
    sid = "ReadEdgePolicies"
    actions = [
      "cloudfront:GetCachePolicy", "cloudfront:GetOriginAccessControl", "cloudfront:GetOriginRequestPolicy",
      "cloudfront:GetResponseHeadersPolicy",
    ]
    resources = [
      "${local.arn.cloudfront}:cache-policy/*",
      "${local.arn.cloudfront}:origin-access-control/*",
      "${local.arn.cloudfront}:origin-request-policy/*",
      "${local.arn.cloudfront}:response-headers-policy/*",
    ]
  }

  statement {
    sid       = "ManageStackCertificates"
    actions   = ["acm:RequestCertificate", "acm:DescribeCertificate", "acm:DeleteCertificate", "acm:ListTagsForCertificate", "acm:AddTagsToCertificate"]
    resources = [local.arn.certs]
  }

  statement {
    sid       = "ManageStackWebAcl"
    actions   = ["wafv2:CreateWebACL", "wafv2:GetWebACL", "wafv2:UpdateWebACL", "wafv2:DeleteWebACL", "wafv2:ListTagsForResource", "wafv2:TagResource"]
    resources = [local.arn.web_acls, local.arn.managed_rs]
  }

  dynamic "statement" {
    for_each = var.route53_zone_id == null ? [] : [var.route53_zone_id]
    content {
      sid       = "ManageStackRecords"
      actions   = ["route53:GetHostedZone", "route53:ListResourceRecordSets", "route53:ChangeResourceRecordSets"]
      resources = ["arn:${local.partition}:route53:::hostedzone/${statement.value}"]
    }
  }

  dynamic "statement" {
    for_each = var.route53_zone_id == null ? [] : [1]
    content {
      sid       = "WatchRecordChanges"
      actions   = ["route53:GetChange"]
      resources = ["arn:${local.partition}:route53:::change/*"]
    }
  }

  # The role must not widen its own permissions or its trust.
  statement {
    sid       = "NeverChangeItself"
    effect    = "Deny"
    actions   = ["iam:*"]
    resources = [local.arn.self]
  }
}

resource "aws_iam_role_policy" "deploy" {
  name   = "deploy-and-publish"
  role   = aws_iam_role.deploy.id
  policy = data.aws_iam_policy_document.deploy.json
}

# Read-only calls that have no resource-level permissions in IAM (AWS requires "*" for them).
data "aws_iam_policy_document" "describe" {
  statement {
    sid = "DescribeOnly"
    actions = [
      "sts:GetCallerIdentity", "logs:DescribeLogGroups", "kms:ListAliases",
      "cloudfront:ListDistributions", "acm:ListCertificates", "lambda:ListFunctions",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "describe" {
  name   = "describe-only"
  role   = aws_iam_role.deploy.id
  policy = data.aws_iam_policy_document.describe.json
}
