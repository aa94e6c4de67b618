# The secret CloudFront adds to every /api/* request as the X-Origin-Verify header; the functions
# refuse requests without it, so the execute-api URL cannot be used to skip CloudFront (and its
# WAF). Functions read it from Secrets Manager through Powertools Parameters, cached.
#
# The value is generated here, with no extra provider: two random UUIDs (244 random bits),
# kept after the first apply by ignore_changes. It is in the Terraform state: CloudFront's origin
# custom header is a plain attribute of the distribution, so the value is in the state whatever
# generates it; the state lives in the private, encrypted state bucket. Rotate with
# `terraform apply -replace=module.stack.module.api.terraform_data.origin_secret[0]`.
resource "terraform_data" "origin_secret" {
  count = var.origin_secret ? 1 : 0

  input = replace("${uuid()}${uuid()}", "-", "")

  lifecycle {
    ignore_changes = [input]
  }
}

resource "aws_secretsmanager_secret" "origin" {
  # checkov:skip=CKV2_AWS_57: rotation needs CloudFront and the secret changed together; it is a Terraform replace (see above), not a rotation Lambda.
  # checkov:skip=CKV_AWS_149: the AWS-managed key encrypts it; a customer key would cost a key per stack for a value that is also in the state.
  count = var.origin_secret ? 1 : 0

  name                    = "${var.name}-origin-secret"
  description             = "Header value CloudFront adds to /api/* requests; the functions require it"
  recovery_window_in_days = 0
  tags                    = var.tags
}

resource "aws_secretsmanager_secret_version" "origin" {
  count = var.origin_secret ? 1 : 0

  secret_id     = aws_secretsmanager_secret.origin[0].id
  secret_string = terraform_data.origin_secret[0].output
}
