# What `invoke deploy` (terraform apply of the stack) and `invoke publish` need, scoped to resources
# named with the stack's prefix. The role can never change itself or the OIDC trust.

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
    keys        = "arn:${local.partition}:kms:*:${local.account}:key/*"
    aliases     = "arn:${local.partition}:kms:*:${local.account}:alias/${local.prefix}-*"
    apis        = "arn:${local.partition}:apigateway:*::/*"
    cloudfront  = "arn:${local.partition}:cloudfront::${local.account}:*"
    certs       = "arn:${local.partition}:acm:*:${local.account}:certificate/*"
    web_acls    = "arn:${local.partition}:wafv2:us-east-1:${local.account}:global/*/${local.prefix}-*/*"
    managed_rs  = "arn:${local.partition}:wafv2:us-east-1:${local.account}:global/managedruleset/*/*"
    state       = "arn:${local.partition}:s3:::${var.state_bucket}"
  }
}

data "aws_iam_policy_document" "deploy" {
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

  dynamic "statement" {
    for_each = var.kvs_arn == null ? [] : [var.kvs_arn]
    content {
      sid       = "SwitchLiveRelease"
      actions   = ["cloudfront-keyvaluestore:DescribeKeyValueStore", "cloudfront-keyvaluestore:GetKey", "cloudfront-keyvaluestore:PutKey", "cloudfront-keyvaluestore:ListKeys"]
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
    ]
    resources = [local.arn.functions, "${local.arn.functions}:*"]
  }

  statement {
    sid = "ManageStackRoles"
    actions = [
      "iam:CreateRole", "iam:DeleteRole", "iam:GetRole", "iam:UpdateRole", "iam:UpdateAssumeRolePolicy",
      "iam:TagRole", "iam:UntagRole", "iam:PutRolePolicy", "iam:GetRolePolicy", "iam:DeleteRolePolicy",
      "iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole",
    ]
    resources = [local.arn.roles]
  }

  statement {
    sid       = "PassStackRolesToLambda"
    actions   = ["iam:PassRole"]
    resources = [local.arn.roles]
    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["lambda.amazonaws.com", "edgelambda.amazonaws.com"]
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
    resources = [local.arn.lambda_logs, local.arn.api_logs]
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

  # Key ids are random, so keys are scoped by the `stack` tag every stack resource carries
  # (a fresh key has no alias yet, so an alias condition would lock the deploy out of it).
  statement {
    sid       = "ManageStackKeys"
    actions   = ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags", "kms:PutKeyPolicy", "kms:EnableKeyRotation", "kms:ScheduleKeyDeletion", "kms:TagResource", "kms:CreateAlias", "kms:DeleteAlias"]
    resources = [local.arn.keys]
    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/stack"
      values   = [local.prefix]
    }
  }

  statement {
    sid       = "ManageStackKeyAliases"
    actions   = ["kms:CreateAlias", "kms:DeleteAlias"]
    resources = [local.arn.aliases]
  }

  statement {
    sid       = "CreateTaggedKeys"
    actions   = ["kms:CreateKey", "kms:TagResource"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/stack"
      values   = [local.prefix]
    }
  }

  statement {
    sid       = "ManageStackApis"
    actions   = ["apigateway:GET", "apigateway:POST", "apigateway:PUT", "apigateway:PATCH", "apigateway:DELETE", "apigateway:TagResource"]
    resources = [local.arn.apis]
  }

  statement {
    sid = "ManageStackEdge"
    actions = [
      "cloudfront:CreateDistribution", "cloudfront:UpdateDistribution", "cloudfront:DeleteDistribution", "cloudfront:GetDistribution",
      "cloudfront:TagResource", "cloudfront:ListTagsForResource", "cloudfront:CreateOriginAccessControl",
      "cloudfront:GetOriginAccessControl", "cloudfront:UpdateOriginAccessControl", "cloudfront:DeleteOriginAccessControl",
      "cloudfront:CreateCachePolicy", "cloudfront:GetCachePolicy", "cloudfront:UpdateCachePolicy", "cloudfront:DeleteCachePolicy",
      "cloudfront:CreateResponseHeadersPolicy", "cloudfront:GetResponseHeadersPolicy", "cloudfront:UpdateResponseHeadersPolicy",
      "cloudfront:DeleteResponseHeadersPolicy", "cloudfront:CreateFunction", "cloudfront:DescribeFunction", "cloudfront:GetFunction",
      "cloudfront:UpdateFunction", "cloudfront:PublishFunction", "cloudfront:DeleteFunction", "cloudfront:CreateKeyValueStore",
      "cloudfront:DescribeKeyValueStore", "cloudfront:UpdateKeyValueStore", "cloudfront:DeleteKeyValueStore",
    ]
    resources = [local.arn.cloudfront]
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
