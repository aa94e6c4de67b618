"""The demo widget's optional Turnstile check: off by default, and in a real browser when on.

The browser loads a small fake of Turnstile's script (render, callback, reset) from the script URL
setting, under the Content-Security-Policy the site's settings produce.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cloudfolio_widgets.markup import render_demo
from cloudfolio_widgets.settings import (
    CLOUDFLARE_TURNSTILE_SCRIPT,
    WidgetSettingsError,
    content_security_sources,
)
from pelican.settings import read_settings
from playwright.sync_api import Browser, Page, Route, expect

from cloudfolio import paths
from cloudfolio.security_headers import CSP, declared_headers, widen_policy
from tests.unit.test_demo_widget import DEMO, FakeDemoApi
from tests.unit.test_plugin_widgets import build_site
from tests.unit.test_plugin_widgets_script import API_URL, SITE_URL, serve_site

SITE_KEY = "1x00000000000000000000AA"
FAKE_ORIGIN = "http://turnstile.test"
FAKE_SCRIPT = f"{FAKE_ORIGIN}/turnstile/v0/api.js?render=explicit"
HEADER = "cf-turnstile-response"
REFUSED = "This human check was already used or has expired; solve it again."
# Turnstile's explicit API as the widget uses it; each solve hands out the next token.
FAKE_TURNSTILE = """window.turnstile = {
  sitekeys: [], resets: 0, issued: 0,
  render(box, options) {
    this.sitekeys.push(options.sitekey);
    this.options = options;
    box.textContent = "Fake human check";
    if (SOLVES) this.solve();
    return "fake-widget";
  },
  solve() { this.issued += 1; this.options.callback(`token-${this.issued}`); },
  reset(id) { if (id === "fake-widget") { this.resets += 1; this.solve(); } },
};"""


def build(output: Path, **overrides) -> Path:
    return build_site(output, SITEURL=SITE_URL, **overrides)


def turnstile_settings(script_url: str | None = None) -> dict:
    settings = {"CLOUDFOLIO_API_URL": API_URL, "CLOUDFOLIO_DEMO_TURNSTILE_SITE_KEY": SITE_KEY}
    if script_url:
        settings["CLOUDFOLIO_DEMO_TURNSTILE_SCRIPT_URL"] = script_url
    return settings


@pytest.fixture(scope="module")
def default_site(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("no-check"), CLOUDFOLIO_API_URL=API_URL)


@pytest.fixture(scope="module")
def check_site(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("check"), **turnstile_settings())


@pytest.fixture(scope="module")
def fake_check_site(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("fake-check"), **turnstile_settings(FAKE_SCRIPT))


def site_text(site: Path, *suffixes: str) -> str:
    return "".join(p.read_text() for p in sorted(site.rglob("*")) if p.suffix in suffixes)


def until(page: Page, expression: str, timeout_s: float = 5) -> None:
    """Polls from outside the page: the site's policy forbids the eval wait_for_function uses."""
    for _ in range(int(timeout_s / 0.05)):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"still false after {timeout_s}s: {expression}")


def test_by_default_the_site_has_no_check_and_no_cloudflare(default_site: Path) -> None:
    pages = site_text(default_site, ".html")
    assert "data-cf-demo-deploy" in pages
    for absent in ("data-cf-demo-check", "data-cf-turnstile", "turnstile", SITE_KEY):
        assert absent not in pages, absent
    assert "cloudflare" not in site_text(default_site, ".html", ".js", ".css")
    assert render_demo(API_URL) == render_demo(API_URL, None)
    assert content_security_sources(read_settings(str(paths.PELICAN_DEV_SETTINGS))) == {}


