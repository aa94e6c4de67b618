locals {
  methods     = sort(distinct([for key, _ in var.routes : split(" ", key)[0]]))
  handlers    = var.create ? toset(values(var.routes)) : toset([])
  routes      = var.create ? var.routes : {}
  with_domain = var.create && var.domain_name != null
}

resource "aws_apigatewayv2_api" "this" {
  count = var.create ? 1 : 0

  name          = var.name
  protocol_type = "HTTP"

  # The site calls /api on its own origin; CORS is only for extra origins, when configured.
  dynamic "cors_configuration" {
    for_each = length(var.cors_allowed_origins) > 0 ? [1] : []
    content {
      allow_origins = var.cors_allowed_origins
      allow_methods = local.methods
      # Request headers the API description declares (tests check both lists agree).
      allow_headers = ["content-type", "idempotency-key", "cf-turnstile-response"]
      max_age       = 600
    }
  }

  tags = var.tags
}

resource "aws_apigatewayv2_integration" "handler" {
  for_each = local.handlers

  api_id                 = aws_apigatewayv2_api.this[0].id
  integration_type       = "AWS_PROXY"
  integration_method     = "POST"
  integration_uri        = var.invoke_arns[each.key]
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "this" {
  # checkov:skip=CKV_AWS_309: the routes are public by design; CloudFront's origin secret, per-route throttles and the WAF's per-IP rule bound abuse.
  for_each = local.routes

  api_id             = aws_apigatewayv2_api.this[0].id
  route_key          = each.key
  authorization_type = "NONE"
  target             = "integrations/${aws_apigatewayv2_integration.handler[each.value].id}"
}

resource "aws_cloudwatch_log_group" "access" {
  count = var.create ? 1 : 0
  # checkov:skip=CKV_AWS_158: access logs hold no raw IP or User-Agent (see the format below); service-key encryption at rest.
  name              = "/aws/apigateway/${var.name}"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

resource "aws_apigatewayv2_stage" "default" {
  count = var.create ? 1 : 0

  api_id      = aws_apigatewayv2_api.this[0].id
  name        = "$default"
  auto_deploy = true

  # Only what no route declares falls back to these (every declared route has its own).
  default_route_settings {
    throttling_rate_limit  = var.throttling_rate_limit
    throttling_burst_limit = var.throttling_burst_limit
  }

  # Per-route limits from the API description's x-cloudfolio-throttle.
  dynamic "route_settings" {
    for_each = { for key, limits in var.route_throttles : key => limits if contains(keys(local.routes), key) }
    content {
      route_key              = route_settings.key
      throttling_rate_limit  = route_settings.value.rate_limit
      throttling_burst_limit = route_settings.value.burst_limit
    }
  }

  # JSON, and deliberately without $context.identity.sourceIp / userAgent: no raw IP or UA at rest.
  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access[0].arn
    format = jsonencode({
      requestId          = "$context.requestId"
      requestTime        = "$context.requestTimeEpoch"
      routeKey           = "$context.routeKey"
      status             = "$context.status"
      protocol           = "$context.protocol"
      responseLength     = "$context.responseLength"
      responseLatency    = "$context.responseLatency"
      integrationLatency = "$context.integrationLatency"
      integrationError   = "$context.integrationErrorMessage"
    })
  }

  tags = var.tags

  # Route settings name routes, which must exist first.
  depends_on = [aws_apigatewayv2_route.this]
}

resource "aws_lambda_permission" "invoke" {
  for_each = local.handlers

  statement_id  = "AllowHttpApi"
  action        = "lambda:InvokeFunction"
  function_name = var.function_names[each.key]
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.this[0].execution_arn}/*/*"
}

# Optional custom domain: a regional ACM certificate validated through Route 53.
resource "aws_acm_certificate" "api" {
  count = local.with_domain ? 1 : 0

  domain_name       = var.domain_name
  validation_method = "DNS"
  tags              = var.tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_route53_record" "api_validation" {
  for_each = local.with_domain ? {
    for dvo in aws_acm_certificate.api[0].domain_validation_options : dvo.domain_name => dvo
  } : {}

  zone_id         = var.route53_zone_id
  name            = each.value.resource_record_name
  type            = each.value.resource_record_type
  records         = [each.value.resource_record_value]
  ttl             = 300
  allow_overwrite = true
}

resource "aws_acm_certificate_validation" "api" {
  count = local.with_domain ? 1 : 0

  certificate_arn         = aws_acm_certificate.api[0].arn
  validation_record_fqdns = [for record in aws_route53_record.api_validation : record.fqdn]
}

resource "aws_apigatewayv2_domain_name" "this" {
  count = local.with_domain ? 1 : 0

  domain_name = var.domain_name

  domain_name_configuration {
    certificate_arn = aws_acm_certificate_validation.api[0].certificate_arn
    endpoint_type   = "REGIONAL"
    security_policy = "TLS_1_2"
  }

  tags = var.tags
}

resource "aws_apigatewayv2_api_mapping" "this" {
  count = local.with_domain ? 1 : 0

  api_id      = aws_apigatewayv2_api.this[0].id
  domain_name = aws_apigatewayv2_domain_name.this[0].id
  stage       = aws_apigatewayv2_stage.default[0].id
}

resource "aws_route53_record" "api_alias" {
  for_each = local.with_domain ? toset(["A", "AAAA"]) : toset([])

  zone_id = var.route53_zone_id
  name    = var.domain_name
  type    = each.key

  alias {
    name                   = aws_apigatewayv2_domain_name.this[0].domain_name_configuration[0].target_domain_name
    zone_id                = aws_apigatewayv2_domain_name.this[0].domain_name_configuration[0].hosted_zone_id
    evaluate_target_health = false
  }
}
