# The live demo: a public website bucket whose page names the deployment, and a table beside it.
# It lives for hours and holds nothing but the page, so it carries no logging, replication or
# customer-managed keys; the reasons are on each skip.

resource "aws_s3_bucket" "site" {
  # checkov:skip=CKV_AWS_18: a throwaway demo page that lives for hours; access logs would outlive it.
  # checkov:skip=CKV_AWS_21: the page is rewritten by every apply; there is nothing to version.
  # checkov:skip=CKV_AWS_144: a throwaway demo is not replicated across regions.
  # checkov:skip=CKV_AWS_145: public website content; SSE-S3 (below) is enough.
  # checkov:skip=CKV2_AWS_61: the whole bucket is destroyed at the demo's expiry.
  # checkov:skip=CKV2_AWS_62: nothing reacts to changes of the demo page.
  # checkov:skip=CKV2_AWS_6: a website bucket must allow public reads (see the access block below).
  bucket        = var.bucket_name
  force_destroy = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "site" {
  bucket = aws_s3_bucket.site.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_website_configuration" "site" {
  bucket = aws_s3_bucket.site.id

  index_document {
    suffix = "index.html"
  }
}

resource "aws_s3_bucket_public_access_block" "site" {
  # checkov:skip=CKV_AWS_54: the demo page is public by design; only its policy grants reads.
  # checkov:skip=CKV_AWS_56: the demo page is public by design; only its policy grants reads.
  bucket                  = aws_s3_bucket.site.id
  block_public_acls       = true
  ignore_public_acls      = true
  block_public_policy     = false
  restrict_public_buckets = false
}

resource "aws_s3_bucket_policy" "public_read" {
  # checkov:skip=CKV_AWS_70: anyone may read the demo page, and only read it (s3:GetObject).
  bucket = aws_s3_bucket.site.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "PublicReadOfTheDemoPage"
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "${aws_s3_bucket.site.arn}/*"
    }]
  })

  depends_on = [aws_s3_bucket_public_access_block.site]
}

resource "aws_s3_object" "index" {
  bucket        = aws_s3_bucket.site.id
  key           = "index.html"
  content_type  = "text/html; charset=utf-8"
  cache_control = "no-store"
  content = templatefile("${path.module}/index.html.tftpl", {
    deployment_id = var.deployment_id
    table_name    = aws_dynamodb_table.demo.name
  })
}

resource "aws_dynamodb_table" "demo" {
  # checkov:skip=CKV_AWS_28: the table lives for hours and holds no data worth restoring.
  # checkov:skip=CKV_AWS_119: the table holds no data; the AWS-owned key is enough.
  name         = var.table_name
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }
}
