"""counter.js in a real browser: a built page served from memory, the API answered by routes.

The browser is pytest-playwright's, launched from Debian chromium by tests/conftest.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pelican import Pelican
from pelican.settings import read_settings
from playwright.sync_api import Browser, Page, Route

from cloudfolio import paths

SITE_URL = "http://site.test"
API_URL = "http://api.test"
COUNTER = "[data-cf-counter]"
NUMBERS = {"views": 1234, "page_views": 56, "visitors": 78}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("script-site")
    settings = read_settings(
        str(paths.PELICAN_DEV_SETTINGS),
        override={"OUTPUT_PATH": str(output), "SITEURL": SITE_URL, "CLOUDFOLIO_API_URL": API_URL},
    )
    Pelican(settings).run()
    return output


class FakeApi:
    """Answers POST /visits as configured and remembers what the widget sent."""

    def __init__(self, status: int = 200, body: object = NUMBERS) -> None:
        self.status = status
        self.body = body
        self.requests: list[dict] = []

    def __call__(self, route: Route) -> None:
        request = route.request
        headers = {
            "access-control-allow-origin": SITE_URL,
            "access-control-allow-headers": "content-type",
        }
        if request.method == "OPTIONS":
            route.fulfill(status=204, headers=headers)
            return
        self.requests.append(
            {"method": request.method, "url": request.url, "json": request.post_data_json}
        )
        route.fulfill(
            status=self.status,
            headers=headers,
            content_type="application/json",
            body=json.dumps(self.body),
        )


TEST_CSP = f"script-src 'self'; style-src 'self'; connect-src 'self' {API_URL}"


def serve_site(site: Path, csp: str = TEST_CSP):
    def handler(route: Route) -> None:
        path = route.request.url.removeprefix(SITE_URL).split("?", 1)[0]
        target = site / path.lstrip("/")
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            route.fulfill(status=404, body="not found")
            return
        types = {
            ".html": "text/html",
            ".css": "text/css",
            ".js": "text/javascript",
            ".svg": "image/svg+xml",
        }
        route.fulfill(
            status=200,
            body=target.read_bytes(),
            headers={
                "content-type": types.get(target.suffix, "application/octet-stream"),
                "content-security-policy": csp,
            },
        )

    return handler


def open_page(browser: Browser, site: Path, api, path: str = "/", javascript: bool = True) -> Page:
    context = browser.new_context(java_script_enabled=javascript)
    context.route(f"{SITE_URL}/**", serve_site(site))
    context.route(f"{API_URL}/**", api)
    page = context.new_page()
    page.goto(SITE_URL + path)
    return page


def widget_text(page: Page, attribute: str) -> str:
    return page.locator(f"{COUNTER} [{attribute}]").inner_text()


def test_a_visit_is_posted_once_and_the_numbers_shown(browser: Browser, site: Path) -> None:
    api = FakeApi()
    page = open_page(
        browser, site, api, "/posts/atomic-counters-in-dynamodb/?utm_source=newsletter"
    )
    page.wait_for_selector(f"{COUNTER}[data-cf-state='ready']")
    assert widget_text(page, "data-cf-views") == "1234"
    assert widget_text(page, "data-cf-page-views") == "56"
    assert widget_text(page, "data-cf-visitors") == "78"
    assert widget_text(page, "data-cf-status") == ""
    page.wait_for_timeout(300)  # a second POST would have been sent by now
    [visit] = api.requests
    assert visit["method"] == "POST"
    assert visit["url"] == f"{API_URL}/visits"
    assert visit["json"] == {
        "path": "/posts/atomic-counters-in-dynamodb/",
        "utm_source": "newsletter",
    }
    page.context.close()


@pytest.mark.parametrize(
    ("status", "body"),
    [(500, {"error": "internal", "message": "boom"}), (200, {"views": "many"}), (429, {})],
)
def test_api_failures_show_a_quiet_fallback(
    browser: Browser, site: Path, status: int, body
) -> None:
    page = open_page(browser, site, FakeApi(status, body))
    page.wait_for_selector(f"{COUNTER}[data-cf-state='offline']")
    assert widget_text(page, "data-cf-status") == "counter unavailable"
    assert widget_text(page, "data-cf-views") == "\u2014"
    page.context.close()


def test_unreachable_api_shows_a_quiet_fallback(browser: Browser, site: Path) -> None:
    page = open_page(browser, site, lambda route: route.abort("connectionrefused"))
    page.wait_for_selector(f"{COUNTER}[data-cf-state='offline']")
    assert widget_text(page, "data-cf-status") == "counter unavailable"
    page.context.close()


LAYOUT_SHIFTS = """() => new Promise(resolve => {
    const values = [];
    new PerformanceObserver(list => list.getEntries().forEach(e => values.push(e.value)))
        .observe({type: "layout-shift", buffered: true});
    setTimeout(() => resolve(values), 250);
})"""


@pytest.mark.parametrize(
    ("api", "state"),
    [
        (FakeApi(200, {"views": 10**9, "page_views": 123456, "visitors": 98765}), "ready"),
        (FakeApi(503, {"error": "unavailable", "message": "down"}), "offline"),
    ],
)
def test_the_widget_box_never_moves_or_resizes(
    browser: Browser, site: Path, api: FakeApi, state: str
) -> None:
    static = open_page(browser, site, FakeApi(), javascript=False)
    static_box = static.locator(COUNTER).bounding_box()
    static.context.close()
    page = open_page(browser, site, api)
    page.wait_for_selector(f"{COUNTER}[data-cf-state='{state}']")
    assert page.locator(COUNTER).bounding_box() == static_box
    assert page.evaluate(LAYOUT_SHIFTS) == []
    page.context.close()


def test_without_javascript_the_widget_stays_static(browser: Browser, site: Path) -> None:
    api = FakeApi()
    page = open_page(browser, site, api, javascript=False)
    root = page.locator(COUNTER)
    assert root.get_attribute("data-cf-state") == "static"
    assert "Visitor counter" in root.inner_text()
    assert widget_text(page, "data-cf-views") == "\u2014"
    assert api.requests == []
    page.context.close()
