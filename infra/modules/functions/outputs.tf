output "function_names" {
  description = "Deployed function name per handler."
  value       = { for name, fn in aws_lambda_function.this : name => fn.function_name }
}

output "function_arns" {
  description = "Function ARN per handler."
  value       = { for name, fn in aws_lambda_function.this : name => fn.arn }
}

output "invoke_arns" {
  description = "Invoke ARN per handler, for API Gateway integrations."
  value       = { for name, fn in aws_lambda_function.this : name => fn.invoke_arn }
}

output "environments" {
  description = "Environment variables exactly as set on each function."
  value       = local.environments
}

output "role_arns" {
  description = "Execution role ARN per handler."
  value       = { for name, role in aws_iam_role.function : name => role.arn }
}

output "log_group_names" {
  description = "Log group per handler."
  value       = { for name, lg in aws_cloudwatch_log_group.function : name => lg.name }
}

output "dead_letter_queue_arns" {
  description = "DLQ ARN per asynchronous handler."
  value       = { for name, q in aws_sqs_queue.dead_letter : name => q.arn }
}
