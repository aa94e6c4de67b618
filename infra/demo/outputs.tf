output "bucket" {
  description = "Name of the website bucket."
  value       = aws_s3_bucket.site.id
}

output "table_name" {
  description = "Name of the demo table."
  value       = aws_dynamodb_table.demo.name
}

output "website_endpoint" {
  description = "The S3 website endpoint of the page (on AWS; the emulator serves it by path)."
  value       = aws_s3_bucket_website_configuration.site.website_endpoint
}
