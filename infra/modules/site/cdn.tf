locals {
  with_domain  = var.enable_cdn && var.domain_name != null
  domain_names = var.domain_name == null ? [] : concat([var.domain_name], var.alternate_domain_names)
  origin_id    = "site-bucket"
  with_api     = var.enable_cdn && var.api_domain != null
  api_origin   = "api"
  # The header the functions check (backend/common/origin.py HEADER; tests/infra checks they match).
  origin_secret_header = "X-Origin-Verify"
  # AWS's managed "CachingDisabled" policy: every API request reaches the functions.
  caching_disabled_policy_id = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
}

# What the API needs from the viewer, and nothing else (no cookies, no Host: API Gateway routes
# on its own name). CloudFront-Viewer-Address is the reader's address for the counter; the
# functions trust it only beside the origin secret.
resource "aws_cloudfront_origin_request_policy" "api" {
  count = local.with_api ? 1 : 0

  name    = "${var.name_prefix}-api"
  comment = "Forwards what the API reads: body type, CORS, User-Agent, viewer address and country"

  cookies_config {
    cookie_behavior = "none"
  }
  headers_config {
    header_behavior = "whitelist"
    headers {
      items = [
        "Accept", "Content-Type", "Origin", "User-Agent",
        "Access-Control-Request-Method", "Access-Control-Request-Headers",
        "CloudFront-Viewer-Address", "CloudFront-Viewer-Country",
      ]
    }
  }
  query_strings_config {
    query_string_behavior = "all"
  }
}

# /api/visits on the site is /visits on the API: the routes keep their declared paths.
resource "aws_cloudfront_function" "api_request" {
  count = local.with_api ? 1 : 0

  name    = "${var.name_prefix}-api-request"
  runtime = "cloudfront-js-2.0"
  comment = "Strips the /api prefix before the request reaches the HTTP API"
  publish = true
  code    = file("${path.module}/api_request.js")
}

resource "aws_cloudfront_origin_access_control" "site" {
  count = var.enable_cdn ? 1 : 0

  name                              = "${var.name_prefix}-site"
  description                       = "CloudFront signs every request to the private site bucket"
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}

# The release id is in the URI, so the URI alone is the cache key: no cookies, no query strings.
resource "aws_cloudfront_cache_policy" "site" {
  count = var.enable_cdn ? 1 : 0

  name        = "${var.name_prefix}-site"
  comment     = "URI-keyed; objects carry their own Cache-Control"
  min_ttl     = 0
  default_ttl = 300
  max_ttl     = 31536000

  parameters_in_cache_key_and_forwarded_to_origin {
    enable_accept_encoding_brotli = true
    enable_accept_encoding_gzip   = true

    cookies_config {
      cookie_behavior = "none"
    }
    headers_config {
      header_behavior = "none"
    }
    query_strings_config {
      query_string_behavior = "none"
    }
  }
}

resource "aws_acm_certificate" "site" {
  count    = local.with_domain ? 1 : 0
  provider = aws.us_east_1

  domain_name               = var.domain_name
  subject_alternative_names = var.alternate_domain_names
  validation_method         = "DNS"
  tags                      = var.tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_route53_record" "site_validation" {
  for_each = local.with_domain ? {
    for dvo in aws_acm_certificate.site[0].domain_validation_options : dvo.domain_name => dvo
  } : {}

  zone_id         = var.route53_zone_id
  name            = each.value.resource_record_name
  type            = each.value.resource_record_type
  records         = [each.value.resource_record_value]
  ttl             = 300
  allow_overwrite = true
}

resource "aws_acm_certificate_validation" "site" {
  count    = local.with_domain ? 1 : 0
  provider = aws.us_east_1

  certificate_arn         = aws_acm_certificate.site[0].arn
  validation_record_fqdns = [for record in aws_route53_record.site_validation : record.fqdn]
}

