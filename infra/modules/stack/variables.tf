variable "name_prefix" {
  description = "Prefix of every resource name, e.g. cloudfolio-prod. Lowercase letters, digits and dashes."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,40}$", var.name_prefix))
    error_message = "name_prefix must be 3-41 lowercase letters, digits or dashes."
  }
}

variable "site_id" {
  description = "Identifier of the site in the counter keys (SITE_ID)."
  type        = string
  default     = "cloudfolio"
}

variable "openapi_path" {
  description = "The API description; its paths and x-cloudfolio-function tags define routes and functions."
  type        = string
}

variable "artifacts_dir" {
  description = "Directory holding the Lambda zips (<function>.zip) built by cloudfolio/packaging.py."
  type        = string
}

variable "site_origins" {
  description = "Origins the site is served from; the API's CORS whitelist and CORS_ALLOWED_ORIGINS."
  type        = list(string)
}

variable "function_settings" {
  description = <<-EOT
    Per-handler settings (see module functions). A handler found in the API description but absent
    here gets no table access at all, so permissions are always granted explicitly.
  EOT
  type = map(object({
    table_actions        = list(string)
    async                = optional(bool, false)
    memory_size          = optional(number, 256)
    timeout              = optional(number, 10)
    reserved_concurrency = optional(number, -1)
    environment          = optional(map(string), {})
  }))
  default = {
    counter = {
      # Atomic ADD on counters, race-safe salt creation, reads for GET /visits.
      table_actions = ["dynamodb:UpdateItem", "dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:BatchGetItem"]
    }
  }
}

variable "throttling_rate_limit" {
  description = "API stage steady-state requests per second."
  type        = number
  default     = 5
}

variable "throttling_burst_limit" {
  description = "API stage burst above the steady rate."
  type        = number
  default     = 10
}

variable "log_retention_days" {
  description = "Retention of every log group."
  type        = number
  default     = 365
}

variable "deletion_protection" {
  description = "Table deletion protection; true in prod."
  type        = bool
  default     = false
}

variable "table_kms_key_arn" {
  description = "Customer-managed KMS key for the table; null uses the AWS-managed key."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
