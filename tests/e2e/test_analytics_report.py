"""The HTML report: self-contained (no script, nothing fetched), readable offline, axe-clean."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from cloudfolio import paths
from cloudfolio.analytics import html_report, report, sample
from cloudfolio.analytics.engines import DuckDBEngine

pytestmark = pytest.mark.e2e

AXE = paths.ROOT / "node_modules" / "axe-core" / "axe.min.js"
UNTIL = date(2026, 3, 30)


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("lake")
    rows = list(sample.events(3_000, 30, UNTIL))
    sample.write_lake(rows, folder, interval_seconds=900, size_bytes=64 * 1024 * 1024)
    built = report.build(DuckDBEngine(folder), date(2026, 3, 1), UNTIL)
    file = tmp_path_factory.mktemp("report") / "report.html"
    file.write_text(html_report.render(built, site="sample"))
    return file


def test_the_report_is_self_contained(report_file: Path) -> None:
    html = report_file.read_text()
    assert "<script" not in html.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html, re.IGNORECASE)
    assert "@import" not in html and "url(" not in html
    assert html.count("<svg") == 1 and "<table" in html


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_report_has_no_axe_violations_offline(
    browser: Browser, report_file: Path, scheme: str
) -> None:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (bootstrap.py test does)")
    # A context of its own: the suite's default one points at the local stack, not needed here.
    context = browser.new_context(offline=True, color_scheme=scheme)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(report_file.as_uri())
    assert page.locator("h1").inner_text().startswith("Analytics")
    assert page.locator("svg[role=img] rect").count() == 30
    page.evaluate(AXE.read_text())
    violations = page.evaluate(
        "async () => (await axe.run(document)).violations"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))"
    )
    context.close()
    assert violations == []
    assert requests == [report_file.as_uri()]
