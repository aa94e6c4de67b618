# security_headers.json is the one declaration of the site's headers: CloudFront (here) and the
# local static server both read it, so what is tested locally is what readers get.
locals {
  declared_headers = {
    for name, value in jsondecode(file("${path.module}/security_headers.json")) :
    lower(name) => trimspace(value)
  }

  hsts = local.declared_headers["strict-transport-security"]

  # Headers CloudFront models with typed blocks; everything else goes out as a custom header.
  typed_headers = [
    "strict-transport-security", "content-security-policy", "x-content-type-options",
    "x-frame-options", "referrer-policy", "x-xss-protection",
  ]
  custom_headers = { for name, value in local.declared_headers : name => value if !contains(local.typed_headers, name) }
}

resource "aws_cloudfront_response_headers_policy" "security" {
  # checkov:skip=CKV_AWS_259: HSTS is parsed from security_headers.json (2 years, includeSubDomains, preload), which checkov cannot evaluate; tests/infra asserts it.
  count = var.enable_cdn ? 1 : 0

  name    = "${var.name_prefix}-security-headers"
  comment = "From infra/modules/site/security_headers.json"

  security_headers_config {
    strict_transport_security {
      access_control_max_age_sec = tonumber(trimprefix(trimspace(split(";", local.hsts)[0]), "max-age="))
      include_subdomains         = strcontains(lower(local.hsts), "includesubdomains")
      preload                    = strcontains(lower(local.hsts), "preload")
      override                   = true
    }

    content_security_policy {
      content_security_policy = coalesce(var.content_security_policy, local.declared_headers["content-security-policy"])
      override                = true
    }

    content_type_options {
      override = true
    }

    frame_options {
      frame_option = upper(local.declared_headers["x-frame-options"])
      override     = true
    }

    referrer_policy {
      referrer_policy = local.declared_headers["referrer-policy"]
      override        = true
    }
  }

  dynamic "custom_headers_config" {
    for_each = length(local.custom_headers) > 0 ? [1] : []
    content {
      dynamic "items" {
        for_each = local.custom_headers
        content {
          header   = items.key
          value    = items.value
          override = true
        }
      }
    }
  }
}
