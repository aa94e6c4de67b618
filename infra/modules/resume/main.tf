# The private bucket of the resume PDF. Nobody reads it directly: the download function presigns
# a 5-minute URL for the one key, and `invoke publish` writes that key when the PDF changes.
resource "aws_s3_bucket" "resume" {
  # checkov:skip=CKV_AWS_18: server access logs would record raw client IPs, which the privacy model forbids.
  # checkov:skip=CKV_AWS_144: the PDF is rebuilt from the Markdown source by publish; replication would only double cost.
  # checkov:skip=CKV_AWS_145: SSE-S3 encrypts at rest; a KMS key would also have to be granted to every presigned reader.
  # checkov:skip=CKV2_AWS_62: nothing consumes object events.
  # checkov:skip=CKV2_AWS_61: one small object replaced on publish; old versions expire by the lifecycle switch.
  bucket        = var.bucket_name
  force_destroy = var.force_destroy
  tags          = var.tags
}

resource "aws_s3_bucket_public_access_block" "resume" {
  bucket                  = aws_s3_bucket.resume.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "resume" {
  bucket = aws_s3_bucket.resume.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_versioning" "resume" {
  bucket = aws_s3_bucket.resume.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "resume" {
  bucket = aws_s3_bucket.resume.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

data "aws_iam_policy_document" "resume" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.resume.arn, "${aws_s3_bucket.resume.arn}/*"]
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

resource "aws_s3_bucket_policy" "resume" {
  # moto applies Deny statements without their conditions (see docs/infrastructure.md).
  count  = var.deny_insecure_transport ? 1 : 0
  bucket = aws_s3_bucket.resume.id
  policy = data.aws_iam_policy_document.resume.json

  depends_on = [aws_s3_bucket_public_access_block.resume]
}
