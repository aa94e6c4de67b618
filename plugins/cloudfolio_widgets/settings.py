"""Reading and validating the widget settings."""

from __future__ import annotations

from typing import Any

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
