"""Unit-test helpers for the Lambda functions: moto in-process, fresh handler copies, v2 events."""

from __future__ import annotations

import base64
import importlib.util
import itertools
import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlencode

import boto3
import pytest
from common import settings
from common.schema import PARTITION_KEY, SORT_KEY, TTL_ATTRIBUTE
from moto import mock_aws

BACKEND = Path(__file__).resolve().parents[2] / "backend"
TABLE = "cloudfolio-test"
EPHEMERAL_TABLE = "cloudfolio-test-ephemeral"
SITE_BUCKET = "cloudfolio-test-site"
# The HTML pages of the live release the unit tests count (besides the home page).
PAGES = (
    "index.html",
    "posts/a/index.html",
    "posts/hello-world/index.html",
    "a/index.html",
    "b/index.html",
    "c/index.html",
    "d/index.html",
    "p/index.html",
    "x/index.html",
    "warm-up/index.html",
    "traced/index.html",
    "about.html",
)
SITE_ID = "test-site"
SITE_ORIGIN = "https://site.example"
SECOND_ORIGIN = "https://www.site.example"
BROWSER_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Safari/537.36"
)
CLIENT_IP = "198.51.100.23"
_copies = itertools.count()
_releases = itertools.count(1)


@dataclass
class FakeLambdaContext:
    function_name: str = "counter"
    memory_limit_in_mb: int = 256
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:000000000000:function:counter"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))

    def get_remaining_time_in_millis(self) -> int:
        return 10_000


def api_event(
    method: str,
    path: str,
    body: str | bytes | dict | list | None = None,
    *,
    query: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    source_ip: str = CLIENT_IP,
    user_agent: str | None = BROWSER_UA,
) -> dict[str, Any]:
    """An API Gateway HTTP API (payload format 2.0) event, as the $default route delivers it."""
    lowered = {k.lower(): v for k, v in (headers or {}).items()}
    if user_agent is not None:
        lowered.setdefault("user-agent", user_agent)
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": urlencode(query or {}),
        "headers": lowered,
        "requestContext": {
            "accountId": "000000000000",
            "apiId": "unit",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": source_ip,
                "userAgent": lowered.get("user-agent", ""),
            },
            "requestId": uuid.uuid4().hex,
            "routeKey": "$default",
            "stage": "$default",
        },
        "isBase64Encoded": False,
    }
    if query:
        event["queryStringParameters"] = dict(query)
    if isinstance(body, dict | list):
        body = json.dumps(body)
    if isinstance(body, bytes):
        event["body"] = base64.b64encode(body).decode()
        event["isBase64Encoded"] = True
    elif body is not None:
        event["body"] = body
    return event


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: Any


def load_function(name: str = "counter") -> ModuleType:
    """A fresh copy of backend/<name>/handler.py: what a new Lambda container would run."""
    source = BACKEND / name / "handler.py"
    spec = importlib.util.spec_from_file_location(f"{name}.handler_copy{next(_copies)}", source)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    module.__package__ = name
    spec.loader.exec_module(module)
    return module


def invoke(module: ModuleType, event: dict[str, Any]) -> Reply:
    result = module.lambda_handler(event, FakeLambdaContext())
    raw = result.get("body") or ""
    if result.get("isBase64Encoded"):
        raw = base64.b64decode(raw).decode()
    body = json.loads(raw) if raw else None
    headers = {k.lower(): v for k, v in (result.get("headers") or {}).items()}
    return Reply(result["statusCode"], headers, body)


@pytest.fixture
def counter_env(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    env = {
        settings.TABLE_NAME: TABLE,
        settings.EPHEMERAL_TABLE_NAME: EPHEMERAL_TABLE,
        settings.SITE_BUCKET: SITE_BUCKET,
        settings.SITE_ID: SITE_ID,
        settings.CORS_ALLOWED_ORIGINS: f"{SITE_ORIGIN}, {SECOND_ORIGIN}/",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_METRICS_NAMESPACE": "cloudfolio-test",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    # moto intercepts AWS endpoints only; an emulator URL from the shell would bypass it.
    for name in (
        "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_DYNAMODB",
        "AWS_ENDPOINT_URL_S3",
        "AWS_PROFILE",
        settings.DAILY_PAGE_VIEW_LIMIT,
    ):
        monkeypatch.delenv(name, raising=False)
    return env


def create_table(client: Any, name: str = TABLE) -> None:
    """A table keyed as backend/common/schema.py declares, with TTL on (both tables are)."""
    client.create_table(
        TableName=name,
        KeySchema=[
            {"AttributeName": PARTITION_KEY, "KeyType": "HASH"},
            {"AttributeName": SORT_KEY, "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": PARTITION_KEY, "AttributeType": "S"},
            {"AttributeName": SORT_KEY, "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    client.update_time_to_live(
        TableName=name,
        TimeToLiveSpecification={"Enabled": True, "AttributeName": TTL_ATTRIBUTE},
    )


def release_objects(pages: Iterable[str], preview: bool = False) -> dict[str, bytes]:
    """The manifest (and, unless a preview, the live pointer) of a release of `pages`, plus a
    stylesheet and the 404 page, keyed as publish writes them to the site bucket."""
    html = {"content_type": "text/html; charset=utf-8", "cache_control": "no-cache"}
    files = {page: {"hash": "0" * 64, "size": 1, **html} for page in pages}
    files["404.html"] = {"hash": "1" * 64, "size": 1, **html}
    files["theme/css/style.css"] = {
        "hash": "2" * 64,
        "size": 1,
        "content_type": "text/css",
        "cache_control": "public, max-age=31536000, immutable",
    }
    release = f"20260101T000000.{next(_releases) % 1000:03d}Z-0123abcd"
    manifest = {"format": 1, "release": release, "preview": preview, "files": files}
    objects = {f"releases/{release}.json": json.dumps(manifest).encode()}
    if not preview:
        objects["releases/LIVE"] = f"{release}\n".encode()
    return objects


def publish_pages(s3: Any, pages: Iterable[str], preview: bool = False) -> None:
    for key, body in release_objects(pages, preview).items():
        s3.put_object(Bucket=SITE_BUCKET, Key=key, Body=body)


@pytest.fixture
def counter_table(counter_env: dict[str, str]) -> Iterator[Any]:
    """The counts table and the ephemeral table, and the site's live release, in moto."""
    with mock_aws():
        client = boto3.client("dynamodb")
        create_table(client, TABLE)
        create_table(client, EPHEMERAL_TABLE)
        s3 = boto3.client("s3")
        s3.create_bucket(Bucket=SITE_BUCKET)
        publish_pages(s3, PAGES)
        yield client


def scan(table: Any) -> list[dict[str, Any]]:
    """Every item of both tables: what a rejected request must leave unchanged."""
    return [*scan_table(table, TABLE), *scan_table(table, EPHEMERAL_TABLE)]


def scan_table(client: Any, name: str) -> list[dict[str, Any]]:
    return client.scan(TableName=name, ConsistentRead=True)["Items"]


@pytest.fixture
def counter(counter_table: Any) -> ModuleType:
    return load_function("counter")


@pytest.fixture
def new_counter(counter_table: Any) -> Callable[[], ModuleType]:
    return lambda: load_function("counter")
