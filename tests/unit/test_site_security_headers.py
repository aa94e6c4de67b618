"""cloudfolio.security_headers: the served policy is security_headers.json's unless a setting
admits an origin (the demo's Turnstile check), and then only in the directives that need it."""

from __future__ import annotations

from pathlib import Path

import pytest

from cloudfolio import paths
from cloudfolio.security_headers import (
    CSP,
    content_security_policy,
    declared_headers,
    security_headers,
    site_sources,
    widen_policy,
)

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
    assert site_sources(settings) == {}
    assert content_security_policy(settings) == declared_headers()[CSP]
    assert "cloudflare" not in content_security_policy(settings)


def test_a_site_key_admits_turnstile_in_script_and_frame_only(tmp_path: Path) -> None:
    settings = tmp_path / "turnstileconf.py"
    settings.write_text(
        f"from pelicanconf import *\nPATH = {str(paths.CONTENT)!r}\n"
        'CLOUDFOLIO_DEMO_TURNSTILE_SITE_KEY = "0xKEY"\n'
    )
    origin = "https://challenges.cloudflare.com"
    assert site_sources(settings) == {"script-src": (origin,), "frame-src": (origin,)}
    served = directives(content_security_policy(settings))
    declared = directives(declared_headers()[CSP])
    assert served["script-src"] == [*declared["script-src"], origin]
    assert served["frame-src"] == ["'self'", origin]
    assert {name: value for name, value in served.items() if origin not in value} == {
        name: value for name, value in declared.items() if name != "script-src"
    }
