"""The resume download button, as a reader uses it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

LINK = "[data-cf-resume-download]"


def test_clicking_the_button_downloads_the_pdf(page: Page, base_url: str) -> None:
    page.goto(base_url + "/resume/")
    button = page.get_by_role("link", name="Download resume (PDF)")
    expect(button).to_be_visible()
    with page.expect_download(timeout=20_000) as started:
        button.click()
    download = started.value
    assert re.fullmatch(r"[A-Za-z0-9-]+-Resume\.pdf", download.suggested_filename)
    with open(download.path(), "rb") as file:
        assert file.read(5) == b"%PDF-"


def test_the_count_arrives_without_moving_anything(page: Page, base_url: str) -> None:
    page.goto(base_url + "/resume/")
    widget = page.locator("[data-cf-resume]")
    expect(widget).to_have_attribute("data-cf-state", "ready", timeout=15_000)
    expect(widget.locator("[data-cf-downloads]")).to_have_text(
        re.compile(r"^Downloaded (once|[\d,]+ times)$")
    )
    ready = widget.bounding_box()
    page.route("**/resume/stats", lambda route: route.abort())
    page.reload()
    expect(widget).to_have_attribute("data-cf-state", "offline", timeout=15_000)
    assert widget.bounding_box() == ready
    assert page.locator(LINK).get_attribute("href").endswith("/resume")
