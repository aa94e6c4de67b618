variable "create" {
  description = <<-EOT
    Create the functions. false still computes the `environments` output, for emulators that
    store Lambda functions but cannot run them (moto without Docker): the local gateway runs the
    handlers in-process with exactly those variables.
  EOT
  type        = bool
  default     = true
}

variable "name_prefix" {
  description = "Prefix of every function, role and log group name (e.g. cloudfolio-prod)."
  type        = string
}

variable "functions" {
  description = <<-EOT
    One entry per Lambda handler, keyed by the backend package name (backend/<name>/handler.py).
    table_actions: the exact DynamoDB actions the handler calls on the table (least privilege).
    async: true when the function is invoked asynchronously (events, schedules); it then gets an
    SQS dead-letter queue. reserved_concurrency: -1 leaves the function unreserved.
    table_leading_keys: when set, the partition keys (StringLike patterns) the table actions are
    limited to. ephemeral_actions: the DynamoDB actions on the ephemeral table (salts, markers),
    which only functions that identify visitors get. s3_read_objects: object ARNs the function may s3:GetObject, and nothing else.
    handler: the module's entry point when it is not <name>.handler.lambda_handler (one package
    serving several functions, as backend/functions.py maps them). policy_statements: further
    Allow statements beyond the table (secrets, schedules), each on named resources.
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
}

variable "event_bus_arn" {
  description = "Bus that functions with put_events may send events to (events:PutEvents on it alone)."
  type        = string
  default     = null
}

variable "artifacts_dir" {
  description = "Directory holding <function>.zip, built reproducibly by cloudfolio/packaging.py."
  type        = string
}

variable "runtime" {
  description = "Lambda runtime; the zips are built for it."
  type        = string
  default     = "python3.12"
}

variable "architecture" {
  description = "Instruction set the dependency wheels were installed for."
  type        = string
  default     = "x86_64"
}

variable "table_arn" {
  description = "ARN of the single table; the only DynamoDB resource any role is granted."
  type        = string
}

variable "secret_arns" {
  description = "Secrets Manager secrets every function may read (the origin secret)."
  type        = list(string)
  default     = []
}

variable "ephemeral_table_arn" {
  description = "ARN of the ephemeral table (salts, visitor markers); granted to functions with ephemeral_actions."
  type        = string
  default     = null
}

variable "environment" {
  description = "Environment variables every function gets (backend/common/settings.py ENV_VARS)."
  type        = map(string)
}

variable "log_retention_days" {
  description = "Retention of each function's log group."
  type        = number
  default     = 365
}

variable "tracing_mode" {
  description = "X-Ray tracing mode (Active samples and traces every invocation path)."
  type        = string
  default     = "Active"
}

variable "powertools_namespace" {
  description = "CloudWatch metrics namespace for Powertools Metrics."
  type        = string
  default     = "cloudfolio"
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