def test_a_site_key_puts_the_check_next_to_deploy_on_the_demo_page_only(check_site: Path) -> None:
    about = (check_site / "about/index.html").read_text()
    deploy = about.index("data-cf-demo-deploy")
    box = about.index("data-cf-demo-check")
    assert deploy < box < about.index("data-cf-demo-destroy")
    assert f'data-cf-turnstile-sitekey="{SITE_KEY}"' in about
    assert f'data-cf-turnstile-script="{CLOUDFLARE_TURNSTILE_SCRIPT}"' in about
    assert (
        '<p class="cf-demo__check-message" data-cf-demo-check-message aria-live="polite">' in about
    )
    # Turnstile's script is fetched by demo.js, never written into a page.
    assert "<script" not in about.split("data-cf-demo", 1)[1].split("</section>", 1)[0]
    for page in ("index.html", "archives/index.html", "resume/index.html"):
        assert "turnstile" not in (check_site / page).read_text(), page


def test_a_site_key_admits_cloudflare_in_script_and_frame_src() -> None:
    settings = read_settings(str(paths.PELICAN_DEV_SETTINGS), override=turnstile_settings())
    origin = "https://challenges.cloudflare.com"
    assert CLOUDFLARE_TURNSTILE_SCRIPT.startswith(origin + "/")
    assert content_security_sources(settings) == {"script-src": (origin,), "frame-src": (origin,)}
    off = read_settings(
        str(paths.PELICAN_DEV_SETTINGS),
        override={**turnstile_settings(), "CLOUDFOLIO_WIDGETS": {"demo": False}},
    )
    assert content_security_sources(off) == {}  # no demo widget: nothing loads Turnstile


def test_a_script_url_that_is_not_absolute_stops_the_build(tmp_path: Path) -> None:
    with pytest.raises(WidgetSettingsError, match="CLOUDFOLIO_DEMO_TURNSTILE_SCRIPT_URL"):
        build(tmp_path, **turnstile_settings("/turnstile.js"))


# In the browser: the policy CloudFront would send for these settings (the test API aside).


class CheckedDemoApi(FakeDemoApi):
    """The demo API behind the check: refuses the first `refusals` tokens as Turnstile's
    siteverify would refuse a used one."""

    def __init__(self, refusals: int = 0) -> None:
        super().__init__()
        self.refusals = refusals

    def __call__(self, route: Route) -> None:
        request = route.request
        if request.method == "POST" and request.url == f"{API_URL}/demo" and self.refusals:
            self.refusals -= 1
            self.requests.append((request.method, "/demo", request.headers))
            body = {"error": "turnstile_reused", "message": REFUSED}
            headers = {"access-control-allow-origin": SITE_URL}
            route.fulfill(status=403, headers=headers, json=body)
            return
        super().__call__(route)


def open_page(
    browser: Browser,
    site: Path,
    api: FakeDemoApi,
    *,
    solves: bool = True,
    admitted: bool = True,
    path: str = "/about/",
    viewport: dict | None = None,
) -> tuple[Page, list[str]]:
    settings = read_settings(
        str(paths.PELICAN_DEV_SETTINGS), override=turnstile_settings(FAKE_SCRIPT)
    )
    sources = content_security_sources(settings) if admitted else {}
    csp = widen_policy(declared_headers()[CSP], {**sources, "connect-src": [API_URL]})
    context = browser.new_context(viewport=viewport)
    seen: list[str] = []
    context.on("request", lambda request: seen.append(request.url))
    context.route(f"{SITE_URL}/**", serve_site(site, csp))
    context.route(f"{API_URL}/**", api)
    fake = FAKE_TURNSTILE.replace("SOLVES", json.dumps(solves))
    context.route(f"{FAKE_ORIGIN}/**", lambda route: route.fulfill(
        content_type="text/javascript", body=fake))  # fmt: skip
    page = context.new_page()
    page.goto(SITE_URL + path)
    return page, seen


def posts(api: FakeDemoApi) -> list[dict]:
    return [headers for method, _, headers in api.requests if method == "POST"]


