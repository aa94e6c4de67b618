output "event_bus_name" {
  description = "Bus the counter sends visit events to (EVENT_BUS_NAME)."
  value       = aws_cloudwatch_event_bus.this.name
}

output "event_bus_arn" {
  description = "ARN of the bus, for the counter's events:PutEvents permission."
  value       = aws_cloudwatch_event_bus.this.arn
}

output "rule_name" {
  description = "Rule sending visit events to Firehose (and to the relay queue locally)."
  value       = aws_cloudwatch_event_rule.visits.name
}

output "delivery_stream_name" {
  description = "Firehose stream writing the lake."
  value       = aws_kinesis_firehose_delivery_stream.visits.name
}

output "lake_bucket" {
  description = "Bucket of the lake: visits/dt=YYYY-MM-DD/*.gz."
  value       = aws_s3_bucket.lake.bucket
}

output "glue_database" {
  description = "Glue database of the visits table."
  value       = aws_glue_catalog_database.this.name
}

output "glue_table" {
  description = "Glue table of the visits (partition projection on dt)."
  value       = aws_glue_catalog_table.visits.name
}

output "athena_workgroup" {
  description = "Athena workgroup of the report (null when enable_athena is false)."
  value       = var.enable_athena ? aws_athena_workgroup.this[0].name : null
}

output "relay_queue_url" {
  description = "Queue the local relay drains (null unless relay_queue)."
  value       = var.relay_queue ? aws_sqs_queue.relay[0].url : null
}
