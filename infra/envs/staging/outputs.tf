output "table_name" {
  description = "Name of the DynamoDB table."
  value       = module.stack.table_name
}

output "api_endpoint" {
  description = "Base URL of the API (the site's CLOUDFOLIO_API_URL)."
  value       = module.stack.api_endpoint
}

output "function_environments" {
  description = "Handler -> environment variables as set on its Lambda."
  value       = module.stack.function_environments
}
