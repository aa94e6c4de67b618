"""resume.pdf: the print template rendered by WeasyPrint, reused from a cache when nothing changed.

The cache key covers every input of the rendering: the HTML (the Markdown through the template,
settings included), the print stylesheet, the font files and the paper size, plus the WeasyPrint
version. Equal keys give the same file, so an unchanged resume is neither rendered again nor
uploaded again.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

PAPER_SIZES = ("A4", "Letter")
# Tagged PDF for screen readers and ATS parsers; WeasyPrint checks what the variant requires.
PDF_VARIANT = "pdf/ua-1"
FONT_SUFFIXES = {".otf", ".ttf", ".woff", ".woff2"}
# Each entry is one PDF of a few dozen KB; a handful covers switching between recent versions.
CACHE_ENTRIES_KEPT = 8
# Bump when the rendering code changes in a way the inputs do not show.
RENDERER_REVISION = "1"


@dataclass(frozen=True)
class Rendered:
    path: Path
    pages: int
    reused: bool
    key: str


def font_files(fonts_dir: Path) -> list[Path]:
    return sorted(p for p in fonts_dir.iterdir() if p.suffix.lower() in FONT_SUFFIXES)


def cache_key(html: str, stylesheet: Path, fonts: Iterable[Path], paper: str) -> str:
    # The installed version, without importing WeasyPrint (and loading Pango) on a cache hit.
    weasyprint_version = importlib.metadata.version("weasyprint")
    digest = hashlib.sha256()
    for part in (RENDERER_REVISION, weasyprint_version, PDF_VARIANT, paper):
        digest.update(part.encode() + b"\0")
    digest.update(html.encode("utf-8") + b"\0")
    digest.update(stylesheet.read_bytes() + b"\0")
    for font in fonts:
        digest.update(font.name.encode() + b"\0" + font.read_bytes() + b"\0")
    return digest.hexdigest()


def _write_atomically(destination: Path, data: bytes) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=destination.parent, prefix=".tmp-")
    with os.fdopen(handle, "wb") as file:
        file.write(data)
    os.replace(temporary, destination)


def _prune(cache_dir: Path) -> None:
    entries = sorted(cache_dir.glob("*.pdf"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[CACHE_ENTRIES_KEPT:]:
        old.unlink(missing_ok=True)
        old.with_suffix(".json").unlink(missing_ok=True)


def render(
    html: str,
    base_url: str,
    stylesheet: Path,
    fonts_dir: Path,
    paper: str,
    cache_dir: Path,
) -> Rendered:
    fonts = font_files(fonts_dir)
    key = cache_key(html, stylesheet, fonts, paper)
    cached, info = cache_dir / f"{key}.pdf", cache_dir / f"{key}.json"
    if cached.exists() and info.exists():
        os.utime(cached)  # most recently used: kept by _prune
        return Rendered(cached, json.loads(info.read_text())["pages"], True, key)

    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    styles = [
        CSS(filename=str(stylesheet), font_config=font_config),
        CSS(string=f"@page {{ size: {paper}; }}", font_config=font_config),
    ]
    document = HTML(string=html, base_url=base_url).render(
        stylesheets=styles, font_config=font_config, pdf_variant=PDF_VARIANT
    )
    data = document.write_pdf(pdf_variant=PDF_VARIANT)
    _write_atomically(cached, data)
    _write_atomically(info, json.dumps({"pages": len(document.pages)}).encode())
    _prune(cache_dir)
    return Rendered(cached, len(document.pages), False, key)


def copy_to(rendered: Rendered, destination: Path) -> Path:
    destination.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(rendered.path, destination)
    return destination
