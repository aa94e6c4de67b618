locals {
  function_names  = { for name, _ in var.functions : name => "${var.name_prefix}-${name}" }
  created         = var.create ? var.functions : {}
  async_functions = { for name, fn in local.created : name => fn if fn.async }

  # Exactly what each function sees; outputs expose the same map so the local gateway can copy it.
  environments = {
    for name, fn in var.functions : name => merge(
      var.environment,
      {
        POWERTOOLS_SERVICE_NAME      = name
        POWERTOOLS_METRICS_NAMESPACE = var.powertools_namespace
      },
      fn.environment,
    )
  }
}

data "aws_partition" "current" {}

data "aws_iam_policy_document" "assume_lambda" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "function" {
  for_each = local.created

  name               = local.function_names[each.key]
  assume_role_policy = data.aws_iam_policy_document.assume_lambda.json
  tags               = var.tags

  permissions_boundary = var.permissions_boundary
}

resource "aws_cloudwatch_log_group" "function" {
  # checkov:skip=CKV_AWS_158: log lines carry no personal data (no raw IP/UA); CloudWatch encrypts them at rest with service keys.
  for_each = local.created

  name              = "/aws/lambda/${local.function_names[each.key]}"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

resource "aws_sqs_queue" "dead_letter" {
  for_each = local.async_functions

  name                      = "${local.function_names[each.key]}-dlq"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
  tags                      = var.tags
}

data "aws_iam_policy_document" "dead_letter_tls_only" {
  for_each = local.async_functions

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["sqs:*"]
    resources = [aws_sqs_queue.dead_letter[each.key].arn]
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
  for_each = local.async_functions

  queue_url = aws_sqs_queue.dead_letter[each.key].id
  policy    = data.aws_iam_policy_document.dead_letter_tls_only[each.key].json
}

data "aws_iam_policy_document" "function" {
  for_each = local.created

  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.function[each.key].arn}:*"]
  }

  # X-Ray has no resource-level permissions: AWS requires "*" here.
  statement {
    sid       = "SendTraces"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"]
  }

  dynamic "statement" {
    for_each = length(each.value.table_actions) > 0 ? [1] : []
    content {
      sid       = "UseTable"
      actions   = each.value.table_actions
      resources = [var.table_arn]
      dynamic "condition" {
        for_each = length(each.value.table_leading_keys) > 0 ? [1] : []
        content {
          test     = "ForAllValues:StringLike"
          variable = "dynamodb:LeadingKeys"
          values   = each.value.table_leading_keys
        }
      }
    }
  }

  dynamic "statement" {
    for_each = length(each.value.ephemeral_actions) > 0 && var.ephemeral_table_arn != null ? [1] : []
    content {
      sid       = "UseEphemeralTable"
      actions   = each.value.ephemeral_actions
      resources = [var.ephemeral_table_arn]
    }
  }

  dynamic "statement" {
    for_each = length(each.value.s3_read_objects) > 0 ? [1] : []
    content {
      sid       = "ReadObjects"
      actions   = ["s3:GetObject"]
      resources = each.value.s3_read_objects
    }
  }

  dynamic "statement" {
    for_each = length(var.secret_arns) > 0 ? [1] : []
    content {
      sid       = "ReadSecrets"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = var.secret_arns
    }
  }

  dynamic "statement" {
    for_each = each.value.put_events && var.event_bus_arn != null ? [1] : []
    content {
      sid       = "SendVisitEvents"
      actions   = ["events:PutEvents"]
      resources = [var.event_bus_arn]
    }
  }

  dynamic "statement" {
    for_each = each.value.policy_statements
    content {
      sid       = statement.value.sid
      actions   = statement.value.actions
      resources = statement.value.resources
    }
  }

  # Every call the function makes goes over TLS; the policy says so explicitly.
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

  dynamic "statement" {
    for_each = each.value.async ? [1] : []
    content {
      sid       = "DeadLetter"
      actions   = ["sqs:SendMessage"]
      resources = [aws_sqs_queue.dead_letter[each.key].arn]
    }
  }
}

resource "aws_iam_role_policy" "function" {
  for_each = local.created

  name   = "least-privilege"
  role   = aws_iam_role.function[each.key].id
  policy = data.aws_iam_policy_document.function[each.key].json
}

resource "aws_lambda_function" "this" {
  # checkov:skip=CKV_AWS_117: the functions reach only public AWS endpoints; a VPC would add NAT cost and cold-start latency for nothing.
  # checkov:skip=CKV_AWS_272: artifacts are built reproducibly and pinned by source_code_hash; code signing would need a Signer profile per account.
  # checkov:skip=CKV_AWS_173: the environment holds only names (table, origins, site id), no secrets; the default service key encrypts it.
  # checkov:skip=CKV_AWS_116: dead_letter_config is set for async functions only; API-invoked functions return their errors to the caller.
  for_each = local.created

  function_name = local.function_names[each.key]
  role          = aws_iam_role.function[each.key].arn
  runtime       = var.runtime
  architectures = [var.architecture]
  handler       = coalesce(each.value.handler, "${each.key}.handler.lambda_handler")
  filename      = "${var.artifacts_dir}/${each.key}.zip"
  # fileexists keeps destroy possible after build/ was cleaned; the precondition guards create.
  source_code_hash = fileexists("${var.artifacts_dir}/${each.key}.zip") ? filebase64sha256("${var.artifacts_dir}/${each.key}.zip") : null
  memory_size      = each.value.memory_size
  timeout          = each.value.timeout

  reserved_concurrent_executions = each.value.reserved_concurrency

  environment {
    variables = local.environments[each.key]
  }

  tracing_config {
    mode = var.tracing_mode
  }

  dynamic "dead_letter_config" {
    for_each = each.value.async && var.attach_dead_letter_queues ? [1] : []
    content {
      target_arn = aws_sqs_queue.dead_letter[each.key].arn
    }
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = fileexists("${var.artifacts_dir}/${each.key}.zip")
      error_message = "Missing ${var.artifacts_dir}/${each.key}.zip: build it with cloudfolio.packaging (invoke deploy does)."
    }
  }

  # The log group must exist first so Lambda does not create one without retention.
  depends_on = [aws_iam_role_policy.function, aws_cloudwatch_log_group.function]
}
