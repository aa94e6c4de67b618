"""The header rules: a Content-Type for every file the site emits, Cache-Control per pattern."""

from __future__ import annotations

import pytest

from cloudfolio.fingerprints import fingerprinted
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
    [
        fingerprinted("theme/css/style.css", b"body{}"),
        fingerprinted("theme/js/app.js", b"1"),
        fingerprinted("images/diagram-800.avif", b"x"),
        fingerprinted("images/cards/post.png", b"y"),
    ],
)
def test_fingerprinted_assets_are_immutable_for_a_year(path: str) -> None:
    """The names the build plugins make are exactly the names publish caches forever."""
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


def test_every_file_the_real_site_emits_has_a_specific_content_type(tmp_path):
    from cloudfolio.publish import build, manifest

    site = build.build_site("https://example.org", "test", output=tmp_path / "site")
    files = manifest.scan(site)
    assert "index.html" in files
    generic = [
        path
        for path, entry in files.items()
        if entry["content_type"] == headers.DEFAULT_CONTENT_TYPE
    ]
    assert generic == []
    fingerprinted = [path for path in files if headers.is_fingerprinted(path)]
    assert fingerprinted, "the theme's assets are expected to carry content hashes"
    assert all(not path.endswith(".html") for path in fingerprinted)


def test_a_failed_build_is_refused_with_pelicans_message(tmp_path):
    from cloudfolio.publish import build
    from cloudfolio.publish.store import PublishError

    broken = tmp_path / "content"
    (broken / "posts").mkdir(parents=True)
    (broken / "posts" / "bad.md").write_text("Title: Bad\nDate: not a date\n\nbody\n")
    with pytest.raises(PublishError, match="the site build failed, nothing was published"):
        build.build_site("https://example.org", "test", content=broken, output=tmp_path / "out")
