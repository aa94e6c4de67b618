"""A local stand-in for API Gateway HTTP API: HTTP in, payload v2 events to the same handlers.

HTTP itself is Werkzeug's (a well-kept server); this module adds what API Gateway does in front
of the functions: framing checks, per-route throttles from the API description, routing, and
JSON for every answer it gives itself. No log line carries a client address.

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
import traceback
import uuid
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler

from cloudfolio import api_description, paths
from cloudfolio.local.routes import Route, load_routes, match
from cloudfolio.local.throttle import TokenBucket

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
    # backend/functions.py names each function's module (one package may serve several).
    module = api_description.functions()[function]
    _container_handler = importlib.import_module(module).lambda_handler


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


Invoke = Callable[[str, dict[str, Any]], Any]
Environ = dict[str, Any]
StartResponse = Callable[[str, list[tuple[str, str]]], Any]
# Headers that describe one hop's framing; the gateway sets its own.
HOP_BY_HOP = frozenset({"content-length", "connection", "transfer-encoding", "keep-alive"})


def gateway_error(status: int, message: str, headers: list[tuple[str, str]] = ()) -> HttpResponse:
    """API Gateway's own errors: JSON {"message": ...}, never an HTML page."""
    body = json.dumps({"message": message}).encode()
    return HttpResponse(status, [("Content-Type", "application/json"), *headers], body)


def framing_error(content_length: str | None, transfer_encoding: str | None) -> HttpResponse | None:
    """A request whose body cannot be delimited safely is refused before anything reads it."""
    if transfer_encoding:
        return gateway_error(411, "Length Required")
    declared = (content_length or "").strip()
    if declared and not (declared.isascii() and declared.isdigit()):
        return gateway_error(400, "Invalid Content-Length")
    if declared and int(declared) > MAX_BODY_BYTES:
        return gateway_error(413, "Request Entity Too Large")
    return None


def request_headers(environ: Environ) -> dict[str, str]:
    headers = {
        key[5:].replace("_", "-").lower(): value
        for key, value in environ.items()
        if key.startswith("HTTP_")
    }
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(key):
            headers[key.replace("_", "-").lower()] = environ[key]
    return headers


class GatewayApp:
    """The WSGI application: what API Gateway does between the client and a function."""

    def __init__(
        self,
        routes: list[Route],
        invoke: Invoke,
        throttles: dict[str, api_description.Throttle],
        log: Callable[[str], None],
    ) -> None:
        self.routes = routes
        self.invoke = invoke
        self.log = log
        self.buckets = {key: TokenBucket(*limit) for key, limit in throttles.items()}
        self.methods = {route.method for route in routes}

    def __call__(self, environ: Environ, start_response: StartResponse) -> list[bytes]:
        started = time.perf_counter()
        method = environ["REQUEST_METHOD"].upper()
        target = environ.get("REQUEST_URI") or environ.get("PATH_INFO") or "/"
        path = urlsplit(target).path
        response, function = self.answer(environ, method, target, path)
        headers = [(k, v) for k, v in response.headers if k.lower() not in HOP_BY_HOP]
        headers.append(("Content-Length", str(len(response.body))))
        start_response(f"{response.status} {HTTPStatus(response.status).phrase}", headers)
        elapsed = (time.perf_counter() - started) * 1000
        self.log(f"{method} {path} {response.status} {function} {elapsed:.1f}ms")
        return [b"" if method == "HEAD" else response.body]

    def answer(
        self, environ: Environ, method: str, target: str, path: str
    ) -> tuple[HttpResponse, str]:
        refused = framing_error(
            environ.get("CONTENT_LENGTH"), environ.get("HTTP_TRANSFER_ENCODING")
        )
        if refused:
            return refused, "-"
        if method.lower() not in api_description.HTTP_METHODS:
            allowed = sorted({r.method for r in self.routes if r.pattern.match(path)})
            allow = ", ".join(allowed or sorted(self.methods))
            return gateway_error(405, "Method Not Allowed", [("Allow", allow)]), "-"
        found = match(self.routes, method, path)
        bucket = self.buckets.get(found.route_key)
        if bucket and not bucket.take():
            return gateway_error(429, "Too Many Requests"), found.function
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        if len(body) != length:
            return gateway_error(400, "Incomplete body"), found.function
        event = build_event(
            method,
            target,
            request_headers(environ),
            body,
            environ.get("REMOTE_ADDR", ""),
            found.route_key,
            found.path_parameters,
        )
        try:
            return to_http_response(self.invoke(found.function, event)), found.function
        except Exception as error:  # what API Gateway shows when the function crashes
            # Always shown, access log or not: this is what the function's logs would say.
            sys.stderr.write(f"api: {found.function} failed: {type(error).__name__}: {error}\n")
            return gateway_error(500, "Internal Server Error"), found.function


class GatewayRequestHandler(WSGIRequestHandler):
    """Werkzeug's handler, with JSON for the errors it answers itself and no client address."""

    server: Gateway

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        # A request line or headers Werkzeug cannot parse: API Gateway answers JSON, not HTML.
        self.log("info", "%s %s", code, message or "")
        body = json.dumps({"message": HTTPStatus(code).phrase}).encode()
        # An unparsable request line leaves HTTP/0.9, which would suppress the status line.
        self.request_version = self.protocol_version
        self.send_response_only(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD" and code >= 200 and code not in (204, 304):
            self.wfile.write(body)
        self.close_connection = True

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """The gateway app logs once per request, with the function and latency."""

    def log(self, type: str, message: str, *args: Any) -> None:
        # Never Werkzeug's "<address> - - [...]" prefix: no client address in any log line.
        if self.server.access_log or type == "error":
            sys.stderr.write(f"api: {message % args if args else message}\n")


class Gateway(ThreadedWSGIServer):
    # Concurrency tests open a few hundred connections at once; a short backlog drops them.
    request_queue_size = 512

    def __init__(
        self,
        address: tuple[str, int],
        routes: list[Route] | None = None,
        access_log: bool = True,
        invoke: Invoke | None = None,
        throttles: dict[str, api_description.Throttle] | None = None,
    ) -> None:
        self.access_log = access_log
        self.routes = routes or load_routes()
        self.pools: dict[str, FunctionPool] = {}
        if invoke is None:
            self.pools = {
                name: FunctionPool(name) for name in sorted({r.function for r in self.routes})
            }
            invoke = self._invoke_in_pool
        app = GatewayApp(
            self.routes,
            invoke,
            api_description.throttles() if throttles is None else throttles,
            self._access_log,
        )
        super().__init__(address[0], address[1], app, handler=GatewayRequestHandler)

    def _invoke_in_pool(self, function: str, event: dict[str, Any]) -> Any:
        return self.pools[function].invoke(event)

    def _access_log(self, line: str) -> None:
        if self.access_log:
            sys.stderr.write(f"api: {line}\n")

    def handle_error(self, request: Any, client_address: Any) -> None:
        # socketserver's default names the client address; a traceback alone says enough.
        sys.stderr.write(f"api: error while serving a request:\n{traceback.format_exc()}")

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"
