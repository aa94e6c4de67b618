"""Serves the site locally with the same security headers CloudFront sets in production.

With a site bucket (the usual case), pages come from the live release in the emulator through the
same mapping code the edge runs, so previews (`?__release=<id>`), promotion and rollback can be
tried locally. Without one, it serves the build directory as it is.
"""

from __future__ import annotations

import json
import os
import sys
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cloudfolio import paths
from cloudfolio.publish.headers import content_type
from cloudfolio.publish.serving import ReleaseReader, respond

SECURITY_HEADERS_FILE = paths.INFRA / "modules" / "site" / "security_headers.json"
NOT_FOUND_PAGE = "404.html"


def security_headers(api_origin: str) -> dict[str, str]:
    """The production header set, with the API origin the CSP must allow to connect to."""
    declared = json.loads(SECURITY_HEADERS_FILE.read_text())
    return {name: value.replace("{api_origin}", api_origin) for name, value in declared.items()}


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class SiteRequestHandler(SimpleHTTPRequestHandler):
    def guess_type(self, path: str | os.PathLike[str]) -> str:
        # The publish rules, so a page has the same Content-Type here as behind CloudFront.
        return content_type(os.fspath(path))

    def __init__(
        self, *args: Any, headers: dict[str, str], reader: ReleaseReader | None, **kwargs: Any
    ) -> None:
        self.extra_headers = headers
        self.reader = reader
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        if self.reader is None:
            super().do_GET()
            return
        answer = respond(self.reader, self.path, self.headers.get("Cookie"), secure=False)
        self.send_response(answer.status)
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(answer.body)

    def do_HEAD(self) -> None:
        self.do_GET()

    def end_headers(self) -> None:
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        if self.reader is None:
            # Straight from the build directory: edits must show on reload.
            self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / NOT_FOUND_PAGE
        if code != 404 or not page.exists():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        # No client addresses in logs, locally included.
        if self.server.access_log:
            sys.stderr.write(f"site: {format % args}\n")


class StaticServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(
        self,
        address: tuple[str, int],
        root: Path,
        api_origin: str,
        reader: ReleaseReader | None = None,
        access_log: bool = True,
    ) -> None:
        self.access_log = access_log
        handler = partial(
            SiteRequestHandler,
            directory=str(root),
            headers=security_headers(api_origin),
            reader=reader,
        )
        super().__init__(address, handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"
