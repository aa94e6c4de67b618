"""The counter's HTTP surface: routes, JSON errors that store nothing, CORS allow/deny."""

from __future__ import annotations

import json
import logging

import jsonschema
import pytest

from cloudfolio.api_description import API_DESCRIPTION
from tests.unit.conftest import (
    SECOND_ORIGIN,
    SITE_ORIGIN,
    api_event,
    invoke,
    load_function,
    scan,
)


def test_health(counter) -> None:
    reply = invoke(counter, api_event("GET", "/health"))
    assert reply.status == 200
    assert reply.body == {"status": "ok"}


def test_post_counts_and_get_reads_without_counting(counter, counter_table) -> None:
    first = invoke(counter, api_event("POST", "/visits", {"path": "/posts/a/"}))
    assert first.status == 200
    assert first.body == {"views": 1, "page_views": 1, "visitors": 1}
    assert first.headers["cache-control"] == "no-store"
    items_after_post = scan(counter_table)

    for _ in range(3):
        read = invoke(counter, api_event("GET", "/visits", query={"path": "/posts/a/"}))
        assert read.status == 200
        assert read.body == first.body
    assert scan(counter_table) == items_after_post


def test_get_of_an_unvisited_page_is_zero_and_stores_nothing(counter, counter_table) -> None:
    reply = invoke(counter, api_event("GET", "/visits", query={"path": "/d/"}))
    assert reply.status == 200
    assert reply.body == {"views": 0, "page_views": 0, "visitors": 0}
    assert scan(counter_table) == []


def test_referrer_and_utm_fields_are_accepted(counter) -> None:
    visit = {
        "path": "/posts/a/",
        "referrer": "https://news.example/item",
        "utm_source": "newsletter",
        "utm_medium": "email",
        "utm_campaign": "launch",
    }
    reply = invoke(counter, api_event("POST", "/visits", visit))
    assert reply.status == 200
    assert reply.body["page_views"] == 1


def test_a_base64_encoded_body_is_read(counter) -> None:
    reply = invoke(counter, api_event("POST", "/visits", json.dumps({"path": "/b/"}).encode()))
    assert reply.status == 200
    assert reply.body["page_views"] == 1


BAD_REQUESTS = {
    "malformed json": ("POST", "/visits", '{"path": "/x/"', None, 400, "invalid_json"),
    "empty body": ("POST", "/visits", None, None, 400, "invalid_json"),
    "not utf-8": ("POST", "/visits", b"\xff\xfe{}", None, 400, "invalid_json"),
    "body over 4 KB": (
        "POST", "/visits", json.dumps({"path": "/x/", "pad": "a" * 4100}), None, 413,
        "payload_too_large",
    ),
    "not an object": ("POST", "/visits", "[1, 2]", None, 400, "invalid_body"),
    "missing path": ("POST", "/visits", "{}", None, 400, "missing_path"),
    "path not a string": ("POST", "/visits", '{"path": 7}', None, 400, "invalid_path"),
    "path without slash": ("POST", "/visits", '{"path": "posts/x/"}', None, 400, "invalid_path"),
    "path too long": (
        "POST", "/visits", json.dumps({"path": "/" + "a" * 512}), None, 400, "invalid_path",
    ),
    "absolute url": (
        "POST", "/visits", '{"path": "https://evil.example/"}', None, 400, "invalid_path",
    ),
    "scheme relative, not a page": (
        "POST", "/visits", '{"path": "//evil.example/"}', None, 404, "unknown_page",
    ),
    "query in path": ("POST", "/visits", '{"path": "/x/?a=1"}', None, 400, "invalid_path"),
    "fragment in path": ("POST", "/visits", '{"path": "/x/#top"}', None, 400, "invalid_path"),
    "space in path": ("POST", "/visits", '{"path": "/x y/"}', None, 400, "invalid_path"),
    "control char in path": (
        "POST", "/visits", '{"path": "/x\\u0000/"}', None, 400, "invalid_path",
    ),
    "newline in path": ("POST", "/visits", '{"path": "/x\\n/"}', None, 400, "invalid_path"),
    "referrer not a string": (
        "POST", "/visits", '{"path": "/x/", "referrer": 5}', None, 400, "invalid_field",
    ),
    "get without path": ("GET", "/visits", None, None, 400, "missing_path"),
    "get with bad path": ("GET", "/visits", None, {"path": "x"}, 400, "invalid_path"),
    "wrong method": ("PUT", "/visits", '{"path": "/x/"}', None, 405, "method_not_allowed"),
    "delete": ("DELETE", "/visits", None, None, 405, "method_not_allowed"),
    "post health": ("POST", "/health", None, None, 405, "method_not_allowed"),
    "unknown route": ("GET", "/nope", None, None, 404, "not_found"),
}  # fmt: skip


