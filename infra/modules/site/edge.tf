# The release mechanism: a KeyValueStore holds the live release id, a viewer-request CloudFront
# Function puts it into the URI (so it is part of the cache key), and an origin Lambda@Edge maps
# release + path to the content-addressed object. Publishing or rolling back changes one key.

resource "aws_cloudfront_key_value_store" "releases" {
  count = var.enable_cdn ? 1 : 0

  name    = "${var.name_prefix}-releases"
  comment = "Live release pointer (key: live)"
}

resource "aws_cloudfront_function" "viewer_request" {
  count = var.enable_cdn && var.viewer_request_code_path != null ? 1 : 0

  name                         = "${var.name_prefix}-viewer-request"
  runtime                      = "cloudfront-js-2.0"
  comment                      = "Selects the live or previewed release"
  publish                      = true
  code                         = file(var.viewer_request_code_path)
  key_value_store_associations = [aws_cloudfront_key_value_store.releases[0].arn]
}

locals {
  with_edge_lambda = var.enable_cdn && var.edge_lambda_zip != null
  edge_lambda_name = "${var.name_prefix}-origin"
}

data "aws_iam_policy_document" "edge_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com", "edgelambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "edge" {
  count = local.with_edge_lambda ? 1 : 0

  name               = local.edge_lambda_name
  assume_role_policy = data.aws_iam_policy_document.edge_assume.json
  tags               = var.tags

  permissions_boundary = var.permissions_boundary
}

data "aws_iam_policy_document" "edge" {
  # Lambda@Edge logs to /aws/lambda/us-east-1.<name> in whichever region served the request.
  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["arn:aws:logs:*:*:log-group:/aws/lambda/us-east-1.${local.edge_lambda_name}:*"]
  }

  statement {
    sid       = "ReadReleases"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.site.arn}/releases/*"]
  }

  # Without ListBucket a missing manifest reads as AccessDenied instead of NoSuchKey.
  statement {
    sid       = "SeeMissingReleases"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.site.arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["releases/*"]
    }
  }
}

resource "aws_iam_role_policy" "edge" {
  count = local.with_edge_lambda ? 1 : 0

  name   = "least-privilege"
  role   = aws_iam_role.edge[0].id
  policy = data.aws_iam_policy_document.edge.json
}

resource "aws_lambda_function" "edge" {
  # checkov:skip=CKV_AWS_50: Lambda@Edge does not support X-Ray active tracing.
  # checkov:skip=CKV_AWS_115: Lambda@Edge cannot have reserved concurrency.
  # checkov:skip=CKV_AWS_116: origin triggers are synchronous; CloudFront returns the error to the viewer.
  # checkov:skip=CKV_AWS_117: Lambda@Edge cannot run in a VPC.
  # checkov:skip=CKV_AWS_173: Lambda@Edge cannot have environment variables at all.
  # checkov:skip=CKV_AWS_272: the zip is built reproducibly and pinned by source_code_hash; code signing needs a Signer profile per account.
  count    = local.with_edge_lambda ? 1 : 0
  provider = aws.us_east_1

  function_name    = local.edge_lambda_name
  role             = aws_iam_role.edge[0].arn
  runtime          = "python3.12"
  handler          = var.edge_lambda_handler
  filename         = var.edge_lambda_zip
  source_code_hash = filebase64sha256(var.edge_lambda_zip)
  memory_size      = 128
  timeout          = 5
  publish          = true
  tags             = var.tags

  depends_on = [aws_iam_role_policy.edge]
}
