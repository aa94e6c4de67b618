"""The live demo through its widget: deploy, ready (the demo page loads), destroy, idle."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

DEMO = "[data-cf-demo]"
PIPELINE_TIMEOUT_MS = 300_000


def test_deploy_ready_destroy_idle_with_masked_logs(page: Page, base_url: str) -> None:
    page.goto(base_url + "/about/")
    widget = page.locator(DEMO)
    expect(widget).to_have_attribute("data-cf-state", "idle", timeout=15_000)
    status = widget.locator("[data-cf-demo-status]")
    assert status.get_attribute("aria-live") == "polite"

    started = time.monotonic()
    widget.locator("[data-cf-demo-deploy]").click()
    expect(widget).to_have_attribute("data-cf-state", "ready", timeout=PIPELINE_TIMEOUT_MS)
    print(f"\ndeploy -> ready: {time.monotonic() - started:.1f} s")
    expect(status).to_have_text("The demo is ready.")
    expect(widget.locator("[data-cf-demo-time]")).to_contain_text("destroyed in")

    link = widget.locator("[data-cf-demo-link]")
    expect(link).to_be_visible()
    demo_page = page.request.get(link.get_attribute("href"))
    assert demo_page.status == 200
    assert "cloudfolio live demo" in demo_page.text()

    widget.locator("[data-cf-demo-logs] summary").click()
    log = widget.locator("[data-cf-demo-log]")
    expect(log).to_contain_text("terraform-apply", timeout=20_000)
    text = log.inner_text()
    assert "\x1b[" not in text and "section_start" not in text
    # What the widget shows is the API's masked view of every job.
    api = widget.get_attribute("data-cf-api") or ""
    api = base_url + api if api.startswith("/") else api  # the site's own /api, or another origin
    for job in page.request.get(f"{api}/demo/logs").json()["jobs"]:
        assert job["text"].strip().splitlines()[-1] in text
    # The emulator's credentials pass through the pipeline's environment, never into the view.
    assert "AWS_SECRET_ACCESS_KEY=test" not in text

    started = time.monotonic()
    widget.locator("[data-cf-demo-destroy]").click()
    expect(widget).to_have_attribute("data-cf-state", "destroying", timeout=15_000)
    expect(widget).to_have_attribute("data-cf-state", "idle", timeout=PIPELINE_TIMEOUT_MS)
    print(f"destroy -> idle: {time.monotonic() - started:.1f} s")
    expect(status).to_have_text("No demo is running.")
