"""The local stack's rebuilds reuse Pelican's content cache and still equal a clean build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

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


def _mtimes(output: Path) -> dict[str, int]:
    return {str(f.relative_to(output)): f.stat().st_mtime_ns for f in output.rglob("*.html")}


def _edit(content: Path, post: str, old: str, new: str) -> None:
    source = content / post
    text = source.read_text()
    assert old in text, f"{post} no longer says {old!r}"
    source.write_text(text.replace(old, new, 1))


@pytest.fixture
def rebuilt(tmp_path, monkeypatch):
    """A content copy, and an incremental build of it into one output folder, as invoke up has."""
    monkeypatch.setattr(site, "CACHE_ROOT", tmp_path / "cache")
    content = tmp_path / "content"
    shutil.copytree(paths.CONTENT, content)
    output = tmp_path / "output"
    site.build(output, content, incremental=True)
    return content, output


def _rebuilt_after_edit(rebuilt, tmp_path, old: str, new: str):
    """The pages' times before and after an incremental rebuild of an edit to POST; the rebuilt
    site must equal a clean build."""
    content, output = rebuilt
    before = _mtimes(output)
    _edit(content, POST, old, new)
    site.build(output, content, incremental=True)
    assert _pages(output) == _pages(site.build(tmp_path / "clean", content))
    return before, _mtimes(output)


def test_a_body_only_edit_renders_only_that_page_and_the_site_equals_a_clean_build(
    rebuilt, tmp_path
):
    _, output = rebuilt
    before, after = _rebuilt_after_edit(
        rebuilt, tmp_path, "\n\n", "\n\nA paragraph added by the edit.\n\n"
    )
    changed = sorted(page for page in after if after[page] != before.get(page))
    assert changed == ["posts/atomic-counters-in-dynamodb/index.html"]
    assert b"A paragraph added by the edit." in (output / changed[0]).read_bytes()
    assert not (tmp_path / f"output{site.PREVIOUS_SUFFIX}").exists()


def test_a_title_edit_renders_every_page_again(rebuilt, tmp_path):
    _, output = rebuilt
    before, after = _rebuilt_after_edit(rebuilt, tmp_path, "Title: ", "Title: Renamed: ")
    assert all(after[page] != before[page] for page in before)  # listings show the title
    assert b"Renamed: " in (output / "index.html").read_bytes()


def test_a_removed_post_leaves_no_page_behind(rebuilt, tmp_path):
    content, output = rebuilt
    (content / POST).unlink()
    site.build(output, content, incremental=True)
    assert not (output / "posts/atomic-counters-in-dynamodb/index.html").exists()
    assert _pages(output) == _pages(site.build(tmp_path / "clean", content))


def test_a_failed_rebuild_keeps_the_last_output(rebuilt):
    content, output = rebuilt
    pages = _pages(output)
    _edit(content, "pages/resume.md", "Name: Alex Morgan\n", "")  # the resume needs a name
    with pytest.raises(site.BuildError):
        site.build(output, content, incremental=True)
    assert _pages(output) == pages


def test_published_builds_never_read_the_cache(tmp_path, monkeypatch):
    monkeypatch.setattr(site, "CACHE_ROOT", tmp_path / "cache")
    site.build(tmp_path / "out", paths.CONTENT)
    assert not (tmp_path / "cache").exists()


def test_the_live_reload_script_is_never_in_a_build(tmp_path):
    """Only the local server adds it to the pages it answers; no build output mentions it."""
    from cloudfolio.local import livereload

    output = site.build(tmp_path / "out", paths.CONTENT)
    for file in output.rglob("*"):
        if file.is_file() and file.suffix in (".html", ".js", ".xml", ".json"):
            assert livereload.SCRIPT_PATH.encode() not in file.read_bytes(), file


def test_the_reload_poll_answers_when_a_build_finishes():
    import json
    import threading

    from cloudfolio.local.livereload import BuildGeneration, inject

    builds = BuildGeneration()
    assert json.loads(builds.answer(None)) == {"generation": 0}
    threading.Timer(0.2, builds.bump).start()
    assert json.loads(builds.answer(0)) == {"generation": 1}  # held until the build
    assert builds.wait_past(1, timeout=0.05) == 1  # no build: answered unchanged at the timeout
    page = inject(b"<html><body><p>x</p></body></html>")
    assert page.endswith(b'<script src="/__cloudfolio/livereload.js" defer></script></body></html>')
