"""What a reader's browser is offered for one source image, and the files behind it."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cloudfolio_assets.fingerprint import fingerprinted
from cloudfolio_assets.links import site_path

from . import encoding as encoding_module
from .cache import EncodingCache
from .encoding import Encoding, encode, inspect, load, modern_encodings, resized
from .settings import OUTPUT_DIR, ImageSettings
from .svg import svg_size

# src for browsers that ignore srcset: the smallest width that still fills the theme's column.
FALLBACK_SRC_WIDTH = 800


@dataclass(frozen=True)
class Candidate:
    url: str
    width: int
    height: int


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    src: str
    # MIME type -> one file per width, best format first, the fallback format last.
    # Empty for an SVG, which is served as it is.
    candidates: dict[str, tuple[Candidate, ...]]

    def modern(self) -> dict[str, tuple[Candidate, ...]]:
        return dict(list(self.candidates.items())[:-1])

    def fallback(self) -> tuple[Candidate, ...]:
        return list(self.candidates.values())[-1] if self.candidates else ()


def widths_for(source_width: int, configured: tuple[int, ...]) -> list[int]:
    """The configured widths below the source's, plus the source's own when it is not larger
    than the widest configured one: never upscaled, never wider than the setting allows."""
    widths = [w for w in configured if w < source_width]
    if source_width <= max(configured):
        widths.append(source_width)
    return widths


def slug(stem: str) -> str:
    return re.sub(r"[^a-z0-9_]+", "-", stem.lower()).strip("-") or "image"


class Renditions:
    """Makes renditions for one build, reusing encodings from the cache, and writes the files."""

    def __init__(self, settings: ImageSettings, code: tuple[Path, ...] = ()) -> None:
        self.settings = settings
        self.cache = EncodingCache(settings.cache_root, (Path(encoding_module.__file__), *code))
        self.published: set[str] = set()

    def publish(self, name: str, data: bytes) -> str:
        """Writes `data` under its content-hashed name; returns that name, relative to the site."""
        relative = fingerprinted(f"{OUTPUT_DIR}/{name}", data)
        target = self.settings.output_root / relative
        if not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        self.published.add(relative)
        return relative

    def url(self, relative: str) -> str:
        return site_path(self.settings.site_url, relative)

    def of(self, path: Path) -> Rendition:
        data = path.read_bytes()
        if path.suffix.lower() == ".svg":
            width, height = svg_size(data)
            url = self.url(self.publish(f"{slug(path.stem)}.svg", data))
            return Rendition(width, height, url, {})
        return self._raster(path, data)

    def encoded(self, digest: str, operation: object, encoding: Encoding, make: Callable) -> bytes:
        inputs = {"source": digest, "operation": operation, "format": encoding.format}
        return self.cache.get({**inputs, "options": encoding.options}, f".{encoding.suffix}", make)

    def _raster(self, path: Path, data: bytes) -> Rendition:
        info = inspect(data)
        digest = hashlib.sha256(data).hexdigest()
        pixels = None

        def source_pixels():
            nonlocal pixels  # decoded only when some encoding is not in the cache
            if pixels is None:
                pixels = load(data)
            return pixels

        candidates: dict[str, tuple[Candidate, ...]] = {}
        for encoding in (*modern_encodings(), info.fallback()):
            files = []
            for width in widths_for(info.width, self.settings.widths):
                encoded = self.encoded(
                    digest,
                    {"width": width},
                    encoding,
                    lambda w=width, e=encoding: encode(resized(source_pixels(), w), e),
                )
                height = max(1, round(info.height * width / info.width))
                name = f"{slug(path.stem)}-{width}.{encoding.suffix}"
                url = self.url(self.publish(name, encoded))
                files.append(Candidate(url, width, height))
            candidates[encoding.mime] = tuple(files)
        fallback = candidates[info.fallback().mime]
        src = next((c for c in fallback if c.width >= FALLBACK_SRC_WIDTH), fallback[-1])
        return Rendition(fallback[-1].width, fallback[-1].height, src.url, candidates)
