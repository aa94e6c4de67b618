"""The header rules: a Content-Type for every file the site emits, Cache-Control per pattern."""

from __future__ import annotations

import pytest

from cloudfolio.publish import headers

CONTENT_TYPES = {
    "index.html": "text/html; charset=utf-8",
    "posts/x/index.html": "text/html; charset=utf-8",
    "theme/css/style.css": "text/css; charset=utf-8",
    "theme/js/counter.js": "text/javascript; charset=utf-8",
    "feeds/all.atom.xml": "application/atom+xml; charset=utf-8",
    "feeds/all.rss.xml": "application/rss+xml; charset=utf-8",
    "sitemap.xml": "application/xml; charset=utf-8",
    "search.json": "application/json; charset=utf-8",
    "site.webmanifest": "application/manifest+json; charset=utf-8",
    "theme/img/icon.svg": "image/svg+xml; charset=utf-8",
    "theme/fonts/inter.woff2": "font/woff2",
    "resume.pdf": "application/pdf",
    "images/photo.png": "image/png",
    "images/photo.jpg": "image/jpeg",
    "images/photo.JPEG": "image/jpeg",
    "images/photo.webp": "image/webp",
    "images/photo.avif": "image/avif",
    "favicon.ico": "image/x-icon",
    "robots.txt": "text/plain; charset=utf-8",
    "downloads/archive.bin": "application/octet-stream",
}


@pytest.mark.parametrize(("path", "expected"), sorted(CONTENT_TYPES.items()))
def test_content_type_table(path: str, expected: str) -> None:
    assert headers.content_type(path) == expected


def test_every_text_type_declares_its_charset() -> None:
    for path, value in CONTENT_TYPES.items():
        if value.startswith("text/") or value.endswith(("+xml", "/xml", "json")):
            assert headers.content_type(path).endswith("; charset=utf-8"), path


@pytest.mark.parametrize(
    "path",
    ["theme/css/style.3f2a9c1b.css", "theme/js/app-3f2a9c1b0d4e.js", "fonts/inter.0a1b2c3d.woff2"],
)
def test_fingerprinted_assets_are_immutable_for_a_year(path: str) -> None:
    assert headers.cache_control(path) == "public, max-age=31536000, immutable"


@pytest.mark.parametrize(
    "path",
    [
        "index.html",
        "posts/released-20240101/index.html",  # a dated slug is not a fingerprint
        "archive-20240101.html",
        "feeds/all.atom.xml",
        "feeds/all.rss.xml",
        "sitemap.xml",
        "robots.txt",
    ],
)
def test_documents_are_revalidated_by_browsers(path: str) -> None:
    value = headers.cache_control(path)
    assert "max-age=0" in value and "must-revalidate" in value
    assert "immutable" not in value


def test_plain_assets_get_a_short_lifetime() -> None:
    value = headers.cache_control("theme/css/style.css")
    assert "immutable" not in value
    assert "max-age=3600" in value
