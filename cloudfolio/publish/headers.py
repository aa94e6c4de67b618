"""Response headers for every file the site emits, declared once as ordered matchers.

Like hugo deploy's matchers: the first rule whose pattern matches a path wins. The headers end
up in the release manifest, so changing a rule changes the manifest entry and the next publish
sees the file as changed even when its bytes did not change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cloudfolio.fingerprints import FINGERPRINT_PATTERN

UTF8 = "; charset=utf-8"
IMMUTABLE = "public, max-age=31536000, immutable"
# The release id is part of the edge cache key, so the edge may keep a release's documents for
# long (s-maxage); browsers revalidate every time so a new release shows up at once.
REVALIDATE = "public, max-age=0, s-maxage=31536000, must-revalidate"
SHORT = "public, max-age=3600, s-maxage=31536000"
DEFAULT_CONTENT_TYPE = "application/octet-stream"


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern[str]
    value: str


def _suffix(*extensions: str) -> re.Pattern[str]:
    return re.compile(r"\.(" + "|".join(re.escape(e) for e in extensions) + r")$", re.IGNORECASE)


CONTENT_TYPE_RULES: tuple[Rule, ...] = (
    Rule(_suffix("atom.xml"), "application/atom+xml" + UTF8),
    Rule(_suffix("rss.xml"), "application/rss+xml" + UTF8),
    Rule(_suffix("html", "htm"), "text/html" + UTF8),
    Rule(_suffix("css"), "text/css" + UTF8),
    Rule(_suffix("js", "mjs"), "text/javascript" + UTF8),
    Rule(_suffix("xml", "xsl"), "application/xml" + UTF8),
    Rule(_suffix("webmanifest"), "application/manifest+json" + UTF8),
    Rule(_suffix("json", "map"), "application/json" + UTF8),
    Rule(_suffix("txt"), "text/plain" + UTF8),
    Rule(_suffix("md"), "text/markdown" + UTF8),
    Rule(_suffix("svg"), "image/svg+xml" + UTF8),
    Rule(_suffix("woff2"), "font/woff2"),
    Rule(_suffix("woff"), "font/woff"),
    Rule(_suffix("ttf"), "font/ttf"),
    Rule(_suffix("otf"), "font/otf"),
    Rule(_suffix("pdf"), "application/pdf"),
    Rule(_suffix("png"), "image/png"),
    Rule(_suffix("jpg", "jpeg"), "image/jpeg"),
    Rule(_suffix("gif"), "image/gif"),
    Rule(_suffix("webp"), "image/webp"),
    Rule(_suffix("avif"), "image/avif"),
    Rule(_suffix("ico"), "image/x-icon"),
    Rule(_suffix("mp4"), "video/mp4"),
    Rule(_suffix("webm"), "video/webm"),
)

CACHE_CONTROL_RULES: tuple[Rule, ...] = (
    # Documents come first: their URLs are stable, and a dated slug can look like a hash.
    Rule(_suffix("html", "htm", "xml", "xsl", "json", "webmanifest", "txt"), REVALIDATE),
    # A fingerprinted name changes with its bytes: browsers may keep it forever.
    Rule(FINGERPRINT_PATTERN, IMMUTABLE),
    Rule(re.compile(r".*"), SHORT),
)


def _first_match(rules: tuple[Rule, ...], path: str, default: str) -> str:
    for rule in rules:
        if rule.pattern.search(path):
            return rule.value
    return default


def content_type(path: str) -> str:
    return _first_match(CONTENT_TYPE_RULES, path, DEFAULT_CONTENT_TYPE)


def cache_control(path: str) -> str:
    return _first_match(CACHE_CONTROL_RULES, path, SHORT)


def is_fingerprinted(path: str) -> bool:
    """An asset whose name carries its content hash (documents never count, see the rules)."""
    return cache_control(path) == IMMUTABLE
