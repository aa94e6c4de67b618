variable "name" {
  description = "Table name; every function gets it through TABLE_NAME."
  type        = string
}

variable "partition_key" {
  description = "Partition key attribute (backend/common/schema.py PARTITION_KEY)."
  type        = string
  default     = "pk"
}

variable "sort_key" {
  description = "Sort key attribute (backend/common/schema.py SORT_KEY)."
  type        = string
  default     = "sk"
}

variable "ttl_attribute" {
  description = "Epoch-seconds attribute DynamoDB expires items by (backend/common/schema.py TTL_ATTRIBUTE)."
  type        = string
  default     = "expires_at"
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key for encryption at rest; null uses the AWS-managed key for DynamoDB."
  type        = string
  default     = null
}

variable "point_in_time_recovery" {
  description = "Continuous backups (35 days of point-in-time restore)."
  type        = bool
  default     = true
}

variable "deletion_protection" {
  description = "Refuse DeleteTable; true in prod so a stray destroy cannot lose the counts."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}

variable "ephemeral_name" {
  description = "Name of the ephemeral table (salts, visitor markers; no backups); null is <name>-ephemeral."
  type        = string
  default     = null
}

