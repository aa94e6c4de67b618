variable "name_prefix" {
  description = "Prefix of every resource name, e.g. cloudfolio-prod."
  type        = string
}

variable "lake_bucket_name" {
  description = "Name of the lake bucket (globally unique)."
  type        = string
}

variable "retention_days" {
  description = "Days a visit stays in the lake before the lifecycle rule expires it."
  type        = number
  default     = 395

  validation {
    condition     = var.retention_days >= 1
    error_message = "retention_days must be at least 1."
  }
}

variable "expire_objects" {
  description = <<-EOT
    Lifecycle rules expiring the lake after retention_days and query results after a week. The
    provider waits about a minute for lifecycle rules to settle, so envs/local turns this off on
    its throwaway emulator.
  EOT
  type        = bool
  default     = true
}

variable "buffering_interval_seconds" {
  description = "Firehose buffering interval: the longest a visit waits before it is written (0-900)."
  type        = number
  default     = 900

  validation {
    condition     = var.buffering_interval_seconds >= 0 && var.buffering_interval_seconds <= 900
    error_message = "buffering_interval_seconds must be between 0 and 900."
  }
}

variable "buffering_size_mb" {
  description = "Firehose buffering size in MiB of records before compression (1-128)."
  type        = number
  default     = 64

  validation {
    condition     = var.buffering_size_mb >= 1 && var.buffering_size_mb <= 128
    error_message = "buffering_size_mb must be between 1 and 128."
  }
}

variable "queries_dir" {
  description = "Directory of the report's SQL files (cloudfolio/analytics/sql); null uses the repository's."
  type        = string
  default     = null
}

variable "enable_athena" {
  description = "Create the Athena workgroup, its results bucket and the named queries (off on the emulator, which cannot tag workgroups)."
  type        = bool
  default     = true
}

variable "relay_queue" {
  description = "Also send the rule's events to an SQS queue that the local relay delivers (only on the emulator, whose EventBridge cannot reach Firehose)."
  type        = bool
  default     = false
}

variable "log_retention_days" {
  description = "Retention of the Firehose error log group."
  type        = number
  default     = 365
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key for the lake and results buckets; null uses SSE-S3."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}

variable "permissions_boundary" {
  description = "Permissions boundary for the roles this module creates (the ci module's; required when the deploy role applies)."
  type        = string
  default     = null
}
