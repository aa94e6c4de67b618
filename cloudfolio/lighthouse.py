"""Lighthouse audits of the three page types (home, an article, the resume), with Debian chromium.

Scores are 0-100 per category, plus the page's CLS, LCP and total transfer size. Lighthouse and
its Node runtime come from the repository's package-lock.json (`npm ci`).
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from cloudfolio import paths
from cloudfolio.errors import CloudfolioError
from cloudfolio.page_types import page_urls

LIGHTHOUSE = paths.ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = Path(os.environ.get("CLOUDFOLIO_CHROMIUM", "/usr/bin/chromium"))
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# Performance varies with machine load; the other categories are deterministic.
REQUIRED = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}


class LighthouseError(CloudfolioError):
    """Lighthouse is missing or could not audit a page."""


@dataclass(frozen=True)
class Audit:
    page: str
    url: str
    scores: dict[str, int]
    cls: float
    lcp_ms: float
    transfer_bytes: int

    def shortfalls(self) -> list[str]:
        return [
            f"{self.page} {category} {self.scores.get(category)} < {minimum}"
            for category, minimum in REQUIRED.items()
            if self.scores.get(category, 0) < minimum
        ]


def audit(page: str, url: str) -> Audit:
    if not LIGHTHOUSE.exists():
        raise LighthouseError(f"{LIGHTHOUSE} is missing: run `npm ci` (bootstrap.py test does)")
    if not CHROMIUM.exists():
        raise LighthouseError(f"{CHROMIUM} is missing: install Debian's chromium")
    with tempfile.TemporaryDirectory() as tmp:
        report_path = Path(tmp) / "report.json"
        result = subprocess.run(
            [
                str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report_path}",
                f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}",
            ],
            env={**os.environ, "CHROME_PATH": str(CHROMIUM)},
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )  # fmt: skip
        if result.returncode != 0 or not report_path.exists():
            raise LighthouseError(f"lighthouse failed on {url}:\n{result.stderr[-2000:]}")
        report = json.loads(report_path.read_text())
    if report.get("runtimeError"):
        raise LighthouseError(f"lighthouse could not load {url}: {report['runtimeError']}")
    audits = report["audits"]
    return Audit(
        page=page,
        url=url,
        scores={c: round((report["categories"][c]["score"] or 0) * 100) for c in CATEGORIES},
        cls=float(audits["cumulative-layout-shift"]["numericValue"]),
        lcp_ms=float(audits["largest-contentful-paint"]["numericValue"]),
        transfer_bytes=int(audits["total-byte-weight"]["numericValue"]),
    )


def audit_site(base_url: str) -> list[Audit]:
    return [audit(page, url) for page, url in page_urls(base_url).items()]


def table(audits: list[Audit]) -> str:
    header = (
        f"{'page':<8} {'perf':>4} {'a11y':>4} {'bp':>4} {'seo':>4}"
        f" {'CLS':>6} {'LCP ms':>7} {'bytes':>8}"
    )
    rows = [header, "-" * len(header)]
    for a in audits:
        s = a.scores
        rows.append(
            f"{a.page:<8} {s['performance']:>4} {s['accessibility']:>4} {s['best-practices']:>4}"
            f" {s['seo']:>4} {a.cls:>6.3f} {a.lcp_ms:>7.0f} {a.transfer_bytes:>8}"
        )
    return "\n".join(rows)


def as_json(audits: list[Audit]) -> str:
    return json.dumps([asdict(a) for a in audits], indent=2)


def audit_local_or(url: str | None) -> list[Audit]:
    """Audit `url`, else the running `invoke up` stack, else a stack started just for this."""
    if url:
        return audit_site(url)
    from cloudfolio.local.stack import LocalStack, StackConfig, StackInfo

    try:
        return audit_site(StackInfo.read().site_url)
    except FileNotFoundError:
        pass
    workdir = paths.LOCAL_STATE / "lighthouse"
    config = StackConfig(
        watch=False, access_log=False, state_dir=workdir, output=workdir / "output"
    )
    stack = LocalStack(config.on_free_ports(), say=lambda line: None)
    try:
        return audit_site(stack.start().site_url)
    finally:
        stack.stop()
