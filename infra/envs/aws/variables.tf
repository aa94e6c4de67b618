variable "environment" {
  description = "Which stack this root builds: staging or prod (set by staging.tfvars or prod.tfvars)."
  type        = string

  validation {
    condition     = contains(["staging", "prod"], var.environment)
    error_message = "environment must be staging or prod."
  }
}

variable "region" {
  description = "Region of everything except the CloudFront certificate, web ACL and edge functions (us-east-1)."
  type        = string
  default     = "eu-west-1"
}

variable "site_origins" {
  description = "Extra origins the site is served from (the custom and CloudFront names are added automatically)."
  type        = list(string)
  default     = []
}

variable "domain_name" {
  description = "Site domain, e.g. www.example.com; null serves the site on its cloudfront.net name."
  type        = string
  default     = null
}

variable "alternate_domain_names" {
  description = "Extra site names, e.g. the apex example.com."
  type        = list(string)
  default     = []
}

variable "api_domain_name" {
  description = "API domain, e.g. api.example.com; null keeps the execute-api URL."
  type        = string
  default     = null
}

variable "route53_zone_id" {
  description = "Hosted zone of the domains (required when a domain is set)."
  type        = string
  default     = null
}

variable "alarm_email" {
  description = "Email that receives alarms; null subscribes nobody."
  type        = string
  default     = null
}

variable "enable_waf" {
  description = "Attach the WAFv2 web ACL to the distribution (extra cost)."
  type        = bool
  default     = false
}

variable "github_repository" {
  description = "owner/name whose workflows may deploy; null creates no CI role."
  type        = string
  default     = null
}

variable "github_environments" {
  description = "GitHub environments whose jobs may assume the deploy role; null: the environment's own (staging, or production for prod)."
  type        = list(string)
  default     = null
}

variable "create_oidc_provider" {
  description = "Create the account's GitHub OIDC provider (false if staging already did in the same account)."
  type        = bool
  default     = true
}

variable "oidc_provider_arn" {
  description = "Existing GitHub OIDC provider when create_oidc_provider is false."
  type        = string
  default     = null
}

variable "state_bucket" {
  description = "Bucket of the Terraform state (as passed to init -backend-config=bucket=...)."
  type        = string
  default     = null
}

variable "state_key" {
  description = "Key of this environment's state (as passed to init -backend-config=key=...); null: cloudfolio/<environment>.tfstate."
  type        = string
  default     = null
}

variable "artifacts_dir" {
  description = "Directory of the Lambda zips, relative to this root or absolute."
  type        = string
  default     = "../../../build/lambda"
}

variable "openapi_path" {
  description = "The API description that defines routes and functions."
  type        = string
  default     = "../../../backend/openapi.json"
}

variable "edge_code_dir" {
  description = "Directory of the edge code (viewer_request.js)."
  type        = string
  default     = "../../../backend/edge"
}

variable "content_security_policy" {
  description = "The site's Content-Security-Policy, which `invoke deploy` builds from the site's settings (cloudfolio.security_headers). null: security_headers.json's."
  type        = string
  default     = null
}

variable "demo_enable_turnstile" {
  description = "The demo API verifies a Turnstile token on each start; `invoke deploy` sets it when publishconf.py carries a Turnstile site key (CLOUDFOLIO_DEMO_TURNSTILE_SITE_KEY)."
  type        = bool
  default     = false
}
