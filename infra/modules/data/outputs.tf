output "table_name" {
  description = "Name of the table."
  value       = aws_dynamodb_table.this.name
}

output "table_arn" {
  description = "ARN of the table, for least-privilege IAM statements."
  value       = aws_dynamodb_table.this.arn
}

output "key_schema" {
  description = "Partition key, sort key and TTL attribute, as the code expects them."
  value = {
    partition_key = var.partition_key
    sort_key      = var.sort_key
    ttl_attribute = var.ttl_attribute
  }
}

output "ephemeral_table_name" {
  description = "Name of the ephemeral table (EPHEMERAL_TABLE_NAME)."
  value       = aws_dynamodb_table.ephemeral.name
}

output "ephemeral_table_arn" {
  description = "ARN of the ephemeral table, for least-privilege IAM statements."
  value       = aws_dynamodb_table.ephemeral.arn
}

