locals {
  emulated = var.aws_endpoint != ""
}

# Against the emulator: its fake credentials and endpoints. Against AWS: the pipeline's own
# credentials (OIDC role, environment), nothing here.
provider "aws" {
  region                      = var.region
  access_key                  = local.emulated ? "test" : null
  secret_key                  = local.emulated ? "test" : null
  skip_credentials_validation = local.emulated
  skip_requesting_account_id  = local.emulated
  skip_metadata_api_check     = local.emulated
  s3_use_path_style           = local.emulated

  endpoints {
    dynamodb = local.emulated ? var.aws_endpoint : null
    s3       = local.emulated ? var.aws_endpoint : null
    sts      = local.emulated ? var.aws_endpoint : null
  }

  default_tags {
    tags = {
      "cloudfolio:demo" = var.deployment_id
    }
  }
}
