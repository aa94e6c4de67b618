"""The fuzz test bites: against handlers with a planted defect it reports a failure, and against
handlers that keep the contract it reports none."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from cloudfolio import api_fuzz
from cloudfolio.api_description import API_DESCRIPTION
from cloudfolio.local.gateway import Gateway
from cloudfolio.local.routes import load_routes

PAGES = ("/", "/posts/hello-world/")
COUNTS = {"views": 3, "page_views": 2, "visitors": 1}


def reply(status: int, body: Any) -> dict[str, Any]:
    return {
        "statusCode": status,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps(body),
    }


def page_of(event: dict[str, Any]) -> str:
    if event["requestContext"]["http"]["method"] == "POST":
        return json.loads(event.get("body") or "{}").get("path", "")
    return (event.get("queryStringParameters") or {}).get("path", "")


def keeps_the_contract(event: dict[str, Any]) -> dict[str, Any]:
    if event["rawPath"] == "/health":
        return reply(200, {"status": "ok"})
    if page_of(event) not in PAGES:
        return reply(404, {"error": "unknown_page", "message": "There is no such page."})
    return reply(200, COUNTS)


def crashes_on_long_paths(event: dict[str, Any]) -> dict[str, Any]:
    if event["rawPath"] == "/visits" and len(page_of(event)) > 3:
        return reply(500, {"error": "internal_error", "message": "boom"})
    return keeps_the_contract(event)


def breaks_the_schema(event: dict[str, Any]) -> dict[str, Any]:
    answer = keeps_the_contract(event)
    if answer["statusCode"] == 200 and event["rawPath"] == "/visits":
        return reply(200, {**COUNTS, "views": "many"})
    return answer


def rejects_valid_paths(event: dict[str, Any]) -> dict[str, Any]:
    if event["rawPath"] == "/visits" and "-" in page_of(event):
        return reply(400, {"error": "invalid_path", "message": "No dashes."})
    return keeps_the_contract(event)


@pytest.fixture
def serve() -> Iterator[Callable[[Callable], str]]:
    servers: list[Gateway] = []

    def start(function: Callable[[dict[str, Any]], dict[str, Any]]) -> str:
        gateway = Gateway(
            ("127.0.0.1", 0),
            routes=load_routes(),
            invoke=lambda _, event: function(event),
            throttles={},
            access_log=False,
        )
        threading.Thread(target=gateway.serve_forever, daemon=True).start()
        servers.append(gateway)
        return gateway.url

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def description(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The counter's part of the API description (the fake handlers play the counter), with its
    documented 404 for a path that is no page."""
    document = json.loads(API_DESCRIPTION.read_text())
    document["paths"] = {path: document["paths"][path] for path in ("/health", "/visits")}
    for method in ("get", "post"):
        responses = document["paths"]["/visits"][method]["responses"]
        error = responses["400"]
        responses.setdefault("404", {**error, "description": "The path is not a page of the site."})
    path = tmp_path_factory.mktemp("api") / "openapi.json"
    path.write_text(json.dumps(document))
    return path


@pytest.fixture
def fuzz(description: Path) -> Callable[[str], api_fuzz.FuzzReport]:
    return lambda url: api_fuzz.run(
        url,
        cases_per_operation=40,
        time_budget=60,
        pages=PAGES,
        description=description,
        modes=("positive",),
    )


def test_a_contract_keeping_api_passes(serve, fuzz) -> None:
    report = fuzz(serve(keeps_the_contract))
    assert report.failures == []
    assert report.statuses[200] and report.statuses[404]  # counted pages and refused ones
    assert set(report.cases) == {"GET /health", "GET /visits", "POST /visits"}


@pytest.mark.parametrize(
    ("defect", "finding"),
    [
        (crashes_on_long_paths, "Server error"),
        (breaks_the_schema, "Response violates schema"),
        (rejects_valid_paths, "schema-valid request was rejected"),
    ],
    ids=["server-error", "schema-break", "valid-rejected"],
)
def test_each_kind_of_defect_fails_the_fuzz(serve, fuzz, defect, finding: str) -> None:
    report = fuzz(serve(defect))
    assert report.failures, f"{defect.__name__} went unnoticed"
    assert all("/visits" in failure for failure in report.failures)
    assert any(finding in failure for failure in report.failures), report.failures