@pytest.mark.parametrize("case", BAD_REQUESTS, ids=list(BAD_REQUESTS))
def test_bad_input_is_a_json_error_and_stores_nothing(counter, counter_table, case) -> None:
    method, path, body, query, status, code = BAD_REQUESTS[case]
    reply = invoke(counter, api_event(method, path, body, query=query))
    assert reply.status == status
    assert reply.headers["content-type"] == "application/json"
    assert reply.body["error"] == code
    assert reply.body["message"][0].isupper()
    assert reply.body["message"].endswith(".")
    assert scan(counter_table) == []


def test_bad_input_leaves_existing_counters_unchanged(counter, counter_table) -> None:
    invoke(counter, api_event("POST", "/visits", {"path": "/x/"}))
    before = scan(counter_table)
    for method, path, body, query, _, _ in BAD_REQUESTS.values():
        invoke(counter, api_event(method, path, body, query=query))
    assert scan(counter_table) == before


def test_wrong_method_names_the_allowed_ones(counter) -> None:
    reply = invoke(counter, api_event("PUT", "/visits", "{}"))
    assert reply.status == 405
    assert reply.headers["allow"] == "GET, POST"


@pytest.mark.parametrize("origin", [SITE_ORIGIN, SECOND_ORIGIN])
def test_cors_allows_the_configured_origins(counter, origin) -> None:
    reply = invoke(
        counter, api_event("POST", "/visits", {"path": "/c/"}, headers={"Origin": origin})
    )
    assert reply.status == 200
    assert reply.headers["access-control-allow-origin"] == origin
    assert "Origin" in reply.headers["vary"]


def test_cors_headers_are_on_errors_too_so_the_page_can_read_them(counter) -> None:
    reply = invoke(counter, api_event("POST", "/visits", "{", headers={"Origin": SITE_ORIGIN}))
    assert reply.status == 400
    assert reply.headers["access-control-allow-origin"] == SITE_ORIGIN


@pytest.mark.parametrize(
    "origin", ["https://evil.example", "https://site.example.evil", "null", SITE_ORIGIN + ":8443"]
)
def test_cors_denies_other_origins(counter, counter_table, origin) -> None:
    reply = invoke(
        counter, api_event("POST", "/visits", {"path": "/d/"}, headers={"Origin": origin})
    )
    assert not any(name.startswith("access-control-") for name in reply.headers)
    preflight = invoke(
        counter,
        api_event(
            "OPTIONS",
            "/visits",
            headers={"Origin": origin, "Access-Control-Request-Method": "POST"},
        ),
    )
    assert "access-control-allow-origin" not in preflight.headers


def test_preflight_from_the_site_allows_posting_json(counter, counter_table) -> None:
    reply = invoke(
        counter,
        api_event(
            "OPTIONS",
            "/visits",
            headers={
                "Origin": SITE_ORIGIN,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type",
            },
        ),
    )
    assert reply.status == 204
    assert reply.headers["access-control-allow-origin"] == SITE_ORIGIN
    assert "POST" in reply.headers["access-control-allow-methods"].split(",")
    assert "content-type" in reply.headers["access-control-allow-headers"].lower()
    assert scan(counter_table) == []


def test_no_cors_headers_at_all_when_no_origin_is_configured(counter_table, monkeypatch) -> None:
    monkeypatch.setenv("CORS_ALLOWED_ORIGINS", "")
    module = load_function("counter")
    reply = invoke(module, api_event("GET", "/health", headers={"Origin": SITE_ORIGIN}))
    assert reply.status == 200
    assert not any(name.startswith("access-control-") for name in reply.headers)


def test_a_wildcard_origin_is_never_honoured(counter_table, monkeypatch) -> None:
    monkeypatch.setenv("CORS_ALLOWED_ORIGINS", "*")
    module = load_function("counter")
    reply = invoke(module, api_event("GET", "/health", headers={"Origin": "https://any.example"}))
    assert "access-control-allow-origin" not in reply.headers


