"""What every function's resolver answers by itself: JSON 405 with Allow, JSON 404."""

from __future__ import annotations

import pytest
from aws_lambda_powertools import Logger
from common.app import api_resolver

from tests.unit.conftest import api_event, invoke


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "TRACE", "PROPFIND"])
def test_another_method_on_a_known_path_is_a_json_405_with_allow(counter, method: str) -> None:
    reply = invoke(counter, api_event(method, "/visits", {"path": "/"}))
    assert reply.status == 405
    assert reply.headers["allow"] == "GET, POST"
    assert reply.headers["content-type"] == "application/json"
    assert reply.body["error"] == "method_not_allowed"


def test_an_unknown_path_is_a_json_404(counter) -> None:
    reply = invoke(counter, api_event("TRACE", "/nope"))
    assert (reply.status, reply.body["error"]) == (404, "not_found")
    assert "allow" not in reply.headers


def test_the_resolver_knows_its_routes_from_their_declarations() -> None:
    app = api_resolver(Logger(service="test"))

    @app.get("/demo/<demo_id>")
    def read(demo_id: str) -> dict:
        return {}

    @app.route("/demo/<demo_id>", method=["DELETE", "POST"])
    def change(demo_id: str) -> dict:
        return {}

    assert app.methods_at("/demo/abc") == ["DELETE", "GET", "POST"]
    assert app.methods_at("/demo/abc/logs") == []
    assert app.methods_at("/demo") == []
