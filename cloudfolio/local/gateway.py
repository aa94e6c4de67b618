"""A local stand-in for API Gateway HTTP API: HTTP in, payload v2 events to the same handlers.

Each function gets a small pool of "containers": independent copies of its handler module, so
requests run concurrently against the emulator as they would on Lambda, while no copy ever
handles two events at once (Powertools resolvers keep the current event on the app object).
"""

from __future__ import annotations

import base64
import importlib.util
import json
import queue
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import count
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from cloudfolio import paths
from cloudfolio.local.routes import Route, load_routes, match

ACCOUNT_ID = "000000000000"
CONTAINERS_PER_FUNCTION = 4
# API Gateway HTTP APIs cap payloads at 10 MB; the local gateway refuses earlier for safety.
MAX_BODY_BYTES = 10 * 1024 * 1024
_module_copies = count()


@dataclass
class LambdaContext:
    """The attributes of the Lambda context object that Powertools reads."""

    function_name: str
    memory_limit_in_mb: int = 256
    function_version: str = "$LATEST"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    log_group_name: str = ""
    log_stream_name: str = "local"

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:us-east-1:{ACCOUNT_ID}:function:{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


Handler = Callable[[dict[str, Any], LambdaContext], Any]


def _load_handler_copy(function: str) -> Handler:
    """Execute a fresh copy of backend/<fn>/handler.py, as a new Lambda container would."""
    backend = str(paths.BACKEND)
    if backend not in sys.path:
        sys.path.insert(0, backend)
    source = paths.BACKEND / function / "handler.py"
    name = f"{function}.handler__container{next(_module_copies)}"
    spec = importlib.util.spec_from_file_location(name, source)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {source}")
    module: ModuleType = importlib.util.module_from_spec(spec)
    module.__package__ = function
    spec.loader.exec_module(module)
    return module.lambda_handler


class FunctionPool:
    def __init__(self, function: str, size: int = CONTAINERS_PER_FUNCTION) -> None:
        self.function = function
        self._idle: queue.Queue[Handler] = queue.Queue()
        for _ in range(size):
            self._idle.put(_load_handler_copy(function))

    def invoke(self, event: dict[str, Any]) -> Any:
        handler = self._idle.get()
        try:
            return handler(event, LambdaContext(function_name=self.function))
        finally:
            self._idle.put(handler)


def build_event(
    method: str,
    target: str,
    headers: dict[str, str],
    body: bytes,
    source_ip: str,
    route_key: str,
    path_parameters: dict[str, str],
) -> dict[str, Any]:
    """An API Gateway HTTP API payload format 2.0 event."""
    parts = urlsplit(target)
    lowered: dict[str, str] = {}
    for name, value in headers.items():
        key = name.lower()
        lowered[key] = f"{lowered[key]},{value}" if key in lowered else value
    query: dict[str, str] = {}
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        query[key] = f"{query[key]},{value}" if key in query else value
    now = datetime.now(UTC)
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": parts.path,
        "rawQueryString": parts.query,
        "headers": lowered,
        "requestContext": {
            "accountId": ACCOUNT_ID,
            "apiId": "local",
            "domainName": lowered.get("host", "127.0.0.1"),
            "domainPrefix": "local",
            "http": {
                "method": method,
                "path": parts.path,
                "protocol": "HTTP/1.1",
                "sourceIp": source_ip,
                "userAgent": lowered.get("user-agent", ""),
            },
            "requestId": uuid.uuid4().hex,
            "routeKey": route_key,
            "stage": "$default",
            "time": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "timeEpoch": int(now.timestamp() * 1000),
        },
        "isBase64Encoded": False,
    }
    if "cookie" in lowered:
        event["cookies"] = [c.strip() for c in lowered["cookie"].split(";") if c.strip()]
    if query:
        event["queryStringParameters"] = query
    if path_parameters:
        event["pathParameters"] = path_parameters
    if body:
        try:
            event["body"] = body.decode("utf-8")
        except UnicodeDecodeError:
            event["body"] = base64.b64encode(body).decode()
            event["isBase64Encoded"] = True
    return event


@dataclass
class HttpResponse:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


def to_http_response(result: Any) -> HttpResponse:
    """Interpret a handler result the way API Gateway does for payload format 2.0."""
    if not isinstance(result, dict) or "statusCode" not in result:
        # A bare value is treated as a 200 JSON body.
        return HttpResponse(
            200, [("Content-Type", "application/json")], json.dumps(result).encode()
        )
    headers = [(k, str(v)) for k, v in (result.get("headers") or {}).items()]
    for name, values in (result.get("multiValueHeaders") or {}).items():
        headers += [(name, str(v)) for v in values]
    headers += [("Set-Cookie", cookie) for cookie in result.get("cookies") or []]
    raw = result.get("body") or ""
    body = base64.b64decode(raw) if result.get("isBase64Encoded") else str(raw).encode()
    return HttpResponse(int(result["statusCode"]), headers, body)


class Gateway(ThreadingHTTPServer):
    daemon_threads = True
    # Concurrency tests open a few hundred connections at once; the default backlog of 5 drops them.
    request_queue_size = 512

    def __init__(self, address: tuple[str, int], routes: list[Route] | None = None) -> None:
        self.routes = routes or load_routes()
        self.pools = {
            name: FunctionPool(name) for name in sorted({r.function for r in self.routes})
        }
        super().__init__(address, GatewayRequestHandler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"


class GatewayRequestHandler(BaseHTTPRequestHandler):
    server: Gateway
    protocol_version = "HTTP/1.1"

    def _dispatch(self) -> None:
        started = time.perf_counter()
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            self._send(
                HttpResponse(
                    413,
                    [("Content-Type", "application/json")],
                    b'{"message":"Request Entity Too Large"}',
                )
            )
            return
        body = self.rfile.read(length) if length else b""
        path = urlsplit(self.path).path
        found = match(self.server.routes, self.command, path)
        event = build_event(
            self.command,
            self.path,
            dict(self.headers.items()),
            body,
            self.client_address[0],
            found.route_key,
            found.path_parameters,
        )
        try:
            response = to_http_response(self.server.pools[found.function].invoke(event))
        except Exception as error:  # what API Gateway shows when the function crashes
            self.log_error("%s failed: %r", found.function, error)
            response = HttpResponse(
                500, [("Content-Type", "application/json")], b'{"message":"Internal Server Error"}'
            )
        self._send(response)
        self.log_message(
            '"%s %s" %s %s %.1fms',
            self.command,
            path,
            response.status,
            found.function,
            (time.perf_counter() - started) * 1000,
        )

    def _send(self, response: HttpResponse) -> None:
        self.send_response_only(response.status)
        self.send_header("Date", self.date_time_string())
        for name, value in response.headers:
            if name.lower() not in ("content-length", "connection"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_HEAD = _dispatch

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """The gateway logs once per request in _dispatch, with the function and latency."""

    def log_message(self, format: str, *args: Any) -> None:
        # Access logs carry no client address: the product never keeps raw IPs, locally included.
        sys.stderr.write(f"api: {format % args}\n")
