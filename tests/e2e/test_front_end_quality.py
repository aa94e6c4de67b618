"""Lighthouse, axe-core and the strict CSP on the three page types, widgets live."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from cloudfolio import lighthouse, paths
from cloudfolio.page_types import page_urls

pytestmark = pytest.mark.e2e

AXE = paths.ROOT / "node_modules" / "axe-core" / "axe.min.js"
PAGE_TYPES = ("home", "article", "resume")


@pytest.fixture(scope="session")
def urls(base_url: str) -> dict[str, str]:
    return page_urls(base_url)


@pytest.fixture(scope="session")
def audits(urls: dict[str, str]) -> dict[str, lighthouse.Audit]:
    return {page: lighthouse.audit(page, url) for page, url in urls.items()}


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_lighthouse_scores(audits: dict[str, lighthouse.Audit], page_type: str) -> None:
    audit = audits[page_type]
    assert audit.shortfalls() == [], audit.scores


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_no_layout_shift(audits: dict[str, lighthouse.Audit], page_type: str) -> None:
    assert audits[page_type].cls == 0


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_axe_reports_no_violations(
    page: Page, urls: dict[str, str], page_type: str, scheme: str
) -> None:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (bootstrap.py test does)")
    page.emulate_media(color_scheme=scheme)
    page.goto(urls[page_type])
    page.wait_for_selector("[data-cf-counter]:not([data-cf-state='loading'])")
    # evaluate() is not subject to the page's CSP, so axe runs without weakening the policy.
    page.evaluate(AXE.read_text())
    violations = page.evaluate(
        "async () => (await axe.run(document)).violations"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))"
    )
    assert violations == []


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_strict_csp_has_no_violations(page: Page, urls: dict[str, str], page_type: str) -> None:
    messages: list[str] = []
    # Init scripts are injected by the browser, outside the page's CSP, before any page script.
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e =>"
        " (window.__cfCspViolations ||= []).push(e.violatedDirective + ' ' + e.blockedURI))"
    )
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: messages.append(f"pageerror: {error}"))
    response = page.goto(urls[page_type])
    assert response is not None
    csp = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    page.wait_for_selector("[data-cf-counter][data-cf-state='ready']")
    violations = page.evaluate("() => window.__cfCspViolations || []")
    csp_messages = [m for m in messages if "Content Security Policy" in m]
    assert csp_messages == [] and violations == []
