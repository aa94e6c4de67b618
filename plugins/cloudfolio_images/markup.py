"""The <picture> (or, for SVG, <img>) that replaces a Markdown image."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

from .renditions import Candidate, Rendition

# Attributes the processor decides; anything else the author set ({.class}, title) is kept.
MANAGED = ("src", "srcset", "sizes", "width", "height", "loading", "decoding", "fetchpriority")


def srcset(candidates: tuple[Candidate, ...]) -> str:
    return ", ".join(f"{c.url} {c.width}w" for c in candidates)


def picture(img: ElementTree.Element, rendition: Rendition, sizes: str, first: bool):
    """Rewrites `img` in place and returns the element that should stand where it stood."""
    for name in MANAGED:
        img.attrib.pop(name, None)
    img.set("src", rendition.src)
    img.set("width", str(rendition.width))
    img.set("height", str(rendition.height))
    # The first image is often the page's largest paint: fetch it at once, at high priority.
    if first:
        img.set("fetchpriority", "high")
    else:
        img.set("loading", "lazy")
        img.set("decoding", "async")
    if not rendition.candidates:
        return img
    img.set("srcset", srcset(rendition.fallback()))
    img.set("sizes", sizes)
    element = ElementTree.Element("picture")
    for mime, candidates in rendition.modern().items():
        ElementTree.SubElement(
            element, "source", {"type": mime, "srcset": srcset(candidates), "sizes": sizes}
        )
    element.append(img)
    element.tail, img.tail = img.tail, None
    return element
