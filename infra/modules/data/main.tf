# The counts and other lasting state: backed up (point-in-time recovery). docs/api.md lists what
# each table holds; tests/unit/test_counter_privacy.py checks this file against it.
resource "aws_dynamodb_table" "this" {
  name                        = var.name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = var.partition_key
  range_key                   = var.sort_key
  deletion_protection_enabled = var.deletion_protection

  attribute {
    name = var.partition_key
    type = "S"
  }

  attribute {
    name = var.sort_key
    type = "S"
  }

  ttl {
    attribute_name = var.ttl_attribute
    enabled        = true
  }

  point_in_time_recovery {
    enabled = var.point_in_time_recovery
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }

  tags = var.tags
}

locals {
  ephemeral_name = coalesce(var.ephemeral_name, "${var.name}-ephemeral")
}

# Daily salts and visitor markers. No backup may keep them past their 48 h, so point-in-time
# recovery is off here (and must stay off); TTL and the salt purge job (module stack) delete them.
resource "aws_dynamodb_table" "ephemeral" {
  # checkov:skip=CKV_AWS_28: no point-in-time recovery on purpose: salts and visitor markers must not outlive their 48 h in any backup.
  name                        = local.ephemeral_name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = var.partition_key
  range_key                   = var.sort_key
  deletion_protection_enabled = var.deletion_protection

  attribute {
    name = var.partition_key
    type = "S"
  }

  attribute {
    name = var.sort_key
    type = "S"
  }

  ttl {
    attribute_name = var.ttl_attribute
    enabled        = true
  }

  point_in_time_recovery {
    enabled = false
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }

  tags = var.tags
}
