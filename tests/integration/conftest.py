"""Integration tests talk to the local stack over real HTTP, from chosen loopback addresses."""

from __future__ import annotations

import http.client
import json
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


@pytest.fixture(scope="session")
def api(local_stack: StackInfo) -> ApiClient:
    return ApiClient(api_base(local_stack))


@pytest.fixture
def fresh_page() -> str:
    """A path no other test has counted, so assertions on page_views are exact."""
    return f"/posts/test-{uuid.uuid4().hex[:8]}/"


@pytest.fixture
def unique_agent() -> str:
    """A browser UA no other test used: same IP + new UA is a new visitor."""
    return f"{BROWSER_UA} cf-test/{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="session")
def table(local_stack: StackInfo):
    dynamodb = boto3.resource(
        "dynamodb",
        endpoint_url=local_stack.aws_endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    return dynamodb.Table(local_stack.table_name)
