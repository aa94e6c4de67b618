# The live demo: provider tokens, the cleanup function, its schedules, the DLQ and its alarm, and
# the settings and permissions of the demo API functions (created by the functions module).

data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  cleanup_name   = "${var.name_prefix}-demo_cleanup"
  schedule_group = "${var.name_prefix}-demo"
  account_arn    = "${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}"
  # Built from the name, so the cleanup function can carry its own settings without a cycle.
  cleanup_arn          = "arn:${data.aws_partition.current.partition}:lambda:${local.account_arn}:function:${local.cleanup_name}"
  expiry_schedules_arn = "arn:${data.aws_partition.current.partition}:scheduler:${local.account_arn}:schedule/${local.schedule_group}/*"

  # Which variables name token secrets, by provider (backend/demo/providers/factory.py reads them).
  default_token_secrets = {
    gitlab  = ["DEMO_GITLAB_TRIGGER_TOKEN_SECRET", "DEMO_GITLAB_READ_TOKEN_SECRET"]
    github  = ["DEMO_GITHUB_TOKEN_SECRET"]
    local   = []
    command = []
  }
  token_secrets = var.token_secrets != null ? var.token_secrets : local.default_token_secrets[var.pipeline_provider]
  # The Turnstile secret comes with the check: without it the trigger would not check at all.
  secret_variables = toset(concat(
    var.create_secrets ? local.token_secrets : [],
    var.enable_turnstile ? ["DEMO_TURNSTILE_SECRET"] : [],
  ))
  secret_arns = [for name in local.secret_variables : aws_secretsmanager_secret.token[name].arn]

  # backend/demo/config.py ENV_VARS; tests/infra checks the names match.
  environment = merge(var.provider_settings, {
    for name in local.secret_variables : name => aws_secretsmanager_secret.token[name].name
    }, {
    DEMO_PROVIDER             = var.pipeline_provider
    DEMO_ENVIRONMENT_URL      = var.environment_url
    DEMO_MAX_DURATION_S       = tostring(var.max_duration_s)
    DEMO_DEPLOY_TIMEOUT_S     = tostring(var.deploy_timeout_s)
    DEMO_VISITOR_DAILY_QUOTA  = tostring(var.visitor_daily_quota)
    DEMO_DAILY_CAP            = tostring(var.daily_cap)
    DEMO_HISTORY_DAYS         = tostring(var.history_days)
    DEMO_SCHEDULE_GROUP       = var.enable_schedules ? local.schedule_group : ""
    DEMO_SCHEDULE_ROLE_ARN    = var.enable_schedules ? aws_iam_role.scheduler[0].arn : ""
    DEMO_CLEANUP_FUNCTION_ARN = local.cleanup_arn
    DEMO_DLQ_URL              = aws_sqs_queue.dead_letter.url
    DEMO_DLQ_ARN              = aws_sqs_queue.dead_letter.arn
  })

  read_tokens = [for arn in local.secret_arns : {
    sid       = "ReadProviderTokens"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [arn]
  }]

  # Handlers as backend/functions.py maps them; tests/infra checks both agree. Table actions are
  # exactly the calls each function makes: only trigger and destroy write the lock item.
  function_settings = {
    demo_trigger = {
      handler = "demo.trigger.lambda_handler"
      # Lock, quota and cap in one transaction; Powertools idempotency records.
      table_actions = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"]
      # The counter's daily salt, for the per-visitor quota.
      ephemeral_actions = ["dynamodb:GetItem", "dynamodb:PutItem"]
      policy_statements = concat(local.read_tokens, var.enable_schedules ? [
        {
          sid       = "CreateExpirySchedule"
          actions   = ["scheduler:CreateSchedule"]
          resources = [local.expiry_schedules_arn]
        },
        {
          sid       = "PassSchedulerRole"
          actions   = ["iam:PassRole"]
          resources = [aws_iam_role.scheduler[0].arn]
        },
      ] : [])
    }
    demo_destroy = {
      handler           = "demo.destroy.lambda_handler"
      table_actions     = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"]
      ephemeral_actions = []
      policy_statements = local.read_tokens
    }
    demo_status = {
      handler           = "demo.status.lambda_handler"
      table_actions     = ["dynamodb:GetItem", "dynamodb:Query"]
      ephemeral_actions = []
      policy_statements = local.read_tokens
    }
  }
}

