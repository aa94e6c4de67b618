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
    table_leading_keys   = optional(list(string), [])
    ephemeral_actions    = optional(list(string), [])
    s3_read_objects      = optional(list(string), [])
    put_events           = optional(bool, false)
    handler              = optional(string)
    policy_statements = optional(list(object({
      sid       = string
      actions   = list(string)
      resources = list(string)
    })), [])
  }))
  default = {
    counter = {
      # Atomic ADD on the counts, reads for GET /visits; race-safe salt creation and the
      # visitor markers in the ephemeral table. tests/infra checks these equal the calls
      # backend/counter makes.
      table_actions     = ["dynamodb:GetItem", "dynamodb:UpdateItem"]
      ephemeral_actions = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]
      # One analytics event per handled visit (backend/counter/events.py).
      put_events = true
    }
    resume = {
      # Its own counter and markers plus the counter's daily salt (backend/resume/downloads.py);
      # the stack adds s3:GetObject on the one PDF key.
      table_actions      = ["dynamodb:GetItem", "dynamodb:UpdateItem"]
      table_leading_keys = ["DOWNLOADS#*"]
      # The counter's daily salt and the downloaders' markers.
      ephemeral_actions = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]
    }
  }
}

variable "resume_deny_insecure_transport" {
  description = "Resume bucket policy denies non-TLS requests (off only on the emulator, which ignores the condition)."
  type        = bool
  default     = true
}

variable "resume_force_destroy" {
  description = "Let terraform destroy the resume bucket with its PDF (throwaway environments)."
  type        = bool
  default     = false
}

variable "daily_page_view_limit" {
  description = "Views of one page one visitor may add per UTC day (DAILY_PAGE_VIEW_LIMIT)."
  type        = number
  default     = 10
}

variable "salt_purge_schedule" {
  description = "EventBridge schedule of the job deleting daily salts older than 48 h."
  type        = string
  default     = "rate(1 hour)"
}

variable "throttling_rate_limit" {
  description = "API requests per second for a route without its own x-cloudfolio-throttle (every declared route has one)."
  type        = number
  default     = 5
}

variable "throttling_burst_limit" {
  description = "API burst for a route without its own x-cloudfolio-throttle."
  type        = number
  default     = 10
}

variable "require_origin_secret" {
  description = "Functions refuse requests without the origin secret the site's front adds (CloudFront; locally the static server)."
  type        = bool
  default     = true
}

