"""Serves the site locally with the same security headers CloudFront sets in production.

With a site bucket (the usual case), pages come from the live release in the emulator through the
same mapping code the edge runs, so previews (`?__release=<id>`), promotion and rollback can be
tried locally. Without one, it serves the build directory as it is.

Like the site's CloudFront, it also serves the API under /api/: the prefix is stripped, the
origin secret and CloudFront-Viewer-Address are added (client-sent copies are dropped), and the
request goes to the local gateway, which keeps its own port as the execute-api URL does.
"""

from __future__ import annotations

import http.client
import os
import sys
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from cloudfolio import api_description
from cloudfolio.local import livereload
from cloudfolio.local.gateway import HOP_BY_HOP, HttpResponse, framing_error, gateway_error
from cloudfolio.local.livereload import BuildGeneration
from cloudfolio.local.viewer import respond
from cloudfolio.publish.headers import content_type
from cloudfolio.publish.serving import ReleaseReader
from cloudfolio.security_headers import security_headers

NOT_FOUND_PAGE = "404.html"
# The site path the API is served under (CloudFront's /api/* behaviour; the widgets' default).
API_PREFIX = "/api"


def _origin_headers() -> tuple[str, str]:
    """The names the functions check, from their own declaration."""
    api_description.backend_on_path()
    from common import origin

    return origin.HEADER, origin.VIEWER_ADDRESS


@dataclass(frozen=True)
class ApiProxy:
    """What the site's CloudFront does for /api/*."""

    api_url: str
    origin_secret: str | None  # None where the functions expect none

    def forward(
        self, method: str, target: str, headers: list[tuple[str, str]], body: bytes, viewer: str
    ) -> HttpResponse:
        secret_header, viewer_header = _origin_headers()
        # CloudFront overwrites these, so a client can never supply them.
        own = {secret_header.lower(), viewer_header.lower(), "host"}
        sent = [
            (name, value)
            for name, value in headers
            if name.lower() not in own | HOP_BY_HOP and not name.lower().startswith("cloudfront-")
        ]
        sent.append((viewer_header, viewer))
        if self.origin_secret:
            sent.append((secret_header, self.origin_secret))
        parts = urlsplit(self.api_url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        try:
            connection.putrequest(method, target, skip_accept_encoding=True)
            for name, value in sent:
                connection.putheader(name, value)
            connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body)
            reply = connection.getresponse()
            return HttpResponse(reply.status, reply.getheaders(), reply.read())
        except OSError:
            return gateway_error(502, "The API did not answer.")
        finally:
            connection.close()


def _is_html(headers: dict[str, str]) -> bool:
    return any(
        k.lower() == "content-type" and v.startswith("text/html") for k, v in headers.items()
    )


class SiteRequestHandler(SimpleHTTPRequestHandler):
    def guess_type(self, path: str | os.PathLike[str]) -> str:
        # The publish rules, so a page has the same Content-Type here as behind CloudFront.
        return content_type(os.fspath(path))

    def __init__(
        self,
        *args: Any,
        headers: dict[str, str],
        reader: ReleaseReader | None,
        api: ApiProxy | None,
        live_reload: BuildGeneration | None = None,
        **kwargs: Any,
    ) -> None:
        self.extra_headers = headers
        self.reader = reader
        self.api = api
        self.live_reload = live_reload
        self.proxying = False
        super().__init__(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        # Every method reaches the API as it would through CloudFront (which allows all methods).
        if name.startswith("do_"):
            return self._other_method
        raise AttributeError(name)

    def _other_method(self) -> None:
        if self._for_api():
            self._proxy()
        else:
            self.send_error(405, "The site serves GET and HEAD only")

    def _for_api(self) -> bool:
        path = urlsplit(self.path).path
        return self.api is not None and (path == API_PREFIX or path.startswith(f"{API_PREFIX}/"))

    def _proxy(self) -> None:
        assert self.api is not None
        self.proxying = True
        refused = framing_error(
            self.headers.get("Content-Length"), self.headers.get("Transfer-Encoding")
        )
        if refused:
            self.close_connection = True
            self._send_api_answer(refused)
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        host, port = self.client_address[:2]
        answer = self.api.forward(
            self.command,
            self.path[len(API_PREFIX) :] or "/",
            list(self.headers.items()),
            body,
            f"{host}:{port}",
        )
        self._send_api_answer(answer)

    def _send_api_answer(self, answer: HttpResponse) -> None:
        self.send_response(answer.status)
        for name, value in answer.headers:
            if name.lower() not in HOP_BY_HOP and name.lower() not in ("server", "date"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(answer.body)

    def do_GET(self) -> None:
        if self._for_api():
            self._proxy()
            return
        if self.live_reload is not None and self._live_reload():
            return
        if self.reader is None:
            super().do_GET()
            return
        answer = respond(self.reader, self.path, self.headers.get("Cookie"), secure=False)
        body = answer.body
        if self.live_reload is not None and _is_html(answer.headers):
            body = livereload.inject(body)
        self._send(answer.status, answer.headers, body)

    def _live_reload(self) -> bool:
        """Answer the reload script and its long poll; False for every other path."""
        parts = urlsplit(self.path)
        if parts.path == livereload.SCRIPT_PATH:
            self._send(200, {"Content-Type": "text/javascript; charset=utf-8"}, livereload.SCRIPT)
            return True
        if parts.path == livereload.EVENTS_PATH:
            since = parse_qs(parts.query).get("since", [""])[0]
            seen = int(since) if since.isdigit() else None
            body = self.live_reload.answer(seen)
            self._send(200, {"Content-Type": "application/json"}, body)
            return True
        return False

    def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        if self.live_reload is not None:  # a reload must fetch the newest build
            headers = {k: v for k, v in headers.items() if k.lower() != "cache-control"}
            headers["Cache-Control"] = "no-store"
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self) -> None:
        self.do_GET()

    def end_headers(self) -> None:
        if self.proxying:  # the API's own headers only, as CloudFront's /api/* behaviour sends
            super().end_headers()
            return
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
        reader: ReleaseReader | None = None,
        access_log: bool = True,
        api: ApiProxy | None = None,
        live_reload: BuildGeneration | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        """headers: the security headers CloudFront sends for this site (the file's by default)."""
        self.access_log = access_log
        handler = partial(
            SiteRequestHandler,
            directory=str(root),
            headers=security_headers() if headers is None else headers,
            reader=reader,
            api=api,
            live_reload=live_reload,
        )
        super().__init__(address, handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"