def test_the_handler_imports_without_configuration_and_fails_clearly_without_it(
    counter_table, monkeypatch
) -> None:
    monkeypatch.delenv("TABLE_NAME")
    module = load_function("counter")
    assert invoke(module, api_event("GET", "/health")).status == 200
    reply = invoke(module, api_event("POST", "/visits", {"path": "/x/"}))
    assert reply.status == 500
    assert reply.body["error"] == "internal_error"


DEEP_JSON = '{"path": "/a/", "x": ' + "[" * 1100 + "1" + "]" * 1100 + "}"


@pytest.mark.parametrize("body", [DEEP_JSON, '{"path": "/a/", "x": ' + "{" * 1100])
def test_deeply_nested_json_is_a_400_not_a_500_and_logs_no_error(
    counter, counter_table, caplog, capfd, body
) -> None:
    assert len(body.encode()) < 4096
    reply = invoke(counter, api_event("POST", "/visits", body))
    assert reply.status == 400
    assert reply.body["error"] == "invalid_json"
    assert scan(counter_table) == []
    output = capfd.readouterr()
    assert '"level":"ERROR"' not in output.out + output.err
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def operation(method: str, path: str) -> dict:
    return json.loads(API_DESCRIPTION.read_text())["paths"][path][method]


# Bodies around every edge of the rules: the description and the code must agree on each.
CANDIDATE_BODIES = [
    {"path": "/a/"},
    {"path": "//a/"},
    {"path": "/%61/"},
    {"path": "/a"},
    {"path": "/" + "a" * 511},
    {"path": "/" + "a" * 512},
    {"path": "/a\x01/"},
    {"path": "/a\x7f/"},
    {"path": "/a\u200b/"},
    {"path": "/a\u2028/"},
    {"path": "/a\ufeff/"},
    {"path": "/a\ud800/"},
    {"path": "/a\n"},
    {"path": "/a /"},
    {"path": "/a\\b/"},
    {"path": "/a?b"},
    {"path": "/a#b"},
    {"path": "/é/"},
    {"path": "a/"},
    {"path": ""},
    {"path": 7},
    {},
    {"path": "/a/", "referrer": None, "utm_source": None},
    {"path": "/a/", "referrer": "r" * 1024},
    {"path": "/a/", "referrer": "r" * 1025},
    {"path": "/a/", "utm_campaign": 5},
    {"path": "/a/", "extra": [1, 2]},
]


@pytest.mark.parametrize("body", CANDIDATE_BODIES, ids=range(len(CANDIDATE_BODIES)))
def test_the_description_and_the_code_accept_the_same_bodies(counter, body) -> None:
    schema = operation("post", "/visits")["requestBody"]["content"]["application/json"]["schema"]
    described_valid = jsonschema.Draft202012Validator(schema).is_valid(body)
    reply = invoke(counter, api_event("POST", "/visits", json.dumps(body)))
    assert reply.status != 500
    assert (reply.status != 400) == described_valid, (body, reply.body)


@pytest.mark.parametrize("body", CANDIDATE_BODIES[:20], ids=range(20))
def test_the_description_and_the_code_accept_the_same_query_paths(counter, body) -> None:
    path = body.get("path")
    # A query string is UTF-8 bytes: it cannot carry a lone surrogate.
    if not isinstance(path, str) or any("\ud800" <= char <= "\udfff" for char in path):
        return
    (parameter,) = operation("get", "/visits")["parameters"]
    described_valid = jsonschema.Draft202012Validator(parameter["schema"]).is_valid(path)
    reply = invoke(counter, api_event("GET", "/visits", query={"path": path}))
    assert (reply.status != 400) == described_valid, (path, reply.body)


def test_the_description_takes_the_path_rule_from_the_code() -> None:
    from counter.request import PATH_RULE

    schema = operation("post", "/visits")["requestBody"]["content"]["application/json"]["schema"]
    assert schema["properties"]["path"]["pattern"] == PATH_RULE.pattern
    assert schema["properties"]["path"]["maxLength"] == PATH_RULE.max_length


def test_counter_operations_declare_their_throttle() -> None:
    for method, path in (("post", "/visits"), ("get", "/visits"), ("get", "/health")):
        assert operation(method, path)["x-cloudfolio-throttle"] == {
            "rate_limit": 100,
            "burst_limit": 200,
        }
