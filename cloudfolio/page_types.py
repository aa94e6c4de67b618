"""The three page types every front-end check covers: home, an article, the resume."""

from __future__ import annotations

import re
import urllib.request
from urllib.parse import urljoin

from cloudfolio.errors import CloudfolioError

RESUME_PATH = "/resume/"
# Pelican themes mark an article's permalink with rel="bookmark".
HREF = re.compile(r'\bhref="([^"]+)"')


class PageDiscoveryError(CloudfolioError):
    """The site does not link the pages the checks need."""


def page_urls(base_url: str) -> dict[str, str]:
    """The home page, the newest article it links to, and the resume page."""
    base = base_url.rstrip("/") + "/"
    with urllib.request.urlopen(base, timeout=15) as response:
        home = response.read().decode()
    bookmarks = [tag for tag in re.findall(r"<a\b[^>]*>", home) if 'rel="bookmark"' in tag]
    hrefs = [HREF.search(tag) for tag in bookmarks]
    article = next((h.group(1) for h in hrefs if h), None)
    if not article:
        raise PageDiscoveryError(f'{base} links no article (no <a rel="bookmark">)')
    return {
        "home": base,
        "article": urljoin(base, article),
        "resume": urljoin(base, RESUME_PATH.lstrip("/")),
    }
