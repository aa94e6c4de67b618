"""The article with pictures and an aligned table, as Chromium shows it under the strict CSP.

It is the article the Lighthouse checks in test_front_end_quality.py audit (the newest one), so
its pictures are held to the same scores and to zero layout shift.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image
from playwright.sync_api import Page

from cloudfolio.page_types import page_urls

pytestmark = pytest.mark.e2e

CSP_LISTENER = (
    "document.addEventListener('securitypolicyviolation', e =>"
    " (window.__cfCspViolations ||= []).push(e.violatedDirective + ' ' + e.blockedURI))"
)


@pytest.fixture(scope="session")
def article_url(base_url: str) -> str:
    return page_urls(base_url)["article"]


def test_the_audited_article_has_pictures_an_svg_and_an_aligned_table(
    page: Page, article_url: str
) -> None:
    page.goto(article_url)
    assert page.locator("main picture source[type='image/avif']").count() >= 1
    assert page.locator("main img[src$='.svg']").count() >= 1
    assert page.locator("main td.align-center").count() >= 1


def test_every_image_loads_and_the_browser_picks_a_modern_format(
    page: Page, article_url: str
) -> None:
    page.goto(article_url)
    images = page.locator("main img")
    assert images.count() >= 2
    # Lazy images load once they come near the viewport.
    for index in range(images.count()):
        images.nth(index).scroll_into_view_if_needed()
    page.wait_for_function(
        "() => [...document.querySelectorAll('main img')].every(image => image.complete)"
    )
    loaded = page.evaluate(
        "() => [...document.querySelectorAll('main img')]"
        ".map(i => ({src: i.currentSrc, natural: i.naturalWidth, shown: i.clientWidth}))"
    )
    assert all(image["natural"] > 0 for image in loaded), loaded
    assert all(image["shown"] > 0 for image in loaded), loaded
    rasters = [image for image in loaded if not image["src"].endswith(".svg")]
    assert rasters and all(image["src"].endswith(".avif") for image in rasters), rasters


def test_aligned_columns_render_aligned_with_no_csp_violation(page: Page, article_url: str) -> None:
    messages: list[str] = []
    page.add_init_script(CSP_LISTENER)
    page.on("console", lambda message: messages.append(message.text))
    response = page.goto(article_url)
    assert response is not None
    csp = response.headers.get("content-security-policy", "")
    assert "style-src 'self'" in csp and "unsafe-inline" not in csp
    alignments = page.evaluate(
        "() => [...document.querySelectorAll('main table tbody tr:first-child > td')]"
        ".map(cell => getComputedStyle(cell).textAlign)"
    )
    assert alignments == ["left", "left", "center"]
    page.wait_for_load_state("networkidle")
    assert page.evaluate("() => window.__cfCspViolations || []") == []
    assert [m for m in messages if "Content Security Policy" in m] == []


def test_the_social_card_is_served_at_its_declared_size(page: Page, article_url: str) -> None:
    page.goto(article_url)
    card_url = page.locator("meta[property='og:image']").get_attribute("content")
    assert card_url and card_url.startswith("http")
    response = page.request.get(card_url)
    assert response.ok and response.headers["content-type"] == "image/png"
    with Image.open(io.BytesIO(response.body())) as card:
        assert card.size == (1200, 630)
