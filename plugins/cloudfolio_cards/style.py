"""The card's colours and fonts, taken from the theme so a card looks like the site."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cloudfolio_assets.fingerprint import theme_static_roots

# The stylesheet whose first :root block declares the light scheme's colours.
STYLESHEET = "css/main.css"
COLOURS = ("bg", "surface", "text", "muted", "accent", "border")
# Fonts shipped with the theme (SIL Open Font License, see theme/fonts/OFL.txt); build-time only,
# so they live outside theme/static and are never published.
FONTS = {"bold": "fonts/Inter-Bold.otf", "regular": "fonts/Inter-Regular.otf"}
ROOT_BLOCK = re.compile(r":root\s*{([^}]*)}")
CUSTOM_PROPERTY = re.compile(r"--([a-z-]+)\s*:\s*(#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3})\s*;")


class CardStyleError(ValueError):
    """The theme lacks a colour or a font the social cards are drawn with."""


@dataclass(frozen=True)
class CardStyle:
    colours: dict[str, str]
    fonts: dict[str, Path]


def _stylesheet(settings: dict[str, Any]) -> Path:
    for root in theme_static_roots(settings):
        if (root / STYLESHEET).is_file():
            return root / STYLESHEET
    raise CardStyleError(f"the theme has no {STYLESHEET} to take the social cards' colours from")


def card_style(settings: dict[str, Any]) -> CardStyle:
    stylesheet = _stylesheet(settings)
    block = ROOT_BLOCK.search(stylesheet.read_text(encoding="utf-8"))
    declared = dict(CUSTOM_PROPERTY.findall(block.group(1))) if block else {}
    missing = [name for name in COLOURS if name not in declared]
    if missing:
        names = ", ".join(f"--{name}" for name in missing)
        raise CardStyleError(f"{stylesheet} declares no {names} in :root; the cards need them")
    fonts = {weight: Path(settings["THEME"]) / relative for weight, relative in FONTS.items()}
    absent = [str(path) for path in fonts.values() if not path.is_file()]
    if absent:
        raise CardStyleError(f"the social cards' fonts are missing: {', '.join(absent)}")
    return CardStyle({name: declared[name] for name in COLOURS}, fonts)
