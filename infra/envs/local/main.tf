# The same stack as staging and prod, applied to the emulator on every `invoke up`.
# State is throwaway (the emulator starts empty), so the tooling passes -state=build/local/...
module "stack" {
  source = "../../modules/stack"

  name_prefix   = var.name_prefix
  openapi_path  = var.openapi_path
  artifacts_dir = var.artifacts_dir
  site_origins  = [var.site_origin]

  # Short retention: local logs are only for the current session.
  log_retention_days = 1
}
