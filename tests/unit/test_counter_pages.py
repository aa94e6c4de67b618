"""Only real pages count, each under one key: the live release's pages, as the edge maps URLs."""

from __future__ import annotations

import time
from types import ModuleType

import boto3
import pytest
from common.settings import Settings
from common.site_paths import canonical_page
from counter.counting import VisitCounter
from counter.request import Visit
from counter.store import PAGE_PREFIX

from cloudfolio.publish.edge import resolve
from tests.unit.conftest import (
    BROWSER_UA,
    EPHEMERAL_TABLE,
    PAGES,
    TABLE,
    api_event,
    invoke,
    load_function,
    publish_pages,
    release_objects,
    scan,
    scan_table,
)
from tests.unit.fake_dynamodb import MAX_ITEM_BYTES, FakeDynamoDB, FakeS3, item_bytes

JUNK_PATHS = 25_000
LARGE_SITE_PAGES = 20_000

# The edge's mapping table: a manifest and, for each URL spelling, the page it ends up serving.
EDGE_FILES = ("index.html", "x/index.html", "posts/y/index.html", "about.html", "404.html")
SPELLINGS = {
    "/": "index.html",
    "//": "index.html",
    "/index.html": "index.html",
    "/x": "x/index.html",
    "/x/": "x/index.html",
    "/x/index.html": "x/index.html",
    "/%78/": "x/index.html",
    "/%78": "x/index.html",
    "//x/": "x/index.html",
    "/x//": "x/index.html",
    "/./x/": "x/index.html",
    "/x/%69ndex.html": "x/index.html",
    "/posts/y": "posts/y/index.html",
    "/posts%2Fy/": "posts/y/index.html",
    "/about.html": "about.html",
}
NOT_PAGES = ["/nope/", "/about", "/x/other.html", "/../x/", "/%2e%2e/x/", "/x%00/", "/404.html"]


def served_page(uri: str) -> str | None:
    """What the edge serves for `uri`, following its one redirect, as a manifest path."""
    manifest = {"files": {path: {"hash": "0" * 64, "content_type": "text/html",
                                 "cache_control": "no-cache"} for path in EDGE_FILES}}  # fmt: skip
    resolution = resolve(manifest, uri)
    if resolution.status == 301:
        resolution = resolve(manifest, resolution.headers["location"])
    return resolution.path if resolution.status == 200 else None


@pytest.mark.parametrize("uri", list(SPELLINGS))
def test_the_counter_key_is_the_page_the_edge_serves(uri) -> None:
    pages = set(EDGE_FILES) - {"404.html"}
    assert served_page(uri) == SPELLINGS[uri]
    assert canonical_page(uri, pages) == SPELLINGS[uri]


@pytest.mark.parametrize("uri", NOT_PAGES)
def test_what_the_edge_does_not_serve_as_a_page_has_no_key(uri) -> None:
    pages = set(EDGE_FILES) - {"404.html"}
    assert served_page(uri) not in pages
    assert canonical_page(uri, pages) is None


ADDRESS = "198.51.100.23"


def post(module: ModuleType, path: str, ip: str = ADDRESS):
    return invoke(module, api_event("POST", "/visits", {"path": path}, source_ip=ip))


def test_every_spelling_of_a_page_counts_for_that_one_page(counter, counter_table) -> None:
    spellings = ["/x/", "/x", "/x/index.html", "/%78/", "//x/", "/./x/"]
    for number, spelling in enumerate(spellings, start=1):
        reply = post(counter, spelling, ip=f"203.0.113.{number}")
        assert reply.status == 200, (spelling, reply.body)
        assert reply.body["page_views"] == number, spelling
    read = invoke(counter, api_event("GET", "/visits", query={"path": "/%78"}))
    assert read.body == {"views": 6, "page_views": 6, "visitors": 6}
    (site,) = scan_table(counter_table, TABLE)
    assert len([name for name in site if name.startswith(PAGE_PREFIX)]) == 1


@pytest.mark.parametrize("method", ["POST", "GET"])
@pytest.mark.parametrize(
    "path", ["/nope/", "/posts/hello-world/extra/", "/404.html", "/theme/css/style.css"]
)
def test_an_unknown_path_is_a_json_404_and_stores_nothing(counter, counter_table, method, path):
    event = (
        api_event("POST", "/visits", {"path": path})
        if method == "POST"
        else api_event("GET", "/visits", query={"path": path})
    )
    reply = invoke(counter, event)
    assert reply.status == 404
    assert reply.headers["content-type"] == "application/json"
    assert reply.body["error"] == "unknown_page"
    assert scan(counter_table) == []


