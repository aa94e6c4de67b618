variable "deployment_id" {
  description = "The deployment this stack belongs to; the page names it and every resource carries it."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{2,40}$", var.deployment_id))
    error_message = "deployment_id must be 3-41 characters of lower-case letters, digits and dashes."
  }
}

variable "bucket_name" {
  description = "Name of the website bucket (the pipeline derives it from the deployment id)."
  type        = string
}

variable "table_name" {
  description = "Name of the demo DynamoDB table."
  type        = string
}

variable "aws_endpoint" {
  description = "URL of an AWS emulator to send every call to; empty for real AWS."
  type        = string
  default     = ""
}

variable "region" {
  description = "AWS region of the demo resources."
  type        = string
  default     = "us-east-1"
}
