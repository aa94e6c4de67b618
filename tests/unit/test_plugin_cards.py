"""Social cards: og:image on every page of the real site, the author's own picture, long titles."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from cloudfolio_cards import CardError
from cloudfolio_cards.render import (
    ACCENT_BAR,
    CARD_SIZE,
    MARGIN,
    TITLE_BOTTOM,
    TITLE_TOP,
    CardText,
    render_card,
    wrap,
)
from cloudfolio_cards.style import card_style
from PIL import Image, ImageFont
from test_site_build import SITE_URL, Page, build_site, html_files
from writing_samples import photo_with_gps, post, write

from cloudfolio import paths

THEME_SETTINGS = {"THEME": str(paths.ROOT / "theme"), "THEME_STATIC_PATHS": ["static"]}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_site(tmp_path_factory.mktemp("cards"))


def card_file(site: Path, url: str) -> Path:
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == SITE_URL, "og:image must be absolute"
    return site / parts.path.lstrip("/")


def test_every_page_has_a_large_social_card(site: Path) -> None:
    pages = html_files(site)
    assert len(pages) >= 10
    cards = set()
    for file in pages:
        parsed = Page(file.read_text(encoding="utf-8"))
        where = file.relative_to(site)
        assert parsed.meta("twitter:card") == "summary_large_image", where
        assert parsed.meta("og:image:alt"), where
        assert parsed.meta("twitter:image") == parsed.meta("og:image"), where
        assert (parsed.meta("og:image:width"), parsed.meta("og:image:height")) == ("1200", "630")
        path = card_file(site, parsed.meta("og:image"))
        with Image.open(path) as card:
            assert (card.format, card.size) == ("PNG", CARD_SIZE), where
        assert parsed.meta("og:image:type") == "image/png", where
        cards.add(path)
    posts = list((site / "posts").glob("*/index.html"))
    # One card per post and per page, and one shared by the listing pages.
    assert len(cards) >= len(posts) + 3


def test_a_post_card_names_the_post_the_site_and_the_date(site: Path) -> None:
    parsed = Page((site / "posts/atomic-counters-in-dynamodb/index.html").read_text())
    alt = parsed.meta("og:image:alt")
    assert alt.startswith("Atomic counters in DynamoDB")
    assert "Alex Morgan" in alt and "9 May 2026" in alt


def test_a_post_can_bring_its_own_picture(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write(content, "posts/images/cover.jpg", photo_with_gps((1600, 1200)))
    extra = "Image: images/cover.jpg\nImage_alt: An orange disc on a pale background\n"
    write(content, "posts/cover.md", post("Cover", "Text.", slug="cover", extra=extra))
    site = build_site(
        tmp_path / "site", PATH=str(content), CLOUDFOLIO_IMAGE_CACHE=str(tmp_path / "cache")
    )
    parsed = Page((site / "posts/cover/index.html").read_text())
    assert parsed.meta("og:image:alt") == "An orange disc on a pale background"
    assert parsed.meta("og:image:type") == "image/jpeg"
    with Image.open(card_file(site, parsed.meta("og:image"))) as card:
        assert (card.format, card.size) == ("JPEG", CARD_SIZE)
        assert not card.getexif() and "exif" not in card.info


def test_an_own_picture_without_a_description_fails_the_build(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write(content, "posts/images/cover.jpg", photo_with_gps((800, 600)))
    write(
        content,
        "posts/cover.md",
        post("Cover", "Text.", slug="cover", extra="Image: images/cover.jpg\n"),
    )
    with pytest.raises(CardError, match=r"posts/cover\.md:5: Image: needs an Image_alt"):
        build_site(
            tmp_path / "site", PATH=str(content), CLOUDFOLIO_IMAGE_CACHE=str(tmp_path / "cache")
        )


LONG_TITLE = (
    "Why a counter built from GetItem and PutItem loses updates under load, how one UpdateItem "
    "with ADD fixes it, and what arn:aws:dynamodb:eu-west-1:123456789012:table/cloudfolio-counts "
    "has to do with any of it, explained slowly and at length for the third time this year"
)


def test_long_titles_wrap_and_shrink_without_leaving_the_card() -> None:
    style = card_style(THEME_SETTINGS)
    font = ImageFont.truetype(str(style.fonts["bold"]), 60)
    lines = wrap(LONG_TITLE, font, 400)
    assert len(lines) > 5
    assert all(font.getlength(line) <= 400 for line in lines)
    text = CardText(LONG_TITLE, "Alex Morgan", "9 May 2026", "www.example.com")
    with Image.open(io.BytesIO(render_card(text, style))) as card:
        card = card.convert("RGB")
        assert card.size == CARD_SIZE
        background = Image.new("RGB", (1, 1), style.colours["bg"]).getpixel((0, 0))
        width, height = CARD_SIZE

        def colours(box: tuple[int, int, int, int]) -> set:
            return {colour for _, colour in card.crop(box).getcolors(width * height)}

        # Nothing reaches into the right margin, nor into the gap above the footer rule.
        assert colours((width - MARGIN + 4, 0, width, height)) == {background}
        assert colours((ACCENT_BAR, TITLE_BOTTOM + 4, width, 522)) == {background}
        assert len(colours((MARGIN, TITLE_TOP, width - MARGIN, TITLE_BOTTOM))) > 2, "a title"
