output "table_name" {
  description = "Name of the single DynamoDB table."
  value       = module.data.table_name
}

output "ephemeral_table_name" {
  description = "Name of the ephemeral table (salts, visitor markers; no backups)."
  value       = module.data.ephemeral_table_name
}

output "table_key_schema" {
  description = "Partition key, sort key and TTL attribute of the table."
  value       = module.data.key_schema
}

output "function_environments" {
  description = "Handler -> environment variables exactly as set on its Lambda."
  value       = module.functions.environments
}

output "function_names" {
  description = "Handler -> deployed Lambda name."
  value       = module.functions.function_names
}

output "routes" {
  description = "Route key -> handler, as read from the API description."
  value       = local.routes
}

output "cors_allowed_origins" {
  description = "Origins the API allows."
  value       = local.cors_allowed_origins
}

output "api_id" {
  description = "ID of the HTTP API."
  value       = module.api.api_id
}

output "api_endpoint" {
  description = "Base URL of the API."
  value       = module.api.api_endpoint
}

output "site_bucket" {
  description = "Private bucket publish writes releases to (null without the site)."
  value       = var.enable_site ? module.site[0].bucket_name : null
}

output "resume_bucket" {
  description = "Private bucket of the resume PDF (publish uploads it there)."
  value       = module.resume.bucket_name
}

output "resume_key" {
  description = "Object key of the resume PDF."
  value       = module.resume.pdf_key
}

output "site_url" {
  description = "Public URL of the site (null without the CDN)."
  value       = var.enable_site ? module.site[0].site_url : null
}

output "site_kvs_arn" {
  description = "KeyValueStore with the live release pointer (null without the CDN)."
  value       = var.enable_site ? module.site[0].kvs_arn : null
}

output "distribution_id" {
  description = "CloudFront distribution ID (null without the CDN)."
  value       = var.enable_site ? module.site[0].distribution_id : null
}

output "alarm_topic_arn" {
  description = "SNS topic of the alarms (null without monitoring)."
  value       = length(module.monitoring) > 0 ? module.monitoring[0].alarm_topic_arn : null
}

output "deploy_role_arn" {
  description = "Role GitHub Actions assumes (null without CI)."
  value       = var.enable_ci ? module.ci[0].role_arn : null
}

output "analytics" {
  description = "The visit lake: bus, rule, stream, bucket, Glue database and table, Athena workgroup, relay queue."
  value = {
    event_bus_name       = module.analytics.event_bus_name
    rule_name            = module.analytics.rule_name
    delivery_stream_name = module.analytics.delivery_stream_name
    lake_bucket          = module.analytics.lake_bucket
    glue_database        = module.analytics.glue_database
    glue_table           = module.analytics.glue_table
    athena_workgroup     = module.analytics.athena_workgroup
    relay_queue_url      = module.analytics.relay_queue_url
  }
}
