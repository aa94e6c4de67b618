"""demo.js in a real browser: a built page, the demo API played by a small state machine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pelican import Pelican
from pelican.settings import read_settings
from playwright.sync_api import Browser, Page, Route, expect

from cloudfolio import paths
from tests.unit.test_plugin_widgets_script import API_URL, SITE_URL, serve_site

DEMO = "[data-cf-demo]"
IDLE = dict.fromkeys(
    ("started_at", "elapsed_s", "expires_at", "remaining_s", "environment_url", "pipeline_id",
     "provider", "last_error"),
)  # fmt: skip


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("demo-site")
    settings = read_settings(
        str(paths.PELICAN_DEV_SETTINGS),
        override={"OUTPUT_PATH": str(output), "SITEURL": SITE_URL, "CLOUDFOLIO_API_URL": API_URL},
    )
    Pelican(settings).run()
    return output


class FakeDemoApi:
    """idle -> (POST) deploying -> ready after two reads -> (DELETE) destroying -> idle."""

    def __init__(self) -> None:
        self.state = "idle"
        self.reads = 0
        self.requests: list[tuple[str, str, dict]] = []

    def body(self) -> dict:
        if self.state == "idle":
            return {**IDLE, "state": "idle"}
        return {
            "state": self.state,
            "started_at": "2026-01-01T10:00:00Z",
            "elapsed_s": 30,
            "expires_at": "2026-01-01T12:00:00Z",
            "remaining_s": 7170,
            "environment_url": "http://demo.test/d1/" if self.state == "ready" else None,
            "pipeline_id": "p1",
            "provider": "local",
            "last_error": None,
        }

    def __call__(self, route: Route) -> None:
        request = route.request
        headers = {
            "access-control-allow-origin": SITE_URL,
            "access-control-allow-headers": "content-type,idempotency-key",
            "access-control-allow-methods": "GET,POST,DELETE",
        }
        if request.method == "OPTIONS":
            route.fulfill(status=204, headers=headers)
            return
        path = request.url.removeprefix(API_URL)
        if not path.startswith("/demo"):  # the counter's visit
            numbers = {"views": 1, "page_views": 1, "visitors": 1}
            route.fulfill(status=200, headers=headers, json=numbers)
            return
        self.requests.append((request.method, path, request.headers))
        status, body = 200, self.body()
        if request.method == "POST":
            self.state, self.reads, status = "deploying", 0, 201
            body = self.body()
        elif request.method == "DELETE":
            self.state, self.reads, status = "destroying", 0, 202
            body = self.body()
        elif path == "/demo/logs":
            text = "aws_s3_bucket.demo: Creating...\npassword=[MASKED]\n"
            body = {"jobs": [{"job_id": "1", "name": "apply", "truncated": True, "text": text}]}
        elif path == "/demo":
            self.reads += 1
            if self.reads >= 2 and self.state == "deploying":
                self.state = "ready"
            if self.reads >= 2 and self.state == "destroying":
                self.state = "idle"
            body = self.body()
        route.fulfill(status=status, headers=headers, content_type="application/json",
                      body=json.dumps(body))  # fmt: skip


def open_about(browser: Browser, site: Path, api: FakeDemoApi) -> tuple[Page, list[str]]:
    context = browser.new_context()
    seen: list[str] = []
    context.on("request", lambda request: seen.append(request.url))
    context.route(f"{SITE_URL}/**", serve_site(site))
    context.route(f"{API_URL}/**", api)
    page = context.new_page()
    page.clock.install()
    page.goto(f"{SITE_URL}/about/")
    return page, seen


def test_deploy_ready_logs_destroy_idle_by_keyboard(browser: Browser, site: Path) -> None:
    api = FakeDemoApi()
    page, seen = open_about(browser, site, api)
    page.wait_for_selector(f"{DEMO}[data-cf-state='idle']")
    box = page.locator(DEMO).bounding_box()
    status = page.locator(f"{DEMO} [data-cf-demo-status]")
    assert status.get_attribute("aria-live") == "polite"
    assert page.locator("[data-cf-demo-destroy]").is_disabled()

    page.locator("[data-cf-demo-deploy]").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(f"{DEMO}[data-cf-state='deploying']")
    post = next(r for r in api.requests if r[0] == "POST")
    assert post[2].get("idempotency-key")
    assert "destroyed in" in page.locator("[data-cf-demo-time]").inner_text()

    for _ in range(4):  # polling with backoff: 2 s, 3 s, ...
        page.clock.run_for(4000)
    page.wait_for_selector(f"{DEMO}[data-cf-state='ready']")
    assert status.inner_text() == "The demo is ready."
    link = page.locator("[data-cf-demo-link]")
    assert link.get_attribute("href") == "http://demo.test/d1/"
    assert link.is_visible()
    ready = page.locator(DEMO).bounding_box()
    assert (ready["width"], ready["height"]) == (box["width"], box["height"])

    page.locator("[data-cf-demo-logs] summary").click()
    expect(page.locator("[data-cf-demo-log]")).to_contain_text("[MASKED]")
    log = page.locator("[data-cf-demo-log]").inner_text()
    assert "earlier lines cut" in log and "aws_s3_bucket.demo" in log
    page.locator("[data-cf-demo-logs] summary").click()  # close again before measuring

    page.locator("[data-cf-demo-destroy]").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(f"{DEMO}[data-cf-state='destroying']")
    for _ in range(4):
        page.clock.run_for(4000)
    page.wait_for_selector(f"{DEMO}[data-cf-state='idle']")
    assert status.inner_text() == "No demo is running."
    assert not page.locator("[data-cf-demo-deploy]").is_disabled()
    # Every state kept the widget's size: nothing below it moved.
    after = page.locator(DEMO).bounding_box()
    assert (after["width"], after["height"]) == (box["width"], box["height"])
    assert {url.split("/")[2] for url in seen} == {"site.test", "api.test"}
    page.context.close()


def test_a_busy_demo_shows_the_current_deployment(browser: Browser, site: Path) -> None:
    api = FakeDemoApi()
    api.state = "ready"
    api.reads = 5
    page, _ = open_about(browser, site, api)
    page.wait_for_selector(f"{DEMO}[data-cf-state='ready']")
    assert page.locator("[data-cf-demo-deploy]").is_disabled()
    assert not page.locator("[data-cf-demo-destroy]").is_disabled()
    page.context.close()


def test_without_javascript_the_widget_says_it_needs_it(browser: Browser, site: Path) -> None:
    context = browser.new_context(java_script_enabled=False)
    context.route(f"{SITE_URL}/**", serve_site(site))
    page = context.new_page()
    page.goto(f"{SITE_URL}/about/")
    assert "needs JavaScript" in page.locator("[data-cf-demo-status]").inner_text()
    assert page.locator("[data-cf-demo-deploy]").is_disabled()
    context.close()
