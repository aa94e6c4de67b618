# The whole product, composed once; env roots only choose names, switches and where state lives.

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  openapi    = jsondecode(file(var.openapi_path))
  http_verbs = ["get", "put", "post", "delete", "patch", "head", "options"]
  table_name = "${var.name_prefix}-data"
  # Bucket names are global: the account id keeps them unique without a random suffix.
  site_bucket   = "${var.name_prefix}-site-${data.aws_caller_identity.current.account_id}"
  resume_bucket = "${var.name_prefix}-resume-${data.aws_caller_identity.current.account_id}"

  # "METHOD /path" -> handler, one entry per operation in the API description.
  routes = merge([
    for path, item in local.openapi.paths : {
      for method, operation in item :
      "${upper(method)} ${path}" => operation["x-cloudfolio-function"]
      if contains(local.http_verbs, method)
    }
  ]...)

  function_names = toset(values(local.routes))
  # Unlisted handlers get the module defaults and no table access.
  no_permissions = {
    table_actions        = tolist([])
    async                = false
    memory_size          = 256
    timeout              = 10
    reserved_concurrency = -1
    environment          = tomap({})
    table_leading_keys   = tolist([])
    ephemeral_actions    = tolist([])
    s3_read_objects      = tolist([])
    put_events           = false
  }
  # The demo module declares its functions' permissions next to the resources they name.
  declared_function_settings = merge(var.function_settings, var.enable_demo ? module.demo[0].function_settings : {})
  base_function_settings = merge(
    { for name in local.function_names : name => local.no_permissions if !contains(keys(local.declared_function_settings), name) },
    { for name, settings in local.declared_function_settings : name => settings if contains(local.function_names, name) },
  )
  # Settings only known once resources exist: the resume function's bucket, key and object.
  resource_environments = {
    resume = {
      RESUME_BUCKET = module.resume.bucket_name
      RESUME_KEY    = module.resume.pdf_key
    }
  }
  resource_s3_objects = {
    resume = [module.resume.pdf_object_arn]
    # Only pages of the live release count: the counter reads the pointer and manifests.
    counter = ["arn:${data.aws_partition.current.partition}:s3:::${local.site_bucket}/releases/*"]
  }
  functions = {
    for name, settings in local.base_function_settings : name => merge(settings, {
      environment     = merge(settings.environment, lookup(local.resource_environments, name, {}))
      s3_read_objects = concat(settings.s3_read_objects, lookup(local.resource_s3_objects, name, []))
    })
  }

  # The site calls /api on its own origin (CloudFront routes it to the API), so it needs no CORS;
  # CORS stays for the extra origins configured here.
  cors_allowed_origins = distinct([for origin in var.site_origins : trimsuffix(origin, "/")])

  # Route key -> x-cloudfolio-throttle, for API Gateway's per-route throttling.
  route_throttles = merge([
    for path, item in local.openapi.paths : {
      for method, operation in item :
      "${upper(method)} ${path}" => operation["x-cloudfolio-throttle"]
      if contains(local.http_verbs, method) && can(operation["x-cloudfolio-throttle"])
    }
  ]...)

  # backend/common/settings.py ENV_VARS; tests/infra checks this map covers them all.
  shared_environment = {
    TABLE_NAME            = module.data.table_name
    CORS_ALLOWED_ORIGINS  = join(",", local.cors_allowed_origins)
    SITE_ID               = var.site_id
    ORIGIN_SECRET_ID      = module.api.origin_secret_name != null ? module.api.origin_secret_name : ""
    EVENT_BUS_NAME        = module.analytics.event_bus_name
    EPHEMERAL_TABLE_NAME  = module.data.ephemeral_table_name
    SITE_BUCKET           = local.site_bucket
    DAILY_PAGE_VIEW_LIMIT = tostring(var.daily_page_view_limit)
  }
}

module "analytics" {
  source = "../analytics"

