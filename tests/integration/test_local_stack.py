"""`invoke up` as an author uses it: URLs printed, live rebuilds, headers, a clean Ctrl-C."""

from __future__ import annotations

import shutil
import signal
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from cloudfolio import paths
from cloudfolio.local.emulator import port_is_free
from tests.conftest import RunningStack

pytestmark = pytest.mark.integration


def fetch(url: str) -> tuple[int, dict[str, str], str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def post_url(site_url: str, source: Path) -> str:
    """Where a post is served: its slug (from its metadata, else its file name) under /posts/."""
    slug = next(
        (line.split(":", 1)[1].strip() for line in source.read_text().splitlines()
         if line.lower().startswith("slug:")),
        source.stem,
    )  # fmt: skip
    return f"{site_url}/posts/{slug}/"


def test_site_is_served_with_the_production_security_headers(local_stack) -> None:
    status, headers, body = fetch(local_stack.site_url + "/")
    assert status == 200
    assert "data-cf-counter" in body
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    # The API is on the site's own origin (/api), so the widget may connect nowhere else.
    assert "connect-src 'self';" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_unknown_page_gets_the_site_404(local_stack) -> None:
    status, _, body = fetch(local_stack.site_url + "/no/such/page/")
    assert status == 404
    assert "<html" in body.lower()


def test_widget_calls_its_own_origin(local_stack) -> None:
    _, _, body = fetch(local_stack.site_url + "/")
    assert 'data-cf-api="/api"' in body


def test_edits_rebuild_the_site_reload_the_open_page_and_ctrl_c_stops_everything(
    tmp_path: Path, page
) -> None:
    content = tmp_path / "content"
    shutil.copytree(paths.CONTENT, content)
    stack = RunningStack(tmp_path, content=content, watch=True)
    try:
        info = stack.wait()
        log = stack.log_text()
        for line in (f"site: {info.site_url}", f"api: {info.api_url}", f"aws: {info.aws_endpoint}"):
            assert line in log
        post = sorted((content / "posts").glob("*.md"))[0]
        violations: list[str] = []
        page.on(
            "console",
            lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
        )
        page.goto(post_url(info.site_url, post))
        # Only a reload clears this: the live-reload script must bring the edit in by itself.
        page.evaluate("window.__beforeTheEdit = true")
        marker = f"Rebuilt while running {time.time_ns()}"
        post.write_text(post.read_text() + f"\n\n{marker}\n")
        deadline = time.monotonic() + 60
        found = False
        while time.monotonic() < deadline and not found:
            found = any(
                marker in page.read_text() for page in (tmp_path / "output").rglob("*.html")
            )
            time.sleep(0.3)
        assert found, f"the edit never reached the output:\n{stack.log_text()[-2000:]}"
        served = post_url(info.site_url, post)
        deadline = time.monotonic() + 10
        while marker not in fetch(served)[2] and time.monotonic() < deadline:
            time.sleep(0.3)
        assert marker in fetch(served)[2], f"{served} does not serve the edit"
        page.wait_for_function(
            "text => document.body.innerText.includes(text)", arg=marker, timeout=30_000
        )
        assert page.evaluate("window.__beforeTheEdit") is None, "the page was not reloaded"
        assert not violations, violations
    finally:
        stack.process.send_signal(signal.SIGINT)
        code = stack.process.wait(timeout=30)
        stack.stop()
    assert code == 0
    assert "stopped" in stack.log_text()
    for port in stack.ports.values():
        assert port_is_free(port), f"port {port} still answers after Ctrl-C"
