# The counts and other lasting state: backed up (point-in-time recovery). docs/api.md lists what
# each table holds; tests/unit/test_counter_privacy.py checks this file against it.
resource "aws_dynamodb_table" "this" {
  name                        = var.name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = var.partition_key
  range_key                   = var.sort_key
  deletion_protection_enabled = var.deletion_protection

  attribute {
    name = var.partition_key
    type = "S"
  }

  attribute {
    name = var.sort_key
    type = "S"
  }

  ttl {
    attribute_name = var.ttl_attribute
    enabled        = true
  }

  point_in_time_recovery {
    enabled = var.point_in_time_recovery
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }

  tags = var.tags
}

locals {
  ephemeral_name = coalesce(var.ephemeral_name, "${var.name}-ephemeral")
  purge_name     = "${local.ephemeral_name}-salt-purge"
  create_purge   = var.purge_job_zip != null
}

# Daily salts and visitor markers. No backup may keep them past their 48 h, so point-in-time
# recovery is off here (and must stay off); TTL and the salt purge job delete them.
resource "aws_dynamodb_table" "ephemeral" {
  # checkov:skip=CKV_AWS_28: no point-in-time recovery on purpose: salts and visitor markers must not outlive their 48 h in any backup.
  name                        = local.ephemeral_name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = var.partition_key
  range_key                   = var.sort_key
  deletion_protection_enabled = var.deletion_protection

  attribute {
    name = var.partition_key
    type = "S"
  }

  attribute {
    name = var.sort_key
    type = "S"
  }

  ttl {
    attribute_name = var.ttl_attribute
    enabled        = true
  }

  point_in_time_recovery {
    enabled = false
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }

  tags = var.tags
}

# ---- the salt purge job: TTL deletes lazily (often a day or two late), so an hourly job deletes
# every salt whose 48 h are over (backend/salt_purge/handler.py).

data "aws_iam_policy_document" "purge_assume" {
  count = local.create_purge ? 1 : 0

  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "purge" {
  count = local.create_purge ? 1 : 0

  name               = local.purge_name
  assume_role_policy = data.aws_iam_policy_document.purge_assume[0].json
  tags               = var.tags
}

resource "aws_cloudwatch_log_group" "purge" {
  # checkov:skip=CKV_AWS_158: the job logs only the days it purged; CloudWatch encrypts them at rest with service keys.
  count = local.create_purge ? 1 : 0

  name              = "/aws/lambda/${local.purge_name}"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

data "aws_iam_policy_document" "purge" {
  count = local.create_purge ? 1 : 0

  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.purge[0].arn}:*"]
  }

  # X-Ray has no resource-level permissions: AWS requires "*" here.
  statement {
    sid       = "SendTraces"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"]
  }

  statement {
    sid       = "DeleteSalts"
    actions   = ["dynamodb:DeleteItem"]
    resources = [aws_dynamodb_table.ephemeral.arn]
  }
}

resource "aws_iam_role_policy" "purge" {
  count = local.create_purge ? 1 : 0

  name   = "least-privilege"
  role   = aws_iam_role.purge[0].id
  policy = data.aws_iam_policy_document.purge[0].json
}

resource "aws_lambda_function" "purge" {
  # checkov:skip=CKV_AWS_117: the job reaches only DynamoDB's public endpoint; a VPC would add NAT cost for nothing.
  # checkov:skip=CKV_AWS_272: artifacts are built reproducibly and pinned by source_code_hash; code signing would need a Signer profile per account.
  # checkov:skip=CKV_AWS_173: the environment holds only the table name, no secret; the default service key encrypts it.
  # checkov:skip=CKV_AWS_116: a failed run is simply repeated by the next hourly one; a dead-letter queue would hold nothing worth reading.
  count = local.create_purge ? 1 : 0

  function_name                  = local.purge_name
  role                           = aws_iam_role.purge[0].arn
  runtime                        = "python3.12"
  handler                        = "salt_purge.handler.lambda_handler"
  filename                       = var.purge_job_zip
  source_code_hash               = fileexists(var.purge_job_zip) ? filebase64sha256(var.purge_job_zip) : null
  memory_size                    = 128
  timeout                        = 60
  reserved_concurrent_executions = 1

  environment {
    variables = {
      EPHEMERAL_TABLE_NAME    = aws_dynamodb_table.ephemeral.name
      POWERTOOLS_SERVICE_NAME = "salt-purge"
    }
  }

  tracing_config {
    mode = "Active"
  }

  tags = var.tags

  depends_on = [aws_iam_role_policy.purge, aws_cloudwatch_log_group.purge]
}

resource "aws_cloudwatch_event_rule" "purge" {
  count = local.create_purge ? 1 : 0

  name                = local.purge_name
  description         = "Delete daily salts whose 48 h are over."
  schedule_expression = var.purge_schedule
  tags                = var.tags
}

resource "aws_cloudwatch_event_target" "purge" {
  count = local.create_purge ? 1 : 0

  rule = aws_cloudwatch_event_rule.purge[0].name
  arn  = aws_lambda_function.purge[0].arn
}

resource "aws_lambda_permission" "purge" {
  count = local.create_purge ? 1 : 0

  statement_id  = "AllowEventBridgeSchedule"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.purge[0].function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.purge[0].arn
}