def test_a_new_post_counts_once_published_with_no_redeploy(counter, counter_table) -> None:
    assert post(counter, "/posts/new/").status == 404
    publish_pages(boto3.client("s3"), [*PAGES, "posts/new/index.html"])
    # The live pointer is re-read after a short time; no deploy, no new container.
    counter.counter.pages.clock = lambda: time.monotonic() + counter.counter.pages.ttl
    reply = post(counter, "/posts/new/")
    assert reply.status == 200
    assert reply.body["page_views"] == 1


def test_a_preview_release_does_not_change_what_counts(counter, counter_table) -> None:
    assert post(counter, "/about.html").status == 200
    publish_pages(boto3.client("s3"), ["index.html", "posts/preview-only/index.html"], preview=True)
    counter.counter.pages.clock = lambda: time.monotonic() + counter.counter.pages.ttl
    assert post(counter, "/posts/preview-only/").status == 404
    assert post(counter, "/about.html").status == 200


def test_the_live_release_is_read_once_per_cache_period(counter, counter_table) -> None:
    assert post(counter, "/b/").status == 200  # the container reads the live release once
    s3_calls: list[str] = []
    pages = counter.counter.pages
    pages._reader.s3.meta.events.register(
        "provide-client-params.s3.GetObject", lambda params, **_: s3_calls.append(params["Key"])
    )
    pages.clock = lambda: time.monotonic() + pages.ttl  # the first visit's read has expired
    for number in range(5):
        assert post(counter, "/a/", ip=f"203.0.113.{number + 1}").status == 200
    assert s3_calls == ["releases/LIVE"]  # the manifest of the same release is kept


def fake_counter(pages: list[str]) -> tuple[ModuleType, FakeDynamoDB, FakeS3]:
    """A handler whose AWS clients are in-memory fakes: for runs far too big for moto."""
    module = load_function("counter")
    dynamodb, s3 = FakeDynamoDB(), FakeS3(release_objects(pages))
    module.counter = VisitCounter(
        settings=Settings.from_env, client_factory=lambda: dynamodb, s3_client_factory=lambda: s3
    )
    return module, dynamodb, s3


def test_25000_junk_paths_store_nothing_and_real_pages_still_count(counter_env, monkeypatch):
    # 25,000 "request rejected" lines would cost more than the requests themselves.
    monkeypatch.setenv("POWERTOOLS_LOG_LEVEL", "WARNING")
    module, dynamodb, _ = fake_counter(list(PAGES))
    assert post(module, "/a/").body == {"views": 1, "page_views": 1, "visitors": 1}
    before = {table: dynamodb.items(table) for table in (TABLE, EPHEMERAL_TABLE)}
    calls_before = len(dynamodb.calls)
    for number in range(JUNK_PATHS):
        address = f"10.{number // 65536}.{number // 256 % 256}.{number % 256}"
        reply = post(module, f"/junk-{number}/", ip=address)
        assert reply.status == 404, reply.body
    assert len(dynamodb.calls) == calls_before  # not one DynamoDB call for junk
    assert {table: dynamodb.items(table) for table in (TABLE, EPHEMERAL_TABLE)} == before
    assert post(module, "/a/", ip="203.0.113.200").body == {
        "views": 2,
        "page_views": 2,
        "visitors": 2,
    }
    (site,) = dynamodb.items(TABLE)
    assert len([name for name in site if name.startswith(PAGE_PREFIX)]) == 1


def test_a_20000_page_site_counts_every_page_within_the_item_limit(counter_env) -> None:
    pages = [f"posts/{number:05d}-a-slug/index.html" for number in range(LARGE_SITE_PAGES)]
    module, dynamodb, _ = fake_counter(pages)
    # A single reader visits every page (its marker grows with them too). The counting core is
    # called directly: the resolver adds nothing here, and 20,000 requests through it are slow.
    for page in pages:
        module.counter.record(Visit("/" + page.removesuffix("index.html")), ADDRESS, BROWSER_UA)
    reply = post(module, "/posts/00042-a-slug")
    assert reply.body == {"views": LARGE_SITE_PAGES + 1, "page_views": 2, "visitors": 1}
    (site,) = dynamodb.items(TABLE)
    (marker,) = [i for i in dynamodb.items(EPHEMERAL_TABLE) if i["pk"]["S"].startswith("VISITOR#")]
    assert len([name for name in site if name.startswith(PAGE_PREFIX)]) == LARGE_SITE_PAGES
    # Room to spare: every page can reach a million views before the item gets near the cap.
    assert item_bytes(site) + 2 * LARGE_SITE_PAGES < MAX_ITEM_BYTES * 0.85
    assert item_bytes(marker) < MAX_ITEM_BYTES * 0.85
