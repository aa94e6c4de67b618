"""The Python-Markdown extension: every image in a post or page goes through the pipeline."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from markdown import Extension
from markdown.treeprocessors import Treeprocessor

from .encoding import UnsupportedImage
from .markup import picture
from .renditions import Renditions
from .settings import ImageSettings
from .sources import CURRENT_SOURCE, ImageNotFound, is_local, line_of, location, resolve
from .svg import SvgSizeError

# `![](divider.png){decorative}` (attr_list syntax): an image that carries no information.
DECORATIVE = "decorative"
# After attr_list (priority 8) has applied {…} attributes, before the tree is serialised.
PRIORITY = 6
RAW_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
RAW_SRC = re.compile(r"""\bsrc\s*=\s*["']?([^"'\s>]*)""", re.IGNORECASE)


class ImagePipeline:
    """One build's image work: renditions plus the problems found, reported all at once."""

    def __init__(self, settings: ImageSettings) -> None:
        self.settings = settings
        self.renditions = Renditions(settings)
        self.problems: list[str] = []
        # Markdown files converted in this build; the rest came from Pelican's content cache.
        self.converted: set[Path] = set()

    def problem(self, source: Path | None, src: str, message: str, empty_alt: bool = False):
        markdown_file = source or self.settings.content_root / "<markdown>"
        line = line_of(markdown_file, src, empty_alt=empty_alt) if source else None
        self.problems.append(f"{location(markdown_file, line)}: {message}")

    def raw_html(self, html: str, source: Path | None) -> None:
        """An <img> typed as HTML is neither checked nor processed, and its file not published."""
        for tag in RAW_IMG.findall(html):
            match = RAW_SRC.search(tag)
            src = match.group(1) if match else ""
            self.problem(
                source,
                src or "<img",
                f"image {src!r} is written as HTML: write it as Markdown, ![A short description]"
                f"({src}), so it is checked, resized and published",
            )

    def replace(self, img: ElementTree.Element, source: Path | None, first: bool):
        """The element to put where `img` is, or None to leave it (after noting a problem)."""
        src = img.get("src") or ""
        # attr_list stores a bare word as an attribute whose value is None.
        decorative = DECORATIVE in img.attrib
        img.attrib.pop(DECORATIVE, None)
        markdown_file = source or self.settings.content_root / "<markdown>"

        def problem(message: str, *, empty_alt: bool = False) -> None:
            self.problem(source, src, message, empty_alt)

        if decorative:
            img.set("alt", "")
        elif not (img.get("alt") or "").strip():
            problem(
                f"image {src!r} has no alt text: describe what it shows, ![A short description]"
                f"({src}), or mark it decorative, ![]({src}){{{DECORATIVE}}}",
                empty_alt=True,
            )
            return None
        if src.startswith("data:"):
            return None
        if not is_local(src):
            problem(
                f"image {src!r} is not a file of this site: the Content-Security-Policy only"
                " loads images from the site itself, so copy it into content/images/"
            )
            return None
        try:
            rendition = self.renditions.of(resolve(src, markdown_file, self.settings.content_root))
        except (ImageNotFound, UnsupportedImage, SvgSizeError) as error:
            problem(f"image {src!r}: {error}")
            return None
        return picture(img, rendition, self.settings.sizes, first)


class ImageTreeprocessor(Treeprocessor):
    def __init__(self, md, pipeline: ImagePipeline) -> None:
        super().__init__(md)
        self.pipeline = pipeline

    def run(self, root: ElementTree.Element) -> None:
        parents = {child: parent for parent in root.iter() for child in parent}
        source = CURRENT_SOURCE.get()
        if source is not None:
            self.pipeline.converted.add(source.resolve())
        for block in self.md.htmlStash.rawHtmlBlocks:
            self.pipeline.raw_html(str(block), source)
        for index, img in enumerate(list(root.iter("img"))):
            replacement = self.pipeline.replace(img, source, first=index == 0)
            if replacement is not None and replacement is not img:
                parent = parents[img]
                parent[list(parent).index(img)] = replacement


class ImageExtension(Extension):
    def __init__(self, pipeline: ImagePipeline) -> None:
        super().__init__()
        self.pipeline = pipeline

    def extendMarkdown(self, md) -> None:
        md.treeprocessors.register(
            ImageTreeprocessor(md, self.pipeline), "cloudfolio_images", PRIORITY
        )
