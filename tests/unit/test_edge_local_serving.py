"""respond(): the edge's answer reproduced for a server without CloudFront (the local server)."""

from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

from cloudfolio.local import viewer
from cloudfolio.publish.edge import ReleaseReader
from cloudfolio.publish.releases import PublishOptions, Releases
from cloudfolio.publish.store import S3Pointer, SiteStore

BUCKET = "cloudfolio-site-serving"


def write(root, files):
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text)
    return root


@pytest.fixture
def s3(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        yield client


@pytest.fixture
def releases(s3):
    return Releases(SiteStore(s3, BUCKET), S3Pointer(s3, BUCKET))


@pytest.fixture
def reader(s3):
    return ReleaseReader(s3, BUCKET, pointer_ttl=0)


def test_before_any_publish_the_server_says_so(reader):
    answer = viewer.respond(reader, "/", None)
    assert answer.status == 503
    assert b"invoke publish" in answer.body


def test_pages_come_from_the_live_release_with_manifest_headers(releases, reader, tmp_path):
    release = releases.publish(
        write(tmp_path, {"index.html": "<h1>home</h1>", "404.html": "<p>lost</p>"})
    ).release
    answer = viewer.respond(reader, "/?utm_source=x", None)
    assert (answer.status, answer.body) == (200, b"<h1>home</h1>")
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    assert answer.headers["x-cloudfolio-release"] == release
    missing = viewer.respond(reader, "/nope/", None)
    assert (missing.status, missing.body) == (404, b"<p>lost</p>")


def test_a_preview_is_opened_by_link_kept_by_cookie_and_left_by_link(releases, reader, tmp_path):
    releases.publish(write(tmp_path / "v1", {"index.html": "live", "a/index.html": "a"}))
    preview = releases.publish(
        write(tmp_path / "v2", {"index.html": "draft", "a/index.html": "a"}),
        PublishOptions(preview=True),
    )
    by_id = viewer.respond(reader, f"/a/?__preview={preview.release}", None)
    assert "Max-Age=0" in by_id.headers["set-cookie"]  # a release id is not a preview link

    opened = viewer.respond(reader, f"/a/?__preview={preview.token}&x=1", None)
    assert opened.status == 302
    assert opened.headers["location"] == "/a/?x=1"
    cookie = opened.headers["set-cookie"].split(";")[0]
    assert viewer.respond(reader, "/", cookie).body == b"draft"
    assert viewer.respond(reader, "/", None).body == b"live"
    left = viewer.respond(reader, "/?__preview=live", cookie)
    assert left.status == 302 and "Max-Age=0" in left.headers["set-cookie"]


def test_a_directory_without_slash_redirects_and_keeps_its_query(releases, reader, tmp_path):
    releases.publish(write(tmp_path, {"index.html": "home", "posts/x/index.html": "x"}))
    answer = viewer.respond(reader, "/posts/x?ref=feed", None)
    assert answer.status == 301
    assert answer.headers["location"] == "/posts/x/?ref=feed"


@pytest.mark.parametrize(
    "target", ["//evil.example", "/\\evil.example", "/%2F%2Fevil.example", "/%5Cevil.example"]
)
def test_the_directory_redirect_never_leaves_the_host(releases, reader, tmp_path, target):
    releases.publish(
        write(
            tmp_path,
            {
                "index.html": "home",
                "evil.example/index.html": "x",
                "\\evil.example/index.html": "y",
            },
        )
    )
    answer = viewer.respond(reader, target, None)
    if answer.status == 301:
        location = answer.headers["location"]
        assert location.startswith("/") and location[1:2] not in ("/", "\\")


def test_a_reader_told_of_a_publish_serves_it_at_once_whatever_its_pointer_ttl(
    s3, releases, tmp_path
):
    """The local stack announces a rebuild to open pages right after publishing it: the page
    reloads at once, so the static server's reader must not answer from its cached pointer."""
    cached = ReleaseReader(s3, BUCKET, pointer_ttl=3600)
    releases.publish(write(tmp_path / "one", {"index.html": "one", "404.html": "lost"}))
    assert viewer.respond(cached, "/", None).body == b"one"
    releases.publish(write(tmp_path / "two", {"index.html": "two", "404.html": "lost"}))
    assert viewer.respond(cached, "/", None).body == b"one"  # within its TTL
    cached.forget_pointers()
    assert viewer.respond(cached, "/", None).body == b"two"
