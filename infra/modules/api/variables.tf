variable "create" {
  description = "Create the API; false for emulators whose API Gateway cannot invoke functions."
  type        = bool
  default     = true
}

variable "name" {
  description = "Name of the HTTP API."
  type        = string
}

variable "routes" {
  description = "Route key (\"METHOD /path\", from backend/openapi.json) -> handler name."
  type        = map(string)
}

variable "function_names" {
  description = "Handler name -> deployed Lambda function name."
  type        = map(string)
}

variable "invoke_arns" {
  description = "Handler name -> Lambda invoke ARN."
  type        = map(string)
}

variable "cors_allowed_origins" {
  description = "Origins allowed by CORS: the site's origins only, never \"*\"."
  type        = list(string)

  validation {
    condition     = !contains(var.cors_allowed_origins, "*")
    error_message = "CORS must list the site's origins explicitly."
  }
}

variable "route_throttles" {
  description = "Route key -> {rate_limit, burst_limit}, from the API description's x-cloudfolio-throttle."
  type = map(object({
    rate_limit  = number
    burst_limit = number
  }))
  default = {}
}

variable "throttling_rate_limit" {
  description = "Steady-state requests per second for any route without its own throttle."
  type        = number
  default     = 5
}

variable "throttling_burst_limit" {
  description = "Burst for any route without its own throttle."
  type        = number
  default     = 10
}

variable "origin_secret" {
  description = "Create the origin secret the site's front (CloudFront) adds and the functions require."
  type        = bool
  default     = true
}

variable "log_retention_days" {
  description = "Retention of the access log group."
  type        = number
  default     = 365
}

variable "domain_name" {
  description = "Optional custom domain for the API (e.g. api.example.com); null keeps the execute-api URL."
  type        = string
  default     = null
}

variable "route53_zone_id" {
  description = "Hosted zone for domain_name's certificate validation and alias record."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
