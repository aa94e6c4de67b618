locals {
  tags = {
    project     = "cloudfolio"
    environment = "prod"
  }
}

module "stack" {
  source = "../../modules/stack"

  providers = {
    aws = aws
  }

  name_prefix         = "cloudfolio-prod"
  openapi_path        = var.openapi_path
  artifacts_dir       = var.artifacts_dir
  site_origins        = var.site_origins
  deletion_protection = true
}
