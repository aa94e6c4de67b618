output "table_name" {
  description = "Name of the single DynamoDB table."
  value       = module.data.table_name
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
