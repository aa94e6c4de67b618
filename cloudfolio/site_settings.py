"""What the tooling takes from the site's Pelican settings, as the widgets plugin derives it.

A setting the author writes once (such as the demo's Turnstile site key) changes the pages, the
Content-Security-Policy CloudFront and the local static server send, and the demo API's check;
the plugin is the one place that reads it, and this module asks the plugin.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from cloudfolio import paths


@dataclass(frozen=True)
class SiteSettings:
    # Origins the site's pages load from beyond their own, by CSP directive.
    csp_sources: dict[str, tuple[str, ...]]
    # The demo widget sends a Turnstile token with each start, so the API must verify it.
    demo_turnstile: bool


def read(settings_file: Path) -> SiteSettings:
    from pelican.settings import read_settings

    plugins = str(paths.PLUGINS)
    if plugins not in sys.path:
        sys.path.insert(0, plugins)
    from cloudfolio_widgets.settings import content_security_sources, turnstile

    settings = read_settings(str(settings_file))
    return SiteSettings(content_security_sources(settings), turnstile(settings) is not None)
