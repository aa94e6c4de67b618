output "role_arn" {
  description = "Role the workflows assume (aws-actions/configure-aws-credentials role-to-assume)."
  value       = aws_iam_role.deploy.arn
}

output "oidc_provider_arn" {
  description = "The GitHub OIDC provider the role trusts."
  value       = local.oidc_provider_arn
}

output "allowed_subjects" {
  description = "Token subjects allowed to assume the role."
  value       = local.subjects
}
