# The permissions boundary every role the deploy role creates or changes must carry. A role under
# it can never touch IAM outside the stack's roles, Organizations, or the policy and life of a KMS
# key that is not the stack's, whatever inline policy a hijacked deploy gives it.

locals {
  boundary_name = "${local.prefix}-boundary"
  boundary_arn  = "arn:${local.partition}:iam::${local.account}:policy/${local.boundary_name}"
  # IAM actions that read nothing: anything that creates, changes, attaches or passes.
  iam_writes = [
    "iam:Add*", "iam:Attach*", "iam:Change*", "iam:Create*", "iam:Deactivate*", "iam:Delete*",
    "iam:Detach*", "iam:Enable*", "iam:PassRole", "iam:Put*", "iam:Remove*", "iam:Reset*",
    "iam:Resync*", "iam:Set*", "iam:Tag*", "iam:Untag*", "iam:Update*", "iam:Upload*",
  ]
  key_policy_changes = [
    "kms:PutKeyPolicy", "kms:CreateGrant", "kms:RetireGrant", "kms:RevokeGrant",
    "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion", "kms:DisableKey", "kms:EnableKey",
    "kms:ReplicateKey", "kms:UpdatePrimaryRegion", "kms:TagResource", "kms:UntagResource",
    "kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias",
  ]
}

# Shared by the boundary and the deploy role's own policy (the role itself carries no boundary).
data "aws_iam_policy_document" "protect_boundaries" {
  statement {
    sid       = "NoBoundaryRemoval"
    effect    = "Deny"
    actions   = ["iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary"]
    resources = ["*"]
  }

  statement {
    sid       = "NoBoundaryEdits"
    effect    = "Deny"
    actions   = ["iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:TagPolicy", "iam:UntagPolicy"]
    resources = [local.boundary_arn]
  }
}

data "aws_iam_policy_document" "boundary" {
  # checkov:skip=CKV_AWS_1: a permissions boundary grants nothing: it caps the role's own policies, and its denies are the point
  # checkov:skip=CKV_AWS_49: a permissions boundary grants nothing: it caps the role's own policies, and its denies are the point
  # checkov:skip=CKV_AWS_107: a permissions boundary grants nothing: it caps the role's own policies, and its denies are the point
  # checkov:skip=CKV_AWS_108: a permissions boundary grants nothing: it caps the role's own policies, and its denies are the point
  # checkov:skip=CKV_AWS_109: a permissions boundary grants nothing: it caps the role's own policies, and its denies are the point
  # checkov:skip=CKV_AWS_110: a permissions boundary grants nothing: it caps the role's own policies, and its denies are the point
  # checkov:skip=CKV_AWS_111: a permissions boundary grants nothing: it caps the role's own policies, and its denies are the point
  # checkov:skip=CKV_AWS_356: a permissions boundary grants nothing: it caps the role's own policies, and its denies are the point
  source_policy_documents = [data.aws_iam_policy_document.protect_boundaries.json]

  # A boundary only caps: what a role may really do is still what its own policies grant.
  statement {
    sid       = "CapOnly"
    actions   = ["*"]
    resources = ["*"]
  }

  statement {
    sid           = "NoIamOutsideTheStack"
    effect        = "Deny"
    actions       = local.iam_writes
    not_resources = [local.arn.roles]
  }

  statement {
    sid       = "NoOrganizations"
    effect    = "Deny"
    actions   = ["organizations:*", "account:*"]
    resources = ["*"]
  }

  # Stack keys carry an alias with the prefix (alias/<prefix>-...); no other key's policy,
  # grants, tags or life may change.
  statement {
    sid       = "NoKeyPolicyChangesOutsideTheStack"
    effect    = "Deny"
    actions   = local.key_policy_changes
    resources = ["*"]
    condition {
      test     = "ForAllValues:StringNotLike"
      variable = "kms:ResourceAliases"
      values   = ["alias/${local.prefix}-*"]
    }
  }
}

resource "aws_iam_policy" "boundary" {
  name        = local.boundary_name
  description = "Permissions boundary of every role the ${local.prefix} deploy role creates"
  policy      = data.aws_iam_policy_document.boundary.json
  tags        = var.tags
}