variable "api_rate_limit_per_5_minutes" {
  description = "Requests to /api/* one IP may send in any 5 minutes before the WAF blocks it (with enable_waf)."
  type        = number
  default     = 600
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

# ---- switches: what an environment builds. The emulator cannot serve CloudFront, so envs/local
# turns enable_cdn off; monitoring and CI are off there because nothing would read them.

variable "enable_site" {
  description = "Create the site bucket (publish's target). Works on the emulator."
  type        = bool
  default     = true
}

variable "enable_functions" {
  description = <<-EOT
    Create the Lambda functions and the HTTP API. The emulator stores them but cannot run Lambda
    (moto needs Docker for that), so `invoke up` may turn them off: the local gateway runs the
    handlers in-process with the `function_environments` output, which is computed either way.
  EOT
  type        = bool
  default     = true
}

variable "site_deny_insecure_transport" {
  description = "Site bucket policy denies non-TLS requests (off only on the emulator, which ignores the condition)."
  type        = bool
  default     = true
}

variable "site_content_security_policy" {
  description = "The site's Content-Security-Policy as its settings need it (cloudfolio.security_headers); null: security_headers.json's."
  type        = string
  default     = null
}

variable "site_expire_old_versions" {
  description = "Lifecycle rule expiring old site object versions (off on the emulator: the provider waits ~1 min for it)."
  type        = bool
  default     = true
}

variable "enable_cdn" {
  description = "Create CloudFront, its certificate, headers policy and release edge functions. Not on the emulator."
  type        = bool
  default     = true
}

variable "enable_monitoring" {
  description = "Create alarms, the alarm topic and the dashboard."
  type        = bool
  default     = true
}

variable "enable_waf" {
  description = "Attach a WAFv2 web ACL to the distribution (costs about 6 USD a month plus requests)."
  type        = bool
  default     = false
}

variable "enable_ci" {
  description = "Create the GitHub OIDC provider and the deploy role (needs github_repository and state_bucket)."
  type        = bool
  default     = false
}

# ---- site and domains

variable "domain_name" {
  description = "Site domain (e.g. www.example.com); null serves the site on its cloudfront.net name."
  type        = string
  default     = null
}

variable "alternate_domain_names" {
  description = "Extra names for the site (e.g. the apex)."
  type        = list(string)
  default     = []
}

variable "api_domain_name" {
  description = "API domain (e.g. api.example.com); null keeps the execute-api URL."
  type        = string
  default     = null
}

variable "route53_zone_id" {
  description = "Hosted zone of domain_name and api_domain_name."
  type        = string
  default     = null
}

variable "viewer_request_code_path" {
  description = "CloudFront Function choosing the release (backend/edge/viewer_request.js); null = none."
  type        = string
  default     = null
}

variable "edge_lambda_zip" {
  description = "Lambda@Edge zip mapping release + path to objects; null = none."
  type        = string
  default     = null
}

# ---- monitoring

variable "alarm_email" {
  description = "Email subscribed to alarms; null subscribes nobody."
  type        = string
  default     = null
}

# ---- CI

variable "github_repository" {
  description = "owner/name of the repository whose workflows may deploy (enable_ci)."
  type        = string
  default     = null
}

variable "github_environments" {
  description = "GitHub environments whose jobs may assume the deploy role."
  type        = list(string)
  default     = []
}

variable "github_refs" {
  description = "Git refs whose workflows may assume the deploy role."
  type        = list(string)
  default     = ["refs/heads/main"]
}

variable "create_oidc_provider" {
  description = "Create the account's GitHub OIDC provider (false when another stack already did)."
  type        = bool
  default     = true
}

variable "oidc_provider_arn" {
  description = "Existing GitHub OIDC provider when create_oidc_provider is false."
  type        = string
  default     = null
}

variable "state_bucket" {
  description = "Bucket of the Terraform state (the deploy role may touch only state_key_prefix in it)."
  type        = string
  default     = null
}

variable "state_key_prefix" {
  description = "Key prefix of this environment's state."
  type        = string
  default     = null
}

# ---- analytics

variable "analytics_retention_days" {
  description = "Days a visit stays in the lake."
  type        = number
  default     = 395
}

variable "analytics_buffering_interval_seconds" {
  description = "Firehose buffering interval of the lake (0-900)."
  type        = number
  default     = 900
}

variable "analytics_expire_objects" {
  description = "Lifecycle rules on the lake and results buckets (off on the emulator: the provider waits ~1 min for them)."
  type        = bool
  default     = true
}

variable "enable_athena" {
  description = "Create the Athena workgroup, results bucket and named queries. Not on the emulator (it cannot tag workgroups)."
  type        = bool
  default     = true
}

variable "analytics_relay_queue" {
  description = "Feed the local relay's queue from the visits rule (only on the emulator, whose EventBridge cannot reach Firehose)."
  type        = bool
  default     = false
}

variable "enable_demo" {
  description = "Create the live demo's resources (secret, cleanup, schedules, DLQ) and grant the demo functions their permissions."
  type        = bool
  default     = true
}

variable "demo_provider" {
  description = "Pipeline provider of the live demo: gitlab, github, command or local."
  type        = string
  default     = "gitlab"
}

variable "demo_provider_settings" {
  description = "Plain settings of the demo provider, e.g. { DEMO_GITLAB_PROJECT = \"group/demo\" } (never tokens)."
  type        = map(string)
  default     = {}
}

variable "demo_create_secrets" {
  description = "Create the Secrets Manager secrets for the provider's tokens (values set outside Terraform)."
  type        = bool
  default     = true
}

variable "demo_enable_turnstile" {
  description = "Require a Cloudflare Turnstile token on POST /demo (its secret key is a secret the demo module creates)."
  type        = bool
  default     = false
}

variable "demo_environment_url" {
  description = "URL of a ready demo, {deployment_id} replaced; empty lets the provider name it."
  type        = string
  default     = ""
}

variable "demo_max_duration_s" {
  description = "Seconds a demo lives before it is destroyed."
  type        = number
  default     = 7200
}

variable "demo_visitor_daily_quota" {
  description = "Demos one daily visitor id may start per day."
  type        = number
  default     = 3
}

variable "demo_daily_cap" {
  description = "Demos anyone may start per day."
  type        = number
  default     = 20
}

variable "demo_enable_schedules" {
  description = "EventBridge Scheduler: hourly sweep, nightly forced cleanup and one-time expiry schedules."
  type        = bool
  default     = true
}

variable "attach_dead_letter_queues" {
  description = "Attach the dead-letter queues to the asynchronous functions. The emulator does not report a function's dead-letter config back, so every plan would show a change there; envs/local turns only the attachment off (the queues are still created)."
  type        = bool
  default     = true
}