  name_prefix                = var.name_prefix
  permissions_boundary       = local.permissions_boundary
  lake_bucket_name           = "${var.name_prefix}-lake-${data.aws_caller_identity.current.account_id}"
  retention_days             = var.analytics_retention_days
  expire_objects             = var.analytics_expire_objects
  buffering_interval_seconds = var.analytics_buffering_interval_seconds
  enable_athena              = var.enable_athena
  relay_queue                = var.analytics_relay_queue
  log_retention_days         = var.log_retention_days
  tags                       = var.tags
}

module "data" {
  source = "../data"

  name                = local.table_name
  deletion_protection = var.deletion_protection
  kms_key_arn         = var.table_kms_key_arn
  tags                = var.tags
}

module "resume" {
  source = "../resume"

  bucket_name             = local.resume_bucket
  deny_insecure_transport = var.resume_deny_insecure_transport
  force_destroy           = var.resume_force_destroy
  tags                    = var.tags
}

module "demo" {
  source = "../demo"
  count  = var.enable_demo ? 1 : 0

  name_prefix               = var.name_prefix
  permissions_boundary      = local.permissions_boundary
  attach_dead_letter_queues = var.attach_dead_letter_queues
  table_arn                 = module.data.table_arn
  environment               = local.shared_environment
  artifacts_dir             = var.artifacts_dir
  create_cleanup_function   = var.enable_functions
  pipeline_provider         = var.demo_provider
  provider_settings         = var.demo_provider_settings
  create_secrets            = var.demo_create_secrets
  enable_turnstile          = var.demo_enable_turnstile
  environment_url           = var.demo_environment_url
  max_duration_s            = var.demo_max_duration_s
  visitor_daily_quota       = var.demo_visitor_daily_quota
  daily_cap                 = var.demo_daily_cap
  enable_schedules          = var.demo_enable_schedules
  enable_alarms             = var.enable_monitoring
  alarm_actions             = length(module.monitoring) > 0 ? [module.monitoring[0].alarm_topic_arn] : []
  log_retention_days        = var.log_retention_days
  tags                      = var.tags
}

module "functions" {
  source = "../functions"

  create                    = var.enable_functions
  name_prefix               = var.name_prefix
  permissions_boundary      = local.permissions_boundary
  attach_dead_letter_queues = var.attach_dead_letter_queues
  functions                 = local.functions
  artifacts_dir             = var.artifacts_dir
  table_arn                 = module.data.table_arn
  secret_arns               = compact([module.api.origin_secret_arn])
  event_bus_arn             = module.analytics.event_bus_arn
  ephemeral_table_arn       = module.data.ephemeral_table_arn
  environment               = local.shared_environment
  log_retention_days        = var.log_retention_days
  powertools_namespace      = var.name_prefix
  tags                      = var.tags
}

# Scheduled jobs: the same function module, granted only the ephemeral table.
module "jobs" {
  source = "../functions"

  create                    = var.enable_functions
  name_prefix               = var.name_prefix
  permissions_boundary      = local.permissions_boundary
  attach_dead_letter_queues = var.attach_dead_letter_queues
  functions = {
    # Deletes daily salts once their 48 h are over, without waiting for TTL (backend/salt_purge).
    salt_purge = {
      table_actions        = ["dynamodb:DeleteItem"]
      async                = true
      memory_size          = 128
      timeout              = 60
      reserved_concurrency = 1
    }
  }
  artifacts_dir        = var.artifacts_dir
  table_arn            = module.data.ephemeral_table_arn
  environment          = { EPHEMERAL_TABLE_NAME = module.data.ephemeral_table_name }
  log_retention_days   = var.log_retention_days
  powertools_namespace = var.name_prefix
  tags                 = var.tags
}

resource "aws_cloudwatch_event_rule" "salt_purge" {
  count = var.enable_functions ? 1 : 0

  name                = "${var.name_prefix}-salt-purge"
  description         = "Delete daily salts whose 48 h are over."
  schedule_expression = var.salt_purge_schedule
  tags                = var.tags
}

resource "aws_cloudwatch_event_target" "salt_purge" {
  count = var.enable_functions ? 1 : 0

  rule = aws_cloudwatch_event_rule.salt_purge[0].name
  arn  = module.jobs.function_arns["salt_purge"]
}

