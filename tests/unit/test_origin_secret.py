"""Requests that skip CloudFront are refused, and the client address is CloudFront's
CloudFront-Viewer-Address, trusted only on requests that carry the origin secret."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import boto3
import pytest
from common import origin, settings

from tests.unit.conftest import CLIENT_IP, api_event, invoke, load_function

SECRET = "s3cr3t-value-from-secrets-manager"
EDGE_IP = "130.176.0.1"  # what API Gateway sees as sourceIp behind CloudFront


@pytest.fixture
def secret_id(counter_table: Any, monkeypatch: pytest.MonkeyPatch) -> str:
    boto3.client("secretsmanager").create_secret(Name="origin", SecretString=SECRET)
    monkeypatch.setenv(settings.ORIGIN_SECRET_ID, "origin")
    return "origin"


@pytest.fixture
def guarded(secret_id: str) -> ModuleType:
    return load_function("counter")


class Recorder:
    """Stands in for the counter's store: records the client address the handler passes on."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.addresses: list[str] = []

    def record(self, visit: Any, *, client_ip: str, **kwargs: Any) -> Any:
        self.addresses.append(client_ip)
        return self.real.record(visit, client_ip=client_ip, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


def visit(module: ModuleType, headers: dict[str, str], source_ip: str = EDGE_IP):
    return invoke(
        module, api_event("POST", "/visits", {"path": "/"}, headers=headers, source_ip=source_ip)
    )


@pytest.mark.parametrize(
    "headers",
    [{}, {origin.HEADER: "wrong"}, {origin.HEADER: ""}, {"X-Forwarded-For": "203.0.113.9"}],
    ids=["none", "wrong", "empty", "forwarded-for-only"],
)
def test_requests_without_the_origin_secret_are_refused(guarded: ModuleType, headers) -> None:
    for method, path in (("POST", "/visits"), ("GET", "/visits"), ("GET", "/health")):
        reply = invoke(guarded, api_event(method, path, {"path": "/"}, headers=headers))
        assert reply.status == 403, (method, path)
        assert reply.body["error"] == "forbidden"
        assert reply.headers["content-type"] == "application/json"


def test_the_client_address_is_cloudfronts_viewer_address(
    guarded: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder = Recorder(guarded.counter)
    monkeypatch.setattr(guarded, "counter", recorder)
    for viewer in ("203.0.113.5:443", "[2001:db8::7]:51000", "2001:db8::8:51000"):
        reply = visit(guarded, {origin.HEADER: SECRET, origin.VIEWER_ADDRESS: viewer})
        assert reply.status in (200, 404), reply.body
    assert recorder.addresses == ["203.0.113.5", "2001:db8::7", "2001:db8::8"]


def test_x_forwarded_for_is_never_trusted(guarded: ModuleType, monkeypatch) -> None:
    recorder = Recorder(guarded.counter)
    monkeypatch.setattr(guarded, "counter", recorder)
    for forged in ("203.0.113.1", "203.0.113.2"):
        visit(
            guarded,
            {
                origin.HEADER: SECRET,
                origin.VIEWER_ADDRESS: "198.51.100.4:1234",
                "X-Forwarded-For": forged,
            },
        )
    assert recorder.addresses == ["198.51.100.4", "198.51.100.4"]


def test_without_an_origin_secret_the_viewer_header_is_ignored(
    counter: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No CloudFront in front (no secret configured): anyone could send the header, so the
    # address is the connection's, as API Gateway saw it.
    recorder = Recorder(counter.counter)
    monkeypatch.setattr(counter, "counter", recorder)
    visit(
        counter, {origin.VIEWER_ADDRESS: "203.0.113.5:443", "X-Forwarded-For": "1.2.3.4"}, CLIENT_IP
    )
    assert recorder.addresses == [CLIENT_IP]


def test_the_secret_is_read_once_and_cached(guarded: ModuleType, monkeypatch) -> None:
    calls = []
    client = boto3.client("secretsmanager")
    client.meta.events.register(
        "before-call.secrets-manager.GetSecretValue", lambda **_: calls.append(1)
    )
    monkeypatch.setattr(origin, "_secrets_client", lambda: client)
    origin.forget_cached_secret()
    for _ in range(5):
        invoke(guarded, api_event("GET", "/health", headers={origin.HEADER: SECRET}))
    assert len(calls) == 1
