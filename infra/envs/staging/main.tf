locals {
  tags = {
    project     = "cloudfolio"
    environment = "staging"
  }
}

module "stack" {
  source = "../../modules/stack"

  providers = {
    aws = aws
  }

  name_prefix         = "cloudfolio-staging"
  openapi_path        = var.openapi_path
  artifacts_dir       = var.artifacts_dir
  site_origins        = var.site_origins
  deletion_protection = false
}
