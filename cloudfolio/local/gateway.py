"""A local stand-in for API Gateway HTTP API: HTTP in, payload v2 events to the same handlers.

Each function runs in a small pool of worker processes, its "containers": each imports the
handler once and handles one event at a time, as on Lambda. Processes, not threads, because
Powertools keeps the current event in class-level state that concurrent calls would share.
"""

from __future__ import annotations

import base64
import importlib
import json
import multiprocessing
import signal
import sys
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from cloudfolio import paths
from cloudfolio.local.routes import Route, load_routes, match

ACCOUNT_ID = "000000000000"
CONTAINERS_PER_FUNCTION = 4
# API Gateway HTTP APIs cap payloads at 10 MB; the local gateway refuses earlier for safety.
MAX_BODY_BYTES = 10 * 1024 * 1024


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
_container_handler: Handler | None = None


def _start_container(function: str) -> None:
    """Runs once in each worker process: import the handler as a Lambda cold start does."""
    global _container_handler
    # Ctrl-C reaches the whole process group; the stack shuts its workers down itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    backend = str(paths.BACKEND)
    if backend not in sys.path:
        sys.path.insert(0, backend)
    _container_handler = importlib.import_module(f"{function}.handler").lambda_handler


def _invoke_in_container(function: str, event: dict[str, Any]) -> Any:
    assert _container_handler is not None
    return _container_handler(event, LambdaContext(function_name=function))


def _warm(_: int) -> bool:
    return _container_handler is not None


class FunctionPool:
    """A function's containers: worker processes that inherit the environment set before start."""

    def __init__(self, function: str, size: int = CONTAINERS_PER_FUNCTION) -> None:
        self.function = function
        self.size = size
        self._executor = self._new_executor()

    def _new_executor(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.size,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_container,
            initargs=(self.function,),
        )

    def warm(self) -> None:
        """Start the containers now, so the first request does not pay for the cold start."""
        assert all(self._executor.map(_warm, range(self.size)))

    def invoke(self, event: dict[str, Any]) -> Any:
        try:
            return self._executor.submit(_invoke_in_container, self.function, event).result()
        except BrokenProcessPool:
            # A container died (as a crashed Lambda would); later requests get fresh ones.
            self._executor = self._new_executor()
            raise

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)


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

    def __init__(
        self,
        address: tuple[str, int],
        routes: list[Route] | None = None,
        access_log: bool = True,
    ) -> None:
        self.access_log = access_log
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
            # Always shown, access log or not: this is what the function's logs would say.
            sys.stderr.write(f"api: {found.function} failed: {error!r}\n")
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
        if self.server.access_log:
            sys.stderr.write(f"api: {format % args}\n")
