"""SVG files are published unchanged; only their displayed size is read, for width/height."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

# A length the browser treats as pixels: a bare number or one in px.
PIXELS = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$")


class SvgSizeError(ValueError):
    """The SVG declares no size the page can reserve space for."""


def _pixels(value: str | None) -> float | None:
    match = PIXELS.match(value or "")
    return float(match.group(1)) if match else None


def svg_size(data: bytes) -> tuple[int, int]:
    """width and height in CSS pixels, from the width/height attributes or else the viewBox."""
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise SvgSizeError(f"not a readable SVG ({error})") from None
    if not root.tag.endswith("svg"):
        raise SvgSizeError("not an SVG document")
    width, height = _pixels(root.get("width")), _pixels(root.get("height"))
    view_box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(view_box) == 4:
        box_width, box_height = float(view_box[2]), float(view_box[3])
        if box_width > 0 and box_height > 0:
            # One given dimension scales the other by the viewBox's aspect ratio, as browsers do.
            if width and not height:
                height = width * box_height / box_width
            elif height and not width:
                width = height * box_width / box_height
            elif not width and not height:
                width, height = box_width, box_height
    if not width or not height:
        raise SvgSizeError("it needs width and height in pixels, or a viewBox")
    return round(width), round(height)
