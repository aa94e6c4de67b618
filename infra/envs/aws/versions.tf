terraform {
  # use_lockfile (S3-native state locking) needs 1.10.
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }

  # Partial configuration: bucket, key and region come from -backend-config at init, so the
  # same code serves any account. State is locked with an S3 lock file, no DynamoDB table needed.
  backend "s3" {
    use_lockfile = true
    encrypt      = true
  }
}
