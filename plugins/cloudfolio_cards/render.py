"""Drawing a 1200x630 social card: site name, title (wrapped to fit), date and address."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from .style import CardStyle

CARD_SIZE = (1200, 630)
MARGIN = 80
ACCENT_BAR = 16
TITLE_TOP = 170
TITLE_BOTTOM = 500
# Largest first; the first size at which the whole title fits is used.
TITLE_SIZES = (76, 68, 60, 54, 48, 44)
LINE_HEIGHT = 1.18
SITE_NAME_SIZE = 36
FOOTER_SIZE = 30
ELLIPSIS = "\u2026"


@dataclass(frozen=True)
class CardText:
    title: str
    site_name: str
    date: str  # empty for pages, which have no date
    host: str


def _width(font: ImageFont.FreeTypeFont, text: str) -> float:
    return font.getlength(text)


def _split_word(word: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """A word too long for a line (a URL, say), cut into pieces that fit."""
    pieces, piece = [], ""
    for char in word:
        if piece and _width(font, piece + char) > width:
            pieces.append(piece)
            piece = ""
        piece += char
    return [*pieces, piece] if piece else pieces


def wrap(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Greedy word wrap; no line is wider than `width`."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        pieces = [word] if _width(font, word) <= width else _split_word(word, font, width)
        for piece in pieces:
            candidate = f"{line} {piece}" if line else piece
            if _width(font, candidate) <= width:
                line = candidate
            else:
                lines.append(line)
                line = piece
    return [*lines, line] if line else lines


def _truncate(line: str, font: ImageFont.FreeTypeFont, width: float) -> str:
    while line and _width(font, line + ELLIPSIS) > width:
        line = line[:-1]
    return line.rstrip() + ELLIPSIS


def fit_title(
    title: str, font_path: str, width: float, height: float
) -> tuple[ImageFont.FreeTypeFont, list[str], int]:
    """The largest size at which the title fits the box; at the smallest, cut with an ellipsis."""
    for size in TITLE_SIZES:
        font = ImageFont.truetype(font_path, size)
        step = round(size * LINE_HEIGHT)
        lines = wrap(title, font, width)
        if len(lines) * step <= height:
            return font, lines, step
    room = max(1, int(height // step))
    if len(lines) > room:
        lines = [*lines[: room - 1], _truncate(lines[room - 1], font, width)]
    return font, lines, step


def render_card(text: CardText, style: CardStyle) -> bytes:
    colours = style.colours
    bold, regular = str(style.fonts["bold"]), str(style.fonts["regular"])
    width, height = CARD_SIZE
    inner = width - 2 * MARGIN
    image = Image.new("RGB", CARD_SIZE, colours["bg"])
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, ACCENT_BAR - 1, height), fill=colours["accent"])

    site_font = ImageFont.truetype(bold, SITE_NAME_SIZE)
    site_name = wrap(text.site_name, site_font, inner)[:1] or [""]
    draw.text((MARGIN, 72), site_name[0], font=site_font, fill=colours["accent"])

    font, lines, step = fit_title(text.title, bold, inner, TITLE_BOTTOM - TITLE_TOP)
    top = TITLE_TOP + (TITLE_BOTTOM - TITLE_TOP - len(lines) * step) // 2
    for index, line in enumerate(lines):
        draw.text((MARGIN, top + index * step), line, font=font, fill=colours["text"])

    draw.line((MARGIN, 526, width - MARGIN, 526), fill=colours["border"], width=2)
    footer_font = ImageFont.truetype(regular, FOOTER_SIZE)
    footer_y = 548
    if text.date:
        draw.text((MARGIN, footer_y), text.date, font=footer_font, fill=colours["muted"])
    host_room = inner - (_width(footer_font, text.date) + 40 if text.date else 0)
    host = text.host if _width(footer_font, text.host) <= host_room else ""
    if host:
        draw.text(
            (width - MARGIN, footer_y), host, font=footer_font, fill=colours["muted"], anchor="ra"
        )
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
