"""Social cards: og:image, og:image:alt and twitter:card=summary_large_image on every page.

Each post and page gets a 1200x630 PNG drawn at build time with Pillow: its title (wrapped and,
if need be, shrunk to fit), the site name and the date, in the theme's colours and its shipped
font. ``Image: images/cover.jpg`` plus ``Image_alt:`` in the metadata use the author's own picture
instead, cropped to the same size. Listing pages (home, archive, tags) share a card for the site.
Cards are kept in CLOUDFOLIO_IMAGE_CACHE/cloudfolio-cards by their inputs, so an unchanged post
costs nothing.

The theme asks ``social_card(article or page)`` for the card to put in its meta tags.
"""

from __future__ import annotations

import logging

from cloudfolio_images import content_objects
from pelican import signals

from .cards import Cards, SocialCard

__all__ = ["CardError", "SocialCard", "register"]

logger = logging.getLogger(__name__)

SITE_CARD = "cloudfolio_site_card"


class CardError(ValueError):
    """A post's own social card picture cannot be used; the message lists each one."""


def attach_cards(generators) -> None:
    if not generators:
        return
    cards = Cards(generators[0].settings)
    for _, content in content_objects(generators):
        content.social_card = cards.for_content(content)
    generators[0].context[SITE_CARD] = cards.for_site()
    cache = cards.renditions.cache
    logger.info("social cards: %d drawn, %d from the cache", cache.misses, cache.hits)
    if cards.problems:
        raise CardError("\n".join(["social cards cannot be made:", *cards.problems]))


def add_template_global(generator) -> None:
    context = generator.context

    def social_card(content=None) -> SocialCard | None:
        return getattr(content, "social_card", None) or context.get(SITE_CARD)

    generator.env.globals["social_card"] = social_card


def register() -> None:
    signals.generator_init.connect(add_template_global)
    signals.all_generators_finalized.connect(attach_cards)
