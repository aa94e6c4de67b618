"""The static server plays the site's CloudFront for /api/*: prefix stripped, origin secret and
viewer address added, client-sent copies of them dropped, the gateway's answer passed through."""

from __future__ import annotations

import http.client
import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from common import origin

from cloudfolio.local.gateway import Gateway
from cloudfolio.local.routes import Route
from cloudfolio.local.static_server import ApiProxy, StaticServer, security_headers

SECRET = "local-origin-secret"
READER = "127.0.0.66"


@pytest.fixture
def events() -> list[dict[str, Any]]:
    return []


@pytest.fixture
def site(tmp_path: Path, events: list[dict[str, Any]]) -> Iterator[StaticServer]:
    def record(function: str, event: dict[str, Any]) -> dict[str, Any]:
        events.append(event)
        return {
            "statusCode": 201,
            "headers": {"Content-Type": "application/json", "X-From": "function"},
            "body": json.dumps({"ok": True}),
        }

    (tmp_path / "index.html").write_text("<p>home</p>")
    routes = [Route("POST", "/visits", "counter"), Route("GET", "/visits", "counter")]
    gateway = Gateway(("127.0.0.1", 0), routes=routes, invoke=record, throttles={})
    static = StaticServer(
        ("127.0.0.1", 0), tmp_path, api=ApiProxy(gateway.url, SECRET), access_log=False
    )
    for server in (gateway, static):
        threading.Thread(target=server.serve_forever, daemon=True).start()
    yield static
    for server in (static, gateway):
        server.shutdown()
        server.server_close()


def call(site: StaticServer, method: str, path: str, body: bytes = b"", headers=None):
    host, port = site.server_address[:2]
    connection = http.client.HTTPConnection(host, port, timeout=10, source_address=(READER, 0))
    try:
        connection.request(method, path, body=body, headers=headers or {})
        reply = connection.getresponse()
        return reply.status, {k.lower(): v for k, v in reply.getheaders()}, reply.read()
    finally:
        connection.close()


def test_api_requests_reach_the_gateway_as_cloudfront_sends_them(site, events) -> None:
    status, headers, body = call(
        site,
        "POST",
        "/api/visits?x=1",
        b'{"path": "/"}',
        {
            "Content-Type": "application/json",
            origin.HEADER: "forged",
            origin.VIEWER_ADDRESS: "203.0.113.1:1",
            "X-Forwarded-For": "203.0.113.2",
        },
    )
    assert (status, json.loads(body), headers["x-from"]) == (201, {"ok": True}, "function")
    # The API's own headers only: the site's security headers are for pages.
    assert "content-security-policy" not in headers
    [event] = events
    assert event["rawPath"] == "/visits"
    assert event["rawQueryString"] == "x=1"
    assert event["body"] == '{"path": "/"}'
    assert event["headers"][origin.HEADER.lower()] == SECRET
    address, _, port = event["headers"][origin.VIEWER_ADDRESS.lower()].rpartition(":")
    assert address == READER and port.isdigit()


def test_pages_keep_the_security_headers(site) -> None:
    status, headers, _ = call(site, "GET", "/index.html")
    assert status == 200
    assert headers["content-security-policy"] == security_headers()["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("headers", "status"),
    [({"Content-Length": "x"}, 400), ({"Transfer-Encoding": "chunked"}, 411)],
)
def test_bad_framing_stops_at_the_proxy(site, events, headers, status) -> None:
    host, port = site.server_address[:2]
    raw = "POST /api/visits HTTP/1.1\r\nHost: site\r\n"
    raw += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    with socket.create_connection((host, port), timeout=5) as sock:
        sock.sendall(raw.encode())
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    assert received.startswith(f"HTTP/1.0 {status}".encode()), received[:80]
    assert received.endswith(b'"}')
    assert events == []


def test_any_method_is_forwarded_and_unknown_ones_get_the_gateways_json_405(site) -> None:
    status, headers, body = call(site, "TRACE", "/api/visits")
    assert status == 405
    assert headers["allow"] == "GET, POST"
    assert json.loads(body) == {"message": "Method Not Allowed"}
