"""sitemap.xml and a robots.txt that points crawlers at it.

Lists the home page, the archive, every published article and every listed page (hidden pages
such as the 404 page stay out), with absolute URLs built from SITEURL.
"""

from pelican import signals

from .generator import SitemapGenerator

__all__ = ["SitemapGenerator", "register"]


def add_generator(pelican):
    return SitemapGenerator


def register() -> None:
    signals.get_generators.connect(add_generator)
