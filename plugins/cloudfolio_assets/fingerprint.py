"""Mapping theme files to content-hashed names, and applying that mapping to the output."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from cloudfolio.fingerprints import FINGERPRINT_PATTERN, fingerprinted

# Only files a browser fetches as sub-resources; their references all come from templates.
FINGERPRINTED_SUFFIXES = frozenset({".css", ".js", ".svg", ".woff2", ".png", ".webp"})


class FingerprintError(RuntimeError):
    """The output does not hold the bytes the templates were rendered against."""


def theme_static_roots(settings: dict[str, Any]) -> list[Path]:
    theme = Path(settings["THEME"])
    return [theme / static for static in settings["THEME_STATIC_PATHS"]]


def build_manifest(settings: dict[str, Any]) -> dict[str, str]:
    """Plain name -> hashed name, both relative to THEME_STATIC_DIR in the output."""
    manifest: dict[str, str] = {}
    for root in theme_static_roots(settings):
        if not root.is_dir():
            continue
        for file in sorted(root.rglob("*")):
            if file.is_file() and file.suffix in FINGERPRINTED_SUFFIXES:
                relative = file.relative_to(root).as_posix()
                manifest[relative] = fingerprinted(relative, file.read_bytes())
    return manifest


def fingerprint_output(settings: dict[str, Any], output_path: str | os.PathLike) -> None:
    """Rename copied theme files to their hashed names and drop hashes from earlier builds."""
    static_dir = Path(output_path) / settings["THEME_STATIC_DIR"]
    manifest = build_manifest(settings)
    for plain, hashed in manifest.items():
        source = static_dir / plain
        if source.exists():
            actual = fingerprinted(plain, source.read_bytes())
            if actual != hashed:
                raise FingerprintError(f"{source} changed during the build; rebuild the site")
            os.replace(source, static_dir / hashed)
        elif not (static_dir / hashed).exists():
            raise FingerprintError(f"theme asset {plain} was not copied to {static_dir}")
    current = {static_dir / hashed for hashed in manifest.values()}
    if static_dir.is_dir():
        for file in static_dir.rglob("*"):
            if FINGERPRINT_PATTERN.search(file.name) and file not in current:
                file.unlink()