# --- provider tokens (values never in Terraform) -----------------------------------------------

resource "aws_secretsmanager_secret" "token" {
  # checkov:skip=CKV2_AWS_57: the tokens are issued and rotated by GitLab/GitHub/Cloudflare; a rotation Lambda could not mint them.
  for_each = local.secret_variables

  name        = "${var.name_prefix}/demo/${lower(replace(trimsuffix(each.key, "_SECRET"), "_", "-"))}"
  description = "${each.key}: set the value outside Terraform; it is never in state."
  kms_key_id  = var.secret_kms_key_arn
  tags        = var.tags
}

# --- dead-letter queue and its alarm -----------------------------------------------------------

resource "aws_sqs_queue" "dead_letter" {
  name                      = "${var.name_prefix}-demo-cleanup-dlq"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
  tags                      = var.tags
}

data "aws_iam_policy_document" "dead_letter" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["sqs:*"]
    resources = [aws_sqs_queue.dead_letter.arn]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_sqs_queue_policy" "dead_letter" {
  queue_url = aws_sqs_queue.dead_letter.id
  policy    = data.aws_iam_policy_document.dead_letter.json
}

resource "aws_cloudwatch_metric_alarm" "dead_letter" {
  count = var.enable_alarms ? 1 : 0

  alarm_name          = "${var.name_prefix}-demo-cleanup-failed"
  alarm_description   = "A demo could not be cleaned up: read the message in the demo cleanup DLQ, then run invoke demo-cleanup or destroy it by hand."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.dead_letter.name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = var.tags
}

# --- the cleanup function ----------------------------------------------------------------------

data "aws_iam_policy_document" "assume_lambda" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "cleanup" {
  count = var.create_cleanup_function ? 1 : 0

  name                 = local.cleanup_name
  assume_role_policy   = data.aws_iam_policy_document.assume_lambda.json
  permissions_boundary = var.permissions_boundary
  tags                 = var.tags
}

resource "aws_cloudwatch_log_group" "cleanup" {
  # checkov:skip=CKV_AWS_158: log lines carry no personal data and no tokens; CloudWatch encrypts them at rest with service keys.
  count = var.create_cleanup_function ? 1 : 0

  name              = "/aws/lambda/${local.cleanup_name}"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

# Every role policy here starts from this one: no call without TLS.
data "aws_iam_policy_document" "tls_only" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["*"]
    resources = ["*"]
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

data "aws_iam_policy_document" "cleanup" {
  count = var.create_cleanup_function ? 1 : 0

  source_policy_documents = [data.aws_iam_policy_document.tls_only.json]

  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.cleanup[0].arn}:*"]
  }

  # X-Ray has no resource-level permissions: AWS requires "*" here.
  statement {
    sid       = "SendTraces"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"]
  }

  # Reads the lock, moves it to destroying or failed, releases it into the history.
  statement {
    sid       = "UseLock"
    actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"]
    resources = [var.table_arn]
  }

  statement {
    sid       = "ReportFailures"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.dead_letter.arn]
  }

  dynamic "statement" {
    for_each = local.secret_arns
    content {
      sid       = "ReadProviderTokens"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = [statement.value]
    }
  }
}

resource "aws_iam_role_policy" "cleanup" {
  count = var.create_cleanup_function ? 1 : 0

  name   = "least-privilege"
  role   = aws_iam_role.cleanup[0].id
  policy = data.aws_iam_policy_document.cleanup[0].json
}

