output "web_acl_arn" {
  description = "ARN of the web ACL, for the distribution's web_acl_id."
  value       = aws_wafv2_web_acl.site.arn
}
