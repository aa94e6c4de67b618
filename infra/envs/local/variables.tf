variable "aws_endpoint" {
  description = "URL of the AWS emulator (moto server) every service is sent to."
  type        = string
  default     = "http://127.0.0.1:8002"
}

variable "site_origin" {
  description = "Origin of the local static server; the only origin CORS allows locally."
  type        = string
  default     = "http://127.0.0.1:8000"
}

variable "artifacts_dir" {
  description = "Directory of the Lambda zips, relative to this root or absolute."
  type        = string
  default     = "../../../build/lambda"
}

variable "openapi_path" {
  description = "The API description that defines routes and functions, relative to this root or absolute."
  type        = string
  default     = "../../../backend/openapi.json"
}

variable "name_prefix" {
  description = "Prefix of every resource name on the emulator."
  type        = string
  default     = "cloudfolio-local"
}

variable "enable_site" {
  description = "Create the site bucket the local static server and publish --env local use."
  type        = bool
  default     = true
}

variable "enable_functions" {
  description = <<-EOT
    Create the Lambda functions and HTTP API on the emulator (about 6 s of the apply: the provider
    waits after creating a function). moto cannot run them without Docker; the local gateway runs
    the handlers in-process, so `invoke up` may pass false. The contract tests apply them.
  EOT
  type        = bool
  default     = true
}

variable "enable_monitoring" {
  description = "Also create alarms, topic and dashboard on the emulator (off: slower start, no reader)."
  type        = bool
  default     = false
}