resource "aws_lambda_function" "cleanup" {
  # checkov:skip=CKV_AWS_117: the function reaches only public AWS and CI endpoints; a VPC would add NAT cost for nothing.
  # checkov:skip=CKV_AWS_272: artifacts are built reproducibly and pinned by source_code_hash; code signing would need a Signer profile per account.
  # checkov:skip=CKV_AWS_173: the environment holds names and limits only; tokens are read from Secrets Manager at run time.
  count = var.create_cleanup_function ? 1 : 0

  function_name = local.cleanup_name
  role          = aws_iam_role.cleanup[0].arn
  runtime       = "python3.12"
  architectures = ["x86_64"]
  handler       = "demo.cleanup.lambda_handler"
  filename      = "${var.artifacts_dir}/demo_cleanup.zip"
  # fileexists keeps destroy possible after build/ was cleaned; the precondition guards create.
  source_code_hash = fileexists("${var.artifacts_dir}/demo_cleanup.zip") ? filebase64sha256("${var.artifacts_dir}/demo_cleanup.zip") : null
  memory_size      = 256
  timeout          = 60
  # One cleanup at a time: two sweeps would only race for the same lock.
  reserved_concurrent_executions = 1

  environment {
    variables = merge(var.environment, local.environment, {
      POWERTOOLS_SERVICE_NAME = "demo_cleanup"
    })
  }

  tracing_config {
    mode = "Active"
  }

  dynamic "dead_letter_config" {
    for_each = var.attach_dead_letter_queues ? [1] : []
    content {
      target_arn = aws_sqs_queue.dead_letter.arn
    }
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = fileexists("${var.artifacts_dir}/demo_cleanup.zip")
      error_message = "Missing ${var.artifacts_dir}/demo_cleanup.zip: build it with cloudfolio.packaging (invoke deploy does)."
    }
  }

  depends_on = [aws_iam_role_policy.cleanup, aws_cloudwatch_log_group.cleanup]
}

# The next sweep is the retry: a failed cleanup is reported to the DLQ once, not three times.
resource "aws_lambda_function_event_invoke_config" "cleanup" {
  count = var.create_cleanup_function ? 1 : 0

  function_name          = aws_lambda_function.cleanup[0].function_name
  maximum_retry_attempts = 0
}

# --- schedules ---------------------------------------------------------------------------------

data "aws_iam_policy_document" "assume_scheduler" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["scheduler.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "scheduler" {
  count = var.enable_schedules ? 1 : 0

  name                 = "${var.name_prefix}-demo-scheduler"
  assume_role_policy   = data.aws_iam_policy_document.assume_scheduler.json
  permissions_boundary = var.permissions_boundary
  tags                 = var.tags
}

data "aws_iam_policy_document" "scheduler" {
  source_policy_documents = [data.aws_iam_policy_document.tls_only.json]

  statement {
    sid       = "InvokeCleanup"
    actions   = ["lambda:InvokeFunction"]
    resources = [local.cleanup_arn]
  }

  statement {
    sid       = "DeadLetter"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.dead_letter.arn]
  }
}

resource "aws_iam_role_policy" "scheduler" {
  count = var.enable_schedules ? 1 : 0

  name   = "invoke-cleanup"
  role   = aws_iam_role.scheduler[0].id
  policy = data.aws_iam_policy_document.scheduler.json
}

resource "aws_scheduler_schedule_group" "demo" {
  count = var.enable_schedules ? 1 : 0

  name = local.schedule_group
  tags = var.tags
}

resource "aws_scheduler_schedule" "cleanup" {
  # checkov:skip=CKV_AWS_297: the schedule input is an action word ({"action": "sweep"}), nothing worth a customer-managed key.
  for_each = var.enable_schedules ? {
    sweep = var.sweep_expression
    force = var.force_expression
  } : {}

  name                         = "${var.name_prefix}-demo-${each.key}"
  group_name                   = aws_scheduler_schedule_group.demo[0].name
  schedule_expression          = each.value
  schedule_expression_timezone = "UTC"

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = local.cleanup_arn
    role_arn = aws_iam_role.scheduler[0].arn
    input    = jsonencode({ action = each.key })

    retry_policy {
      maximum_retry_attempts       = 3
      maximum_event_age_in_seconds = 3600
    }

    dead_letter_config {
      arn = aws_sqs_queue.dead_letter.arn
    }
  }
}
