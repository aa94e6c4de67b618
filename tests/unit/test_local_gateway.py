"""The local gateway answers like API Gateway: JSON for every rejection, never a traceback or HTML,
and no client address in any log line."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from cloudfolio.local.gateway import MAX_BODY_BYTES, Gateway
from cloudfolio.local.routes import Route

ROUTES = [
    Route("GET", "/health", "counter"),
    Route("GET", "/visits", "counter"),
    Route("POST", "/visits", "counter"),
]
# A loopback address no other test uses, so finding it in the logs means it was logged.
CLIENT = "127.0.0.77"


def echo(function: str, event: dict[str, Any]) -> dict[str, Any]:
    return {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": "{}"}


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    server = Gateway(("127.0.0.1", 0), routes=ROUTES, invoke=echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def exchange(gateway: Gateway, raw: bytes) -> tuple[int, dict[str, str], bytes, bool]:
    """Send raw bytes; return status, headers, body and whether the server closed the connection."""
    host, port = gateway.server_address[:2]
    with socket.create_connection((host, port), timeout=5, source_address=(CLIENT, 0)) as sock:
        sock.sendall(raw)
        received = b""
        closed = False
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    closed = True
                    break
                received += chunk
        except TimeoutError:
            pass
    head, _, body = received.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    assert lines[0].startswith("HTTP/1."), f"no HTTP response: {received[:200]!r}"
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(lines[0].split()[1]), headers, body, closed


def post(content_length: str, extra: str = "", body: bytes = b"") -> bytes:
    return (
        f"POST /visits HTTP/1.1\r\nHost: api\r\nContent-Type: application/json\r\n"
        f"Content-Length: {content_length}\r\n{extra}\r\n"
    ).encode() + body


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        (post("x"), 400),
        (post("-5"), 400),
        (post("1, 2"), 400),
        (post(str(MAX_BODY_BYTES + 1)), 413),
        (
            b"POST /visits HTTP/1.1\r\nHost: api\r\nTransfer-Encoding: chunked\r\n\r\n"
            b"2\r\n{}\r\n0\r\n\r\n",
            411,
        ),
    ],
    ids=["not-a-number", "negative", "list", "over-the-cap", "chunked"],
)
def test_bad_framing_is_a_json_error_and_a_clean_close(
    gateway: Gateway, raw: bytes, status: int, capfd: pytest.CaptureFixture[str]
) -> None:
    got, headers, body, closed = exchange(gateway, raw)
    assert got == status
    assert headers["content-type"].startswith("application/json")
    assert set(json.loads(body)) == {"message"}
    assert closed, "the connection must be closed after a framing error"
    logged = capfd.readouterr()
    assert "Traceback" not in logged.err
    assert CLIENT not in logged.err + logged.out


@pytest.mark.parametrize("method", ["TRACE", "CONNECT", "PROPFIND", "BREW"])
def test_unknown_methods_are_a_json_405_with_allow(
    gateway: Gateway, method: str, capfd: pytest.CaptureFixture[str]
) -> None:
    raw = f"{method} /visits HTTP/1.1\r\nHost: api\r\nContent-Length: 0\r\n\r\n".encode()
    status, headers, body, _ = exchange(gateway, raw)
    assert status == 405
    assert headers["content-type"].startswith("application/json")
    assert json.loads(body) == {"message": "Method Not Allowed"}
    assert headers["allow"] == "GET, POST"
    logged = capfd.readouterr()
    assert CLIENT not in logged.err + logged.out


def test_a_malformed_request_line_is_json_not_html(
    gateway: Gateway, capfd: pytest.CaptureFixture[str]
) -> None:
    status, headers, body, closed = exchange(gateway, b"GARBAGE\r\n\r\n")
    assert status == 400
    assert headers["content-type"].startswith("application/json")
    assert b"<html" not in body.lower()
    assert closed
    logged = capfd.readouterr()
    assert CLIENT not in logged.err + logged.out


def test_a_good_request_reaches_the_function_and_is_logged_without_the_address(
    gateway: Gateway, capfd: pytest.CaptureFixture[str]
) -> None:
    status, _, body, _ = exchange(gateway, post("2", "Connection: close\r\n", b"{}"))
    assert (status, json.loads(body)) == (200, {})
    logged = capfd.readouterr()
    assert "POST /visits 200" in logged.err
    assert CLIENT not in logged.err + logged.out


def test_the_gateway_enforces_the_declared_route_throttle() -> None:
    from cloudfolio.api_description import Throttle

    server = Gateway(
        ("127.0.0.1", 0),
        routes=ROUTES,
        invoke=echo,
        throttles={"GET /health": Throttle(rate_limit=0.001, burst_limit=2)},
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        raw = b"GET /health HTTP/1.1\r\nHost: api\r\n\r\n"
        answers = [exchange(server, raw) for _ in range(3)]
        assert [status for status, *_ in answers] == [200, 200, 429]
        assert json.loads(answers[2][2]) == {"message": "Too Many Requests"}
        # Another route has its own bucket.
        assert exchange(server, post("2", body=b"{}"))[0] == 200
    finally:
        server.shutdown()
        server.server_close()


def test_a_crashing_function_is_a_json_500_without_the_address(
    capfd: pytest.CaptureFixture[str],
) -> None:
    def crash(function: str, event: dict[str, Any]) -> Any:
        raise RuntimeError("boom")

    server = Gateway(("127.0.0.1", 0), routes=ROUTES, invoke=crash)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        status, _, body, _ = exchange(server, b"GET /health HTTP/1.1\r\nHost: api\r\n\r\n")
    finally:
        server.shutdown()
        server.server_close()
    assert (status, json.loads(body)) == (500, {"message": "Internal Server Error"})
    logged = capfd.readouterr()
    assert "counter failed" in logged.err
    assert CLIENT not in logged.err + logged.out
