"""The counter API through the local gateway, against the emulator Terraform provisioned."""

from __future__ import annotations

import json
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.integration.conftest import (
    ApiClient,
    api_base,
    new_reader_address,
    new_reader_addresses,
)

pytestmark = pytest.mark.integration

CONCURRENT_VISITS = 200
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def test_health(api: ApiClient) -> None:
    reply = api.request("GET", "/health")
    assert reply.status == 200
    assert reply.json()["status"] == "ok"


def test_visit_returns_the_three_numbers_and_get_changes_nothing(
    api: ApiClient, fresh_page: str, unique_agent: str
) -> None:
    before = api.counts(fresh_page)
    reply = api.visit(fresh_page, user_agent=unique_agent, referrer="https://example.org/")
    assert reply.status == 200
    after = reply.json()
    assert set(after) >= {"views", "page_views", "visitors"}
    assert after["page_views"] == before["page_views"] + 1
    assert after["views"] == before["views"] + 1
    assert after["visitors"] == before["visitors"] + 1
    assert api.counts(fresh_page) == api.counts(fresh_page) == after


def test_concurrent_visits_are_counted_exactly(local_stack, api: ApiClient, fresh_page: str):
    before = api.counts(fresh_page)
    readers = [
        ApiClient(api_base(local_stack), new_reader_address()) for _ in range(CONCURRENT_VISITS)
    ]
    assert len({reader.source_ip for reader in readers}) == CONCURRENT_VISITS or pytest.skip
    with ThreadPoolExecutor(max_workers=50) as pool:
        statuses = list(pool.map(lambda reader: reader.visit(fresh_page).status, readers))
    assert statuses == [200] * CONCURRENT_VISITS
    after = api.counts(fresh_page)
    assert after["page_views"] == before["page_views"] + CONCURRENT_VISITS
    # Other pages are not being visited meanwhile, so the site total moved by exactly as much,
    # and each of the 200 readers is a new visitor.
    assert after["views"] == before["views"] + CONCURRENT_VISITS
    assert after["visitors"] == before["visitors"] + CONCURRENT_VISITS


def test_concurrent_visits_to_different_pages_stay_apart(
    local_stack, api: ApiClient, live_pages: list[str]
) -> None:
    pages = live_pages[:4]
    before = [api.counts(page)["page_views"] for page in pages]
    readers = [ApiClient(api_base(local_stack), address) for address in new_reader_addresses(40)]
    with ThreadPoolExecutor(max_workers=40) as pool:
        replies = list(pool.map(lambda i: (i % 4, readers[i].visit(pages[i % 4])), range(40)))
    assert all(reply.status == 200 for _, reply in replies)
    assert [api.counts(page)["page_views"] - b for page, b in zip(pages, before, strict=True)] == [
        10,
        10,
        10,
        10,
    ]


def test_every_spelling_of_a_page_counts_for_that_page(api: ApiClient, live_pages) -> None:
    page = next(p for p in live_pages if p.endswith("/") and p != "/")
    before = api.counts(page)["page_views"]
    spellings = [
        page,
        page.rstrip("/"),
        page + "index.html",
        "/" + page,
        page.replace("/", "/./", 1),
    ]
    for spelling in spellings:
        assert api.visit(spelling).status == 200, spelling
    assert api.counts(page.rstrip("/"))["page_views"] == before + len(spellings)


def test_an_unknown_page_is_a_404_and_stores_nothing(api: ApiClient, table) -> None:
    items_before = table.scan(ConsistentRead=True)["Items"]
    for number in range(30):
        reply = api.visit(f"/junk-{uuid.uuid4().hex[:8]}-{number}/")
        assert reply.status == 404
        assert reply.json()["error"] == "unknown_page"
    assert table.scan(ConsistentRead=True)["Items"] == items_before


def test_a_reload_loop_counts_at_most_the_daily_limit(api: ApiClient, fresh_page: str) -> None:
    before = api.counts(fresh_page)["page_views"]
    for _ in range(13):
        assert api.visit(fresh_page).status == 200
    assert api.counts(fresh_page)["page_views"] == before + 10


def test_same_ip_and_agent_twice_is_one_visitor_two_views(
    api: ApiClient, fresh_page: str, unique_agent: str
) -> None:
    before = api.counts(fresh_page)
    first = api.visit(fresh_page, user_agent=unique_agent).json()
    second = api.visit(fresh_page, user_agent=unique_agent).json()
    assert second["views"] == before["views"] + 2
    assert second["page_views"] == before["page_views"] + 2
    assert first["visitors"] == second["visitors"] == before["visitors"] + 1


