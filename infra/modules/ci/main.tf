data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  account   = data.aws_caller_identity.current.account_id
  partition = data.aws_partition.current.partition
  prefix    = var.name_prefix
  role_name = "${var.name_prefix}-github-deploy"
  issuer    = "token.actions.githubusercontent.com"
  subjects = concat(
    [for ref in var.allowed_refs : "repo:${var.github_repository}:ref:${ref}"],
    [for env in var.allowed_environments : "repo:${var.github_repository}:environment:${env}"],
  )
  oidc_provider_arn = var.create_oidc_provider ? aws_iam_openid_connect_provider.github[0].arn : var.oidc_provider_arn
}

resource "aws_iam_openid_connect_provider" "github" {
  count = var.create_oidc_provider ? 1 : 0

  url            = "https://${local.issuer}"
  client_id_list = ["sts.amazonaws.com"]
  # GitHub's intermediate CA thumbprints; AWS validates GitHub tokens against its own trust store too.
  thumbprint_list = [
    "6938fd4d98bab03faadb97b34396831e3780aea1",
    "1c58a3a8518e8759bf075b76b750d4f2df264fcd",
  ]
  tags = var.tags
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [local.oidc_provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
    # Exact subjects only: one repository, listed branches and environments, no wildcards.
    condition {
      test     = "StringEquals"
      variable = "${local.issuer}:sub"
      values   = local.subjects
    }
  }
}

resource "aws_iam_role" "deploy" {
  name                 = local.role_name
  description          = "Assumed by GitHub Actions in ${var.github_repository} to deploy and publish"
  assume_role_policy   = data.aws_iam_policy_document.trust.json
  max_session_duration = var.max_session_seconds
  tags                 = var.tags

  lifecycle {
    # The production environment is the approval gate: a role it guards must not also be open
    # to a branch (any job on that branch could skip the gate), nor to a second environment.
    precondition {
      condition     = !contains(var.allowed_environments, "production") || (length(var.allowed_refs) == 0 && length(var.allowed_environments) == 1)
      error_message = "A role trusted by the production environment must trust nothing else: set allowed_refs = [] and only [\"production\"] in allowed_environments."
    }
    precondition {
      condition     = length(var.allowed_environments) <= 1
      error_message = "A deploy role serves one environment: list at most one in allowed_environments."
    }
  }
}