resource "aws_lambda_permission" "salt_purge" {
  count = var.enable_functions ? 1 : 0

  statement_id  = "AllowEventBridgeSchedule"
  action        = "lambda:InvokeFunction"
  function_name = module.jobs.function_names["salt_purge"]
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.salt_purge[0].arn
}

module "api" {
  source = "../api"

  create                 = var.enable_functions
  name                   = "${var.name_prefix}-api"
  routes                 = local.routes
  function_names         = module.functions.function_names
  invoke_arns            = module.functions.invoke_arns
  cors_allowed_origins   = local.cors_allowed_origins
  route_throttles        = local.route_throttles
  origin_secret          = var.require_origin_secret
  throttling_rate_limit  = var.throttling_rate_limit
  throttling_burst_limit = var.throttling_burst_limit
  log_retention_days     = var.log_retention_days
  domain_name            = var.api_domain_name
  route53_zone_id        = var.route53_zone_id
  tags                   = var.tags
}

module "waf" {
  source = "../waf"
  count  = var.enable_site && var.enable_cdn && var.enable_waf ? 1 : 0

  providers = {
    aws = aws.us_east_1
  }

  name_prefix                  = var.name_prefix
  api_rate_limit_per_5_minutes = var.api_rate_limit_per_5_minutes
  tags                         = var.tags
}

module "site" {
  source = "../site"
  count  = var.enable_site ? 1 : 0

  providers = {
    aws           = aws
    aws.us_east_1 = aws.us_east_1
  }

  name_prefix              = var.name_prefix
  permissions_boundary     = local.permissions_boundary
  bucket_name              = local.site_bucket
  enable_cdn               = var.enable_cdn
  expire_old_versions      = var.site_expire_old_versions
  deny_insecure_transport  = var.site_deny_insecure_transport
  api_domain               = module.api.invoke_domain
  api_origin_secret        = module.api.origin_secret_value
  domain_name              = var.domain_name
  alternate_domain_names   = var.alternate_domain_names
  route53_zone_id          = var.route53_zone_id
  viewer_request_code_path = var.viewer_request_code_path
  edge_lambda_zip          = var.edge_lambda_zip
  web_acl_arn              = length(module.waf) > 0 ? module.waf[0].web_acl_arn : null
  content_security_policy  = var.site_content_security_policy
  tags                     = var.tags
}

module "monitoring" {
  source = "../monitoring"
  count  = var.enable_monitoring && var.enable_functions ? 1 : 0

  name_prefix     = var.name_prefix
  deploy_role_arn = var.enable_ci ? module.ci[0].role_arn : null
  function_names  = module.functions.function_names
  api_id          = module.api.api_id
  api_stage       = module.api.stage_name
  table_name      = module.data.table_name
  alarm_email     = var.alarm_email
  tags            = var.tags
}

module "ci" {
  source = "../ci"
  count  = var.enable_ci ? 1 : 0

  name_prefix          = var.name_prefix
  github_repository    = var.github_repository
  allowed_refs         = var.github_refs
  allowed_environments = var.github_environments
  create_oidc_provider = var.create_oidc_provider
  oidc_provider_arn    = var.oidc_provider_arn
  state_bucket         = var.state_bucket
  state_key_prefix     = var.state_key_prefix
  site_bucket_arn      = var.enable_site ? module.site[0].bucket_arn : "arn:aws:s3:::${local.site_bucket}"
  resume_object_arn    = module.resume.pdf_object_arn
  lock_table_arn       = module.data.ephemeral_table_arn
  kvs_arn              = var.enable_site ? module.site[0].kvs_arn : null
  distribution_arn     = var.enable_site ? module.site[0].distribution_arn : null
  route53_zone_id      = var.route53_zone_id
  tags                 = var.tags
}

locals {
  # Roles the deploy role creates carry the ci module's boundary; without CI (the local stack,
  # an administrator's apply) there is none.
  permissions_boundary = var.enable_ci ? module.ci[0].permissions_boundary_arn : null
}
