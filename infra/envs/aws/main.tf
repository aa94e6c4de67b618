locals {
  name_prefix = "cloudfolio-${var.environment}"
  tags = {
    project     = "cloudfolio"
    environment = var.environment
    # The deploy role manages resources it cannot scope by name (KMS keys) through this tag.
    stack = local.name_prefix
  }

  # The release edge comes as a pair: the viewer function rewrites URIs to /_r/<release>/...,
  # which only the origin Lambda@Edge can resolve, so neither is attached without the other.
  edge_zip  = "${var.artifacts_dir}/edge.zip"
  with_edge = fileexists(local.edge_zip)

  # The GitHub environment whose jobs may deploy each stack; prod's is the protected one.
  github_environment = { staging = "staging", prod = "production" }
}

module "stack" {
  source = "../../modules/stack"

  providers = {
    aws           = aws
    aws.us_east_1 = aws.us_east_1
  }

  name_prefix         = local.name_prefix
  openapi_path        = var.openapi_path
  artifacts_dir       = var.artifacts_dir
  site_origins        = concat(var.site_origins, [for name in compact(concat([var.domain_name], var.alternate_domain_names)) : "https://${name}"])
  deletion_protection = var.environment == "prod"
  tags                = local.tags

  domain_name              = var.domain_name
  alternate_domain_names   = var.alternate_domain_names
  api_domain_name          = var.api_domain_name
  route53_zone_id          = var.route53_zone_id
  viewer_request_code_path = local.with_edge ? "${var.edge_code_dir}/viewer_request.js" : null
  edge_lambda_zip          = local.with_edge ? local.edge_zip : null

  # Both follow the site's settings; `invoke deploy` passes them (cloudfolio.deploy.site_variables).
  site_content_security_policy = var.content_security_policy
  demo_enable_turnstile        = var.demo_enable_turnstile

  enable_site       = true
  enable_cdn        = true
  enable_monitoring = true
  enable_waf        = var.enable_waf
  alarm_email       = var.alarm_email

  enable_ci            = var.github_repository != null
  github_repository    = var.github_repository
  github_environments  = coalesce(var.github_environments, [local.github_environment[var.environment]])
  github_refs          = var.environment == "prod" ? [] : ["refs/heads/main"] # prod: the gate only
  create_oidc_provider = var.create_oidc_provider
  oidc_provider_arn    = var.oidc_provider_arn
  state_bucket         = var.state_bucket
  state_key_prefix     = coalesce(var.state_key, "cloudfolio/${var.environment}.tfstate")
}
