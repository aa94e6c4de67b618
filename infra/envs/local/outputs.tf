output "table_name" {
  description = "Name of the table on the emulator."
  value       = module.stack.table_name
}

output "function_environments" {
  description = "Handler -> environment variables exactly as set on its Lambda; the local gateway copies them."
  value       = module.stack.function_environments
}

output "cors_allowed_origins" {
  description = "Origins the API allows."
  value       = module.stack.cors_allowed_origins
}

output "routes" {
  description = "Route key -> handler, as applied."
  value       = module.stack.routes
}

output "api_id" {
  description = "ID of the HTTP API on the emulator."
  value       = module.stack.api_id
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
  description = "Site bucket on the emulator (null when enable_site is false)."
  value       = module.stack.site_bucket
}

output "api_endpoint" {
  description = "execute-api URL the emulator reports (the local gateway serves the API instead)."
  value       = module.stack.api_endpoint
}

output "analytics" {
  description = "The visit lake on the emulator, and the local relay's queue."
  value       = module.stack.analytics
}

output "ephemeral_table_name" {
  description = "Ephemeral table: daily salts and visitor markers (no backups)."
  value       = module.stack.ephemeral_table_name
}
