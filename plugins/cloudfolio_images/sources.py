"""Which Markdown file is being read, where its images are, and where to point the author."""

from __future__ import annotations

import os
import re
from contextvars import ContextVar
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pelican.readers import MarkdownReader

# The Markdown file the reader is converting right now; Python-Markdown does not know it.
CURRENT_SOURCE: ContextVar[Path | None] = ContextVar("cloudfolio_current_source", default=None)
# Pelican's link placeholders; after them the path is relative to the content root.
PLACEHOLDERS = ("{static}", "{attach}", "{filename}")
EMPTY_ALT = re.compile(r"!\[\s*\]")


class ImageNotFound(ValueError):
    """A Markdown image points at no file in the content folder."""


class SourceTracking:
    """Mixed into the Markdown reader so the image processor knows the file it is in."""

    def read(self, source_path):
        token = CURRENT_SOURCE.set(Path(source_path))
        try:
            return super().read(source_path)
        finally:
            CURRENT_SOURCE.reset(token)


_tracking_classes: dict[type, type] = {}


def track_sources(readers) -> None:
    """readers_init: wrap whichever Markdown reader class is registered (another plugin's too)."""
    for extension, reader_class in list(readers.reader_classes.items()):
        if (
            isinstance(reader_class, type)
            and issubclass(reader_class, MarkdownReader)
            and not issubclass(reader_class, SourceTracking)
        ):
            if reader_class not in _tracking_classes:
                name = f"SourceTracking{reader_class.__name__}"
                _tracking_classes[reader_class] = type(name, (SourceTracking, reader_class), {})
            readers.reader_classes[extension] = _tracking_classes[reader_class]


def is_local(src: str) -> bool:
    parts = urlsplit(src)
    return not parts.scheme and not parts.netloc


def resolve(src: str, source: Path, content_root: Path) -> Path:
    """The file `src` names: next to the Markdown file first, then from the content root.

    `images/x.png` in content/posts/a.md is content/posts/images/x.png, or else
    content/images/x.png; `/images/x.png` and `{static}/images/x.png` start at the content root.
    """
    path = unquote(urlsplit(src).path)
    placeholder = next((p for p in PLACEHOLDERS if path.startswith(p)), None)
    if placeholder:
        path = path.removeprefix(placeholder)
    root = content_root.resolve()
    if path.startswith("/"):
        candidates = [root / path.lstrip("/")]
    else:
        candidates = [source.parent.resolve() / path, root / path]
    for candidate in candidates:
        candidate = Path(os.path.normpath(candidate))
        if candidate.is_file() and candidate.is_relative_to(root):
            return candidate
    looked = ", ".join(
        display(c) for c in dict.fromkeys(Path(os.path.normpath(c)) for c in candidates)
    )
    raise ImageNotFound(f"not found (looked for {looked})")


def line_of(source: Path, src: str, *, empty_alt: bool = False) -> int | None:
    """The 1-based line of `source` that references `src`, preferring one with an empty alt."""
    try:
        lines = source.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    hits = [number for number, line in enumerate(lines, 1) if src in line]
    if empty_alt:
        hits = [n for n in hits if EMPTY_ALT.search(lines[n - 1])] or hits
    return hits[0] if hits else None


def display(path: Path) -> str:
    """A path as the author would type it: relative to the working directory when inside it."""
    try:
        return Path(path).resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def location(source: Path, line: int | None) -> str:
    return f"{display(source)}:{line}" if line else display(source)
