# The lake and Athena's results: private, encrypted, TLS-only, expired by lifecycle rules.

resource "aws_s3_bucket" "lake" {
  # checkov:skip=CKV_AWS_18: server access logs would record raw client IPs, which the privacy model forbids.
  # checkov:skip=CKV_AWS_144: the lake holds derived, expiring analytics; a replica would double cost for no reader.
  # checkov:skip=CKV2_AWS_62: nothing consumes object events; Glue finds partitions by projection.
  # checkov:skip=CKV_AWS_21: objects are written once under unique names and expire; versions would only keep expired data.
  # checkov:skip=CKV2_AWS_61: the lifecycle rule is aws_s3_bucket_lifecycle_configuration.this (retention_days); only the emulator turns it off.
  # checkov:skip=CKV_AWS_145: SSE-S3 by default for derived, non-personal rows; kms_key_arn switches both buckets to a customer key.
  # checkov:skip=CKV2_AWS_6: the public access block is aws_s3_bucket_public_access_block.this, for_each over both buckets; checkov loses that link once the module takes the ci module's boundary.
  bucket = var.lake_bucket_name
  tags   = var.tags
}

resource "aws_s3_bucket" "results" {
  # checkov:skip=CKV_AWS_18: server access logs would record raw client IPs, which the privacy model forbids.
  # checkov:skip=CKV_AWS_144: query results are disposable and expire after a week.
  # checkov:skip=CKV2_AWS_62: nothing consumes object events.
  # checkov:skip=CKV_AWS_21: results are written once and expire; versions would only keep expired data.
  # checkov:skip=CKV2_AWS_6: the public access block is aws_s3_bucket_public_access_block.this, for_each over both buckets.
  # checkov:skip=CKV2_AWS_61: the lifecycle rule is aws_s3_bucket_lifecycle_configuration.this, for_each over both buckets.
  # checkov:skip=CKV_AWS_145: SSE-S3 by default at no cost for disposable results; kms_key_arn switches both buckets to a customer key.
  count  = var.enable_athena ? 1 : 0
  bucket = "${var.lake_bucket_name}-results"
  tags   = var.tags
}

locals {
  buckets = merge(
    { lake = aws_s3_bucket.lake },
    var.enable_athena ? { results = aws_s3_bucket.results[0] } : {},
  )
  # Days each bucket keeps an object.
  expiry_days = { lake = var.retention_days, results = 7 }
}

resource "aws_s3_bucket_public_access_block" "this" {
  for_each                = local.buckets
  bucket                  = each.value.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "this" {
  for_each = local.buckets
  bucket   = each.value.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  for_each = local.buckets
  bucket   = each.value.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = var.kms_key_arn == null ? "AES256" : "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
    bucket_key_enabled = var.kms_key_arn != null
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  for_each = var.expire_objects ? local.buckets : {}
  bucket   = each.value.id

  rule {
    id     = "expire"
    status = "Enabled"
    filter {
      prefix = ""
    }
    expiration {
      days = local.expiry_days[each.key]
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }
}

data "aws_iam_policy_document" "tls_only" {
  for_each = local.buckets
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [each.value.arn, "${each.value.arn}/*"]
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

resource "aws_s3_bucket_policy" "this" {
  # moto applies Deny statements without their conditions (see the site module), so the
  # emulator's lake goes without it; the relay writes there over plain HTTP.
  for_each = var.relay_queue ? {} : local.buckets
  bucket   = each.value.id
  policy   = data.aws_iam_policy_document.tls_only[each.key].json
}
