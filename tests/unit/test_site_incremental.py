"""The local stack's rebuilds reuse Pelican's content cache and still equal a clean build."""

from __future__ import annotations

import shutil
from pathlib import Path

from cloudfolio import paths, site

POST = "posts/atomic-counters-in-dynamodb.md"


def _pages(output: Path) -> dict[str, bytes]:
    return {
        str(f.relative_to(output)): f.read_bytes() for f in output.rglob("*.html") if f.is_file()
    }


def test_an_incremental_rebuild_after_an_edit_equals_a_clean_build(tmp_path, monkeypatch):
    monkeypatch.setattr(site, "CACHE_ROOT", tmp_path / "cache")
    content = tmp_path / "content"
    shutil.copytree(paths.CONTENT, content)
    site.build(tmp_path / "warm", content, incremental=True)
    cache = site.cache_path(content, paths.PELICAN_DEV_SETTINGS)
    assert any(cache.rglob("*")), "the first incremental build wrote no content cache"

    post = content / POST
    post.write_text(post.read_text() + "\n\nA paragraph added by the edit.\n")
    incremental = _pages(site.build(tmp_path / "incremental", content, incremental=True))
    clean = _pages(site.build(tmp_path / "clean", content))

    assert incremental == clean
    assert any(b"A paragraph added by the edit." in page for page in incremental.values())


def test_published_builds_never_read_the_cache(tmp_path, monkeypatch):
    monkeypatch.setattr(site, "CACHE_ROOT", tmp_path / "cache")
    site.build(tmp_path / "out", paths.CONTENT)
    assert not (tmp_path / "cache").exists()
