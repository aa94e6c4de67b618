variable "name_prefix" {
  description = "Prefix of alarm, topic and dashboard names."
  type        = string
}

variable "function_names" {
  description = "Handler -> deployed Lambda function name; each gets error and throttle alarms."
  type        = map(string)
}

variable "api_id" {
  description = "ID of the HTTP API whose 5xx and latency are watched."
  type        = string
}

variable "api_stage" {
  description = "Stage of the HTTP API."
  type        = string
  default     = "$default"
}

variable "table_name" {
  description = "DynamoDB table whose throttles are watched."
  type        = string
}

variable "alarm_email" {
  description = "Address subscribed to the alarm topic; null subscribes nobody (confirm the email AWS sends)."
  type        = string
  default     = null
}

variable "api_latency_p95_ms" {
  description = "p95 API latency above which the latency alarm fires."
  type        = number
  default     = 1000
}

variable "api_5xx_threshold" {
  description = "5xx responses per 5 minutes above which the API alarm fires."
  type        = number
  default     = 0
}

variable "period_seconds" {
  description = "Evaluation period of every alarm."
  type        = number
  default     = 300
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}

variable "deploy_role_arn" {
  description = "The CI deploy role, named in the alarm key's policy (its only way to manage the key); null for none."
  type        = string
  default     = null
}
