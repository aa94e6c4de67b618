output "api_id" {
  description = "ID of the HTTP API."
  value       = aws_apigatewayv2_api.this.id
}

output "api_endpoint" {
  description = "Base URL of the API: the custom domain when set, else the execute-api URL."
  value       = local.with_domain ? "https://${var.domain_name}" : aws_apigatewayv2_api.this.api_endpoint
}

output "execution_arn" {
  description = "Execution ARN, for permissions and alarms."
  value       = aws_apigatewayv2_api.this.execution_arn
}

output "stage_name" {
  description = "Name of the auto-deployed stage."
  value       = aws_apigatewayv2_stage.default.name
}

output "route_keys" {
  description = "Every route key created, sorted."
  value       = sort(keys(aws_apigatewayv2_route.this))
}

output "access_log_group_name" {
  description = "Log group of the JSON access logs."
  value       = aws_cloudwatch_log_group.access.name
}
