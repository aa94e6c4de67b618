"""Reading and validating the image settings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_WIDTHS = (480, 800, 1200, 1600)
# The theme's text column: --measure (44rem) minus 1.25rem of padding on each side.
DEFAULT_SIZES = "(min-width: 44rem) 41.5rem, calc(100vw - 2.5rem)"
# Where the processed files go in the output, and where their encodings are kept between builds.
OUTPUT_DIR = "images"
CACHE_DIR = "cloudfolio-images"


class ImageSettingsError(ValueError):
    """CLOUDFOLIO_IMAGE_WIDTHS or CLOUDFOLIO_IMAGE_SIZES cannot be used as written."""


@dataclass(frozen=True)
class ImageSettings:
    widths: tuple[int, ...]
    sizes: str
    content_root: Path
    output_root: Path
    cache_root: Path
    site_url: str


def build_cache(settings: dict[str, Any]) -> Path:
    """CLOUDFOLIO_IMAGE_CACHE, else Pelican's CACHE_PATH. Its own setting, so the local stack's
    incremental rebuilds (which move Pelican's content cache) still find every encoding."""
    return Path(settings.get("CLOUDFOLIO_IMAGE_CACHE") or settings["CACHE_PATH"])


def image_settings(settings: dict[str, Any]) -> ImageSettings:
    widths = settings.get("CLOUDFOLIO_IMAGE_WIDTHS", DEFAULT_WIDTHS)
    if (
        not isinstance(widths, list | tuple)
        or not widths
        or not all(isinstance(w, int) and not isinstance(w, bool) and w > 0 for w in widths)
    ):
        raise ImageSettingsError(
            f"CLOUDFOLIO_IMAGE_WIDTHS must be a list of positive pixel widths, got {widths!r}"
        )
    sizes = settings.get("CLOUDFOLIO_IMAGE_SIZES", DEFAULT_SIZES)
    if not isinstance(sizes, str) or not sizes.strip():
        raise ImageSettingsError(f"CLOUDFOLIO_IMAGE_SIZES must be a sizes attribute, got {sizes!r}")
    return ImageSettings(
        widths=tuple(sorted(set(widths))),
        sizes=sizes.strip(),
        content_root=Path(settings["PATH"]),
        output_root=Path(settings["OUTPUT_PATH"]),
        cache_root=build_cache(settings) / CACHE_DIR,
        site_url=settings["SITEURL"],
    )
