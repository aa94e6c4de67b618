variable "name_prefix" {
  description = "Prefix of every resource name, e.g. cloudfolio-prod."
  type        = string
}

variable "table_arn" {
  description = "ARN of the single table holding the lock item, history, quotas and idempotency records."
  type        = string
}

variable "environment" {
  description = "Environment every function gets (backend/common/settings.py ENV_VARS); the cleanup function gets it too."
  type        = map(string)
}

variable "artifacts_dir" {
  description = "Directory holding demo_cleanup.zip, built by cloudfolio/packaging.py."
  type        = string
}

variable "create_cleanup_function" {
  description = "Create the cleanup Lambda (false where the emulator cannot run functions and none are created)."
  type        = bool
  default     = true
}

variable "pipeline_provider" {
  description = "Pipeline provider the demo uses: gitlab, github, command or local (backend/demo/providers)."
  type        = string
  default     = "local"

  validation {
    condition     = contains(["gitlab", "github", "command", "local"], var.pipeline_provider)
    error_message = "pipeline_provider must be gitlab, github, command or local."
  }
}

variable "provider_settings" {
  description = <<-EOT
    The provider's plain settings (backend/common/settings.py DEMO_PROVIDER_ENV_VARS), e.g.
    { DEMO_GITLAB_PROJECT = "group/demo", DEMO_GITLAB_REF = "main" }. Never tokens: those go in
    the secrets this module creates.
  EOT
  type        = map(string)
  default     = {}
}

variable "token_secrets" {
  description = <<-EOT
    Variables that name a secret holding one of the provider's tokens; the module creates one
    Secrets Manager secret per entry and sets the variable to its name. null: what the provider
    needs (gitlab: trigger and read tokens; github: one token; local and command: none).
  EOT
  type        = list(string)
  default     = null
}

variable "create_secrets" {
  description = <<-EOT
    Create the provider's token secrets. Terraform creates the secrets only (this one and the
    Turnstile secret); their values are set outside Terraform (aws secretsmanager put-secret-value),
    so no token is ever in state or plan files.
  EOT
  type        = bool
  default     = true
}

variable "enable_turnstile" {
  description = "Require a Cloudflare Turnstile token on POST /demo; its secret key is a secret created here (whatever create_secrets says), its value set outside Terraform."
  type        = bool
  default     = false
}

variable "secret_kms_key_arn" {
  description = "Customer-managed KMS key for the secrets; null uses the AWS-managed key."
  type        = string
  default     = null
}

variable "environment_url" {
  description = "URL of a ready demo; {deployment_id} is replaced. Empty: the provider names it."
  type        = string
  default     = ""
}

variable "max_duration_s" {
  description = "Seconds a demo lives before it is destroyed."
  type        = number
  default     = 7200
}

variable "deploy_timeout_s" {
  description = "Seconds after which a deploy or destroy still running is stuck: it is failed, then destroyed."
  type        = number
  default     = 2700
}

variable "visitor_daily_quota" {
  description = "Demos one daily visitor id may start per UTC day."
  type        = number
  default     = 3
}

variable "daily_cap" {
  description = "Demos anyone may start per UTC day: the cost ceiling."
  type        = number
  default     = 20
}

variable "history_days" {
  description = "Days finished runs stay in the history (the table's TTL deletes them)."
  type        = number
  default     = 30
}

variable "enable_schedules" {
  description = <<-EOT
    Create the EventBridge Scheduler group, the hourly sweep and the nightly forced cleanup, and let
    the trigger create one-time expiry schedules. Off on the emulator, which stores schedules but
    never runs them (`invoke demo-cleanup` runs the same handler there).
  EOT
  type        = bool
  default     = true
}

variable "sweep_expression" {
  description = "Schedule of the sweep that expires, fails stuck and destroys failed demos."
  type        = string
  default     = "rate(1 hour)"
}

variable "force_expression" {
  description = "Schedule of the nightly forced cleanup (UTC)."
  type        = string
  default     = "cron(0 3 * * ? *)"
}

variable "enable_alarms" {
  description = "Create the dead-letter queue alarm."
  type        = bool
  default     = true
}

variable "alarm_actions" {
  description = "ARNs notified when the dead-letter queue alarm fires (e.g. the monitoring topic)."
  type        = list(string)
  default     = []
}

variable "log_retention_days" {
  description = "Retention of the cleanup function's log group."
  type        = number
  default     = 365
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

variable "attach_dead_letter_queues" {
  description = "Attach the dead-letter queues to the asynchronous functions. The emulator does not report a function's dead-letter config back, so every plan would show a change there; envs/local turns only the attachment off (the queues are still created)."
  type        = bool
  default     = true
}
