"""Reading and validating the widget settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .markup import WIDGETS

# The download link needs the API's GET /resume, and the demo a pipeline provider: opt-in.
DEFAULT_WIDGETS = {"counter": True, "resume_download": False, "demo": False}


class WidgetSettingsError(ValueError):
    """CLOUDFOLIO_WIDGETS or CLOUDFOLIO_API_URL cannot be used as written."""


def is_api_base(value: str) -> bool:
    """A path on the site's own origin ("/api", the default) or another http(s) origin."""
    if value.startswith("/"):
        return not value.startswith("//")  # "//host" would be another origin, scheme-relative
    return value.startswith(("http://", "https://"))


def enabled_widgets(settings: dict[str, Any]) -> frozenset[str]:
    configured = settings.get("CLOUDFOLIO_WIDGETS", DEFAULT_WIDGETS)
    if not isinstance(configured, dict):
        raise WidgetSettingsError("CLOUDFOLIO_WIDGETS must be a dict of widget name -> bool")
    unknown = set(configured) - set(WIDGETS)
    if unknown:
        raise WidgetSettingsError(
            f"unknown widget(s) in CLOUDFOLIO_WIDGETS: {sorted(unknown)}; known: {sorted(WIDGETS)}"
        )
    enabled = frozenset(name for name, on in configured.items() if on)
    api_url = settings.get("CLOUDFOLIO_API_URL", "")
    if enabled and not is_api_base(api_url):
        raise WidgetSettingsError(
            "CLOUDFOLIO_API_URL must be a path on the site (such as /api) or an http(s) URL "
            f"when widgets are on, got {api_url!r}"
        )
    return enabled


# The demo's optional human check (Cloudflare Turnstile). Off while the site key is empty; the
# server side is switched on separately (its secret key, see docs/demo.md).
TURNSTILE_SITE_KEY = "CLOUDFOLIO_DEMO_TURNSTILE_SITE_KEY"
# Where the widget loads Turnstile from; tests point it at a local fake. The Content-Security-Policy
# admits this URL's origin, so Cloudflare's origin is written here only.
TURNSTILE_SCRIPT_URL = "CLOUDFOLIO_DEMO_TURNSTILE_SCRIPT_URL"
CLOUDFLARE_TURNSTILE_SCRIPT = (
    "https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit"
)


@dataclass(frozen=True)
class TurnstileSettings:
    site_key: str
    script_url: str

    @property
    def origin(self) -> str:
        parts = urlsplit(self.script_url)
        return f"{parts.scheme}://{parts.netloc}"


def turnstile(settings: dict[str, Any]) -> TurnstileSettings | None:
    """The demo widget's human check, or None when it is off (no site key, or no demo widget)."""
    site_key = (settings.get(TURNSTILE_SITE_KEY) or "").strip()
    if not site_key or "demo" not in enabled_widgets(settings):
        return None
    script_url = settings.get(TURNSTILE_SCRIPT_URL) or CLOUDFLARE_TURNSTILE_SCRIPT
    parts = urlsplit(script_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise WidgetSettingsError(
            f"{TURNSTILE_SCRIPT_URL} must be an absolute http(s) URL, got {script_url!r}"
        )
    return TurnstileSettings(site_key, script_url)


def content_security_sources(settings: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """Origins the widgets need beyond the site's own, by CSP directive: Turnstile's script and
    the frame it draws the challenge in, when the check is on; nothing otherwise."""
    check = turnstile(settings)
    if check is None:
        return {}
    return {"script-src": (check.origin,), "frame-src": (check.origin,)}
