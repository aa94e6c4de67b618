"""Incremental writes for the local stack's rebuilds: after a body-only edit, render only the
pages whose body changed.

Pelican renders every page of the site on every build, and on a large site that is most of the
build. When the only change since the last build is the body of some posts or pages (their
titles, dates, tags, slugs, summaries and the set of content files are as they were), no other
page can show anything new: this theme's listings, tags, archives and neighbours show metadata
and summaries only. Then only those pages are rendered; every other page is taken from the last
build, and everything else (feeds, static files, cards, the resume's outputs) is produced as
usual. Anything else (a new, removed or renamed file, a metadata or summary change, a changed
image, a first build) renders everything, as a clean build does.

On only when CLOUDFOLIO_PREVIOUS_OUTPUT names the last build's output, which
`cloudfolio.site.build(incremental=True)` sets after moving that output aside (together with
Pelican's content cache). Published builds never set it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from pathlib import Path
from typing import Any

from pelican import signals
from pelican.writers import Writer

from cloudfolio.site import PREVIOUS_OUTPUT_SETTING

STATE_FILE = "cloudfolio-incremental.json"
# Generator attributes that hold content objects (articles and pages, listed or not).
CONTENT_LISTS = (
    "articles", "translations", "drafts", "drafts_translations", "hidden_articles",
    "hidden_translations", "pages", "hidden_pages", "draft_pages", "draft_translations",
)  # fmt: skip
FORMAT = 1

logger = logging.getLogger(__name__)


class _Build:
    """What this build renders: None means everything."""

    selected: set[str] | None = None
    skipped = 0
    previous: Path | None = None
    state: dict[str, Any] | None = None
    state_file: Path | None = None


_build = _Build()


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


def _contents(generators: list[Any]) -> list[Any]:
    found: dict[int, Any] = {}
    for generator in generators:
        for name in CONTENT_LISTS:
            for content in getattr(generator, name, None) or ():
                found[id(content)] = content
    return list(found.values())


def _listing_view(content: Any) -> dict[str, Any]:
    """Everything of a content object that a page other than its own can show."""
    metadata = {k: v for k, v in content.metadata.items() if k != "summary"}
    return {
        "metadata": metadata,
        "summary": content.summary,
        "save_as": content.save_as,
        "url": content.url,
        "status": content.status,
        "template": content.template,
    }


def _other_files(content_dir: Path, sources: set[str]) -> dict[str, list[int]]:
    """Size and modification time of every content file that is no post or page (images...)."""
    files = {}
    for path in sorted(content_dir.rglob("*")):
        if path.is_file() and str(path) not in sources:
            stat = path.stat()
            files[str(path.relative_to(content_dir))] = [stat.st_size, stat.st_mtime_ns]
    return files


def _stamp(output: Path) -> int | None:
    """Tells apart the output this build left from one written since by another build."""
    try:
        return (output / "index.html").stat().st_mtime_ns
    except OSError:
        return None


def _state(settings: dict[str, Any], contents: list[Any]) -> dict[str, Any]:
    sources = {os.path.abspath(c.source_path) for c in contents}
    return {
        "format": FORMAT,
        "other_files": _other_files(Path(settings["PATH"]), sources),
        "contents": {
            os.path.abspath(c.source_path): {
                "listing": _digest(_listing_view(c)),
                # The body as read, before links to other files are resolved (those follow the
                # other files' metadata, which is compared above).
                "body": _digest(c._content),
                "save_as": c.save_as,
            }
            for c in contents
        },
    }


def _selection(
    previous: dict[str, Any] | None, current: dict[str, Any], previous_stamp: int | None
) -> set[str] | None:
    """The pages to render, or None when the whole site must be rendered."""
    if not previous or previous_stamp is None or previous.get("stamp") != previous_stamp:
        return None
    if any(previous.get(key) != current[key] for key in ("format", "other_files")):
        return None
    before, now = previous["contents"], current["contents"]
    if before.keys() != now.keys():
        return None
    if any(before[source]["listing"] != now[source]["listing"] for source in now):
        return None
    return {entry["save_as"] for source, entry in now.items() if entry != before[source]}


def plan_writes(generators: list[Any]) -> None:
    settings = generators[0].settings
    _build.selected, _build.skipped, _build.previous = None, 0, None
    if not settings.get(PREVIOUS_OUTPUT_SETTING):
        return
    _build.previous = Path(settings[PREVIOUS_OUTPUT_SETTING])
    _build.state_file = Path(settings["CACHE_PATH"]) / STATE_FILE
    _build.state = _state(settings, _contents(generators))
    try:
        previous = json.loads(_build.state_file.read_text())
    except (OSError, ValueError):
        previous = None
    _build.selected = _selection(previous, _build.state, _stamp(_build.previous))
    if _build.selected is None:
        logger.info("incremental build: rendering every page")
    else:
        logger.info("incremental build: rendering %d changed page(s)", len(_build.selected))


def _take_from_previous(output: Path, theme_static: str) -> None:
    """The pages this build did not render, as the last build left them (hard links: the last
    build's folder is removed after this one)."""
    previous = _build.previous
    assert previous is not None
    for folder, subfolders, files in os.walk(previous):
        relative = os.path.relpath(folder, previous)
        if relative == ".":
            subfolders[:] = [name for name in subfolders if name != theme_static]
        target_folder = output / relative
        target_folder.mkdir(exist_ok=True)
        existing = set(os.listdir(target_folder))
        for name in files:
            if name in existing:
                continue
            try:
                os.link(os.path.join(folder, name), target_folder / name)
            except OSError:
                shutil.copy2(os.path.join(folder, name), target_folder / name)


def finish(pelican: Any) -> None:
    """After a build that finished: complete a selective one, and remember this build."""
    settings = pelican.settings
    if (
        not settings.get(PREVIOUS_OUTPUT_SETTING)
        or _build.state is None
        or _build.state_file is None
    ):
        return
    output = Path(pelican.output_path)
    if _build.selected is not None:
        _take_from_previous(output, settings["THEME_STATIC_DIR"])
        logger.info("incremental build: %d page(s) kept from the last build", _build.skipped)
    _build.state["stamp"] = _stamp(output)
    _build.state_file.parent.mkdir(parents=True, exist_ok=True)
    tmp = _build.state_file.with_suffix(".tmp")
    tmp.write_text(json.dumps(_build.state))
    os.replace(tmp, _build.state_file)


class SelectiveWriter(Writer):
    def write_file(self, name: Any, *args: Any, **kwargs: Any) -> Any:
        if _build.selected is not None and name not in _build.selected:
            _build.skipped += 1
            return None
        return super().write_file(name, *args, **kwargs)


def selective_writer(_pelican: Any) -> type[Writer]:
    return SelectiveWriter


def register() -> None:
    signals.all_generators_finalized.connect(plan_writes)
    signals.get_writer.connect(selective_writer)
    signals.finalized.connect(finish)
