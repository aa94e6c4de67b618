# The whole product, composed once; env roots only choose names, flags and where state lives.

locals {
  openapi    = jsondecode(file(var.openapi_path))
  http_verbs = ["get", "put", "post", "delete", "patch", "head", "options"]
  table_name = "${var.name_prefix}-data"

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
  }
  functions = {
    for name in local.function_names : name => (
      contains(keys(var.function_settings), name) ? var.function_settings[name] : local.no_permissions
    )
  }

  cors_allowed_origins = [for origin in var.site_origins : trimsuffix(origin, "/")]

  # backend/common/settings.py ENV_VARS; tests/infra checks this map covers them all.
  shared_environment = {
    TABLE_NAME           = module.data.table_name
    CORS_ALLOWED_ORIGINS = join(",", local.cors_allowed_origins)
    SITE_ID              = var.site_id
  }
}

module "data" {
  source = "../data"

  name                = local.table_name
  deletion_protection = var.deletion_protection
  kms_key_arn         = var.table_kms_key_arn
  tags                = var.tags
}

module "functions" {
  source = "../functions"

  name_prefix          = var.name_prefix
  functions            = local.functions
  artifacts_dir        = var.artifacts_dir
  table_arn            = module.data.table_arn
  environment          = local.shared_environment
  log_retention_days   = var.log_retention_days
  powertools_namespace = var.name_prefix
  tags                 = var.tags
}

module "api" {
  source = "../api"

  name                   = "${var.name_prefix}-api"
  routes                 = local.routes
  function_names         = module.functions.function_names
  invoke_arns            = module.functions.invoke_arns
  cors_allowed_origins   = local.cors_allowed_origins
  throttling_rate_limit  = var.throttling_rate_limit
  throttling_burst_limit = var.throttling_burst_limit
  log_retention_days     = var.log_retention_days
  tags                   = var.tags
}
