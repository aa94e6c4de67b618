"""The served policy is security_headers.json's unless a site setting admits an origin (the demo's
Turnstile check), and then only in the directives that need it; `invoke deploy` hands CloudFront
that policy and the demo API the matching switch."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cloudfolio import environments, paths, site_settings
from cloudfolio.deploy import site_variables
from cloudfolio.security_headers import CSP, declared_headers, security_headers, widen_policy

POLICY = "default-src 'self'; script-src 'self'; connect-src 'self'"


def directives(policy: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def test_nothing_to_add_keeps_the_policy_as_written() -> None:
    assert widen_policy(POLICY, {}) == POLICY
    assert security_headers() == declared_headers()
    assert security_headers({}) == declared_headers()


def test_sources_join_their_directive_once() -> None:
    widened = widen_policy(
        POLICY, {"script-src": ["https://a.example", "https://a.example", "'self'"]}
    )
    assert widened == "default-src 'self'; script-src 'self' https://a.example; connect-src 'self'"


def test_a_directive_the_policy_lacks_starts_from_default_src() -> None:
    widened = directives(widen_policy(POLICY, {"frame-src": ["https://a.example"]}))
    assert widened["frame-src"] == ["'self'", "https://a.example"]
    assert widened["default-src"] == ["'self'"]


@pytest.mark.parametrize("settings", [paths.PELICAN_DEV_SETTINGS, paths.PELICAN_PUBLISH_SETTINGS])
def test_the_repository_settings_serve_the_file_policy(settings: Path) -> None:
    assert site_settings.read(settings) == site_settings.SiteSettings({}, demo_turnstile=False)
    variables = site_variables(settings)
    assert variables == {
        "content_security_policy": declared_headers()[CSP],
        "demo_enable_turnstile": False,
    }


def test_a_site_key_admits_turnstile_and_switches_the_api_check_on(tmp_path: Path) -> None:
    settings = tmp_path / "turnstileconf.py"
    settings.write_text(
        f"from pelicanconf import *\nPATH = {str(paths.CONTENT)!r}\n"
        'CLOUDFOLIO_DEMO_TURNSTILE_SITE_KEY = "0xKEY"\n'
    )
    origin = "https://challenges.cloudflare.com"
    site = site_settings.read(settings)
    assert site.csp_sources == {"script-src": (origin,), "frame-src": (origin,)}
    variables = site_variables(settings)
    assert variables["demo_enable_turnstile"] is True
    served = directives(variables["content_security_policy"])
    declared = directives(declared_headers()[CSP])
    assert served["script-src"] == [*declared["script-src"], origin]
    assert served["frame-src"] == ["'self'", origin]
    assert {name: value for name, value in served.items() if origin not in value} == {
        name: value for name, value in declared.items() if name != "script-src"
    }


def test_the_aws_root_declares_what_deploy_passes_and_cloudfront_sends_it() -> None:
    root = environments.AWS_ROOT
    declared = set(re.findall(r'^variable "(\w+)"', (root / "variables.tf").read_text(), re.M))
    assert set(site_variables(paths.PELICAN_PUBLISH_SETTINGS)) <= declared
    stack = (root / "main.tf").read_text()
    for argument, variable in (
        ("site_content_security_policy", "content_security_policy"),
        ("demo_enable_turnstile", "demo_enable_turnstile"),
    ):
        assert re.search(rf"\b{argument}\s*=\s*var\.{variable}\b", stack), argument
    headers = (paths.INFRA / "modules" / "site" / "headers.tf").read_text()
    assert "coalesce(var.content_security_policy, " in headers