resource "aws_cloudfront_distribution" "site" {
  # checkov:skip=CKV_AWS_86: standard logs record raw client IPs, which the privacy model forbids; the counter API measures traffic instead.
  # checkov:skip=CKV_AWS_310: a single private bucket is the only origin; a failover origin would hold the same data in the same region.
  # checkov:skip=CKV_AWS_68: WAF is optional for cost (module waf, enable_waf); web_acl_id is set when it is on.
  # checkov:skip=CKV2_AWS_47: WAF is optional for cost (module waf, enable_waf); its managed rules include the Log4j set when on.
  # checkov:skip=CKV_AWS_174: the protocol floor is TLSv1.2_2021 with a custom domain; the default cloudfront.net certificate cannot set one.
  # checkov:skip=CKV_AWS_374: a public resume and blog is meant for readers everywhere; geo blocking would only hide it.
  # checkov:skip=CKV2_AWS_42: a custom certificate is used whenever domain_name is set; without a domain CloudFront's own certificate is the only option.
  count = var.enable_cdn ? 1 : 0

  enabled             = true
  comment             = "${var.name_prefix} site"
  default_root_object = "index.html"
  http_version        = "http2and3"
  is_ipv6_enabled     = true
  price_class         = var.price_class
  aliases             = local.domain_names
  web_acl_id          = var.web_acl_arn

  origin {
    origin_id                = local.origin_id
    domain_name              = aws_s3_bucket.site.bucket_regional_domain_name
    origin_access_control_id = aws_cloudfront_origin_access_control.site[0].id
  }

  dynamic "origin" {
    for_each = local.with_api ? [var.api_domain] : []
    content {
      origin_id   = local.api_origin
      domain_name = origin.value

      custom_origin_config {
        http_port              = 80
        https_port             = 443
        origin_protocol_policy = "https-only"
        origin_ssl_protocols   = ["TLSv1.2"]
      }

      custom_header {
        name  = local.origin_secret_header
        value = var.api_origin_secret
      }
    }
  }

  # The API on the site's own domain: no cache, every method, the WAF in front.
  dynamic "ordered_cache_behavior" {
    for_each = local.with_api ? ["/api/*"] : []
    content {
      path_pattern             = ordered_cache_behavior.value
      target_origin_id         = local.api_origin
      viewer_protocol_policy   = "https-only"
      allowed_methods          = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]
      cached_methods           = ["GET", "HEAD"]
      compress                 = true
      cache_policy_id          = local.caching_disabled_policy_id
      origin_request_policy_id = aws_cloudfront_origin_request_policy.api[0].id

      function_association {
        event_type   = "viewer-request"
        function_arn = aws_cloudfront_function.api_request[0].arn
      }
    }
  }

  default_cache_behavior {
    target_origin_id           = local.origin_id
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = ["GET", "HEAD", "OPTIONS"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = true
    cache_policy_id            = aws_cloudfront_cache_policy.site[0].id
    response_headers_policy_id = aws_cloudfront_response_headers_policy.security[0].id

    dynamic "function_association" {
      for_each = aws_cloudfront_function.viewer_request
      content {
        event_type   = "viewer-request"
        function_arn = function_association.value.arn
      }
    }

    dynamic "lambda_function_association" {
      for_each = local.with_edge_lambda ? ["origin-request", "origin-response"] : []
      content {
        event_type   = lambda_function_association.value
        lambda_arn   = aws_lambda_function.edge[0].qualified_arn
        include_body = false
      }
    }
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    cloudfront_default_certificate = !local.with_domain
    acm_certificate_arn            = local.with_domain ? aws_acm_certificate_validation.site[0].certificate_arn : null
    ssl_support_method             = local.with_domain ? "sni-only" : null
    minimum_protocol_version       = local.with_domain ? "TLSv1.2_2021" : "TLSv1"
  }

  tags = var.tags
}

resource "aws_route53_record" "site_alias" {
  for_each = local.with_domain ? {
    for pair in setproduct(local.domain_names, ["A", "AAAA"]) : "${pair[0]} ${pair[1]}" => pair
  } : {}

  zone_id = var.route53_zone_id
  name    = each.value[0]
  type    = each.value[1]

  alias {
    name                   = aws_cloudfront_distribution.site[0].domain_name
    zone_id                = aws_cloudfront_distribution.site[0].hosted_zone_id
    evaluate_target_health = false
  }
}
