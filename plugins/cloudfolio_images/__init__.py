"""Plain Markdown images, made fast, responsive and safe to publish at build time.

``![What it shows](images/diagram.png)`` in a post (the file next to the post, or under
content/images/) becomes a <picture> with AVIF (when Pillow can write it) and WebP sources and a
fallback in the original format, at each width of CLOUDFOLIO_IMAGE_WIDTHS up to the source's own,
with width/height, lazy loading after the first image, content-hashed names and no metadata.
SVG files are published unchanged, with their size read from the file. An image without alt
text fails the build unless it is marked ``{decorative}``.

Settings:
    CLOUDFOLIO_IMAGE_WIDTHS  widths in pixels (default 480, 800, 1200, 1600)
    CLOUDFOLIO_IMAGE_SIZES   the sizes attribute (default: the theme's text column)
    CLOUDFOLIO_IMAGE_CACHE   encodings are kept in <it>/cloudfolio-images between builds
                             (default: Pelican's CACHE_PATH)
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pelican import signals

from .markdown_ext import DECORATIVE, ImageExtension, ImagePipeline
from .settings import image_settings
from .sources import track_sources

__all__ = ["DECORATIVE", "ImageError", "content_objects", "pipeline_of", "register"]

logger = logging.getLogger(__name__)


class ImageError(ValueError):
    """Images in the content cannot be published as written; the message lists each one."""


def install_extension(pelican) -> None:
    pipeline = ImagePipeline(image_settings(pelican.settings))
    markdown = dict(pelican.settings["MARKDOWN"])
    # A copy: publishconf.py shares pelicanconf.py's dict, and a rebuild must not stack extensions.
    kept = [e for e in markdown.get("extensions", []) if not isinstance(e, ImageExtension)]
    markdown["extensions"] = [*kept, ImageExtension(pipeline)]
    pelican.settings["MARKDOWN"] = markdown


def pipeline_of(settings) -> ImagePipeline | None:
    extensions = settings.get("MARKDOWN", {}).get("extensions", [])
    return next((e.pipeline for e in extensions if isinstance(e, ImageExtension)), None)


# Every list of content objects the article and page generators keep (drafts render too).
CONTENT_LISTS = (
    "articles",
    "translations",
    "hidden_articles",
    "hidden_translations",
    "drafts",
    "drafts_translations",
    "pages",
    "hidden_pages",
    "draft_pages",
    "draft_translations",
)


def content_objects(generators) -> Iterator[tuple[Any, Any]]:
    """(generator, content) for every post and page the build will render, each once."""
    seen: set[int] = set()
    for generator in generators:
        for name in CONTENT_LISTS:
            for content in getattr(generator, name, None) or []:
                if id(content) not in seen:
                    seen.add(id(content))
                    yield generator, content


def convert_cached_content(pipeline: ImagePipeline, generators) -> None:
    """Posts Pelican's content cache supplied were not converted, so their images were neither
    checked nor written to this output, and may point at an older version of a picture: convert
    those again. Posts without images keep the cache's saving."""
    for generator, content in content_objects(generators):
        source = Path(content.source_path).resolve()
        if source in pipeline.converted or "<img" not in (content._content or ""):
            continue
        reader = generator.readers.readers.get(source.suffix.lstrip("."))
        if reader is not None:
            content._content, _ = reader.read(str(source))


def report_problems(generators) -> None:
    """After every file is read and before anything is written: fail once, listing them all."""
    pipeline = pipeline_of(generators[0].settings) if generators else None
    if pipeline is None:
        return
    convert_cached_content(pipeline, generators)
    problems, pipeline.problems = pipeline.problems, []
    pipeline.converted.clear()
    cache = pipeline.renditions.cache
    logger.info(
        "images: %d files published, %d encoded, %d from the cache",
        len(pipeline.renditions.published),
        cache.misses,
        cache.hits,
    )
    pipeline.renditions.published.clear()
    cache.hits = cache.misses = 0
    if problems:
        raise ImageError("\n".join(["images cannot be published:", *problems]))


def register() -> None:
    signals.initialized.connect(install_extension)
    signals.readers_init.connect(track_sources)
    signals.all_generators_finalized.connect(report_problems)
