# The same stack as staging and prod, applied to the emulator on every `invoke up`.
# State is throwaway (the emulator starts empty), so the tooling passes -state=build/local/...
module "stack" {
  source = "../../modules/stack"

  # The emulator's one region is us-east-1, so the same provider stands in for both.
  providers = {
    aws           = aws
    aws.us_east_1 = aws
  }

  name_prefix   = var.name_prefix
  openapi_path  = var.openapi_path
  artifacts_dir = var.artifacts_dir
  site_origins  = [var.site_origin]

  # moto serves S3, DynamoDB, Lambda, IAM, Logs, SQS and API Gateway v2, which is what the local
  # stack uses. CloudFront is played by the local static server; alarms, WAF and the CI role have
  # no reader on one machine. See docs/infrastructure.md.
  enable_functions = var.enable_functions
  enable_site      = var.enable_site
  enable_cdn       = false
  # moto does not report a function's dead-letter config back: attached, it would show as a
  # change in every plan. The queues themselves are created as in AWS.
  attach_dead_letter_queues = false
  enable_monitoring         = var.enable_monitoring
  enable_waf                = false
  enable_ci                 = false

  # moto applies a bucket policy's Deny statements without their conditions: the TLS-only
  # statement would refuse the static server and publish every object (see docs/infrastructure.md).
  site_deny_insecure_transport   = false
  resume_deny_insecure_transport = false
  resume_force_destroy           = true

  # The provider waits about a minute for lifecycle rules to settle; a throwaway bucket needs none.
  site_expire_old_versions = false

  # The demo runs real Terraform pipelines on this machine against the emulator, needs no tokens,
  # and its schedules never fire on the emulator: `invoke demo-cleanup` runs the cleanup instead
  # (the scheduler resources are checked by terraform validate and checkov).
  demo_provider         = "local"
  demo_create_secrets   = false
  demo_enable_schedules = false

  # Short retention: local logs are only for the current session.
  log_retention_days = 1

  # moto's EventBridge cannot reach Firehose and moto cannot tag Athena workgroups: the rule also
  # feeds a queue that the local relay delivers as Firehose would (cloudfolio/analytics/relay.py),
  # and the report uses DuckDB. A short buffer, so a visit reaches the lake within seconds.
  enable_athena                        = false
  analytics_relay_queue                = true
  analytics_buffering_interval_seconds = 2
  analytics_expire_objects             = false
}
