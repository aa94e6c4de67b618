output "table_name" {
  description = "Name of the DynamoDB table."
  value       = module.stack.table_name
}

output "api_endpoint" {
  description = "Base URL of the API (publishconf's CLOUDFOLIO_API_URL)."
  value       = module.stack.api_endpoint
}

output "function_environments" {
  description = "Handler -> environment variables as set on its Lambda."
  value       = module.stack.function_environments
}

output "cors_allowed_origins" {
  description = "Origins the API allows."
  value       = module.stack.cors_allowed_origins
}

output "resume_bucket" {
  description = "Private bucket of the resume PDF."
  value       = module.stack.resume_bucket
}

output "resume_key" {
  description = "Object key of the resume PDF."
  value       = module.stack.resume_key
}

output "site_bucket" {
  description = "Private bucket publish writes releases to."
  value       = module.stack.site_bucket
}

output "site_url" {
  description = "Public URL of the site."
  value       = module.stack.site_url
}

output "ephemeral_table_name" {
  description = "Ephemeral table (salts, visitor markers, the publish lock; no backups)."
  value       = module.stack.ephemeral_table_name
}

output "site_kvs_arn" {
  description = "KeyValueStore holding the live release pointer."
  value       = module.stack.site_kvs_arn
}

output "distribution_id" {
  description = "CloudFront distribution ID."
  value       = module.stack.distribution_id
}

output "alarm_topic_arn" {
  description = "SNS topic of the alarms."
  value       = module.stack.alarm_topic_arn
}

output "deploy_role_arn" {
  description = "Role GitHub Actions assumes (null without github_repository)."
  value       = module.stack.deploy_role_arn
}

output "analytics" {
  description = "The visit lake: bucket, Glue database and table, Athena workgroup (invoke analytics)."
  value       = module.stack.analytics
}
