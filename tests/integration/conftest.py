"""Integration tests talk to the local stack over real HTTP, from chosen loopback addresses."""

from __future__ import annotations

import http.client
import json
import random
import time
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import boto3
import pytest

from cloudfolio.local.stack import StackInfo
from cloudfolio.local.static_server import API_PREFIX

BROWSER_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Safari/537.36"
)


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def api_base(stack: StackInfo) -> str:
    """Where readers reach the API: the site's own origin under /api, as CloudFront serves it."""
    return stack.site_url + API_PREFIX


class ApiClient:
    """A raw HTTP client, so tests control the client address, headers and exact bytes sent."""

    def __init__(self, base_url: str, source_ip: str = "127.0.0.1") -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.prefix = parts.path.rstrip("/")
        self.source_ip = source_ip

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> Reply:
        connection = http.client.HTTPConnection(
            self.host, self.port, timeout=30, source_address=(self.source_ip, 0)
        )
        try:
            connection.request(
                method,
                self.prefix + path,
                body=body,
                headers={"User-Agent": BROWSER_UA, **(headers or {})},
            )
            response = connection.getresponse()
            return Reply(
                response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
            )
        finally:
            connection.close()

    def visit(self, page: str, user_agent: str = BROWSER_UA, **extra: str) -> Reply:
        payload = json.dumps({"path": page, **extra}).encode()
        return self.request(
            "POST",
            "/visits",
            payload,
            {"Content-Type": "application/json", "User-Agent": user_agent},
        )

    def counts(self, page: str) -> dict[str, int]:
        reply = self.request("GET", f"/visits?path={page}")
        assert reply.status == 200, reply.body
        return reply.json()


def new_reader_address() -> str:
    """A loopback address of its own (127.0.0.0/8 is all loopback): a new reader for the API."""
    return f"127.{random.randint(100, 254)}.{random.randint(0, 255)}.{random.randint(1, 254)}"


def new_reader_addresses(count: int) -> list[str]:
    """`count` distinct loopback addresses in a /16 no other test is likely to use."""
    base = f"127.{random.randint(1, 99)}"
    return [f"{base}.{number // 250}.{number % 250 + 1}" for number in range(count)]


@pytest.fixture
def api(local_stack: StackInfo) -> ApiClient:
    """A client from an address no other test uses, so daily limits and visitors start fresh."""
    return ApiClient(api_base(local_stack), new_reader_address())


def emulator(stack: StackInfo) -> dict[str, str]:
    """boto3 arguments for the stack's AWS emulator."""
    return {
        "endpoint_url": stack.aws_endpoint,
        "region_name": "us-east-1",
        "aws_access_key_id": "test",
        "aws_secret_access_key": "test",
    }


@pytest.fixture(scope="session")
def live_pages(local_stack: StackInfo) -> list[str]:
    """URL paths of the HTML pages of the live release: what the counter counts."""
    s3 = boto3.client("s3", **emulator(local_stack))
    bucket = local_stack.site_bucket
    release = s3.get_object(Bucket=bucket, Key="releases/LIVE")["Body"].read().decode().strip()
    manifest = json.loads(
        s3.get_object(Bucket=bucket, Key=f"releases/{release}.json")["Body"].read()
    )
    pages = [
        "/" + path.removesuffix("index.html")
        for path, entry in manifest["files"].items()
        if entry["content_type"].startswith("text/html") and path != "404.html"
    ]
    assert len(pages) >= 4, pages
    return sorted(pages)


@pytest.fixture
def fresh_page(live_pages: list[str]) -> str:
    """A page of the live release. Others count it too, so assertions compare before and after."""
    return random.choice(live_pages)


@pytest.fixture
def unique_agent() -> str:
    """A browser UA no other test used."""
    return f"{BROWSER_UA} cf-test/{uuid.uuid4().hex[:8]}"


class Tables:
    """Both tables of the stack, scanned together: what a rejected request must not change."""

    def __init__(self, local_stack: StackInfo) -> None:
        dynamodb = boto3.resource("dynamodb", **emulator(local_stack))
        assert local_stack.ephemeral_table_name, "the stack has no ephemeral table"
        self.tables = [
            dynamodb.Table(local_stack.table_name),
            dynamodb.Table(local_stack.ephemeral_table_name),
        ]

    def scan(self, **kwargs: Any) -> dict[str, Any]:
        return {"Items": [i for t in self.tables for i in t.scan(**kwargs)["Items"]]}


@pytest.fixture(scope="session")
def table(local_stack: StackInfo) -> Tables:
    return Tables(local_stack)


DEMO_SETTLE_TIMEOUT_S = 300


def wait_for_demo(api: ApiClient, states: set[str]) -> dict:
    deadline = time.monotonic() + DEMO_SETTLE_TIMEOUT_S
    while time.monotonic() < deadline:
        body = api.request("GET", "/demo").json()
        if body["state"] in states:
            return body
        time.sleep(1)
    pytest.fail(f"the demo did not reach {states} in {DEMO_SETTLE_TIMEOUT_S}s: {body}")


def demo_back_to_idle(api: ApiClient) -> None:
    """Destroy whatever demo the shared stack holds (a schema-valid POST /demo of the fuzz test
    starts one), as a visitor would: wait for it to settle, ask again while a cancel is pending."""
    body = wait_for_demo(api, {"idle", "ready", "failed"})
    while body["state"] != "idle":
        reply = api.request("DELETE", "/demo")
        if reply.status not in (202, 409, 503):
            pytest.fail(f"DELETE /demo answered {reply.status}: {reply.body!r}")
        time.sleep(1)
        body = wait_for_demo(api, {"idle", "ready", "failed"})
