variable "name_prefix" {
  description = "Prefix of every resource name, e.g. cloudfolio-prod."
  type        = string
}

variable "bucket_name" {
  description = "Name of the private site bucket (globally unique)."
  type        = string
}

variable "enable_cdn" {
  description = <<-EOT
    Create the CloudFront side (distribution, OAC, headers policy, edge functions, certificate).
    Off for the emulator, which serves S3 but not CloudFront; the local static server plays the
    edge there, reading the same security_headers.json and release mapping code.
  EOT
  type        = bool
  default     = true
}

variable "api_domain" {
  description = "Host of the HTTP API (its execute-api name); CloudFront serves it under /api/*. null: no API behind the site."
  type        = string
  default     = null
}

variable "api_origin_secret" {
  description = "Value CloudFront adds to every /api/* request as the origin secret header; the functions refuse requests without it."
  type        = string
  default     = null
  sensitive   = true
}

variable "domain_name" {
  description = "Custom domain of the site (e.g. www.example.com); null serves it on the cloudfront.net name."
  type        = string
  default     = null
}

variable "alternate_domain_names" {
  description = "Extra names on the certificate and distribution (e.g. the apex example.com)."
  type        = list(string)
  default     = []
}

variable "route53_zone_id" {
  description = "Hosted zone for certificate validation and alias records; required with domain_name."
  type        = string
  default     = null
}

variable "deny_insecure_transport" {
  description = <<-EOT
    Bucket policy statement denying every request made without TLS (aws:SecureTransport).
    Keep it on in AWS. The emulator applies Deny statements without their conditions, so on it the
    statement would refuse every read and write, TLS or not.
  EOT
  type        = bool
  default     = true
}

variable "expire_old_versions" {
  description = <<-EOT
    Expire old object versions with a lifecycle rule. The provider waits about a minute for
    lifecycle rules to settle, so envs/local turns this off on its throwaway emulator.
  EOT
  type        = bool
  default     = true
}

variable "noncurrent_version_days" {
  description = "Days an overwritten or deleted object version is kept before it expires."
  type        = number
  default     = 30
}

variable "viewer_request_code_path" {
  description = "CloudFront Function (cloudfront-js-2.0) that picks the release from the KeyValueStore; null = none."
  type        = string
  default     = null
}

variable "edge_lambda_zip" {
  description = "Lambda@Edge zip mapping release + path to objects (origin request and response); null = none."
  type        = string
  default     = null
}

variable "edge_lambda_handler" {
  description = "Handler of the Lambda@Edge function inside edge_lambda_zip."
  type        = string
  default     = "edge.origin_request.lambda_handler"
}

variable "web_acl_arn" {
  description = "WAFv2 web ACL (CLOUDFRONT scope) to attach; null attaches none."
  type        = string
  default     = null
}

variable "price_class" {
  description = "CloudFront price class."
  type        = string
  default     = "PriceClass_100"
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}

variable "permissions_boundary" {
  description = "Permissions boundary for the roles this module creates (the ci module's; required when the deploy role applies)."
  type        = string
  default     = null
}

variable "content_security_policy" {
  description = "The Content-Security-Policy CloudFront sends: security_headers.json's, widened by the site's settings (cloudfolio.security_headers; `invoke deploy` passes it). null: the file's as written."
  type        = string
  default     = null
}
