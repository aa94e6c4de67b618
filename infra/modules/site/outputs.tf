output "bucket_name" {
  description = "Name of the private site bucket publish writes to."
  value       = aws_s3_bucket.site.id
}

output "bucket_arn" {
  description = "ARN of the site bucket."
  value       = aws_s3_bucket.site.arn
}

output "distribution_id" {
  description = "CloudFront distribution ID (null without the CDN)."
  value       = var.enable_cdn ? aws_cloudfront_distribution.site[0].id : null
}

output "distribution_arn" {
  description = "CloudFront distribution ARN (null without the CDN)."
  value       = var.enable_cdn ? aws_cloudfront_distribution.site[0].arn : null
}

output "site_url" {
  description = "Public URL of the site (null without the CDN)."
  value       = !var.enable_cdn ? null : "https://${var.domain_name != null ? var.domain_name : aws_cloudfront_distribution.site[0].domain_name}"
}

output "kvs_arn" {
  description = "KeyValueStore holding the live release pointer (null without the CDN)."
  value       = var.enable_cdn ? aws_cloudfront_key_value_store.releases[0].arn : null
}

output "edge_lambda_role_arn" {
  description = "Execution role of the origin Lambda@Edge, if any."
  value       = local.with_edge_lambda ? aws_iam_role.edge[0].arn : null
}
