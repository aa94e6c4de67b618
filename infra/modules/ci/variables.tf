variable "name_prefix" {
  description = "Prefix of the stack's resource names; the deploy role may manage only resources carrying it."
  type        = string
}

variable "github_repository" {
  description = "The only repository allowed to assume the role, as owner/name."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))
    error_message = "github_repository must look like owner/name."
  }
}

variable "allowed_refs" {
  description = "Git refs whose workflows may assume the role (exact match, e.g. refs/heads/main); never for production."
  type        = list(string)
  default     = []
}

variable "allowed_environments" {
  description = "The GitHub deployment environment whose jobs may assume the role (exact match; at most one)."
  type        = list(string)
  default     = []
}

variable "create_oidc_provider" {
  description = "Create the account's GitHub OIDC provider; false reuses an existing one (one per account)."
  type        = bool
  default     = true
}

variable "oidc_provider_arn" {
  description = "ARN of an existing GitHub OIDC provider, used when create_oidc_provider is false."
  type        = string
  default     = null
}

variable "state_bucket" {
  description = "Bucket holding the Terraform state; the role may read and write only state_key_prefix in it."
  type        = string
}

variable "state_key_prefix" {
  description = "Key prefix of this environment's state (and its .tflock lock file)."
  type        = string
}

variable "site_bucket_arn" {
  description = "ARN of the site bucket publish writes releases to."
  type        = string
}

variable "resume_object_arn" {
  description = "ARN of the resume PDF object, the one key publish writes in the resume bucket."
  type        = string
}

variable "lock_table_arn" {
  description = "The table holding the publish lock item (the stack's ephemeral table); null grants no table access."
  type        = string
  default     = null
}

variable "kvs_arn" {
  description = "KeyValueStore with the live release pointer; null when there is no CDN."
  type        = string
  default     = null
}

variable "route53_zone_id" {
  description = "Hosted zone the deploy may change records in; null grants no Route 53 access."
  type        = string
  default     = null
}

variable "max_session_seconds" {
  description = "Longest session a workflow run may hold."
  type        = number
  default     = 3600
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}

variable "distribution_arn" {
  description = "The stack's CloudFront distribution, created by the administrator's first apply; null grants no distribution access."
  type        = string
  default     = null
}
