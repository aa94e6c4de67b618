# Every service the modules use points at the emulator (add new services here, once); the fake
# credentials never leave loopback. CloudFront's certificates and edge functions live in
# us-east-1, the emulator's region, so main.tf passes this provider as aws.us_east_1 too.
provider "aws" {
  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  s3_use_path_style           = true

  endpoints {
    acm            = var.aws_endpoint
    apigatewayv2   = var.aws_endpoint
    cloudfront     = var.aws_endpoint
    cloudwatch     = var.aws_endpoint
    dynamodb       = var.aws_endpoint
    events         = var.aws_endpoint
    iam            = var.aws_endpoint
    kms            = var.aws_endpoint
    lambda         = var.aws_endpoint
    logs           = var.aws_endpoint
    route53        = var.aws_endpoint
    s3             = var.aws_endpoint
    secretsmanager = var.aws_endpoint
    scheduler      = var.aws_endpoint
    sns            = var.aws_endpoint
    sqs            = var.aws_endpoint
    sts            = var.aws_endpoint
    wafv2          = var.aws_endpoint
    athena         = var.aws_endpoint
    firehose       = var.aws_endpoint
    glue           = var.aws_endpoint
  }
}
