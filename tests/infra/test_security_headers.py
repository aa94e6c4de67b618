"""security_headers.json: the one declaration CloudFront and the local static server both serve."""

from __future__ import annotations

import json
import re

from cloudfolio import terraform

HEADERS_FILE = terraform.INFRA / "modules" / "site" / "security_headers.json"
ONE_YEAR = 31_536_000


def headers() -> dict[str, str]:
    return json.loads(HEADERS_FILE.read_text())


def csp_directives() -> dict[str, list[str]]:
    policy = headers()["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def test_hsts_is_long_covers_subdomains_and_is_preloadable():
    hsts = headers()["Strict-Transport-Security"]
    max_age = int(re.search(r"max-age=(\d+)", hsts).group(1))
    assert max_age >= ONE_YEAR
    assert "includesubdomains" in hsts.lower()
    assert "preload" in hsts.lower()


def test_csp_allows_only_the_site_itself():
    directives = csp_directives()
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    # The API is served from the site's own domain (/api/*), so the widget needs no other origin.
    assert directives["connect-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert not any("unsafe" in value for values in directives.values() for value in values)


def test_the_other_headers_cloudfront_models():
    declared = {name.lower(): value for name, value in headers().items()}
    assert declared["x-content-type-options"] == "nosniff"
    assert declared["x-frame-options"] == "DENY"
    assert declared["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in declared["permissions-policy"]
