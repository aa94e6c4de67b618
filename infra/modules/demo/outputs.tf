output "function_settings" {
  description = "Settings of the demo API functions (handler, table actions, extra statements, environment), for the functions module."
  value = {
    for name, settings in local.function_settings : name => {
      table_actions        = settings.table_actions
      async                = false
      memory_size          = 256
      timeout              = 15
      reserved_concurrency = -1
      environment          = local.environment
      table_leading_keys   = []
      ephemeral_actions    = settings.ephemeral_actions
      s3_read_objects      = []
      handler              = settings.handler
      policy_statements    = settings.policy_statements
    }
  }
}

output "environment" {
  description = "The DEMO_* variables every demo function gets (backend/demo/config.py, backend/common/settings.py)."
  value       = local.environment
}

output "cleanup_function_name" {
  description = "Name of the cleanup Lambda (null when not created)."
  value       = var.create_cleanup_function ? aws_lambda_function.cleanup[0].function_name : null
}

output "dead_letter_queue_url" {
  description = "URL of the queue failed cleanups land in."
  value       = aws_sqs_queue.dead_letter.url
}

output "secret_arns" {
  description = "Variable -> ARN of each token secret. Set the values outside Terraform."
  value       = { for name in local.secret_variables : name => aws_secretsmanager_secret.token[name].arn }
}

output "schedule_group" {
  description = "EventBridge Scheduler group of the sweep, the forced cleanup and the one-time expiry schedules."
  value       = var.enable_schedules ? aws_scheduler_schedule_group.demo[0].name : null
}
