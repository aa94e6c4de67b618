variable "name_prefix" {
  description = "Prefix of the web ACL name."
  type        = string
}

variable "rate_limit_per_5_minutes" {
  description = "Requests one IP may send in any 5-minute window before it is blocked."
  type        = number
  default     = 1000
}

variable "api_rate_limit_per_5_minutes" {
  description = "Requests to /api/* one IP may send in any 5-minute window before it is blocked."
  type        = number
  default     = 600
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
