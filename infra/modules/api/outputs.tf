output "api_id" {
  description = "ID of the HTTP API."
  value       = var.create ? aws_apigatewayv2_api.this[0].id : null
}

output "api_endpoint" {
  description = "Base URL of the API: the custom domain when set, else the execute-api URL."
  value       = !var.create ? null : local.with_domain ? "https://${var.domain_name}" : aws_apigatewayv2_api.this[0].api_endpoint
}

output "execution_arn" {
  description = "Execution ARN, for permissions and alarms."
  value       = var.create ? aws_apigatewayv2_api.this[0].execution_arn : null
}

output "stage_name" {
  description = "Name of the auto-deployed stage."
  value       = var.create ? aws_apigatewayv2_stage.default[0].name : null
}

output "route_keys" {
  description = "Every route key created, sorted."
  value       = sort(keys(aws_apigatewayv2_route.this))
}

output "access_log_group_name" {
  description = "Log group of the JSON access logs."
  value       = var.create ? aws_cloudwatch_log_group.access[0].name : null
}

output "origin_secret_arn" {
  description = "ARN of the origin secret in Secrets Manager, for read permissions; null without one."
  value       = var.origin_secret ? aws_secretsmanager_secret.origin[0].arn : null
}

output "origin_secret_name" {
  description = "Name of the origin secret (the functions' ORIGIN_SECRET_ID: stable, unlike the ARN's random suffix); null without one."
  value       = var.origin_secret ? aws_secretsmanager_secret.origin[0].name : null
}

output "origin_secret_value" {
  description = "The origin secret, for CloudFront's origin custom header."
  value       = var.origin_secret ? terraform_data.origin_secret[0].output : null
  sensitive   = true
}

output "invoke_domain" {
  description = "Host of the execute-api URL, CloudFront's origin for /api/*."
  value       = var.create ? trimprefix(aws_apigatewayv2_api.this[0].api_endpoint, "https://") : null
}
