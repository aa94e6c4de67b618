# Visit events: the counter → EventBridge bus → rule → Firehose → lake bucket (gzip'd NDJSON under
# visits/dt=YYYY-MM-DD/) → Glue table (partition projection, no crawler) → Athena.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  source      = "cloudfolio.counter" # backend/counter/events.py SOURCE
  detail_type = "visit"              # backend/counter/events.py DETAIL_TYPE
  columns     = jsondecode(file("${path.module}/visit_columns.json"))
  prefix      = "visits/" # cloudfolio/analytics/lake.py PREFIX
  database    = replace("${var.name_prefix}_analytics", "-", "_")
  table       = "visits" # cloudfolio/analytics/lake.py TABLE
  sql_dir     = coalesce(var.queries_dir, "${path.module}/../../../cloudfolio/analytics/sql")
  # cloudfolio/analytics/queries.py: the shared prelude, a newline, then the query.
  query_names = ["totals", "daily", "pages", "entry_pages", "referrers", "utm", "countries", "browsers", "os", "devices"]
  prelude     = file("${local.sql_dir}/visits_in_range.sql")
  stream_name = "${var.name_prefix}-visits"
  # One lake row per event: the detail alone, without EventBridge's envelope.
  input_path = "$.detail"
}

# ---- the bus and the rule

resource "aws_cloudwatch_event_bus" "this" {
  name = "${var.name_prefix}-analytics"
  tags = var.tags
}

resource "aws_cloudwatch_event_rule" "visits" {
  name           = "${var.name_prefix}-visits"
  description    = "Every visit event of the counter goes to the lake."
  event_bus_name = aws_cloudwatch_event_bus.this.name
  event_pattern = jsonencode({
    source      = [local.source]
    detail-type = [local.detail_type]
  })
  tags = var.tags
}

resource "aws_cloudwatch_event_target" "firehose" {
  # moto's EventBridge fails every PutEvents of a rule with a Firehose target, so on the emulator
  # the relay queue takes its place, with the same input path.
  count          = var.relay_queue ? 0 : 1
  rule           = aws_cloudwatch_event_rule.visits.name
  event_bus_name = aws_cloudwatch_event_bus.this.name
  target_id      = "lake"
  arn            = aws_kinesis_firehose_delivery_stream.visits.arn
  role_arn       = aws_iam_role.events.arn
  input_path     = local.input_path
}

data "aws_iam_policy_document" "events_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "events" {
  name                 = "${var.name_prefix}-visits-events"
  assume_role_policy   = data.aws_iam_policy_document.events_assume.json
  permissions_boundary = var.permissions_boundary
  tags                 = var.tags
}

data "aws_iam_policy_document" "events" {
  statement {
    actions   = ["firehose:PutRecord", "firehose:PutRecordBatch"]
    resources = [aws_kinesis_firehose_delivery_stream.visits.arn]
  }
}

resource "aws_iam_role_policy" "events" {
  name   = "put-visits"
  role   = aws_iam_role.events.id
  policy = data.aws_iam_policy_document.events.json
}

# ---- the stream

resource "aws_cloudwatch_log_group" "firehose" {
  # checkov:skip=CKV_AWS_158: delivery errors hold no visit data; the AWS-managed key encrypts them.
  # checkov:skip=CKV_AWS_338: retention is log_retention_days (365 by default); only the emulator's throwaway env keeps a day.
  name              = "/aws/kinesisfirehose/${local.stream_name}"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

resource "aws_cloudwatch_log_stream" "firehose" {
  name           = "S3Delivery"
  log_group_name = aws_cloudwatch_log_group.firehose.name
}

resource "aws_kinesis_firehose_delivery_stream" "visits" {
  # checkov:skip=CKV_AWS_241: records in transit are derived, non-personal rows; an AWS-owned key encrypts them at no cost (the buckets take kms_key_arn).
  name        = local.stream_name
  destination = "extended_s3"

  server_side_encryption {
    enabled  = true
    key_type = "AWS_OWNED_CMK"
  }

  extended_s3_configuration {
    role_arn   = aws_iam_role.firehose.arn
    bucket_arn = aws_s3_bucket.lake.arn
    # Firehose's own timestamp prefix: dynamic partitioning needs a 64 MiB buffer at least and
    # cannot be turned on later, and a day is all the partitioning the queries need.
    prefix              = "${local.prefix}dt=!{timestamp:yyyy-MM-dd}/"
    error_output_prefix = "errors/!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/"
    compression_format  = "GZIP"
    buffering_interval  = var.buffering_interval_seconds
    buffering_size      = var.buffering_size_mb
    kms_key_arn         = var.kms_key_arn

    processing_configuration {
      enabled = true
      processors {
        type = "AppendDelimiterToRecord"
      }
    }

    cloudwatch_logging_options {
      enabled         = true
      log_group_name  = aws_cloudwatch_log_group.firehose.name
      log_stream_name = aws_cloudwatch_log_stream.firehose.name
    }
  }

  tags = var.tags
}

data "aws_iam_policy_document" "firehose_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["firehose.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "firehose" {
  name                 = "${var.name_prefix}-visits-firehose"
  assume_role_policy   = data.aws_iam_policy_document.firehose_assume.json
  permissions_boundary = var.permissions_boundary
  tags                 = var.tags
}

data "aws_iam_policy_document" "firehose" {
  statement {
    sid = "WriteTheLake"
    actions = [
      "s3:AbortMultipartUpload",
      "s3:GetBucketLocation",
      "s3:ListBucket",
      "s3:ListBucketMultipartUploads",
      "s3:PutObject",
    ]
    resources = [aws_s3_bucket.lake.arn, "${aws_s3_bucket.lake.arn}/*"]
  }
  statement {
    sid       = "LogDeliveryErrors"
    actions   = ["logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.firehose.arn}:log-stream:*"]
  }
  dynamic "statement" {
    for_each = var.kms_key_arn == null ? [] : [1]
    content {
      sid       = "EncryptTheLake"
      actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
      resources = [var.kms_key_arn]
    }
  }
}

resource "aws_iam_role_policy" "firehose" {
  name   = "deliver-visits"
  role   = aws_iam_role.firehose.id
  policy = data.aws_iam_policy_document.firehose.json
}

# ---- the local relay's queue (emulator only)

resource "aws_sqs_queue" "relay" {
  # checkov:skip=CKV_AWS_27: exists only on the emulator, which ignores encryption settings.
  count                     = var.relay_queue ? 1 : 0
  name                      = "${var.name_prefix}-visits-relay"
  message_retention_seconds = 86400
  sqs_managed_sse_enabled   = true
  tags                      = var.tags
}

resource "aws_cloudwatch_event_target" "relay" {
  count          = var.relay_queue ? 1 : 0
  rule           = aws_cloudwatch_event_rule.visits.name
  event_bus_name = aws_cloudwatch_event_bus.this.name
  target_id      = "local-relay"
  arn            = aws_sqs_queue.relay[0].arn
  # moto ignores it; the relay applies it, as EventBridge does for the Firehose target.
  input_path = local.input_path
}
