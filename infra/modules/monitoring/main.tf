data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  region     = data.aws_region.current.name
}

# Alarm notifications are encrypted with a key CloudWatch may use (the AWS-managed SNS key cannot
# be granted to CloudWatch, so alarms would silently fail to publish).
resource "aws_kms_key" "alarms" {
  description             = "${var.name_prefix} alarm notifications"
  enable_key_rotation     = true
  deletion_window_in_days = 7
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat([
      {
        Sid       = "AccountAdministers"
        Effect    = "Allow"
        Principal = { AWS = "arn:${data.aws_partition.current.partition}:iam::${local.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      # The deploy role reaches stack keys only through their key policies (see the ci module).
      ], var.deploy_role_arn == null ? [] : [{
        Sid       = "DeployRoleAdministers"
        Effect    = "Allow"
        Principal = { AWS = var.deploy_role_arn }
        Action    = "kms:*"
        Resource  = "*"
      }], [
      {
        Sid       = "CloudWatchPublishes"
        Effect    = "Allow"
        Principal = { Service = "cloudwatch.amazonaws.com" }
        Action    = ["kms:Decrypt", "kms:GenerateDataKey*"]
        Resource  = "*"
        Condition = { StringEquals = { "aws:SourceAccount" = local.account_id } }
      },
    ])
  })
  # No tags: tagging at creation needs kms:TagResource on every key, which the deploy role must
  # not have. The alias names the key's stack.
}

resource "aws_kms_alias" "alarms" {
  name          = "alias/${var.name_prefix}-alarms"
  target_key_id = aws_kms_key.alarms.key_id
}

resource "aws_sns_topic" "alarms" {
  name              = "${var.name_prefix}-alarms"
  kms_master_key_id = aws_kms_key.alarms.arn
  tags              = var.tags
}

resource "aws_sns_topic_policy" "alarms" {
  arn = aws_sns_topic.alarms.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "CloudWatchPublishes"
        Effect    = "Allow"
        Principal = { Service = "cloudwatch.amazonaws.com" }
        Action    = "sns:Publish"
        Resource  = aws_sns_topic.alarms.arn
        Condition = { StringEquals = { "aws:SourceAccount" = local.account_id } }
      },
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*"
        Action    = "sns:Publish"
        Resource  = aws_sns_topic.alarms.arn
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
    ]
  })
}

resource "aws_sns_topic_subscription" "email" {
  count = var.alarm_email == null ? 0 : 1

  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

locals {
  lambda_alarms = merge([
    for handler, function_name in var.function_names : {
      "${handler}-errors"    = { function = function_name, metric = "Errors" }
      "${handler}-throttles" = { function = function_name, metric = "Throttles" }
    }
  ]...)
}

resource "aws_cloudwatch_metric_alarm" "lambda" {
  for_each = local.lambda_alarms

  alarm_name          = "${var.name_prefix}-${each.key}"
  alarm_description   = "${each.value.metric} in ${each.value.function}"
  namespace           = "AWS/Lambda"
  metric_name         = each.value.metric
  dimensions          = { FunctionName = each.value.function }
  statistic           = "Sum"
  period              = var.period_seconds
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "api_5xx" {
  alarm_name          = "${var.name_prefix}-api-5xx"
  alarm_description   = "The API answers with server errors"
  namespace           = "AWS/ApiGateway"
  metric_name         = "5xx"
  dimensions          = { ApiId = var.api_id, Stage = var.api_stage }
  statistic           = "Sum"
  period              = var.period_seconds
  evaluation_periods  = 1
  threshold           = var.api_5xx_threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "api_latency" {
  alarm_name          = "${var.name_prefix}-api-latency-p95"
  alarm_description   = "p95 API latency above ${var.api_latency_p95_ms} ms"
  namespace           = "AWS/ApiGateway"
  metric_name         = "Latency"
  dimensions          = { ApiId = var.api_id, Stage = var.api_stage }
  extended_statistic  = "p95"
  period              = var.period_seconds
  evaluation_periods  = 3
  datapoints_to_alarm = 2
  threshold           = var.api_latency_p95_ms
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "table_throttles" {
  for_each = toset(["ReadThrottleEvents", "WriteThrottleEvents"])

  alarm_name          = "${var.name_prefix}-table-${lower(each.key)}"
  alarm_description   = "${each.key} on ${var.table_name}"
  namespace           = "AWS/DynamoDB"
  metric_name         = each.key
  dimensions          = { TableName = var.table_name }
  statistic           = "Sum"
  period              = var.period_seconds
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
  tags                = var.tags
}

resource "aws_cloudwatch_dashboard" "main" {
  dashboard_name = var.name_prefix
  dashboard_body = jsonencode({
    widgets = [
      {
        type = "metric", x = 0, y = 0, width = 12, height = 6
        properties = {
          title  = "Lambda invocations, errors, throttles"
          region = local.region
          stat   = "Sum"
          period = var.period_seconds
          metrics = flatten([
            for handler, function_name in var.function_names : [
              ["AWS/Lambda", "Invocations", "FunctionName", function_name],
              ["AWS/Lambda", "Errors", "FunctionName", function_name],
              ["AWS/Lambda", "Throttles", "FunctionName", function_name],
            ]
          ])
        }
      },
      {
        type = "metric", x = 12, y = 0, width = 12, height = 6
        properties = {
          title  = "Lambda duration p95"
          region = local.region
          stat   = "p95"
          period = var.period_seconds
          metrics = [
            for handler, function_name in var.function_names :
            ["AWS/Lambda", "Duration", "FunctionName", function_name]
          ]
        }
      },
      {
        type = "metric", x = 0, y = 6, width = 12, height = 6
        properties = {
          title  = "API requests and errors"
          region = local.region
          stat   = "Sum"
          period = var.period_seconds
          metrics = [
            ["AWS/ApiGateway", "Count", "ApiId", var.api_id, "Stage", var.api_stage],
            ["AWS/ApiGateway", "4xx", "ApiId", var.api_id, "Stage", var.api_stage],
            ["AWS/ApiGateway", "5xx", "ApiId", var.api_id, "Stage", var.api_stage],
          ]
        }
      },
      {
        type = "metric", x = 12, y = 6, width = 12, height = 6
        properties = {
          title  = "API latency p95"
          region = local.region
          stat   = "p95"
          period = var.period_seconds
          metrics = [
            ["AWS/ApiGateway", "Latency", "ApiId", var.api_id, "Stage", var.api_stage],
            ["AWS/ApiGateway", "IntegrationLatency", "ApiId", var.api_id, "Stage", var.api_stage],
          ]
        }
      },
      {
        type = "metric", x = 0, y = 12, width = 24, height = 6
        properties = {
          title  = "DynamoDB capacity and throttles"
          region = local.region
          stat   = "Sum"
          period = var.period_seconds
          metrics = [
            ["AWS/DynamoDB", "ConsumedReadCapacityUnits", "TableName", var.table_name],
            ["AWS/DynamoDB", "ConsumedWriteCapacityUnits", "TableName", var.table_name],
            ["AWS/DynamoDB", "ReadThrottleEvents", "TableName", var.table_name],
            ["AWS/DynamoDB", "WriteThrottleEvents", "TableName", var.table_name],
          ]
        }
      },
    ]
  })
}