def test_another_address_is_another_visitor(local_stack, fresh_page: str, unique_agent: str):
    here = ApiClient(api_base(local_stack), new_reader_address())
    there = ApiClient(api_base(local_stack), new_reader_address())
    first = here.visit(fresh_page, user_agent=unique_agent).json()
    second = there.visit(fresh_page, user_agent=unique_agent).json()
    assert second["visitors"] == first["visitors"] + 1


@pytest.mark.parametrize("agent", [GOOGLEBOT, "curl/8.5.0", ""])
def test_bots_are_not_counted(api: ApiClient, fresh_page: str, agent: str) -> None:
    before = api.counts(fresh_page)
    reply = api.visit(fresh_page, user_agent=agent)
    assert reply.status == 200
    assert reply.json() == before
    assert api.counts(fresh_page) == before


def test_cors_allows_the_site_origin(api: ApiClient, local_stack, fresh_page: str) -> None:
    origin = local_stack.site_url
    reply = api.request("GET", f"/visits?path={fresh_page}", headers={"Origin": origin})
    assert reply.headers.get("access-control-allow-origin") == origin
    preflight = api.request(
        "OPTIONS",
        "/visits",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status in (200, 204)
    assert preflight.headers.get("access-control-allow-origin") == origin
    assert "POST" in preflight.headers.get("access-control-allow-methods", "")


def test_cors_denies_other_origins(api: ApiClient, fresh_page: str) -> None:
    reply = api.request(
        "GET", f"/visits?path={fresh_page}", headers={"Origin": "https://evil.example"}
    )
    assert "access-control-allow-origin" not in reply.headers
    preflight = api.request(
        "OPTIONS",
        "/visits",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in preflight.headers


BAD_REQUESTS = {
    "malformed json": ("POST", "/visits", b'{"path": "/x/"', 400, "invalid_json"),
    "body over 4 KB": (
        "POST", "/visits", json.dumps({"path": "/x/", "pad": "a" * 4200}).encode(), 413,
        "payload_too_large",
    ),
    "path without slash": ("POST", "/visits", b'{"path": "posts/x/"}', 400, "invalid_path"),
    "path too long": (
        "POST", "/visits", json.dumps({"path": "/" + "a" * 512}).encode(), 400, "invalid_path",
    ),
    "absolute url": ("POST", "/visits", b'{"path": "https://evil.example/"}', 400, "invalid_path"),
    "scheme relative": ("POST", "/visits", b'{"path": "//evil.example/"}', 404, "unknown_page"),
    "deep json": (
        "POST", "/visits", b'{"path": "/", "x": ' + b"[" * 1100 + b"]" * 1100 + b"}", 400,
        "invalid_json",
    ),
    "missing path": ("POST", "/visits", b"{}", 400, None),
    "not an object": ("POST", "/visits", b"[1, 2]", 400, None),
    "wrong method": ("PUT", "/visits", b'{"path": "/x/"}', 405, "method_not_allowed"),
    "unknown route": ("GET", "/nope", b"", 404, "not_found"),
}  # fmt: skip


@pytest.mark.parametrize("case", BAD_REQUESTS, ids=list(BAD_REQUESTS))
def test_bad_input_is_a_json_error_and_stores_nothing(api: ApiClient, table, case: str) -> None:
    method, path, body, status, code = BAD_REQUESTS[case]
    items_before = table.scan(ConsistentRead=True)["Items"]
    reply = api.request(method, path, body, {"Content-Type": "application/json"})
    assert reply.status == status, reply.body
    error = reply.json()
    assert set(error) >= {"error", "message"}
    assert error["message"] and error["message"][0].isupper()
    if code:
        assert error["error"] == code
    assert table.scan(ConsistentRead=True)["Items"] == items_before


def test_no_raw_ip_or_agent_at_rest_or_in_logs(local_stack, running_stack, table, fresh_page):
    secret_ip = new_reader_address()
    secret_agent = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0 cf-secret-agent-7f3a"
    client = ApiClient(api_base(local_stack), source_ip=secret_ip)
    assert client.visit(fresh_page, user_agent=secret_agent).status == 200
    assert client.request("POST", "/visits", b"{bad", {"User-Agent": secret_agent}).status == 400
    before = client.counts(fresh_page)["page_views"]
    assert client.visit(fresh_page, user_agent=secret_agent).status == 200
    assert client.counts(fresh_page)["page_views"] == before + 1  # the visit was stored
    items = json.dumps(table.scan(ConsistentRead=True)["Items"], default=str)
    assert secret_ip not in items
    assert "cf-secret-agent" not in items
    logs = running_stack.log_text()
    assert "POST /visits" in logs  # the gateway did log these requests
    assert secret_ip not in logs
    assert "cf-secret-agent" not in logs
