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

output "permissions_boundary_arn" {
  description = "Boundary every role the stack creates must carry (permissions_boundary of aws_iam_role)."
  value       = aws_iam_policy.boundary.arn
}
