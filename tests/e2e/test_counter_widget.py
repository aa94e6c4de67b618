"""The visitor counter widget, as a reader sees it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

COUNTER = "[data-cf-counter]"


def read_numbers(page: Page) -> dict[str, int]:
    widget = page.locator(COUNTER)
    expect(widget).to_have_attribute("data-cf-state", "ready", timeout=15_000)
    numbers = {}
    for name in ("views", "visitors"):
        text = widget.locator(f"[data-cf-{name}]").inner_text()
        digits = re.sub(r"[^0-9]", "", text)
        assert digits, f"{name} shows {text!r}, not a number"
        numbers[name] = int(digits)
    return numbers


def first_article_url(page: Page, base_url: str) -> str:
    page.goto(base_url + "/")
    link = page.locator("main article a[href], main a[rel='bookmark']").first
    href = link.get_attribute("href")
    assert href, "the home page lists no article"
    return href if href.startswith("http") else base_url + "/" + href.lstrip("/")


def test_home_page_counter_shows_views_and_visitors(page: Page, base_url: str) -> None:
    page.goto(base_url + "/")
    numbers = read_numbers(page)
    assert numbers["views"] >= 1
    assert numbers["visitors"] >= 1


@pytest.mark.parametrize("where", ["home", "article"])
def test_reload_counts_one_more_view_but_not_another_visitor(
    page: Page, base_url: str, where: str
) -> None:
    url = base_url + "/" if where == "home" else first_article_url(page, base_url)
    page.goto(url)
    first = read_numbers(page)
    page.reload()
    second = read_numbers(page)
    assert second["views"] == first["views"] + 1
    assert second["visitors"] == first["visitors"]


def test_widget_reserves_its_space(page: Page, base_url: str) -> None:
    """The server-rendered widget has the same box before and after the numbers arrive."""
    page.route("**/visits", lambda route: route.abort())  # keep it in its pre-JS state
    page.goto(base_url + "/")
    widget = page.locator(COUNTER)
    expect(widget).to_have_attribute("data-cf-state", "offline", timeout=15_000)
    offline_box = widget.bounding_box()
    page.unroute("**/visits")
    page.reload()
    read_numbers(page)
    ready_box = widget.bounding_box()
    assert offline_box and ready_box
    assert abs(offline_box["height"] - ready_box["height"]) < 1


def test_unreachable_api_shows_a_quiet_fallback(page: Page, base_url: str) -> None:
    page.route("**/visits", lambda route: route.abort())
    page.goto(base_url + "/")
    widget = page.locator(COUNTER)
    expect(widget).to_have_attribute("data-cf-state", "offline", timeout=15_000)
    expect(widget).to_be_visible()
    assert "error" not in widget.inner_text().lower()
