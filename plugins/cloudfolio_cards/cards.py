"""One social card per post and page, plus one for the site's other pages."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cloudfolio_images.cache import files_digest
from cloudfolio_images.encoding import UnsupportedImage, encode, fitted, inspect, load
from cloudfolio_images.renditions import Renditions, slug
from cloudfolio_images.settings import build_cache, image_settings
from cloudfolio_images.sources import ImageNotFound, line_of, location, resolve
from markupsafe import Markup

from . import render
from .render import CARD_SIZE, CardText, render_card
from .style import card_style

CACHE_DIR = "cloudfolio-cards"
CARD_DIR = "cards"
SITE_CARD_NAME = "site"


@dataclass(frozen=True)
class SocialCard:
    url: str  # absolute, as Open Graph requires
    alt: str
    width: int
    height: int
    mime: str


def plain(text: str) -> str:
    return Markup(text or "").striptags()


class Cards:
    def __init__(self, settings: dict[str, Any]) -> None:
        self.settings = settings
        images = image_settings(settings)
        self.content_root = images.content_root
        self.renditions = Renditions(
            replace(images, cache_root=build_cache(settings) / CACHE_DIR),
            code=(Path(render.__file__),),
        )
        self.style = card_style(settings)
        self.style_key = [self.style.colours, files_digest(self.style.fonts.values())]
        self.site_url = settings["SITEURL"].rstrip("/")
        self.problems: list[str] = []

    def _card(self, relative: str, alt: str, mime: str) -> SocialCard:
        width, height = CARD_SIZE
        return SocialCard(f"{self.site_url}/{relative}", alt, width, height, mime)

    def drawn(self, name: str, text: CardText) -> SocialCard:
        inputs = {"card": asdict(text), "style": self.style_key}
        data = self.renditions.cache.get(inputs, ".png", lambda: render_card(text, self.style))
        relative = self.renditions.publish(f"{CARD_DIR}/{name}.png", data)
        alt = " · ".join(part for part in (text.title, text.site_name, text.date) if part)
        return self._card(relative, alt, "image/png")

    def for_site(self) -> SocialCard:
        settings = self.settings
        title = plain(settings.get("SITESUBTITLE") or settings["SITENAME"])
        return self.drawn(SITE_CARD_NAME, self._text(title, date=""))

    def for_content(self, content: Any) -> SocialCard | None:
        if content.metadata.get("image"):
            return self.own_picture(content)
        date = content.locale_date if "date" in content.metadata else ""
        return self.drawn(slug(content.slug), self._text(plain(content.title), date))

    def _text(self, title: str, date: str) -> CardText:
        host = urlsplit(self.site_url).netloc
        return CardText(title, plain(self.settings["SITENAME"]), date, host)

    def own_picture(self, content: Any) -> SocialCard | None:
        """`Image:` in the metadata: the author's picture, cropped around its centre to fit."""
        source = Path(content.source_path)
        reference = str(content.metadata["image"]).strip()
        where = location(source, line_of(source, "Image:"))
        alt = plain(content.metadata.get("image_alt", "")).strip()
        if not alt:
            self.problems.append(f"{where}: Image: needs an Image_alt: line describing the picture")
            return None
        try:
            path = resolve(reference, source, self.content_root)
            data = path.read_bytes()
            if path.suffix.lower() == ".svg":
                raise UnsupportedImage("social networks do not show SVG; use PNG or JPEG")
            encoding = inspect(data).fallback()
        except (ImageNotFound, UnsupportedImage) as error:
            self.problems.append(f"{where}: Image: {error}")
            return None
        encoded = self.renditions.encoded(
            hashlib.sha256(data).hexdigest(),
            {"fit": CARD_SIZE},
            encoding,
            lambda: encode(fitted(load(data), CARD_SIZE), encoding),
        )
        relative = self.renditions.publish(
            f"{CARD_DIR}/{slug(content.slug)}.{encoding.suffix}", encoded
        )
        return self._card(relative, alt, encoding.mime)