def test_each_start_sends_a_fresh_token_and_resets_the_check(
    browser: Browser, fake_check_site: Path
) -> None:
    api = CheckedDemoApi()
    page, seen = open_page(browser, fake_check_site, api)
    page.wait_for_selector(f"{DEMO}[data-cf-state='idle']")
    until(page, "window.turnstile && turnstile.issued === 1")
    assert page.evaluate("turnstile.sitekeys") == [SITE_KEY]
    expect(page.locator("[data-cf-demo-check]")).to_have_text("Fake human check")

    page.locator("[data-cf-demo-deploy]").click()
    page.wait_for_selector(f"{DEMO}[data-cf-state='deploying']")
    [post] = posts(api)
    assert post[HEADER] == "token-1"
    assert post.get("idempotency-key")
    until(page, "turnstile.resets === 1 && turnstile.issued === 2")
    assert [url for url in seen if url.startswith(FAKE_ORIGIN)] == [FAKE_SCRIPT]
    assert page.locator("[data-cf-demo-check-message]").inner_text() == ""
    page.context.close()


def test_a_refused_token_is_said_and_the_next_try_uses_a_new_one(
    browser: Browser, fake_check_site: Path
) -> None:
    api = CheckedDemoApi(refusals=1)
    page, _ = open_page(browser, fake_check_site, api)
    page.wait_for_selector(f"{DEMO}[data-cf-state='idle']")
    until(page, "window.turnstile && turnstile.issued === 1")
    message = page.locator("[data-cf-demo-check-message]")

    page.locator("[data-cf-demo-deploy]").click()
    expect(message).to_have_text(REFUSED)
    assert message.get_attribute("aria-live") == "polite"
    assert page.locator(DEMO).get_attribute("data-cf-state") == "idle"
    until(page, "turnstile.resets === 1")

    page.locator("[data-cf-demo-deploy]").click()
    page.wait_for_selector(f"{DEMO}[data-cf-state='deploying']")
    assert [post[HEADER] for post in posts(api)] == ["token-1", "token-2"]
    expect(message).to_have_text("")
    page.context.close()


def test_no_start_before_the_check_is_solved(browser: Browser, fake_check_site: Path) -> None:
    api = CheckedDemoApi()
    page, _ = open_page(browser, fake_check_site, api, solves=False)
    page.wait_for_selector(f"{DEMO}[data-cf-state='idle']")
    until(page, "window.turnstile && turnstile.sitekeys.length === 1")
    page.locator("[data-cf-demo-deploy]").click()
    expect(page.locator("[data-cf-demo-check-message]")).to_have_text(
        "Complete the human check first."
    )
    assert posts(api) == []
    page.context.close()


def test_a_policy_without_the_origin_blocks_the_check_and_says_so(
    browser: Browser, fake_check_site: Path
) -> None:
    page, _ = open_page(browser, fake_check_site, CheckedDemoApi(), admitted=False)
    expect(page.locator("[data-cf-demo-check-message]")).to_have_text(
        "The human check failed to load; the demo cannot start."
    )
    assert page.evaluate("typeof window.turnstile") == "undefined"
    page.context.close()


def test_turnstile_loads_only_as_the_widget_nears_the_screen(
    browser: Browser, fake_check_site: Path
) -> None:
    viewport = {"width": 800, "height": 200}
    page, seen = open_page(browser, fake_check_site, CheckedDemoApi(), viewport=viewport)
    page.wait_for_selector(f"{DEMO}[data-cf-state='idle']")
    assert page.locator(DEMO).bounding_box()["y"] > 200 + 200  # beyond the 200 px margin
    page.wait_for_timeout(300)
    assert not [url for url in seen if url.startswith(FAKE_ORIGIN)]
    box = page.locator("[data-cf-demo-check]").bounding_box()
    page.locator(DEMO).scroll_into_view_if_needed()
    until(page, "window.turnstile && turnstile.issued === 1")
    # The challenge fills the box reserved for it: nothing moved.
    after = page.locator("[data-cf-demo-check]").bounding_box()
    assert (after["width"], after["height"]) == (box["width"], box["height"]) == (300, 65)
    page.context.close()

    page, seen = open_page(browser, fake_check_site, CheckedDemoApi(), path="/")
    page.wait_for_load_state("networkidle")
    assert not [url for url in seen if url.startswith(FAKE_ORIGIN)]
    page.context.close()
